"""Loading datasets into a real Neo4j: the graph of DESIGN §4, idempotence, refusal to
mix datasets, replacement, and all-or-nothing failure."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest
from neo4j.time import Date

from handover.engines.neo4j import store as neo4j_store
from handover.engines.neo4j.queries import Query, load_query
from handover.errors import EngineError, InputError
from handover.examples import tiny_dataset
from handover.io import read_dataset
from handover.model import Dataset
from handover.engines.neo4j.store import DatasetConflictError, clear_database, dataset_fingerprint, load_dataset
from tests.datasets import write_dataset
from tests.neo4j.graph import snapshot, without_marker
from tests.neo4j.synthetic import synthetic_dataset, typed_frame

pytestmark = pytest.mark.neo4j

REPO = Path(__file__).resolve().parents[2]


def _other_dataset() -> Dataset:
    """tiny_dataset with one more user: a different fingerprint, mostly the same ids."""
    ds = tiny_dataset()
    users = pd.concat([ds["users"], typed_frame("users", {"user_id": ["u4"], "birth_year": [2001]})],
                      ignore_index=True)
    return Dataset({**ds.tables, "users": users}, source="other")


def _rows(driver, query: str, **params) -> list[dict]:
    records, _, _ = driver.execute_query(query, params)
    return [r.data() for r in records]


# --- the graph ---------------------------------------------------------------------------


def test_load_builds_the_graph_of_design_section_4(neo4j_driver):
    summary = load_dataset(neo4j_driver, tiny_dataset())
    assert summary.nodes == {"Agency": 2, "Service": 2, "Staff": 3, "ServiceUser": 3, "Plan": 2,
                             "Episode": 2, "Contact": 0, "HandoverDataset": 1}
    assert summary.relationships["RESPONSIBLE_FOR"] == 4
    assert summary.relationships["PROVIDES"] == summary.relationships["AT"] == 2
    # The derived handover relationships are counted too: e1 -> e2, and st1 -> st2 -> st3 -> st1.
    assert (summary.relationships["NEXT_EPISODE"], summary.relationships["HANDED_OVER_TO"]) == (1, 3)
    ongoing = _rows(neo4j_driver, "MATCH (:Staff {staff_id: 'st1'})-[r:RESPONSIBLE_FOR]->(u) "
                                  "WHERE r.start = date('2024-08-01') RETURN r {.*} AS r, u.user_id AS user")
    assert ongoing[0]["user"] == "u2"
    assert "end" not in ongoing[0]["r"] and "reason" not in ongoing[0]["r"]  # missing -> absent
    assert isinstance(ongoing[0]["r"]["start"], Date)
    assert ongoing[0]["r"]["agency_id"] == "a1" and ongoing[0]["r"]["role"] == "caseworker"
    path = _rows(neo4j_driver, "MATCH (u:ServiceUser)-[:HAD_EPISODE]->(e:Episode)-[:AT]->(s:Service)"
                               "<-[:PROVIDES]-(a:Agency) RETURN e.episode_id AS e, a.agency_id AS a ORDER BY e")
    assert path == [{"e": "e1", "a": "a2"}, {"e": "e2", "a": "a1"}]


def test_staff_named_only_in_other_tables_become_staff_nodes(neo4j_driver):
    ds = synthetic_dataset(200)
    assert len(ds["staff"]) < ds["responsibilities"]["staff_id"].nunique()
    load_dataset(neo4j_driver, ds)
    named = set(ds["staff"]["staff_id"]) | set(ds["responsibilities"]["staff_id"]) \
        | set(ds["employments"]["staff_id"]) | set(ds["contacts"]["staff_id"].dropna())
    staff = _rows(neo4j_driver, "MATCH (s:Staff) RETURN s.staff_id AS id, s.profession AS profession")
    assert {r["id"] for r in staff} == named
    contact = _rows(neo4j_driver, "MATCH (c:Contact) WHERE c.staff_id IS NOT NULL "
                                  "RETURN c.staff_id AS staff_id, c.service_id AS service_id LIMIT 1")
    assert contact[0]["staff_id"] in named


def test_progress_reports_every_table_to_its_end(neo4j_driver):
    calls = []
    ds = synthetic_dataset(300)
    load_dataset(neo4j_driver, ds, batch_size=100, progress=lambda *call: calls.append(call))
    last = {table: (done, total) for table, done, total in calls}
    # The derived relationships are counted as they are written, as many as the graph then holds.
    held = {kind: neo4j_driver.execute_query(f"MATCH ()-[r:{kind}]->() RETURN count(r) AS n").records[0]["n"]
            for kind in ("NEXT_EPISODE", "HANDED_OVER_TO")}
    derived = {kind: (count, count) for kind, count in held.items()}
    assert all(done > 0 for done, _ in derived.values())
    assert last == {**{table: (len(frame), len(frame)) for table, frame in ds.tables.items()}, **derived}
    assert ("responsibilities", 100, 300) in calls


# --- idempotence and fingerprints ------------------------------------------------------------


def test_loading_the_same_dataset_twice_changes_nothing(neo4j_driver):
    first = load_dataset(neo4j_driver, tiny_dataset())
    before = snapshot(neo4j_driver)
    second = load_dataset(neo4j_driver, tiny_dataset())
    assert second.unchanged and not first.unchanged
    assert (second.nodes, second.relationships) == (first.nodes, first.relationships)
    assert second.rows == 0 and first.rows == 18
    assert snapshot(neo4j_driver) == before  # the marker's loaded_at included


def test_fingerprint_ignores_file_format_and_row_order(neo4j_driver, tmp_path):
    ds = tiny_dataset()
    from_csv = read_dataset(write_dataset(ds, tmp_path / "csv"))
    parquet = tmp_path / "parquet"
    parquet.mkdir()
    for name, frame in ds.tables.items():
        _as_text(frame.iloc[::-1]).to_parquet(parquet / f"{name}.parquet", index=False)
    from_parquet = read_dataset(parquet)
    assert dataset_fingerprint(from_csv) == dataset_fingerprint(from_parquet) == dataset_fingerprint(ds)
    load_dataset(neo4j_driver, from_csv)
    assert load_dataset(neo4j_driver, from_parquet).unchanged


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell as text (dates as YYYY-MM-DD), missing ones as None: a Parquet export."""
    def cell(value):
        if pd.isna(value):
            return None
        return value.strftime("%Y-%m-%d") if isinstance(value, pd.Timestamp) else str(value)
    return pd.DataFrame({col: [cell(v) for v in frame[col]] for col in frame.columns}, dtype=object)


def test_an_absent_table_and_an_empty_one_differ():
    ds = tiny_dataset()
    with_empty = Dataset({**ds.tables, "contacts": typed_frame("contacts", {"contact_id": []})})
    assert dataset_fingerprint(with_empty) != dataset_fingerprint(ds)


# --- refusing to mix, replacing ----------------------------------------------------------------


def test_a_different_dataset_is_refused_without_replace(neo4j_driver):
    load_dataset(neo4j_driver, tiny_dataset())
    before = snapshot(neo4j_driver)
    other = _other_dataset()
    with pytest.raises(DatasetConflictError) as caught:
        load_dataset(neo4j_driver, other)
    message = str(caught.value)
    assert isinstance(caught.value, InputError)
    assert dataset_fingerprint(tiny_dataset())[:12] in message and dataset_fingerprint(other)[:12] in message
    assert "handover.examples.tiny_dataset" in message and "other" in message and "--replace" in message
    assert snapshot(neo4j_driver) == before


def test_data_without_a_marker_is_refused_without_replace(neo4j_driver):
    neo4j_driver.execute_query("CREATE (:Agency {agency_id: 'left-over'})")
    with pytest.raises(DatasetConflictError, match="without a dataset marker"):
        load_dataset(neo4j_driver, tiny_dataset())
    summary = load_dataset(neo4j_driver, tiny_dataset(), replace=True)
    assert summary.replaced == "(unmarked data)" and summary.nodes["Agency"] == 2


def test_replace_swaps_the_dataset_for_exactly_the_new_one(neo4j_driver):
    # Two datasets over the same ids with different links and values: the hard case
    # for a replacement that merges onto the old graph.
    old, new = synthetic_dataset(400, seed=1), synthetic_dataset(300, seed=2)
    new.tables.pop("staff")  # professions must disappear too
    load_dataset(neo4j_driver, new)
    expected = without_marker(snapshot(neo4j_driver))
    clear_database(neo4j_driver)
    load_dataset(neo4j_driver, old)
    summary = load_dataset(neo4j_driver, new, replace=True)
    assert summary.replaced == dataset_fingerprint(old)
    assert without_marker(snapshot(neo4j_driver)) == expected
    markers = _rows(neo4j_driver, "MATCH (d:HandoverDataset) RETURN d.fingerprint AS fp, d.tables AS tables")
    assert [m["fp"] for m in markers] == [dataset_fingerprint(new)]
    assert sorted(markers[0]["tables"]) == sorted(new.tables)


# --- all or nothing --------------------------------------------------------------------------


def _broken(name: str, real=load_query):
    """``load_query`` with query ``name`` replaced by one the server rejects."""
    def load(wanted: str, root=None) -> Query:
        query = real(wanted, root)
        if wanted == name:
            return Query(query.name, query.mode, query.params, "UNWIND $rows AS row RETURN 1/0 AS written",
                         query.path)
        return query
    return load


def _terminate_own_transaction(driver):
    """End the load's transaction from another connection, as an administrator would."""
    records, _, _ = driver.execute_query(
        "SHOW TRANSACTIONS YIELD transactionId, currentQuery WHERE NOT currentQuery STARTS WITH 'SHOW' "
        "RETURN transactionId")
    driver.execute_query("TERMINATE TRANSACTIONS $ids", ids=[r["transactionId"] for r in records])


def _unlinked_last_row() -> Dataset:
    new = synthetic_dataset(300, seed=5, source="new")
    contacts = new["contacts"].copy()
    contacts.loc[contacts.index[-1], "agency_id"] = "no-such-agency"
    return Dataset({**new.tables, "contacts": contacts}, source="new")


class _Interrupt(KeyboardInterrupt):
    pass


@pytest.mark.parametrize("failure", ["unlinked row in the last batch", "server rejects a later batch",
                                     "error after the old dataset is deleted", "interrupted",
                                     "transaction terminated"])
def test_a_failed_load_leaves_the_previous_dataset_exactly_as_it_was(neo4j_driver, monkeypatch, failure):
    load_dataset(neo4j_driver, synthetic_dataset(300, seed=4, source="old"))
    before = snapshot(neo4j_driver)
    new, progress, expected = synthetic_dataset(300, seed=5, source="new"), None, EngineError
    if failure == "unlinked row in the last batch":
        new, expected = _unlinked_last_row(), InputError
    elif failure == "server rejects a later batch":
        monkeypatch.setattr(neo4j_store, "load_query", _broken("load/contacts"))
    elif failure == "error after the old dataset is deleted":
        monkeypatch.setattr(neo4j_store, "load_query", _broken("meta/mark_dataset"))
    elif failure == "interrupted":
        expected = _Interrupt

        def progress(table, done, total):
            if table == "episodes" and done > 0:
                raise _Interrupt()
    else:
        def progress(table, done, total):
            if table == "plans" and done > 0:
                _terminate_own_transaction(neo4j_driver)

    with pytest.raises(expected):
        load_dataset(neo4j_driver, new, replace=True, batch_size=50, progress=progress)
    assert snapshot(neo4j_driver) == before


def test_an_unlinked_row_is_named_in_the_error(neo4j_driver):
    with pytest.raises(InputError, match=r"contacts: 1 row names a user_id, agency_id or service_id"):
        load_dataset(neo4j_driver, _unlinked_last_row())
    assert snapshot(neo4j_driver) == []


def test_a_killed_loading_process_leaves_the_previous_dataset(neo4j_driver, neo4j_server):
    load_dataset(neo4j_driver, tiny_dataset())
    before = snapshot(neo4j_driver)
    script = textwrap.dedent(f"""
        import sys, time
        from neo4j import GraphDatabase
        from handover.engines.neo4j.store import load_dataset
        from tests.neo4j.synthetic import synthetic_dataset
        driver = GraphDatabase.driver({neo4j_server.uri!r}, auth=({neo4j_server.user!r}, sys.stdin.readline().strip()))
        def progress(table, done, total):
            if table == "plans" and done > 0:
                print("loading", flush=True)
                time.sleep(60)
        load_dataset(driver, synthetic_dataset(2000), replace=True, batch_size=500, progress=progress)
    """)
    child = subprocess.Popen([sys.executable, "-c", script], cwd=REPO, text=True,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        child.stdin.write(neo4j_server.password + "\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "loading"
        # The loader is mid-transaction, with thousands of rows written but not committed.
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=30)
    assert snapshot(neo4j_driver) == before
    assert load_dataset(neo4j_driver, tiny_dataset()).unchanged


# --- values -----------------------------------------------------------------------------------

TRICKY = [
    "O'Brien \"the quoted\" \\ back\\\\slash",
    "}) DETACH DELETE n //",
    "x'}) MATCH (m) DETACH DELETE m RETURN '",
    "$rows {rows} `backtick` /* not a comment */",
    "Tønsberg – Øvre Æsøy, Šárka, 東京, 🙂",
    "line one\nline two\ttab",
    "007",
]


def test_values_round_trip_unchanged_and_never_become_cypher(neo4j_driver):
    n = len(TRICKY)
    ds = Dataset({
        "agencies": typed_frame("agencies", {
            "agency_id": TRICKY, "name": TRICKY, "kind": ["nav_office"] * n, "level": ["municipal"] * n,
            "municipality": TRICKY[::-1]}),
        "users": typed_frame("users", {"user_id": TRICKY, "municipality": TRICKY}),
        "responsibilities": typed_frame("responsibilities", {
            "user_id": TRICKY, "staff_id": TRICKY[::-1], "agency_id": TRICKY, "role": ["caseworker"] * n,
            "start": [dt.date(2024, 1, 1)] * n, "end": [None] * n, "reason": TRICKY}),
    }, source="tricky")
    load_dataset(neo4j_driver, ds)
    agencies = _rows(neo4j_driver, "MATCH (a:Agency) RETURN a.agency_id AS id, a.name AS name, "
                                   "a.municipality AS municipality")
    assert sorted((r["id"], r["name"], r["municipality"]) for r in agencies) == \
        sorted(zip(TRICKY, TRICKY, TRICKY[::-1]))
    links = _rows(neo4j_driver, "MATCH (s:Staff)-[r:RESPONSIBLE_FOR]->(u:ServiceUser) "
                                "RETURN s.staff_id AS staff, u.user_id AS user, r.reason AS reason, "
                                "r.agency_id AS agency")
    assert sorted((r["staff"], r["user"], r["reason"], r["agency"]) for r in links) == \
        sorted(zip(TRICKY[::-1], TRICKY, TRICKY, TRICKY))
    assert load_dataset(neo4j_driver, ds).unchanged
