"""``handover load DATA_DIR``: read and validate a dataset folder, then load it into Neo4j.

The main CLI registers :func:`load` as a command. The load is one transaction: it
either completes or leaves the database as it was. ``--bulk`` commits batch by batch
instead, for datasets too big for the server's heap (see :mod:`handover.engines.neo4j.store`);
``--import`` writes the local server's store with Neo4j's offline importer
(:mod:`handover.engines.neo4j.importer`).
"""

from __future__ import annotations

from typing import Annotated

import typer

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from handover.cli.options import AllowIdentifiersOpt, DataDirArg, Neo4jUriOpt, reads_data
from handover.engines.neo4j.connection import is_local_server, open_driver
from handover.engines.neo4j.importer import import_dataset
from handover.engines.neo4j.store import load_dataset
from handover.errors import InputError
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
    import_: Annotated[bool, typer.Option(
        "--import", help="Write the local server's database with Neo4j's offline importer "
                         "(neo4j-admin database import), several times faster than --bulk: for the "
                         "project's own local server only, into an empty database or with --replace. "
                         "The server serves the previous database until the import has succeeded, "
                         "and is restarted on the new one. For a remote server or Aura use --bulk.")] = False,
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

    On the project's local server (`handover neo4j start`), --import is the fastest way to
    load a region into an empty database, or to replace one (--import --replace): the
    dataset is validated, written as the importer's CSV files and imported into a new
    store while the server serves the old one; the server then restarts on the new store.
    A failed or interrupted import leaves the previous database in place.
    """
    if import_ and bulk:
        raise InputError("--import and --bulk: choose one (--import for the local server, "
                         "--bulk for a remote server or Aura)")
    if import_ and not is_local_server(neo4j_uri):
        raise InputError("--import writes the project's local server's files and cannot load a remote "
                         "server; the configured server (--neo4j-uri or NEO4J_URI) is not the local one. "
                         "Load it with --bulk instead")
    dataset = read_guarded(data_dir, reading=reading,
                           allow_identifiers=allow_identifiers)
    with Progress(TextColumn("{task.description:<18}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=Console(stderr=True), transient=True) as bar:
        tasks: dict[str, int] = {}

        def progress(table: str, done: int, total: int) -> None:
            if table not in tasks:
                tasks[table] = bar.add_task(table, total=total)
            bar.update(tasks[table], completed=done)

        def say(line: str) -> None:
            bar.console.print(line, markup=False, highlight=False, soft_wrap=True)

        if import_:
            summary = import_dataset(dataset, replace=replace, log=say, announce=say)
        else:
            driver = open_driver(neo4j_uri)
            try:
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
