"""``handover network``, ``handover metrics`` and ``handover caseload``: the service network.

Each command reads the dataset, makes one call into :mod:`handover.network` (or
:mod:`handover.network.time` for a day or period) and writes the answer. A network is
written by a *renderer*, a function from the graph to text, looked up by ``--format`` in
:data:`RENDERERS`: adding an entry there adds the format to the command.
"""

from __future__ import annotations

import io
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Callable, List, Optional, Tuple

import networkx as nx
import numpy as np
import pandas as pd
import typer

from handover.cli.options import (
    AllowIdentifiersOpt, AsOfOpt, DataDirArg, EncodingOpt, OutOpt, SepOpt, SinceOpt, UntilOpt,
)
from handover.errors import InputError

__all__ = ["NetworkKind", "RENDERERS", "NetworkFormat", "build_network", "network", "metrics", "caseload"]


class NetworkKind(str, Enum):
    handover_flows = "handover-flows"
    shared_users = "shared-users"
    handover_of_work = "handover-of-work"


def _number(value) -> str:
    """A number as the CSV files print it: at most 6 decimals, no trailing zeros."""
    if value is None or pd.isna(value):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return str(value)


def frame_csv(frame: pd.DataFrame, *, spreadsheet: bool = False) -> str:
    """A result frame as CSV text: numbers plainly, booleans as true/false, missing as empty.

    With ``spreadsheet`` (the metrics and caseload files, meant for Excel), text cells a
    spreadsheet would run as a formula get a leading ``'`` (:mod:`handover.privacy.spreadsheet`);
    ``network --format csv`` is for scripts and keeps the exact ids.

    Examples
    --------
    >>> print(frame_csv(pd.DataFrame({"a": ["x", None], "w": [2.0, 1 / 3], "f": [True, False]})), end="")
    a,w,f
    x,2,true
    ,0.333333,false
    >>> print(frame_csv(pd.DataFrame({"name": ["=cmd"], "w": [-1.5]}), spreadsheet=True), end="")
    name,w
    '=cmd,-1.5
    """
    if spreadsheet:
        from handover.privacy.spreadsheet import neutralise_frame

        frame = neutralise_frame(frame)
    text = pd.DataFrame({
        name: [_number(v) if not isinstance(v, str) else v for v in frame[name].astype(object)]
        for name in frame.columns
    }, columns=list(frame.columns))
    return text.to_csv(index=False, lineterminator="\n")


def render_csv(graph: nx.Graph) -> str:
    """The edges as ``source,target,count,weight`` (DESIGN §5.8)."""
    from handover.network import edges_frame

    return frame_csv(edges_frame(graph))


def render_gexf(graph: nx.Graph) -> str:
    """The whole graph, node attributes included, as GEXF 1.2 (Gephi's format)."""
    buffer = io.BytesIO()
    clean = graph.copy()
    clean.graph = {"name": graph.graph.get("name", "")}  # GEXF holds no other graph attributes
    for _, data in clean.nodes(data=True):
        if "name" in data:
            data["label"] = data["name"]  # Gephi shows the label; the id stays the agency_id
    nx.write_gexf(clean, buffer)
    return buffer.getvalue().decode("utf-8")


def render_html(graph: nx.Graph) -> str:
    """One self-contained interactive page (pyvis, inlined; see :mod:`handover.render.network_page`)."""
    from handover.render.network_page import network_html

    return network_html(graph)


#: ``--format`` name → function from a network to the text written.
RENDERERS: dict[str, Callable[[nx.Graph], str]] = {
    "csv": render_csv,
    "html": render_html,
    "gexf": render_gexf,
}

NetworkFormat = Enum("NetworkFormat", {name: name for name in RENDERERS}, type=str)


def build_network(kind: NetworkKind, dataset, *, roles=None, since=None, until=None,
                  window_days: int = 30, sliced: bool = False) -> nx.Graph:
    """Build network ``kind``, refusing options that do not apply to it.

    ``since`` and ``until`` come from ``--since/--until`` or, with ``sliced``, from
    ``--as-of`` or ``--between``, which also slice handover-of-work (by the day each
    handover of work was made; see :mod:`handover.network.time`).
    """
    from handover.network.time import network_in_period

    if kind is NetworkKind.handover_of_work and not sliced and (since is not None or until is not None):
        raise InputError("--since/--until do not apply to handover-of-work (it follows each "
                         "user's whole history); use them with handover-flows or shared-users, or "
                         "slice it by the day each handover of work was made with --between START END "
                         "or --as-of DATE")
    if roles and kind is not NetworkKind.handover_of_work:
        raise InputError(f"--role applies to handover-of-work only, not to {kind.value}")
    return network_in_period(kind.value, dataset, since=since, until=until, roles=roles,
                             window_days=window_days)


WindowDaysOpt = Annotated[int, typer.Option(
    "--window-days", help="handover-flows: days after an episode's end in which the next "
                          "episode may start (DESIGN §5.1).")]
OutDirOpt = Annotated[Path, typer.Option("--out", help="Folder to write the CSV files into (created if needed).")]


def _write(text: str, out: Optional[Path], what: str) -> None:
    from handover.io.atomic import write_text_atomic

    if out is None:
        sys.stdout.write(text)
    else:
        write_text_atomic(Path(out), text)
        typer.echo(f"{what} written to {out}", err=True)


def _dates(since: Optional[str], until: Optional[str]):
    from handover.timeline import parse_option_date

    since, until = parse_option_date(since, "--since"), parse_option_date(until, "--until")
    if since is not None and until is not None and since > until:
        raise InputError(f"--since {since.date()} is after --until {until.date()}")
    return since, until


def _slice(as_of: Optional[str], between: Optional[Tuple[str, str]], since: Optional[str],
           until: Optional[str]):
    """The period of ``handover network``: ``(since, until, sliced)`` from its time options."""
    from handover.timeline import parse_option_date

    given = [name for name, value in (("--as-of", as_of), ("--between", between)) if value is not None]
    if len(given) > 1 or (given and (since is not None or until is not None)):
        used = given + [name for name, value in (("--since", since), ("--until", until)) if value is not None]
        raise InputError(f"{' and '.join(used)} cannot be combined: give one day (--as-of), "
                         "one period (--between START END) or --since/--until")
    if as_of is not None:
        day = parse_option_date(as_of, "--as-of")
        return day, day, True
    if between is not None:
        start, end = parse_option_date(between[0], "--between"), parse_option_date(between[1], "--between")
        if start > end:
            raise InputError(f"--between: {start.date()} is after {end.date()}")
        return start, end, True
    return (*_dates(since, until), False)


def network(
    kind: Annotated[NetworkKind, typer.Argument(
        help="handover-flows (agency → agency), shared-users (agency — agency) or "
             "handover-of-work (staff → staff).", show_default=False)],
    data_dir: DataDirArg,
    role: Annotated[Optional[List[str]], typer.Option(
        "--role", help="handover-of-work: follow responsibilities of this role; repeat for "
                       "several (default: all roles).")] = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    as_of: Annotated[Optional[str], typer.Option(
        "--as-of", metavar="YYYY-MM-DD",
        help="Only this day: what is active on it (shared-users) or happens on it (handovers, "
             "handovers of work).", show_default=False)] = None,
    between: Annotated[Optional[Tuple[str, str]], typer.Option(
        "--between", metavar="START END",
        help="Only this period (both days included): what is active or happens in it. Works for "
             "all three networks.", show_default=False)] = None,
    timeline: Annotated[bool, typer.Option(
        "--timeline", help="Write one HTML page that steps through the network month by month "
                           "(slider and play button; nodes stay in place).")] = False,
    window_days: WindowDaysOpt = 30,
    fmt: Annotated[Optional[NetworkFormat], typer.Option(
        "--format", help="csv (default): the edges as source,target,count,weight. html: an "
                         "interactive page that opens offline. gexf: the whole graph for Gephi, "
                         "with the days each node and edge is active as time intervals.",
        show_default=False)] = None,
    out: OutOpt = None,
    sep: SepOpt = ",",
    encoding: EncodingOpt = "utf-8",
    allow_identifiers: AllowIdentifiersOpt = False,
) -> None:
    """Build one service network and write its edges (csv), a page (html) or the graph (gexf).

    handover-flows: agency → agency, weight = the number of handovers (an episode ends and
    the user's next episode, starting within --window-days, is at another agency; with or
    without coordinator) dated from --since to --until.

    shared-users: agency — agency, weight = the number of users with a responsibility,
    plan, episode or contact at both agencies in the period (an interval counts when it is
    active on some day of it; no period = all time).

    handover-of-work: staff → staff, the process-mining measure: per user, the
    responsibilities of the chosen roles in (start, staff_id) order; each consecutive pair
    counts once, and weight = count / all pairs. It equals pm4py's
    discover_handover_of_work_network(log, beta=0).

    The csv columns are source,target,count,weight, sorted by source and target; for the two
    agency networks weight = count. Agencies carry name, kind, level, municipality and users
    served; staff carry their profession.

    Time: --as-of DATE keeps one day and --between START END one period. A handover counts
    on its handover date, a handover of work on the day the next person's responsibility
    starts, and a shared user on the days they are at both agencies. --timeline writes an
    HTML page with one network per month. The gexf file holds the same days as time
    intervals (spells), so Gephi's timeline plays the network.
    """
    from handover.io.guarded import read_guarded

    since_day, until_day, sliced = _slice(as_of, between, since, until)
    chosen = NetworkFormat(fmt).value if fmt is not None else ("html" if timeline else "csv")
    if timeline and chosen != "html":
        raise InputError(f"--timeline writes an HTML page, not {chosen}; leave out --format (or give "
                         "--format html). For Gephi's timeline use --format gexf without --timeline")
    dataset = read_guarded(data_dir, sep=sep, encoding=encoding, allow_identifiers=allow_identifiers)
    graph = build_network(kind, dataset, roles=role or None, since=since_day, until=until_day,
                          window_days=window_days, sliced=sliced)
    graph.graph["source"] = Path(data_dir).name
    if timeline:
        from handover.render.network_page import timeline_html
        from handover.network.time import monthly_networks

        frames = monthly_networks(kind.value, dataset, since=since_day, until=until_day, roles=role or None,
                                  window_days=window_days)
        text = timeline_html(frames, graph)
        _write(text, out, f"{kind.value}: timeline of {len(frames)} months, {graph.number_of_nodes()} nodes")
        return
    if chosen == "gexf":
        from handover.network.time import add_spells

        add_spells(graph, dataset)
    text = RENDERERS[chosen](graph)
    _write(text, out, f"{kind.value}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges")


def metrics(
    data_dir: DataDirArg,
    out: OutDirOpt,
    since: SinceOpt = None,
    until: UntilOpt = None,
    window_days: WindowDaysOpt = 30,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the Louvain community detection.")] = 42,
    sep: SepOpt = ",",
    encoding: EncodingOpt = "utf-8",
    allow_identifiers: AllowIdentifiersOpt = False,
) -> None:
    """Measure the agency networks; write agency_metrics.csv and care_density.csv into --out.

    agency_metrics.csv has one row per agency and network (shared-users, then
    handover-flows): network, agency_id, name, kind, level, users_served, neighbours,
    strength (weighted degree), in_strength and out_strength (handover-flows only),
    betweenness (normalised; an edge's length is 1 / weight, so strong ties are short) and
    community (Louvain on the weights with a fixed --seed, numbered from 1 by size).

    care_density.csv has Pollack's care density for each user at two or more agencies in
    the period: user_id, agencies, agency_pairs, shared_users (the users each pair of the
    user's agencies shares, summed over the pairs) and care_density = shared_users /
    agency_pairs. High values mean the user's agencies often work together.
    """
    from handover import network as nw
    from handover.io.guarded import read_guarded
    from handover.io.atomic import write_text_atomic

    since_day, until_day = _dates(since, until)
    dataset = read_guarded(data_dir, sep=sep, encoding=encoding, allow_identifiers=allow_identifiers)
    shared = nw.shared_users(dataset, since=since_day, until=until_day)
    flows = nw.handover_flows(dataset, since=since_day, until=until_day, window_days=window_days)
    table = pd.concat([
        nw.agency_metrics(shared, seed=seed).assign(network=NetworkKind.shared_users.value),
        nw.agency_metrics(flows, seed=seed).assign(network=NetworkKind.handover_flows.value),
    ], ignore_index=True)
    table = table[["network"] + [c for c in table.columns if c != "network"]]
    density = nw.care_density(dataset, shared)
    out = Path(out)
    write_text_atomic(out / "agency_metrics.csv", frame_csv(table, spreadsheet=True))
    write_text_atomic(out / "care_density.csv", frame_csv(density, spreadsheet=True))
    typer.echo(f"agency_metrics.csv ({len(table)} rows) and care_density.csv ({len(density)} rows) "
               f"written to {out}", err=True)


def caseload(
    data_dir: DataDirArg,
    as_of: AsOfOpt = None,
    max_users: Annotated[Optional[int], typer.Option(
        "--max-users", help="Flag staff responsible, in one role, for more than this many users.",
        show_default=False)] = None,
    out: Annotated[Optional[Path], typer.Option(
        "--out", help="Write caseload_staff.csv and caseload_agencies.csv into this folder "
                      "instead of printing them.")] = None,
    sep: SepOpt = ",",
    encoding: EncodingOpt = "utf-8",
    allow_identifiers: AllowIdentifiersOpt = False,
) -> None:
    """Caseloads on one day: users per staff member and role, and users nobody is responsible for.

    Per staff (caseload_staff.csv): staff_id, profession, role, users (distinct users of
    their responsibilities active on --as-of) and over_limit (users above --max-users).

    Per agency (caseload_agencies.csv), for each agency with a responsibility or plan active
    on --as-of: its users (with an active plan, episode or responsibility there), those
    without any active responsible person at that agency, and their share.
    """
    from handover import network as nw
    from handover.io.guarded import read_guarded
    from handover.io.atomic import write_text_atomic
    from handover.timeline import parse_option_date

    reference = parse_option_date(as_of, "--as-of")
    dataset = read_guarded(data_dir, sep=sep, encoding=encoding, allow_identifiers=allow_identifiers)
    reference = reference if reference is not None else dataset.latest_date()
    if reference is None:
        raise InputError("the dataset has no dates; give --as-of")
    per_staff, per_agency = nw.caseload(dataset, as_of=reference, max_users=max_users)
    if out is not None:
        out = Path(out)
        write_text_atomic(out / "caseload_staff.csv", frame_csv(per_staff, spreadsheet=True))
        write_text_atomic(out / "caseload_agencies.csv", frame_csv(per_agency, spreadsheet=True))
        typer.echo(f"caseload_staff.csv ({len(per_staff)} rows) and caseload_agencies.csv "
                   f"({len(per_agency)} rows) written to {out}", err=True)
        return
    day = reference.date().isoformat()
    sys.stdout.write(f"# caseload per staff and role on {day}\n{frame_csv(per_staff, spreadsheet=True)}\n"
                     f"# users without a responsible person, per agency, on {day}\n"
                     f"{frame_csv(per_agency, spreadsheet=True)}")
