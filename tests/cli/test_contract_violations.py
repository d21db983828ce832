"""Every contract rule of DESIGN §3, met through the CLI: exit 2, a precise message, no traceback.

Each case breaks one rule in an otherwise valid dataset and checks what the user
reads: the file, the line, the column, the value and the rule.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from handover.cli import app
from handover.examples import tiny_dataset
from tests.datasets import write_dataset

runner = CliRunner()


def replace_in(folder: Path, table: str, old: str, new: str) -> None:
    path = folder / f"{table}.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text, (table, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append_row(folder: Path, table: str, row: str) -> None:
    with open(folder / f"{table}.csv", "a", encoding="utf-8") as f:
        f.write(row + "\n")


# (what breaks, how to break it, fragments the message must contain)
CASES = [
    ("required table missing", lambda d: (d / "users.csv").unlink(),
     ["users.csv", "not found"]),
    ("required column missing", lambda d: replace_in(d, "agencies", "agency_id,name,kind", "agency_id,title,kind"),
     ["agencies.csv", "column name", "missing, but the column is required"]),
    ("required value empty", lambda d: replace_in(d, "responsibilities", "u2,st2,a1,caseworker,2024-02-01",
                                                  "u2,st2,a1,caseworker,"),
     ["responsibilities.csv line 3, column start", "empty, but the column is required"]),
    ("agency kind outside vocabulary", lambda d: replace_in(d, "agencies", "nav_office", "nav"),
     ["agencies.csv line 2, column kind: nav is not one of: nav_office, municipal_health"]),
    ("agency level outside vocabulary", lambda d: replace_in(d, "agencies", ",municipal,", ",kommunal,"),
     ["agencies.csv line 2, column level: kommunal is not one of: municipal, specialist, state, private"]),
    ("service kind outside vocabulary", lambda d: replace_in(d, "services", "inpatient", "døgn"),
     ["services.csv line 2, column kind: døgn is not one of: inpatient"]),
    ("role outside vocabulary", lambda d: replace_in(d, "responsibilities", "caseworker", "Caseworker"),
     ["responsibilities.csv line 2, column role: Caseworker is not one of: coordinator"]),
    ("plan kind outside vocabulary", lambda d: replace_in(d, "plans", "individual_plan", "ip"),
     ["plans.csv line 2, column kind: ip is not one of: individual_plan"]),
    ("discharge kind outside vocabulary", lambda d: replace_in(d, "episodes", "planned", "home"),
     ["episodes.csv line 2, column discharge_kind: home is not one of: planned, unplanned"]),
    ("contact kind outside vocabulary", lambda d: (d / "contacts.csv").write_text(
        "contact_id,user_id,agency_id,date,kind\nc1,u1,a1,2024-03-05,sms\n"),
     ["contacts.csv line 2, column kind: sms is not one of: visit"]),
    ("impossible date", lambda d: replace_in(d, "responsibilities", "2024-05-01,2024-08-01", "2024-05-01,2024-02-30"),
     ["responsibilities.csv line 4, column end: 2024-02-30 is not a date (YYYY-MM-DD)"]),
    ("Norwegian date format", lambda d: replace_in(d, "episodes", "2024-03-03", "03.03.2024"),
     ["episodes.csv line 3, column start: 03.03.2024 is not a date", "DD.MM.YYYY"]),
    ("end before start", lambda d: replace_in(d, "plans", "2024-06-01,2024-07-02", "2024-06-01,2024-05-31"),
     ["plans.csv line 3, column end: 2024-05-31", "start 2024-06-01"]),
    ("duplicate primary key", lambda d: append_row(d, "users", "u2,1970,"),
     ["users.csv line 5, column user_id: u2 is a duplicate user_id (first on line 3)"]),
    ("unknown agency_id", lambda d: replace_in(d, "plans", "p9,u3,a1", "p9,u3,a7"),
     ["plans.csv line 2, column agency_id: a7 is not a known agency_id"]),
    ("unknown user_id", lambda d: replace_in(d, "episodes", "e2,u1", "e2,u99"),
     ["episodes.csv line 3, column user_id: u99 is not a known user_id"]),
    ("unknown staff_id", lambda d: replace_in(d, "responsibilities", "u2,st3", "u2,st33"),
     ["responsibilities.csv line 4, column staff_id: st33 is not a known staff_id"]),
    ("unknown service_id", lambda d: replace_in(d, "episodes", "e1,u1,sv1", "e1,u1,sv8"),
     ["episodes.csv line 2, column service_id: sv8 is not a known service_id"]),
    ("semicolon file read with the default separator", lambda d: (d / "users.csv").write_text(
        "user_id;birth_year;municipality\nu1;1980;\nu2;1975;\nu3;1990;\n"),
     ["users.csv", "--sep ';'"]),
    ("cp1252 file read as UTF-8", lambda d: (d / "agencies.csv").write_bytes(
        "agency_id,name,kind,level\na1,NAV Grünerløkka,nav_office,municipal\na2,TSB,tsb,specialist\n".encode("cp1252")),
     ["agencies.csv", "--encoding cp1252"]),
]


@pytest.mark.parametrize("command", [["validate"], ["find", "parallel-plans"], ["report", "--out", "REPORT"]],
                         ids=["validate", "find", "report"])
@pytest.mark.parametrize("what, breakage, fragments", CASES, ids=[c[0] for c in CASES])
def test_broken_dataset_is_refused_clearly(tmp_path, command, what, breakage, fragments):
    folder = write_dataset(tiny_dataset(), tmp_path / "data")
    breakage(folder)
    args = [a.replace("REPORT", str(tmp_path / "report")) for a in command]
    result = runner.invoke(app, args[:2] + [str(folder)] + args[2:] if command[0] == "find"
                           else [args[0], str(folder)] + args[1:])
    assert result.exit_code == 2, result.output
    for fragment in fragments:
        assert fragment in result.stderr, (fragment, result.stderr)
    assert "Traceback" not in result.output
    assert not (tmp_path / "report").exists()  # nothing half-written


def test_all_problems_are_reported_at_once(tmp_path):
    folder = write_dataset(tiny_dataset(), tmp_path / "data")
    replace_in(folder, "agencies", "nav_office", "nav")
    replace_in(folder, "plans", "p9,u3,a1", "p9,u3,a7")
    append_row(folder, "users", "u2,1970,")
    result = runner.invoke(app, ["validate", str(folder)])
    assert result.exit_code == 2
    assert "3 problems in the dataset" in result.stderr
