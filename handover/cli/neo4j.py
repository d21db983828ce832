"""``handover neo4j start|stop|status``: the project's own local Neo4j server.

Each command makes one call into :mod:`handover.engines.neo4j.localserver` and prints the result:
progress goes to stderr, the answer to stdout. Errors are raised as
:class:`~handover.errors.HandoverError` for the main CLI to turn into exit codes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from handover.cli.framework import HandoverCommand, new_app
from handover.engines.neo4j import localserver

__all__ = ["app"]

app = new_app(help="Run the project's own local Neo4j 5.26 server (Bolt on 127.0.0.1 only, auth on, "
                   "password generated and stored in the state directory).")

StateDirOpt = Annotated[Optional[Path], typer.Option(
    "--state-dir", metavar="DIR",
    help="Where the server keeps its data, logs and credentials "
         "(default: $HANDOVER_STATE_DIR, else ~/.local/state/handover/neo4j).",
    show_default=False)]


def _progress(line: str) -> None:
    typer.echo(line, err=True)


@app.command(cls=HandoverCommand)
def start(
    state_dir: StateDirOpt = None,
    port: Annotated[Optional[int], typer.Option(
        "--port", help="Bolt port on 127.0.0.1 (default: the port used before, else a free one).",
        show_default=False)] = None,
    timeout: Annotated[float, typer.Option(
        "--timeout", help="Seconds to wait for the server to answer.")] = 300.0,
) -> None:
    """Start the local Neo4j server, or report the one already running.

    The first start fetches Neo4j with Maven (into ~/.m2), generates a password and
    takes a little longer. Progress goes to stderr; the last line on stdout is the
    Bolt URI, once the server answers queries. Other handover commands find the
    server and its password by themselves.
    """
    info = localserver.start(state_dir, port=port, timeout=timeout, log=_progress)
    typer.echo(f"user {info.user}; password in {info.state_dir / 'credentials.json'}; pid {info.pid}",
               err=True)
    typer.echo(info.uri)


@app.command(cls=HandoverCommand)
def stop(
    state_dir: StateDirOpt = None,
    timeout: Annotated[float, typer.Option(
        "--timeout", help="Seconds to wait for a clean shutdown before killing the server.")] = 60.0,
) -> None:
    """Stop the local Neo4j server (a clean shutdown; killed after --timeout seconds).

    The data stays in the state directory for the next start. Prints "stopped", or
    "not running" when there was nothing to stop.
    """
    typer.echo("stopped" if localserver.stop(state_dir, timeout=timeout) else "not running")


@app.command(cls=HandoverCommand)
def status(state_dir: StateDirOpt = None) -> None:
    """Tell whether the local Neo4j server is running and answering queries.

    Prints "running <bolt-uri> (pid N)" when it answers a query, "not answering ..."
    when its process runs but does not answer (yet), else "not running".
    The exit code is 0 in every case.
    """
    info = localserver.status(state_dir)
    if info is not None:
        typer.echo(f"running {info.uri} (pid {info.pid}, state {info.state_dir})")
        return
    known = localserver.local_credentials(state_dir)
    if known is not None and known.pid is not None:
        typer.echo(f"not answering: pid {known.pid} runs but {known.uri} does not answer; "
                   f"see {known.state_dir / 'server.log'}")
        return
    typer.echo("not running")
