"""Data loaded with ``--allow-identifiers`` keeps that mark in Neo4j (issue 17, item 2).

A later query on the loaded graph without the flag is refused as the memory engine refuses
the files, and the refusal shows none of the numbers; with the flag it answers.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from handover.cli import app
from tests.privacy.synthetic import NUMBERS, leaked

pytestmark = pytest.mark.neo4j

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_a_dataset_loaded_with_identifiers_is_refused_without_the_flag(neo4j_driver, neo4j_server, identified):
    uri = ("--neo4j-uri", neo4j_server.uri)
    refused_files = invoke("load", identified, *uri)
    assert refused_files.exit_code == 2 and "national identity number" in refused_files.stderr

    loaded = invoke("load", identified, "--allow-identifiers", *uri)
    assert loaded.exit_code == 0, loaded.stderr

    query = ("find", "parallel-plans", "--engine", "neo4j", "--format", "csv", *uri)
    refused = invoke(*query)
    assert refused.exit_code == 2, (refused.stderr, refused.exception)
    assert "loaded with --allow-identifiers" in refused.stderr
    assert "pass --allow-identifiers" in refused.stderr
    assert not leaked(refused.stderr + refused.stdout)

    allowed = invoke(*query, "--allow-identifiers")
    assert allowed.exit_code == 0, allowed.stderr
    memory = invoke("find", "parallel-plans", identified, "--format", "csv", "--allow-identifiers")
    assert allowed.stdout == memory.stdout
    assert any(number in allowed.stdout for number in NUMBERS)  # the rows are the user's to see


def test_a_pseudonymous_dataset_loaded_with_the_flag_is_not_marked(neo4j_driver, neo4j_server, tmp_path):
    from tests.badinput.corpus import write_base

    data = write_base(tmp_path / "data")
    uri = ("--neo4j-uri", neo4j_server.uri)
    assert invoke("load", data, "--allow-identifiers", *uri).exit_code == 0
    query = invoke("find", "parallel-plans", "--engine", "neo4j", "--format", "csv", *uri)
    assert query.exit_code == 0, query.stderr
