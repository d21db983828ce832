"""The service network over time: slices by day or period, monthly frames, GEXF spells.

The networks of :mod:`handover.network` count over a period. This module cuts them in
time, with one rule per network for *when* something belongs to a day:

- **handover flows**: a handover belongs to its handover date (the day the episode ended);
- **shared users**: a user is at an agency on the days an interval (responsibility, plan,
  episode) there is active, ``[start, end)``, and on the days of their contacts with it;
  two agencies share the user on the days the user is at both;
- **handover of work**: each consecutive pair ``i → j`` of a user's responsibilities
  (over the user's whole history, so the pairs are those of the all-time network) belongs
  to the day ``j`` starts, the day the work was handed over.

So a network *in a period* counts the handovers, shared users or handovers of work of
that period (:func:`network_in_period`), :func:`monthly_networks` gives one network per
calendar month for the timeline page, and :func:`add_spells` writes the same days as GEXF
time intervals so that Gephi's timeline plays the network. For handover flows and
handover of work the monthly networks add up to the all-time network; shared users do
not add up (a user shared in two months counts in both).
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

from handover.network import build as nw
from handover.errors import InputError
from handover.findings.events import episodes_with_agency, handovers
from handover.model import Dataset
from handover.timeline import DAY, open_end, reopen

__all__ = [
    "KINDS",
    "PAIR_ORDER",
    "handover_of_work_pairs",
    "handover_of_work_in_period",
    "handover_of_work_by_agency",
    "network_in_period",
    "check_request",
    "month_periods",
    "monthly_networks",
    "monthly_frames",
    "main_agencies",
    "with_main_agencies",
    "work_by_agency_graph",
    "spell_rows",
    "apply_spells",
    "from_first_month_with_data",
    "merge_intervals",
    "agency_presence",
    "add_spells",
]

#: The network kinds, as the command line names them.
KINDS = ("handover-flows", "shared-users", "handover-of-work")

#: The order of a user's responsibilities in which consecutive ones make a handover of work.
#: ``(start, staff_id)`` decides the staff pairs; ``agency_id`` and ``role`` break the ties
#: between one person's responsibilities starting on one day, so that the agencies of the
#: pairs (the network by agency) do not depend on the order of the rows in the file, and the
#: Neo4j engine (``cypher/network/work_days.cypher``) follows the same order.
PAIR_ORDER = ["user_id", "start", "staff_id", "agency_id", "role"]

#: Timelines longer than this many months start this many months before the end.
MAX_MONTHS = 120


def _kind(kind) -> str:
    value = getattr(kind, "value", kind)
    if value not in KINDS:
        raise InputError(f"unknown network {value!r}; known: {', '.join(KINDS)}")
    return value


def _check_period(since, until) -> None:
    if since is not None and until is not None and since > until:
        raise InputError(f"the period starts {since.date()}, after its end {until.date()}")


# --- handover of work with dates ------------------------------------------------------


def handover_of_work_pairs(dataset: Dataset, *, roles=None) -> pd.DataFrame:
    """Every consecutive pair of each user's responsibilities, dated by the later one's start.

    Parameters
    ----------
    dataset : Dataset
    roles : iterable of str, optional
        The roles to follow (default: all roles).

    Returns
    -------
    pandas.DataFrame
        Columns ``user_id, source, target, date`` in :data:`PAIR_ORDER` (``user_id, start,
        staff_id``, ties by ``agency_id, role``): the pairs counted by
        :func:`handover.network.handover_of_work`; and
        ``source_agency_id, target_agency_id``, the agencies of the two responsibilities.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> pairs = handover_of_work_pairs(tiny_dataset())
    >>> [(s, t, str(d.date())) for s, t, d in pairs[["source", "target", "date"]].values]
    [('st1', 'st2', '2024-02-01'), ('st2', 'st3', '2024-05-01'), ('st3', 'st1', '2024-08-01')]
    """
    roles = nw._check_roles(roles)
    chosen = dataset.get("responsibilities")
    if roles is not None:
        chosen = chosen[chosen["role"].isin(roles)]
    chosen = chosen.sort_values(PAIR_ORDER, kind="stable").reset_index(drop=True)
    follows = chosen["user_id"].eq(chosen["user_id"].shift(-1))
    pairs = pd.DataFrame({
        "user_id": chosen["user_id"], "source": chosen["staff_id"],
        "target": chosen["staff_id"].shift(-1), "date": chosen["start"].shift(-1),
        "source_agency_id": chosen["agency_id"], "target_agency_id": chosen["agency_id"].shift(-1),
    })[follows]
    return pairs.astype({"user_id": object, "source": object, "target": object, "source_agency_id": object,
                         "target_agency_id": object}).reset_index(drop=True)


def handover_of_work_in_period(dataset: Dataset, *, roles=None, since=None, until=None) -> nx.DiGraph:
    """The handover-of-work network of the handovers made in ``[since, until]``.

    Without a period this is :func:`handover.network.handover_of_work`. With one, the
    pairs of :func:`handover_of_work_pairs` dated in the period are counted, and
    ``weight = count / pairs in the period``. The nodes are the staff with a
    responsibility of the chosen roles active on some day of the period (``users_served``:
    their users in the period) and the staff of the pairs counted.

    Parameters
    ----------
    dataset : Dataset
    roles : iterable of str, optional
    since, until : Timestamp, optional
        The period, both days included.

    Returns
    -------
    networkx.DiGraph
        Staff nodes also carry ``agency_id``, the agency of most of their responsibilities
        of the roles followed.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> g = handover_of_work_in_period(tiny_dataset(), since=pd.Timestamp("2024-04-01"),
    ...                                until=pd.Timestamp("2024-06-30"))
    >>> list(g.edges(data=True)), sorted(g.nodes)
    ([('st2', 'st3', {'count': 1, 'weight': 1.0})], ['st2', 'st3'])
    """
    if since is None and until is None:
        graph = nw.handover_of_work(dataset, roles=roles)
        graph.graph.update(since=None, until=None)
        return with_main_agencies(graph, main_agencies(dataset.get("responsibilities"), nw._check_roles(roles)))
    _check_period(since, until)
    checked = nw._check_roles(roles)
    pairs = handover_of_work_pairs(dataset, roles=checked)
    pairs = pairs[_in_period(pairs["date"], since, until)]
    counts = pairs.groupby(["source", "target"]).size().rename("count").reset_index()
    chosen = dataset.get("responsibilities")
    if checked is not None:
        chosen = chosen[chosen["role"].isin(checked)]
    chosen = chosen[nw._active_in_period(chosen["start"], chosen["end"], since, until)]
    served = chosen.groupby("staff_id")["user_id"].nunique()
    profession = {}
    if dataset.has("staff") and "profession" in dataset["staff"].columns:
        profession = dict(zip(dataset["staff"]["staff_id"], dataset["staff"]["profession"]))
    graph = nw.work_graph(counts, served, profession, roles=checked, since=since, until=until)
    return with_main_agencies(graph, main_agencies(dataset.get("responsibilities"), checked))


def main_agencies(responsibilities: pd.DataFrame, roles) -> dict:
    """Staff id → the agency of most of their responsibilities (of ``roles``); ties: the smallest id.

    Pages colour staff by it when professions are unknown.
    """
    chosen = responsibilities
    if roles is not None:
        chosen = chosen[chosen["role"].isin(list(roles))]
    counts = chosen.groupby(["staff_id", "agency_id"]).size().rename("n").reset_index()
    first = counts.sort_values(["staff_id", "n", "agency_id"], ascending=[True, False, True]).drop_duplicates("staff_id")
    return dict(zip(first["staff_id"], first["agency_id"]))


def with_main_agencies(graph: nx.DiGraph, main: dict) -> nx.DiGraph:
    """Give each staff node of ``graph`` its ``agency_id`` from ``main`` (:func:`main_agencies`)."""
    for node, data in graph.nodes(data=True):
        if node in main:
            data["agency_id"] = main[node]
    return graph


def _in_period(dates: pd.Series, since, until) -> pd.Series:
    keep = pd.Series(True, index=dates.index)
    if since is not None:
        keep &= dates >= since
    if until is not None:
        keep &= dates <= until
    return keep


def handover_of_work_by_agency(dataset: Dataset, *, roles=None, since=None, until=None) -> nx.DiGraph:
    """The handover-of-work network with its staff grouped by agency: what a page can draw of a region.

    The same pairs as :func:`handover_of_work_in_period` (made in ``[since, until]``, or all
    of them), each counted between the agencies *of its two responsibilities*: a person
    who works at two agencies hands work over from each. A loop is work handed over
    within one agency. ``weight = count / pairs``, as for the staff.

    Parameters
    ----------
    dataset : Dataset
    roles : iterable of str, optional
    since, until : Timestamp, optional

    Returns
    -------
    networkx.DiGraph
        Named ``"handover of work by agency"``. One node per agency with a responsibility of
        the roles active in the period, or a pair counted: the agency's ``name``, ``kind``,
        ``level``, ``municipality``, ``users_served`` (distinct users of those
        responsibilities there) and ``staff`` (distinct staff holding them).

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> g = handover_of_work_by_agency(tiny_dataset())
    >>> sorted((s, t, d["count"]) for s, t, d in g.edges(data=True)), g.nodes["a1"]["staff"]
    ([('a1', 'a1', 3)], 3)
    """
    _check_period(since, until)
    checked = nw._check_roles(roles)
    pairs = handover_of_work_pairs(dataset, roles=checked)
    if since is not None or until is not None:
        pairs = pairs[_in_period(pairs["date"], since, until)]
    counts = (pairs.groupby(["source_agency_id", "target_agency_id"]).size().rename("count").reset_index()
              .rename(columns={"source_agency_id": "source", "target_agency_id": "target"}))
    chosen = dataset.get("responsibilities")
    if checked is not None:
        chosen = chosen[chosen["role"].isin(checked)]
    if since is not None or until is not None:
        chosen = chosen[nw._active_in_period(chosen["start"], chosen["end"], since, until)]
    held = chosen.groupby("agency_id").agg(users=("user_id", "nunique"), staff=("staff_id", "nunique"))
    return work_by_agency_graph(dataset.get("agencies"), counts, held, roles=checked, since=since, until=until)


def work_by_agency_graph(agencies: pd.DataFrame, counts: pd.DataFrame, held: pd.DataFrame, *, roles=None,
                         since=None, until=None) -> nx.DiGraph:
    """The handover-of-work network by agency from its counts, on either engine.

    Parameters
    ----------
    agencies : pandas.DataFrame
        The agencies table.
    counts : pandas.DataFrame
        ``source, target, count``: handovers of work between the agencies of the two responsibilities.
    held : pandas.DataFrame
        Indexed by agency id: ``users`` and ``staff``, the distinct users and staff of the
        responsibilities followed (in the period, when there is one).
    roles : tuple of str, optional
        The roles followed (checked).
    """
    counts = counts.sort_values(["source", "target"]).reset_index(drop=True)
    total = int(counts["count"].sum())
    graph = nx.DiGraph(name="handover of work by agency", roles=",".join(roles) if roles else "all",
                       since=since, until=until)
    present = set(held.index) | set(counts["source"]) | set(counts["target"])
    described = {row.agency_id: row for row in agencies.itertuples(index=False)}
    for agency_id in sorted(present, key=str):
        row = described.get(agency_id)
        attributes = {key: getattr(row, key) for key in ("name", "kind", "level", "municipality")
                      if row is not None and key in agencies.columns and nw._present(getattr(row, key))}
        attributes.update(users_served=int(held["users"].get(agency_id, 0)),
                          staff=int(held["staff"].get(agency_id, 0)))
        graph.add_node(agency_id, **attributes)
    nw._add_counted_edges(graph, counts, counts["count"] / total if total else None)
    return graph


# --- any network in a period -----------------------------------------------------------


def network_in_period(kind, dataset: Dataset, *, since=None, until=None, roles=None,
                      window_days: int = 30, by_agency: bool = False) -> nx.Graph:
    """Network ``kind`` counted over ``[since, until]`` (both optional, both included).

    Parameters
    ----------
    kind : str
        ``handover-flows``, ``shared-users`` or ``handover-of-work``.
    dataset : Dataset
    since, until : Timestamp, optional
        ``since == until`` is one day: what is active (or happens) on it.
    roles : iterable of str, optional
        handover-of-work only: the roles followed.
    window_days : int
        handover-flows only (docs/findings.md §5.1).
    by_agency : bool
        handover-of-work only: the staff grouped by agency (:func:`handover_of_work_by_agency`).

    Returns
    -------
    networkx.Graph or networkx.DiGraph
        With ``since`` and ``until`` in ``graph.graph``.

    Raises
    ------
    InputError
        For an unknown kind, an option that does not apply to it, or a period that ends
        before it starts.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> day = pd.Timestamp("2024-03-01")
    >>> list(network_in_period("handover-flows", tiny_dataset(), since=day, until=day).edges)
    [('a2', 'a1')]
    """
    kind, roles = check_request(kind, since=since, until=until, roles=roles, by_agency=by_agency)
    if kind == "handover-of-work":
        if by_agency:
            return handover_of_work_by_agency(dataset, roles=roles, since=since, until=until)
        return handover_of_work_in_period(dataset, roles=roles, since=since, until=until)
    if kind == "handover-flows":
        return nw.handover_flows(dataset, since=since, until=until, window_days=window_days)
    return nw.shared_users(dataset, since=since, until=until)


def check_request(kind, *, since=None, until=None, roles=None, by_agency: bool = False,
                  window_days: int = 30) -> tuple[str, tuple[str, ...] | None]:
    """The kind and roles of a network asked for, checked as every engine checks them.

    Raises
    ------
    InputError
        For an unknown kind, an option that does not apply to it, a role outside the
        vocabulary, a negative window or a period that ends before it starts.
    """
    kind = _kind(kind)
    _check_period(since, until)
    if kind != "handover-of-work":
        if by_agency:
            raise InputError(f"only handover-of-work can be grouped by agency, not {kind}")
        if roles:
            raise InputError(f"--role applies to handover-of-work only, not to {kind}")
    if window_days < 0:
        raise InputError(f"--window-days: {window_days} must not be negative")
    return kind, nw._check_roles(roles)


def _first_day(dataset: Dataset) -> pd.Timestamp | None:
    """The earliest start or contact date of the tables the networks read."""
    days = []
    for table, column in (("responsibilities", "start"), ("plans", "start"),
                          ("episodes", "start"), ("contacts", "date")):
        frame = dataset.get(table)
        if len(frame) and frame[column].notna().any():
            days.append(frame[column].min())
    return min(days) if days else None


def month_periods(first, last) -> list[tuple[str, pd.Timestamp, pd.Timestamp]]:
    """The calendar months from ``first``'s to ``last``'s, as ``(YYYY-MM, first day, last day)``.

    Examples
    --------
    >>> [(m, str(a.date()), str(b.date())) for m, a, b in
    ...  month_periods(pd.Timestamp("2024-01-15"), pd.Timestamp("2024-02-03"))]
    [('2024-01', '2024-01-01', '2024-01-31'), ('2024-02', '2024-02-01', '2024-02-29')]
    """
    if first is None or last is None or first > last:
        return []
    starts = pd.period_range(pd.Timestamp(first).to_period("M"), pd.Timestamp(last).to_period("M"), freq="M")
    return [(str(p), p.start_time.normalize(), p.end_time.normalize()) for p in starts]


def monthly_networks(kind, dataset: Dataset, *, since=None, until=None, roles=None,
                     window_days: int = 30, max_months: int = MAX_MONTHS, by_agency: bool = False):
    """One network per calendar month, for a timeline.

    Parameters
    ----------
    kind, dataset, roles, window_days, by_agency
        As in :func:`network_in_period`.
    since, until : Timestamp, optional
        The months covered: default from the month of the earliest start or contact to the
        month of the latest date in the dataset, at most ``max_months`` months (the last
        ones). A month cut by ``since`` or ``until`` is counted over its part in the period.
    max_months : int

    Returns
    -------
    list of (str, networkx.Graph)
        ``(YYYY-MM, network of that month)`` in time order.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> frames = monthly_networks("handover-of-work", tiny_dataset())
    >>> [(month, g.number_of_edges()) for month, g in frames][:3]
    [('2024-01', 0), ('2024-02', 1), ('2024-03', 0)]
    """
    kind = _kind(kind)
    _check_period(since, until)
    first = since if since is not None else _first_day(dataset)
    last = until if until is not None else dataset.latest_date()
    return monthly_frames(lambda start, end: network_in_period(
        kind, dataset, since=start, until=end, roles=roles, window_days=window_days, by_agency=by_agency),
        first, last, since=since, until=until, max_months=max_months)


def monthly_frames(build, first, last, *, since=None, until=None, max_months: int = MAX_MONTHS):
    """``[(YYYY-MM, build(first day, last day)), ...]`` for the months from ``first``'s to ``last``'s.

    The months of :func:`monthly_networks` on any engine: without ``since``, at most
    ``max_months`` (the last ones); a month cut by ``since`` or ``until`` is built over its
    part in the period.
    """
    months = month_periods(first, last)
    if since is None and len(months) > max_months:
        months = months[-max_months:]
    frames = []
    for label, start, end in months:
        start = max(start, since) if since is not None else start
        end = min(end, until) if until is not None else end
        frames.append((label, build(start, end)))
    return frames


def from_first_month_with_data(frames):
    """``frames`` from the first month with a link: the months before it have nothing to show.

    The months of :func:`monthly_networks` start at the earliest date of any table, which
    may be long before the first handover; a timeline starting there opens on empty
    months. Months without links *after* the first stay: they are part of the story. When
    no month has a link, the frames are returned as they are.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> frames = from_first_month_with_data(monthly_networks("handover-of-work", tiny_dataset()))
    >>> [(month, g.number_of_edges()) for month, g in frames][:3]
    [('2024-02', 1), ('2024-03', 0), ('2024-04', 0)]
    """
    for i, (_, graph) in enumerate(frames):
        if graph.number_of_edges():
            return frames[i:]
    return frames


# --- GEXF spells -----------------------------------------------------------------------


def merge_intervals(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Merge the ``[start, end)`` intervals of each key into maximal ones.

    Touching intervals (one ends on the day the next starts) merge; empty ones are
    dropped; a missing ``end`` is open and stays open.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``keys`` plus ``start`` and ``end``.
    keys : list of str

    Returns
    -------
    pandas.DataFrame
        Columns ``keys, start, end``, sorted by ``keys`` and ``start``.

    Examples
    --------
    >>> d = pd.to_datetime
    >>> f = pd.DataFrame({"k": ["a", "a", "a", "b"],
    ...                   "start": d(["2024-01-01", "2024-01-10", "2024-03-01", "2024-01-01"]),
    ...                   "end": d(["2024-01-10", "2024-02-01", None, "2024-01-01"])})
    >>> [(k, str(s.date()), None if pd.isna(e) else str(e.date())) for k, s, e in merge_intervals(f, ["k"]).values]
    [('a', '2024-01-01', '2024-02-01'), ('a', '2024-03-01', None)]
    """
    ends = open_end(frame["end"])
    kept = frame.loc[frame["start"] < ends, keys + ["start"]].assign(end=ends[frame["start"] < ends])
    if kept.empty:
        return kept.assign(end=reopen(kept["end"])).reset_index(drop=True)
    kept = kept.sort_values(keys + ["start"], kind="stable").reset_index(drop=True)
    group = kept.groupby(keys, sort=False).ngroup()
    reach = kept.groupby(group)["end"].cummax()
    before = reach.groupby(group).shift(1)
    new_block = before.isna() | (kept["start"] > before)
    block = new_block.cumsum()
    merged = kept.groupby(block).agg({**{k: "first" for k in keys}, "start": "first", "end": "max"})
    merged["end"] = reopen(merged["end"])
    return merged.reset_index(drop=True)


def agency_presence(dataset: Dataset) -> pd.DataFrame:
    """Every interval in which a user is *at* an agency (see the module docstring).

    Returns
    -------
    pandas.DataFrame
        Columns ``user_id, agency_id, start, end``: responsibilities, plans and episodes
        (at the agency of their service) as they are, each contact as the one day
        ``[date, date + 1)``. Not merged.
    """
    parts = [dataset.get(t)[["user_id", "agency_id", "start", "end"]] for t in ("responsibilities", "plans")]
    episodes = episodes_with_agency(dataset)
    parts.append(episodes.loc[episodes["agency_id"].notna(), ["user_id", "agency_id", "start", "end"]])
    contacts = dataset.get("contacts")
    parts.append(pd.DataFrame({"user_id": contacts["user_id"], "agency_id": contacts["agency_id"],
                               "start": contacts["date"], "end": contacts["date"] + DAY}))
    frame = pd.concat([p.astype({"user_id": object, "agency_id": object}) for p in parts], ignore_index=True)
    return frame.astype({"start": "datetime64[ns]", "end": "datetime64[ns]"})


def _clip(intervals: pd.DataFrame, since, until) -> pd.DataFrame:
    """Cut intervals to the period ``[since, until]`` (as ``[since, until + 1 day)``)."""
    out = intervals.copy()
    if since is not None:
        out["start"] = out["start"].where(out["start"] >= since, since)
    if until is not None:
        stop = until + DAY
        out["end"] = open_end(out["end"]).where(open_end(out["end"]) <= stop, stop)
    return out[out["start"] < open_end(out["end"])]


def _day_spells(keys: list[str], frame: pd.DataFrame, date: str) -> pd.DataFrame:
    """One-day intervals ``[date, date + 1)`` per row, merged per key."""
    days = frame[keys].assign(start=frame[date], end=frame[date] + DAY)
    return merge_intervals(days, keys)


def _spell_lists(merged: pd.DataFrame, keys: list[str]) -> dict:
    """``{key or (key, key): [(start, end or None), ...]}`` with ISO date strings."""
    spells: dict = {}
    for row in merged.itertuples(index=False):
        key = tuple(getattr(row, k) for k in keys)
        end = None if pd.isna(row.end) else row.end.strftime("%Y-%m-%d")
        spells.setdefault(key[0] if len(key) == 1 else key, []).append((row.start.strftime("%Y-%m-%d"), end))
    return spells


def add_spells(graph: nx.Graph, dataset: Dataset) -> nx.Graph:
    """Give each node and edge of ``graph`` the days it is active, as GEXF spells.

    Parameters
    ----------
    graph : networkx.Graph
        A network of :mod:`handover.network` or :func:`network_in_period` (its kind is read
        from ``graph.graph["name"]``; its period, if any, from ``since`` and ``until``).
    dataset : Dataset
        The dataset it was built from.

    Returns
    -------
    networkx.Graph
        ``graph`` itself, each node and edge with a ``spells`` attribute: a list of
        ``(start, end)`` ISO dates, ``[start, end)``, ``end`` ``None`` while ongoing.

        - agencies: the days a user is at the agency;
        - staff: the days they hold a responsibility of the network's roles;
        - shared-users edges: the days some user is at both agencies;
        - handover-flows and handover-of-work edges: the days of their handovers.

        Spells are cut to the graph's period. :func:`networkx.write_gexf` writes them as
        ``<spells>`` in a graph of ``mode="dynamic"`` and ``timeformat="date"``.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> g = add_spells(nw.handover_flows(tiny_dataset()), tiny_dataset())
    >>> g.edges["a2", "a1"]["spells"], g.nodes["a1"]["spells"]
    ([('2024-03-01', '2024-03-02')], [('2024-01-01', None)])
    """
    return apply_spells(graph, **spell_rows(graph, dataset))


def _graph_roles(graph: nx.Graph):
    roles = graph.graph.get("roles")
    return None if roles in (None, "all") else roles.split(",")


def spell_rows(graph: nx.Graph, dataset: Dataset) -> dict[str, pd.DataFrame]:
    """The rows :func:`apply_spells` makes the spells of ``graph`` from, read off ``dataset``.

    ``presence`` (:func:`agency_presence`) for the agency networks; ``days`` (``source,
    target, day``: each handover or handover of work on its day) for handover flows and
    handover of work; ``staff_intervals`` (``staff_id, start, end``: the responsibilities
    of the network's roles) for handover of work. The Neo4j engine reads the same rows from
    the server (``cypher/network/``).
    """
    name = graph.graph.get("name")
    if name == "handover of work":
        roles = _graph_roles(graph)
        chosen = dataset.get("responsibilities")
        if roles is not None:
            chosen = chosen[chosen["role"].isin(roles)]
        pairs = handover_of_work_pairs(dataset, roles=roles)
        return {"staff_intervals": chosen[["staff_id", "start", "end"]],
                "days": pairs[["source", "target", "date"]].rename(columns={"date": "day"})}
    if name == "handover flows":
        found = handovers(dataset, graph.graph.get("window_days", 30))
        days = found.rename(columns={"from_agency_id": "source", "to_agency_id": "target", "handover_date": "day"})
        return {"presence": agency_presence(dataset), "days": days[["source", "target", "day"]]}
    if name == "shared users":
        return {"presence": agency_presence(dataset)}
    raise InputError(f"add_spells: not a network of handover.network: {name!r}")


def apply_spells(graph: nx.Graph, *, presence: pd.DataFrame | None = None, days: pd.DataFrame | None = None,
                 staff_intervals: pd.DataFrame | None = None) -> nx.Graph:
    """Give each node and edge of ``graph`` its spells (see :func:`add_spells`) from :func:`spell_rows`' rows."""
    name = graph.graph.get("name")
    since, until = graph.graph.get("since"), graph.graph.get("until")
    if name == "handover of work":
        nodes = _spell_lists(merge_intervals(_clip(staff_intervals, since, until), ["staff_id"]), ["staff_id"])
        dated = _clip(days.assign(start=days["day"], end=days["day"] + DAY), since, until)
        edges = _spell_lists(_day_spells(["source", "target"], dated, "start"), ["source", "target"])
    elif name in ("handover flows", "shared users"):
        presence = _clip(presence, since, until)
        nodes = _spell_lists(merge_intervals(presence, ["agency_id"]), ["agency_id"])
        if name == "handover flows":
            dated = _clip(days.assign(start=days["day"], end=days["day"] + DAY), since, until)
            edges = _spell_lists(_day_spells(["source", "target"], dated, "start"), ["source", "target"])
        else:
            edges = _spell_lists(_shared_spells(presence), ["source", "target"])
    else:
        raise InputError(f"add_spells: not a network of handover.network: {name!r}")
    for node, data in graph.nodes(data=True):
        data["spells"] = nodes.get(node, [])
    for source, target, data in graph.edges(data=True):
        found = edges.get((source, target))
        if found is None and not graph.is_directed():
            found = edges.get((target, source))
        data["spells"] = found or []
    return graph


def _shared_spells(presence: pd.DataFrame) -> pd.DataFrame:
    """The days two agencies share a user: each user's merged presence at both, overlapped, then merged."""
    per_user = merge_intervals(presence, ["user_id", "agency_id"])
    both = per_user.merge(per_user, on="user_id", suffixes=("_a", "_b"))
    both = both[both["agency_id_a"] < both["agency_id_b"]]
    start = both["start_a"].where(both["start_a"] >= both["start_b"], both["start_b"])
    end = reopen(pd.Series(open_end(both["end_a"]).where(open_end(both["end_a"]) <= open_end(both["end_b"]),
                                                         open_end(both["end_b"])), index=both.index))
    shared = pd.DataFrame({"source": both["agency_id_a"], "target": both["agency_id_b"], "start": start, "end": end})
    return merge_intervals(shared, ["source", "target"])
