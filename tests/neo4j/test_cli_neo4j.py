"""``handover neo4j start|stop|status`` and ``handover load`` through the command line."""

from __future__ import annotations

import time

import pytest
import typer
from typer.testing import CliRunner

from handover.cli import load as cli_load
from handover.examples import tiny_dataset
from handover.engines.neo4j.localserver.state import free_loopback_port
from tests.conftest import CLASSPATH_CACHE
from tests.datasets import write_dataset
from tests.neo4j.test_load import _other_dataset

pytestmark = pytest.mark.neo4j

runner = CliRunner()


def neo4j(*args):
    """``handover neo4j ARGS`` through the main CLI, with its error boundary."""
    from handover.cli import app

    return runner.invoke(app, ["neo4j", *(str(a) for a in args)])


@pytest.mark.parametrize("command", ["start", "stop", "status"])
def test_every_command_explains_itself(command):
    result = neo4j(command, "--help")
    assert result.exit_code == 0, result.output
    assert "--state-dir" in result.output and len(result.output.strip().splitlines()) > 4


def test_start_status_stop_through_the_command_line(tmp_path):
    import shutil

    state = tmp_path / "state"
    state.mkdir()
    for cached in CLASSPATH_CACHE.glob("classpath-*.txt"):  # no need to wait for Maven
        shutil.copy(cached, state)
    port = free_loopback_port()
    try:
        started = neo4j("start", "--state-dir", state, "--port", port)
        assert started.exit_code == 0, started.output
        assert started.stdout.splitlines()[-1] == f"bolt://127.0.0.1:{port}"
        assert "Starting Neo4j" in started.stderr

        began = time.monotonic()
        again = neo4j("start", "--state-dir", state)  # idempotent, remembers the port
        assert again.exit_code == 0, again.output
        assert again.stdout.splitlines()[-1] == f"bolt://127.0.0.1:{port}"
        assert "Starting Neo4j" not in again.stderr and time.monotonic() - began < 10

        status = neo4j("status", "--state-dir", state)
        assert status.exit_code == 0 and status.stdout.startswith(f"running bolt://127.0.0.1:{port}")

        stopped = neo4j("stop", "--state-dir", state)
        assert stopped.exit_code == 0 and stopped.stdout.strip() == "stopped"
        after = neo4j("status", "--state-dir", state)
        assert after.exit_code == 0 and after.stdout.strip() == "not running"
        assert neo4j("stop", "--state-dir", state).stdout.strip() == "not running"
    finally:
        from handover.engines.neo4j import localserver

        localserver.stop(state)


def test_start_on_a_taken_port_is_refused(tmp_path, neo4j_server):
    taken = int(neo4j_server.uri.rsplit(":", 1)[1])
    result = neo4j("start", "--state-dir", tmp_path / "state", "--port", taken)
    assert result.exit_code == 1
    assert f"port {taken} on 127.0.0.1 is already in use" in result.stderr
    assert "Traceback" not in result.output


def _load_app() -> typer.Typer:
    app = typer.Typer()
    app.command()(cli_load.load)
    return app


def test_load_command_loads_once_and_refuses_to_mix(neo4j_driver, neo4j_server, tmp_path):
    from handover.engines.neo4j.store import DatasetConflictError

    folder = write_dataset(tiny_dataset(), tmp_path / "tiny")
    other = write_dataset(_other_dataset(), tmp_path / "other")
    app = _load_app()
    first = runner.invoke(app, [str(folder), "--neo4j-uri", neo4j_server.uri])
    assert first.exit_code == 0, first.output
    assert "loaded 18 rows" in first.stdout and "ServiceUser 3" in first.stdout
    second = runner.invoke(app, [str(folder)])  # the local server is found by itself
    assert second.exit_code == 0 and "already loaded" in second.stdout
    mixed = runner.invoke(app, [str(other)])
    assert isinstance(mixed.exception, DatasetConflictError)
    replaced = runner.invoke(app, [str(other), "--replace"])
    assert replaced.exit_code == 0 and "replacing" in replaced.stdout and "ServiceUser 4" in replaced.stdout


def test_main_cli_exit_codes_for_load(neo4j_driver, neo4j_server, tmp_path):
    from handover.cli import app

    folder = write_dataset(tiny_dataset(), tmp_path / "tiny")
    other = write_dataset(_other_dataset(), tmp_path / "other")
    assert runner.invoke(app, ["load", str(folder)]).exit_code == 0
    mixed = runner.invoke(app, ["load", str(other)])
    assert mixed.exit_code == 2 and "--replace" in mixed.stderr
    unreachable = runner.invoke(app, ["load", str(folder), "--neo4j-uri", f"bolt://127.0.0.1:{free_loopback_port()}"])
    assert unreachable.exit_code == 1 and "cannot reach Neo4j" in unreachable.stderr
