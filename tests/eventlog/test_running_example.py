"""The textbook running example, imported from every format: the same responsibilities each time.

The log (re-typed in ``tests/eventlog/logs.py``): 6 cases, 42 events, 6 resources. Four
times a resource does two events in a row (case 2: Mike registers and checks; case 3:
Sara decides and reinitiates; case 5: Sara twice), so there are 42 - 4 = 38 runs.
"""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from handover.cli import app
from handover.io import read_dataset
from tests.eventlog.logs import (
    RUNNING_EXAMPLE, simple_runs, write_csv, write_ocel, write_parquet, write_xes,
)

runner = CliRunner()

WRITERS = {
    "log.xes": write_xes,
    "log.xes.gz": write_xes,
    "log.csv": write_csv,
    "log.parquet": write_parquet,
    "log.jsonocel": write_ocel,
}


def imported(tmp_path, name: str, events=RUNNING_EXAMPLE, *options: str):
    log = WRITERS[name](tmp_path / name, events)
    extra = ("--object-type", "request") if name.endswith("jsonocel") else ()
    out = tmp_path / f"out-{name}"
    result = runner.invoke(app, ["import", "event-log", str(log), str(out), *extra, *options])
    assert result.exit_code == 0, result.output
    return out, result


@pytest.mark.parametrize("name", WRITERS)
def test_every_format_gives_the_same_dataset(tmp_path, name):
    out, result = imported(tmp_path, name)
    assert "42 events, 0 skipped without a resource; 6 users, 6 staff, 1 agencies, 38 responsibilities" \
        in " ".join(result.output.split())
    dataset = read_dataset(out)  # a valid contract dataset: every check passes
    assert sorted(dataset.tables) == ["agencies", "responsibilities", "staff", "users"]
    users, staff, rows = simple_runs(RUNNING_EXAMPLE)
    assert dataset["users"]["user_id"].tolist() == users == ["1", "2", "3", "4", "5", "6"]
    assert dataset["staff"]["staff_id"].tolist() == staff == ["Pete", "Sue", "Mike", "Sara", "Sean", "Ellen"]
    got = dataset["responsibilities"]
    assert list(zip(got["user_id"], got["staff_id"], got["agency_id"], got["role"],
                    got["start"].dt.strftime("%Y-%m-%d"), got["end"].dt.strftime("%Y-%m-%d"))) == rows
    assert len(rows) == 38


def test_case_1_worked_by_hand(tmp_path):
    # Pete registers on 30 Dec, Sue examines on 31 Dec, Mike checks on 5 Jan, Sara decides on
    # 6 Jan and Pete rejects on 7 Jan: five runs, the last ending the day after 7 Jan.
    out, _ = imported(tmp_path, "log.xes")
    frame = pd.read_csv(out / "responsibilities.csv", dtype=str, keep_default_na=False)
    case = frame[frame["user_id"] == "1"]
    assert case[["staff_id", "start", "end"]].values.tolist() == [
        ["Pete", "2010-12-30", "2010-12-31"],
        ["Sue", "2010-12-31", "2011-01-05"],
        ["Mike", "2011-01-05", "2011-01-06"],
        ["Sara", "2011-01-06", "2011-01-07"],
        ["Pete", "2011-01-07", "2011-01-08"],
    ]


def test_one_resource_twice_in_a_row_is_one_responsibility(tmp_path):
    # Case 2: Mike registers (11:32) and checks the ticket (12:12), then Sean examines at
    # 14:16 on the same day: Mike's run is one responsibility, empty (it ends on its start day).
    out, _ = imported(tmp_path, "log.csv")
    frame = pd.read_csv(out / "responsibilities.csv", dtype=str, keep_default_na=False)
    case = frame[frame["user_id"] == "2"]
    assert case[["staff_id", "start", "end"]].values.tolist() == [
        ["Mike", "2010-12-30", "2010-12-30"],
        ["Sean", "2010-12-30", "2011-01-05"],
        ["Sara", "2011-01-05", "2011-01-08"],
        ["Ellen", "2011-01-08", "2011-01-09"],
    ]


def test_the_report_counts_what_was_read_and_made(tmp_path):
    out, _ = imported(tmp_path, "log.xes", RUNNING_EXAMPLE, "--role", "coordinator", "--agency-id", "nav-1",
                      "--agency-kind", "nav_office")
    report = (out / "import-report.md").read_text(encoding="utf-8")
    for line in ("| events read | 42 |", "| events skipped: no resource | 0 |", "| cases (users) | 6 |",
                 "| resources (staff) | 6 |", "| responsibilities made (runs) | 38 |", "| agencies | 1 |",
                 "| `YYYY-MM-DDThh:mm:ss.fff+hh:mm` | 42 |", "| nav-1 | 38 |", "Role of every responsibility: "
                 "`coordinator`", "an event log (XES)"):
        assert line in report
    agencies = pd.read_csv(out / "agencies.csv", dtype=str)
    assert agencies[["agency_id", "name", "kind", "level"]].values.tolist() == [
        ["nav-1", "nav-1", "nav_office", "municipal"]]
    assert set(pd.read_csv(out / "responsibilities.csv")["role"]) == {"coordinator"}


def test_parquet_tables_when_asked(tmp_path):
    out, _ = imported(tmp_path, "log.xes", RUNNING_EXAMPLE, "--format", "parquet")
    assert sorted(p.name for p in out.iterdir()) == [
        "agencies.parquet", "import-report.md", "responsibilities.parquet", "staff.parquet", "users.parquet"]
    assert len(read_dataset(out)["responsibilities"]) == 38
