"""An output the system refuses (issue 17 item 5) is exit 2 with the path and the reason, and
loses nothing: a full disk, a read-only file system, ``--out`` that is a file or lies under one.

The disks are real: a 1 MiB tmpfs, and one remounted read-only (the suite runs as root on
the project's machines; a mount that fails fails the test).
"""

from __future__ import annotations

import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from handover.cli import app
from tests.datasets import FIXTURES

runner = CliRunner()
TINY, OSLO = FIXTURES / "tiny", FIXTURES / "oslo-nav-district"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@contextmanager
def small_disk(folder: Path, size: str = "1m"):
    folder.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], check=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def _refusal(result, *fragments: str) -> str:
    message = " ".join(result.stderr.split())
    assert result.exit_code == 2, (result.exit_code, result.stderr, result.exception)
    assert message.startswith("error: --out ") and "unexpected failure" not in message
    for fragment in fragments:
        assert fragment in message, message
    return message


def test_a_full_disk_is_named_and_the_previous_report_kept(tmp_path):
    with small_disk(tmp_path / "full") as disk:
        out = disk / "rep"
        assert runner.invoke(app, ["report", str(TINY), "--out", str(out)]).exit_code == 0
        before = _files(out)
        result = runner.invoke(app, ["report", str(OSLO), "--out", str(out)])
        _refusal(result, str(out), "no space left on the device", "nothing was written")
        assert _files(out) == before
        assert [p.name for p in disk.iterdir()] == ["rep"]


def test_generate_on_a_full_disk_says_so_and_leaves_no_folder(tmp_path):
    with small_disk(tmp_path / "full") as disk:
        result = runner.invoke(app, ["generate", str(disk / "region"), "--users", "2000", "--seed", "1"])
        message = " ".join(result.stderr.split())
        assert result.exit_code == 2, (result.exit_code, result.stderr, result.exception)
        assert message.startswith(f"error: OUT_DIR {disk / 'region'}: cannot write the folder there "
                                  "(no space left on the device)"), message
        assert list(disk.iterdir()) == []  # the folder it made is gone again, no partial table left


@pytest.mark.parametrize("command", [
    lambda out, key: ["report", str(TINY), "--out", str(out / "rep")],
    lambda out, key: ["find", "parallel-plans", str(TINY), "--out", str(out / "rows.csv")],
    lambda out, key: ["pseudonymize", str(TINY), str(out / "pseudo"), "--key-file", str(key)],
], ids=["report", "find --out", "pseudonymize"])
def test_a_read_only_file_system_is_named(tmp_path, command):
    with small_disk(tmp_path / "ro") as disk:
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        result = runner.invoke(app, command(disk, tmp_path / "key"))
        _refusal(result, str(disk), "the file system is read-only")


@pytest.mark.parametrize("command, what", [
    (lambda out: ["find", "parallel-plans", str(TINY), "--out", str(out / "x.csv")], "a part of the path is a file"),
    (lambda out: ["audit", str(TINY), "--out", str(out / "sub")], "a part of the path is a file"),
    (lambda out: ["report", str(TINY), "--out", str(out)], "is a file, not a folder"),
], ids=["find --out under a file", "audit --out under a file", "report --out a file"])
def test_out_that_is_or_lies_under_a_file_is_named(tmp_path, command, what):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("mine", encoding="utf-8")
    result = runner.invoke(app, command(blocker))
    _refusal(result, str(blocker), what)
    assert blocker.read_text(encoding="utf-8") == "mine"
