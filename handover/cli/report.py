"""``handover report DATA_DIR --out DIR``: the rates, the worklist and every row, as an offline site and a workbook.

The work is done by :func:`handover.reports.summary.write_report`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn

from handover.cli.framework import say
from handover.cli.options import (
    AllowIdentifiersOpt, AsOfOpt, EngineName, EngineOpt, LangOpt, Neo4jUriOpt, NoSuppressOpt, OptionalDataDirArg,
    OutDirOpt, SinceOpt, UntilOpt, check_at_least, choice_option, language, reads_data,
)
from handover.engines.session import open_engine
from handover.findings import FINDINGS
from handover.findings.indicators import PERIODS
from handover.io.options import ReadOptions
from handover.reports.periods import parse_period
from handover.reports.summary import MAX_USER_PAGES, write_report

__all__ = ["report"]

# Findings, indicators, a comparison, the worklist, then the pages, workbook and user pages at once.
_STEPS = len(FINDINGS) + 4


def _periods(values: Optional[tuple[str, str]]):
    if not values:
        return None
    return tuple(parse_period(value) for value in values)


@reads_data
def report(
    out: OutDirOpt,
    data_dir: OptionalDataDirArg = None,
    as_of: AsOfOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    by: Annotated[Optional[str], choice_option(
        "--by", PERIODS, "Also show every rate per month or per quarter, as charts with the counts under them.",
        show_default=False)] = None,
    compare: Annotated[Optional[tuple[str, str]], typer.Option(
        "--compare", metavar="PERIOD PERIOD", show_default=False,
        help="Set the rates of two periods side by side with the change, e.g. --compare 2023 2024. A period "
             "is a year (2024), a quarter (2024-Q1), a month (2024-03) or FROM:TO (2024-01-01:2024-06-30).")] = None,
    lang: LangOpt = None,
    max_user_pages: Annotated[int, typer.Option(
        "--max-user-pages", callback=check_at_least("--max-user-pages", 0),
        help="Draw at most this many user pages: the users in today's worklist first, then those with "
             "the most finding rows.")] = MAX_USER_PAGES,
    no_suppress: NoSuppressOpt = False,
    engine: EngineOpt = EngineName.memory,
    neo4j_uri: Neo4jUriOpt = None,
    reading: ReadOptions = None,
    allow_identifiers: AllowIdentifiersOpt = False,
) -> None:
    """Write the report: where responsibility breaks, how often, where, and whether it gets better.

    Into --out go index.html, the overview: every rate (handovers without a coordinator,
    caseworker turnover, parallel plans, follow-up within 7 and 30 days, plan days without a
    coordinator, dormant plans, fragmented care) with its numerator, denominator and threshold,
    per month or quarter with --by, and two periods side by side with --compare.
    findings/<finding>.html shows each rate by agency (by name) and every row, in tables that
    sort and filter; worklist.html lists today's users without a coordinator, with frequent
    caseworker changes, and with dormant plans, each with the agency and the responsible
    staff; users/<user>.html tells the story of each user in a finding. The same numbers go
    into report.xlsx, indicators.csv and one <finding>.csv per finding.

    The pages open offline, in English or Norwegian (--lang). Rates and counts are meant for
    sharing, so counts from 1 to 4 are shown as <5 (--no-suppress for internal use); the
    worklists and rows name pseudonymous users and are never hidden. Each finding runs with
    its default options; `handover find` runs one with others.
    """
    words_lang = language(lang)
    periods = _periods(compare)
    with open_engine(engine.value, data_dir, neo4j_uri=neo4j_uri, reading=reading,
                     allow_identifiers=allow_identifiers, say=say) as opened, \
            Progress(SpinnerColumn(), TextColumn("{task.description}"), transient=True,
                     console=Console(stderr=True)) as bar:
        task = bar.add_task("report", total=_STEPS)
        page = write_report(
            opened, Path(out), as_of=as_of, since=since, until=until, by=by, compare=periods,
            max_user_pages=max_user_pages, lang=words_lang, suppress=not no_suppress,
            source=data_dir.name if data_dir is not None else "Neo4j",
            focus=tuple(reading.agencies) if reading is not None else (),
            progress=lambda name: bar.update(task, description=name, advance=1))
    state = "off (internal use only)" if no_suppress else "on"
    typer.echo(f"report written: {page} (small-cell suppression {state})")
