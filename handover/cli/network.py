"""``handover network``, ``handover metrics`` and ``handover caseload``: the service network.

Each command parses its options, reads the dataset, makes one call into
:mod:`handover.reports.networks` and writes the answer.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, List, Optional, Tuple

import typer

from handover.cli.framework import say, write_stdout
from handover.cli.options import (
    AllowIdentifiersOpt, AsOfOpt, CsvDialectOpt, EngineName, EngineOpt, LangOpt, Neo4jUriOpt,
    OptionalDataDirArg, OutDirOpt, OutFileOpt, SinceOpt, UntilOpt, check_at_least, choice_option, csv_dialect_for,
    date_option, language, reads_data,
)
from handover.engines.neo4j.networks import Neo4jNetworks
from handover.engines.session import open_engine
from handover.errors import InputError
from handover.io.options import ReadOptions
from handover.model import VOCABULARIES
from handover.io.atomic import write_text_atomic
from handover.reports.networks import (
    DEFAULT_MAX_NODES, KINDS, RENDERERS, caseload_text, network_output, write_caseload, write_metrics,
)
from handover.timeline import parse_option_date, to_day

__all__ = ["NetworkKind", "NetworkFormat", "network", "metrics", "caseload"]

NetworkKind = Enum("NetworkKind", {kind.replace("-", "_"): kind for kind in KINDS}, type=str)
NetworkFormat = Enum("NetworkFormat", {name: name for name in RENDERERS}, type=str)


WindowDaysOpt = Annotated[int, typer.Option(
    "--window-days", callback=check_at_least("--window-days", 0),
    help="handover-flows: days after an episode's end in which the next episode may start "
         "(docs/findings.md §5.1).")]


def _write(text: str, out: Optional[Path], what: str) -> None:
    if out is None:
        sys.stdout.write(text)
    else:
        write_text_atomic(Path(out), text)
        typer.echo(f"{what} written to {out}", err=True)


def _dates(since, until):
    if since is not None and until is not None and since > until:
        raise InputError(f"--since {since.date()} is after --until {until.date()}")
    return since, until


def _slice(on, between: Optional[Tuple[str, str]], since, until):
    """The period of ``handover network``: ``(since, until, sliced)`` from its time options."""
    given = [name for name, value in (("--on", on), ("--between", between)) if value is not None]
    if len(given) > 1 or (given and (since is not None or until is not None)):
        used = given + [name for name, value in (("--since", since), ("--until", until)) if value is not None]
        raise InputError(f"{' and '.join(used)} cannot be combined: give one day (--on), "
                         "one period (--between START END) or --since/--until")
    if on is not None:
        return on, on, True
    if between is not None:
        start, end = parse_option_date(between[0], "--between"), parse_option_date(between[1], "--between")
        if start > end:
            raise InputError(f"--between: {start.date()} is after {end.date()}")
        return start, end, True
    return (*_dates(since, until), False)


@reads_data
def network(
    kind: Annotated[NetworkKind, typer.Argument(
        help="handover-flows (agency → agency), shared-users (agency — agency) or "
             "handover-of-work (staff → staff).", show_default=False)],
    data_dir: OptionalDataDirArg = None,
    role: Annotated[Optional[List[str]], choice_option(
        "--role", VOCABULARIES["role"], "handover-of-work: follow responsibilities of this role.",
        repeatable=True, show_default=False, default_text="every role")] = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    on: Annotated[Optional[str], date_option(
        "--on", "Only this day: what is active on it (shared-users) or happens on it (handovers, "
                "handovers of work).")] = None,
    between: Annotated[Optional[Tuple[str, str]], typer.Option(
        "--between", metavar="START END",
        help="Only this period (both days included): what is active or happens in it. Works for "
             "all three networks.", show_default=False)] = None,
    timeline: Annotated[bool, typer.Option(
        "--timeline", help="Write one HTML page that steps through the network month by month "
                           "(slider and play button; nodes stay in place).")] = False,
    window_days: WindowDaysOpt = 30,
    as_of: AsOfOpt = None,
    fmt: Annotated[Optional[NetworkFormat], typer.Option(
        "--format", help="csv (default): the edges as source,target,count,weight. html: an "
                         "interactive page that opens offline. gexf: the whole graph for Gephi, "
                         "with the days each node and edge is active as time intervals. csv and gexf "
                         "are data: never grouped, every node kept.",
        show_default=False)] = None,
    max_nodes: Annotated[Optional[int], typer.Option(
        "--max-nodes", metavar="N", callback=check_at_least("--max-nodes", 0), show_default=False,
        help=f"handover-of-work pages (html, --timeline): draw more than N staff by agency, with a note "
             f"saying so; 0 never groups. Default: {DEFAULT_MAX_NODES}.")] = None,
    keep_isolated: Annotated[bool, typer.Option(
        "--keep-isolated", help="Pages: draw the nodes without any link in the period too (left out by "
                                "default, with a note).")] = False,
    lang: LangOpt = None,
    out: OutFileOpt = None,
    engine: EngineOpt = EngineName.memory,
    neo4j_uri: Neo4jUriOpt = None,
    reading: ReadOptions = None,
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

    Time: --as-of DAY draws the network of the data as they stood on DAY (nothing dated
    after it is seen; what was open on it is ongoing). --on DATE keeps one day and
    --between START END one period. A handover counts
    on its handover date, a handover of work on the day the next person's responsibility
    starts, and a shared user on the days they are at both agencies. --timeline writes an
    HTML page with one network per month, from the first month with a link (or the first
    month of the period asked for). The gexf file holds the same days as time intervals
    (spells), so Gephi's timeline plays the network.

    Pages at region scale: nodes without any link are left out (--keep-isolated draws
    them), and a handover-of-work network of more staff than --max-nodes is drawn by
    agency, each handover of work counted between the agencies of its two
    responsibilities. The page says so in a note. The csv and gexf files hold every node.

    --lang nb writes the pages (html, --timeline) in Norwegian bokmål: headings, notes,
    legend, tooltips, table and player; the nodes and edges are the same in both languages.
    csv and gexf are data and have no language.

    With --engine neo4j the network is counted on the server (DATA_DIR, when given, is
    loaded first): the same files and pages as the memory engine's.
    """
    since_day, until_day, sliced = _slice(on, between, since, until)
    with _networks(engine, data_dir, as_of, neo4j_uri, reading, allow_identifiers) as source:
        text, said = network_output(kind.value, source, fmt=fmt.value if fmt is not None else None,
                                    timeline=timeline, roles=role or None, since=since_day, until=until_day,
                                    window_days=window_days, sliced=sliced, source=_source_name(data_dir),
                                    max_nodes=max_nodes, keep_isolated=keep_isolated, lang=lang,
                                    default_lang=language(None))
    _write(text, out, said)


@contextmanager
def _networks(engine: EngineName, data_dir, as_of, neo4j_uri, reading, allow_identifiers):
    """The network source of the command: the dataset as it stood on ``as_of``, or the Neo4j server's."""
    with open_engine(engine.value, data_dir, neo4j_uri=neo4j_uri, reading=reading,
                     allow_identifiers=allow_identifiers, say=say) as opened:
        if engine is EngineName.memory:
            yield _as_it_stood(opened.dataset, as_of)
        else:
            yield Neo4jNetworks(opened, as_of=as_of)


def _source_name(data_dir) -> str:
    return Path(data_dir).name if data_dir is not None else "Neo4j"


def _as_it_stood(dataset, as_of):
    """``dataset`` as it stood on ``as_of`` (docs/findings.md, Time semantics), or whole."""
    return dataset.snapshot(to_day(as_of)) if as_of is not None else dataset


@reads_data
def metrics(
    out: OutDirOpt,
    data_dir: OptionalDataDirArg = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    window_days: WindowDaysOpt = 30,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the Louvain community detection.")] = 42,
    as_of: AsOfOpt = None,
    csv_dialect: CsvDialectOpt = None,
    engine: EngineOpt = EngineName.memory,
    neo4j_uri: Neo4jUriOpt = None,
    reading: ReadOptions = None,
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

    --as-of DAY measures the data as they stood on DAY. With --engine neo4j the networks
    are counted on the server (DATA_DIR, when given, is loaded first), with the same
    files. Both files are for spreadsheets (text that would run as a formula gets a
    leading ');
    --csv-dialect excel-nb writes them for Excel in Norwegian.
    """
    since_day, until_day = _dates(since, until)
    dialect = csv_dialect_for(csv_dialect, "csv")
    with _networks(engine, data_dir, as_of, neo4j_uri, reading, allow_identifiers) as source:
        metrics_rows, density_rows = write_metrics(source, out, since=since_day, until=until_day,
                                                   window_days=window_days, seed=seed, dialect=dialect)
    typer.echo(f"agency_metrics.csv ({metrics_rows} rows) and care_density.csv ({density_rows} rows) "
               f"written to {out}", err=True)


CASELOAD_FORMATS = ("table", "csv")


def caseload_format(fmt: str | None, dialect: str | None, out, stdout=None) -> str:
    """The format of ``handover caseload``: as given, else csv for a dialect, a file or a pipe, else table.

    A script that reads the command's standard output (not a terminal) gets the CSV text it
    always got; a person at a terminal gets tables.

    Examples
    --------
    >>> import io
    >>> caseload_format(None, None, None, io.StringIO()), caseload_format("table", None, None, io.StringIO())
    ('csv', 'table')
    """
    if fmt == "table" and out is not None:
        raise InputError("--format table shows the tables on the terminal; with --out, caseload writes "
                         "CSV files (leave out --format)")
    if fmt is not None:
        return fmt
    if dialect is not None or out is not None:
        return "csv"
    stdout = stdout if stdout is not None else sys.stdout
    return "table" if stdout.isatty() else "csv"


@reads_data
def caseload(
    data_dir: OptionalDataDirArg = None,
    as_of: AsOfOpt = None,
    max_users: Annotated[Optional[int], typer.Option(
        "--max-users", callback=check_at_least("--max-users", 1), show_default=False,
        help="Flag staff responsible, in one role, for more than this many users.")] = None,
    fmt: Annotated[Optional[str], choice_option(
        "--format", CASELOAD_FORMATS, "table: both tables for reading, as find prints its rows. csv: each "
        "table as CSV under a # line, for scripts and spreadsheets (defused).", show_default=False,
        default_text="table on a terminal; csv when the output goes to a file or a pipe, as before")] = None,
    csv_dialect: CsvDialectOpt = None,
    out: Annotated[Optional[Path], typer.Option(
        "--out", metavar="DIR", show_default=False,
        help="The folder to write caseload_staff.csv and caseload_agencies.csv into (made if "
             "needed); default: both tables on standard output.")] = None,
    engine: EngineOpt = EngineName.memory,
    neo4j_uri: Neo4jUriOpt = None,
    reading: ReadOptions = None,
    allow_identifiers: AllowIdentifiersOpt = False,
) -> None:
    """Caseloads on one day: users per staff member and role, and users nobody is responsible for.

    Per staff (caseload_staff.csv): staff_id, profession, role, users (distinct users of
    their responsibilities active on --as-of) and over_limit (users above --max-users).

    Per agency (caseload_agencies.csv), for each agency with a responsibility or plan active
    on --as-of: its users (with an active plan, episode or responsibility there), those
    without any active responsible person at that agency, and their share.

    On a terminal both are tables (records when the terminal is too narrow); written to a
    file or a pipe they are the CSV text scripts read (--format picks either). With
    --engine neo4j the day's responsibilities, plans and episodes are read from the
    server (DATA_DIR, when given, is loaded first), with the same tables as a result.
    """
    chosen = caseload_format(fmt, csv_dialect, out)
    dialect = csv_dialect_for(csv_dialect, chosen)
    with open_engine(engine.value, data_dir, neo4j_uri=neo4j_uri, reading=reading,
                     allow_identifiers=allow_identifiers, say=say) as opened:
        source = opened.dataset if engine is EngineName.memory else opened
        if out is None:
            text = caseload_text(source, as_of=as_of, max_users=max_users, fmt=chosen, dialect=dialect)
            write_stdout(text if dialect == "standard" else text.encode("utf-8"))
            return
        staff_rows, agency_rows = write_caseload(source, out, as_of=as_of, max_users=max_users, dialect=dialect)
    typer.echo(f"caseload_staff.csv ({staff_rows} rows) and caseload_agencies.csv ({agency_rows} rows) "
               f"written to {out}", err=True)
