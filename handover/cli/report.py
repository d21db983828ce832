"""``handover report DATA_DIR --out DIR``: every finding as CSV, and one page that opens offline.

The work is done by :func:`handover.reports.summary.write_report`.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn

from handover.cli.options import (
    AllowIdentifiersOpt, AsOfOpt, EngineName, EngineOpt, Neo4jUriOpt, OptionalDataDirArg, OutDirOpt,
    reads_data,
)
from handover.engines.session import open_engine
from handover.findings import FINDINGS
from handover.io.options import ReadOptions
from handover.reports.summary import write_report

__all__ = ["report"]


@reads_data
def report(
    data_dir: OptionalDataDirArg,
    out: OutDirOpt,
    as_of: AsOfOpt = None,
    engine: EngineOpt = EngineName.memory,
    neo4j_uri: Neo4jUriOpt = None,
    reading: ReadOptions = None,
    allow_identifiers: AllowIdentifiersOpt = False,
) -> None:
    """Write every finding as CSV plus one HTML summary page that opens offline.

    Into --out go index.html (one page: a count per finding, a chart of handovers
    without a coordinator per month, and each finding's rows with an explanation)
    and one <finding>.csv per finding, meant for a spreadsheet. Each finding runs
    with its default options; `handover find` runs one with others. A finding whose
    tables the dataset lacks is listed on the page as not run.
    """
    with open_engine(engine.value, data_dir, neo4j_uri=neo4j_uri,
                     reading=reading,
                     allow_identifiers=allow_identifiers) as opened, \
            Progress(SpinnerColumn(), TextColumn("{task.description}"), transient=True,
                     console=Console(stderr=True)) as bar:
        task = bar.add_task("report", total=len(FINDINGS))
        page = write_report(opened, Path(out), as_of=as_of, source=str(data_dir or engine.value),
                            progress=lambda name: bar.update(task, description=name, advance=1))
    typer.echo(f"report written: {page}")
