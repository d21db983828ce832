"""The crash harness (issue 17): commands killed at many points leave the old state or the new one.

Each command that writes a folder (``report``, ``audit``, ``metrics``, ``pseudonymize``,
``import tables``) is run once uninterrupted to learn its result, then run over the
result of another dataset and killed with SIGKILL — its whole process group, forked
workers included — at points spread over its run: while it reads, the moment its
temporary folder appears, and a little later while it writes there. After every kill
the output folder is byte for byte the old one or the new one, never a mix, and the
next run succeeds, gives the new result and removes what the killed run left beside
it. SIGTERM stops a command cleanly: exit 143, the old folder, nothing left beside it.

``load`` and ``load --bulk`` are killed the same way against the session's Neo4j: the
database answers as the old dataset or the new one (a bulk load may also be left
marked incomplete, which findings refuse, as documented), and a rerun loads the new one.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.datasets import FIXTURES

REPO = Path(__file__).resolve().parents[2]
TINY = FIXTURES / "tiny"

#: Where in a run the kill lands: a share of the uninterrupted run's time, or ("written", s):
#: s seconds after the command's temporary folder appeared beside its output.
POINTS = [0.4, ("written", 0.0), ("written", 0.05)]


def handover(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "handover.cli", *(str(a) for a in args)]


def run(args: list[str], **options) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=REPO, capture_output=True, text=True, timeout=300, **options)


@pytest.fixture(scope="module")
def region(tmp_path_factory) -> Path:
    """A generated region big enough that each command runs for a few seconds."""
    folder = tmp_path_factory.mktemp("crash") / "region"
    made = run(handover("generate", folder, "--users", "800", "--seed", "11"))
    assert made.returncode == 0, made.stderr
    return folder


def snapshot(folder: Path) -> dict[str, bytes] | None:
    """Every file under ``folder`` (hidden ones too), or ``None`` when there is no folder."""
    if not folder.exists():
        return None
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def beside(folder: Path) -> list[str]:
    """What else is in the folder that holds ``folder`` (temporaries a run left)."""
    return sorted(p.name for p in folder.parent.iterdir() if p.name != folder.name)


#: name → (the command writing `out` from `data`, given the folder of extra files it may need)
COMMANDS = {
    "report": lambda data, out, aside: handover("report", data, "--out", out),
    "audit": lambda data, out, aside: handover("audit", data, "--out", out),
    "metrics": lambda data, out, aside: handover("metrics", data, "--out", out),
    "pseudonymize": lambda data, out, aside: handover("pseudonymize", data, out,
                                                      "--key-file", aside / "key"),
    "import tables": lambda data, out, aside: handover("import", "tables", data, out),
}


def _kill_at(args: list[str], out: Path, point, duration: float, signum=signal.SIGKILL) -> int:
    """Run ``args`` and send ``signum`` to its process group at ``point``; its exit code."""
    child = subprocess.Popen(args, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             start_new_session=True)
    try:
        if isinstance(point, tuple):
            prefix = f".{out.name}."
            deadline = time.monotonic() + 4 * duration + 60
            while child.poll() is None and time.monotonic() < deadline:
                if any(n.startswith(prefix) and n.endswith(".tmp") for n in os.listdir(out.parent)):
                    break
                time.sleep(0.002)
            time.sleep(point[1])
        else:
            time.sleep(point * duration)
        if child.poll() is None:
            os.killpg(child.pid, signum)
        child.communicate(timeout=120)
        return child.returncode
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()


@pytest.fixture(scope="module")
def results(region, tmp_path_factory):
    """Per command: (the state after a run on tiny, after a run on the region, the region's run time)."""
    known = {}
    for name, command in COMMANDS.items():
        root = tmp_path_factory.mktemp("known")
        aside = root / "aside"
        aside.mkdir()
        old, new = root / "old" / "out", root / "new" / "out"
        assert run(command(TINY, old, aside)).returncode == 0
        began = time.monotonic()
        done = run(command(region, new, aside))
        assert done.returncode == 0, done.stderr
        known[name] = (snapshot(old), snapshot(new), time.monotonic() - began, aside)
    return known


@pytest.mark.parametrize("name", COMMANDS)
def test_a_killed_command_leaves_the_old_folder_or_the_new_one(region, results, tmp_path, name):
    old_files, new_files, duration, aside = results[name]
    command = COMMANDS[name]
    seen = set()
    for point in POINTS:
        out = tmp_path / str(point).replace(" ", "") / "out"
        assert run(command(TINY, out, aside)).returncode == 0
        _kill_at(command(region, out, aside), out, point, duration)
        after = snapshot(out)
        assert after in (old_files, new_files), f"{name} killed at {point}: a mix of two runs"
        seen.add("old" if after == old_files else "new")
        rerun = run(command(region, out, aside))
        assert rerun.returncode == 0, (point, rerun.stderr)
        assert snapshot(out) == new_files
        assert beside(out) == [], f"{name} killed at {point} left {beside(out)} after a rerun"
    assert "old" in seen  # the kills did land while the command was running


@pytest.mark.parametrize("name", ["report", "pseudonymize"])
def test_sigterm_stops_cleanly_leaving_the_old_folder_and_nothing_beside_it(region, results, tmp_path, name):
    old_files, _, duration, aside = results[name]
    out = tmp_path / "out"
    assert run(COMMANDS[name](TINY, out, aside)).returncode == 0
    code = _kill_at(COMMANDS[name](region, out, aside), out, ("written", 0.0), duration, signal.SIGTERM)
    assert code == 128 + signal.SIGTERM
    assert snapshot(out) == old_files
    assert beside(out) == []


# --- Neo4j ------------------------------------------------------------------------------------


@pytest.fixture
def neo4j_env(neo4j_server, neo4j_driver) -> dict[str, str]:
    return {**os.environ, "NEO4J_URI": neo4j_server.uri, "NEO4J_USER": neo4j_server.user,
            "NEO4J_PASSWORD": neo4j_server.password}


def _answer(data: Path | None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The rows of a finding: of ``data`` in memory, or (``env``) of what the database holds."""
    where = ["--engine", "neo4j"] if env else [data]
    return run(handover("find", "parallel-plans", *where, "--format", "csv"), env=env)


@pytest.fixture(scope="module")
def town(tmp_path_factory) -> Path:
    """A generated town: its load takes a few seconds."""
    folder = tmp_path_factory.mktemp("crash") / "town"
    made = run(handover("generate", folder, "--users", "400", "--seed", "12"))
    assert made.returncode == 0, made.stderr
    return folder


@pytest.mark.neo4j
@pytest.mark.parametrize("bulk", [False, True], ids=["load", "load --bulk"])
def test_a_killed_load_leaves_the_old_dataset_or_the_new_one(town, neo4j_env, bulk):
    small, region = FIXTURES / "oslo-nav-district", town
    expected = {"old": _answer(small).stdout, "new": _answer(region).stdout}
    mode = ["--bulk"] if bulk else []

    def load_over_small() -> float:
        """Seconds of a load of the region over the small dataset: the run that is killed below."""
        assert run(handover("load", small, *mode, "--replace"), env=neo4j_env).returncode == 0
        began = time.monotonic()
        assert run(handover("load", region, *mode, "--replace"), env=neo4j_env).returncode == 0
        return time.monotonic() - began

    load_over_small()  # the region's first load into this server takes longer (indexes, caches)
    duration = load_over_small()
    seen = set()
    for point in (0.3, 0.7):
        assert run(handover("load", small, *mode, "--replace"), env=neo4j_env).returncode == 0
        child = subprocess.Popen(handover("load", region, *mode, "--replace"), cwd=REPO, env=neo4j_env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(point * duration)
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
        child.wait(timeout=60)
        answer = _answer(None, neo4j_env)
        if answer.returncode == 0:
            state = next((k for k, v in expected.items() if v == answer.stdout), None)
            assert state is not None, f"killed at {point}: the database answers neither dataset"
        else:
            assert bulk and "incomplete" in answer.stderr, answer.stderr
            state = "incomplete"
        seen.add(state)
        rerun = run(handover("load", region, *mode, "--replace"), env=neo4j_env)
        assert rerun.returncode == 0, rerun.stderr
        assert _answer(None, neo4j_env).stdout == expected["new"]
    assert seen - {"new"}, "no kill landed while the load ran"
