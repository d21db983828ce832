"""Characters in the data (issue 17 item 4): ids refuse invisible ones, every output survives the rest.

Ids are shown in messages, tables, pages and workbooks, and compared with each other: one
holding a control, zero-width or bidirectional character prints like another id (or not at
all), so it is refused where it is read. Names and other free text may hold such characters;
they are never printed in messages, and each writer makes them safe for its format.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from handover.io import validate_dataset
from tests.badinput.corpus import replace_in, write_base

# Every class of characters no id may hold, with one code point at each end of its ranges.
UNUSABLE = ["\x00", "\x01", "\t", "\n", "\x1b", "\x1f", "\x7f", "\x80", "\x85", "\x9f",
            "\u200b", "\u200d", "\u2060", "\ufeff", "\u202a", "\u202e", "\u2066", "\u2069"]


@pytest.mark.parametrize("character", UNUSABLE, ids=[f"U+{ord(c):04X}" for c in UNUSABLE])
def test_every_unusable_character_inside_an_id_is_refused_and_shown_escaped(tmp_path, character):
    folder = write_base(tmp_path / "data")
    (folder / "plans.csv").unlink()
    ids = pa.array(["p9", f"p1{character}0"])
    pq.write_table(pa.table({"plan_id": ids, "user_id": ["u3", "u3"], "agency_id": ["a1", "a2"],
                             "kind": ["individual_plan", "treatment_plan"],
                             "start": ["2024-01-01", "2024-06-01"]}), folder / "plans.parquet")
    problems = validate_dataset(folder)
    assert [(v.file, v.line, v.column) for v in problems] == [("plans.parquet", 2, "plan_id")]
    shown = repr(character)[1:-1]
    assert problems[0].value == f"p1{shown}0"
    assert problems[0].rule.startswith("not a usable id: it holds a ")
    assert f"({shown})" in problems[0].rule
    assert character not in str(problems[0])


def test_letters_of_every_script_and_punctuation_stay_usable_in_ids(tmp_path):
    folder = write_base(tmp_path / "data")
    for old, new in [("c1,u1", "ø-1/Å,u1"), ("c2,u3", "ид_2.ß,u3")]:
        replace_in(folder, "contacts", old, new)
    assert validate_dataset(folder) == []


def test_a_million_ids_are_checked_and_twenty_rows_listed(tmp_path):
    folder = write_base(tmp_path / "data")
    rows = [f"c{i},u1,a1,2024-03-05,visit,," for i in range(1_000_000)]
    rows[10] = "c10\u200b,u1,a1,2024-03-05,visit,,"
    for i in range(500_000, 500_030):
        rows[i] = f"c{i}\x01,u1,a1,2024-03-05,visit,,"
    (folder / "contacts.csv").write_text("contact_id,user_id,agency_id,date,kind,service_id,staff_id\n"
                                         + "\n".join(rows) + "\n", encoding="utf-8")
    problems = validate_dataset(folder)
    assert [v.line for v in problems[:21]] == [12] + list(range(500_002, 500_021)) + [500_021]
    assert "zero-width character" in problems[0].rule
    assert problems[20].rule == ("... and 11 more rows from here on with the same problem "
                                 "(an id holding a character no id may hold)")
