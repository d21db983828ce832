"""docs/data.md says what handover/meanings.py says: every table, column and value, in the same words.

The page is parsed: under ``## Tables`` one ``### `table``` section per table whose rows are
``| `column` | yes/no | values | meaning (betydning) |``; under ``## Vocabularies`` one
``### `vocabulary``` section per vocabulary whose rows are ``| `value` | meaning | betydning |``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from handover.meanings import COLUMN_MEANINGS, MEANINGS, TABLE_MEANINGS, VOCABULARY_TITLES
from handover.model import REQUIRED_TABLES, TABLES, VOCABULARIES

DOC = Path(__file__).resolve().parents[2] / "docs" / "data.md"


def sections(level: str, text: str) -> dict[str, str]:
    """``title -> body`` of the sections at heading ``level`` (``"##"`` or ``"###"``) in ``text``."""
    parts = re.split(rf"^{level} (.+)$", text, flags=re.M)
    return {title.strip(): body for title, body in zip(parts[1::2], parts[2::2])}


def rows(body: str) -> list[list[str]]:
    """The cells of every table row of ``body`` whose first cell is a `code` (header rows are not)."""
    found = []
    for line in body.splitlines():
        if line.startswith("| `"):
            found.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return found


def named(level_sections: dict[str, str]) -> dict[str, str]:
    """Sections titled ``` `name` ``` (and nothing else), by name."""
    return {m.group(1): body for title, body in level_sections.items()
            if (m := re.fullmatch(r"`([a-z_]+)`", title))}


@pytest.fixture(scope="module")
def doc() -> dict[str, str]:
    return sections("##", DOC.read_text(encoding="utf-8"))


def test_the_page_has_every_table_and_every_vocabulary(doc):
    assert list(named(sections("###", doc["Tables"]))) == list(TABLES)
    assert list(named(sections("###", doc["Vocabularies"]))) == list(VOCABULARIES)


@pytest.mark.parametrize("table", list(TABLES))
def test_every_column_is_listed_with_its_meaning_and_whether_it_is_required(doc, table):
    body = named(sections("###", doc["Tables"]))[table]
    meaning = TABLE_MEANINGS[table]
    assert f"{meaning.en} ({meaning.nb})." in body
    assert ("Required table" if table in REQUIRED_TABLES else "Optional table") in body
    listed = rows(body)
    assert [cells[0] for cells in listed] == [f"`{c}`" for c in TABLES[table].column_names]
    for cells, column in zip(listed, TABLES[table].columns):
        assert len(cells) == 4, cells
        assert cells[1] == ("yes" if column.required else "no"), cells
        if column.vocabulary:
            assert f"`{column.vocabulary}`" in cells[2], cells
        meaning = COLUMN_MEANINGS[table][column.name]
        assert cells[3] == f"{meaning.en} ({meaning.nb})", cells


@pytest.mark.parametrize("vocabulary", list(VOCABULARIES))
def test_every_value_is_listed_with_exactly_its_two_meanings(doc, vocabulary):
    body = named(sections("###", doc["Vocabularies"]))[vocabulary]
    title = VOCABULARY_TITLES[vocabulary]
    assert f"{title.en} ({title.nb})" in body
    listed = rows(body)
    assert [tuple(cells) for cells in listed] == [
        (f"`{value}`", *MEANINGS[vocabulary][value]) for value in VOCABULARIES[vocabulary]]


def test_the_page_explains_time_and_points_to_the_mapping(doc):
    text = " ".join(DOC.read_text(encoding="utf-8").split())
    for words in ("[start, end)", "An empty `end` means ongoing", "as_of is the day the data describe",
                  "Ids are text", "--mapping mapping.toml", "--date-format",
                  "#from-your-export-to-answers", "one `.xlsx` workbook with a sheet per table",
                  "case-insensitively"):
        assert words in text, words
