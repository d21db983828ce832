"""What a killed write leaves beside its output is removed by the next write, and only that."""

from __future__ import annotations

import fcntl
import os

from handover.io.atomic import staged_folder, sweep_leftovers


def test_a_temporary_of_a_run_still_going_is_kept_and_one_of_a_gone_run_removed(tmp_path):
    running, gone = tmp_path / ".report.abc.tmp", tmp_path / ".report.def.tmp"
    running.mkdir()
    gone.mkdir()
    (gone / "users.csv").write_text("u1\n", encoding="utf-8")
    held = os.open(running, os.O_RDONLY)
    fcntl.flock(held, fcntl.LOCK_EX)  # as a writer holds its temporary
    try:
        assert sweep_leftovers(tmp_path / "report") == [gone]
        assert running.is_dir() and not gone.exists()
    finally:
        os.close(held)
    assert sweep_leftovers(tmp_path / "report") == [running]


def test_only_temporaries_of_that_output_are_touched(tmp_path):
    kept = [tmp_path / ".other.abc.tmp", tmp_path / ".report.notes", tmp_path / "report.abc.tmp"]
    for path in kept:
        path.mkdir()
    assert sweep_leftovers(tmp_path / "report") == []
    assert all(path.exists() for path in kept)


def test_a_write_swaps_the_folder_whole_and_leaves_nothing_beside_it(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.csv").write_text("old", encoding="utf-8")
    (tmp_path / ".out.left.tmp").mkdir()  # what a killed run left
    with staged_folder(out) as staging:
        (staging / "new.csv").write_text("new", encoding="utf-8")
    assert [p.name for p in out.iterdir()] == ["new.csv"]
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
