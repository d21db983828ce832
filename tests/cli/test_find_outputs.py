"""What `handover find` writes: the format picked by --out, Excel workbooks, CSV for Norwegian Excel,
and tables that stay readable in a narrow terminal."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import openpyxl
import pytest
from typer.testing import CliRunner

from handover import __version__
from handover.findings import FINDINGS
from handover.cli import app
from tests.datasets import FIXTURES

OSLO = FIXTURES / "oslo-nav-district"
runner = CliRunner()


def invoke(*args, env=None):
    return runner.invoke(app, [str(a) for a in args], env=env)


def ok(*args, env=None):
    result = invoke(*args, env=env)
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


# --- the format from --out's extension ---------------------------------------------------------


def test_out_picks_the_format_by_its_extension(tmp_path):
    printed = ok("find", "parallel-plans", OSLO, "--format", "csv").stdout
    ok("find", "parallel-plans", OSLO, "--out", tmp_path / "pp.csv")
    assert (tmp_path / "pp.csv").read_text(encoding="utf-8") == printed   # not the box-drawn table
    ok("find", "parallel-plans", OSLO, "--out", tmp_path / "pp.JSON")
    assert json.loads((tmp_path / "pp.JSON").read_text(encoding="utf-8"))[0]["plan_a_id"] == "p001"
    result = ok("find", "parallel-plans", OSLO, "--out", tmp_path / "pp.xlsx")
    assert (tmp_path / "pp.xlsx").read_bytes()[:2] == b"PK"                # a zip: a workbook
    assert "26 rows written to" in result.stderr and "(xlsx)" in result.stderr
    ok("find", "parallel-plans", OSLO, "--out", tmp_path / "pp.txt")
    assert "┃ user_id" in (tmp_path / "pp.txt").read_text(encoding="utf-8")  # any other file: the table


def test_a_format_that_contradicts_the_extension_is_refused(tmp_path):
    result = invoke("find", "parallel-plans", OSLO, "--format", "table", "--out", tmp_path / "pp.csv")
    assert result.exit_code == 2
    assert "--format table contradicts --out" in result.stderr and "a .csv file" in result.stderr
    assert not (tmp_path / "pp.csv").exists()
    assert invoke("find", "parallel-plans", OSLO, "--format", "json", "--out", tmp_path / "pp.xlsx").exit_code == 2
    # An extension that names no format leaves --format free.
    ok("find", "parallel-plans", OSLO, "--format", "csv", "--out", tmp_path / "pp.dat")
    assert (tmp_path / "pp.dat").read_text(encoding="utf-8").startswith("user_id,plan_a_id")


def test_a_workbook_is_never_written_to_the_terminal():
    result = invoke("find", "parallel-plans", OSLO, "--format", "xlsx")
    assert result.exit_code == 2
    assert "--format xlsx writes a workbook, which a terminal cannot show; give --out FILE.xlsx" in result.stderr
    assert result.stdout == ""


def test_the_default_without_out_stays_the_table():
    assert "parallel_plans — 26 rows" in ok("find", "parallel-plans", OSLO).stdout


# --- the workbook ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def follow_up_book(tmp_path_factory):
    out = tmp_path_factory.mktemp("book") / "follow-up.xlsx"
    ok("find", "discharge-follow-up", OSLO, "--max-days", "20", "--out", out)
    return openpyxl.load_workbook(out)


@pytest.fixture(scope="module")
def follow_up_rows():
    return csv_rows(ok("find", "discharge-follow-up", OSLO, "--max-days", "20", "--format", "csv").stdout)


def test_the_workbook_has_the_finding_s_sheet_and_an_about_sheet(follow_up_book, follow_up_rows):
    finding = FINDINGS["discharge_follow_up"]
    assert follow_up_book.sheetnames == ["discharge_follow_up", "About"]
    sheet = follow_up_book["discharge_follow_up"]
    assert [c.value for c in sheet[1]] == list(finding.schema.column_names)
    assert sheet.max_row == len(follow_up_rows) + 1 > 10
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref


def test_workbook_cells_are_dates_numbers_booleans_and_text(follow_up_book, follow_up_rows):
    sheet = follow_up_book["discharge_follow_up"]
    header = [c.value for c in sheet[1]]
    expected = follow_up_rows
    assert {kind for _, kind in FINDINGS["discharge_follow_up"].schema.columns} == {"str", "date", "int", "bool"}
    kinds = dict(FINDINGS["discharge_follow_up"].schema.columns)
    for row, want in zip(sheet.iter_rows(min_row=2), expected):
        for name, cell in zip(header, row):
            if want[name] == "":
                assert cell.value is None, name                       # missing: an empty cell
            elif kinds[name] == "date":
                # A date cell shown as YYYY-MM-DD, with no time in the value or in the format.
                assert cell.is_date and cell.number_format == "yyyy-mm-dd", name
                assert cell.value.time() == dt.time(0, 0)
                assert cell.value.date().isoformat() == want[name]
            elif kinds[name] == "int":
                assert cell.data_type == "n" and cell.value == int(want[name]), name
            elif kinds[name] == "bool":
                assert cell.data_type == "b" and cell.value is (want[name] == "true"), name
            else:
                assert cell.data_type == "s" and cell.value == want[name], name


def test_workbook_floats_are_numbers(tmp_path):
    ok("find", "continuity-of-care", OSLO, "--out", tmp_path / "coc.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "coc.xlsx")["continuity_of_care"]
    expected = csv_rows((OSLO / "expected" / "continuity_of_care.csv").read_text(encoding="utf-8"))
    header = [c.value for c in sheet[1]]
    upc = [row[header.index("upc")].value for row in sheet.iter_rows(min_row=2)]
    cells = [row[header.index("upc")] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type == "n" for cell in cells)              # numbers, not text
    assert upc == [float(row["upc"]) for row in expected] and 0.5 in upc


def test_the_about_sheet_says_what_how_and_when(follow_up_book):
    about = {row[0].value: row[1].value for row in follow_up_book["About"].iter_rows()}
    finding = FINDINGS["discharge_follow_up"]
    assert about["Finding"] == f"{finding.title} (discharge_follow_up)"
    assert about["What it shows"] == finding.explanation
    assert about["option --max-days"] == "20"                       # as given
    assert about["option --follow-up-by"] == "municipal"            # a default, filled in
    assert about["option --since"] == "not set"
    assert about["As of"] == "2024-11-29"                           # the latest date of the fixture
    assert about["Dataset"] == "oslo-nav-district" and about["Written by"] == f"handover {__version__}"


def test_text_a_workbook_cannot_hold_is_replaced_not_fatal(tmp_path):
    from handover.render.workbook import finding_workbook
    import pandas as pd

    data = finding_workbook(pd.DataFrame({"user_id": ["u\x01x"]}), name="demo", columns=[("user_id", "str")],
                            about=[("Finding", "demo")], as_of=pd.Timestamp("2024-06-30"))
    assert openpyxl.load_workbook(io.BytesIO(data))["demo"]["A2"].value == "u\ufffdx"


# --- CSV for Norwegian Excel -------------------------------------------------------------------


def test_excel_nb_is_semicolons_a_bom_crlf_and_decimal_commas(tmp_path):
    out = tmp_path / "coc.csv"
    ok("find", "continuity-of-care", OSLO, "--csv-dialect", "excel-nb", "--out", out)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfuser_id;contacts;providers;upc;coc;secon;hhi\r\n")
    lines = data[3:].split(b"\r\n")
    assert lines[-1] == b"" and not any(b"\n" in line for line in lines)   # every line ends in CRLF
    expected = (OSLO / "expected" / "continuity_of_care.csv").read_text(encoding="utf-8").splitlines()
    # u01: upc 0.5, coc 0.2667 in the contract's CSV; the same numbers with a decimal comma.
    assert expected[1] == "u01,6,3,0.5,0.2667,0.2,0.3889"
    assert lines[1] == b"u01;6;3;0,5;0,2667;0,2;0,3889"
    assert [line.decode().replace(",", ".").replace(";", ",") for line in lines[1:-1]] == expected[1:]


def test_excel_nb_on_standard_output_is_the_same_bytes(tmp_path):
    ok("find", "continuity-of-care", OSLO, "--csv-dialect", "excel-nb", "--out", tmp_path / "coc.csv")
    printed = ok("find", "continuity-of-care", OSLO, "--csv-dialect", "excel-nb")  # implies --format csv
    assert printed.stdout_bytes == (tmp_path / "coc.csv").read_bytes()


def test_the_standard_dialect_is_today_s_csv_byte_for_byte():
    expected = (OSLO / "expected" / "continuity_of_care.csv").read_bytes()
    for args in ((), ("--csv-dialect", "standard")):
        printed = ok("find", "continuity-of-care", OSLO, "--format", "csv", *args).stdout_bytes
        assert printed == expected
        assert b"\r" not in printed and not printed.startswith(b"\xef\xbb\xbf")


def test_a_csv_dialect_needs_csv():
    result = invoke("find", "parallel-plans", OSLO, "--format", "table", "--csv-dialect", "excel-nb")
    assert result.exit_code == 2
    assert "--csv-dialect applies to csv output, not to table" in result.stderr
    result = invoke("find", "parallel-plans", OSLO, "--csv-dialect", "excel")
    assert result.exit_code == 2 and "--csv-dialect: excel is not one of: standard, excel-nb" in result.stderr


# --- a narrow terminal ----------------------------------------------------------------------------


def test_at_80_columns_rows_become_records_with_every_id_and_date_whole():
    result = ok("find", "parallel-plans", OSLO, env={"COLUMNS": "80"})
    lines = result.stdout.splitlines()
    assert lines[0] == "parallel_plans — 26 rows"
    assert lines[1].startswith("(one block per row: the table is") and lines[1].endswith("the terminal 80)")
    assert all(len(line) <= 80 for line in lines)
    assert "…" not in result.stdout
    blocks = result.stdout.split("\n\n")[1:]
    expected = csv_rows((OSLO / "expected" / "parallel_plans.csv").read_text(encoding="utf-8"))
    assert len(blocks) == len(expected) == 26
    for block, want in zip(blocks, expected):
        fields = dict(re.match(r"(\w+):\s*(.*)$", line).groups() for line in block.strip("\n").splitlines())
        assert fields == want                                       # each id and date exactly, none cut


def test_a_table_that_fits_stays_a_table_with_whole_cells():
    result = ok("find", "caseworker-turnover", OSLO, env={"COLUMNS": "80"})
    assert "┃ user_id" in result.stdout and all(len(line) <= 80 for line in result.stdout.splitlines())
    for row in csv_rows((OSLO / "expected" / "caseworker_turnover.csv").read_text(encoding="utf-8")):
        line = next(line for line in result.stdout.splitlines() if f"│ {row['user_id']} " in line)
        assert [cell.strip() for cell in line.strip("│").split("│")] == list(row.values())
    wide = ok("find", "parallel-plans", OSLO, env={"COLUMNS": "160"}).stdout
    assert "┃ user_id" in wide and "one block per row" not in wide


def test_help_tells_how_the_output_is_chosen():
    text = " ".join(ok("find", "parallel-plans", "--help").stdout.split())
    assert "xlsx" in text and "excel-nb" in text and "one block per row" in text
