"""``handover load DATA_DIR``: read and validate a dataset folder, then load it into Neo4j.

The main CLI registers :func:`load` as a command. The load is one transaction: it
either completes or leaves the database as it was. ``--bulk`` commits batch by batch
instead, for datasets too big for the server's heap (see :mod:`handover.engines.neo4j.store`).
"""

from __future__ import annotations

from typing import Annotated

import typer

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from handover.cli.options import AllowIdentifiersOpt, DataDirArg, Neo4jUriOpt, reads_data
from handover.engines.neo4j.connection import open_driver
from handover.engines.neo4j.store import load_dataset
from handover.io.guarded import read_guarded
from handover.io.options import ReadOptions

__all__ = ["load"]


@reads_data
def load(
    data_dir: DataDirArg,
    neo4j_uri: Neo4jUriOpt = None,
    replace: Annotated[bool, typer.Option(
        "--replace", help="Replace the dataset the database holds (in the same transaction; "
                          "with --bulk, deleted in committed batches first).")] = False,
    bulk: Annotated[bool, typer.Option(
        "--bulk", help="Commit batch by batch, for datasets too big for one transaction "
                       "(above about 250,000 rows with the default 2g heap, counting the rows of a graph "
                       "it replaces). Loads only into a "
                       "database without handover data (or with --replace); queries refuse "
                       "the data until the load has completed.")] = False,
    reading: ReadOptions = None,
    allow_identifiers: AllowIdentifiersOpt = False,
) -> None:
    """Load a dataset folder into Neo4j as the graph the Cypher findings query.

    The folder is validated first (nothing is loaded when anything is wrong). The
    whole load is one transaction: if it fails, the database is left as it was.
    Loading the same dataset again changes nothing; loading a different one into a
    database that holds one is refused unless --replace is given.

    A region or a country (100,000 users are about 5 million rows) needs --bulk:
    each batch is committed on its own, so memory stays flat. A bulk load that
    stops half-way leaves its data marked incomplete; findings refuse to run on it
    until the dataset is loaded again with --bulk --replace.
    """
    dataset = read_guarded(data_dir, reading=reading,
                           allow_identifiers=allow_identifiers)
    driver = open_driver(neo4j_uri)
    try:
        with Progress(TextColumn("{task.description:<18}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=Console(stderr=True), transient=True) as bar:
            tasks: dict[str, int] = {}

            def progress(table: str, done: int, total: int) -> None:
                if table not in tasks:
                    tasks[table] = bar.add_task(table, total=total)
                bar.update(tasks[table], completed=done)

            summary = load_dataset(driver, dataset, replace=replace, progress=progress, atomic=not bulk)
    finally:
        driver.close()
    if summary.unchanged:
        typer.echo(f"{data_dir}: already loaded (fingerprint {summary.fingerprint[:12]}); nothing changed")
        return
    replaced = f", replacing {summary.replaced[:12]}" if summary.replaced else ""
    focused = f" ({reading.focus_text})" if reading.agencies else ""
    typer.echo(f"{data_dir}{focused}: loaded {summary.rows} rows in {summary.seconds:.1f} s "
               f"({summary.rows_per_second:,.0f} rows/s; fingerprint {summary.fingerprint[:12]}{replaced})")
    nodes = ", ".join(f"{label} {count}" for label, count in summary.nodes.items() if count)
    relationships = ", ".join(f"{kind} {count}" for kind, count in summary.relationships.items() if count)
    typer.echo(f"nodes: {nodes}")
    typer.echo(f"relationships: {relationships}")
