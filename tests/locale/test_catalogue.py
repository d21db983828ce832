"""The message catalogue: both languages say the same things, with the same blanks to fill."""

from __future__ import annotations

import re
import string

import pytest

from handover.locale import LANGUAGES, catalogue, words


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_language_has_every_key():
    keys = {lang: set(catalogue(lang)) for lang in LANGUAGES}
    assert keys["en"] == keys["nb"], {lang: sorted(keys[lang] - keys["en" if lang == "nb" else "nb"])
                                      for lang in LANGUAGES}


def test_every_text_has_the_same_fields_in_both_languages():
    en, nb = catalogue("en"), catalogue("nb")
    differ = {key: (_fields(en[key]), _fields(nb[key])) for key in en if _fields(en[key]) != _fields(nb[key])}
    assert not differ


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_text_is_empty(lang):
    assert not [key for key, text in catalogue(lang).items() if not str(text).strip()]


def test_the_norwegian_is_norwegian():
    """Most texts differ from the English (a few, such as "Dashboard"-like loan words or codes,
    may not); and the words a Norwegian quality adviser expects are there."""
    en, nb = catalogue("en"), catalogue("nb")
    same = [key for key in en if en[key] == nb[key] and re.search(r"[a-z]{4,} [a-z]{4,}", en[key])]
    assert len(same) <= len(en) // 50, same
    said = " ".join(nb.values()).lower()
    for word in ("koordinator", "saksbehandler", "individuell plan", "utskrivning", "oppfølging innen 7 dager"):
        assert word in said, word


def test_a_text_is_filled_in_and_numbers_follow_the_language():
    nb, en = words("nb"), words("en")
    assert nb.count(12345) == "12\u00a0345" and en.count(12345) == "12,345"
    assert nb.percent(7.25).endswith("\u00a0%") and "," in nb.percent(7.25)
    assert nb.value("role", "coordinator").lower() == "koordinator"
