"""The command line as a user meets it: help, formats, exit codes, messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from handover.cli import app
from handover.examples import tiny_dataset
from tests.datasets import write_dataset

runner = CliRunner()
README = Path(__file__).resolve().parents[2] / "README.md"


def invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def tiny_dir(tmp_path: Path) -> Path:
    return write_dataset(tiny_dataset(), tmp_path / "tiny")


def _all_commands(typer_app, prefix=()):
    for info in typer_app.registered_commands:
        yield prefix + (info.name or info.callback.__name__.replace("_", "-"),)
    for group in typer_app.registered_groups:
        yield from _all_commands(group.typer_instance, prefix + (group.name,))


COMMANDS = list(_all_commands(app))


def _summary(command: tuple[str, ...]) -> str:
    """The first sentence of the command's own help text."""
    import typer.main

    found = typer.main.get_command(app)
    for word in command:
        found = found.commands[word]
    return found.help.split(". ")[0].split("\n")[0].strip()


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help(command):
    result = invoke(*command, "--help")
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    # A summary line, not just the usage: the command explains itself, in sentences.
    summary = _summary(command)
    assert len(summary) > 15 and summary.split()[0] in result.output
    assert " ".join(summary.split()[:4]) in " ".join(result.output.split())
    assert "<bool>" not in result.output  # flags take no value


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_is_in_the_readme(command):
    assert "handover " + " ".join(command) in README.read_text(encoding="utf-8")


def test_find_csv_prints_the_contract_columns(tiny_dir):
    result = invoke("find", "handover-without-coordinator", tiny_dir, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "user_id,from_episode_id,from_agency_id,to_episode_id,to_agency_id,handover_date,next_start_date,gap_days",
        "u1,e1,a2,e2,a1,2024-03-01,2024-03-03,2",
    ]


def test_find_json_has_typed_values(tiny_dir):
    result = invoke("find", "parallel-plans", tiny_dir, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows == [{
        "user_id": "u3", "plan_a_id": "p10", "agency_a_id": "a2", "kind_a": "treatment_plan",
        "plan_b_id": "p9", "agency_b_id": "a1", "kind_b": "individual_plan",
        "overlap_start": "2024-06-01", "overlap_end": "2024-07-02", "overlap_days": 31,
    }]


def test_find_table_is_readable(tiny_dir):
    result = invoke("find", "caseworker-turnover", tiny_dir)
    assert result.exit_code == 0, result.output
    assert "caseworker_turnover — 1 row" in result.stdout
    assert "u2" in result.stdout and "2024-02-01" in result.stdout


def test_find_options_change_the_answer(tiny_dir):
    default = invoke("find", "caseworker-turnover", tiny_dir, "--format", "csv")
    stricter = invoke("find", "caseworker-turnover", tiny_dir, "--format", "csv", "--min-changes", "4")
    assert len(default.stdout.splitlines()) == 2
    assert len(stricter.stdout.splitlines()) == 1  # the header alone


def test_as_of_changes_open_overlaps(tiny_dir, tmp_path):
    # p9 is open; move p10's end away so the overlap runs to as_of.
    plans = (tiny_dir / "plans.csv").read_text().replace("2024-07-02", "")
    (tiny_dir / "plans.csv").write_text(plans)
    result = invoke("find", "parallel-plans", tiny_dir, "--format", "csv", "--as-of", "2024-06-11")
    assert result.stdout.splitlines()[1].endswith("2024-06-01,,10")


def test_find_writes_out_file(tiny_dir, tmp_path):
    out = tmp_path / "deep" / "rows.csv"
    result = invoke("find", "parallel-plans", tiny_dir, "--format", "csv", "--out", out)
    assert result.exit_code == 0
    assert out.read_text().startswith("user_id,plan_a_id")
    assert not [p for p in out.parent.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("args, message", [
    (("--as-of", "31.12.2024"), "--as-of: 31.12.2024 is not a date (YYYY-MM-DD)"),
    (("--role", "boss"), "--role: boss is not one of: coordinator"),
    (("--window-days", "-1"), "--window-days: -1 must not be negative"),
    (("--since", "2024-05-01", "--until", "2024-04-01"), "--since 2024-05-01 is after --until 2024-04-01"),
])
def test_bad_options_exit_2_with_a_message(tiny_dir, args, message):
    result = invoke("find", "handover-without-coordinator", tiny_dir, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_missing_table_is_named(tiny_dir):
    (tiny_dir / "episodes.csv").unlink()
    result = invoke("find", "handover-without-coordinator", tiny_dir)
    assert result.exit_code == 2
    assert "needs episodes.csv" in result.stderr


def test_memory_engine_needs_a_folder():
    result = invoke("find", "parallel-plans")
    assert result.exit_code == 2
    assert "DATA_DIR is required with --engine memory" in result.stderr


def test_validate_accepts_a_valid_dataset(tiny_dir):
    result = invoke("validate", tiny_dir)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"{tiny_dir}: valid; every command can read it",
        "rows: agencies 2, services 2, staff 3, users 3, responsibilities 4, plans 2, episodes 2"]


def test_report_writes_csvs_and_an_offline_page(tiny_dir, tmp_path):
    out = tmp_path / "report"
    result = invoke("report", tiny_dir, "--out", out)
    assert result.exit_code == 0, result.output
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "Handovers without a coordinator" in page and 'href="findings/handover_without_coordinator.html"' in page
    rows = (out / "findings" / "handover_without_coordinator.html").read_text(encoding="utf-8")
    assert '<a href="../users/u1.html">u1</a>' in rows and (out / "users" / "u1.html").exists()
    # Opens offline: nothing is fetched from anywhere; the scripts are in the page.
    for page in [page, rows]:
        assert "http://" not in page and "https://" not in page and "<script src" not in page
    assert (out / "parallel_plans.csv").read_text().count("\n") == 2


@pytest.mark.parametrize("args", [
    ("find", "parallel-plans", "fixtures/tiny", "--as-of", "9999-12-31"),
    ("find", "parallel-plans", "fixtures/tiny", "--as-of", "1677-01-01"),
    ("report", "fixtures/tiny", "--out", "OUT", "--until", "2300-01-01"),
    ("report", "fixtures/tiny", "--out", "OUT", "--compare", "9999", "2024"),
    ("network", "handover-flows", "fixtures/tiny", "--between", "2024-01-01", "9999-01-01"),
])
def test_a_day_outside_what_handover_counts_with_is_refused_with_the_range(args, tmp_path):
    """Issue 17, item 5: --as-of 9999-12-31 failed with an AssertionError, and a report of it
    was half-written."""
    from handover.cli import app

    out = tmp_path / "report"
    result = CliRunner().invoke(app, [str(out) if a == "OUT" else a for a in args])
    assert result.exit_code == 2, result.output
    assert "is outside the days handover counts with, 1900-01-01 to 2199-12-31" in " ".join(result.output.split())
    assert not out.exists()
