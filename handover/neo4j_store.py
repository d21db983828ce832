"""Loading a :class:`~handover.model.Dataset` into Neo4j as the graph of DESIGN §4.

All or nothing
--------------
The whole load, including deleting the previous dataset when ``replace=True``, runs
in **one write transaction**: every batch is a separate ``tx.run`` of an
``UNWIND $rows AS row MERGE ...`` query inside it; a replacing load then deletes
what remains of the old dataset, and the dataset marker is written last. If
anything fails on the way (a bad row found late, a driver or server error, the
connection cut, the process killed, Ctrl-C) the transaction rolls back and the
database is exactly as it was before.

The cost: Neo4j holds the whole transaction's state on its heap until the commit,
so memory grows with the dataset, about 2.5 KB per input row as measured on 5.26
(330,000 rows took 0.8 GiB). Transactions may use 70 % of the heap, which for the
local server is ``$HANDOVER_NEO4J_HEAP`` (default ``2g``): enough for about half a
million rows. A load that needs more fails cleanly after filling the limit, with a
message saying so, and changes nothing; raise the heap and restart the server.

Which dataset is loaded
-----------------------
A ``(:HandoverDataset {fingerprint, source, loaded_at, tables, rows, ...})`` node
records the load. The fingerprint is a sha256 over the dataset's canonical content,
independent of file format (CSV or Parquet), column order and row order. Loading
the same dataset again changes nothing; loading a different one into a database
that holds one is refused unless ``replace=True``.

Values enter every query only as parameters, never as Cypher text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import pandas as pd

from handover import __version__
from handover.cypher import load_query
from handover.errors import EngineError, InputError
from handover.model import TABLES, ColumnKind, Dataset

__all__ = [
    "LoadSummary",
    "DatasetConflictError",
    "load_dataset",
    "clear_database",
    "ensure_schema",
    "dataset_fingerprint",
    "graph_counts",
    "table_rows",
]

#: Rows sent per ``tx.run``; big enough to amortise round trips, small enough to keep
#: each query's parameter map modest.
DEFAULT_BATCH_SIZE = 5000

# Tables whose rows have no id: their relationships are merged on a content key.
_KEYED_TABLES = ("employments", "responsibilities")

Progress = Callable[[str, int, int], None]


class DatasetConflictError(InputError):
    """The database holds a different dataset and ``replace`` was not asked for."""


@dataclass(frozen=True)
class LoadSummary:
    """What a load did, and what the database holds afterwards.

    Parameters
    ----------
    fingerprint : str
        sha256 of the dataset's canonical content.
    source : str or None
        Where the dataset came from (its folder).
    unchanged : bool
        True when this dataset was already loaded and nothing was written.
    replaced : str or None
        The fingerprint of the dataset that was deleted to make room, if any.
    rows : int
        Input rows written (0 when unchanged).
    seconds : float
        Wall time of the load transaction.
    nodes, relationships : dict
        Counts per label and per relationship type in the database after the load.
    """

    fingerprint: str
    source: str | None
    unchanged: bool
    replaced: str | None
    rows: int
    seconds: float
    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)

    @property
    def rows_per_second(self) -> float:
        """Load throughput (0 when nothing was written)."""
        return self.rows / self.seconds if self.rows and self.seconds > 0 else 0.0


def load_dataset(
    driver,
    dataset: Dataset,
    *,
    replace: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
    database: str | None = None,
) -> LoadSummary:
    """Load ``dataset`` into the database in one transaction (see the module docstring).

    Parameters
    ----------
    driver : neo4j.Driver
    dataset : Dataset
        A validated dataset (:func:`handover.io.read_dataset`). Rows that name an
        unknown agency, user or service are refused, since they could not be linked.
    replace : bool
        Delete the dataset the database holds first (in the same transaction).
    batch_size : int
        Rows per ``UNWIND`` batch.
    progress : callable, optional
        Called as ``progress(table, rows_done, rows_total)`` after every batch.
    database : str, optional
        The database to load into (default: the server's home database).

    Returns
    -------
    LoadSummary

    Raises
    ------
    DatasetConflictError
        When the database holds a different dataset (or model nodes without a
        marker) and ``replace`` is False; nothing is changed.
    InputError
        When rows cannot be linked (unknown agency, user or service); nothing is changed.
    EngineError
        When the server fails the load (out of memory, connection lost, ...);
        nothing is changed.
    """
    if batch_size < 1:
        raise InputError(f"batch_size: {batch_size} must be at least 1")
    rows = {table: table_rows(dataset, table) for table in TABLES if dataset.has(table)}
    fingerprint = _fingerprint_of(rows)
    ensure_schema(driver, database=database)
    marker = {
        "fingerprint": fingerprint,
        "source": dataset.source,
        "loaded_at": dt.datetime.now(dt.timezone.utc),
        "tables": list(rows),
        "rows": [len(r) for r in rows.values()],
        "handover_version": __version__,
    }
    began = time.perf_counter()
    outcome = _run_in_one_transaction(driver, database, lambda tx: _load(
        tx, rows, marker, replace, batch_size, progress))
    seconds = time.perf_counter() - began
    nodes, relationships = graph_counts(driver, database=database)
    unchanged, replaced = outcome
    written = 0 if unchanged else sum(len(r) for r in rows.values())
    return LoadSummary(fingerprint, dataset.source, unchanged, replaced, written, seconds,
                       nodes, relationships)


def _load(tx, rows: dict[str, list[dict]], marker: dict, replace: bool, batch_size: int,
          progress: Progress | None) -> tuple[bool, str | None]:
    """The body of the load transaction; returns ``(unchanged, replaced_fingerprint)``.

    A replacing load merges the new rows onto the old graph and deletes what is left
    of the old dataset at the end (``meta/prune_dataset.cypher`` says why not first).
    """
    state = tx.run(load_query("meta/dataset_state").text).single()
    markers, has_data = state["markers"], state["has_data"]
    loaded = [m["fingerprint"] for m in markers]
    if loaded == [marker["fingerprint"]]:
        return True, None
    replaced = None
    if markers or has_data:
        if not replace:
            raise DatasetConflictError(_conflict_message(markers, marker))
        replaced = ", ".join(loaded) or "(unmarked data)"
    for table, table_rows_ in rows.items():
        query = load_query(f"load/{table}").text
        total = len(table_rows_)
        if progress is not None:
            progress(table, 0, total)
        for done in range(0, total, batch_size):
            batch = table_rows_[done:done + batch_size]
            written = tx.run(query, rows=batch).single()["written"]
            if written != len(batch):
                raise InputError(_unlinked_message(table, len(batch) - written))
            if progress is not None:
                progress(table, done + len(batch), total)
    if replaced is not None:
        tx.run(load_query("meta/prune_dataset").text, **_kept_keys(rows)).consume()
    tx.run(load_query("meta/mark_dataset").text, marker=marker).consume()
    return False, replaced


def _kept_keys(rows: dict[str, list[dict]]) -> dict[str, list[str]]:
    """The ids and row keys of the new dataset: what a replacing load keeps."""
    def column(table: str, name: str) -> list:
        return [row[name] for row in rows.get(table, ()) if row[name] is not None]

    staff = {*column("staff", "staff_id"), *column("employments", "staff_id"),
             *column("responsibilities", "staff_id"), *column("contacts", "staff_id")}
    return {
        "agency_ids": column("agencies", "agency_id"),
        "service_ids": column("services", "service_id"),
        "staff_ids": sorted(staff),
        "staff_table_ids": column("staff", "staff_id"),
        "user_ids": column("users", "user_id"),
        "plan_ids": column("plans", "plan_id"),
        "episode_ids": column("episodes", "episode_id"),
        "contact_ids": column("contacts", "contact_id"),
        "responsibility_keys": column("responsibilities", "row_key"),
        "employment_keys": column("employments", "row_key"),
    }


def _run_in_one_transaction(driver, database: str | None, work):
    """Run ``work(tx)`` in one explicit write transaction: commit on success, else roll back.

    An explicit transaction, not ``execute_write``: a managed transaction would
    silently re-run a large load on transient errors (an out-of-memory one included).
    """
    from neo4j import WRITE_ACCESS
    from neo4j.exceptions import DriverError, Neo4jError

    try:
        with driver.session(database=database, default_access_mode=WRITE_ACCESS) as session:
            with session.begin_transaction() as tx:
                result = work(tx)
                tx.commit()
                return result
    except (Neo4jError, DriverError) as error:
        raise EngineError(_server_failure_message(error)) from None


def _server_failure_message(error) -> str:
    code = getattr(error, "code", None) or ""
    text = (getattr(error, "message", None) or str(error) or type(error).__name__).splitlines()[0]
    if "OutOfMemory" in code or "MemoryLimit" in code:
        return (f"the load did not fit in the server's transaction memory ({text}); nothing was "
                "changed. Raise HANDOVER_NEO4J_HEAP (default 2g) and restart the local server with "
                "`handover neo4j stop` and `handover neo4j start`")
    return f"the load failed on the server ({code or type(error).__name__}: {text}); nothing was changed"


def _conflict_message(markers: list[dict], marker: dict) -> str:
    if markers:
        held = "; ".join(f"fingerprint {m['fingerprint'][:12]} from {m.get('source') or 'an unnamed source'}"
                         for m in markers)
    else:
        held = "handover data without a dataset marker (loaded by something else)"
    return (f"the database already holds a different dataset ({held}); refusing to mix it with "
            f"fingerprint {marker['fingerprint'][:12]} from {marker['source'] or 'an unnamed source'}. "
            "Pass --replace (replace=True) to replace it")


def _unlinked_message(table: str, missing: int) -> str:
    targets = {
        "services": "an agency_id", "employments": "an agency_id",
        "responsibilities": "a user_id or agency_id", "plans": "a user_id or agency_id",
        "episodes": "a user_id or service_id", "contacts": "a user_id, agency_id or service_id",
    }.get(table, "an id")
    return (f"{table}: {missing} row{'s' if missing != 1 else ''} name{'s' if missing == 1 else ''} "
            f"{targets} that is not in the dataset, so {'it' if missing == 1 else 'they'} cannot be "
            "linked; nothing was loaded (run `handover validate` on the folder)")


def ensure_schema(driver, *, database: str | None = None) -> None:
    """Create the uniqueness constraints of ``cypher/schema.cypher`` that do not exist yet.

    Schema changes cannot share a transaction with data, so each statement runs on
    its own; ``IF NOT EXISTS`` makes this cheap and safe before every load.
    """
    with driver.session(database=database) as session:
        for statement in load_query("schema").statements():
            session.run(statement).consume()


def clear_database(driver, *, database: str | None = None, batch_size: int = 10_000) -> int:
    """Delete every node and relationship, in batches of separate transactions.

    Meant for tests and for starting afresh; constraints stay. Unlike a replacing
    load this is not atomic, but each batch keeps transaction memory small.

    Returns
    -------
    int
        The number of nodes deleted.
    """
    query = load_query("meta/clear_batch").text
    deleted = 0
    with driver.session(database=database) as session:
        while True:
            count = session.execute_write(lambda tx: tx.run(query, batch_size=batch_size).single()["deleted"])
            deleted += count
            if count == 0:
                return deleted


def graph_counts(driver, *, database: str | None = None) -> tuple[dict[str, int], dict[str, int]]:
    """Nodes per label and relationships per type of the handover model in the database."""
    from neo4j import RoutingControl

    records, _, _ = driver.execute_query(load_query("meta/graph_counts").text, database_=database,
                                         routing_=RoutingControl.READ)
    nodes = {r["name"]: r["count"] for r in records if r["kind"] == "node"}
    relationships = {r["name"]: r["count"] for r in records if r["kind"] == "relationship"}
    return nodes, relationships


# --- from frames to parameter rows ------------------------------------------------------


def table_rows(dataset: Dataset, table: str) -> list[dict[str, Any]]:
    """The rows of ``table`` as query parameters: ``str``, ``int``, ``datetime.date`` or ``None``.

    Every contract column is present in each row (``None`` when missing, which
    leaves the property absent in the graph). Rows of tables without an id get a
    ``row_key``: the sha256 of the row's content plus its occurrence number among
    identical rows, so that repeated rows stay distinct and loading is idempotent.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> row = table_rows(tiny_dataset(), "responsibilities")[0]
    >>> row["start"], row["end"], row["reason"], len(row["row_key"])
    (datetime.date(2024, 1, 1), datetime.date(2024, 2, 1), None, 66)
    """
    spec = TABLES[table]
    frame = dataset[table]
    columns = {}
    for column in spec.columns:
        values = frame[column.name] if column.name in frame.columns else pd.Series([None] * len(frame))
        columns[column.name] = [_parameter(v, column.kind) for v in values.tolist()]
    names = list(columns)
    rows = [dict(zip(names, values)) for values in zip(*columns.values())] if names else []
    if table in _KEYED_TABLES:
        seen: dict[str, int] = {}
        for row in rows:
            digest = hashlib.sha256(_canonical(row).encode("utf-8")).hexdigest()
            seen[digest] = seen.get(digest, 0) + 1
            row["row_key"] = f"{digest}-{seen[digest]}"
    return rows


def _parameter(value, kind: ColumnKind):
    """One cell as a Bolt parameter; every kind of missing value becomes ``None``."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:  # NaN
        return None
    if kind is ColumnKind.DATE:
        if isinstance(value, str):
            return dt.date.fromisoformat(value[:10])
        if isinstance(value, dt.datetime):  # pandas Timestamps are datetimes
            return value.date()
        return value
    if kind is ColumnKind.YEAR:
        return int(value)
    return value if isinstance(value, str) else str(value)


def _canonical(row: dict[str, Any]) -> str:
    return json.dumps(row, sort_keys=True, default=_json_value, ensure_ascii=False, separators=(",", ":"))


def _json_value(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def _fingerprint_of(rows: dict[str, list[dict]]) -> str:
    digest = hashlib.sha256()
    for table in sorted(rows):
        canonical = sorted(_canonical({k: v for k, v in row.items() if k != "row_key"})
                           for row in rows[table])
        digest.update(json.dumps([table, len(canonical)]).encode("utf-8"))
        for line in canonical:
            digest.update(line.encode("utf-8"))
            digest.update(b"\n")
    return digest.hexdigest()


def dataset_fingerprint(dataset: Dataset) -> str:
    """sha256 over the dataset's canonical content.

    Independent of file format, column order and row order; a table that is absent
    differs from a table that is present but empty.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> ds = tiny_dataset()
    >>> shuffled = Dataset({t: f.iloc[::-1] for t, f in ds.tables.items()})
    >>> dataset_fingerprint(ds) == dataset_fingerprint(shuffled)
    True
    """
    return _fingerprint_of({table: table_rows(dataset, table) for table in TABLES if dataset.has(table)})

