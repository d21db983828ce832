"""Service networks as interactive pages that open offline: pyvis, all inlined.

:func:`network_html` draws one network of :mod:`handover.network` with pyvis (vis-network):
node size by users served, colour by agency level (staff: by profession), line width
by the number of handovers or shared users, a tooltip with the numbers on every node
and line, pyvis' filter menu, a legend and a table of the strongest links.
:func:`timeline_html` draws the network month by month with the nodes kept in place,
with a slider and a play button.

Pages are **self-contained**. pyvis' own page, even with ``cdn_resources="in_line"``,
still links Bootstrap from a CDN, so these pages use their own frame and inline the
scripts and styles pyvis ships in its package (vis-network 9.1.2, tom-select for the
filter menu, pyvis' ``utils.js``), read from the installed pyvis at render time, and
their own (``assets/network.css``, ``network-filter.js``, ``network-draw.js``,
``network-timeline.js``): nothing is fetched, and a page works on a closed health
network or attached to an e-mail.

Pages are **safe** with any agency or staff name. Text in the HTML frame is escaped;
the graph data is embedded as JSON with ``<``, ``>`` and ``&`` escaped, so no name can
close a script; vis-network draws labels on a canvas and shows a string tooltip as text
(``innerText``), and tom-select escapes the filter menu's options. pyvis' page would
switch tooltips to raw HTML when a title contains ``href``; this page never does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from importlib import resources

import networkx as nx
import numpy as np

from handover import __version__
from handover.errors import HandoverError
from handover.locale import Words, words
from handover.render.charts import Bar, bar_chart
from handover.render.colours import CATEGORY_COLOURS, FADED, LEVEL_COLOURS, UNKNOWN
from handover.render.html import asset, escape, json_for_script

# The colours of the nodes (from handover.render.colours) stay importable from here, beside the pages.
__all__ = [
    "LEVEL_COLOURS",
    "CATEGORY_COLOURS",
    "vis_assets",
    "layout_positions",
    "network_html",
    "timeline_html",
    "iframe",
]

_LAYOUT_SEED = 42
# Up to this many lines, each shows its number; more would hide the network behind digits.
_LABELLED_EDGES = 60
_CHART_WIDTH = 1100

_ASSETS = {
    "vis_js": "templates/lib/vis-9.1.2/vis-network.min.js",
    "vis_css": "templates/lib/vis-9.1.2/vis-network.css",
    "tom_js": "templates/lib/tom-select/tom-select.complete.min.js",
    "tom_css": "templates/lib/tom-select/tom-select.css",
    "utils_js": "templates/lib/bindings/utils.js",
}


def vis_assets() -> dict[str, str]:
    """The scripts and styles pyvis ships, read from the installed package.

    Returns
    -------
    dict of str to str
        ``vis_js``, ``vis_css``, ``tom_js``, ``tom_css``, ``utils_js``.

    Raises
    ------
    HandoverError
        When a file is missing or could end the ``<script>``/``<style>`` element it is
        inlined in (a pyvis release this module was not written for).
    """
    root = resources.files("pyvis")
    found = {}
    for key, path in _ASSETS.items():
        try:
            text = root.joinpath(path).read_text(encoding="utf-8")
        except (FileNotFoundError, OSError):
            raise HandoverError(f"pyvis has no {path}; this page needs pyvis 0.3.2's bundled files "
                                "(pip install 'pyvis==0.3.2')") from None
        closing = "</script" if key.endswith("_js") else "</style"
        if closing in text.lower():
            raise HandoverError(f"pyvis' {path} contains {closing}, so it cannot be inlined safely")
        found[key] = text
    return found


# --- what the network is -------------------------------------------------------------


@dataclass(frozen=True)
class _Kind:
    """How a page speaks of one kind of network (``network.kind.<key>`` in the catalogue)."""

    heading: str
    nodes: str           # what the nodes are ("agencies")
    edge_count: str      # what an edge counts ("handovers")
    node_size: str       # what the node size shows
    arrow: str           # how to read a line


# The catalogue's key of each network of handover.network, by the graph's name.
_KIND_KEYS = {
    "handover flows": "handover_flows",
    "shared users": "shared_users",
    "handover of work by agency": "handover_of_work_by_agency",
    "handover of work": "handover_of_work",
}


def _kind(graph: nx.Graph, w: Words) -> _Kind:
    key = _KIND_KEYS.get(graph.graph.get("name"), "other")
    return _Kind(*(w(f"network.kind.{key}.{field.name}") for field in fields(_Kind)))


def _code(w: Words, vocabulary: str, value) -> str:
    """A code of the data (a level, an agency kind, a role) as the page's language says it."""
    return w.get(f"network.{vocabulary}.{value}", str(value))


def _html(w: Words, key: str, **markup: str) -> str:
    """The text at ``key``, escaped, with ``markup`` (HTML already safe) filled in."""
    return escape(w(key)).format(**markup)


def _is_staff(graph: nx.Graph) -> bool:
    return graph.graph.get("name") == "handover of work"


def _follows_roles(graph: nx.Graph) -> bool:
    """A handover-of-work network, of staff or grouped by agency: it follows chosen roles, weights are shares."""
    return graph.graph.get("name") in ("handover of work", "handover of work by agency")


def _colour_key(graph: nx.Graph, w: Words) -> tuple[str, dict[str, str], list[tuple[str, str, int]]]:
    """The attribute that colours the nodes, its colour per value, and the legend rows.

    Agencies are coloured by level; staff by profession, or by agency when the dataset
    has no professions. A legend row names its value as ``w`` says it.
    """
    attribute = "level"
    if _is_staff(graph):
        known = any(graph.nodes[n].get("profession") for n in graph.nodes)
        attribute = "profession" if known or not any(graph.nodes[n].get("agency_id") for n in graph.nodes) \
            else "agency_id"
    values = [graph.nodes[n].get(attribute) or "unknown" for n in graph.nodes]
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    colours: dict[str, str] = {}
    if attribute == "level":
        for value in counts:
            colours[value] = LEVEL_COLOURS.get(value, UNKNOWN)
        order = [v for v in LEVEL_COLOURS if v in counts] + sorted(v for v in counts if v not in LEVEL_COLOURS)
    else:
        ranked = sorted((v for v in counts if v != "unknown"), key=lambda v: (-counts[v], v))
        for i, value in enumerate(ranked):
            colours[value] = CATEGORY_COLOURS[i] if i < len(CATEGORY_COLOURS) else UNKNOWN
        if "unknown" in counts:
            colours["unknown"] = UNKNOWN
        order = ranked + (["unknown"] if "unknown" in counts else [])
    legend, other = [], 0
    for value in order:
        if attribute != "level" and colours[value] == UNKNOWN and value != "unknown":
            other += counts[value]
        else:
            name = (w("network.legend.unknown") if value == "unknown"
                    else _code(w, "level", value) if attribute == "level" else value)
            legend.append((name, colours[value], counts[value]))
    if other:
        legend.append((w("network.legend.other_professions" if attribute == "profession"
                         else "network.legend.other_agencies"), UNKNOWN, other))
    return attribute, colours, legend


def layout_positions(graph: nx.Graph, *, seed: int = _LAYOUT_SEED) -> dict:
    """Fixed positions of the nodes, in pixels, the same on every run.

    Each connected component is laid out on its own (Kamada-Kawai up to 150 nodes, else a
    seeded spring layout), turned to lie across the page and spread until no two circles
    (sized as on the page) overlap, so that one lonely agency does not squeeze the rest into
    a corner. The components are then packed in rows, largest first, and nodes without any
    link line up underneath.

    Examples
    --------
    >>> g = nx.path_graph(["a", "b", "c"])
    >>> g.add_node("lonely")
    >>> positions = layout_positions(g)
    >>> positions == layout_positions(g), positions["lonely"][1] > max(positions[n][1] for n in "abc")
    (True, True)
    """
    undirected = nx.Graph()
    undirected.add_nodes_from(sorted(graph.nodes, key=str))
    undirected.add_edges_from((s, t) for s, t in graph.edges if s != t)
    step = 190.0  # pixels between linked nodes: room for a 40 px node and its label
    served = {node: graph.nodes[node].get("users_served", 0) or 0 for node in graph.nodes}
    largest = max(served.values(), default=0)
    radius = {node: _size(value, largest) for node, value in served.items()}
    components = sorted((sorted(c, key=str) for c in nx.connected_components(undirected)),
                        key=lambda c: (-len(c), str(c[0])))
    linked = [c for c in components if len(c) > 1]
    lonely = [c[0] for c in components if len(c) == 1]
    shapes = []
    for members in linked:
        part = undirected.subgraph(members)
        if len(members) <= 150:
            raw = nx.kamada_kawai_layout(part)
        else:
            raw = nx.spring_layout(part, seed=seed, iterations=200)
        raw = _lying_down(raw)
        lengths = sorted(math.dist(raw[a], raw[b]) for a, b in part.edges)
        typical = lengths[len(lengths) // 4] or 1.0
        xs = [p[0] for p in raw.values()]
        ys = [p[1] for p in raw.values()]
        # Scale so that a short link (the lower quartile) is ``step`` long, whatever the shape.
        scaled = {node: ((x - min(xs)) / typical * step, (y - min(ys)) / typical * step)
                  for node, (x, y) in raw.items()}
        spread = _without_overlap(scaled, {node: radius[node] for node in members})
        left = min(p[0] for p in spread.values())
        top = min(p[1] for p in spread.values())
        shapes.append({node: (x - left, y - top) for node, (x, y) in spread.items()})
    positions: dict = {}
    widest = max((max(p[0] for p in shape.values()) for shape in shapes), default=0.0)
    row_width = max(widest, step * 4)
    x0 = y0 = row_height = 0.0
    for shape in shapes:
        width = max(p[0] for p in shape.values())
        height = max(p[1] for p in shape.values())
        if x0 > 0 and x0 + width > row_width:
            x0, y0, row_height = 0.0, y0 + row_height + step, 0.0
        for node, (x, y) in shape.items():
            positions[node] = (x0 + x, y0 + y)
        x0 += width + step
        row_height = max(row_height, height)
    y0 = y0 + row_height + step if shapes else 0.0
    per_row = max(1, int(row_width // (step * 0.8)) + 1)
    for i, node in enumerate(lonely):
        positions[node] = ((i % per_row) * step * 0.8, y0 + (i // per_row) * step * 0.6)
    return {node: (round(x, 1), round(y, 1)) for node, (x, y) in positions.items()}


def _lying_down(positions: dict) -> dict:
    """Rotate a layout so that its longest extent runs across (pages are wider than tall)."""
    nodes = list(positions)
    points = np.array([positions[n] for n in nodes], dtype=float)
    points -= points.mean(axis=0)
    _, vectors = np.linalg.eigh(points.T @ points)
    axes = vectors[:, ::-1]                      # the main axis first
    axes *= np.where(axes.sum(axis=0) < 0, -1.0, 1.0)  # a fixed orientation, run after run
    turned = points @ axes
    return {n: (float(x), float(y)) for n, (x, y) in zip(nodes, turned)}


def _without_overlap(positions: dict, radius: dict, *, gap: float = 56.0, rounds: int = 80) -> dict:
    """Push apart circles closer than their radii plus ``gap`` (room for a label); deterministic."""
    nodes = list(positions)
    if len(nodes) < 2:
        return dict(positions)
    points = np.array([positions[n] for n in nodes], dtype=float)
    radii = np.array([radius[n] for n in nodes], dtype=float)
    need = radii[:, None] + radii[None, :] + gap
    np.fill_diagonal(need, 0.0)
    # Nodes on the very same spot part along a fixed direction of their own.
    angles = np.arange(len(nodes)) * 2.399963
    nudge = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    for _ in range(rounds):
        delta = points[:, None, :] - points[None, :, :]
        dist = np.sqrt((delta ** 2).sum(axis=2))
        short = dist < need
        if not short.any():
            break
        direction = np.where(dist[:, :, None] > 1e-6, delta / np.maximum(dist, 1e-6)[:, :, None],
                             (nudge[:, None, :] - nudge[None, :, :]))
        push = np.where(short, (need - dist) / 2.0, 0.0)
        points += 0.6 * (direction * push[:, :, None]).sum(axis=1)
    return {n: (float(x), float(y)) for n, (x, y) in zip(nodes, points)}


def _size(value: float, largest: float) -> float:
    """Node radius: the area grows with the value (8 px for nothing, 40 px for the largest)."""
    if not largest or not value:
        return 8.0
    return round(8.0 + 32.0 * math.sqrt(value / largest), 1)


def _width(count: float, largest: float) -> float:
    if not largest:
        return 1.0
    return round(1.0 + 11.0 * math.sqrt(count / largest), 2)


def _label(graph: nx.Graph, node) -> str:
    return str(graph.nodes[node].get("name") or node)


def _node_tooltip(graph: nx.Graph, node, kind: _Kind, w: Words) -> str:
    data = graph.nodes[node]
    lines = []
    if _is_staff(graph):
        lines.append(f"{node}" + (f" ({data['profession']})" if data.get("profession") else ""))
        if data.get("agency_id"):
            lines.append(w("network.tip.mostly_at", agency=data["agency_id"]))
        lines.append(w("network.tip.users", count=w.count(data.get("users_served", 0))))
    else:
        lines.append(_label(graph, node))
        details = [str(node)] + [_code(w, vocabulary, data[k]) if vocabulary else str(data[k])
                                 for k, vocabulary in (("kind", "agency_kind"), ("level", "level"),
                                                       ("municipality", None)) if data.get(k)]
        lines.append(" · ".join(details))
        lines.append(" · ".join([w("network.tip.users_served", count=w.count(data.get("users_served", 0)))]
                                + ([w("network.tip.staff", count=w.count(data["staff"]))] if "staff" in data else [])))
    if graph.is_directed():
        out_count = sum(d["count"] for _, t, d in graph.out_edges(node, data=True) if t != node)
        in_count = sum(d["count"] for s, _, d in graph.in_edges(node, data=True) if s != node)
        lines.append(w("network.tip.out_in", what=kind.edge_count, out_count=w.count(out_count),
                       in_count=w.count(in_count)))
        if graph.has_edge(node, node):
            kept = ("network.tip.within_agency" if _follows_roles(graph) and not _is_staff(graph)
                    else "network.tip.kept")
            lines.append(w(kept, count=w.count(graph.edges[node, node]["count"])))
    else:
        links = [(t, d["count"]) for _, t, d in graph.edges(node, data=True) if t != node]
        lines.append(w("network.tip.with", what=kind.edge_count, links=w.count(len(links)), nodes=kind.nodes,
                       count=w.count(sum(c for _, c in links))))
    return "\n".join(lines)


def _edge_tooltip(graph: nx.Graph, source, target, data: dict, kind: _Kind, w: Words) -> str:
    arrow = "→" if graph.is_directed() else "—"
    text = w("network.tip.edge", source=_label(graph, source), arrow=arrow, target=_label(graph, target),
             count=w.count(data["count"]), what=kind.edge_count)
    if _follows_roles(graph):
        weight = float(data["weight"])
        text += "\n" + w("network.tip.share", share=w.number(100 * weight, 1), weight=w.number(weight, 4))
    return text


def _vis_items(graph: nx.Graph, positions: dict, w: Words, *, largest_served=None, largest_count=None):
    """The nodes and edges as pyvis builds them (vis-network's data), plus the legend rows."""
    from pyvis.network import Network

    kind = _kind(graph, w)
    attribute, colours, legend = _colour_key(graph, w)
    served = [graph.nodes[n].get("users_served", 0) or 0 for n in graph.nodes]
    counts = [d["count"] for _, _, d in graph.edges(data=True)]
    largest_served = largest_served if largest_served is not None else max(served, default=0)
    largest_count = largest_count if largest_count is not None else max(counts, default=0)
    net = Network(directed=graph.is_directed(), cdn_resources="in_line", filter_menu=True,
                  neighborhood_highlight=True)
    for node in sorted(graph.nodes, key=str):
        data = graph.nodes[node]
        value = data.get(attribute) or "unknown"
        x, y = positions.get(node, (0.0, 0.0))
        extra = {key: data[key] for key in ("kind", "municipality", "profession", "agency_id") if data.get(key)}
        if not _is_staff(graph) and data.get("level"):
            extra["agency_level"] = data["level"]
        net.add_node(str(node), label=_label(graph, node), title=_node_tooltip(graph, node, kind, w),
                     color=colours.get(value, UNKNOWN), size=_size(data.get("users_served", 0), largest_served),
                     x=x, y=y, users_served=int(data.get("users_served", 0) or 0), **extra)
    labelled = graph.number_of_edges() <= _LABELLED_EDGES
    for source, target, data in sorted(graph.edges(data=True), key=lambda e: (str(e[0]), str(e[1]))):
        extra = {"label": str(int(data["count"]))} if labelled else {}
        net.add_edge(str(source), str(target), width=_width(data["count"], largest_count),
                     title=_edge_tooltip(graph, source, target, data, kind, w), count=int(data["count"]),
                     weight=round(float(data["weight"]), 6), **extra)
    nodes, edges, *_ = net.get_network_data()
    return nodes, edges, legend, attribute


def _options(graph: nx.Graph) -> dict:
    directed = graph.is_directed()
    return {
        "physics": {"enabled": False},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": False,
                        "navigationButtons": False, "keyboard": {"enabled": True, "bindToWindow": False}},
        "nodes": {"shape": "dot", "borderWidth": 1.5,
                  "font": {"size": 15, "face": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
                           "color": "#1b1f24", "strokeWidth": 4, "strokeColor": "#ffffff"},
                  "widthConstraint": {"maximum": 170},
                  # Labels smaller than this on screen are left out until the reader zooms in.
                  "scaling": {"label": {"drawThreshold": 8}}},
        "edges": {"color": {"inherit": "from", "opacity": 0.55} if directed else {"color": "#8f9ba8", "opacity": 0.6,
                                                                                  "highlight": "#12355b",
                                                                                  "hover": "#12355b"},
                  "smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.12} if directed else {"enabled": False},
                  "arrows": {"to": {"enabled": directed, "scaleFactor": 0.55}},
                  "selectionWidth": 1.5, "hoverWidth": 0.8,
                  "font": {"size": 12, "color": "#3d4650", "strokeWidth": 4, "strokeColor": "#ffffff",
                           "align": "horizontal"}},
    }


# --- the page -------------------------------------------------------------------------


def _period_text(graph: nx.Graph, w: Words) -> str:
    since, until = graph.graph.get("since"), graph.graph.get("until")
    if since is None and until is None:
        return w("network.period.all")
    if since is not None and until is not None and since == until:
        return w("network.period.day", day=f"{since:%Y-%m-%d}")
    if since is not None and until is not None:
        return w("network.period.between", since=f"{since:%Y-%m-%d}", until=f"{until:%Y-%m-%d}")
    return (w("network.period.since", since=f"{since:%Y-%m-%d}") if since is not None
            else w("network.period.until", until=f"{until:%Y-%m-%d}"))


def _meta(graph: nx.Graph, source: str, period: str, w: Words) -> str:
    parts = [w("network.meta.dataset", source=source) if source else "", w("network.meta.period", period=period)]
    if _follows_roles(graph):
        roles = graph.graph.get("roles", "all")
        said = (w("network.meta.all_roles") if roles == "all"
                else w("network.meta.role_separator").join(_code(w, "role", r) for r in roles.split(",")))
        parts.append(w("network.meta.roles", roles=said))
    if graph.graph.get("name") == "handover flows":
        parts.append(w("network.meta.window", days=w.count(graph.graph.get("window_days", 30))))
    parts.append(w("network.meta.version", version=__version__))
    return " · ".join(p for p in parts if p)


def _legend(graph: nx.Graph, legend_rows, attribute: str, w: Words, *, largest_served, largest_count) -> str:
    kind = _kind(graph, w)
    what = w({"profession": "network.legend.by_profession",
              "agency_id": "network.legend.by_agency"}.get(attribute, "network.legend.by_level"))
    rows = "".join(
        f'<li><span class="swatch" style="background:{escape(colour)}"></span>{escape(value)}'
        f'<span class="n">{w.count(count)}</span></li>' for value, colour, count in legend_rows)
    small, big = _size(1, 4), _size(4, 4)
    size_text = _html(w, "network.legend.size_text", what=escape(kind.node_size),
                      largest=f"<b>{w.count(largest_served)}</b>")
    lines_text = _html(w, "network.legend.lines_text", what=escape(kind.edge_count),
                       largest=f"<b>{w.count(largest_count)}</b>")
    return f"""
<h2>{escape(w("network.legend.colour", what=what))}</h2>
<ul class="keys">{rows}</ul>
<h2>{escape(w("network.legend.size"))}</h2>
<p class="sizes"><svg width="{2 * big + 2 * small + 24:.0f}" height="{2 * big + 4:.0f}" aria-hidden="true">
<circle cx="{small + 2:.1f}" cy="{big + 2:.1f}" r="{small:.1f}" fill="#c9d3dd"/>
<circle cx="{2 * small + 14 + big:.1f}" cy="{big + 2:.1f}" r="{big:.1f}" fill="#c9d3dd"/></svg>
<span>{size_text}</span></p>
<h2>{escape(w("network.legend.lines"))}</h2>
<p class="lines"><svg width="70" height="22" aria-hidden="true"><line x1="2" y1="6" x2="68" y2="6" stroke="#8f9ba8"
stroke-width="1.5"/><line x1="2" y1="17" x2="68" y2="17" stroke="#8f9ba8" stroke-width="7"/></svg>
<span>{lines_text}</span></p>
<p class="how">{escape(kind.arrow)}</p>"""


def _strongest(graph: nx.Graph, w: Words, limit: int = 10) -> str:
    kind = _kind(graph, w)
    # Grouped by agency, a loop is the work each agency hands over within itself: the largest
    # numbers, but not a link between agencies, which is what the table is for.
    between = _follows_roles(graph) and not _is_staff(graph)
    edges = sorted((e for e in graph.edges(data=True) if not (between and e[0] == e[1])),
                   key=lambda e: (-e[2]["count"], str(e[0]), str(e[1])))[:limit]
    if not edges:
        return f'<p class="how">{escape(w("network.table.none", what=kind.edge_count))}</p>'
    arrow = "→" if graph.is_directed() else "—"
    rows = "".join(
        f'<tr><td>{escape(_label(graph, s))}</td><td class="arrow">{arrow}</td><td>{escape(_label(graph, t))}</td>'
        f'<td class="v">{w.count(d["count"])}</td></tr>' for s, t, d in edges)
    caption = w("network.table.caption_between" if between else "network.table.caption", what=kind.edge_count)
    return (f'<table class="strongest"><caption>{escape(caption)}</caption>'
            '<colgroup><col class="name"><col class="arrow"><col class="name"><col class="n"></colgroup>'
            f'<thead><tr><th>{escape(w("network.table.from"))}</th><th></th><th>{escape(w("network.table.to"))}</th>'
            f'<th class="v">{escape(w("network.table.count"))}</th></tr></thead>'
            f'<tbody>{rows}</tbody></table>')


def _filter_menu(w: Words) -> str:
    said = {key.rsplit(".", 1)[1]: escape(w(key)) for key in w.keys("network.filter.")}
    return f"""<div id="filter-menu" class="filters" role="group" aria-label="{said['group']}">
<select id="select-item" aria-label="{said['item']}" onchange="updateFilter(value, 'item')">
<option value="">{said['item_placeholder']}</option><option value="node">{said['nodes']}</option><option value="edge">{said['lines']}</option></select>
<select id="select-property" aria-label="{said['property']}" onchange="updateFilter(value, 'property')">
<option value="">{said['property_placeholder']}</option></select>
<select id="select-value" aria-label="{said['values']}"><option value="">{said['values_placeholder']}</option></select>
<button type="button" onclick="highlightFilter(filter);">{said['apply']}</button>
<button type="button" class="quiet" onclick="clearFilter(true)">{said['reset']}</button>
</div>"""


def _script_words(w: Words) -> dict:
    """The words the page's scripts show: the filter menu's, the timeline's, and how numbers are grouped."""
    def table(prefix):
        return {key[len(prefix):]: w(key) for key in w.keys(prefix)}

    return {"properties": table("network.property."),
            "values": {"agency_level": table("network.level."), "kind": table("network.agency_kind.")},
            "noResults": w("network.filter.no_results"),
            "noUsers": w("network.tip.no_users"),
            "play": w("network.timeline.play"), "playLabel": w("network.timeline.play_label"),
            "pause": w("network.timeline.pause"), "pauseLabel": w("network.timeline.pause_label"),
            "thousands": w.count(1000)[1:-3]}


def _summary(graph: nx.Graph, w: Words) -> str:
    kind = _kind(graph, w)
    total = sum(d["count"] for _, _, d in graph.edges(data=True))
    active = sum(1 for n in graph.nodes if graph.nodes[n].get("users_served"))
    # A user shared by three agencies is on three links: the total counts links, not users.
    summed = w("network.card.total" if graph.is_directed() else "network.card.summed", what=kind.edge_count)
    return (f'<div class="cards"><div class="card"><span class="n" id="n-nodes">{w.count(active)}</span>'
            f'<span class="label">{escape(w("network.card.nodes", nodes=kind.nodes))}</span></div>'
            f'<div class="card"><span class="n" id="n-edges">{w.count(graph.number_of_edges())}</span>'
            f'<span class="label">{escape(w("network.card.links"))}</span></div>'
            f'<div class="card"><span class="n" id="n-total">{w.count(total)}</span>'
            f'<span class="label">{escape(summed)}</span></div></div>')


def _notes(notes) -> str:
    return "".join(f'<p class="note" role="note">{escape(note)}</p>' for note in notes)


def _page(*, title: str, meta: str, body_class: str, controls: str, legend: str, side: str, data: dict,
          script: str, aria: str, w: Words, notes=()) -> str:
    pyvis = vis_assets()
    # network-filter.js is adapted from pyvis 0.3.2's template.html (BSD-3-Clause): its filter
    # menu, limited to the properties a reader would filter on (the page lists them in "filterable").
    return f"""<!DOCTYPE html>
<html lang="{escape(w.lang)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>{pyvis["vis_css"]}</style>
<style>{pyvis["tom_css"]}</style>
<style>
{asset("network.css")}</style>
</head><body class="{body_class}">
<header class="top"><h1>{escape(title)}</h1><p class="meta">{escape(meta)}</p>{_notes(notes)}</header>
{controls}
<main class="layout">
<section class="stage">
{_filter_menu(w)}
<div id="mynetwork" role="img" aria-label="{escape(aria)}"></div>
<p class="hint">{escape(w("network.hint"))}</p>
</section>
<aside class="legend">
{legend}
{side}
</aside>
</main>
<script>{pyvis["utils_js"]}</script>
<script>{pyvis["vis_js"]}</script>
<script>{pyvis["tom_js"]}</script>
<script type="application/json" id="network-data">{json_for_script({**data, "words": _script_words(w)})}</script>
<script>
{asset("network-filter.js")}</script>
<script>
{script}</script>
</body></html>
"""


def network_html(graph: nx.Graph, *, source: str | None = None, title: str | None = None,
                 positions: dict | None = None, notes=(), lang: str = "en") -> str:
    """One network as a self-contained interactive page.

    Parameters
    ----------
    graph : networkx.Graph or networkx.DiGraph
        A network of :mod:`handover.network` (or :mod:`handover.network.time`).
    source : str, optional
        The dataset's name, shown on the page; default ``graph.graph["source"]``.
    title : str, optional
        Default: what the network shows ("Handover flows between agencies").
    positions : dict, optional
        ``node → (x, y)`` in pixels; default :func:`layout_positions`.
    notes : iterable of str
        Shown under the heading: what the picture leaves out or groups, and how to change it.
    lang : {"en", "nb"}
        The language of every word on the page (``network.*`` in :mod:`handover.locale`);
        the nodes, edges and their numbers are the same in both.

    Returns
    -------
    str
        The HTML page: inline scripts and styles only, nothing fetched.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> from handover.network import handover_flows
    >>> page = network_html(handover_flows(tiny_dataset()))
    >>> "Handover flows between agencies" in page, "https://cdn" in page, "NAV Sentrum" in page
    (True, False, True)
    >>> "Overganger mellom virksomheter" in network_html(handover_flows(tiny_dataset()), lang="nb")
    True
    """
    w = words(lang)
    kind = _kind(graph, w)
    positions = positions if positions is not None else layout_positions(graph)
    nodes, edges, legend_rows, attribute = _vis_items(graph, positions, w)
    served = max((graph.nodes[n].get("users_served", 0) or 0 for n in graph.nodes), default=0)
    largest = max((d["count"] for _, _, d in graph.edges(data=True)), default=0)
    source = source if source is not None else graph.graph.get("source", "")
    period = _period_text(graph, w)
    legend = _legend(graph, legend_rows, attribute, w, largest_served=served, largest_count=largest)
    data = {"nodes": nodes, "edges": edges, "options": _options(graph),
            "filterable": _filterable(graph)}
    aria = w("network.aria", heading=kind.heading, count=w.count(graph.number_of_nodes()), nodes=kind.nodes,
             links=w.count(graph.number_of_edges()))
    return _page(title=title or kind.heading, meta=_meta(graph, source, period, w), body_class="static",
                 controls="", legend=_summary(graph, w) + legend, side=_strongest(graph, w), data=data,
                 script=asset("network-draw.js"), aria=aria, w=w, notes=notes)


def _filterable(graph: nx.Graph) -> dict:
    if _is_staff(graph):
        node = ["label", "profession", "agency_id", "users_served"]
    else:
        node = ["label", "kind", "agency_level", "municipality", "users_served"]
    return {"node": node, "edge": ["count"] + (["weight"] if _follows_roles(graph) else [])}


def iframe(page: str, *, height: int = 800) -> str:
    """A page of this module inside an ``<iframe srcdoc>``, to show in a Jupyter notebook.

    The page keeps its own document (scripts, styles) apart from the notebook's, as pyvis
    does for notebooks; display it with ``IPython.display.HTML(iframe(page))``.

    Examples
    --------
    >>> iframe("<p>a & b</p>", height=300)
    '<div class="handover-page"><iframe srcdoc="&lt;p&gt;a &amp; b&lt;/p&gt;" style="width:100%;height:300px;...'
    """
    return (f'<div class="handover-page"><iframe srcdoc="{escape(page)}" style="width:100%;height:{int(height)}px;'
            f'border:0" sandbox="allow-scripts" title="network"></iframe></div>')


# --- the timeline ---------------------------------------------------------------------


def timeline_html(frames, overall: nx.Graph, *, source: str | None = None, title: str | None = None,
                  positions: dict | None = None, notes=(), lang: str = "en") -> str:
    """The network month by month on one page: nodes stay in place, lines come and go.

    Parameters
    ----------
    frames : list of (str, networkx.Graph)
        ``(YYYY-MM, network of that month)`` from :func:`handover.network.time.monthly_networks`.
    overall : networkx.Graph
        The network over the whole period: it fixes the layout and the colours.
    source, title : str, optional
    positions : dict, optional
        Default: :func:`layout_positions` of ``overall``.
    notes : iterable of str
        As for :func:`network_html`.
    lang : {"en", "nb"}
        As for :func:`network_html`; the player's buttons and the chart speak it too.

    Returns
    -------
    str
        One self-contained page with a slider, previous / play / next buttons (and the arrow
        keys), a bar chart of the monthly totals (a click on a bar jumps to its month), and
        the month in the address (``page.html#2024-03`` opens at March 2024).

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> from handover.network import handover_of_work
    >>> from handover.network.time import monthly_networks
    >>> ds = tiny_dataset()
    >>> page = timeline_html(monthly_networks("handover-of-work", ds), handover_of_work(ds))
    >>> '"months":["2024-01","2024-02"' in page, "<input" in page
    (True, True)
    """
    w = words(lang)
    kind = _kind(overall, w)
    positions = positions if positions is not None else layout_positions(overall)
    served = max((g.nodes[n].get("users_served", 0) or 0 for _, g in frames for n in g.nodes), default=0)
    largest = max((d["count"] for _, g in frames for _, _, d in g.edges(data=True)), default=0)
    base = overall.copy()
    for _, graph in frames:  # nodes that only appear in a month (none when overall is all time)
        for node, data in graph.nodes(data=True):
            if node not in base:
                base.add_node(node, **data)
        for s, t, d in graph.edges(data=True):
            if not base.has_edge(s, t):
                base.add_edge(s, t, **d)
    if set(positions) != set(base.nodes):
        positions = {**layout_positions(base), **positions}
    nodes, edges, legend_rows, attribute = _vis_items(base, positions, w, largest_served=served,
                                                      largest_count=largest)
    edge_ids = {}
    for i, edge in enumerate(edges):
        edge["id"] = f"e{i}"
        edge_ids[(edge["from"], edge["to"])] = edge["id"]
    node_index = {node["id"]: i for i, node in enumerate(nodes)}
    months, steps, totals = [], [], []
    for label, graph in frames:
        month_nodes = []
        for node, data in graph.nodes(data=True):
            users = int(data.get("users_served", 0) or 0)
            if users:
                month_nodes.append([node_index[str(node)], users, _size(users, served),
                                    _node_tooltip(graph, node, kind, w)])
        month_edges = []
        for s, t, d in graph.edges(data=True):
            key = (str(s), str(t))
            if key not in edge_ids and not graph.is_directed():
                key = (str(t), str(s))
            month_edges.append([edge_ids[key], int(d["count"]), _width(d["count"], largest),
                                _edge_tooltip(graph, s, t, d, kind, w)])
        months.append(label)
        steps.append({"n": month_nodes, "e": month_edges})
        totals.append(sum(d["count"] for _, _, d in graph.edges(data=True)))
    source = source if source is not None else overall.graph.get("source", "")
    period = (w("network.period.months", first=months[0], last=months[-1]) if months
              else w("network.period.no_months"))
    legend = _legend(overall, legend_rows, attribute, w, largest_served=served, largest_count=largest)
    per_month = kind.edge_count.capitalize()
    chart = bar_chart([Bar(m, t, text="", tooltip=w("network.timeline.bar", month=m, count=w.count(t),
                                                    what=kind.edge_count)) for m, t in zip(months, totals)],
                      title=w("network.timeline.per_month", what=per_month), ident="per-month",
                      desc=w("network.timeline.chart_desc", what=kind.edge_count), height=110, font_size=11,
                      width=_CHART_WIDTH, label_every=12 if len(months) > 36 else 6 if len(months) > 12 else 1,
                      lang=w.lang) \
        if months else ""
    said = {key.rsplit(".", 1)[1]: escape(w(key)) for key in w.keys("network.timeline.")}
    controls = f"""<div class="player" role="group" aria-label="{said['group']}">
<button type="button" id="prev" aria-label="{said['previous']}">◀</button>
<button type="button" id="play" aria-label="{said['play_label']}">{said['play']}</button>
<button type="button" id="next" aria-label="{said['next']}">▶</button>
<input type="range" id="month" min="0" max="{max(len(months) - 1, 0)}" value="0" step="1" aria-label="{said['month']}">
<output id="month-label" for="month">{escape(months[0]) if months else ""}</output>
<label class="speed">{said['speed']} <select id="speed" aria-label="{said['speed_label']}"><option value="1600">{said['slow']}</option>
<option value="800" selected>{said['normal']}</option><option value="350">{said['fast']}</option></select></label>
</div>
<div class="per-month"><p class="chart-title">{escape(w("network.timeline.chart_title", what=per_month))}</p>{chart}</div>"""
    data = {"nodes": nodes, "edges": edges, "options": _options(overall), "filterable": _filterable(overall),
            "months": months, "steps": steps, "totals": totals, "faded": FADED,
            "edgeCount": kind.edge_count, "labelled": base.number_of_edges() <= _LABELLED_EDGES}
    aria = w("network.timeline.aria", heading=kind.heading, count=w.count(len(nodes)), nodes=kind.nodes)
    heading = title or w("network.timeline.heading", heading=kind.heading)
    return _page(title=heading, meta=_meta(overall, source, period, w), body_class="timeline", controls=controls,
                 legend=_summary(frames[-1][1] if frames else overall, w) + legend, side="", data=data,
                 script=asset("network-draw.js") + "\n" + asset("network-timeline.js"), aria=aria, w=w,
                 notes=notes)
