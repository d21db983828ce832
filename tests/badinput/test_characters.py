"""Characters in the data (issue 17 item 4): ids refuse invisible ones, every output survives the rest.

Ids are shown in messages, tables, pages and workbooks, and compared with each other: one
holding a control, zero-width or bidirectional character prints like another id (or not at
all), so it is refused where it is read. Names and other free text may hold such characters;
they are never printed in messages, and each writer makes them safe for its format.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from handover.cli import app
from handover.io import validate_dataset
from tests.badinput.corpus import append_row, replace_in, write_base
from tests.privacy.synthetic import impossible_numbers

runner = CliRunner()

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


# --- names and other text: read as they are, made safe by every writer ----------------------

# XML 1.0 (GEXF, xlsx) holds none of these but DEL; HTML calls them all parse errors. (C1
# controls are replaced in pages too, but an inlined script library holds a U+0085 of its own.)
XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
ODD_NAME = "TSB\x01Helse\x0bforetak\x0c Vest"
SHOWN_NAME = "TSB\ufffdHelse\ufffdforetak\ufffd Vest"


@pytest.fixture
def odd_names(tmp_path) -> Path:
    """The base with control characters inside an agency name, a service name and a profession."""
    folder = write_base(tmp_path / "data")
    replace_in(folder, "agencies", "TSB Helseforetak", ODD_NAME)
    replace_in(folder, "services", "Døgnbehandling", "Døgn\x01behandling")
    replace_in(folder, "staff", "social worker", "social\x0cworker")
    return folder


def invoke(*args) -> str:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, (result.stderr, result.exception)
    return result.stdout


def cell_values(path: Path) -> list:
    book = openpyxl.load_workbook(path)
    return [c.value for sheet in book for row in sheet.iter_rows() for c in row]


def test_names_may_hold_control_characters(odd_names):
    from handover.io import read_dataset

    assert read_dataset(odd_names)["agencies"]["name"].tolist()[1] == ODD_NAME


def test_audit_with_control_characters_in_a_name_writes_a_workbook_and_a_page(odd_names, tmp_path):
    invoke("audit", odd_names, "--out", tmp_path / "audit")
    assert SHOWN_NAME in cell_values(tmp_path / "audit" / "discharges.xlsx")
    page = (tmp_path / "audit" / "audit.html").read_text(encoding="utf-8")
    assert not XML_FORBIDDEN.search(page)


def test_report_with_control_characters_in_names_writes_every_file(odd_names, tmp_path):
    invoke("report", odd_names, "--out", tmp_path / "report")
    cell_values(tmp_path / "report" / "report.xlsx")  # opens
    pages = sorted((tmp_path / "report").rglob("*.html"))
    assert len(pages) > 3
    assert [page.name for page in pages if XML_FORBIDDEN.search(page.read_text(encoding="utf-8"))] == []


@pytest.mark.parametrize("kind", ["shared-users", "handover-of-work"])
def test_the_gexf_of_a_network_with_control_characters_in_names_is_well_formed_xml(odd_names, tmp_path, kind):
    invoke("network", kind, odd_names, "--format", "gexf", "--out", tmp_path / "net.gexf")
    root = ElementTree.parse(tmp_path / "net.gexf").getroot()
    values = [v for element in root.iter() for v in element.attrib.values()]
    assert not any(XML_FORBIDDEN.search(v) for v in values)
    if kind == "shared-users":
        labels = {n.get("id"): n.get("label") for n in root.iter() if n.tag.endswith("}node")}
        assert labels == {"a1": "NAV Sentrum", "a2": SHOWN_NAME}
    else:
        assert "social\ufffdworker" in values


def test_the_network_page_with_control_characters_in_names_is_clean(odd_names, tmp_path):
    invoke("network", "shared-users", odd_names, "--format", "html", "--out", tmp_path / "net.html")
    assert not XML_FORBIDDEN.search((tmp_path / "net.html").read_text(encoding="utf-8"))


# --- the terminal: escape sequences in data are shown, never run -----------------------------

ESCAPE = "\x1b[31m"  # turns what follows red; other sequences move the cursor or retitle the window


@pytest.mark.parametrize("width", [200, 40], ids=["table", "records"])
def test_find_tables_show_escape_sequences_from_the_data_escaped(width):
    # Ids read from a dataset cannot hold them; rows from a database loaded by other means can.
    from handover.findings import SCHEMAS
    from handover.findings.schema import finalize
    from handover.render.results import render

    schema = SCHEMAS["dormant_plans"]
    rows = finalize(pd.DataFrame({"user_id": [f"u1{ESCAPE}"], "plan_id": ["p1\u202e"], "agency_id": ["a1"],
                                  "last_revised": ["2024-01-01"], "days_since_revision": [400]}), schema)
    printed = render(rows, schema, "table", width=width)
    assert "\x1b" not in printed and "\u202e" not in printed
    assert "u1\\x1b[31m" in printed and "p1\\u202e" in printed


def test_caseload_table_shows_a_profession_with_escape_sequences_and_brackets_as_written(tmp_path):
    folder = write_base(tmp_path / "data")
    replace_in(folder, "staff", "st1,social worker", f"st1,social{ESCAPE}worker")
    replace_in(folder, "staff", "st3,social worker", "st3,[bold]sosionom[/bold]")
    printed = invoke("caseload", folder, "--as-of", "2024-01-15", "--format", "table")
    assert "\x1b" not in printed
    assert "social\\x1b[31mworker" in printed
    printed = invoke("caseload", folder, "--as-of", "2024-06-15", "--format", "table")
    assert "[bold]sosionom[/bold]" in printed  # text, not markup for the table library


# --- ids that differ only by characters that look alike: a warning, not a refusal ------------


def test_validate_warns_of_ids_that_differ_only_by_look_alike_characters(tmp_path):
    folder = write_base(tmp_path / "data")
    append_row(folder, "users", "\u04251,1970,")          # Cyrillic Х, line 5
    append_row(folder, "users", "u\uff12,1971,")          # fullwidth 2, line 6
    append_row(folder, "users", "X1,1972,")               # Latin X, line 7
    append_row(folder, "agencies", "\u03b11,Other,ngo,private,")  # Greek α, line 4
    append_row(folder, "agencies", "a1\u0301,Third,ngo,private,")  # a1 and a combining accent: no look-alike
    result = runner.invoke(app, ["validate", str(folder)])
    assert result.exit_code == 0, result.stderr
    assert "valid" in result.stdout
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [
        "warning: agencies.csv column agency_id: ids that differ only by characters that look alike (1 pair): "
        "a1 (line 2) and \u03b11 (line 4, U+03B1)",
        "warning: users.csv column user_id: ids that differ only by characters that look alike (2 pairs): "
        "u2 (line 3) and u\uff12 (line 6, U+FF12); \u04251 (line 5, U+0425) and X1 (line 7)",
    ]


def test_without_look_alike_ids_validate_prints_no_warning(tmp_path):
    folder = write_base(tmp_path / "data")
    append_row(folder, "users", "ид1,1970,")  # Cyrillic, but like no other id
    result = runner.invoke(app, ["validate", str(folder)])
    assert result.exit_code == 0 and "warning" not in result.stderr


def test_look_alike_ids_are_found_among_a_million(tmp_path):
    from handover.io.confusables import confusable_ids

    ids = pd.Series([f"u{i}" for i in range(1_000_000)] + ["u\u0441", "\u0445\u043e", "xo", "u７"])
    found = confusable_ids(ids)
    assert sorted((a, b) for a, b, _, _ in found) == [("u7", "u７"), ("\u0445\u043e", "xo")]


# --- digits of other scripts reach the national-id guard ------------------------------------

NUMBER = impossible_numbers(1)[0]  # made up, with a date that does not exist
FULLWIDTH = NUMBER.translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
ARABIC_INDIC = NUMBER.translate({ord(d): 0x0660 + int(d) for d in "0123456789"})


@pytest.mark.parametrize("value", [FULLWIDTH, ARABIC_INDIC, f"{FULLWIDTH[:6]}\uff0d{FULLWIDTH[6:]}",
                                   f"{NUMBER[:6]}\u3000{FULLWIDTH[6:]}", NUMBER[:5] + FULLWIDTH[5:]],
                         ids=["fullwidth", "arabic-indic", "fullwidth hyphen", "ideographic space", "mixed"])
def test_a_national_id_in_digits_of_another_script_looks_like_one(value):
    from handover.privacy.identifiers import looks_like_national_id, national_id_mask

    assert looks_like_national_id(value)
    assert national_id_mask(pd.Series(["u1", value, None], dtype=object)).tolist() == [False, True, False]


def test_a_fullwidth_number_with_a_wrong_check_digit_does_not():
    from handover.privacy.identifiers import looks_like_national_id, national_id_mask

    wrong = FULLWIDTH[:10] + chr(0xFF10 + (int(NUMBER[10]) + 1) % 10)
    assert not looks_like_national_id(wrong)
    assert national_id_mask(pd.Series([wrong])).tolist() == [False]


def test_a_user_keyed_by_a_fullwidth_national_id_is_refused_without_showing_it(tmp_path):
    folder = write_base(tmp_path / "data")
    for path in folder.glob("*.csv"):
        path.write_text(path.read_text(encoding="utf-8").replace("u2,", f"{FULLWIDTH},"), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(folder)])
    assert result.exit_code == 2
    assert "users.csv column user_id: 1 value looks like a national identity number (first on line 3)" \
        in result.stderr
    assert FULLWIDTH not in result.output and NUMBER not in result.output
    assert runner.invoke(app, ["validate", str(folder), "--allow-identifiers"]).exit_code == 0


def test_look_alike_national_ids_are_warned_of_without_showing_them(tmp_path):
    folder = write_base(tmp_path / "data")
    append_row(folder, "users", f"{NUMBER},1970,")
    append_row(folder, "users", f"{FULLWIDTH},1971,")
    result = runner.invoke(app, ["validate", str(folder), "--allow-identifiers"])
    assert result.exit_code == 0
    assert ("warning: users.csv column user_id: ids that differ only by characters that look alike (1 pair): "
            "a value that looks like a national identity number (line 5) and a value that looks like a "
            "national identity number (line 6)") in result.stderr
    assert FULLWIDTH not in result.output and NUMBER not in result.output
