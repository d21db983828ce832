"""``handover mapping init SOURCE --out mapping.toml``: a first mapping file, guessed from an export.

The work is done by :func:`handover.io.guess.guess_mapping`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from handover.cli.framework import HandoverCommand, new_app
from handover.cli.options import EncodingOpt, SepOpt
from handover.errors import InputError
from handover.io.atomic import write_text_atomic
from handover.io.guess import guess_mapping

__all__ = ["app"]

app = new_app(help="Mapping files: how an export's sheets, headers, codes and dates become the contract's.")


@app.command("init", cls=HandoverCommand)
def init(
    source: Annotated[Path, typer.Argument(
        help="The export: a folder of .csv, .parquet or .xlsx files, or one .xlsx workbook.",
        show_default=False)],
    out: Annotated[Optional[Path], typer.Option(
        "--out", metavar="FILE", show_default=False,
        help="The mapping file to write (a new file: an existing one, perhaps edited, is never "
             "overwritten); default: standard output.")] = None,
    sep: SepOpt = ",",
    encoding: EncodingOpt = "utf-8",
) -> None:
    """Draft a mapping file from an export's sheet names, headers, codes and dates.

    Each sheet or file is matched to a contract table by its name (Ansvar is
    responsibilities) or its headers, each header to a contract column (BrukerID is
    user_id), each code of a role, kind or level to a contract value (Koordinator is
    coordinator), and the way text dates are written is told from the date columns,
    using handover's built-in Norwegian vocabulary. Every guess is marked `# guess` for
    you to check; what could not be guessed is written as a `# ?` line to fill in.
    Only sheet names, headers, codes and the shape of dates are read.

    Then: `handover validate SOURCE --mapping mapping.toml` says what is still wrong.
    """
    if out is not None and Path(out).exists():
        raise InputError(f"--out {out} exists; give a new file (a mapping you may have edited is not "
                         "overwritten)")
    text = guess_mapping(source, sep=sep, encoding=encoding)
    if out is None:
        sys.stdout.write(text)
        return
    write_text_atomic(Path(out), text)
    guesses = text.count("# guess")
    open_lines = sum(1 for line in text.splitlines() if line.startswith("# ?"))
    typer.echo(f"{out}: {guesses} guesses to check, {open_lines} lines to fill in", err=True)
