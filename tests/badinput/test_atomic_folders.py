"""Folder outputs are written whole (issue 17, item 1): a failure part-way leaves the previous
folder as it was, never the files of two runs side by side, and nothing beside it."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from handover.cli import app
from tests.datasets import FIXTURES

runner = CliRunner()
TINY, OSLO = FIXTURES / "tiny", FIXTURES / "oslo-nav-district"


def _files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _fail(*args, **kwargs):
    raise OSError(28, "No space left on device")


@pytest.mark.parametrize("command, broken", [
    (["audit"], "handover.reports.audit.audit_html"),
    (["metrics"], "handover.reports.networks.density_from_pairs"),
    (["caseload"], "handover.reports.networks.frame_csv"),
])
def test_a_failure_part_way_leaves_the_previous_folder(tmp_path, monkeypatch, command, broken):
    out = tmp_path / "out"
    first = runner.invoke(app, [*command, str(TINY), "--out", str(out)])
    assert first.exit_code == 0, first.output
    before = _files(out)
    monkeypatch.setattr(broken, _fail)
    again = runner.invoke(app, [*command, str(OSLO), "--out", str(out)])
    assert again.exit_code != 0
    assert _files(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


@pytest.mark.parametrize("command", [["audit"], ["metrics"], ["caseload"]])
def test_a_second_run_replaces_the_first_whole(tmp_path, command):
    """Nothing of the first run survives beside the second (a file a crashed run might have left)."""
    out = tmp_path / "out"
    assert runner.invoke(app, [*command, str(TINY), "--out", str(out)]).exit_code == 0
    (out / "left-over.csv").write_text("from another run", encoding="utf-8")
    assert runner.invoke(app, [*command, str(OSLO), "--out", str(out)]).exit_code == 0
    assert not (out / "left-over.csv").exists() and [p.name for p in tmp_path.iterdir()] == ["out"]


@pytest.mark.parametrize("command", [["audit"], ["metrics"], ["caseload"]])
def test_a_folder_of_other_files_is_not_written_over(tmp_path, command):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("my notes", encoding="utf-8")
    refused = runner.invoke(app, [*command, str(TINY), "--out", str(mine)])
    assert refused.exit_code == 2 and "holds files handover did not write" in " ".join(refused.output.split())
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]


def test_the_files_are_the_owners_only_and_the_folder_as_mkdir_makes_it(tmp_path):
    """docs/data-protection.md: result files are created readable and writable by you only."""
    import os
    import stat

    out = tmp_path / "report"
    assert runner.invoke(app, ["report", str(TINY), "--out", str(out)]).exit_code == 0
    modes = {stat.S_IMODE(p.stat().st_mode) for p in out.rglob("*") if p.is_file()}
    assert modes == {0o600}
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o777 & ~mask
    assert stat.S_IMODE((out / "users").stat().st_mode) == 0o777 & ~mask
