"""The bad-input corpus through the CLI: exit 2, a precise message, no traceback, no personal text.

Each kind of :mod:`tests.badinput.corpus` breaks one thing in a valid dataset and is run
through ``validate``, ``find`` and ``report`` in-process (typer's CliRunner), and a few
through a real process, as a user's shell runs them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from handover.cli import app
from tests.badinput.corpus import BROKEN, KINDS, VALID, Kind, text_values, write_base

runner = CliRunner()
TEXT_VALUES = text_values()
COMMANDS = {
    "validate": lambda data, out: ["validate", str(data)],
    "find": lambda data, out: ["find", "parallel-plans", str(data), "--format", "csv"],
    "report": lambda data, out: ["report", str(data), "--out", str(out)],
}


def build(kind: Kind, tmp_path: Path) -> Path:
    folder = write_base(tmp_path / "data")
    kind.breakage(folder)
    return folder


def assert_clean_refusal(stderr: str, stdout: str, kind: Kind) -> None:
    assert stderr.startswith("error: "), stderr[:500]
    for fragment in kind.fragments():
        assert fragment in stderr, (fragment, stderr[:2000])
    assert "Traceback" not in stderr + stdout
    assert "unexpected failure" not in stderr
    assert len(stderr) < 5000  # a huge value never floods the terminal
    leaked = [value for value in TEXT_VALUES | set(kind.hidden) if value in stderr]
    assert not leaked, f"free text in the message: {leaked}"


def test_the_corpus_is_broad():
    assert len(BROKEN) >= 30 and len(VALID) >= 5
    assert len({k.name for k in KINDS}) == len(KINDS)


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("kind", BROKEN, ids=[k.name for k in BROKEN])
def test_broken_input_is_refused_with_a_precise_message(tmp_path, kind, command):
    folder = build(kind, tmp_path)
    out = tmp_path / "report"
    result = runner.invoke(app, COMMANDS[command](folder, out) + list(kind.options))
    assert result.exit_code == 2, (result.exit_code, result.stderr[:2000], result.exception)
    assert result.stdout == ""
    assert_clean_refusal(result.stderr, result.stdout, kind)
    assert not out.exists()  # nothing half-written


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("kind", VALID, ids=[k.name for k in VALID])
def test_odd_but_valid_input_is_accepted(tmp_path, kind, command):
    folder = build(kind, tmp_path)
    out = tmp_path / "report"
    result = runner.invoke(app, COMMANDS[command](folder, out) + list(kind.options))
    assert result.exit_code == 0, (result.stderr[:2000], result.exception)
    if command == "find":
        assert result.stdout.splitlines()[1].startswith("u3,p10,a2,treatment_plan,p9,a1,individual_plan")
    if command == "report":
        assert (out / "index.html").is_file()


def test_the_injection_payload_is_kept_as_data(tmp_path):
    from handover.io import read_dataset
    from tests.badinput.corpus import injection

    folder = write_base(tmp_path / "data")
    injection(folder)
    names = read_dataset(folder)["agencies"]["name"].tolist()
    assert names[0] == '=HYPERLINK("http://x","click")'


def test_messages_name_every_problem_of_a_file_at_once(tmp_path):
    folder = write_base(tmp_path / "data")
    for kind in [k for k in BROKEN if k.name in ("agency kind", "Norwegian date", "unknown staff_id")]:
        kind.breakage(folder)
    result = runner.invoke(app, ["validate", str(folder)])
    assert result.exit_code == 2
    assert "3 problems in the dataset" in result.stderr


# --- as a real process ---------------------------------------------------------------------

SUBPROCESS_KINDS = ["semicolon-separated", "cp1252 file read as UTF-8", "truncated mid-quoted-field",
                    "binary garbage", "UTF-16 file", "gzip file renamed .csv"]
CONSOLE_SCRIPT = Path(sys.executable).with_name("handover")


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "HANDOVER_DEBUG"}
    return subprocess.run([sys.executable, "-m", "handover.cli", *args], capture_output=True,
                          text=True, timeout=120, env=env)


@pytest.mark.parametrize("name", SUBPROCESS_KINDS)
def test_a_real_process_exits_2_with_the_message(tmp_path, name):
    kind = next(k for k in KINDS if k.name == name)
    folder = build(kind, tmp_path)
    done = run_cli("validate", str(folder), *kind.options)
    assert done.returncode == 2, done.stderr
    assert_clean_refusal(done.stderr, done.stdout, kind)


def test_the_hints_work_end_to_end(tmp_path):
    """The separator and encoding the hints name make the same files read."""
    semicolon = next(k for k in KINDS if k.name == "semicolon-separated")
    folder = build(semicolon, tmp_path / "a")
    assert run_cli("validate", str(folder)).returncode == 2
    done = run_cli("validate", str(folder), "--sep", ";")
    assert done.returncode == 0, done.stderr
    cp1252 = next(k for k in KINDS if k.name == "cp1252 with --encoding cp1252")
    folder = build(cp1252, tmp_path / "b")
    refused = run_cli("validate", str(folder))
    assert refused.returncode == 2 and "--encoding cp1252" in refused.stderr
    done = run_cli("find", "parallel-plans", str(folder), "--encoding", "cp1252", "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1].startswith("u3,p10")


def test_the_console_script_refuses_a_truncated_file(tmp_path):
    assert CONSOLE_SCRIPT.exists(), f"the handover console script is not installed beside {sys.executable}"
    kind = next(k for k in KINDS if k.name == "truncated mid-row")
    folder = build(kind, tmp_path)
    done = subprocess.run([str(CONSOLE_SCRIPT), "find", "parallel-plans", str(folder)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert_clean_refusal(done.stderr, done.stdout, kind)
