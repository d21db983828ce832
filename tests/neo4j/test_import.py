"""``handover load --import``: the local server's database written by Neo4j's offline importer.

These tests stop and start a server, so they run one of their own (a state directory of
this module's), never the session's shared test server. Every import restarts it, which
costs tens of seconds on two cores: the cases are few and each checks several things.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from handover.cli.app import app
from handover.engines.memory import MemoryEngine
from handover.engines.neo4j import Neo4jEngine, localserver
from handover.engines.neo4j.importer import import_dataset
from handover.engines.neo4j.store import clear_database, dataset_fingerprint, load_dataset
from handover.errors import EngineError
from handover.findings import FINDINGS, find
from handover.generate import generate_dataset
from handover.io import read_dataset
from handover.model import Dataset
from handover.render.results import render
from tests.conftest import REPO, own_server
from tests.datasets import FIXTURES
from tests.neo4j.graph import snapshot, without_marker
from tests.neo4j.synthetic import synthetic_dataset

pytestmark = pytest.mark.neo4j

runner = CliRunner()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A local server of this module's own, and ``HANDOVER_STATE_DIR`` pointing at it."""
    with own_server(tmp_path_factory, "import-state", timeout=600.0) as info:
        yield info


def _running(state_dir: Path) -> localserver.ServerInfo:
    info = localserver.status(state_dir)
    assert info is not None, "the local server is not serving"
    return info


def _rows(state_dir: Path, name: str) -> str:
    """A finding's rows on the local server, as CSV text."""
    info = _running(state_dir)
    with Neo4jEngine(info.uri, info.user, info.password) as graph:
        return render(find(graph, name), FINDINGS[name].schema, "csv")


def _memory_rows(dataset: Dataset, name: str) -> str:
    return render(find(MemoryEngine(dataset), name), FINDINGS[name].schema, "csv")


def _fingerprints(state_dir: Path) -> list[tuple[str, bool]]:
    info = _running(state_dir)
    with Neo4jEngine(info.uri, info.user, info.password) as graph:
        records, _, _ = graph.driver.execute_query(
            "MATCH (d:HandoverDataset) RETURN d.fingerprint AS f, d.complete AS c")
    return [(r["f"], r["c"]) for r in records]


# Two fixtures, for time (each import stops and starts the server): the graph of any dataset is
# compared whole with the online loader's below, and the online loader's on every fixture in tests/parity.
@pytest.mark.parametrize("scenario", ["oslo-nav-district", "trondheim-purchaser-provider"])
def test_an_imported_fixture_gives_every_finding_the_memory_engine_gives(server, scenario):
    dataset = read_dataset(FIXTURES / scenario)
    summary = import_dataset(dataset, replace=True, state_dir=server.state_dir)
    assert summary.rows == sum(len(frame) for frame in dataset.tables.values())
    assert _fingerprints(server.state_dir) == [(dataset_fingerprint(dataset), True)]
    for name in FINDINGS:
        assert _rows(server.state_dir, name) == _memory_rows(dataset, name), name
    # Only the data folder in use is left, and no importer files.
    leftovers = sorted(p.name for p in server.state_dir.iterdir()
                       if p.is_dir() and p.name.startswith(("data", "import-")))
    assert leftovers == [(server.state_dir / "data-current").read_text().strip()]


def _awkward() -> Dataset:
    """Text that CSV must carry exactly: commas, quotes, a line break, an empty string,
    leading blanks, non-ASCII letters; and staff named only by responsibilities and contacts."""
    ds = synthetic_dataset(300, seed=11, source="awkward")
    agencies = ds["agencies"].copy()
    agencies.loc[0, "name"] = 'NAV "Øst", avd. 2'
    agencies.loc[1, "name"] = "two\nlines"
    agencies.loc[2, "name"] = ""
    agencies.loc[3, "name"] = "  blanks kept  "
    agencies.loc[4, "municipality"] = None
    return Dataset({**ds.tables, "agencies": agencies}, source="awkward")


def _marker(driver) -> dict:
    """The dataset marker less what differs from load to load (when, how long, batches counted)."""
    records, _, _ = driver.execute_query("MATCH (d:HandoverDataset) RETURN properties(d) AS p")
    (marker,) = [r["p"] for r in records]
    return {k: v for k, v in marker.items() if k not in ("loaded_at", "load_seconds", "batches")}


def test_the_imported_graph_is_the_one_the_online_loader_writes(server):
    dataset = _awkward()
    import_dataset(dataset, replace=True, state_dir=server.state_dir)
    info = _running(server.state_dir)
    markers = []
    with Neo4jEngine(info.uri, info.user, info.password) as graph:
        imported = snapshot(graph.driver)
        markers.append(_marker(graph.driver))
        clear_database(graph.driver)
        load_dataset(graph.driver, dataset)
        online = snapshot(graph.driver)
        markers.append(_marker(graph.driver))
    assert without_marker(imported) == without_marker(online)
    assert any("two\\nlines" in line for line in imported) and any("name: ''" in line for line in imported)
    assert markers[0] == markers[1]


def _cli(*args: str):
    return runner.invoke(app, ["load", *args])


def test_a_broken_dataset_is_refused_before_the_server_is_stopped(server, tmp_path):
    old = synthetic_dataset(200, seed=2, source="old")
    import_dataset(old, replace=True, state_dir=server.state_dir)
    pid = _running(server.state_dir).pid
    broken = tmp_path / "broken"
    generate_dataset(broken, users=50, seed=3)
    lines = (broken / "responsibilities.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("user_id,")
    lines[5] = "no-such-user-" + lines[5]  # a row's user_id names no user
    (broken / "responsibilities.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = _cli(str(broken), "--import", "--replace")
    assert result.exit_code == 2, result.output
    assert "responsibilities" in result.output
    assert _running(server.state_dir).pid == pid  # never stopped
    assert _fingerprints(server.state_dir) == [(dataset_fingerprint(old), True)]

    # Other refusals that come before anything is stopped.
    fine = tmp_path / "fine"
    generate_dataset(fine, users=50, seed=3)
    both = _cli(str(fine), "--import", "--bulk")
    assert both.exit_code == 2 and "--import and --bulk" in both.output
    remote = _cli(str(fine), "--import", "--neo4j-uri", "neo4j+s://graph.example.org")
    assert remote.exit_code == 2 and "--bulk" in remote.output and "local" in remote.output
    unreplaced = _cli(str(fine), "--import")
    assert unreplaced.exit_code == 2 and "--replace" in unreplaced.output
    with pytest.MonkeyPatch.context() as patch:  # a disk with 1 GiB free
        patch.setattr("handover.engines.neo4j.importer.shutil.disk_usage",
                      lambda folder: shutil._ntuple_diskusage(100 * 2**30, 99 * 2**30, 2**30))
        full = _cli(str(fine), "--import", "--replace")
    assert full.exit_code == 1, full.output
    assert "GiB of free disk" in full.output and "1.0 GiB are free" in full.output, full.output
    assert not list(server.state_dir.glob("import-*"))
    assert _running(server.state_dir).pid == pid
    assert _fingerprints(server.state_dir) == [(dataset_fingerprint(old), True)]


def _importer_pids(state_dir: Path) -> list[int]:
    """The neo4j-admin JVMs importing for ``state_dir`` (their configuration lies under it)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().split(b"\0")
            environ = (proc / "environ").read_bytes()
        except OSError:
            continue
        if b"org.neo4j.cli.AdminTool" in cmdline and b"import" in cmdline \
                and f"NEO4J_CONF={state_dir}/import-".encode() in environ:
            found.append(int(proc.name))
    return found


def _wait_for(condition, timeout: float = 300.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def _imported_store(state_dir: Path) -> bool:
    current = (state_dir / "data-current").read_text().strip() if (state_dir / "data-current").exists() else "data"
    return any((folder / "databases" / "neo4j" / "neostore.nodestore.db").exists()
               for folder in state_dir.glob("data-*") if folder.is_dir() and folder.name != current)


def _start_load(folder: Path, state_dir: Path) -> subprocess.Popen:
    environment = dict(os.environ, HANDOVER_STATE_DIR=str(state_dir), PYTHONPATH=str(REPO))
    return subprocess.Popen([sys.executable, "-m", "handover.cli", "load", str(folder), "--import", "--replace"],
                            env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("point", ["the importer starting", "the importer writing the store",
                                   "handover itself, while the importer runs"])
def test_a_killed_import_leaves_the_previous_database_serving(server, tmp_path, point):
    state_dir = server.state_dir
    old = synthetic_dataset(300, seed=4, source="old")
    if _fingerprints(state_dir) != [(dataset_fingerprint(old), True)]:
        import_dataset(old, replace=True, state_dir=state_dir)
    pid = _running(state_dir).pid
    expected = {name: _memory_rows(old, name) for name in ("handover_without_coordinator", "caseworker_turnover")}
    new = tmp_path / "new"
    generate_dataset(new, users=2000, seed=5)

    load = _start_load(new, state_dir)
    try:
        _wait_for(lambda: _importer_pids(state_dir), what="neo4j-admin to start")
        if point == "the importer writing the store":
            _wait_for(lambda: _imported_store(state_dir), what="the importer to write the store")
        if point.startswith("handover itself"):
            load.send_signal(signal.SIGKILL)
            load.wait(60)
            # The orphaned importer finishes (or not); nothing switches to what it wrote.
            _wait_for(lambda: not _importer_pids(state_dir), what="the orphaned neo4j-admin to end")
        else:
            for importer in _importer_pids(state_dir):
                os.kill(importer, signal.SIGKILL)
            output = load.communicate(timeout=300)[0].decode()
            assert load.returncode == 1, output
            assert "neo4j-admin database import failed" in output and "previous database" in output
    finally:
        if load.poll() is None:
            load.kill()
            load.wait()

    assert _running(state_dir).pid == pid  # the same server, never stopped
    assert _fingerprints(state_dir) == [(dataset_fingerprint(old), True)]
    for name, rows in expected.items():
        assert _rows(state_dir, name) == rows


def test_after_a_killed_import_the_next_one_succeeds_and_cleans_up(server, tmp_path):
    # Runs after the kills above (file order): whatever they left is removed.
    dataset = synthetic_dataset(300, seed=6, source="after")
    import_dataset(dataset, replace=True, state_dir=server.state_dir)
    assert _fingerprints(server.state_dir) == [(dataset_fingerprint(dataset), True)]
    current = (server.state_dir / "data-current").read_text().strip()
    assert sorted(p.name for p in server.state_dir.iterdir()
                  if p.is_dir() and p.name.startswith(("data", "import-"))) == [current]
    assert _rows(server.state_dir, "caseworker_turnover") == _memory_rows(dataset, "caseworker_turnover")
    # Loading the same dataset again changes nothing and restarts nothing, with --replace too:
    # a held dataset of the same row counts is fingerprinted before any file is written.
    pid = _running(server.state_dir).pid
    assert import_dataset(dataset, state_dir=server.state_dir).unchanged
    said: list[str] = []
    assert import_dataset(dataset, replace=True, state_dir=server.state_dir, log=said.append).unchanged
    assert not [line for line in said if "importer's files" in line or "neo4j-admin" in line], said
    assert _running(server.state_dir).pid == pid
    assert (server.state_dir / "data-current").read_text().strip() == current


def test_an_import_that_another_import_holds_the_lock_for_is_refused(server):
    import fcntl

    with open(server.state_dir / "import.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        with pytest.raises(EngineError, match="another `handover load --import` is running"):
            import_dataset(synthetic_dataset(100, seed=1), replace=True, state_dir=server.state_dir)
