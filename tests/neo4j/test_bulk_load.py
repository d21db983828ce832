"""Bulk loading (``load_dataset(..., atomic=False)``, ``handover load --bulk``): batches
committed one by one into a database without handover data, behind a marker that says
whether the load completed, and queries that refuse an incomplete one."""

from __future__ import annotations

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from handover.cli import find as cli_find, load as cli_load
from handover.engines.neo4j import store as neo4j_store
from handover.engines.memory import MemoryEngine
from handover.engines.neo4j import Neo4jEngine
from handover.errors import EngineError, InputError
from handover.examples import tiny_dataset
from handover.findings import FINDINGS, find
from handover.generate import generate_dataset
from handover.io import read_dataset
from handover.engines.neo4j.store import (DatasetConflictError, clear_database, clear_dataset, dataset_fingerprint,
                                  load_dataset)
from tests.datasets import write_dataset
from tests.neo4j.graph import snapshot, without_marker
from tests.neo4j.synthetic import synthetic_dataset
from tests.neo4j.test_load import _broken, _other_dataset, _unlinked_last_row

pytestmark = pytest.mark.neo4j

runner = CliRunner()


@pytest.fixture
def engine(neo4j_driver, neo4j_server):
    with Neo4jEngine(neo4j_server.uri, neo4j_server.user, neo4j_server.password) as graph:
        yield graph


def _markers(driver) -> list[dict]:
    records, _, _ = driver.execute_query(
        "MATCH (d:HandoverDataset) RETURN d.fingerprint AS fingerprint, d.complete AS complete")
    return [r.data() for r in records]


def _stop_in(table: str):
    """A progress callback that interrupts the load once ``table`` has had a batch."""
    class Stop(Exception):
        pass

    def progress(name, done, total):
        if name == table and done > 0:
            raise Stop()
    return progress, Stop


def test_bulk_builds_the_same_graph_as_the_atomic_load(neo4j_driver):
    ds = synthetic_dataset(600, seed=3)
    load_dataset(neo4j_driver, ds)
    atomic = without_marker(snapshot(neo4j_driver))
    clear_database(neo4j_driver)
    summary = load_dataset(neo4j_driver, ds, atomic=False, batch_size=70)
    assert without_marker(snapshot(neo4j_driver)) == atomic
    assert _markers(neo4j_driver) == [{"fingerprint": dataset_fingerprint(ds), "complete": True}]
    assert summary.rows == sum(len(f) for f in ds.tables.values()) and not summary.unchanged
    assert summary.clear_seconds == 0.0 and summary.rows_per_second > 0


def test_every_batch_is_committed_on_its_own_behind_an_incomplete_marker(neo4j_driver):
    seen = []

    def progress(table, done, total):
        if table == "responsibilities" and done == 100:
            # Another session sees the first batch: it is committed, the load is not.
            seen.append((_count(neo4j_driver, "MATCH ()-[r:RESPONSIBLE_FOR]->() RETURN count(r) AS n"),
                         _markers(neo4j_driver)))

    ds = synthetic_dataset(400)
    load_dataset(neo4j_driver, ds, atomic=False, batch_size=100, progress=progress)
    assert seen == [(100, [{"fingerprint": dataset_fingerprint(ds), "complete": False}])]
    assert _markers(neo4j_driver)[0]["complete"] is True


def _count(driver, query: str) -> int:
    records, _, _ = driver.execute_query(query)
    return records[0]["n"]


def test_loading_the_same_dataset_again_in_bulk_changes_nothing(neo4j_driver):
    load_dataset(neo4j_driver, tiny_dataset(), atomic=False)
    before = snapshot(neo4j_driver)
    again = load_dataset(neo4j_driver, tiny_dataset(), atomic=False)
    assert again.unchanged and again.rows == 0
    assert snapshot(neo4j_driver) == before
    assert load_dataset(neo4j_driver, tiny_dataset()).unchanged  # the atomic mode agrees


def test_bulk_refuses_a_database_with_data_unless_replace(neo4j_driver):
    load_dataset(neo4j_driver, tiny_dataset())
    before = snapshot(neo4j_driver)
    with pytest.raises(DatasetConflictError) as caught:
        load_dataset(neo4j_driver, synthetic_dataset(200), atomic=False)
    message = str(caught.value)
    assert "bulk load goes only into a database without handover data" in message
    assert dataset_fingerprint(tiny_dataset())[:12] in message and "--replace" in message
    assert snapshot(neo4j_driver) == before


def test_bulk_refuses_unmarked_data_unless_replace(neo4j_driver):
    neo4j_driver.execute_query("CREATE (:Agency {agency_id: 'left-over'})")
    with pytest.raises(DatasetConflictError, match="without a dataset marker"):
        load_dataset(neo4j_driver, tiny_dataset(), atomic=False)


def test_bulk_replace_clears_in_batches_and_loads_exactly_the_new_dataset(neo4j_driver):
    old, new = synthetic_dataset(400, seed=1), synthetic_dataset(300, seed=2)
    load_dataset(neo4j_driver, new)
    expected = without_marker(snapshot(neo4j_driver))
    clear_database(neo4j_driver)
    neo4j_driver.execute_query("CREATE (:Unrelated {note: 'not handover data'})")
    load_dataset(neo4j_driver, old)
    summary = load_dataset(neo4j_driver, new, atomic=False, replace=True, batch_size=64)
    assert summary.replaced == dataset_fingerprint(old) and summary.clear_seconds > 0
    after = without_marker(snapshot(neo4j_driver))
    assert [line for line in after if "Unrelated" not in line] == expected
    assert any("Unrelated" in line for line in after)  # only handover data is cleared
    assert _markers(neo4j_driver) == [{"fingerprint": dataset_fingerprint(new), "complete": True}]


def test_an_interrupted_bulk_load_is_refused_by_every_query_until_reloaded(neo4j_driver, engine):
    ds = synthetic_dataset(400, seed=6)
    progress, stop = _stop_in("episodes")
    with pytest.raises(stop):
        load_dataset(neo4j_driver, ds, atomic=False, batch_size=50, progress=progress)
    assert _markers(neo4j_driver) == [{"fingerprint": dataset_fingerprint(ds), "complete": False}]
    assert _count(neo4j_driver, "MATCH (e:Episode) RETURN count(e) AS n") == 50  # half a dataset is there

    for ask in (lambda: find(engine, "parallel_plans"), engine.latest_date, engine.tables_present,
                lambda: engine.run_query("dormant_plans", {"as_of": pd.Timestamp("2024-01-01"), "max_age_days": 1})):
        with pytest.raises(EngineError) as caught:
            ask()
        message = str(caught.value)
        assert "incomplete bulk load" in message and dataset_fingerprint(ds)[:12] in message
        assert "--bulk --replace" in message

    # Neither mode loads over it, or takes it for the finished dataset, without replace.
    with pytest.raises(DatasetConflictError, match="incomplete bulk load"):
        load_dataset(neo4j_driver, ds, atomic=False)
    with pytest.raises(DatasetConflictError, match="incomplete bulk load"):
        load_dataset(neo4j_driver, ds)

    reloaded = load_dataset(neo4j_driver, ds, atomic=False, replace=True)
    assert not reloaded.unchanged and reloaded.replaced == dataset_fingerprint(ds)
    assert _markers(neo4j_driver)[0]["complete"] is True
    pd.testing.assert_frame_equal(find(engine, "parallel_plans"), find(MemoryEngine(ds), "parallel_plans"))


def test_an_atomic_replace_also_repairs_an_incomplete_bulk_load(neo4j_driver, engine):
    progress, stop = _stop_in("plans")
    with pytest.raises(stop):
        load_dataset(neo4j_driver, synthetic_dataset(200, seed=8), atomic=False, batch_size=20, progress=progress)
    load_dataset(neo4j_driver, tiny_dataset(), replace=True)
    assert _markers(neo4j_driver) == [{"fingerprint": dataset_fingerprint(tiny_dataset()), "complete": True}]
    assert engine.tables_present() == set(tiny_dataset().tables)


@pytest.mark.parametrize("failure", ["unlinked row", "server rejects a batch"])
def test_a_failing_bulk_load_says_the_database_is_incomplete(neo4j_driver, engine, monkeypatch, failure):
    if failure == "unlinked row":
        ds, expected = _unlinked_last_row(), InputError
    else:
        monkeypatch.setattr(neo4j_store, "load_query", _broken("bulk/create_contacts"))
        ds, expected = synthetic_dataset(300, seed=5), EngineError
    with pytest.raises(expected) as caught:
        load_dataset(neo4j_driver, ds, atomic=False, batch_size=100)
    message = str(caught.value)
    assert "incomplete load" in message and "--bulk --replace" in message
    if failure == "server rejects a batch":
        assert f"after {sum(len(f) for t, f in ds.tables.items() if t != 'contacts')} of" in message
    assert _markers(neo4j_driver)[0]["complete"] is False
    with pytest.raises(EngineError, match="incomplete bulk load"):
        find(engine, "caseworker_turnover")


def test_markers_from_before_bulk_loads_count_as_complete(neo4j_driver, engine):
    load_dataset(neo4j_driver, tiny_dataset())
    neo4j_driver.execute_query("MATCH (d:HandoverDataset) REMOVE d.complete")
    assert engine.tables_present() == set(tiny_dataset().tables)
    assert load_dataset(neo4j_driver, tiny_dataset(), atomic=False).unchanged


def test_findings_on_a_bulk_loaded_generated_region_equal_the_memory_engine(neo4j_driver, engine, tmp_path):
    generate_dataset(tmp_path / "region", users=300, seed=11)
    ds = read_dataset(tmp_path / "region")
    load_dataset(neo4j_driver, ds, atomic=False, batch_size=500)
    memory = MemoryEngine(ds)
    for name in FINDINGS:
        pd.testing.assert_frame_equal(find(engine, name), find(memory, name), obj=name)


def _failure(result) -> str:
    """What a failed command said: its exception, or its message once handover.cli (imported by
    other test modules) has wrapped every command's errors into exit codes."""
    assert result.exit_code != 0
    return f"{result.exception} {result.output}"


def test_the_command_line_loads_in_bulk_and_find_refuses_an_incomplete_load(neo4j_driver, tmp_path):
    load = typer.Typer()
    load.command()(cli_load.load)
    folder = write_dataset(tiny_dataset(), tmp_path / "tiny")
    loaded = runner.invoke(load, [str(folder), "--bulk"])
    assert loaded.exit_code == 0, loaded.output
    assert "loaded 18 rows" in loaded.stdout and "HandoverDataset 1" in loaded.stdout
    refused = runner.invoke(load, [str(write_dataset(_other_dataset(), tmp_path / "other")), "--bulk"])
    assert "bulk load goes only into a database without handover data" in _failure(refused)

    neo4j_driver.execute_query("MATCH (d:HandoverDataset) SET d.complete = false")  # as if interrupted
    said = _failure(runner.invoke(cli_find.app, ["parallel-plans", "--engine", "neo4j"]))
    assert "incomplete bulk load" in said and "--bulk --replace" in said
    replaced = runner.invoke(load, [str(folder), "--bulk", "--replace"])
    assert replaced.exit_code == 0, replaced.output
    found = runner.invoke(cli_find.app, ["parallel-plans", "--engine", "neo4j", "--format", "csv"])
    assert found.exit_code == 0 and found.stdout.startswith("user_id,plan_a_id")


def test_clear_dataset_deletes_only_handover_data(neo4j_driver):
    neo4j_driver.execute_query("CREATE (:Unrelated {note: 'kept'})")
    load_dataset(neo4j_driver, synthetic_dataset(300), atomic=False)
    clear_dataset(neo4j_driver, batch_size=50)
    assert [line for line in snapshot(neo4j_driver)] == ["node ['Unrelated'] {note: 'kept'}"]


def test_a_clear_that_stops_half_way_leaves_a_database_queries_refuse(neo4j_driver, engine, monkeypatch):
    ds = synthetic_dataset(300)
    load_dataset(neo4j_driver, ds)
    monkeypatch.setattr(neo4j_store, "_CLEAR_ORDER", ("Contact",))  # as if stopped after the contacts
    clear_dataset(neo4j_driver)
    assert _count(neo4j_driver, "MATCH (c:Contact) RETURN count(c) AS n") == 0
    assert _markers(neo4j_driver) == [{"fingerprint": dataset_fingerprint(ds), "complete": False}]
    with pytest.raises(EngineError, match="incomplete bulk load"):
        find(engine, "parallel_plans")


@pytest.mark.parametrize("overtaker", ["an atomic replace", "a bulk replace"])
def test_a_bulk_load_overtaken_by_another_load_stops_and_says_what_the_database_holds(neo4j_driver, overtaker):
    """It used to go on writing into the other load's graph and then say "incomplete" while the
    database held a complete dataset (issue 17 item 7)."""
    ds = synthetic_dataset(300, seed=6)
    load_dataset(neo4j_driver, tiny_dataset())
    expected = snapshot(neo4j_driver)
    clear_database(neo4j_driver)
    overtaken = {"done": False}

    def progress(name, done, total):
        if name == "plans" and done > 0 and not overtaken["done"]:
            overtaken["done"] = True  # another client replaces the dataset between two batches
            load_dataset(neo4j_driver, tiny_dataset(), replace=True, atomic=overtaker == "an atomic replace")

    with pytest.raises(EngineError) as caught:
        load_dataset(neo4j_driver, ds, atomic=False, batch_size=50, progress=progress)
    message = str(caught.value)
    assert "another load replaced it meanwhile" in message
    assert f"the database holds fingerprint {dataset_fingerprint(tiny_dataset())[:12]}" in message
    assert "complete" in message and "incomplete load" not in message
    assert _markers(neo4j_driver) == [{"fingerprint": dataset_fingerprint(tiny_dataset()), "complete": True}]
    assert without_marker(snapshot(neo4j_driver)) == without_marker(expected)  # nothing of the overtaken load


def test_a_batch_retried_after_its_commit_writes_nothing_twice(neo4j_driver):
    """The driver retries a transaction whose commit succeeded unacknowledged: the claim has counted
    the batch, so the retry writes nothing, and a batch out of sequence (another load's) is refused."""
    from handover.engines.neo4j.queries import load_query
    from handover.engines.neo4j.store import _claimed_batch, dataset_marker

    clear_database(neo4j_driver)
    marker = dataset_marker(tiny_dataset(), "ab" * 32, complete=False)
    neo4j_driver.execute_query(load_query("meta/mark_dataset").text, marker=marker)
    query, rows = load_query("bulk/create_agencies").text, [{"agency_id": "a9", "name": None, "kind": "nav",
                                                             "level": None, "municipality": None}]
    with neo4j_driver.session() as session:
        assert session.execute_write(_claimed_batch, query, rows, marker["fingerprint"], 0) == 1
        assert session.execute_write(_claimed_batch, query, rows, marker["fingerprint"], 0) == 1  # the retry
        assert session.execute_write(_claimed_batch, query, rows, marker["fingerprint"], 5) is None
    agencies = neo4j_driver.execute_query("MATCH (a:Agency) RETURN a.agency_id AS id").records
    assert [r["id"] for r in agencies] == ["a9"]
    clear_database(neo4j_driver)
