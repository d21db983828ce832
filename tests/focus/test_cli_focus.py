"""``--agency`` on the command line: every command that reads data has it, and it focuses alike."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from handover.cli import app
from handover.io import read_dataset
from tests.datasets import FIXTURES

runner = CliRunner()
TINY = FIXTURES / "tiny"
TRONDHEIM = FIXTURES / "trondheim-purchaser-provider"


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def _expected(fixture: Path, name: str, users: set[str]) -> list[str]:
    lines = (fixture / "expected" / f"{name}.csv").read_text(encoding="utf-8").strip("\n").splitlines()
    return [lines[0]] + [line for line in lines[1:] if line.split(",")[0] in users]


def _commands(group, prefix=()):
    for name, command in getattr(group, "commands", {}).items():
        if hasattr(command, "commands"):
            yield from _commands(command, prefix + (name,))
        else:
            yield prefix + (name,), command


COMMANDS = dict(_commands(typer.main.get_command(app)))
READING = {path: command for path, command in COMMANDS.items()
           if any("--mapping" in p.opts for p in command.params)}


def test_every_command_that_reads_data_takes_agency_but_validate_and_pseudonymize():
    """``import fhir`` has a mapping of its own but reads no dataset: its import is whole, and
    the focus applies when the dataset it writes is read. ``import event-log``'s ``--agency``
    is another option: the log's agency column."""
    with_agency = {" ".join(path) for path, command in READING.items()
                   if any("--agency" in p.opts for p in command.params)}
    assert {" ".join(path) for path in READING} - with_agency == {"validate", "pseudonymize", "import fhir"}
    assert {"find parallel-plans", "report", "audit", "user", "load", "import tables",
            "network", "metrics", "caseload"} <= with_agency
    # import event-log's --agency names the log's agency column (the issue's own spelling)
    assert not any("--agency" in p.opts for path, command in COMMANDS.items()
                   if path not in READING and path != ("import", "event-log") for p in command.params)


def test_the_help_explains_agency_in_a_sentence():
    said = " ".join(invoke("find", "parallel-plans", "--help").output.replace("│", " ").split())
    assert "--agency" in said and "Focus on the users of this agency" in said
    assert "Repeat the option for several" in said


def test_find_parallel_plans_on_the_mental_health_services_users():
    """tests/focus/test_focus.py derives the 15 a-mh users of fixtures/tiny; their parallel plans
    are u20's, u24's and u25's three (u23's NAV-TSB pair goes: u23 is no a-mh user)."""
    result = invoke("find", "parallel-plans", TINY, "--agency", "a-mh", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "user_id,plan_a_id,agency_a_id,kind_a,plan_b_id,agency_b_id,kind_b,overlap_start,overlap_end,overlap_days",
        "u20,p02,a-tsb,treatment_plan,p03,a-mh,crisis_plan,2024-08-31,2024-09-01,1",
        "u24,p10,a-mh,individual_plan,p9,a-tsb,treatment_plan,2024-05-01,2024-07-01,61",
        "u25,p12,a-nav,individual_plan,p13,a-tsb,treatment_plan,2024-02-01,2024-05-02,91",
        "u25,p12,a-nav,individual_plan,p14,a-mh,crisis_plan,2024-03-15,2024-09-01,170",
        "u25,p13,a-tsb,treatment_plan,p14,a-mh,crisis_plan,2024-03-15,2024-05-02,48",
    ]


def test_two_agencies_are_their_users_together():
    """a-dps users: u03, u09, u29, u38; their handovers without coordinator: u03's (DPS to NAV) and
    u09's (TSB to DPS). With a-mh's six (u01, u05, u10 twice, u12 twice) that is 8 of the 9: only
    u07's TSB-to-NAV handover is neither's."""
    result = invoke("find", "handover-without-coordinator", TINY, "--agency", "a-mh", "--agency", "a-dps",
                    "--format", "csv")
    assert result.exit_code == 0, result.output
    users = [line.split(",")[0] for line in result.stdout.splitlines()[1:]]
    assert users == ["u01", "u03", "u05", "u09", "u10", "u10", "u12", "u12"]


def test_trondheim_handovers_of_the_provider_units_users():
    users = {"u01", "u02", "u04", "u05", "u07", "u08", "u09", "u10", "u12", "u15", "u16"}  # by hand
    result = invoke("find", "handover-without-coordinator", TRONDHEIM, "--agency", "rus-tr", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == _expected(TRONDHEIM, "handover_without_coordinator", users)
    assert [line.split(",")[0] for line in result.stdout.splitlines()[1:]] == ["u05", "u07", "u12"]


@pytest.mark.parametrize("command", [
    ("find", "parallel-plans", TINY),
    ("network", "handover-flows", TINY),
    ("report", TINY, "--out", "PAGE"),
    ("user", "u01", TINY, "--out", "PAGE"),
])
def test_an_unknown_agency_exits_2_naming_it(command, tmp_path):
    args = [tmp_path / "page.html" if part == "PAGE" else part for part in command]
    result = invoke(*args, "--agency", "a-mh", "--agency", "ag999")
    assert result.exit_code == 2
    assert "--agency: ag999 is not an agency in agencies (known: a-dps, a-mh, a-nav, a-tsb)" in result.output
    assert "Traceback" not in result.output


def test_validate_refuses_agency_as_an_unknown_option():
    result = invoke("validate", TINY, "--agency", "a-mh")
    assert result.exit_code == 2 and "No such option: --agency" in result.output


def test_the_user_page_of_someone_elses_user_says_the_focus(tmp_path):
    result = invoke("user", "u03", TINY, "--out", tmp_path / "u03.html", "--agency", "a-mh")
    assert result.exit_code == 2
    assert "user u03 is not in the dataset's users of a-mh (--agency) (15 users" in result.output
    shown = invoke("user", "u12", TINY, "--out", tmp_path / "u12.html", "--agency", "a-mh")
    assert shown.exit_code == 0, shown.output


def test_the_shared_users_network_counts_only_the_focused_users():
    """Worked out by hand on fixtures/tiny, focused on a-mh (a user counts for a pair of agencies
    with a row active at both in the period; an empty interval never is).

    - a-mh with a-nav or a-tsb: whoever has a row at a-mh is an a-mh user, so the whole
      dataset's counts stay: 7 and 11.
    - a-nav with a-tsb: of the 15 a-mh users, u05 (NAV caseworker, TSB stay e10), u12 (e25,
      e27), u20 (p01, p02), u25 (p12, p13) and u35 (NAV coordinator, TSB stay e40): 5 of the
      whole dataset's 20. u10's TSB episode e21 is empty and does not count.
    - a-dps: none of the a-mh users has a row there, so its pairs go.
    """
    result = invoke("network", "shared-users", TINY, "--agency", "a-mh", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["source,target,count,weight", "a-mh,a-nav,7,7", "a-mh,a-tsb,11,11",
                                          "a-nav,a-tsb,5,5"]


def test_import_tables_writes_the_focused_users_and_says_so(tmp_path):
    out = tmp_path / "mh"
    result = invoke("import", "tables", TINY, out, "--agency", "a-mh")
    assert result.exit_code == 0, result.output
    written = read_dataset(out)
    assert sorted(written["users"]["user_id"]) == ["u01", "u02", "u05", "u10", "u12", "u13", "u20", "u21",
                                                   "u24", "u25", "u27", "u32", "u35", "u39", "u51"]
    assert len(written["agencies"]) == 4 and "users 15" in result.stdout
    report = (out / "import-report.md").read_text(encoding="utf-8")
    assert "- Focused on agency `a-mh`: 15 of 53 users" in report
    assert "`--as-of 2025-09-30`" in report
