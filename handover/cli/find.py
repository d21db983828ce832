"""``handover find NAME ...``: one subcommand per finding, made from the finding's declaration.

Nothing here names a finding: each subcommand, its options (type, default, help,
allowed values) and its help text come from :data:`handover.findings.FINDINGS`, and
the options shared by every finding (engine, as-of, format, output, reading) are
added once, by :func:`finding_command`.
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path
from typing import Annotated, Any, List, Optional

import typer

from handover.cli.framework import command, new_app
from handover.cli.options import (
    READING_OPTIONS, AllowIdentifiersOpt, AsOfOpt, EngineName, EngineOpt, FormatOpt, Neo4jUriOpt,
    OptionalDataDirArg, OutFileOpt, OutputFormat, check_at_least, choice_option, date_option, read_options,
)
from handover.engines.session import open_engine
from handover.findings import FINDINGS, Finding, Option, find
from handover.io.atomic import write_text_atomic
from handover.render.results import render

__all__ = ["app", "finding_command"]

app = new_app(help="Run one finding and print or save its rows (the definitions and columns are in "
                   "docs/findings.md).")

_SHARED = [
    ("data_dir", OptionalDataDirArg, None),
    ("engine", EngineOpt, EngineName.memory),
    ("neo4j_uri", Neo4jUriOpt, None),
    ("as_of", AsOfOpt, None),
    ("fmt", FormatOpt, OutputFormat.table),
    ("out", OutFileOpt, None),
    ("allow_identifiers", AllowIdentifiersOpt, False),
    *READING_OPTIONS,
]


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
            f"in docs/findings.md §{finding.section}.")


def finding_command(finding: Finding) -> None:
    """Register ``handover find <finding.cli_name>`` with the finding's options and the shared ones."""
    own = [_parameter(option) for option in finding.options]
    shared = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default)
              for name, annotation, default in _SHARED]

    def run(**given: Any) -> None:
        common = {name: given.pop(name) for name, _, _ in _SHARED}
        options = {name: (value or None) if isinstance(value, list) else value for name, value in given.items()}
        reading = read_options(*(common[name] for name, _, _ in READING_OPTIONS))
        with open_engine(common["engine"].value, common["data_dir"], neo4j_uri=common["neo4j_uri"],
                         reading=reading, allow_identifiers=common["allow_identifiers"]) as engine:
            rows = find(engine, finding.name, as_of=common["as_of"], **options)
        text = render(rows, finding.schema, common["fmt"].value)
        if common["out"] is None:
            sys.stdout.write(text)
        else:
            write_text_atomic(Path(common["out"]), text)
            typer.echo(f"{len(rows)} rows written to {common['out']}", err=True)

    params = own + shared
    run.__signature__ = inspect.Signature(params)
    run.__annotations__ = {p.name: p.annotation for p in params}
    run.__name__ = finding.name
    run.__doc__ = _help(finding)
    command(app, run, finding.cli_name)


for _finding in FINDINGS.values():
    finding_command(_finding)
