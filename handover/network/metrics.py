"""Measures of the agency networks: centrality and communities, and each user's care density."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from handover.findings.rounding import round_ratio
from handover.model import Dataset
from handover.network.build import DEFAULT_SEED, edges_frame, user_agencies

__all__ = ["agency_metrics", "care_density", "density_from_pairs"]


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
    >>> from handover.network import shared_users
    >>> care_density(ds, shared_users(ds)).values.tolist()
    [['u1', 2, 1, 2, 2.0], ['u3', 2, 1, 2, 2.0]]
    """
    return density_from_pairs(user_agencies(dataset, since=shared.graph.get("since"),
                                            until=shared.graph.get("until")), shared)


def density_from_pairs(pairs: pd.DataFrame, shared: nx.Graph) -> pd.DataFrame:
    """:func:`care_density` from the ``user_id, agency_id`` pairs of the network's period, on either engine."""
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
