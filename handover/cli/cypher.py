"""``handover cypher [FILE|-]``: run your own Cypher query on the configured Neo4j server."""

from __future__ import annotations

import stat
import sys
from pathlib import Path
from typing import Annotated, List, Optional

import typer

from handover.cli.framework import say, write_stdout
from handover.cli.options import (
    CsvDialectOpt, Neo4jUriOpt, OutFileOpt, choice_option, csv_dialect_for, format_for_out,
)
from handover.engines.neo4j.adhoc import MAX_QUERY_BYTES, parse_params, run_cypher
from handover.engines.neo4j.connection import open_driver
from handover.errors import InputError
from handover.io.atomic import write_text_atomic
from handover.render.results import FORMATS, render_records

__all__ = ["cypher"]

_SUFFIXES = {".csv": "csv", ".json": "json"}


def cypher(
    query_file: Annotated[Optional[str], typer.Argument(
        metavar="[FILE|-]", show_default=False,
        help="A file holding one Cypher query, or - for standard input (the default when it is "
             "not a terminal). cypher/examples/ has ten to start from.")] = None,
    param: Annotated[Optional[List[str]], typer.Option(
        "--param", metavar="NAME=VALUE", show_default=False,
        help="A query parameter ($NAME), repeated for several. JSON values are kept (3, true, "
             "[\"a\", \"b\"], \"text\"); YYYY-MM-DD is a date; anything else is text.")] = None,
    write: Annotated[bool, typer.Option(
        "--write", help="Allow the query to write (a write transaction). Without it the query runs "
                        "read-only, and a write is refused with nothing changed.")] = False,
    fmt: Annotated[Optional[str], choice_option(
        "--format", FORMATS, "table for reading, csv or json for scripts. Default: the format --out's "
        "extension names (.csv, .json), else table.", show_default=False)] = None,
    csv_dialect: CsvDialectOpt = None,
    out: OutFileOpt = None,
    neo4j_uri: Neo4jUriOpt = None,
) -> None:
    """Run a Cypher query of your own on the Neo4j server and print or save its rows.

    The way into the graph for Cypher users (the local server has no Browser): what
    `handover load` wrote, as docs/graph.md describes it. Values reach the query only
    as parameters (--param), never spliced into its text. The query runs in a
    read-only transaction unless --write is given; nodes and relationships come back
    as maps of their labels (or type) and properties.

    Exits 2 for a query that is not valid Cypher, uses a parameter not given, or writes
    without --write, each with the server's words and the place.
    """
    fmt = format_for_out(fmt, out, by_suffix=_SUFFIXES, default="csv" if csv_dialect is not None else "table")
    dialect = csv_dialect_for(csv_dialect, fmt)
    text, name = _query_text(query_file)
    params = parse_params(param)
    with open_driver(neo4j_uri) as driver:
        rows = run_cypher(driver, text, params, write=write)
    data = render_records(rows, fmt, title=name, dialect=dialect)
    if out is None:
        write_stdout(data if dialect == "standard" else data.encode("utf-8"))
        return
    write_text_atomic(out, data)
    say(f"{len(rows)} rows written to {out} ({fmt})")


def _query_text(query_file: str | None) -> tuple[str, str]:
    """The query's text and the name its table shows (the file's stem, or ``query``)."""
    if query_file is None or query_file == "-":
        if query_file is None and sys.stdin.isatty():
            raise InputError("give the query: a FILE, or - to read it from standard input "
                             "(e.g. handover cypher cypher/examples/coordinator_on_day.cypher --param ...)")
        data = sys.stdin.buffer.read(MAX_QUERY_BYTES + 1)
        where, name = "standard input", "query"
    else:
        path = Path(query_file)
        try:
            info = path.stat()
        except OSError as err:
            raise InputError(f"{query_file}: {err.strerror or 'not readable'}") from None
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{query_file}: not a file holding a query (a folder, a device or a pipe)")
        with path.open("rb") as handle:
            data = handle.read(MAX_QUERY_BYTES + 1)
        where, name = query_file, path.stem
    if len(data) > MAX_QUERY_BYTES:
        raise InputError(f"{where}: more than {MAX_QUERY_BYTES:,} bytes (1 MiB), which no query needs; "
                         "is it the right file?")
    try:
        return data.decode("utf-8-sig"), name
    except UnicodeDecodeError as err:
        line = data[:err.start].count(b"\n") + 1
        raise InputError(f"{where}: not UTF-8 text (byte 0x{data[err.start]:02x}, line {line})") from None
