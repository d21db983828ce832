"""The `handover` command line: a thin skin over the library (DESIGN §6).

Errors cross into the CLI at one place, :func:`_guarded`, wrapped around every
command: bad input or usage exits 2, any other handover error 1, each with a
message on stderr and no traceback.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path
from typing import Annotated, Callable, Optional

import typer

from handover.cli import audit as cli_audit, find as cli_find, generate as cli_generate
from handover.cli import load as cli_load, neo4j as cli_neo4j, network as cli_network
from handover.cli import privacy as cli_privacy, user as cli_user
from handover.cli.options import (
    AllowIdentifiersOpt, AsOfOpt, DataDirArg, EncodingOpt, EngineName, EngineOpt, Neo4jUriOpt, OptionalDataDirArg, SepOpt,
)
from handover.errors import HandoverError, InputError

__all__ = ["app", "main"]


def _guarded(command: Callable) -> Callable:
    """Turn handover errors raised by ``command`` into a message and an exit code."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except InputError as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(2) from None
        except HandoverError as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(1) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:  # `handover find ... | head`: the reader left, nothing to say
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(1) from None
        except Exception as error:
            if os.environ.get("HANDOVER_DEBUG"):
                raise
            typer.echo(
                f"error: unexpected failure ({type(error).__name__}); run again with "
                "HANDOVER_DEBUG=1 to see the traceback, and report it", err=True)
            raise typer.Exit(1) from None

    return run


def _guard_all(typer_app: typer.Typer) -> None:
    for info in typer_app.registered_commands:
        if info.callback is not None and not getattr(info.callback, "__wrapped__", None):
            info.callback = _guarded(info.callback)
    for group in typer_app.registered_groups:
        _guard_all(group.typer_instance)


app = typer.Typer(
    help="Find where responsibility for service users breaks: handovers without a "
         "coordinator, caseworker turnover, parallel plans, and more.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(cli_find.app, name="find")


@app.command()
def validate(data_dir: DataDirArg, sep: SepOpt = ",", encoding: EncodingOpt = "utf-8") -> None:
    """Check a dataset folder against the data contract and report every problem at once.

    Exits 0 when the dataset is valid and 2 when it is not, listing each problem with
    its file, line, column, value and the rule it breaks.
    """
    from handover.errors import DatasetError
    from handover.io import validate_dataset

    problems = validate_dataset(data_dir, sep=sep, encoding=encoding)
    if problems:
        raise DatasetError(problems)
    typer.echo(f"{data_dir}: valid")


@app.command()
def report(
    data_dir: OptionalDataDirArg,
    out: Annotated[Path, typer.Option("--out", help="Folder to write the report into (created if needed).")],
    as_of: AsOfOpt = None,
    engine: EngineOpt = EngineName.memory,
    neo4j_uri: Neo4jUriOpt = None,
    sep: SepOpt = ",",
    encoding: EncodingOpt = "utf-8",
    allow_identifiers: AllowIdentifiersOpt = False,
) -> None:
    """Write every finding as CSV plus one HTML summary page that opens offline."""
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from handover.reports.summary import REPORT_FINDINGS, write_report
    from handover.engines.session import open_engine
    from handover.timeline import parse_option_date

    reference = parse_option_date(as_of, "--as-of")
    with open_engine(engine.value, data_dir, neo4j_uri=neo4j_uri, sep=sep, encoding=encoding,
                     allow_identifiers=allow_identifiers) as opened, \
            Progress(SpinnerColumn(), TextColumn("{task.description}"), transient=True,
                     console=Console(stderr=True)) as bar:
        task = bar.add_task("report", total=len(REPORT_FINDINGS))
        page = write_report(opened, out, as_of=reference, source=str(data_dir or engine.value),
                            progress=lambda name: bar.update(task, description=name, advance=1))
    typer.echo(f"report written: {page}")


# The other commands live in modules of their own; registered here, in the order --help lists them.
app.command("audit")(cli_audit.audit)
app.command("network")(cli_network.network)
app.command("metrics")(cli_network.metrics)
app.command("caseload")(cli_network.caseload)
app.command("user")(cli_user.user)
app.command("generate")(cli_generate.generate)
app.command("pseudonymize")(cli_privacy.pseudonymize)
app.command("load")(cli_load.load)
app.add_typer(cli_neo4j.app, name="neo4j")
_guard_all(app)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="handover")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
