"""``handover network``, ``handover metrics`` and ``handover caseload``: the service network.

Each command reads the dataset, makes one call into :mod:`handover.network` and writes
the answer. A network is written by a *renderer*, a function from the graph to text,
looked up by ``--format`` in :data:`RENDERERS`: adding an entry there (say ``html`` with
pyvis) adds the format to the command.
"""

from __future__ import annotations

import io
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Callable, List, Optional

import networkx as nx
import numpy as np
import pandas as pd
import typer

from handover.cli_options import AsOfOpt, DataDirArg, EncodingOpt, OutOpt, SepOpt, SinceOpt, UntilOpt
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


def frame_csv(frame: pd.DataFrame) -> str:
    """A result frame as CSV text: numbers plainly, booleans as true/false, missing as empty.

    Examples
    --------
    >>> print(frame_csv(pd.DataFrame({"a": ["x", None], "w": [2.0, 1 / 3], "f": [True, False]})), end="")
    a,w,f
    x,2,true
    ,0.333333,false
    """
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


#: ``--format`` name → function from a network to the text written.
RENDERERS: dict[str, Callable[[nx.Graph], str]] = {
    "csv": render_csv,
    "gexf": render_gexf,
}

NetworkFormat = Enum("NetworkFormat", {name: name for name in RENDERERS}, type=str)


def build_network(kind: NetworkKind, dataset, *, roles=None, since=None, until=None,
                  window_days: int = 30) -> nx.Graph:
    """Build network ``kind``, refusing options that do not apply to it."""
    from handover import network as nw

    if kind is NetworkKind.handover_of_work:
        if since is not None or until is not None:
            raise InputError("--since/--until do not apply to handover-of-work (it follows each "
                             "user's whole history); use them with handover-flows or shared-users")
        return nw.handover_of_work(dataset, roles=roles)
    if roles:
        raise InputError(f"--role applies to handover-of-work only, not to {kind.value}")
    if kind is NetworkKind.handover_flows:
        return nw.handover_flows(dataset, since=since, until=until, window_days=window_days)
    return nw.shared_users(dataset, since=since, until=until)


WindowDaysOpt = Annotated[int, typer.Option(
    "--window-days", help="handover-flows: days after an episode's end in which the next "
                          "episode may start (DESIGN §5.1).")]
OutDirOpt = Annotated[Path, typer.Option("--out", help="Folder to write the CSV files into (created if needed).")]


def _write(text: str, out: Optional[Path], what: str) -> None:
    from handover.output import write_text_atomic

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
    window_days: WindowDaysOpt = 30,
    fmt: Annotated[NetworkFormat, typer.Option(
        "--format", help="csv: the edges as source,target,count,weight. gexf: the whole graph "
                         "with node attributes, for Gephi.")] = NetworkFormat("csv"),
    out: OutOpt = None,
    sep: SepOpt = ",",
    encoding: EncodingOpt = "utf-8",
) -> None:
    """Build one service network and write its edges (csv) or the whole graph (gexf).

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
    """
    from handover.io import read_dataset

    since_day, until_day = _dates(since, until)
    dataset = read_dataset(data_dir, sep=sep, encoding=encoding)
    graph = build_network(kind, dataset, roles=role or None, since=since_day, until=until_day,
                          window_days=window_days)
    text = RENDERERS[NetworkFormat(fmt).value](graph)
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
    from handover.io import read_dataset
    from handover.output import write_text_atomic

    since_day, until_day = _dates(since, until)
    dataset = read_dataset(data_dir, sep=sep, encoding=encoding)
    shared = nw.shared_users(dataset, since=since_day, until=until_day)
    flows = nw.handover_flows(dataset, since=since_day, until=until_day, window_days=window_days)
    table = pd.concat([
        nw.agency_metrics(shared, seed=seed).assign(network=NetworkKind.shared_users.value),
        nw.agency_metrics(flows, seed=seed).assign(network=NetworkKind.handover_flows.value),
    ], ignore_index=True)
    table = table[["network"] + [c for c in table.columns if c != "network"]]
    density = nw.care_density(dataset, shared)
    out = Path(out)
    write_text_atomic(out / "agency_metrics.csv", frame_csv(table))
    write_text_atomic(out / "care_density.csv", frame_csv(density))
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
) -> None:
    """Caseloads on one day: users per staff member and role, and users nobody is responsible for.

    Per staff (caseload_staff.csv): staff_id, profession, role, users (distinct users of
    their responsibilities active on --as-of) and over_limit (users above --max-users).

    Per agency (caseload_agencies.csv), for each agency with a responsibility or plan active
    on --as-of: its users (with an active plan, episode or responsibility there), those
    without any active responsible person at that agency, and their share.
    """
    from handover import network as nw
    from handover.io import read_dataset
    from handover.output import write_text_atomic
    from handover.timeline import parse_option_date

    reference = parse_option_date(as_of, "--as-of")
    dataset = read_dataset(data_dir, sep=sep, encoding=encoding)
    reference = reference if reference is not None else dataset.latest_date()
    if reference is None:
        raise InputError("the dataset has no dates; give --as-of")
    per_staff, per_agency = nw.caseload(dataset, as_of=reference, max_users=max_users)
    if out is not None:
        out = Path(out)
        write_text_atomic(out / "caseload_staff.csv", frame_csv(per_staff))
        write_text_atomic(out / "caseload_agencies.csv", frame_csv(per_agency))
        typer.echo(f"caseload_staff.csv ({len(per_staff)} rows) and caseload_agencies.csv "
                   f"({len(per_agency)} rows) written to {out}", err=True)
        return
    day = reference.date().isoformat()
    sys.stdout.write(f"# caseload per staff and role on {day}\n{frame_csv(per_staff)}\n"
                     f"# users without a responsible person, per agency, on {day}\n{frame_csv(per_agency)}")
