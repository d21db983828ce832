"""``handover find NAME ...``: one subcommand per finding, made from the finding's declaration.

Nothing here names a finding: each subcommand, its options (type, default, help,
allowed values) and its help text come from :data:`handover.findings.FINDINGS`, and
the options shared by every finding (engine, as-of, format, output, reading) are
added once, by :func:`finding_command`.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Annotated, Any, List, Optional

import typer

from handover.cli.framework import command, new_app, say, write_stdout
from handover.cli.options import (
    READING_OPTIONS, AllowIdentifiersOpt, AsOfOpt, CsvDialectOpt, EngineName, EngineOpt, FormatOpt,
    Neo4jUriOpt, OptionalDataDirArg, OutFileOpt, check_at_least, choice_option, csv_dialect_for, date_option,
    format_for_out, read_options,
)
from handover.engines.session import open_engine
from handover.errors import InputError
from handover.findings import FINDINGS, Finding, Option
from handover.io.atomic import write_bytes_atomic, write_text_atomic
from handover.reports.finding_file import finding_output

__all__ = ["app", "finding_command"]

app = new_app(help="Run one finding and print or save its rows (the definitions and columns are in "
                   "docs/findings.md).")

_SHARED = [
    ("data_dir", OptionalDataDirArg, None),
    ("engine", EngineOpt, EngineName.memory),
    ("neo4j_uri", Neo4jUriOpt, None),
    ("as_of", AsOfOpt, None),
    ("fmt", FormatOpt, None),
    ("csv_dialect", CsvDialectOpt, None),
    ("out", OutFileOpt, None),
    ("allow_identifiers", AllowIdentifiersOpt, False),
    *READING_OPTIONS,
]


#: ``--out`` extensions that name a format (compared in lower case); other files get the table.
_SUFFIXES = {".csv": "csv", ".json": "json", ".xlsx": "xlsx"}


def _parameter(option: Option) -> inspect.Parameter:
    """The command-line parameter of one declared option."""
    if option.kind in ("days", "count"):
        least = 0 if option.kind == "days" else 1
        annotation = Annotated[int, typer.Option(option.flag, help=option.help,
                                                 callback=check_at_least(option.flag, least))]
        default = option.default
    elif option.kind == "date":
        annotation, default = Annotated[Optional[str], date_option(option.flag, option.help)], None
    elif option.kind == "choice":
        annotation = Annotated[str, choice_option(option.flag, option.allowed, option.help)]
        default = option.default
    else:
        shown = "every value" if option.default is None else ", ".join(option.default)
        annotation = Annotated[Optional[List[str]], choice_option(
            option.flag, option.allowed, option.help, repeatable=True, show_default=False,
            default_text=shown)]
        default = None
    return inspect.Parameter(option.name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation,
                             default=default)


def _help(finding: Finding) -> str:
    columns = ", ".join(finding.schema.column_names)
    return (f"{finding.title}.\n\n{finding.explanation}\n\nColumns: {columns}. The exact definition is "
            f"in docs/findings.md §{finding.section}.\n\n"
            "Output: a table on standard output (as records, one block per row, when the terminal is too "
            "narrow for it); --format csv or json for scripts; --format xlsx (or --out FILE.xlsx) for Excel, "
            "with an About sheet; --csv-dialect excel-nb for CSV that Norwegian Excel opens as it is.")


def finding_command(finding: Finding) -> None:
    """Register ``handover find <finding.cli_name>`` with the finding's options and the shared ones."""
    own = [_parameter(option) for option in finding.options]
    shared = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default)
              for name, annotation, default in _SHARED]

    def run(**given: Any) -> None:
        common = {name: given.pop(name) for name, _, _ in _SHARED}
        options = {name: (value or None) if isinstance(value, list) else value for name, value in given.items()}
        out = Path(common["out"]) if common["out"] is not None else None
        fmt = format_for_out(common["fmt"], out, by_suffix=_SUFFIXES,
                             default="csv" if common["csv_dialect"] is not None else "table")
        dialect = csv_dialect_for(common["csv_dialect"], fmt)
        if fmt == "xlsx" and out is None:
            raise InputError("--format xlsx writes a workbook, which a terminal cannot show; give --out FILE.xlsx")
        reading = read_options(*(common[name] for name, _, _ in READING_OPTIONS))
        source = Path(common["data_dir"]).name if common["data_dir"] is not None else "the Neo4j database"
        with open_engine(common["engine"].value, common["data_dir"], neo4j_uri=common["neo4j_uri"],
                         reading=reading, allow_identifiers=common["allow_identifiers"], say=say) as engine:
            written = finding_output(engine, finding.name, fmt=fmt, dialect=dialect, as_of=common["as_of"],
                                     source=source, **options)
        data = written.data
        if out is None:
            write_stdout(data if dialect == "standard" else data.encode("utf-8"))
            return
        if isinstance(data, str) and dialect == "standard":
            write_text_atomic(out, data)
        else:
            write_bytes_atomic(out, data if isinstance(data, bytes) else data.encode("utf-8"))
        typer.echo(f"{written.rows} rows written to {out} ({fmt})", err=True)

    params = own + shared
    run.__signature__ = inspect.Signature(params)
    run.__annotations__ = {p.name: p.annotation for p in params}
    run.__name__ = finding.name
    run.__doc__ = _help(finding)
    command(app, run, finding.cli_name)


for _finding in FINDINGS.values():
    finding_command(_finding)
