"""A network as files for other tools: its edges as CSV (scripts), the whole graph as GEXF (Gephi)."""

from __future__ import annotations

import io

import networkx as nx

from handover.network.build import edges_frame
from handover.render.results import frame_csv

__all__ = ["edges_csv", "gexf_text"]


def edges_csv(graph: nx.Graph) -> str:
    """The edges as ``source,target,count,weight`` (docs/findings.md §5.8).

    Examples
    --------
    >>> g = nx.DiGraph()
    >>> g.add_edge("a1", "a2", count=3, weight=3)
    >>> print(edges_csv(g), end="")
    source,target,count,weight
    a1,a2,3,3
    """
    return frame_csv(edges_frame(graph))


def gexf_text(graph: nx.Graph) -> str:
    """The whole graph, node attributes included, as GEXF 1.2 (Gephi's format)."""
    buffer = io.BytesIO()
    clean = graph.copy()
    clean.graph = {"name": graph.graph.get("name", "")}  # GEXF holds no other graph attributes
    for _, data in clean.nodes(data=True):
        if "name" in data:
            data["label"] = data["name"]  # Gephi shows the label; the id stays the agency_id
    nx.write_gexf(clean, buffer)
    return buffer.getvalue().decode("utf-8")
