"""Interrupted writes: a run that dies half-way never leaves a half-written file that looks complete.

Every command that writes files goes through :mod:`handover.io.atomic` (a temporary file
renamed into place, or a whole folder written beside its place and swapped in) or an
equivalent (``generate``'s partial files, ``pseudonymize``'s staging folder). Here the low-level write is made to put half its
text on disk and then fail, as a full disk or a killed process would; afterwards every
file under the final names must be complete (equal to an uninterrupted run's) or absent,
an earlier complete file must be left as it was, and no temporary file may remain.
"""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from typer.testing import CliRunner

from handover.cli import app
from handover.io import write as dataset_writer
from tests.badinput.corpus import write_base

runner = CliRunner()

# command, where it writes (a file or a folder), given the data folder and the target
COMMANDS = {
    "find --out": lambda data, out: ["find", "parallel-plans", data, "--format", "csv", "--out", out / "rows.csv"],
    "network --out": lambda data, out: ["network", "shared-users", data, "--out", out / "edges.csv"],
    "report": lambda data, out: ["report", data, "--out", out],
    "audit": lambda data, out: ["audit", data, "--out", out],
    "metrics": lambda data, out: ["metrics", data, "--out", out],
    "caseload": lambda data, out: ["caseload", data, "--out", out],
}


def invoke(args) -> object:
    return runner.invoke(app, [str(a) for a in args])


def interrupt_text_writes(monkeypatch, on_call: int) -> None:
    """Make the ``on_call``-th write of a file (``Path.write_text``, or a file of a folder written
    whole by :func:`handover.io.atomic.write_folder_atomic`) write half its text, then fail."""
    from handover.io import atomic

    original_text, original_new = Path.write_text, atomic.write_new_file
    calls = {"n": 0}

    def interrupted() -> bool:
        calls["n"] += 1
        return calls["n"] == on_call

    def write_text(self, data, *args, **kwargs):
        if interrupted():
            original_text(self, data[: len(data) // 2], *args, **kwargs)
            raise OSError(errno.ENOSPC, "No space left on device")
        return original_text(self, data, *args, **kwargs)

    def write_new_file(path, data):
        if interrupted():
            original_new(path, data[: len(data) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")
        return original_new(path, data)

    monkeypatch.setattr(Path, "write_text", write_text)
    monkeypatch.setattr(atomic, "write_new_file", write_new_file)


def files_under(folder: Path) -> dict[str, bytes]:
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def complete(tmp_path_factory) -> dict[str, dict[str, bytes]]:
    """What each command writes when nothing goes wrong."""
    root = tmp_path_factory.mktemp("complete")
    data = write_base(root / "data")
    written = {}
    for name, command in COMMANDS.items():
        out = root / name.replace(" ", "_")
        assert invoke(command(data, out)).exit_code == 0
        written[name] = files_under(out)
    return written


@pytest.mark.parametrize("on_call", [1, 2, 4])
@pytest.mark.parametrize("name", COMMANDS)
def test_an_interrupted_write_leaves_complete_files_or_none(tmp_path, monkeypatch, complete, name, on_call):
    data = write_base(tmp_path / "data")
    out = tmp_path / "out"
    interrupt_text_writes(monkeypatch, on_call)
    result = invoke(COMMANDS[name](data, out))
    monkeypatch.undo()
    left = files_under(out)
    if len(complete[name]) < on_call and result.exit_code == 0:
        assert left == complete[name]  # fewer writes than the interruption point
        return
    assert result.exit_code == 2, result.stderr  # the output's fault, named (issue 17 item 5)
    assert "no space left on the device" in result.stderr and "Traceback" not in result.stderr
    for path, content in left.items():
        assert content == complete[name][path], f"{path} is half-written"
    assert len(left) < len(complete[name])
    assert not [p for p in tmp_path.rglob(".*") if p.is_file()], "a temporary file was left behind"


def test_an_interrupted_rewrite_keeps_the_earlier_file(tmp_path, monkeypatch):
    data = write_base(tmp_path / "data")
    target = tmp_path / "rows.csv"
    assert invoke(["find", "parallel-plans", data, "--format", "csv", "--out", target]).exit_code == 0
    earlier = target.read_bytes()
    interrupt_text_writes(monkeypatch, 1)
    result = invoke(["find", "caseworker-turnover", data, "--format", "csv", "--out", target])
    monkeypatch.undo()
    assert result.exit_code == 2 and str(target) in " ".join(result.stderr.split())
    assert target.read_bytes() == earlier
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "rows.csv"]


def test_an_interrupted_workbook_leaves_no_workbook(tmp_path, monkeypatch):
    data = write_base(tmp_path / "data")

    def fail(book, *, created):
        raise MemoryError("the workbook could not be made")

    monkeypatch.setattr("handover.reports.audit.workbook_bytes", fail)
    result = invoke(["audit", data, "--out", tmp_path / "audit"])
    monkeypatch.undo()
    assert result.exit_code == 1
    # The audit's folder is written whole: not a file of it, not a temporary one, is there.
    assert not (tmp_path / "audit").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_an_interrupted_generate_leaves_no_table(tmp_path, monkeypatch):
    from handover.generate import writer

    original = writer.DatasetWriter.append
    calls = {"n": 0}

    def append(self, table, columns):
        calls["n"] += 1
        if calls["n"] == 5:
            raise OSError(errno.ENOSPC, "No space left on device")
        return original(self, table, columns)

    monkeypatch.setattr(writer.DatasetWriter, "append", append)
    result = invoke(["generate", tmp_path / "gen", "--users", "20", "--seed", "1"])
    monkeypatch.undo()
    assert result.exit_code == 2  # a full disk is the user's to fix: named, exit 2 (issue 17 item 5)
    assert "no space left on the device" in result.stderr
    assert not (tmp_path / "gen").exists()  # neither tables nor .partial files, nor the folder it made


def test_an_interrupted_pseudonymize_leaves_no_dataset(tmp_path, monkeypatch):
    data = write_base(tmp_path / "data")
    original = dataset_writer._table_csv  # every table file of a dataset is written by it
    calls = {"n": 0}

    def table_csv(name, frame, path):
        calls["n"] += 1
        if calls["n"] == 3:
            Path(path).write_text("user_id\n", encoding="utf-8")  # a table cut short
            raise OSError(errno.ENOSPC, "No space left on device")
        return original(name, frame, path)

    monkeypatch.setattr(dataset_writer, "_table_csv", table_csv)
    result = invoke(["pseudonymize", data, tmp_path / "out", "--key-file", tmp_path / "key"])
    monkeypatch.undo()
    assert result.exit_code == 2 and "no space left on the device" in result.stderr
    assert not (tmp_path / "out").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "key"]
