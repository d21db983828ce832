"""Which server and credentials handover connects with."""

from __future__ import annotations

import pytest

from handover.engines.neo4j.connection import open_driver, resolve_connection
from handover.errors import EngineError, InputError

pytestmark = pytest.mark.neo4j


def test_explicit_arguments_win_over_the_environment(monkeypatch, neo4j_server):
    monkeypatch.setenv("NEO4J_URI", "neo4j+s://env.example.org")
    monkeypatch.setenv("NEO4J_USER", "env-user")
    monkeypatch.setenv("NEO4J_PASSWORD", "env-password")
    assert resolve_connection("bolt://db.example.org:7687", "me", "mine") == \
        ("bolt://db.example.org:7687", "me", "mine")
    assert resolve_connection() == ("neo4j+s://env.example.org", "env-user", "env-password")


def test_the_local_server_is_found_without_a_password(neo4j_server):
    assert resolve_connection() == (neo4j_server.uri, "neo4j", neo4j_server.password)
    same_server = neo4j_server.uri.replace("bolt://127.0.0.1", "neo4j://localhost")
    assert resolve_connection(same_server) == (same_server, "neo4j", neo4j_server.password)
    assert resolve_connection("bolt://127.0.0.1:1") == ("bolt://127.0.0.1:1", "neo4j", None)


def test_no_server_anywhere_says_how_to_get_one(tmp_path, monkeypatch):
    monkeypatch.delenv("NEO4J_URI", raising=False)
    with pytest.raises(EngineError, match=r"handover neo4j start.*NEO4J_URI"):
        resolve_connection(state_dir=tmp_path / "nothing-here")


def test_a_uri_that_is_not_neo4j_is_a_usage_error(neo4j_server):
    with pytest.raises(InputError, match=r"http://u:\*\*\*|is not a Neo4j URI"):
        resolve_connection("http://example.org:7474")


def test_an_unreachable_server_is_an_engine_error_without_the_password(tmp_path):
    from handover.engines.neo4j.localserver.state import free_loopback_port

    uri = f"bolt://127.0.0.1:{free_loopback_port()}"
    with pytest.raises(EngineError, match=r"cannot reach Neo4j at bolt://127\.0\.0\.1:\d+") as caught:
        open_driver(uri, "neo4j", "top-secret-123", state_dir=tmp_path)
    assert "top-secret-123" not in str(caught.value)


def test_open_driver_verifies_and_returns_a_working_driver(neo4j_server):
    with open_driver() as driver:
        records, _, _ = driver.execute_query("RETURN 1 AS one")
        assert records[0]["one"] == 1


@pytest.mark.parametrize("uri", ["bolt://neo4j:TopSecret123@127.0.0.1:1", "neo4j://neo4j:TopSecret123@127.0.0.1:1"])
def test_a_password_in_the_uri_never_reaches_the_message(uri):
    """The driver's own text repeats the URI it was given; the message masks it (issue 17 item 2)."""
    from typer.testing import CliRunner

    from handover.cli import app

    result = CliRunner().invoke(app, ["find", "parallel-plans", "--engine", "neo4j", "--neo4j-uri", uri])
    assert result.exit_code in (1, 2) and result.stderr.startswith("error: ")
    assert "TopSecret123" not in result.output and "***@127.0.0.1:1" in result.stderr
