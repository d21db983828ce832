"""The service networks on Neo4j: Cypher aggregations return edge lists, networkx builds the graphs.

:class:`Neo4jNetworks` is the network source (:mod:`handover.network.sources`) of a loaded
dataset. Each network is counted on the server by a query of ``cypher/network/``:

- handover flows: ``handover_days`` traverses ``NEXT_EPISODE`` and counts the handovers per
  pair of agencies and day;
- shared users: ``user_agencies`` returns the distinct ``(user, agency)`` pairs of the
  period, from which the pairs of agencies are counted (as in memory); a timeline asks for
  the intervals (``presence``) once and cuts every month's pairs from them;
- handover of work: ``work_days`` orders each user's responsibilities on the server and
  counts the consecutive pairs per pair of staff (or agencies) and day; ``staff_nodes`` and
  ``agency_staff`` give the nodes.

What comes back is an edge list per day, so one query serves a period, every month of a
timeline and the GEXF spells. The graphs are then assembled by the same functions as the
memory engine's (``flows_graph``, ``shared_graph``, ``work_graph``, ``work_by_agency_graph``,
``apply_spells``), which is what makes the files identical; networkx runs only on the edge
lists, never on a dump of the graph.

The snapshot (``--as-of``) is a parameter of every query: what starts after it is left
out and what ends after it is still ongoing, as :meth:`handover.model.Dataset.snapshot`.
"""

from __future__ import annotations

from functools import cached_property

import networkx as nx
import pandas as pd

from handover.network.build import flows_graph, shared_graph, work_graph
from handover.network.time import (
    apply_spells, check_request, monthly_frames, with_main_agencies, work_by_agency_graph,
)
from handover.timeline import to_day

__all__ = ["Neo4jNetworks"]

_DATES = ("start", "end", "day")


class Neo4jNetworks:
    """The networks of the dataset loaded in Neo4j, on the snapshot of ``as_of``.

    Parameters
    ----------
    engine : Neo4jEngine
        An open engine on a loaded dataset.
    as_of : date-like, optional
        The snapshot day (``--as-of``); default: the dataset as loaded (its latest date).

    Examples
    --------
    >>> from handover.engines.neo4j import Neo4jEngine
    >>> with Neo4jEngine() as engine:                              # doctest: +SKIP
    ...     flows = Neo4jNetworks(engine).network("handover-flows")
    """

    def __init__(self, engine, *, as_of=None):
        self.engine = engine
        self.snapshot = as_of is not None
        self.as_of = to_day(as_of) if as_of is not None else engine.latest_date()
        self._every_day: dict[tuple, pd.DataFrame] = {}
        #: Every interval of a user at an agency, once :meth:`_presence` has asked for it.
        self._presence_rows: pd.DataFrame | None = None

    # --- what the reports ask ------------------------------------------------------------

    def network(self, kind: str, *, since=None, until=None, roles=None, window_days: int = 30,
                by_agency: bool = False) -> nx.Graph:
        """Network ``kind`` over ``[since, until]``, as :func:`handover.network.time.network_in_period`."""
        kind, roles = check_request(kind, since=since, until=until, roles=roles, by_agency=by_agency,
                                    window_days=window_days)
        if kind == "handover-flows":
            counts = _summed(self._days("handover_days", window_days=window_days), since, until)
            served = self.user_agencies(since, until).groupby("agency_id")["user_id"].nunique()
            return flows_graph(self._agencies, served, counts, since=since, until=until, window_days=window_days)
        if kind == "shared-users":
            return shared_graph(self._agencies, self.user_agencies(since, until), since=since, until=until)
        counts = _summed(self._days("work_days", roles=_listed(roles), by_agency=by_agency), since, until)
        period = {"since": since, "until": until}
        if by_agency:
            held = self._ask("agency_staff", roles=_listed(roles), **period).set_index("agency_id")
            return work_by_agency_graph(self._agencies, counts, held, roles=roles, since=since, until=until)
        staff = self._ask("staff_nodes", roles=_listed(roles), **period)
        served = staff.set_index("staff_id")["users"]
        known = staff[staff["profession"].notna()]
        graph = work_graph(counts, served, dict(zip(known["staff_id"], known["profession"])), roles=roles,
                           since=since, until=until)
        return with_main_agencies(graph, dict(zip(staff["staff_id"], staff["agency_id"])))

    def monthly(self, kind: str, *, since=None, until=None, roles=None, window_days: int = 30,
                by_agency: bool = False) -> list:
        """One network per calendar month, as :func:`handover.network.time.monthly_networks`."""
        kind, roles = check_request(kind, since=since, until=until, roles=roles, by_agency=by_agency,
                                    window_days=window_days)
        first = since if since is not None else self.first_day()
        last = until if until is not None else self.latest_date()
        if kind in ("handover-flows", "shared-users"):
            self._presence()  # every month's (user, agency) pairs are then cut from it, not asked again
        return monthly_frames(lambda start, end: self.network(
            kind, since=start, until=end, roles=roles, window_days=window_days, by_agency=by_agency),
            first, last, since=since, until=until)

    def add_spells(self, graph: nx.Graph) -> nx.Graph:
        """The GEXF spells of ``graph``, as :func:`handover.network.time.add_spells`, from the server's rows."""
        name = graph.graph.get("name")
        if name == "handover of work":
            roles = _listed(None if graph.graph.get("roles") in (None, "all") else graph.graph["roles"].split(","))
            return apply_spells(graph, staff_intervals=self._ask("staff_intervals", roles=roles),
                                days=self._days("work_days", roles=roles, by_agency=False))
        if name == "handover flows":
            return apply_spells(graph, presence=self._presence(),
                                days=self._days("handover_days", window_days=graph.graph.get("window_days", 30)))
        return apply_spells(graph, presence=self._presence())

    def user_agencies(self, since=None, until=None) -> pd.DataFrame:
        """The distinct ``user_id, agency_id`` pairs of the period (``cypher/network/user_agencies``).

        Once the intervals of ``presence`` are here (a timeline, GEXF spells), the pairs are cut
        from them instead, by the same rule: a non-empty ``[start, end)`` reaching into the period.
        """
        if self._presence_rows is not None:
            pairs = _pairs_in_period(self._presence_rows, since, until)
        else:
            pairs = self._ask("user_agencies", since=since, until=until)
        return pairs.astype({"user_id": object, "agency_id": object})

    def first_day(self) -> pd.Timestamp | None:
        """The earliest start or contact date on the snapshot: where a timeline starts."""
        return _day(self._ask("first_day")["first_day"].iloc[0])

    def latest_date(self) -> pd.Timestamp | None:
        """The latest date of the snapshot (of the whole loaded dataset without ``as_of``)."""
        if not self.snapshot:
            return self.engine.latest_date()
        return _day(self._ask("latest_date_on")["latest_date"].iloc[0])

    # --- the queries -----------------------------------------------------------------------

    @cached_property
    def _agencies(self) -> pd.DataFrame:
        return self.engine.ask("network/agency_nodes", {})

    def _presence(self) -> pd.DataFrame:
        """Every interval in which a user is at an agency (``cypher/network/presence``), asked once."""
        if self._presence_rows is None:
            self._presence_rows = self._ask("presence")
        return self._presence_rows

    def _days(self, name: str, **params) -> pd.DataFrame:
        """``source, target, day, count`` of every day, asked once per source (a timeline's months
        are cut from it by :func:`_summed`)."""
        key = (name, repr(sorted(params.items())))
        if key not in self._every_day:
            self._every_day[key] = self._ask(name, since=None, until=None, **params)
        return self._every_day[key]

    def _ask(self, name: str, **params) -> pd.DataFrame:
        frame = _unpacked(self.engine.ask(f"network/{name}", {**params, "as_of": self.as_of}))
        for column in _DATES:
            if column in frame:
                frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
        return frame


def _unpacked(answer: pd.DataFrame) -> pd.DataFrame:
    """The rows of a query that returns them in one record (``columns``, ``rows``), as a frame.

    The queries with many rows (every interval, every pair and day) send them as one list:
    the driver's cost is per record, and one record of lists arrives several times faster
    (96,000 intervals: 28 s as records, 6 s as one list, same run). Other answers pass as they are.
    """
    if list(answer.columns) != ["columns", "rows"]:
        return answer
    columns, rows = answer["columns"].iloc[0], answer["rows"].iloc[0]
    return pd.DataFrame(rows, columns=columns) if rows else pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def _pairs_in_period(presence: pd.DataFrame, since, until) -> pd.DataFrame:
    """The distinct ``user_id, agency_id`` of intervals ``[start, end)`` that are not empty and reach
    into ``[since, until]`` (``cypher/network/user_agencies``'s rule), sorted."""
    ends = presence["end"]
    kept = ends.isna() | (presence["start"] < ends)
    if since is not None:
        kept &= ends.isna() | (ends > since)
    if until is not None:
        kept &= presence["start"] <= until
    pairs = presence.loc[kept, ["user_id", "agency_id"]].drop_duplicates()
    return pairs.sort_values(["user_id", "agency_id"], ignore_index=True)


def _summed(days: pd.DataFrame, since, until) -> pd.DataFrame:
    """``source, target, count`` of the days in ``[since, until]`` (either may be ``None``)."""
    kept = days
    if since is not None:
        kept = kept[kept["day"] >= since]
    if until is not None:
        kept = kept[kept["day"] <= until]
    counts = kept.groupby(["source", "target"], sort=True)["count"].sum().reset_index()
    return counts.astype({"source": object, "target": object, "count": "int64"})


def _listed(roles) -> list[str] | None:
    return list(roles) if roles is not None else None


def _day(value) -> pd.Timestamp | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value)
