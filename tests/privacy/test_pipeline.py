"""A whole working session on data keyed by national identity numbers: where may they appear?

With ``--allow-identifiers`` an analyst may process such data; the numbers then appear in
the results asked for (the rows of a finding, a network, a caseload) and nowhere else:
never in a progress line, a status line, an error message or a log record. Without the
option every analysing command refuses, and the refusal does not show them either.
"""

from __future__ import annotations

import logging
from pathlib import Path

from typer.testing import CliRunner

from handover.cli import app
from handover.findings import FINDINGS
from tests.badinput.corpus import write_base
from tests.privacy.synthetic import NUMBERS, impossible_numbers, leaked

runner = CliRunner()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def run(*args, results_on_stdout: bool):
    """Run a command; the numbers may be on stdout only when it prints results."""
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, (args, result.stderr, result.exception)
    assert not leaked(result.stderr), (args, result.stderr)
    if not results_on_stdout:
        assert not leaked(result.stdout), (args, result.stdout)
    return result


def test_numbers_appear_in_results_only(identified, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    before = snapshot(identified)
    out = tmp_path / "out"
    allow = "--allow-identifiers"

    run("validate", identified, allow, results_on_stdout=False)  # usable, as every command, when allowed
    printed = []
    for name, finding in FINDINGS.items():
        for fmt in ("table", "csv", "json"):
            printed.append(run("find", finding.cli_name, identified, "--format", fmt, allow,
                               results_on_stdout=True).stdout)
        run("find", finding.cli_name, identified, "--format", "csv", "--out", out / f"{name}.csv", allow,
            results_on_stdout=False)
    assert leaked("".join(printed)), "the results are about these users and must show their ids"
    run("report", identified, "--out", out / "report", allow, results_on_stdout=False)
    run("audit", identified, "--out", out / "audit", allow, results_on_stdout=False)
    for kind in ("handover-flows", "shared-users", "handover-of-work"):
        run("network", kind, identified, "--format", "csv", allow, results_on_stdout=True)
        run("network", kind, identified, "--format", "gexf", "--out", out / f"{kind}.gexf", allow,
            results_on_stdout=False)
    run("metrics", identified, "--out", out / "metrics", allow, results_on_stdout=False)
    run("caseload", identified, allow, results_on_stdout=True)
    run("caseload", identified, "--out", out / "caseload", allow, results_on_stdout=False)
    run("user", NUMBERS[1], identified, "--out", out / "user.html", allow, results_on_stdout=False)

    written = "".join(p.read_text(encoding="utf-8", errors="replace") for p in out.rglob("*")
                      if p.is_file() and p.suffix != ".xlsx")
    assert leaked(written)  # the result files are the results: they hold the ids
    assert not leaked("\n".join(r.getMessage() for r in caplog.records))
    assert snapshot(identified) == before  # no command touches the input


def test_generated_data_is_left_as_generated(tmp_path):
    first = run("generate", tmp_path / "one", "--users", "30", "--seed", "5", results_on_stdout=False)
    run("generate", tmp_path / "two", "--users", "30", "--seed", "5", results_on_stdout=False)
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")
    assert "30 users" in first.stdout
    # Pseudonymous ids only: the guard lets it through, the findings run.
    run("find", "parallel-plans", tmp_path / "one", "--format", "csv", results_on_stdout=True)


def test_refusals_do_not_show_the_numbers(identified, tmp_path):
    for args in (["find", "parallel-plans", identified], ["report", identified, "--out", tmp_path / "r"],
                 ["audit", identified, "--out", tmp_path / "a"], ["network", "shared-users", identified],
                 ["metrics", identified, "--out", tmp_path / "m"], ["caseload", identified]):
        result = runner.invoke(app, [str(a) for a in args])
        assert result.exit_code == 2 and "national identity numbers" in result.stderr
        assert not leaked(result.output)


def test_contract_errors_do_not_show_the_numbers(identified):
    episodes = identified / "episodes.csv"
    episodes.write_text(episodes.read_text(encoding="utf-8").replace("sv2", "sv9"), encoding="utf-8")
    with open(identified / "users.csv", "a", encoding="utf-8") as users:
        users.write(f"{NUMBERS[1]},1971,\n")
    result = runner.invoke(app, ["find", "parallel-plans", str(identified), "--allow-identifiers"])
    assert result.exit_code == 2
    assert "users.csv line 5, column user_id: a duplicate user_id" in result.stderr
    assert "episodes.csv line 3, column service_id: sv9 is not a known service_id" in result.stderr
    assert not leaked(result.output)


def test_a_user_not_found_shows_no_number_neither_of_the_dataset_nor_the_one_asked(identified, tmp_path):
    """``user`` used to give three users of the dataset as examples, and echo the id asked (issue 17 item 2)."""
    asked = impossible_numbers(4)[3]
    result = runner.invoke(app, ["user", asked, str(identified), "--allow-identifiers",
                                 "--out", str(tmp_path / "user.html")])
    assert result.exit_code == 2 and "is not in the dataset's users (3 users)" in result.stderr
    assert not leaked(result.output) and asked not in result.output and asked[:6] not in result.output


def test_a_user_not_found_is_shown_with_its_control_characters_escaped(tmp_path):
    folder = write_base(tmp_path / "data")
    result = runner.invoke(app, ["user", "u9\x1b[31m", str(folder), "--out", str(tmp_path / "user.html")])
    assert result.exit_code == 2 and "\x1b" not in result.output
    assert "user u9\\x1b[31m is not in the dataset's users (3 users, e.g. u1, u2, u3)" in result.stderr
