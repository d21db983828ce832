"""Loading a :class:`~handover.model.Dataset` into Neo4j as the graph of docs/findings.md §4.

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
message saying so, and changes nothing; load in bulk mode (below), or raise the heap
and restart the server.

Bulk mode, for datasets bigger than the heap
---------------------------------------------
A health region or the country (100,000 users are about 5 million rows) does not fit
in one transaction. ``load_dataset(..., atomic=False)`` (``handover load --bulk``)
commits every batch on its own, so the server's memory stays flat whatever the size,
and gives up atomicity in a controlled way:

1. It loads only into a database without handover data. With ``replace=True`` it first
   deletes the old dataset in committed batches (:func:`clear_dataset`: the old marker
   is set incomplete, then ``meta/clear_label.cypher`` runs label by label, leaves first,
   markers last); without it, a database holding data is refused.
2. It writes the ``(:HandoverDataset)`` marker with ``complete: false`` before the first
   batch, in a transaction of its own.
3. It loads the tables batch by batch, one committed transaction each, with the queries of
   ``cypher/bulk/``: the graph of the atomic mode's ``load/*.cypher``, but created rather than
   merged, since nothing is there to merge with (``bench/results/bulk.md``). The staff come
   first, those the staff table lists and those only named elsewhere, so that later batches
   only find them.
4. It writes the derived handover relationships (:mod:`handover.engines.neo4j.derived`) in
   batches the same way.
5. It sets ``complete: true`` last (``meta/complete_dataset.cypher``).

Every batch first claims the marker in its own transaction (``meta/claim_batch.cypher``:
it must still be there, incomplete and not superseded, and is write-locked until the batch
commits). The claim counts the batches: a batch that the driver retries after its commit had
succeeded unacknowledged finds itself counted and writes nothing twice. A bulk load that
another client's load has overtaken — a replace that deleted its marker, or a bulk clear that
superseded it — therefore writes nothing more and stops, saying what the database now holds. Load one dataset at a time into a database: the claims
detect a lost race, they do not queue loads.

A bulk load that stops half-way (an error, Ctrl-C, the process killed, the server gone)
leaves a partial graph behind a marker with ``complete: false``. The Neo4j engine
refuses to run any finding on it, with a message saying to reload; loading again with
``replace=True`` clears it and starts over. Half a dataset is never mistaken for a whole
one, but unlike the atomic mode the previous dataset is gone once a replacing bulk load
has begun.

Which dataset is loaded
-----------------------
A ``(:HandoverDataset {fingerprint, source, loaded_at, tables, rows, complete, ...})``
node records the load (``complete`` is false only while a bulk load runs or after one
stopped half-way; markers written before bulk mode existed have none and count as
complete). The fingerprint is a sha256 over the dataset's canonical content,
independent of file format (CSV or Parquet), column order and row order. Loading
the same dataset again changes nothing; loading a different one into a database
that holds one is refused unless ``replace=True``.

Handovers as relationships
--------------------------
After the tables, both modes write the graph's own answer to "who handed over to whom"
(:mod:`handover.engines.neo4j.derived`, worked out from the frames with the memory engine's
definitions): ``(:Episode)-[:NEXT_EPISODE {gap_days}]->(:Episode)`` from each ended episode to
the user's next one, and ``(:Staff)-[:HANDED_OVER_TO {user_id, role, date}]->(:Staff)`` between
staff members who followed one another in a role (docs/graph.md). A replacing atomic load
deletes the old ones and writes them again in the same transaction.

Open ends that an index covers
------------------------------
An interval's ``end`` stays absent when it is open, as every client shows it, and a range index
holds no entry for an absent property. So every load gives every responsibility, plan and
episode an ``end_key`` with its other properties: its ``end``, or the sentinel 9999-12-31
when open, later than any date of a dataset. "Active on day d" is then ``start <= d AND
end_key > d``, which the range indexes of ``cypher/schema.cypher`` answer with a seek
(``bench/results/profiles``). Employments get none: no finding filters them by date. A
replacing load sets every ``end_key`` again from the new ``end``.

Values enter every query only as parameters, never as Cypher text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from dataclasses import dataclass, field
from typing import Callable

from handover import __version__
from handover.engines.neo4j.connection import server_errors
from handover.engines.neo4j.derived import DERIVED, DERIVED_LINKS, derived_links, link_batches
from handover.engines.neo4j.queries import load_query
from handover.engines.neo4j.rows import batches, dataset_fingerprint, fingerprint_of, table_rows
from handover.errors import EngineError, InputError
from handover.model import TABLES, Dataset
from handover.privacy.identifiers import find_identifiers
from handover.privacy.redaction import redacted

__all__ = [
    "LoadSummary",
    "DatasetConflictError",
    "dataset_marker",
    "what_a_load_does",
    "already_loaded",
    "load_dataset",
    "clear_database",
    "clear_dataset",
    "ensure_schema",
    "dataset_fingerprint",
    "described_marker",
    "replacing_message",
    "graph_counts",
    "table_rows",
]

#: Rows sent per ``tx.run``; big enough to amortise round trips, small enough to keep
#: each query's parameter map modest.
DEFAULT_BATCH_SIZE = 5000

# Tables whose rows have no id: their relationships are merged on a content key.

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
        Wall time of the load transaction (in bulk mode: of writing the rows, from the
        incomplete marker to the complete one).
    nodes, relationships : dict
        Counts per label and per relationship type in the database after the load.
    clear_seconds : float
        Bulk mode with ``replace``: wall time of deleting the old dataset first (0
        otherwise; the atomic mode's replacement is part of ``seconds``).
    """

    fingerprint: str
    source: str | None
    unchanged: bool
    replaced: str | None
    rows: int
    seconds: float
    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)
    clear_seconds: float = 0.0

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
    atomic: bool = True,
    announce: Callable[[str], None] | None = None,
) -> LoadSummary:
    """Load ``dataset`` into the database, in one transaction or in bulk (module docstring).

    Parameters
    ----------
    driver : neo4j.Driver
    dataset : Dataset
        A validated dataset (:func:`handover.io.read_dataset`). Rows that name an
        unknown agency, user or service are refused, since they could not be linked.
    replace : bool
        Delete the dataset the database holds first (in the same transaction; in
        bulk mode in committed batches before loading).
    batch_size : int
        Rows per ``UNWIND`` batch.
    progress : callable, optional
        Called as ``progress(table, rows_done, rows_total)`` after every batch.
    database : str, optional
        The database to load into (default: the server's home database).
    atomic : bool, default True
        True: one transaction, all or nothing, limited by the server's heap. False:
        bulk mode, every batch committed on its own behind a ``complete: false``
        marker, for datasets of any size (see the module docstring).
    announce : callable, optional
        Called with one sentence before a replacing load writes: what it replaces (the
        dataset's fingerprint and source, when it was loaded and how long that took).

    Returns
    -------
    LoadSummary

    Raises
    ------
    DatasetConflictError
        When the database holds a different dataset (or model nodes without a
        marker) and ``replace`` is False; nothing is changed.
    InputError
        When rows cannot be linked (unknown agency, user or service); nothing is changed
        (in bulk mode: the incomplete load stays, marked so, and queries refuse it).
    EngineError
        When the server fails the load (out of memory, connection lost, ...);
        nothing is changed (in bulk mode: as for InputError).

    Examples
    --------
    >>> from handover.engines.neo4j.connection import open_driver
    >>> from handover.io import read_dataset
    >>> with open_driver() as driver:                                 # doctest: +SKIP
    ...     load_dataset(driver, read_dataset("region"), atomic=False, replace=True)
    """
    if batch_size < 1:
        raise InputError(f"batch_size: {batch_size} must be at least 1")
    tables = [table for table in TABLES if dataset.has(table)]
    if atomic:
        rows = {table: table_rows(dataset, table) for table in tables}
        fingerprint = fingerprint_of(rows)
    else:
        # One table's parameters at a time, here and while loading: client memory stays
        # that of the dataset's frames, not of millions of row dicts.
        fingerprint = dataset_fingerprint(dataset)
    ensure_schema(driver, database=database)
    marker = dataset_marker(dataset, fingerprint, complete=atomic)
    began = time.perf_counter()
    cleared = [0.0]
    if atomic:
        links = derived_links(dataset)
        outcome = _run_in_one_transaction(driver, database, lambda tx: _load(
            tx, rows, links, marker, replace, batch_size, progress, announce, began))
    else:
        outcome = _load_in_batches(driver, database, dataset, tables, marker, replace, batch_size, progress,
                                   cleared, announce)
    seconds = time.perf_counter() - began - cleared[0]
    nodes, relationships = graph_counts(driver, database=database)
    unchanged, replaced = outcome
    written = 0 if unchanged else sum(marker["rows"])
    return LoadSummary(fingerprint, dataset.source, unchanged, replaced, written, seconds,
                       nodes, relationships, cleared[0])


def dataset_marker(dataset: Dataset, content_fingerprint: str, *, complete: bool) -> dict:
    """The properties of the ``(:HandoverDataset)`` node a load of ``dataset`` writes.

    Parameters
    ----------
    dataset : Dataset
    content_fingerprint : str
        :func:`dataset_fingerprint` of its content; a focused dataset's marker holds a
        fingerprint that also covers its focus.
    complete : bool
        False for a load that commits before it has finished (bulk, import).

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> marker = dataset_marker(tiny_dataset(), "ab" * 32, complete=False)
    >>> marker["fingerprint"] == "ab" * 32, marker["complete"], marker["derived"]
    (True, False, ['next_episodes', 'handed_over', 'end_keys'])
    """
    tables = [table for table in TABLES if dataset.has(table)]
    return {
        "fingerprint": _with_focus(content_fingerprint, dataset),
        "source": dataset.source,
        "loaded_at": dt.datetime.now(dt.timezone.utc),
        "tables": tables,
        "rows": [len(dataset[table]) for table in tables],
        "handover_version": __version__,
        "complete": complete,
        # Loaded with --allow-identifiers: later queries without the flag refuse, as the
        # memory engine would refuse the files (Neo4jEngine._markers).
        "holds_identifiers": bool(find_identifiers(dataset)),
        # The default as_of: recorded here, so a query need not scan the graph for it.
        **_latest_marker(dataset),
        # What is derived after the tables (relationships and end_key), which the findings use.
        "derived": list(DERIVED),
        **_focus_marker(dataset),
    }


def _latest_marker(dataset: Dataset) -> dict:
    latest = dataset.latest_date()
    return {} if latest is None else {"latest_date": latest.date()}


def _focus_marker(dataset: Dataset) -> dict:
    """What the marker records of a focused dataset (``--agency``): its agencies, and the latest
    date of the whole dataset, which stays the default ``as_of`` of the loaded graph."""
    if not dataset.focus:
        return {}
    latest = dataset.latest_date()
    return {"focus": list(dataset.focus), **({"whole_latest_date": latest.date()} if latest is not None else {})}


def _with_focus(fingerprint: str, dataset: Dataset) -> str:
    """The fingerprint of a focused dataset also covers its focus and its default ``as_of``
    (a whole dataset's stays the fingerprint of its content)."""
    if not dataset.focus:
        return fingerprint
    latest = dataset.latest_date()
    text = f"{fingerprint}|focus={','.join(dataset.focus)}|as_of={latest.date() if latest is not None else ''}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _load(tx, rows: dict[str, list[dict]], links: dict, marker: dict, replace: bool, batch_size: int,
          progress: Progress | None, announce: Callable[[str], None] | None = None,
          began: float | None = None) -> tuple[bool, str | None]:
    """The body of the load transaction; returns ``(unchanged, replaced_fingerprint)``.

    A replacing load merges the new rows onto the old graph and deletes what is left
    of the old dataset at the end (``meta/prune_dataset.cypher`` says why not first).
    """
    state = tx.run(load_query("meta/dataset_state").text).single()
    if already_loaded(state["markers"], marker):
        return True, None
    replaced = _what_is_replaced(state, marker, replace, _conflict_message)
    if replaced is not None and announce is not None:
        announce(replacing_message(state["markers"], marker))
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
        tx.run(load_query("meta/clear_derived").text).consume()
    for name, found in links.items():
        query = load_query(f"load/{name}").text
        if progress is not None:
            progress(DERIVED_LINKS[name], 0, len(found))
        for done, batch in link_batches(found, batch_size):
            tx.run(query, rows=batch).consume()
            if progress is not None:
                progress(DERIVED_LINKS[name], done + len(batch), len(found))
    seconds = round(time.perf_counter() - began, 1) if began is not None else None
    tx.run(load_query("meta/mark_dataset").text, marker={**marker, "load_seconds": seconds}).consume()
    return False, replaced


def what_a_load_does(driver, marker: dict, *, replace: bool, database: str | None = None,
                     announce: Callable[[str], None] | None = None) -> tuple[bool, str | None]:
    """What loading the dataset of ``marker`` would do to the database, asked before writing.

    Returns ``(unchanged, replaced)`` as a load does: ``unchanged`` when the database holds
    exactly this dataset, complete; ``replaced`` the fingerprints of what it replaces (``None``
    for a database without handover data). ``announce`` gets :func:`replacing_message`.

    Raises
    ------
    DatasetConflictError
        When the database holds a different dataset and ``replace`` is False.
    """
    from neo4j import RoutingControl

    with server_errors("reading which dataset the database holds"):
        records, _, _ = driver.execute_query(load_query("meta/dataset_state").text, database_=database,
                                             routing_=RoutingControl.READ)
    state = records[0]
    if already_loaded(state["markers"], marker):
        return True, None
    replaced = _what_is_replaced(state, marker, replace, _conflict_message)
    if replaced is not None and announce is not None:
        announce(replacing_message(state["markers"], marker))
    return False, replaced


def already_loaded(markers: list[dict], marker: dict) -> bool:
    """Whether the database holds exactly this dataset, completely loaded, with everything derived.

    A graph loaded by an older handover, without one of :data:`DERIVED`, is not: loading the same
    dataset again with ``replace`` derives it, where the engine would refuse the old graph.
    """
    return ([m["fingerprint"] for m in markers] == [marker["fingerprint"]]
            and markers[0].get("complete", True) is not False
            and not set(marker["derived"]) - set(markers[0].get("derived") or ()))


def _what_is_replaced(state, marker: dict, replace: bool, conflict_message) -> str | None:
    """What a load replaces (``None`` for an empty database); refuses to mix without ``replace``."""
    markers, has_data = state["markers"], state["has_data"]
    if not (markers or has_data):
        return None
    if not replace:
        raise DatasetConflictError(conflict_message(markers, marker))
    return _replaced(markers)


def _replaced(markers: list[dict]) -> str:
    return ", ".join(m["fingerprint"] for m in markers) or "(unmarked data)"


#: The order in which a bulk load clears a database: nodes with few links and many
#: siblings first, so that no batch has to detach a node that a million others point at.
_CLEAR_ORDER = ("Contact", "Episode", "Plan", "ServiceUser", "Staff", "Service", "Agency",
                "HandoverDataset")


def _load_in_batches(driver, database: str | None, dataset: Dataset, tables: list[str], marker: dict,
                     replace: bool, batch_size: int, progress: Progress | None,
                     cleared: list[float], announce: Callable[[str], None] | None = None) -> tuple[bool, str | None]:
    """Bulk mode: every batch its own committed transaction, behind an incomplete marker.

    Returns ``(unchanged, replaced_fingerprint)`` as :func:`_load` does, and puts the
    seconds spent clearing the old dataset into ``cleared[0]``. The rows of each batch
    are made just before it is sent.
    """
    from neo4j import WRITE_ACCESS
    from neo4j.exceptions import DriverError, Neo4jError

    total = sum(marker["rows"])
    done = 0
    try:
        with driver.session(database=database, default_access_mode=WRITE_ACCESS) as session:
            state = session.execute_read(lambda tx: tx.run(load_query("meta/dataset_state").text).single())
            if already_loaded(state["markers"], marker):
                return True, None
            replaced = _what_is_replaced(state, marker, replace, _bulk_conflict_message)
            began = time.perf_counter()
            if replaced is not None:
                if announce is not None:
                    announce(replacing_message(state["markers"], marker))
                _clear_labels(session, keep_markers=True)  # meta/mark_dataset replaces them
                cleared[0] = time.perf_counter() - began
            session.execute_write(lambda tx: tx.run(load_query("meta/mark_dataset").text,
                                                    marker=marker).consume())
            claims = _Claims(session, marker["fingerprint"])
            links = derived_links(dataset)
            for table in (*_with_staff(tables), *links):
                query = load_query(f"load/{table}" if table in links else f"bulk/create_{table}").text
                name = DERIVED_LINKS.get(table, table)
                for start, batch, count, inputs in _bulk_batches(dataset, links, table, batch_size):
                    if progress is not None and start == 0:
                        progress(name, 0, count)
                    written = claims.write(query, batch)
                    if written is None:
                        raise EngineError(_lost_race_message(session, marker, done, total))
                    if written != len(batch):
                        raise InputError(_unlinked_message(table, len(batch) - written, bulk=True))
                    done += inputs
                    if progress is not None:
                        progress(name, start + len(batch), count)
            marked = session.execute_write(lambda tx: tx.run(
                load_query("meta/complete_dataset").text, fingerprint=marker["fingerprint"],
                loaded_at=dt.datetime.now(dt.timezone.utc),
                load_seconds=round(time.perf_counter() - began - cleared[0], 1)).single()["marked"])
            if marked != 1:
                raise EngineError(_lost_race_message(session, marker, done, total))
            return False, replaced
    except (Neo4jError, DriverError) as error:
        raise EngineError(_bulk_failure_message(error, done, total)) from None


def _with_staff(tables: list[str]) -> list[str]:
    """The tables a bulk load writes, in order, with ``staff`` before the first that names staff
    (``bulk/create_staff.cypher`` also creates the staff named only elsewhere)."""
    if "staff" in tables:
        return tables
    at = next((i for i, table in enumerate(tables) if table in _NAMES_STAFF), len(tables))
    return [*tables[:at], "staff", *tables[at:]] if at < len(tables) else tables


#: The tables whose staff ids are (:Staff) nodes even without a row in the staff table.
_NAMES_STAFF = ("employments", "responsibilities", "contacts")


def _bulk_batches(dataset: Dataset, links: dict, table: str, batch_size: int):
    """``(start, rows, count, inputs)`` for each batch a bulk load writes of ``table``: a table,
    ``staff`` with the staff named only elsewhere after the listed ones, or one of ``links``
    (:func:`derived_links`). ``count`` is how many the step writes, ``inputs`` how many of the
    batch's rows are input rows (not derived, not named staff)."""
    if table in links:
        for start, batch in link_batches(links[table], batch_size):
            yield start, batch, len(links[table]), 0
        return
    extra = named_staff(dataset) if table == "staff" else []
    listed = len(dataset[table]) if dataset.has(table) else 0
    if listed:
        for start, batch in batches(dataset, table, batch_size):
            yield start, batch, listed + len(extra), len(batch)
    for start in range(0, len(extra), batch_size):
        rows = [{"staff_id": staff_id, "profession": None} for staff_id in extra[start:start + batch_size]]
        yield listed + start, rows, listed + len(extra), 0


def named_staff(dataset: Dataset) -> list[str]:
    """The staff ids that employments, responsibilities or contacts name but the staff table does not
    list (all they name, without one), sorted: (:Staff) nodes with only their id.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> named_staff(tiny_dataset())
    []
    """
    named: set[str] = set()
    for table in _NAMES_STAFF:
        if dataset.has(table) and "staff_id" in dataset[table].columns:
            named.update(dataset[table]["staff_id"].dropna().unique().tolist())
    listed = set(dataset["staff"]["staff_id"].tolist()) if dataset.has("staff") else set()
    return sorted(named - listed)


class _Claims:
    """The batches of one bulk load, each written in its own transaction after claiming the marker
    (``meta/claim_batch.cypher``) with its number in the load."""

    def __init__(self, session, fingerprint: str):
        self._session = session
        self._fingerprint = fingerprint
        self._sequence = 0

    def write(self, query: str, rows: list) -> int | None:
        """Write one batch; its row count when written (or written before, by a commit the driver
        retried unacknowledged), ``None`` when another load has replaced this one."""
        written = self._session.execute_write(_claimed_batch, query, rows, self._fingerprint, self._sequence)
        if written is not None:
            self._sequence += 1
        return written


def _claimed_batch(tx, query: str, batch: list, fingerprint: str, sequence: int) -> int | None:
    """Write one batch if the load's marker is still there and incomplete and has counted ``sequence``
    batches (``meta/claim_batch``, which locks it until the commit): the number written; ``len(batch)``
    when this batch was committed already; ``None`` when another load has replaced this one."""
    counted = tx.run(load_query("meta/claim_batch").text, fingerprint=fingerprint,
                     sequence=sequence).single()["counted"]
    if counted == sequence + 1:
        return len(batch)
    if counted != sequence:
        return None
    return tx.run(query, rows=batch).single()["written"]


def _lost_race_message(session, marker: dict, done: int, total: int) -> str:
    """What a bulk load that another client's load overtook says: what the database holds now."""
    state = session.execute_read(lambda tx: tx.run(load_query("meta/dataset_state").text).single())
    markers = state["markers"]
    head = (f"the bulk load of {described_marker(marker)} stopped after {done} of {total} rows: another load "
            "replaced it meanwhile (one load at a time into a database)")
    if markers and _incomplete(markers) is None:
        return (f"{head}; the database holds {_held(markers)}, complete, and this load added nothing "
                "after that. Load this dataset again with --bulk --replace if it is the one you want")
    return f"{head}; {_BULK_RELOAD}"


#: Nodes deleted per committed transaction when a bulk load clears the database.
_CLEAR_BATCH = 10_000


def _clear_labels(session, batch_size: int = _CLEAR_BATCH, *, keep_markers: bool = False) -> None:
    """Mark the markers incomplete, then delete label by label (the markers last, unless ``keep_markers``:
    a bulk replace keeps them, incomplete, until its own marker is written in their place)."""
    session.execute_write(lambda tx: tx.run(load_query("meta/mark_incomplete").text).consume())
    query = load_query("meta/clear_label").text
    labels = [label for label in _CLEAR_ORDER if not (keep_markers and label == "HandoverDataset")]
    for label in labels:  # CALL ... IN TRANSACTIONS needs an auto-commit query
        session.run(query, label=label, batch_size=batch_size).consume()

_BULK_RELOAD = ("the database now holds an incomplete load, on which queries refuse to run; load "
                "the dataset again with --bulk --replace (atomic=False, replace=True)")


def described_marker(marker: dict) -> str:
    """A dataset marker as messages name it: its fingerprint's start and its source.

    Examples
    --------
    >>> described_marker({"fingerprint": "ab" * 32, "source": "region"})
    'fingerprint abababababab from region'
    """
    return f"fingerprint {marker['fingerprint'][:12]} from {marker.get('source') or 'an unnamed source'}"


def replacing_message(markers: list[dict], marker: dict) -> str:
    """What a replacing load says before it writes: what the database holds, and what replaces it.

    Examples
    --------
    >>> import datetime as dt
    >>> old = {"fingerprint": "ab" * 32, "source": "region-2024", "load_seconds": 312.4,
    ...        "loaded_at": dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.timezone.utc)}
    >>> replacing_message([old], {"fingerprint": "cd" * 32, "source": "tiny"})
    'Neo4j holds fingerprint abababababab from region-2024 (loaded 2026-12-01 09:30 UTC, in 312 s); replacing it with tiny'
    >>> replacing_message([], {"fingerprint": "cd" * 32, "source": "tiny"})
    'Neo4j holds data that handover did not load (no dataset marker); replacing it with tiny'
    """
    new = marker.get("source") or f"fingerprint {marker['fingerprint'][:12]}"
    if not markers:
        return f"Neo4j holds data that handover did not load (no dataset marker); replacing it with {new}"
    held = "; ".join(f"{described_marker(m)}{_when(m)}" for m in markers)
    return f"Neo4j holds {held}; replacing it with {new}"


def _when(marker: dict) -> str:
    """`` (loaded 2026-12-01 09:30 UTC, in 312 s)``: when a marker's load ended and how long it took."""
    loaded = marker.get("loaded_at")
    if loaded is not None and hasattr(loaded, "to_native"):
        loaded = loaded.to_native()
    parts = []
    if isinstance(loaded, dt.datetime):
        parts.append(f"loaded {loaded.astimezone(dt.timezone.utc):%Y-%m-%d %H:%M} UTC")
    if marker.get("complete", True) is False:
        parts.append("incomplete")
    elif marker.get("load_seconds") is not None:
        parts.append(f"in {marker['load_seconds']:.0f} s")
    return f" ({', '.join(parts)})" if parts else ""


def _incomplete(markers: list[dict]) -> dict | None:
    return next((m for m in markers if m.get("complete", True) is False), None)


def _held(markers: list[dict]) -> str:
    """What the database holds, by its complete markers (or their absence)."""
    if markers:
        return "; ".join(described_marker(m) for m in markers)
    return "handover data without a dataset marker (loaded by something else)"


def _error_summary(error) -> tuple[str, str]:
    """The server's error code (empty when it has none) and the first line of its message."""
    code = getattr(error, "code", None) or ""
    text = (getattr(error, "message", None) or str(error) or type(error).__name__).splitlines()[0]
    return code, redacted(text)


def _bulk_conflict_message(markers: list[dict], marker: dict) -> str:
    incomplete = _incomplete(markers)
    held = (f"an incomplete bulk load of {described_marker(incomplete)}" if incomplete
            else _held(markers))
    return (f"a bulk load goes only into a database without handover data, and this one holds {held}. "
            "Pass --replace (replace=True) to delete it first, in committed batches")


def _bulk_failure_message(error, done: int, total: int) -> str:
    code, text = _error_summary(error)
    return (f"the bulk load failed on the server after {done} of {total} rows "
            f"({code or type(error).__name__}: {text}); {_BULK_RELOAD}")


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
    code, text = _error_summary(error)
    if "OutOfMemory" in code or "MemoryLimit" in code:
        return (f"the load did not fit in the server's transaction memory ({text}); nothing was "
                "changed. One transaction holds about 250,000 rows at the default heap, counting the rows "
                "of a graph it replaces. Load it with --bulk (atomic=False; --bulk --replace to replace a "
                "graph), which commits batch by batch, or raise "
                "HANDOVER_NEO4J_HEAP (default 2g) and restart the local server with "
                "`handover neo4j stop` and `handover neo4j start`")
    return f"the load failed on the server ({code or type(error).__name__}: {text}); nothing was changed"


def _conflict_message(markers: list[dict], marker: dict) -> str:
    incomplete = _incomplete(markers)
    if incomplete:
        return (f"the database holds an incomplete bulk load ({described_marker(incomplete)}); refusing to "
                "load over it. Pass --replace (replace=True) to replace it")
    return (f"the database already holds a different dataset ({_held(markers)}); refusing to mix it "
            f"with {described_marker(marker)}. Pass --replace (replace=True) to replace it")


def _unlinked_message(table: str, missing: int, bulk: bool = False) -> str:
    targets = {
        "services": "an agency_id", "employments": "an agency_id",
        "responsibilities": "a user_id or agency_id", "plans": "a user_id or agency_id",
        "episodes": "a user_id or service_id", "contacts": "a user_id, agency_id or service_id",
    }.get(table, "an id")
    outcome = _BULK_RELOAD + " after fixing it" if bulk else "nothing was loaded"
    return (f"{table}: {missing} row{'s' if missing != 1 else ''} name{'s' if missing == 1 else ''} "
            f"{targets} that is not in the dataset, so {'it' if missing == 1 else 'they'} cannot be "
            f"linked; {outcome} (run `handover validate` on the folder)")


def ensure_schema(driver, *, database: str | None = None) -> None:
    """Create the constraints and indexes of ``cypher/schema.cypher`` that do not exist yet, and wait
    until every index is online.

    Schema changes cannot share a transaction with data, so each statement runs on
    its own; ``IF NOT EXISTS`` makes this cheap and safe before every load.
    """
    with server_errors("creating the schema's constraints"), driver.session(database=database) as session:
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


def clear_dataset(driver, *, database: str | None = None, batch_size: int = _CLEAR_BATCH) -> None:
    """Delete the handover dataset (its nodes, links and marker) in committed batches.

    What a replacing bulk load does first, label by label and leaves first, so that the
    transaction memory stays small whatever the dataset's size; nodes with other labels
    stay. Not atomic: the markers are set incomplete first and deleted last, so an
    interrupted clear leaves a database that queries refuse until a reload.

    Parameters
    ----------
    driver : neo4j.Driver
    database : str, optional
    batch_size : int
        Nodes deleted per committed transaction.
    """
    from neo4j import WRITE_ACCESS

    with server_errors("deleting the previous dataset"), \
            driver.session(database=database, default_access_mode=WRITE_ACCESS) as session:
        _clear_labels(session, batch_size)


def graph_counts(driver, *, database: str | None = None) -> tuple[dict[str, int], dict[str, int]]:
    """Nodes per label and relationships per type of the handover model in the database."""
    from neo4j import RoutingControl

    with server_errors("counting what the database holds"):
        records, _, _ = driver.execute_query(load_query("meta/graph_counts").text, database_=database,
                                             routing_=RoutingControl.READ)
    nodes = {r["name"]: r["count"] for r in records if r["kind"] == "node"}
    relationships = {r["name"]: r["count"] for r in records if r["kind"] == "relationship"}
    return nodes, relationships
