"""The Neo4j engine: each finding is the Cypher file ``cypher/findings/<name>.cypher``.

Reads go through routing-aware read queries (``routing_=READ``), so the same code runs
against the local server, a cluster or Aura (``neo4j+s://``). Results become pandas
frames at the driver boundary: Neo4j dates become ``pandas.Timestamp``; integers,
floats, booleans, strings and nulls pass through.

A bulk load (:func:`handover.engines.neo4j.store.load_dataset` with ``atomic=False``) that
stopped half-way leaves a dataset marker with ``complete: false``; the engine then
refuses every finding, the default ``as_of`` and the table list with an
:class:`~handover.errors.EngineError` that says to reload, rather than answer from half
a dataset.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import Any

import numpy as np
import pandas as pd

from handover.engines.neo4j.connection import open_driver, server_errors
from handover.engines.neo4j.queries import load_query
from handover.engines.base import Engine
from handover.errors import EngineError, InputError, QueryError
from handover.findings.populations import POPULATIONS
from handover.model import Dataset
from handover.engines.neo4j.derived import DERIVED, DERIVED_PROGRESS
from handover.engines.neo4j.store import LoadSummary, described_marker, load_dataset
from handover.engines.neo4j.story import user_dataset

__all__ = ["Neo4jEngine"]


class Neo4jEngine(Engine):
    """Runs findings as Cypher on a Neo4j server.

    Parameters
    ----------
    uri, user, password : str, optional
        The server; defaults as in :func:`handover.engines.neo4j.connection.resolve_connection`
        (``NEO4J_*`` variables, else the local server from ``handover neo4j start``).
    database : str, optional
        Default: the server's home database.
    state_dir : path-like, optional
        The local server's state directory, when not the default.

    Raises
    ------
    EngineError
        When the server cannot be reached or refuses the credentials.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> with Neo4jEngine() as graph:                        # doctest: +SKIP
    ...     graph.load(tiny_dataset(), replace=True)
    ...     graph.run_query("parallel_plans", {"as_of": dt.date(2024, 8, 1),
    ...                     "kinds": None, "min_overlap_days": 1})
    """

    name = "neo4j"

    def __init__(self, uri: str | None = None, user: str | None = None, password: str | None = None,
                 database: str | None = None, *, state_dir: str | os.PathLike | None = None,
                 allow_identifiers: bool = False):
        self.database = database
        self.allow_identifiers = allow_identifiers
        self.driver = open_driver(uri, user, password, state_dir)
        self._schema_checked = False
        try:
            check_version(self._read(load_query("meta/server_version"), {}))
        except BaseException:
            self.driver.close()
            raise

    def close(self) -> None:
        """Close the driver and its connections (the 6.x driver does not close itself)."""
        self.driver.close()

    # --- queries ---------------------------------------------------------------------

    def run_query(self, name: str, params: dict[str, Any]) -> pd.DataFrame:
        """Run ``cypher/findings/<name>.cypher`` and return its rows.

        Parameters
        ----------
        name : str
            The finding's name.
        params : dict
            Exactly the params the file declares. Dates may be ``datetime.date`` or
            ``pandas.Timestamp``; tuples become lists.

        Returns
        -------
        pandas.DataFrame
            The RETURN columns in order, one row per record.

        Raises
        ------
        QueryError
            When ``params`` differ from the file's declared params, or the server
            rejects the query.
        EngineError
            When the database holds an incomplete bulk load.
        """
        query = load_query(f"findings/{name}")
        self._markers()
        return self._read(query, params)

    def run_finding(self, finding: str, params: dict[str, Any]) -> pd.DataFrame:
        return self.run_query(finding, params)

    def run_population(self, name: str, params: dict[str, Any]) -> pd.DataFrame:
        """Run ``cypher/populations/<name>.cypher`` (see :mod:`handover.findings.populations`)."""
        query = load_query(f"populations/{name}")
        self._markers()
        if not POPULATIONS[name].dated:  # every population is asked on a day; this one has no dates
            params = {key: value for key, value in params.items() if key != "as_of"}
        return self._read(query, params)

    def ask(self, name: str, params: dict[str, Any]) -> pd.DataFrame:
        """Run the read query ``cypher/<name>.cypher`` (such as ``network/user_agencies``) on the loaded dataset.

        As :meth:`run_query`: the dataset's marker is checked first (an incomplete load is
        refused), and ``params`` must be exactly those the file declares.
        """
        query = load_query(name)
        self._markers()
        return self._read(query, params)

    def latest_date(self) -> pd.Timestamp | None:
        """The latest date anywhere in the loaded dataset (``cypher/meta/latest_date.cypher``).

        For a focused dataset (``--agency``), the latest date of the whole dataset it was
        cut from, as its marker records it (as :meth:`handover.model.Dataset.latest_date`).
        """
        markers = self._markers()
        if len(markers) == 1:  # recorded at load (markers of older versions may lack it)
            recorded = markers[0].get("latest_date") or markers[0].get("whole_latest_date")
            if recorded is not None:
                return recorded
        value = self._read(load_query("meta/latest_date"), {})["latest_date"].iloc[0]
        return None if pd.isna(value) else value

    def users_dataset(self, user_ids: list[str]) -> Dataset:
        """The dataset loaded here, cut to ``user_ids`` (:func:`handover.engines.neo4j.story.user_dataset`).

        The dataset the engine was opened on when it is at hand (``DATA_DIR`` given), else
        the users' rows read from the server.
        """
        if self.source_dataset is not None:
            return self.source_dataset
        return user_dataset(self, user_ids)

    def agency_names(self) -> pd.DataFrame:
        """Every agency's id and name (``cypher/meta/agency_names.cypher``)."""
        self._markers()
        return self._read(load_query("meta/agency_names"), {})

    def focus(self) -> tuple[str, ...]:
        """The agencies the loaded dataset is focused on (``--agency``); empty when it is whole."""
        markers = self._markers()
        if len(markers) != 1:
            return ()
        return tuple(markers[0].get("focus") or ())

    def tables_present(self) -> set[str] | None:
        """The tables of the loaded dataset, as recorded at load time; ``None`` when unknown."""
        markers = self._markers()
        if len(markers) != 1:
            return None
        return set(markers[0]["tables"])

    def load(self, dataset: Dataset, *, replace: bool = False, **options) -> LoadSummary:
        """Load ``dataset`` (see :func:`handover.engines.neo4j.store.load_dataset`)."""
        return load_dataset(self.driver, dataset, replace=replace, database=self.database, **options)

    def _markers(self) -> list[dict]:
        """The dataset markers in the database; refuses an incomplete bulk load.

        Raises
        ------
        EngineError
            When a marker says a bulk load has not completed (it is running, or it
            stopped half-way): a query would see only part of the dataset.
        InputError
            When the dataset was loaded with ``--allow-identifiers`` (its user or staff
            ids look like national identity numbers) and this engine was not opened
            with ``allow_identifiers``: the memory engine would refuse its files too.
        """
        markers = self._read(load_query("meta/dataset_state"), {})["markers"].iloc[0]
        if markers and not self._schema_checked:
            missing = missing_constraints(self._read(load_query("meta/constraint_names"), {})["names"].iloc[0])
            if missing:
                raise EngineError(
                    f"the database lacks handover's uniqueness constraints on {', '.join(missing)} (they were "
                    "dropped, or the data was not loaded by handover), so loads could duplicate nodes and "
                    "lookups scan the graph; load the dataset again with `handover load DATA_DIR --replace`, "
                    "which creates them")
            self._schema_checked = True
        for marker in markers:
            if marker.get("holds_identifiers") and not self.allow_identifiers:
                raise InputError(
                    f"the dataset loaded in Neo4j ({described_marker(marker)}) has user or staff ids that look "
                    "like national identity numbers (it was loaded with --allow-identifiers); pass "
                    "--allow-identifiers to query it, or load a pseudonymized copy "
                    "(`handover pseudonymize`, then `handover load OUT --replace`)")
            missing = [name for name in DERIVED if name not in (marker.get("derived") or ())]
            if marker.get("complete", True) is not False and missing:
                raise EngineError(
                    f"the dataset loaded in Neo4j ({described_marker(marker)}) was loaded by an older handover "
                    f"({marker.get('handover_version') or 'version unknown'}), without "
                    f"{', '.join(DERIVED_PROGRESS[name] for name in missing)}, which a load derives and the "
                    "findings use; load it again with `handover load DATA_DIR --replace`")
            if marker.get("complete", True) is False:
                raise EngineError(
                    f"the database holds an incomplete bulk load ({described_marker(marker)}): it is still running, or it stopped "
                    "half-way, so a finding would see part of the dataset. Wait for it to finish, or load the "
                    "dataset again with `handover load DATA_DIR --bulk --replace`")
        return list(markers)

    def _read(self, query, params: dict[str, Any]) -> pd.DataFrame:
        from neo4j import RoutingControl
        from neo4j.exceptions import Neo4jError

        given, declared = set(params), set(query.params)
        if given != declared:
            problems = []
            if declared - given:
                problems.append(f"missing {', '.join(sorted(declared - given))}")
            if given - declared:
                problems.append(f"not declared {', '.join(sorted(given - declared))}")
            raise QueryError(f"{query.path}: params {'; '.join(problems)} "
                             f"(the file declares: {', '.join(query.params) or 'none'})")
        with server_errors(f"running {query.name}"):  # a lost connection, for one
            try:
                records, summary, keys = self.driver.execute_query(
                    query.text, {k: _parameter(v) for k, v in params.items()},
                    database_=self.database, routing_=RoutingControl.READ)
            except Neo4jError as error:
                raise QueryError(f"{query.path}: the server rejected the query: "
                                 f"{error.code}: {(error.message or '').splitlines()[0]}") from None
        return _frame(keys, records)


def _parameter(value):
    """A Python/pandas value as a Bolt parameter (dates as ``datetime.date``)."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.date()
    if isinstance(value, (tuple, list, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        return [_parameter(v) for v in items]
    if isinstance(value, np.generic):
        return value.item()
    return value


def _frame(keys: list[str], records) -> pd.DataFrame:
    """The records as a frame, column by column (:func:`_column`).

    Examples
    --------
    >>> from neo4j.time import Date
    >>> frame = _frame(["id", "day"], [("u1", Date(2024, 3, 1)), ("u2", None)])
    >>> frame["day"].tolist(), str(frame["day"].dtype)
    ([Timestamp('2024-03-01 00:00:00'), NaT], 'datetime64[ns]')
    """
    columns = list(zip(*records)) if records else [() for _ in keys]
    return pd.DataFrame({key: _column(column) for key, column in zip(keys, columns)}, columns=list(keys))


#: ``Date.to_ordinal()`` of 1970-01-01: a date's ordinal minus this is its day since the epoch.
_EPOCH_ORDINAL = 719163
_PLAIN = {str, int, float, bool, type(None)}


def _column(values) -> list | np.ndarray:
    """One column of Bolt values, as :func:`_value` would give them one by one.

    A column of dates (and nulls) is converted at once, from day numbers, instead of one
    ``Timestamp`` per value: on a finding's tens of thousands of rows the per-value way took
    longer than the server's query. Strings and numbers pass as they are.
    """
    from neo4j.time import Date

    kinds = set(map(type, values))
    if kinds <= _PLAIN:
        return list(values)
    if kinds <= {Date, type(None)}:
        nat = np.iinfo(np.int64).min  # NaT as datetime64
        days = np.fromiter((nat if v is None else v.to_ordinal() - _EPOCH_ORDINAL for v in values),
                           dtype=np.int64, count=len(values))
        return days.view("datetime64[D]").astype("datetime64[ns]")
    return [_value(v) for v in values]


def _value(value):
    """A Bolt value as a pandas-friendly one."""
    from neo4j.time import Date, DateTime

    if isinstance(value, Date):
        return pd.Timestamp(value.year, value.month, value.day)
    if isinstance(value, DateTime):
        return pd.Timestamp(value.to_native())
    if isinstance(value, list):
        return [_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _value(v) for k, v in value.items()}
    return value


#: The oldest Neo4j handover's Cypher is written for (CALL () subqueries, dynamic labels).
MINIMUM_VERSION = (5, 26)


def check_version(components: pd.DataFrame) -> None:
    """Refuse a server older than :data:`MINIMUM_VERSION` (``cypher/meta/server_version.cypher``).

    Raises
    ------
    EngineError
        Naming the server's version and what to do.

    Examples
    --------
    >>> check_version(pd.DataFrame({"version": ["5.26.0"], "edition": ["community"]}))
    >>> check_version(pd.DataFrame({"version": ["2025.01.0"], "edition": ["enterprise"]}))
    >>> check_version(pd.DataFrame({"version": ["5.13.0"], "edition": ["community"]}))
    Traceback (most recent call last):
    ...
    handover.errors.EngineError: the Neo4j server is version 5.13.0 (community); handover needs 5.26 or later: upgrade it, or use the project's own server (`handover neo4j start`)
    """
    if components.empty:
        return  # a server that does not say: let the queries tell
    version, edition = str(components["version"].iloc[0]), str(components["edition"].iloc[0])
    numbers = tuple(int(part) for part in re.findall(r"\d+", version)[:2])
    if len(numbers) == 2 and numbers < MINIMUM_VERSION:
        raise EngineError(f"the Neo4j server is version {version} ({edition}); handover needs "
                          f"{MINIMUM_VERSION[0]}.{MINIMUM_VERSION[1]} or later: upgrade it, or use the project's "
                          "own server (`handover neo4j start`)")


def missing_constraints(names) -> list[str]:
    """The constraints of ``cypher/schema.cypher`` that ``names`` (the database's) lack.

    Examples
    --------
    >>> missing_constraints(["user_id", "agency_id"])[:3]
    ['service_id', 'staff_id', 'plan_id']
    """
    matches = (re.match(r"CREATE CONSTRAINT (\w+)", statement) for statement in load_query("schema").statements())
    wanted = [match.group(1) for match in matches if match]  # the range indexes after them only speed up
    present = set(names or ())
    return [name for name in wanted if name not in present]
