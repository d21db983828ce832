"""The ``handover`` command line: a thin skin over the library (docs/findings.md, README).

Each command lives in a module of its own under :mod:`handover.cli` and makes one
library call; errors cross into the CLI at one place, the group class of
:mod:`handover.cli.framework`: bad input or usage exits 2, any other handover error 1,
each with a message on stderr and no traceback.
"""

from __future__ import annotations

from typing import Annotated

import typer

from handover import __version__
from handover.cli import (
    audit, cypher, find, generate, imports, load, mapping, neo4j, network, privacy, report, user, validate,
    vocabulary,
)
from handover.cli.framework import command, new_app

__all__ = ["app", "main"]

app = new_app(help="Find where responsibility for service users breaks: handovers without a "
                   "coordinator, caseworker turnover, parallel plans, and more.")


def _version(shown: bool) -> None:
    if shown:
        typer.echo(f"handover {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: Annotated[bool, typer.Option(
        "--version", help="Print the version and exit.", is_eager=True, callback=_version)] = False) -> None:
    """Find where responsibility for service users breaks: handovers without a coordinator,
    caseworker turnover, parallel plans, and more."""


# In the order --help lists them.
app.add_typer(find.app, name="find")
command(app, report.report, "report")
command(app, audit.audit, "audit")
command(app, network.network, "network")
command(app, network.metrics, "metrics")
command(app, network.caseload, "caseload")
command(app, user.user, "user")
command(app, validate.validate, "validate")
command(app, vocabulary.vocabulary, "vocabulary")
app.add_typer(mapping.app, name="mapping")
app.add_typer(imports.app, name="import")
command(app, generate.generate, "generate")
command(app, privacy.pseudonymize, "pseudonymize")
command(app, load.load, "load")
command(app, cypher.cypher, "cypher")
app.add_typer(neo4j.app, name="neo4j")


def main() -> None:
    """Console-script entry point."""
    app(prog_name="handover")
