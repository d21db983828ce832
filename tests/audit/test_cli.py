"""``handover audit`` end to end, as a quality adviser runs it."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from handover.cli import app

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
OSLO = FIXTURES / "oslo-nav-district"
TINY = FIXTURES / "tiny"
FILES = ["audit.html", "discharges.csv", "discharges.xlsx", "summary_by_agency.csv",
         "summary_by_month.csv", "summary_overall.csv"]

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def read_csv(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


@pytest.fixture(scope="module")
def oslo_audit(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("audit")
    result = invoke("audit", OSLO, "--out", out)
    assert result.exit_code == 0, result.output
    assert "audit written" in result.stdout and "suppression on" in result.stdout
    return out


def test_audit_writes_every_file(oslo_audit):
    """And the mark that the folder is an audit handover wrote whole (so a later audit may replace it)."""
    assert sorted(p.name for p in oslo_audit.iterdir()) == sorted(FILES + [".handover-output"])
    assert (oslo_audit / ".handover-output").read_text(encoding="utf-8") == "audit\n"


def test_worklist_has_the_rows_of_find_discharge_follow_up(oslo_audit):
    found = invoke("find", "discharge-follow-up", OSLO, "--format", "csv")
    assert found.exit_code == 0, found.output
    expected = list(csv.DictReader(io.StringIO(found.stdout)))
    worklist = read_csv(oslo_audit / "discharges.csv")
    assert len(worklist) == len(expected) == 17
    assert [{k: v for k, v in row.items() if k != "agency_name"} for row in worklist] == expected
    names = {row["agency_id"]: row["agency_name"] for row in worklist}
    assert names["tyrili"] == "Tyrilistiftelsen"


def test_workbook_opens_with_the_worklist_and_the_summaries(oslo_audit):
    book = openpyxl.load_workbook(oslo_audit / "discharges.xlsx")
    assert book.sheetnames == ["Discharges", "By agency", "By month", "Overall", "About"]
    sheet = book["Discharges"]
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["user_id", "episode_id", "agency_id", "agency_name"]
    assert sheet.max_row == 18 and sheet.freeze_panes == "A2"
    date = sheet.cell(row=2, column=header.index("discharge_date") + 1)
    assert date.is_date and date.value.strftime("%Y-%m-%d") == "2023-04-20"   # a real Excel date
    assert sheet.cell(row=2, column=header.index("follow_up_7d") + 1).value is True
    assert sheet.column_dimensions["D"].width > 30                               # agency names fit
    agencies = book["By agency"]
    assert agencies.freeze_panes == "A2"
    rows = {r[0]: r for r in agencies.iter_rows(min_row=2, values_only=True)}
    assert rows["tsb-ous"][2] == 13 and rows["tsb-ous"][4] == 38.5 and rows["dps-lov"][2] == "<5"
    assert "suppression is on" in " ".join(str(c.value) for c in book["About"]["A"])


def test_no_suppress_shows_small_counts_and_says_so(tmp_path):
    result = invoke("audit", OSLO, "--out", tmp_path, "--no-suppress")
    assert result.exit_code == 0, result.output
    agencies = {row["agency_id"]: row for row in read_csv(tmp_path / "summary_by_agency.csv")}
    assert agencies["dps-lov"]["discharges"] == "2" and agencies["dps-lov"]["share_readmitted"] == "50.0"
    page = (tmp_path / "audit.html").read_text(encoding="utf-8")
    assert "suppression is OFF" in page and "do not share" in page


def test_since_and_until_select_discharges(tmp_path):
    result = invoke("audit", OSLO, "--out", tmp_path, "--since", "2024-01-01", "--until", "2024-06-30")
    assert result.exit_code == 0, result.output
    dates = [row["discharge_date"] for row in read_csv(tmp_path / "discharges.csv")]
    assert dates and all("2024-01-01" <= d <= "2024-06-30" for d in dates)
    assert "discharges 2024-01-01 to 2024-06-30" in (tmp_path / "audit.html").read_text(encoding="utf-8")


def test_follow_up_by_and_max_days_pass_through(tmp_path):
    result = invoke("audit", OSLO, "--out", tmp_path, "--follow-up-by", "any", "--max-days", "14",
                    "--no-suppress")
    assert result.exit_code == 0, result.output
    days = [int(r["days_to_follow_up"]) for r in read_csv(tmp_path / "discharges.csv") if r["days_to_follow_up"]]
    assert days and max(days) <= 14
    assert "any agency, the discharging one included" in (tmp_path / "audit.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("args, message", [
    (["--follow-up-by", "nobody"], "--follow-up-by: nobody is not one of"),
    (["--since", "2024-13-01"], "--since"),
    (["--max-days", "-1"], "--max-days: -1 must not be negative"),
])
def test_bad_options_exit_2_with_a_message(tmp_path, args, message):
    result = invoke("audit", OSLO, "--out", tmp_path / "out", *args)
    assert result.exit_code == 2
    assert "error:" in result.stderr and message in result.stderr
    assert not (tmp_path / "out" / "audit.html").exists()


def test_a_dataset_without_episodes_is_refused(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    (data / "episodes.csv").unlink()
    result = invoke("audit", data, "--out", tmp_path / "out")
    assert result.exit_code == 2 and "episodes.csv" in result.stderr


def test_spreadsheet_formulas_from_agency_systems_are_neutralised(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    for path in data.glob("*.csv"):           # an agency id that starts with '-' everywhere it appears
        path.write_text(path.read_text(encoding="utf-8").replace("a-dps", "-dps"), encoding="utf-8")
    agencies = data / "agencies.csv"
    agencies.write_text(agencies.read_text(encoding="utf-8").replace(
        "Testby DPS", '"=1+2 <b>DPS</b>"'), encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("audit", data, "--out", out)
    assert result.exit_code == 0, result.output
    dps = [row for row in read_csv(out / "discharges.csv") if row["agency_id"] == "'-dps"]
    assert dps and all(row["agency_name"] == "'=1+2 <b>DPS</b>" for row in dps)
    assert "'-dps" in (out / "summary_by_agency.csv").read_text(encoding="utf-8")
    book = openpyxl.load_workbook(out / "discharges.xlsx")
    cells = [c for row in book["Discharges"].iter_rows(min_row=2) for c in row if c.value == "'=1+2 <b>DPS</b>"]
    assert cells and all(c.data_type == "s" for c in cells)
    assert not any(c.data_type == "f" for sheet in book for row in sheet.iter_rows() for c in row)
    page = (out / "audit.html").read_text(encoding="utf-8")
    assert "<b>DPS</b>" not in page and "=1+2 &lt;b&gt;DPS&lt;/b&gt;" in page


def test_page_is_self_contained(oslo_audit):
    page = (oslo_audit / "audit.html").read_text(encoding="utf-8")
    assert "<script" not in page and "http://" not in page and "https://" not in page
    assert "@import" not in page and "url(" not in page
    assert "Small-cell suppression is on" in page
    assert "discharge day itself never counts" in page and "HEDIS" in page
    assert page.count("<svg") == 3


def test_audit_has_help_text():
    result = invoke("audit", "--help")
    assert result.exit_code == 0
    assert "--no-suppress" in result.output and "quality advisers" in result.output


def test_page_warns_about_discharges_whose_window_runs_past_the_data(tmp_path):
    # u18's discharge on 2024-08-02 is 18 days before as_of: follow-up may still come.
    result = invoke("audit", OSLO, "--out", tmp_path, "--as-of", "2024-08-20")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "audit.html").read_text(encoding="utf-8")
    assert "&lt;5 discharges came less than 30 days before 2024-08-20" in page
