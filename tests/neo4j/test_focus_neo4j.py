"""``--agency`` on Neo4j: a focused load answers as the memory engine does, and a query without
DATA_DIR is refused when the loaded dataset holds another focus."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from handover.cli import app
from tests.focus.test_cli_focus import TINY

pytestmark = pytest.mark.neo4j

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


FOCUSED = ("--agency", "a-mh", "--agency", "a-dps")


@pytest.mark.parametrize("finding", ["parallel-plans", "handover-without-coordinator", "caseworker-turnover",
                                     "discharge-follow-up", "dormant-plans"])
def test_a_focused_neo4j_load_finds_what_the_memory_engine_finds(neo4j_driver, neo4j_server, finding):
    memory = invoke("find", finding, TINY, *FOCUSED, "--format", "csv")
    graph = invoke("find", finding, TINY, *FOCUSED, "--format", "csv", "--engine", "neo4j",
                   "--neo4j-uri", neo4j_server.uri)
    assert memory.exit_code == 0 and graph.exit_code == 0, graph.output
    assert graph.stdout == memory.stdout


def test_the_loaded_focus_is_kept_and_another_refused(neo4j_driver, neo4j_server):
    loaded = invoke("load", TINY, "--agency", "a-mh", "--neo4j-uri", neo4j_server.uri)
    assert loaded.exit_code == 0, loaded.output
    # without DATA_DIR, the same focus runs on what is loaded: tests/focus derives u01, u05, u10, u12
    same = invoke("find", "handover-without-coordinator", "--agency", "a-mh", "--format", "csv",
                  "--engine", "neo4j", "--neo4j-uri", neo4j_server.uri)
    assert same.exit_code == 0, same.output
    assert [line.split(",")[0] for line in same.stdout.splitlines()[1:]] == ["u01", "u05", "u10", "u10", "u12", "u12"]
    other = invoke("find", "handover-without-coordinator", "--agency", "a-nav", "--engine", "neo4j",
                   "--neo4j-uri", neo4j_server.uri)
    assert other.exit_code == 2
    said = " ".join(other.output.split())
    assert "which is focused on a-mh, not on the users of a-nav" in said
    assert "handover load DATA_DIR --agency a-nav --replace" in said
    assert "Traceback" not in other.output
