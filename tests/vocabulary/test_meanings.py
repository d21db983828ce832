"""Every table, column and vocabulary value of the contract has its meaning, in both languages."""

from __future__ import annotations

import pytest

from handover.meanings import COLUMN_MEANINGS, MEANINGS, TABLE_MEANINGS, VOCABULARY_TITLES, Meaning, vocabulary_rows
from handover.model import TABLES, VOCABULARIES


def _all_meanings():
    yield from (("title", name, m) for name, m in VOCABULARY_TITLES.items())
    yield from ((v, value, m) for v, values in MEANINGS.items() for value, m in values.items())
    yield from (("table", name, m) for name, m in TABLE_MEANINGS.items())
    yield from ((t, c, m) for t, columns in COLUMN_MEANINGS.items() for c, m in columns.items())


def test_every_vocabulary_value_has_a_meaning_and_nothing_else_is_there():
    assert list(VOCABULARY_TITLES) == list(VOCABULARIES)
    assert list(MEANINGS) == list(VOCABULARIES)
    for vocabulary, values in VOCABULARIES.items():
        assert tuple(MEANINGS[vocabulary]) == values, vocabulary


def test_every_table_and_column_has_a_meaning():
    assert list(TABLE_MEANINGS) == list(TABLES)
    assert list(COLUMN_MEANINGS) == list(TABLES)
    for name, table in TABLES.items():
        assert tuple(COLUMN_MEANINGS[name]) == table.column_names, name


@pytest.mark.parametrize("where, key, meaning", list(_all_meanings()), ids=lambda x: str(x)[:30])
def test_each_meaning_is_one_line_in_english_and_norwegian(where, key, meaning):
    assert isinstance(meaning, Meaning)
    for text in meaning:
        # One line that reads in a table cell of docs/data.md and the terminal.
        assert text and text == text.strip() and "\n" not in text and "|" not in text
        assert not text.endswith("."), text
        assert text[0].isupper(), text
    assert meaning.en != meaning.nb or meaning.en.isupper()


def test_norwegian_is_written_with_the_norwegian_letters():
    # Spellings without æ, ø, å (as old systems write them) must not slip into the bokmål.
    words = set(" ".join(m.nb for _, _, m in _all_meanings()).lower().replace(",", " ").split())
    assert words & {"dogn", "pa", "nar", "fodselsnummer", "fodselsar", "oppfolging", "forlop", "forlopet",
                    "forste", "apen", "gjor", "ma"} == set()
    assert {"døgn", "første", "fødselsnummer", "når"} <= words


def test_the_rows_are_the_meanings_in_contract_order():
    rows = vocabulary_rows()
    assert [(v, value) for v, value, _, _ in rows] == [
        (v, value) for v, values in VOCABULARIES.items() for value in values]
    assert all(MEANINGS[v][value] == (en, nb) for v, value, en, nb in rows)
    assert vocabulary_rows("role") == [row for row in rows if row[0] == "role"]
    with pytest.raises(KeyError):
        vocabulary_rows("colour")
