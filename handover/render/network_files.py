"""A network as files for other tools: its edges as CSV (scripts), the whole graph as GEXF (Gephi)."""

from __future__ import annotations

import io

import networkx as nx

from handover.network.build import edges_frame
from handover.render.characters import xml_safe
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
    r"""The whole graph, node attributes included, as GEXF 1.2 (Gephi's format).

    Text attributes (names, professions) are written with the characters XML 1.0 cannot
    hold replaced by U+FFFD (:func:`handover.render.characters.xml_safe`), so the file
    always parses; ids cannot hold such characters (the checks refuse them).

    Examples
    --------
    >>> from xml.etree import ElementTree
    >>> g = nx.DiGraph()
    >>> g.add_node("a1", name="NAV\x01Sentrum")
    >>> root = ElementTree.fromstring(gexf_text(g))
    >>> [n.get("label") for n in root.iter() if n.tag.endswith("}node")]
    ['NAV\ufffdSentrum']
    """
    buffer = io.BytesIO()
    clean = graph.copy()
    clean.graph = {"name": _safe(graph.graph.get("name", ""))}  # GEXF holds no other graph attributes
    for _, data in clean.nodes(data=True):
        data.update({key: _safe(value) for key, value in data.items()})
        if "name" in data:
            data["label"] = data["name"]  # Gephi shows the label; the id stays the agency_id
    for _, _, data in clean.edges(data=True):
        data.update({key: _safe(value) for key, value in data.items()})
    nx.write_gexf(clean, buffer)
    return buffer.getvalue().decode("utf-8")


def _safe(value):
    return xml_safe(value) if isinstance(value, str) else value
