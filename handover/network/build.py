"""The service network (docs/findings.md §5.8): who hands users over to whom, and who shares them.

Three networks, each a networkx graph built from counts that pandas computes:

- :func:`handover_flows` (agency → agency): handovers of §5.1, with or without coordinator;
- :func:`shared_users` (agency — agency): users with something at both agencies
  (patient-sharing);
- :func:`handover_of_work` (staff → staff): the process-mining handover-of-work network,
  equal to pm4py's ``discover_handover_of_work_network(log, beta=0)``.

:func:`edges_frame` turns any of them into the ``source, target, count, weight`` rows the
CLI prints. :mod:`handover.network.metrics` measures the agency networks, and
:mod:`handover.network.caseload` counts who is responsible for how many users on a day.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from handover.errors import InputError
from handover.findings.events import episodes_with_agency, handovers
from handover.model import VOCABULARIES, Dataset
from handover.timeline import open_end

__all__ = [
    "EDGE_COLUMNS",
    "handover_flows",
    "shared_users",
    "handover_of_work",
    "flows_graph",
    "shared_graph",
    "work_graph",
    "edges_frame",
    "without_isolated",
    "user_agencies",
    "DEFAULT_SEED",
]

#: The columns of :func:`edges_frame` and of ``handover network KIND --format csv``.
EDGE_COLUMNS = ("source", "target", "count", "weight")

#: Louvain is randomised; a fixed seed makes the communities the same on every run.
DEFAULT_SEED = 42


# --- who is where -------------------------------------------------------------------


def _active_in_period(start: pd.Series, end: pd.Series, since, until) -> pd.Series:
    """Whether each ``[start, end)`` interval is active on some day of ``[since, until]``.

    An empty interval (``end == start``) is never active, whatever the period.
    """
    end = open_end(end)
    keep = start < end
    if since is not None:
        keep &= end > since
    if until is not None:
        keep &= start <= until
    return keep


def user_agencies(dataset: Dataset, *, since=None, until=None) -> pd.DataFrame:
    """The distinct ``(user_id, agency_id)`` pairs where the user had something in the period.

    A user is *at* an agency when they have a responsibility, a plan or an episode (at one
    of its services) there that is active on some day of ``[since, until]``, or a contact
    with it dated in ``[since, until]``. Without a period, any non-empty interval and any
    contact counts.

    Parameters
    ----------
    dataset : Dataset
    since, until : Timestamp, optional
        The period, both days included.

    Returns
    -------
    pandas.DataFrame
        Columns ``user_id, agency_id``, sorted, without duplicates.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> user_agencies(tiny_dataset()).values.tolist()
    [['u1', 'a1'], ['u1', 'a2'], ['u2', 'a1'], ['u3', 'a1'], ['u3', 'a2']]
    """
    parts = []
    for table in ("responsibilities", "plans"):
        frame = dataset.get(table)
        parts.append(frame.loc[_active_in_period(frame["start"], frame["end"], since, until),
                               ["user_id", "agency_id"]])
    episodes = episodes_with_agency(dataset)
    episodes = episodes[episodes["agency_id"].notna()]
    parts.append(episodes.loc[_active_in_period(episodes["start"], episodes["end"], since, until),
                              ["user_id", "agency_id"]])
    contacts = dataset.get("contacts")
    dated = pd.Series(True, index=contacts.index)
    if since is not None:
        dated &= contacts["date"] >= since
    if until is not None:
        dated &= contacts["date"] <= until
    parts.append(contacts.loc[dated, ["user_id", "agency_id"]])
    pairs = pd.concat(parts, ignore_index=True).astype(object).drop_duplicates()
    return pairs.sort_values(["user_id", "agency_id"]).reset_index(drop=True)


def _check_period(since, until) -> None:
    if since is not None and until is not None and since > until:
        raise InputError(f"--since {since.date()} is after --until {until.date()}")


# --- building graphs -----------------------------------------------------------------


def _present(value) -> bool:
    return value is not None and not (not isinstance(value, str) and pd.isna(value))


def _add_agencies(graph: nx.Graph, agencies: pd.DataFrame, served: pd.Series) -> None:
    """Every agency of ``agencies`` (the table) as a node, sorted by id, with its descriptive attributes."""
    agencies = agencies.sort_values("agency_id")
    for row in agencies.itertuples(index=False):
        attributes = {key: getattr(row, key) for key in ("name", "kind", "level", "municipality")
                      if key in agencies.columns and _present(getattr(row, key))}
        attributes["users_served"] = int(served.get(row.agency_id, 0))
        graph.add_node(row.agency_id, **attributes)


def _add_counted_edges(graph: nx.Graph, counts: pd.DataFrame, weight: pd.Series | None = None) -> None:
    """Edges from a ``source, target, count`` frame; ``weight`` defaults to the count."""
    weights = counts["count"] if weight is None else weight
    graph.add_edges_from(
        (source, target, {"count": int(count), "weight": w.item() if isinstance(w, np.generic) else w})
        for source, target, count, w in zip(counts["source"], counts["target"], counts["count"], weights)
    )


def _served(dataset: Dataset, since, until) -> pd.Series:
    return user_agencies(dataset, since=since, until=until).groupby("agency_id")["user_id"].nunique()


def handover_flows(dataset: Dataset, *, since=None, until=None, window_days: int = 30) -> nx.DiGraph:
    """The handover network: how many users each agency handed over to each other agency.

    Parameters
    ----------
    dataset : Dataset
    since, until : Timestamp, optional
        Count handovers with ``since <= handover_date <= until``.
    window_days : int
        Days after an episode's end in which the next episode may start (§5.1).

    Returns
    -------
    networkx.DiGraph
        One node per agency (attributes ``name, kind, level, municipality, users_served``,
        the last counted as in :func:`user_agencies` over the period) and an edge
        ``from_agency → to_agency`` for every pair with at least one handover, with
        ``count`` and ``weight`` both the number of handovers.

    Raises
    ------
    InputError
        When ``since`` is after ``until`` or ``window_days`` is negative.

    See Also
    --------
    handover.findings.events.handovers : the handovers counted (with or without coordinator).

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> graph = handover_flows(tiny_dataset())
    >>> list(graph.edges(data=True))
    [('a2', 'a1', {'count': 1, 'weight': 1})]
    >>> graph.nodes["a1"]["name"], graph.nodes["a1"]["users_served"]
    ('NAV Sentrum', 3)
    """
    _check_period(since, until)
    if window_days < 0:
        raise InputError(f"--window-days: {window_days} must not be negative")
    found = handovers(dataset, window_days)
    if since is not None:
        found = found[found["handover_date"] >= since]
    if until is not None:
        found = found[found["handover_date"] <= until]
    counts = (found.groupby(["from_agency_id", "to_agency_id"]).size().rename("count").reset_index()
              .rename(columns={"from_agency_id": "source", "to_agency_id": "target"}))
    return flows_graph(dataset.get("agencies"), _served(dataset, since, until), counts, since=since,
                       until=until, window_days=window_days)


def flows_graph(agencies: pd.DataFrame, served: pd.Series, counts: pd.DataFrame, *, since=None, until=None,
                window_days: int = 30) -> nx.DiGraph:
    """The handover-flows network from its counts: what :func:`handover_flows` returns, on either engine.

    Parameters
    ----------
    agencies : pandas.DataFrame
        The agencies table (``agency_id`` and the descriptive columns it has).
    served : pandas.Series
        Distinct users per agency id in the period (:func:`user_agencies`).
    counts : pandas.DataFrame
        ``source, target, count``: handovers per pair of agencies in the period.
    """
    graph = nx.DiGraph(name="handover flows", since=since, until=until, window_days=window_days)
    _add_agencies(graph, agencies, served)
    _add_counted_edges(graph, counts.sort_values(["source", "target"]))
    return graph


def shared_users(dataset: Dataset, *, since=None, until=None) -> nx.Graph:
    """The patient-sharing network: how many users two agencies have in common.

    Parameters
    ----------
    dataset : Dataset
    since, until : Timestamp, optional
        The period (see :func:`user_agencies`); no period means all time.

    Returns
    -------
    networkx.Graph
        One node per agency (as in :func:`handover_flows`) and an edge between two agencies
        when at least one user is at both in the period, ``count`` and ``weight`` both the
        number of such users. The period is kept in ``graph.graph`` for :func:`care_density`.

    Raises
    ------
    InputError
        When ``since`` is after ``until``.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> list(shared_users(tiny_dataset()).edges(data=True))
    [('a1', 'a2', {'count': 2, 'weight': 2})]
    """
    _check_period(since, until)
    return shared_graph(dataset.get("agencies"), user_agencies(dataset, since=since, until=until),
                        since=since, until=until)


def shared_graph(agencies: pd.DataFrame, pairs: pd.DataFrame, *, since=None, until=None) -> nx.Graph:
    """The shared-users network from the ``user_id, agency_id`` pairs of :func:`user_agencies`.

    What :func:`shared_users` returns, on either engine: ``agencies`` is the agencies table,
    ``pairs`` the distinct pairs of the period.
    """
    both = pairs.merge(pairs, on="user_id", suffixes=("_a", "_b"))
    both = both[both["agency_id_a"] < both["agency_id_b"]]
    counts = (both.groupby(["agency_id_a", "agency_id_b"]).size().rename("count").reset_index()
              .rename(columns={"agency_id_a": "source", "agency_id_b": "target"}))
    graph = nx.Graph(name="shared users", since=since, until=until)
    _add_agencies(graph, agencies, pairs.groupby("agency_id")["user_id"].nunique())
    _add_counted_edges(graph, counts.sort_values(["source", "target"]))
    return graph


def _check_roles(roles) -> tuple[str, ...] | None:
    if roles is None:
        return None
    roles = tuple(dict.fromkeys(roles))
    if not roles:
        raise InputError("--role: give at least one value")
    for role in roles:
        if role not in VOCABULARIES["role"]:
            raise InputError(f"--role: {role} is not one of: {', '.join(VOCABULARIES['role'])}")
    return roles


def handover_of_work(dataset: Dataset, *, roles=None) -> nx.DiGraph:
    """The handover-of-work network between staff (process mining, beta = 0).

    Per user, the responsibilities of the chosen roles ordered by ``(start, staff_id)``;
    every consecutive pair ``i → j`` counts once (also ``i == j``, a responsibility renewed
    by the same person). ``weight = count / total number of pairs`` over all users.

    Parameters
    ----------
    dataset : Dataset
    roles : iterable of str, optional
        The roles to follow (default: all roles).

    Returns
    -------
    networkx.DiGraph
        One node per staff member with a responsibility of the chosen roles (attributes
        ``profession`` when known and ``users_served``, the distinct users of those
        responsibilities) and an edge per pair with ``count`` and ``weight``.

    Raises
    ------
    InputError
        For a role outside the vocabulary.

    Notes
    -----
    This equals ``pm4py.discover_handover_of_work_network(log, beta=0)`` on the event log
    with one event per responsibility (case ``user_id``, resource ``staff_id``, timestamp
    ``start``) listed in ``(user_id, start, staff_id)`` order: pm4py follows the given row
    order within a case. The test suite checks the equality on every fixture and on random
    datasets. Unlike pm4py, staff without any pair stay in the graph as isolated nodes.

    References
    ----------
    .. [1] van der Aalst WMP, Reijers HA, Song M. Discovering social networks from event
       logs. Computer Supported Cooperative Work 2005;14(6):549-93.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> graph = handover_of_work(tiny_dataset())
    >>> sorted((u, v, d["count"], round(d["weight"], 4)) for u, v, d in graph.edges(data=True))
    [('st1', 'st2', 1, 0.3333), ('st2', 'st3', 1, 0.3333), ('st3', 'st1', 1, 0.3333)]
    """
    roles = _check_roles(roles)
    chosen = dataset.get("responsibilities")
    if roles is not None:
        chosen = chosen[chosen["role"].isin(roles)]
    chosen = chosen.sort_values(["user_id", "start", "staff_id"], kind="stable").reset_index(drop=True)
    follows = chosen["user_id"].eq(chosen["user_id"].shift(-1))
    pairs = pd.DataFrame({"source": chosen["staff_id"], "target": chosen["staff_id"].shift(-1)})[follows]
    counts = pairs.groupby(["source", "target"]).size().rename("count").reset_index()
    profession = {}
    if dataset.has("staff") and "profession" in dataset["staff"].columns:
        staff = dataset["staff"]
        profession = dict(zip(staff["staff_id"], staff["profession"]))
    served = chosen.groupby("staff_id")["user_id"].nunique()
    return work_graph(counts, served, profession, roles=roles, dated=False)


def work_graph(counts: pd.DataFrame, served: pd.Series, profession: dict, *, roles=None, since=None,
               until=None, dated: bool = True) -> nx.DiGraph:
    """The handover-of-work network between staff from its counts, on either engine.

    Parameters
    ----------
    counts : pandas.DataFrame
        ``source, target, count``: the handovers of work counted (staff ids).
    served : pandas.Series
        Distinct users per staff id (those with none are not nodes unless in a pair).
    profession : dict
        Staff id → profession, where known.
    roles : tuple of str, optional
        The roles followed (checked), kept in ``graph.graph["roles"]``.
    since, until : Timestamp, optional
        The period counted, kept in ``graph.graph`` unless ``dated`` is false (the
        all-time network of :func:`handover_of_work` carries no period).

    Returns
    -------
    networkx.DiGraph
        One node per staff member served or in a pair, sorted, with ``users_served`` and
        ``profession``; ``weight = count / all pairs counted``.
    """
    counts = counts.sort_values(["source", "target"]).reset_index(drop=True)
    total = int(counts["count"].sum())
    period = {"since": since, "until": until} if dated else {}
    graph = nx.DiGraph(name="handover of work", roles=",".join(roles) if roles else "all", **period)
    served = served[served > 0]
    for staff_id in sorted(set(served.index) | set(counts["source"]) | set(counts["target"])):
        attributes = {"users_served": int(served.get(staff_id, 0))}
        if _present(profession.get(staff_id)):
            attributes["profession"] = profession[staff_id]
        graph.add_node(staff_id, **attributes)
    _add_counted_edges(graph, counts, counts["count"] / total if total else None)
    return graph


# --- reading graphs ------------------------------------------------------------------


def edges_frame(graph: nx.Graph) -> pd.DataFrame:
    """The edges of a network as rows ``source, target, count, weight``.

    An undirected edge is written once, with ``source < target``. ``weight`` is rounded to
    6 decimals; for handover flows and shared users it equals ``count``.

    Parameters
    ----------
    graph : networkx.Graph or networkx.DiGraph
        A network from this module (edges carry ``count`` and ``weight``).

    Returns
    -------
    pandas.DataFrame
        Sorted by ``source, target``.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_edge("b", "a", count=2, weight=2)
    >>> edges_frame(g).values.tolist()
    [['a', 'b', 2, 2.0]]
    """
    rows = []
    for source, target, data in graph.edges(data=True):
        if not graph.is_directed() and target < source:
            source, target = target, source
        rows.append((source, target, int(data["count"]), float(data["weight"])))
    frame = pd.DataFrame(rows, columns=list(EDGE_COLUMNS))
    frame = frame.astype({"source": object, "target": object, "count": "int64", "weight": "float64"})
    frame["weight"] = frame["weight"].round(6)
    return frame.sort_values(["source", "target"], kind="stable").reset_index(drop=True)


def without_isolated(graph: nx.Graph) -> nx.Graph:
    """A copy of ``graph`` without its isolated nodes (nodes with no link; a loop is a link).

    At region scale most agencies and staff without a link in the period are noise on a
    picture; the data outputs (CSV, GEXF) keep them.

    Examples
    --------
    >>> g = nx.DiGraph([("a", "b"), ("c", "c")])
    >>> g.add_node("lonely")
    >>> sorted(without_isolated(g).nodes), sorted(g.nodes)
    (['a', 'b', 'c'], ['a', 'b', 'c', 'lonely'])
    """
    kept = graph.copy()
    kept.remove_nodes_from([node for node in graph.nodes if graph.degree(node) == 0])
    return kept
