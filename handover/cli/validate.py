"""``handover validate DATA_DIR``: is the dataset usable? Every problem at once, or yes."""

from __future__ import annotations

import typer

from handover.cli.options import AllowIdentifiersOpt, DataDirArg, reads_data
from handover.io.guarded import look_alike_warnings, read_guarded
from handover.io.options import ReadOptions

__all__ = ["validate"]


@reads_data(focus=False)  # validation is of the whole export
def validate(data_dir: DataDirArg, allow_identifiers: AllowIdentifiersOpt = False,
             reading: ReadOptions = None) -> None:
    """Check a dataset against the data contract, exactly as every analysis command will read it.

    Runs every check the other commands run when they read data: the data contract
    (files or sheets, columns, values, dates, references, duplicates), the mapping when
    --mapping is given, and the guard against national identity numbers. Exits 0 and
    says "valid" when every command can read the dataset, and 2 when one cannot,
    listing each problem with its file (and sheet), line, column, value and the rule it
    breaks. Ids of one table that differ only by characters that look alike (u2 and a
    fullwidth u２, X1 and a Cyrillic Х1) get a warning naming the pairs and their lines;
    the dataset stays valid.
    """
    dataset = read_guarded(data_dir, reading=reading,
                           allow_identifiers=allow_identifiers)
    for warning in look_alike_warnings(data_dir, dataset, reading):
        typer.echo(f"warning: {warning}", err=True)
    typer.echo(f"{data_dir}: valid; every command can read it")
    typer.echo("rows: " + ", ".join(f"{name} {len(frame)}" for name, frame in dataset.tables.items()))
