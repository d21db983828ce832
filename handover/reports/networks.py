"""The network outputs: one network in a chosen format or as a monthly timeline, its metrics, caseloads.

Each function is the one library call of a command (``handover network``, ``metrics``,
``caseload``); the command parses options and writes what comes back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import networkx as nx
import pandas as pd

from handover.errors import InputError
from handover.io.atomic import write_folder_atomic
from handover.locale import words
from handover.network import agency_metrics, caseload, without_isolated
from handover.network.metrics import density_from_pairs
from handover.network.sources import networks_of
from handover.network.time import KINDS, from_first_month_with_data
from handover.render.network_files import edges_csv, gexf_text
from handover.render.network_page import network_html, timeline_html
from handover.render.results import frame_csv, frame_text, text_table

__all__ = ["KINDS", "RENDERERS", "DEFAULT_MAX_NODES", "build_network", "network_output", "picture_view",
           "metrics_tables", "write_metrics", "caseload_text", "write_caseload"]

#: Above this many staff a page draws the handover-of-work network by agency (``--max-nodes``). A
#: generated region of 5,000 users has about 1,000 staff with handovers of work and 240 agencies.
DEFAULT_MAX_NODES = 250

#: ``--format`` name → function from a network to the text written; adding an entry adds the format.
RENDERERS: dict[str, Callable[[nx.Graph], str]] = {
    "csv": edges_csv,
    "html": network_html,
    "gexf": gexf_text,
}


def build_network(kind: str, dataset, *, roles=None, since=None, until=None,
                  window_days: int = 30, sliced: bool = False) -> nx.Graph:
    """Build network ``kind`` (one of :data:`KINDS`), refusing options that do not apply to it.

    ``dataset`` is a dataset or a network source (:mod:`handover.network.sources`), such as
    the Neo4j engine's; so is the ``dataset`` of every function here.

    ``since`` and ``until`` come from ``--since/--until`` or, with ``sliced``, from
    ``--as-of`` or ``--between``, which also slice handover-of-work (by the day each
    handover of work was made; see :mod:`handover.network.time`).
    """
    if kind == "handover-of-work" and not sliced and (since is not None or until is not None):
        raise InputError("--since/--until do not apply to handover-of-work (it follows each "
                         "user's whole history); use them with handover-flows or shared-users, or "
                         "slice it by the day each handover of work was made with --between START END "
                         "or --as-of DATE")
    if roles and kind != "handover-of-work":
        raise InputError(f"--role applies to handover-of-work only, not to {kind}")
    return networks_of(dataset).network(kind, since=since, until=until, roles=roles, window_days=window_days)


def picture_view(kind: str, dataset, graph: nx.Graph, *, max_nodes: int = DEFAULT_MAX_NODES,
                 keep_isolated: bool = False, roles=None, since=None, until=None,
                 lang: str = "en") -> tuple[nx.Graph, list[str]]:
    """What a page draws of ``graph``, and the notes that say what it left out or grouped.

    Nodes without any link are left out unless ``keep_isolated`` (a loop is a link). A
    handover-of-work network with more staff than ``max_nodes`` (0: no limit) is drawn by
    agency (:func:`handover.network.time.handover_of_work_by_agency` over the same period and
    roles): a thousand staff are a tangle, their agencies a picture.

    Parameters
    ----------
    kind : str
        One of :data:`KINDS`; only handover-of-work is ever grouped.
    dataset : Dataset or network source
    graph : networkx.Graph
        The network as :func:`build_network` made it from ``dataset``, ``roles``, ``since``
        and ``until``.
    max_nodes : int
    keep_isolated : bool
    lang : {"en", "nb"}
        The language of the notes (``network.note.*`` in :mod:`handover.locale`).

    Returns
    -------
    (networkx.Graph, list of str)
        The network to draw, and one sentence per thing the picture does differently from the
        data (shown on the page under its heading).

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> graph = build_network("handover-of-work", tiny_dataset())
    >>> shown, notes = picture_view("handover-of-work", tiny_dataset(), graph, max_nodes=2)
    >>> shown.graph["name"], shown.number_of_nodes(), notes[0][:54]
    ('handover of work by agency', 1, '3 staff are more than --max-nodes 2, so each circle is')
    """
    w, notes = words(lang), []
    shown = graph if keep_isolated else without_isolated(graph)
    left_out, plural = graph.number_of_nodes() - shown.number_of_nodes(), _is_staff(graph)
    if kind == "handover-of-work" and max_nodes and shown.number_of_nodes() > max_nodes:
        staff = shown.number_of_nodes()
        grouped = networks_of(dataset).network(kind, since=since, until=until, roles=roles, by_agency=True)
        grouped.graph["source"] = graph.graph.get("source", "")
        shown = grouped if keep_isolated else without_isolated(grouped)
        left_out, plural = grouped.number_of_nodes() - shown.number_of_nodes(), False
        agencies = shown.number_of_nodes()
        notes.append(w("network.note.grouped", staff=w.count(staff), max_nodes=max_nodes,
                       agencies=w.count(agencies)))
        if agencies > max_nodes:
            notes.append(w("network.note.still_many", agencies=w.count(agencies), max_nodes=max_nodes))
    if left_out:
        what = f"{'staff' if plural else 'agency'}_{'one' if left_out == 1 else 'many'}"
        notes.append(w(f"network.note.isolated.{what}", count=w.count(left_out)))
    return shown, notes


def _is_staff(graph: nx.Graph) -> bool:
    return graph.graph.get("name") == "handover of work"


def network_output(kind: str, dataset, *, fmt: str | None = None, timeline: bool = False,
                   roles=None, since=None, until=None, window_days: int = 30, sliced: bool = False,
                   source: str = "", max_nodes: int | None = None, keep_isolated: bool = False,
                   lang: str | None = None, default_lang: str = "en") -> tuple[str, str]:
    """Network ``kind`` as the text of ``fmt`` (default csv; html for a timeline), and what it holds.

    Pages (html, and the timeline) show what :func:`picture_view` keeps, with its notes; a
    timeline starts at the first month with a link (unless ``since`` says where). The
    data formats (csv, gexf) hold every node and edge.

    Parameters
    ----------
    max_nodes : int, optional
        Pages only: draw a handover-of-work network with more staff than this by agency;
        0 never groups. Default :data:`DEFAULT_MAX_NODES`.
    keep_isolated : bool
        Pages only: draw the nodes without any link too.
    lang : {"en", "nb"}, optional
        Pages only: the language of every word on the page and in its notes (``--lang``).
    default_lang : {"en", "nb"}
        The language of a page when ``lang`` is not given (the command passes the locale's);
        csv and gexf have none to take.

    Returns
    -------
    (str, str)
        The text to write, and a line saying what it is (nodes, edges or months).

    Raises
    ------
    InputError
        For options that do not apply to ``kind`` or to ``fmt``, or a timeline in a format
        other than html.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> text, said = network_output("handover-flows", tiny_dataset())
    >>> text.splitlines(), said
    (['source,target,count,weight', 'a2,a1,1,1'], 'handover-flows: 2 nodes, 1 edges')
    """
    chosen = fmt or ("html" if timeline else "csv")
    if chosen not in RENDERERS:
        raise InputError(f"--format: {chosen} is not one of: {', '.join(RENDERERS)}")
    if timeline and chosen != "html":
        raise InputError(f"--timeline writes an HTML page, not {chosen}; leave out --format (or give "
                         "--format html). For Gephi's timeline use --format gexf without --timeline")
    if chosen != "html" and (max_nodes is not None or keep_isolated or lang is not None):
        given = " and ".join(flag for flag, value in (("--max-nodes", max_nodes is not None),
                                                      ("--keep-isolated", keep_isolated),
                                                      ("--lang", lang is not None)) if value)
        raise InputError(f"{given} shape the html page; {chosen} is data and always holds every node and edge")
    if max_nodes is not None and kind != "handover-of-work":
        raise InputError(f"--max-nodes applies to handover-of-work only (its staff can be drawn by agency); "
                         f"{kind} is drawn by agency already")
    networks = networks_of(dataset)  # one source for the network, its picture, spells and months
    graph = build_network(kind, networks, roles=roles, since=since, until=until,
                          window_days=window_days, sliced=sliced)
    graph.graph["source"] = source
    if chosen != "html":
        if chosen == "gexf":
            networks.add_spells(graph)
        return (RENDERERS[chosen](graph),
                f"{kind}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges")
    limit = DEFAULT_MAX_NODES if max_nodes is None else max_nodes
    lang = lang if lang is not None else default_lang
    shown, notes = picture_view(kind, networks, graph, max_nodes=limit, keep_isolated=keep_isolated,
                                roles=roles, since=since, until=until, lang=lang)
    by_agency = shown.graph.get("name") == "handover of work by agency"
    drawn = (f"{shown.number_of_nodes()} agencies (grouping {graph.number_of_nodes()} staff)" if by_agency
             else f"{shown.number_of_nodes()} of {graph.number_of_nodes()} nodes" if not keep_isolated
             else f"{shown.number_of_nodes()} nodes")
    if not timeline:
        return (network_html(shown, notes=notes, lang=lang),
                f"{kind}: {drawn}, {shown.number_of_edges()} edges drawn")
    frames = networks.monthly(kind, since=since, until=until, roles=roles, window_days=window_days,
                              by_agency=by_agency)
    if since is None:
        frames = from_first_month_with_data(frames)
    if not keep_isolated:
        frames = [(month, frame.subgraph(shown.nodes).copy()) for month, frame in frames]
    return (timeline_html(frames, shown, notes=notes, lang=lang),
            f"{kind}: timeline of {len(frames)} months, {drawn}")


def metrics_tables(dataset, *, since=None, until=None, window_days: int = 30,
                   seed: int = 42) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``agency_metrics`` (both agency networks, shared-users first) and ``care_density``.

    ``dataset`` is a dataset or a network source (:mod:`handover.network.sources`), such as
    the Neo4j engine's.
    """
    source = networks_of(dataset)
    shared = source.network("shared-users", since=since, until=until)
    flows = source.network("handover-flows", since=since, until=until, window_days=window_days)
    table = pd.concat([
        agency_metrics(shared, seed=seed).assign(network="shared-users"),
        agency_metrics(flows, seed=seed).assign(network="handover-flows"),
    ], ignore_index=True)
    table = table[["network"] + [c for c in table.columns if c != "network"]]
    return table, density_from_pairs(source.user_agencies(since, until), shared)


def _write_folder(out_dir: Path, frames: dict[str, pd.DataFrame], *, dialect: str, kind: str) -> None:
    """The frames as CSV files for a spreadsheet, the folder written whole (every file or none)."""
    files: dict[str, str | bytes] = {name: frame_csv(frame, spreadsheet=True, dialect=dialect)
                                     for name, frame in frames.items()}
    if dialect != "standard":  # excel-nb's CRLF line ends are written as they are, not translated again
        files = {name: text.encode("utf-8") for name, text in files.items()}
    write_folder_atomic(out_dir, files, kind=kind)


def write_metrics(dataset, out_dir: Path, *, dialect: str = "standard", **options) -> tuple[int, int]:
    """Write ``agency_metrics.csv`` and ``care_density.csv`` into ``out_dir``; their row counts.

    The files are meant for a spreadsheet: text a spreadsheet would run as a formula is
    defused (:mod:`handover.privacy.spreadsheet`). ``dialect`` is ``standard`` or
    ``excel-nb`` (:mod:`handover.render.results`). The folder is written whole
    (:func:`handover.io.atomic.write_folder_atomic`): a failure leaves the previous one.
    """
    table, density = metrics_tables(dataset, **options)
    _write_folder(Path(out_dir), {"agency_metrics.csv": table, "care_density.csv": density}, dialect=dialect,
                  kind="metrics")
    return len(table), len(density)


def _caseload(source, as_of, max_users) -> tuple[pd.DataFrame, pd.DataFrame, pd.Timestamp]:
    """``source``: a Dataset, or an engine (memory or Neo4j; :func:`handover.network.caseload`)."""
    day = as_of if as_of is not None else source.latest_date()
    if day is None:
        raise InputError("the dataset has no dates; give --as-of")
    per_staff, per_agency = caseload(source, as_of=day, max_users=max_users)
    return per_staff, per_agency, day


#: Caseload columns of free text, which may wrap in a narrow terminal (ids and numbers never do).
_FREE_TEXT = ("profession", "name")


def caseload_text(dataset, *, as_of=None, max_users: int | None = None, fmt: str = "csv",
                  dialect: str = "standard", width: int | None = None) -> str:
    """Both caseload tables as one text: per staff and role, then per agency.

    Parameters
    ----------
    dataset : Dataset or engine
        The dataset, or an engine to read it through (``--engine neo4j``).
    as_of : Timestamp, optional
        Default: the latest date in the dataset.
    max_users : int, optional
    fmt : str
        ``csv``: each table as CSV under a ``#`` line (defused, since it is pasted into
        spreadsheets), in ``dialect``; ``table``: each as a terminal table with a title,
        as ``handover find`` prints its rows (records when the terminal is too narrow).
    dialect : str
        ``csv`` only: ``standard`` or ``excel-nb``.
    width : int, optional
        ``table`` only: the columns available; default: the terminal's.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> text = caseload_text(tiny_dataset(), fmt="table", width=100)
    >>> print(text.splitlines()[0].strip())
    caseload per staff and role on 2024-08-01 — 1 row
    """
    per_staff, per_agency, day = _caseload(dataset, as_of, max_users)
    day = day.date().isoformat()
    staff_title = f"caseload per staff and role on {day}"
    agency_title = f"users without a responsible person, per agency, on {day}"
    if fmt == "table":
        return "\n".join(
            text_table(frame_text(frame), title=f"{title} — {len(frame)} row{'s' if len(frame) != 1 else ''}",
                       numeric=[c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])
                                and not pd.api.types.is_bool_dtype(frame[c])],
                       free_text=_FREE_TEXT, width=width)
            for title, frame in ((staff_title, per_staff), (agency_title, per_agency)))
    if fmt != "csv":
        raise InputError(f"--format: {fmt} is not one of: table, csv")
    staff = frame_csv(per_staff, spreadsheet=True, dialect=dialect)
    agencies = frame_csv(per_agency, spreadsheet=True, dialect=dialect)
    if dialect == "standard":
        return f"# {staff_title}\n{staff}\n# {agency_title}\n{agencies}"
    end = "\r\n"
    return f"\ufeff# {staff_title}{end}{staff.lstrip(chr(0xfeff))}{end}# {agency_title}{end}{agencies.lstrip(chr(0xfeff))}"


def write_caseload(dataset, out_dir: Path, *, as_of=None, max_users: int | None = None,
                   dialect: str = "standard") -> tuple[int, int]:
    """Write ``caseload_staff.csv`` and ``caseload_agencies.csv`` into ``out_dir``; their row counts."""
    per_staff, per_agency, _ = _caseload(dataset, as_of, max_users)
    _write_folder(Path(out_dir), {"caseload_staff.csv": per_staff, "caseload_agencies.csv": per_agency},
                  dialect=dialect, kind="caseload")
    return len(per_staff), len(per_agency)
