"""Neo4j: bulk-load throughput per batch size, each finding's time, and PROFILE plans.

The benchmark starts its own local server (``handover.engines.neo4j.localserver``) in a state
directory of its own, with the heap it is given, and always stops it again.
"""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pandas as pd

from bench.results import Results
from handover.engines.neo4j import localserver
from handover.engines.neo4j.queries import load_query
from handover.engines.neo4j import Neo4jEngine
from handover.findings import FINDINGS, find, resolve_options
from handover.io import read_dataset
from handover.engines.neo4j.store import clear_dataset, load_dataset

__all__ = ["bench_server", "warm_up", "load_throughput", "queries", "profile_findings", "server_version"]

REPO = Path(__file__).resolve().parent.parent
# The test suite's cache of Neo4j's resolved classpath (tests/conftest.py): with it, the
# benchmark's server starts without calling Maven.
_CLASSPATH_CACHE = REPO / ".handover" / "test-classpath"


class _Capped(Exception):
    """A bulk load ran past its time cap."""


@contextmanager
def bench_server(state_dir: Path, heap: str, log) -> Iterator[localserver.ServerInfo]:
    """A fresh local server in ``state_dir`` with ``heap``, stopped on the way out (also on SIGTERM)."""
    state_dir.mkdir(parents=True, exist_ok=True)
    for cached in _CLASSPATH_CACHE.glob("classpath-*.txt"):
        if not (state_dir / cached.name).exists():
            shutil.copy(cached, state_dir / cached.name)
    localserver.stop(state_dir)  # a server left by an earlier run may have another heap
    previous_heap = os.environ.get("HANDOVER_NEO4J_HEAP")
    previous_handler = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    os.environ["HANDOVER_NEO4J_HEAP"] = heap
    try:
        info = localserver.start(state_dir, timeout=600.0, log=log)
        yield info
    finally:
        localserver.stop(state_dir)
        log(f"stopped the benchmark's Neo4j in {state_dir}")
        signal.signal(signal.SIGTERM, previous_handler)
        if previous_heap is None:
            os.environ.pop("HANDOVER_NEO4J_HEAP", None)
        else:
            os.environ["HANDOVER_NEO4J_HEAP"] = previous_heap


def _exit_on_sigterm(signum, frame):
    raise SystemExit(f"terminated by signal {signum}")


def server_version(engine: Neo4jEngine) -> str:
    records, _, _ = engine.driver.execute_query("CALL dbms.components() YIELD name, versions, edition "
                                                "RETURN name, versions[0] AS version, edition")
    return ", ".join(f"{r['name']} {r['version']} {r['edition']}" for r in records)


def warm_up(engine: Neo4jEngine, folder: Path, log) -> None:
    """Load a small dataset once, unrecorded: the server compiles the load queries and the JVM
    warms up, so that the first measured load is not penalised for it."""
    log(f"neo4j: warming up with {folder.name} ...")
    clear_dataset(engine.driver)
    load_dataset(engine.driver, read_dataset(folder), atomic=False, batch_size=1_000)


def load_throughput(results: Results, engine: Neo4jEngine, folder: Path, users: int, batch_sizes: list[int],
                    *, cap: float, log) -> bool:
    """Bulk-load the dataset once per batch size into an emptied database; True when one completed.

    Before each load the previous one is deleted with :func:`clear_dataset` (timed on its
    own). The last batch size is loaded last, so the queries that follow run on its load.
    """
    dataset = read_dataset(folder)
    total = sum(len(f) for f in dataset.tables.values())
    completed = False
    for batch_size in batch_sizes:
        log(f"neo4j, {users} users: clearing, then bulk load with batch size {batch_size} ...")
        cleared = time.perf_counter()
        clear_dataset(engine.driver)
        clear_seconds = time.perf_counter() - cleared
        began = time.perf_counter()

        def stop_at_cap(table, done, count, began=began):
            if time.perf_counter() - began > cap:
                raise _Capped()

        entry = {"users": users, "batch_size": batch_size, "rows": total, "cap": cap}
        try:
            summary = load_dataset(engine.driver, dataset, atomic=False, batch_size=batch_size,
                                   progress=stop_at_cap)
        except _Capped:
            entry.update(status="timeout", wall=time.perf_counter() - began)
            log(f"  past the cap of {cap:.0f} s; the load is left incomplete")
        else:
            wall = time.perf_counter() - began
            entry.update(status="ok", seconds=summary.seconds, rows_per_second=summary.rows_per_second,
                         clear_seconds=clear_seconds, prepare_seconds=wall - summary.seconds, wall=wall,
                         nodes=sum(summary.nodes.values()), relationships=sum(summary.relationships.values()))
            completed = True
            log(f"  {summary.rows_per_second:,.0f} rows/s ({summary.seconds:.1f} s; cleared the previous "
                f"load in {clear_seconds:.1f} s; rows prepared in {entry['prepare_seconds']:.1f} s)")
        results.add("neo4j_load", entry)
    if not completed:
        return False
    last = results["neo4j_load"][-1]
    if last["status"] != "ok":  # queries must run on a complete load: load once more, uncapped
        clear_dataset(engine.driver)
        load_dataset(engine.driver, dataset, atomic=False, batch_size=batch_sizes[0])
    return True


def queries(results: Results, engine: Neo4jEngine, users: int, memory_seconds: dict[str, float], *,
            repeat: int, cap: float, log) -> None:
    """Each finding through ``find()`` on the Neo4j engine: the first run and the best of ``repeat``."""
    as_of = engine.latest_date()
    for name in FINDINGS:
        log(f"neo4j, {users} users: {name} ...")
        samples, rows, status = [], None, "ok"
        for _ in range(max(1, repeat)):
            outcome = _with_cap(engine, lambda: find(engine, name, as_of=as_of), cap)
            if outcome[0] != "ok":
                status = outcome[0]
                break
            samples.append(outcome[1])
            rows = len(outcome[2])
        entry = {"users": users, "finding": name, "status": status, "samples": samples,
                 "first_seconds": samples[0] if samples else None,
                 "seconds": min(samples) if samples else None, "rows": rows, "cap": cap,
                 "memory_seconds": memory_seconds.get(name)}
        results.add("neo4j_queries", entry)
        log(f"  {status}; " + ", ".join(f"{s:.2f} s" for s in samples))


def _with_cap(engine: Neo4jEngine, work, cap: float):
    """Run ``work()`` with a time cap; past it, the server's transactions are terminated.

    Returns ``("ok", seconds, result)``, ``("timeout", cap, None)`` or ``("failed", message, None)``.
    """
    outcome: dict = {}

    def run():
        began = time.perf_counter()
        try:
            outcome["result"] = work()
            outcome["seconds"] = time.perf_counter() - began
        except Exception as error:  # reported as the measurement's status
            outcome["error"] = f"{type(error).__name__}: {error}"

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(cap)
    if worker.is_alive():
        _terminate_queries(engine)
        worker.join(60)
        return "timeout", cap, None
    if "error" in outcome:
        return "failed", outcome["error"], None
    return "ok", outcome["seconds"], outcome["result"]


def _terminate_queries(engine: Neo4jEngine) -> None:
    """End every running query on the benchmark's own server (nobody else uses it)."""
    records, _, _ = engine.driver.execute_query(
        "SHOW TRANSACTIONS YIELD transactionId, currentQuery WHERE NOT currentQuery STARTS WITH 'SHOW' "
        "RETURN transactionId")
    ids = [r["transactionId"] for r in records]
    if ids:
        engine.driver.execute_query("TERMINATE TRANSACTIONS $ids", ids=ids)


# --- PROFILE -----------------------------------------------------------------------------

_FLAGGED = ("CartesianProduct", "Eager", "AllNodesScan")
_SEEKS = ("NodeIndexSeek", "NodeUniqueIndexSeek", "DirectedRelationshipIndexSeek", "NodeIndexScan")


def profile_findings(results: Results, engine: Neo4jEngine, users: int, out: Path, *, cap: float,
                     log) -> None:
    """PROFILE every finding (and one batch of the contacts load) and save the plans as text."""
    out.mkdir(parents=True, exist_ok=True)
    as_of = engine.latest_date()
    for name in FINDINGS:
        log(f"neo4j, {users} users: PROFILE {name} ...")
        query = load_query(f"findings/{name}")
        params = {k: _bolt(v) for k, v in resolve_options(name, {}, as_of).items()}
        _profile(results, engine, users, name, query.text, params, out, cap)
    # A load batch, to show the id lookups are index seeks. It MERGEs rows that are already
    # there (the same ids, the same values), so the loaded graph does not change.
    records, _, _ = engine.driver.execute_query(
        "MATCH (u:ServiceUser)-[:HAD_CONTACT]->(c:Contact)-[:WITH]->(a:Agency) "
        "RETURN u.user_id AS user_id, a.agency_id AS agency_id, c.contact_id AS contact_id, c.date AS date, "
        "c.kind AS kind, c.service_id AS service_id, c.staff_id AS staff_id LIMIT 5000")
    rows = [r.data() for r in records]
    _profile(results, engine, users, "load_contacts_batch", load_query("load/contacts").text, {"rows": rows},
             out, cap, write=True)


def _profile(results: Results, engine: Neo4jEngine, users: int, name: str, text: str, params: dict,
             out: Path, cap: float, write: bool = False) -> None:
    from neo4j import READ_ACCESS, WRITE_ACCESS

    def run():
        with engine.driver.session(default_access_mode=WRITE_ACCESS if write else READ_ACCESS) as session:
            result = session.run("PROFILE " + text, params)
            count = sum(1 for _ in result)
            return count, result.consume()

    status, seconds, outcome = _with_cap(engine, run, cap)
    if status != "ok":
        results.add("profiles", {"users": users, "finding": name, "status": status, "detail": str(seconds)})
        return
    count, summary = outcome
    lines: list[str] = []
    totals = {"db_hits": 0, "rows": count, "operators": set(), "cache_hits": 0, "cache_misses": 0}
    _render(summary.profile, 0, lines, totals)
    path = out / f"{name}-{users}.txt"
    # The server's own rendering of the plan, as Neo4j Browser and cypher-shell show it.
    table = summary.profile.get("args", {}).get("string-representation") or "\n".join(lines)
    header = f"PROFILE {name} on {users:,} users: {count:,} rows in {seconds:.2f} s (wall time, PROFILE's " \
             f"own overhead included)\n\n"
    path.write_text(header + table + "\n\n-- query --\n" + text, encoding="utf-8")
    operators = sorted(totals["operators"])
    results.add("profiles", {
        "users": users, "finding": name, "status": "ok", "seconds": seconds, "rows": count,
        "db_hits": totals["db_hits"], "page_cache_hits": totals["cache_hits"],
        "page_cache_misses": totals["cache_misses"], "file": str(path.relative_to(out.parent)),
        "memory_bytes": summary.profile.get("args", {}).get("GlobalMemory"),
        "index_seeks": [op for op in operators if any(op.startswith(s) for s in _SEEKS)],
        "flagged": [op for op in operators if any(op.startswith(s) for s in _FLAGGED)],
        "top_db_hits": _top_operators(summary.profile),
    })


def _render(plan: dict, depth: int, lines: list[str], totals: dict) -> None:
    args = plan.get("args", {})
    operator = plan.get("operatorType", "?").split("@")[0]
    hits = int(plan.get("dbHits", args.get("DbHits", 0)) or 0)
    cache_hits = int(plan.get("pageCacheHits", args.get("PageCacheHits", 0)) or 0)
    cache_misses = int(plan.get("pageCacheMisses", args.get("PageCacheMisses", 0)) or 0)
    totals["db_hits"] += hits
    totals["cache_hits"] += cache_hits
    totals["cache_misses"] += cache_misses
    totals["operators"].add(operator)
    details = " ".join(str(args.get("Details", "")).split())
    if len(details) > 160:
        details = details[:157] + "..."
    lines.append(f"{'  ' * depth}{operator} | {details} | {plan.get('rows', args.get('Rows', ''))} | "
                 f"{hits:,} | {cache_hits:,}/{cache_misses:,}")
    for child in plan.get("children", []):
        _render(child, depth + 1, lines, totals)


def _top_operators(plan: dict, top: int = 3) -> list[str]:
    found = []

    def walk(node):
        args = node.get("args", {})
        hits = int(node.get("dbHits", args.get("DbHits", 0)) or 0)
        found.append((hits, node.get("operatorType", "?").split("@")[0],
                      " ".join(str(args.get("Details", "")).split())[:70]))
        for child in node.get("children", []):
            walk(child)

    walk(plan)
    return [f"{op} ({hits:,} db hits: {details})" for hits, op, details in sorted(found, reverse=True)[:top] if hits]


def _bolt(value):
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, (tuple, list)):
        return [_bolt(v) for v in value]
    return value
