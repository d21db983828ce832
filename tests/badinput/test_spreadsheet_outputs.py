"""Spreadsheet safety: formulas from agency systems are defused where a spreadsheet opens the file.

A payload such as ``=HYPERLINK("http://x","click")`` in an agency name is data and is
read as such; in the outputs meant for Excel (report CSVs, audit CSV and workbook,
metrics and caseload CSVs) it gets a leading ``'``. The script-facing outputs
(``find --format csv``, ``network --format csv``) keep the exact values, and numbers are
never touched.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from handover.cli import app
from handover.privacy.spreadsheet import FORMULA_STARTS, neutralise_formula, neutralise_frame
from tests.badinput.corpus import write_base

runner = CliRunner()
PAYLOAD = '=HYPERLINK("http://x","click")'


def invoke(*args) -> str:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, (result.stderr, result.exception)
    return result.stdout


def rows(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


@pytest.fixture
def hostile(tmp_path) -> Path:
    """The base with a formula as an agency name, ids starting with - and =, a + in a profession."""
    folder = write_base(tmp_path / "data")
    for path in folder.glob("*.csv"):
        text = path.read_text(encoding="utf-8").replace("a2,", "-a2,").replace(",a2\n", ",-a2\n")
        path.write_text(text.replace("p9,", "=p9,"), encoding="utf-8")
    agencies = folder / "agencies.csv"
    agencies.write_text(agencies.read_text(encoding="utf-8").replace(
        "TSB Helseforetak", '"' + PAYLOAD.replace('"', '""') + '"'), encoding="utf-8")
    staff = folder / "staff.csv"
    staff.write_text(staff.read_text(encoding="utf-8").replace("social worker", "+47 sosionom"),
                     encoding="utf-8")
    return folder


# --- the functions --------------------------------------------------------------------------


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_every_formula_start_is_defused(start):
    assert neutralise_formula(start + "1+1") == "'" + start + "1+1"


@pytest.mark.parametrize("value", ["u1", "NAV Sentrum", "", "a=b", " =x", -1, -2.5, 0, None, True,
                                   pd.Timestamp("2024-01-01")])
def test_other_values_pass_through(value):
    assert neutralise_formula(value) is value or neutralise_formula(value) == value


def test_frames_keep_numbers_and_are_copied():
    frame = pd.DataFrame({"name": [PAYLOAD, "-x", None], "gap": [-3, 4, 5],
                          "share": [-0.5, 1.0, None], "ok": [True, False, True]})
    out = neutralise_frame(frame)
    assert out["name"].tolist() == ["'" + PAYLOAD, "'-x", None]
    assert out["gap"].tolist() == [-3, 4, 5] and out["gap"].dtype == frame["gap"].dtype
    assert out["share"].iloc[0] == -0.5 and out["ok"].tolist() == [True, False, True]
    assert frame["name"].iloc[0] == PAYLOAD  # the input is untouched


def test_text_frames_neutralise_only_the_named_columns():
    text = pd.DataFrame({"user_id": ["-u1"], "gap_days": ["-3"]})
    assert neutralise_frame(text, columns=["user_id", "absent"]).iloc[0].tolist() == ["'-u1", "-3"]


# --- the outputs ----------------------------------------------------------------------------


def test_the_payload_is_read_as_data(hostile):
    from handover.io import read_dataset

    assert PAYLOAD in read_dataset(hostile)["agencies"]["name"].tolist()


def test_report_csvs_are_defused_but_find_csv_is_exact(hostile, tmp_path):
    invoke("report", hostile, "--out", tmp_path / "report")
    [pair] = rows(tmp_path / "report" / "parallel_plans.csv")
    assert pair["plan_a_id"] == "'=p9" and pair["agency_b_id"] == "'-a2" and pair["agency_a_id"] == "a1"
    assert pair["overlap_days"] == "31"
    exact = list(csv.DictReader(io.StringIO(invoke("find", "parallel-plans", hostile, "--format", "csv"))))
    assert exact[0]["plan_a_id"] == "=p9" and exact[0]["agency_b_id"] == "-a2"
    assert {k: v.lstrip("'") for k, v in pair.items()} == exact[0]


def test_audit_csv_and_workbook_are_defused(hostile, tmp_path):
    invoke("audit", hostile, "--out", tmp_path / "audit")
    [discharge] = rows(tmp_path / "audit" / "discharges.csv")
    assert discharge["agency_id"] == "'-a2" and discharge["agency_name"] == "'" + PAYLOAD
    book = openpyxl.load_workbook(tmp_path / "audit" / "discharges.xlsx")
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert any(c.value == "'" + PAYLOAD for c in cells)
    assert not any(c.data_type == "f" for c in cells)
    assert not any(isinstance(c.value, str) and c.value.startswith("=") for c in cells)


def test_metrics_and_caseload_csvs_are_defused(hostile, tmp_path):
    invoke("metrics", hostile, "--out", tmp_path / "metrics")
    names = {row["agency_id"]: row["name"] for row in rows(tmp_path / "metrics" / "agency_metrics.csv")}
    assert names == {"a1": "NAV Sentrum", "'-a2": "'" + PAYLOAD}
    invoke("caseload", hostile, "--out", tmp_path / "caseload")
    [staff] = rows(tmp_path / "caseload" / "caseload_staff.csv")
    assert staff["profession"] == "'+47 sosionom" and staff["users"] == "1"
    printed = invoke("caseload", hostile)
    assert "'+47 sosionom" in printed


def test_network_csv_is_for_scripts_and_exact(hostile):
    printed = invoke("network", "shared-users", hostile, "--format", "csv")
    assert printed.splitlines()[1] == "-a2,a1,2,2" or printed.splitlines()[1] == "a1,-a2,2,2"


def test_find_workbook_and_excel_csv_are_defused_but_standard_csv_is_exact(hostile, tmp_path):
    invoke("find", "parallel-plans", hostile, "--out", tmp_path / "pp.xlsx")
    book = openpyxl.load_workbook(tmp_path / "pp.xlsx")
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    header = [c.value for c in book["parallel_plans"][1]]
    row = {name: c.value for name, c in zip(header, book["parallel_plans"][2])}
    assert row["plan_a_id"] == "'=p9" and row["agency_b_id"] == "'-a2" and row["overlap_days"] == 31
    assert not any(c.data_type == "f" for c in cells)
    assert not any(isinstance(c.value, str) and c.value.startswith(FORMULA_STARTS) for c in cells)
    excel = invoke("find", "parallel-plans", hostile, "--csv-dialect", "excel-nb")
    [pair] = list(csv.DictReader(io.StringIO(excel.lstrip("\ufeff")), delimiter=";"))
    assert pair["plan_a_id"] == "'=p9" and pair["agency_b_id"] == "'-a2"
    exact = list(csv.DictReader(io.StringIO(invoke("find", "parallel-plans", hostile, "--format", "csv"))))
    assert exact[0]["plan_a_id"] == "=p9"
