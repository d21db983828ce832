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
from handover.io.atomic import write_bytes_atomic, write_text_atomic
from handover.model import Dataset
from handover.network import agency_metrics, care_density, caseload, handover_flows, shared_users
from handover.network.time import KINDS, add_spells, monthly_networks, network_in_period
from handover.render.network_files import edges_csv, gexf_text
from handover.render.network_page import network_html, timeline_html
from handover.render.results import frame_csv, frame_text, text_table

__all__ = ["KINDS", "RENDERERS", "build_network", "network_output", "metrics_tables", "write_metrics",
           "caseload_text", "write_caseload"]

#: ``--format`` name → function from a network to the text written; adding an entry adds the format.
RENDERERS: dict[str, Callable[[nx.Graph], str]] = {
    "csv": edges_csv,
    "html": network_html,
    "gexf": gexf_text,
}


def build_network(kind: str, dataset: Dataset, *, roles=None, since=None, until=None,
                  window_days: int = 30, sliced: bool = False) -> nx.Graph:
    """Build network ``kind`` (one of :data:`KINDS`), refusing options that do not apply to it.

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
    return network_in_period(kind, dataset, since=since, until=until, roles=roles,
                             window_days=window_days)


def network_output(kind: str, dataset: Dataset, *, fmt: str | None = None, timeline: bool = False,
                   roles=None, since=None, until=None, window_days: int = 30, sliced: bool = False,
                   source: str = "") -> tuple[str, str]:
    """Network ``kind`` as the text of ``fmt`` (default csv; html for a timeline), and what it holds.

    Returns
    -------
    (str, str)
        The text to write, and a line saying what it is (nodes, edges or months).

    Raises
    ------
    InputError
        For options that do not apply to ``kind``, or a timeline in a format other than html.

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
    graph = build_network(kind, dataset, roles=roles, since=since, until=until,
                          window_days=window_days, sliced=sliced)
    graph.graph["source"] = source
    if timeline:
        frames = monthly_networks(kind, dataset, since=since, until=until, roles=roles,
                                  window_days=window_days)
        return (timeline_html(frames, graph),
                f"{kind}: timeline of {len(frames)} months, {graph.number_of_nodes()} nodes")
    if chosen == "gexf":
        add_spells(graph, dataset)
    return (RENDERERS[chosen](graph),
            f"{kind}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges")


def metrics_tables(dataset: Dataset, *, since=None, until=None, window_days: int = 30,
                   seed: int = 42) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``agency_metrics`` (both agency networks, shared-users first) and ``care_density``."""
    shared = shared_users(dataset, since=since, until=until)
    flows = handover_flows(dataset, since=since, until=until, window_days=window_days)
    table = pd.concat([
        agency_metrics(shared, seed=seed).assign(network="shared-users"),
        agency_metrics(flows, seed=seed).assign(network="handover-flows"),
    ], ignore_index=True)
    table = table[["network"] + [c for c in table.columns if c != "network"]]
    return table, care_density(dataset, shared)


def _write_csv(path: Path, text: str, dialect: str) -> None:
    # excel-nb's CRLF line ends are written as they are, not translated again.
    if dialect == "standard":
        write_text_atomic(path, text)
    else:
        write_bytes_atomic(path, text.encode("utf-8"))


def write_metrics(dataset: Dataset, out_dir: Path, *, dialect: str = "standard", **options) -> tuple[int, int]:
    """Write ``agency_metrics.csv`` and ``care_density.csv`` into ``out_dir``; their row counts.

    The files are meant for a spreadsheet: text a spreadsheet would run as a formula is
    defused (:mod:`handover.privacy.spreadsheet`). ``dialect`` is ``standard`` or
    ``excel-nb`` (:mod:`handover.render.results`).
    """
    table, density = metrics_tables(dataset, **options)
    out_dir = Path(out_dir)
    _write_csv(out_dir / "agency_metrics.csv", frame_csv(table, spreadsheet=True, dialect=dialect), dialect)
    _write_csv(out_dir / "care_density.csv", frame_csv(density, spreadsheet=True, dialect=dialect), dialect)
    return len(table), len(density)


def _caseload(dataset: Dataset, as_of, max_users) -> tuple[pd.DataFrame, pd.DataFrame, pd.Timestamp]:
    day = as_of if as_of is not None else dataset.latest_date()
    if day is None:
        raise InputError("the dataset has no dates; give --as-of")
    per_staff, per_agency = caseload(dataset, as_of=day, max_users=max_users)
    return per_staff, per_agency, day


#: Caseload columns of free text, which may wrap in a narrow terminal (ids and numbers never do).
_FREE_TEXT = ("profession", "name")


def caseload_text(dataset: Dataset, *, as_of=None, max_users: int | None = None, fmt: str = "csv",
                  dialect: str = "standard", width: int | None = None) -> str:
    """Both caseload tables as one text: per staff and role, then per agency.

    Parameters
    ----------
    dataset : Dataset
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


def write_caseload(dataset: Dataset, out_dir: Path, *, as_of=None, max_users: int | None = None,
                   dialect: str = "standard") -> tuple[int, int]:
    """Write ``caseload_staff.csv`` and ``caseload_agencies.csv`` into ``out_dir``; their row counts."""
    per_staff, per_agency, _ = _caseload(dataset, as_of, max_users)
    out_dir = Path(out_dir)
    _write_csv(out_dir / "caseload_staff.csv", frame_csv(per_staff, spreadsheet=True, dialect=dialect), dialect)
    _write_csv(out_dir / "caseload_agencies.csv", frame_csv(per_agency, spreadsheet=True, dialect=dialect),
               dialect)
    return len(per_staff), len(per_agency)
