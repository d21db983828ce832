"""``handover audit DATA_DIR --out DIR``: the transition audit for quality advisers.

The main CLI registers :func:`audit` as a command; the work is done by
:func:`handover.reports.audit.write_audit`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, List, Optional

import typer

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn

from handover.cli.framework import say
from handover.cli.options import (
    AllowIdentifiersOpt, AsOfOpt, EngineName, EngineOpt, LangOpt, Neo4jUriOpt, OptionalDataDirArg, OutDirOpt,
    SinceOpt, UntilOpt, check_at_least, choice_option, language, reads_data,
)
from handover.engines.session import open_engine
from handover.findings.discharge_follow_up import FINDING as DISCHARGES
from handover.io.options import ReadOptions
from handover.reports.audit import write_audit

__all__ = ["audit"]


@reads_data
def audit(
    out: OutDirOpt,
    data_dir: OptionalDataDirArg = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
    engine: EngineOpt = EngineName.memory,
    neo4j_uri: Neo4jUriOpt = None,
    follow_up_by: Annotated[str, choice_option(
        "--follow-up-by", DISCHARGES.option("follow_up_by").allowed,
        DISCHARGES.option("follow_up_by").help)] = DISCHARGES.option("follow_up_by").default,
    max_days: Annotated[int, typer.Option(
        "--max-days", callback=check_at_least("--max-days", 0),
        help="Follow-up counts on days 1 to this after discharge (the histogram's range).")] = 30,
    stay_kind: Annotated[Optional[List[str]], choice_option(
        "--stay-kind", DISCHARGES.option("stay_kinds").allowed,
        "A service kind whose episodes are stays.", repeatable=True, show_default=False,
        default_text="inpatient, residential, detox")] = None,
    no_suppress: Annotated[bool, typer.Option(
        "--no-suppress",
        help="Show every number, including counts of 1 to 4 (internal use only; the page says so).")] = False,
    reading: ReadOptions = None,
    allow_identifiers: AllowIdentifiersOpt = False,
) -> None:
    """Audit follow-up after discharge from treatment, for quality advisers.

    Takes every discharge from a stay (inpatient, residential, detox; a chain of
    stays counts once, deaths are left out) and asks: was a coordinator in place on
    the day of discharge, did a follow-up contact come within 7 and within 30 days
    (the discharge day never counts), how many days did it take, and was the user
    readmitted within 30 days.

    Writes into --out: audit.html (one page that opens offline: the overall numbers,
    charts, and tables per discharging agency and per month, with a plain-language
    explanation of each measure); summary_by_agency.csv, summary_by_month.csv and
    summary_overall.csv; and the worklist, one row per discharge with pseudonymous
    ids, as discharges.csv and discharges.xlsx (the workbook also holds the
    summaries).

    The page and the workbook's sheet names, headings and About sheet are in English or
    Norwegian (--lang); the CSV files keep their column names and values in both.

    The summaries are meant for sharing, so small-cell suppression is on: counts
    from 1 to 4, and shares and medians computed from them, are shown as <5. Use
    --no-suppress for internal use. The worklist is never suppressed.
    """
    words_lang = language(lang)
    with open_engine(engine.value, data_dir, neo4j_uri=neo4j_uri,
                     reading=reading,
                     allow_identifiers=allow_identifiers, say=say) as opened, \
            Progress(SpinnerColumn(), TextColumn("{task.description}"), transient=True,
                     console=Console(stderr=True)) as bar:
        task = bar.add_task("audit", total=4)
        page = write_audit(
            opened, Path(out), since=since, until=until, as_of=as_of, suppress=not no_suppress,
            follow_up_by=follow_up_by, max_days=max_days, stay_kinds=stay_kind or None,
            source=str(data_dir or engine.value), lang=words_lang,
            progress=lambda step: bar.update(task, description=step, advance=1),
        )
    state = "off (internal use only)" if no_suppress else "on"
    typer.echo(f"audit written: {page} (small-cell suppression {state})")
