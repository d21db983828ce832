"""The one message catalogue: every word a page, chart, sheet or vocabulary shows, in English and bokmål.

The words live in ``handover/locale/en.toml`` and ``handover/locale/nb.toml``, one file per
language with the same keys (a test holds them equal), so a translator edits text, not code;
the words of one kind of page may live beside them in ``en-<page>.toml`` and
``nb-<page>.toml`` (``en-audit.toml``), read as part of the language's catalogue.
Keys are dotted paths into the file's tables: ``finding.parallel_plans.title``,
``report.title``, ``column.user_id``. A text may hold ``{fields}``, filled in by
:meth:`Words.__call__`.

:func:`words` gives a language's :class:`Words`; :func:`language_from_environment` picks
the default language of a command: ``nb`` when the locale (``LC_ALL``, ``LC_MESSAGES``,
``LANG``) is Norwegian, else ``en``. Numbers follow the language: ``12.5%`` and ``1,234`` in
English, ``12,5 %`` and ``1 234`` in Norwegian; dates are ISO (``2024-03-01``) in both, which
no reader misreads.

Command-line help and error messages stay English: they are read by whoever runs the
command, and searched for on the web.

Examples
--------
>>> nb = words("nb")
>>> nb("finding.discharge_follow_up.measure.follow_up_7d.title")
'Oppfølging innen 7 dager'
>>> nb.percent(12.5), words("en").percent(12.5)
('12,5\\xa0%', '12.5%')
>>> language_from_environment({"LANG": "nb_NO.UTF-8"}), language_from_environment({"LANG": "C.UTF-8"})
('nb', 'en')
"""

from __future__ import annotations

import functools
import os
from importlib import resources
from typing import Mapping

from handover.errors import HandoverError, InputError

__all__ = ["LANGUAGES", "Words", "words", "language_from_environment", "catalogue"]

#: The languages of the catalogue: English and Norwegian bokmål.
LANGUAGES = ("en", "nb")
# Locales read as Norwegian: bokmål, nynorsk (closer to bokmål than to English) and the old "no".
_NORWEGIAN = ("nb", "nn", "no")


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """``nb`` when the locale names Norwegian (``nb_NO``, ``nn_NO``, ``no_NO``), else ``en``.

    The first of ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that is set decides, as for
    any program's messages.
    """
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            return "nb" if value.lower().startswith(_NORWEGIAN) else "en"
    return "en"


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, path + "."))
        else:
            flat[path] = value
    return flat


@functools.cache
def catalogue(lang: str) -> dict[str, str]:
    """Every text of ``lang`` by its dotted key, read once from ``handover/locale/<lang>.toml``
    and ``<lang>-*.toml`` (no key in two files)."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    if lang not in LANGUAGES:
        raise InputError(f"--lang: {lang} is not one of: {', '.join(LANGUAGES)}")
    folder = resources.files("handover.locale")
    parts = [f"{lang}.toml"] + sorted(entry.name for entry in folder.iterdir()
                                      if entry.name.startswith(f"{lang}-") and entry.name.endswith(".toml"))
    merged: dict[str, str] = {}
    for part in parts:
        texts = _flatten(tomllib.loads((folder / part).read_text(encoding="utf-8")))
        twice = sorted(set(texts) & set(merged))
        if twice:
            raise HandoverError(f"handover/locale/{part} says again what another {lang} file says: {', '.join(twice)}")
        merged.update(texts)
    return merged


class Words:
    """The texts of one language, and how it writes numbers.

    Parameters
    ----------
    lang : {"en", "nb"}
    """

    def __init__(self, lang: str):
        self.lang = lang
        self._texts = catalogue(lang)

    def __call__(self, key: str, **fields) -> str:
        """The text at ``key``, its ``{fields}`` filled in.

        Raises
        ------
        HandoverError
            When the catalogue has no such key: a bug, caught by the catalogue tests.
        """
        try:
            text = self._texts[key]
        except KeyError:
            raise HandoverError(f"handover/locale/{self.lang}.toml has no text {key}") from None
        return text.format(**fields) if fields else text

    def get(self, key: str, default: str | None = None) -> str | None:
        """The text at ``key``, or ``default`` when there is none."""
        return self._texts.get(key, default)

    def keys(self, prefix: str = "") -> list[str]:
        """Every key starting with ``prefix``, in file order."""
        return [key for key in self._texts if key.startswith(prefix)]

    def column(self, name: str) -> str:
        """The heading of a result column: Norwegian words in ``nb``, the column's own name in ``en``.

        English pages keep the names of docs/findings.md, which are also the CSV headers.
        """
        return self._texts.get(f"column.{name}", name)

    def value(self, vocabulary: str, value) -> str:
        """A code of a vocabulary as a reader says it (``caseworker`` → ``saksbehandler``)."""
        return self._texts.get(f"label.{vocabulary}.{value}", str(value))

    def number(self, value: float, decimals: int = 1) -> str:
        """``value`` with ``decimals`` decimals, a decimal comma in Norwegian.

        Examples
        --------
        >>> words("nb").number(0.5, 2), words("en").number(0.5, 2)
        ('0,50', '0.50')
        """
        text = f"{value:.{decimals}f}"
        return text.replace(".", ",") if self.lang == "nb" else text

    def count(self, value: int) -> str:
        """A whole number with thousands grouped: ``1,234`` (en), ``1 234`` (nb, a no-break space)."""
        text = f"{int(value):,}"
        return text.replace(",", "\u00a0") if self.lang == "nb" else text

    def percent(self, value: float) -> str:
        """A share in percent with one decimal: ``12.5%`` (en), ``12,5 %`` (nb, a no-break space)."""
        return f"{self.number(value)}\u00a0%" if self.lang == "nb" else f"{self.number(value)}%"

    def boolean(self, value) -> str:
        """``yes``/``no`` (en), ``ja``/``nei`` (nb)."""
        return self("word.yes") if value else self("word.no")


@functools.cache
def words(lang: str = "en") -> Words:
    """The :class:`Words` of ``lang`` (one of :data:`LANGUAGES`).

    Raises
    ------
    InputError
        For a language the catalogue does not have.
    """
    return Words(lang)
