"""A database the findings cannot trust says so in one line, with what to do (issue 15, item 6)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from handover.cli import app
from tests.datasets import FIXTURES

pytestmark = pytest.mark.neo4j

runner = CliRunner()


def test_a_database_without_the_constraints_is_refused_until_it_is_loaded_again(neo4j_driver, neo4j_server):
    uri = ("--neo4j-uri", neo4j_server.uri)
    assert runner.invoke(app, ["load", str(FIXTURES / "tiny"), *uri]).exit_code == 0
    neo4j_driver.execute_query("DROP CONSTRAINT user_id")
    neo4j_driver.execute_query("DROP CONSTRAINT plan_id")

    refused = runner.invoke(app, ["find", "parallel-plans", "--engine", "neo4j", *uri])
    assert refused.exit_code == 1, (refused.stderr, refused.exception)
    assert refused.stderr.startswith("error: the database lacks handover's uniqueness constraints on user_id, plan_id")
    assert "handover load DATA_DIR --replace" in refused.stderr and len(refused.stderr.splitlines()) == 1

    assert runner.invoke(app, ["load", str(FIXTURES / "oslo-nav-district"), "--replace", *uri]).exit_code == 0
    answered = runner.invoke(app, ["find", "parallel-plans", "--engine", "neo4j", "--format", "csv", *uri])
    assert answered.exit_code == 0, answered.stderr
    memory = runner.invoke(app, ["find", "parallel-plans", str(FIXTURES / "oslo-nav-district"), "--format", "csv"])
    assert answered.stdout == memory.stdout


def test_the_default_as_of_comes_from_the_load_marker(neo4j_driver, neo4j_server):
    from handover.engines.neo4j import Neo4jEngine
    from handover.io import read_dataset

    dataset = read_dataset(FIXTURES / "oslo-nav-district")
    with Neo4jEngine(neo4j_server.uri, neo4j_server.user, neo4j_server.password) as graph:
        graph.load(dataset)
        recorded = neo4j_driver.execute_query("MATCH (d:HandoverDataset) RETURN d.latest_date AS day").records
        assert str(recorded[0]["day"]) == f"{dataset.latest_date():%Y-%m-%d}"
        assert graph.latest_date() == dataset.latest_date()
