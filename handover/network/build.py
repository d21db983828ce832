"""The service network (DESIGN §5.8): who hands users over to whom, and who shares them.

Three networks, each a networkx graph built from counts that pandas computes:

- :func:`handover_flows` (agency → agency): handovers of §5.1, with or without coordinator;
- :func:`shared_users` (agency — agency): users with something at both agencies
  (patient-sharing);
- :func:`handover_of_work` (staff → staff): the process-mining handover-of-work network,
  equal to pm4py's ``discover_handover_of_work_network(log, beta=0)``.

:func:`edges_frame` turns any of them into the ``source, target, count, weight`` rows the
CLI prints. :func:`agency_metrics` and :func:`care_density` measure the agency networks,
and :func:`caseload` counts who is responsible for how many users on a day.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from handover.errors import InputError
from handover.findings.rounding import round_ratio
from handover.findings.events import episodes_with_agency, handovers
from handover.model import VOCABULARIES, Dataset
from handover.timeline import active_on, open_end

__all__ = [
    "EDGE_COLUMNS",
    "handover_flows",
    "shared_users",
    "handover_of_work",
    "edges_frame",
    "agency_metrics",
    "care_density",
    "caseload",
    "user_agencies",
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


def _add_agencies(graph: nx.Graph, dataset: Dataset, served: pd.Series) -> None:
    """Every agency as a node, sorted by id, with its descriptive attributes."""
    agencies = dataset.get("agencies").sort_values("agency_id")
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
    graph = nx.DiGraph(name="handover flows", since=since, until=until, window_days=window_days)
    _add_agencies(graph, dataset, _served(dataset, since, until))
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
    pairs = user_agencies(dataset, since=since, until=until)
    both = pairs.merge(pairs, on="user_id", suffixes=("_a", "_b"))
    both = both[both["agency_id_a"] < both["agency_id_b"]]
    counts = (both.groupby(["agency_id_a", "agency_id_b"]).size().rename("count").reset_index()
              .rename(columns={"agency_id_a": "source", "agency_id_b": "target"}))
    graph = nx.Graph(name="shared users", since=since, until=until)
    _add_agencies(graph, dataset, pairs.groupby("agency_id")["user_id"].nunique())
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
    counts = counts.sort_values(["source", "target"]).reset_index(drop=True)
    total = int(counts["count"].sum())
    graph = nx.DiGraph(name="handover of work", roles=",".join(roles) if roles else "all")
    profession = {}
    if dataset.has("staff") and "profession" in dataset["staff"].columns:
        staff = dataset["staff"]
        profession = dict(zip(staff["staff_id"], staff["profession"]))
    served = chosen.groupby("staff_id")["user_id"].nunique()
    for staff_id in sorted(served.index):
        attributes = {"users_served": int(served[staff_id])}
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


def agency_metrics(graph: nx.Graph, *, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """Centrality and community of each agency in an agency network.

    Parameters
    ----------
    graph : networkx.Graph or networkx.DiGraph
        :func:`shared_users` or :func:`handover_flows`.
    seed : int
        Seed of the Louvain community detection, so the answer is the same on every run.

    Returns
    -------
    pandas.DataFrame
        One row per agency, sorted by ``agency_id``, with columns

        - ``agency_id, name, kind, level, users_served`` (node attributes);
        - ``neighbours``: agencies linked to it (in either direction);
        - ``strength``: weighted degree, the sum of the weights of its edges (in + out);
        - ``in_strength``, ``out_strength``: the same for incoming and outgoing edges
          (directed networks only, else empty);
        - ``betweenness``: normalised betweenness centrality, rounded to 6 decimals, with
          ``1 / weight`` as the length of an edge, so that strong ties are short;
        - ``community``: the Louvain community (modularity on ``weight``), numbered from 1
          by decreasing size, ties by their smallest ``agency_id``.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_edge("a", "b", weight=2)
    >>> g.add_edge("b", "c", weight=1)
    >>> agency_metrics(g)[["agency_id", "strength", "betweenness"]].values.tolist()
    [['a', 2.0, 0.0], ['b', 3.0, 1.0], ['c', 1.0, 0.0]]
    """
    nodes = sorted(graph.nodes)
    directed = graph.is_directed()
    distances = graph.copy()
    for _, _, data in distances.edges(data=True):
        data["distance"] = 1.0 / data["weight"]
    betweenness = nx.betweenness_centrality(distances, weight="distance", normalized=True)
    communities = nx.community.louvain_communities(graph, weight="weight", seed=seed)
    ordered = sorted((sorted(c) for c in communities), key=lambda c: (-len(c), c[0]))
    community = {node: number for number, members in enumerate(ordered, start=1) for node in members}
    undirected = graph.to_undirected(as_view=True) if directed else graph
    rows = []
    for node in nodes:
        data = graph.nodes[node]
        rows.append({
            "agency_id": node,
            "name": data.get("name"), "kind": data.get("kind"), "level": data.get("level"),
            "users_served": data.get("users_served"),
            "neighbours": len(set(undirected[node]) - {node}),
            "strength": float(graph.degree(node, weight="weight")),
            "in_strength": float(graph.in_degree(node, weight="weight")) if directed else np.nan,
            "out_strength": float(graph.out_degree(node, weight="weight")) if directed else np.nan,
            "betweenness": round(betweenness[node], 6),
            "community": community[node],
        })
    columns = ["agency_id", "name", "kind", "level", "users_served", "neighbours", "strength",
               "in_strength", "out_strength", "betweenness", "community"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({"users_served": "Int64", "neighbours": "int64", "community": "int64"})


def care_density(dataset: Dataset, shared: nx.Graph) -> pd.DataFrame:
    """Pollack's care density of each user seen at two or more agencies.

    For a user at agencies ``A_1 … A_k`` (``k >= 2``; see :func:`user_agencies`, over the
    period ``shared`` was built for), the care density is the mean, over the ``k (k - 1) / 2``
    pairs of those agencies, of the number of users each pair shares (the pair's weight in
    ``shared``). High values mean the user's agencies are used to working together.

    Parameters
    ----------
    dataset : Dataset
    shared : networkx.Graph
        The network from :func:`shared_users`.

    Returns
    -------
    pandas.DataFrame
        Columns ``user_id, agencies, agency_pairs, shared_users, care_density`` (``shared_users``
        the sum of the pair weights, ``care_density = shared_users / agency_pairs`` rounded
        half up to 4 decimals), sorted by ``user_id``.

    References
    ----------
    .. [1] Pollack CE, Weissman GE, Lemke KW, Hussey PS, Weiner JP. Patient sharing among
       physicians and costs of care: a network analytic approach to care coordination using
       claims data. J Gen Intern Med 2013;28(3):459-65.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> ds = tiny_dataset()
    >>> care_density(ds, shared_users(ds)).values.tolist()
    [['u1', 2, 1, 2, 2.0], ['u3', 2, 1, 2, 2.0]]
    """
    pairs = user_agencies(dataset, since=shared.graph.get("since"), until=shared.graph.get("until"))
    both = pairs.merge(pairs, on="user_id", suffixes=("_a", "_b"))
    both = both[both["agency_id_a"] < both["agency_id_b"]]
    weights = edges_frame(shared).rename(columns={"source": "agency_id_a", "target": "agency_id_b"})
    both = both.merge(weights[["agency_id_a", "agency_id_b", "count"]], how="left",
                      on=["agency_id_a", "agency_id_b"])
    per_user = both.groupby("user_id", sort=True).agg(agency_pairs=("count", "size"),
                                                       shared_users=("count", "sum"))
    per_user["shared_users"] = per_user["shared_users"].fillna(0).astype("int64")
    per_user["agencies"] = pairs.groupby("user_id")["agency_id"].size().reindex(per_user.index)
    per_user["care_density"] = round_ratio(per_user["shared_users"].to_numpy(np.int64),
                                           per_user["agency_pairs"].to_numpy(np.int64))
    columns = ["user_id", "agencies", "agency_pairs", "shared_users", "care_density"]
    return per_user.reset_index()[columns].astype({"agencies": "int64", "agency_pairs": "int64",
                                                   "care_density": "float64"})


def caseload(dataset: Dataset, *, as_of, max_users: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Who is responsible for how many users on ``as_of``, and who is responsible for nobody.

    Parameters
    ----------
    dataset : Dataset
    as_of : Timestamp
        The day looked at.
    max_users : int, optional
        Flag staff responsible, in one role, for more than this many users.

    Returns
    -------
    per_staff : pandas.DataFrame
        ``staff_id, profession, role, users, over_limit``: for each staff member and role, the
        distinct users of their responsibilities active on ``as_of``; ``over_limit`` is
        ``users > max_users`` (always false without a limit). Sorted by ``staff_id, role``.
    per_agency : pandas.DataFrame
        ``agency_id, name, users, users_without_responsible, share_without_responsible``:
        for each agency with a responsibility or plan active on ``as_of``, its users (with an
        active plan, episode or responsibility there), those of them without any active
        responsibility at that agency, and their share (rounded half up to 4 decimals).
        Sorted by ``agency_id``.

    Raises
    ------
    InputError
        When ``max_users`` is below 1.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> staff, agencies = caseload(tiny_dataset(), as_of=pd.Timestamp("2024-06-15"))
    >>> staff[["staff_id", "role", "users"]].values.tolist()
    [['st3', 'caseworker', 1]]
    >>> agencies[["agency_id", "users", "users_without_responsible"]].values.tolist()
    [['a1', 3, 2], ['a2', 1, 1]]
    """
    if max_users is not None and max_users < 1:
        raise InputError(f"--max-users: {max_users} must be at least 1")
    responsibilities = dataset.get("responsibilities")
    responsible = responsibilities[active_on(responsibilities["start"], responsibilities["end"], as_of)]
    per_staff = (responsible.groupby(["staff_id", "role"], sort=True)["user_id"].nunique()
                 .rename("users").reset_index())
    profession = pd.Series(dtype=object)
    if dataset.has("staff") and "profession" in dataset["staff"].columns:
        profession = dataset["staff"].set_index("staff_id")["profession"]
    per_staff.insert(1, "profession", per_staff["staff_id"].map(profession).astype(object))
    per_staff["profession"] = per_staff["profession"].where(per_staff["profession"].notna(), None)
    per_staff["users"] = per_staff["users"].astype("int64")
    per_staff["over_limit"] = per_staff["users"] > max_users if max_users is not None else False
    per_staff["over_limit"] = per_staff["over_limit"].astype(bool)

    plans = dataset.get("plans")
    plans = plans[active_on(plans["start"], plans["end"], as_of)]
    episodes = episodes_with_agency(dataset)
    episodes = episodes[active_on(episodes["start"], episodes["end"], as_of) & episodes["agency_id"].notna()]
    agencies = pd.Index(responsible["agency_id"]).union(pd.Index(plans["agency_id"]))
    users = pd.concat([responsible[["agency_id", "user_id"]], plans[["agency_id", "user_id"]],
                       episodes[["agency_id", "user_id"]]]).astype(object).drop_duplicates()
    users = users[users["agency_id"].isin(agencies)]
    covered = responsible[["agency_id", "user_id"]].drop_duplicates().assign(covered=True)
    users = users.merge(covered, on=["agency_id", "user_id"], how="left")
    users["uncovered"] = users["covered"].isna()
    per_agency = users.groupby("agency_id", sort=True).agg(users=("user_id", "size"),
                                                           users_without_responsible=("uncovered", "sum"))
    per_agency = per_agency.reset_index().astype({"users": "int64", "users_without_responsible": "int64"})
    names = dataset.get("agencies").set_index("agency_id")["name"]
    per_agency.insert(1, "name", per_agency["agency_id"].map(names).astype(object))
    per_agency["share_without_responsible"] = round_ratio(
        per_agency["users_without_responsible"].to_numpy(np.int64), per_agency["users"].to_numpy(np.int64))
    per_agency["share_without_responsible"] = per_agency["share_without_responsible"].astype("float64")
    return per_staff.reset_index(drop=True), per_agency
