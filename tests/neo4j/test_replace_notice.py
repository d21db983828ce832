"""``find DATA_DIR --engine neo4j`` says what it replaces before it does, and never loads the same
dataset twice (issue 15, item 5)."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from handover.cli import app
from tests.datasets import FIXTURES

pytestmark = pytest.mark.neo4j

runner = CliRunner()
TINY, OSLO = FIXTURES / "tiny", FIXTURES / "oslo-nav-district"


def find(data, uri):
    result = runner.invoke(app, ["find", "parallel-plans", str(data), "--engine", "neo4j", "--format", "csv",
                                 "--neo4j-uri", uri])
    assert result.exit_code == 0, (result.stderr, result.exception)
    return result


def test_a_query_with_another_dataset_says_what_it_replaces_and_the_same_one_is_not_loaded_again(
        neo4j_driver, neo4j_server):
    first = find(TINY, neo4j_server.uri)
    assert "replacing" not in first.stderr  # an empty database: nothing to replace

    second = find(OSLO, neo4j_server.uri)
    notice = re.search(r"Neo4j holds fingerprint [0-9a-f]{12} from (\S+) \(loaded (\d{4}-\d\d-\d\d \d\d:\d\d) UTC, "
                       r"in (\d+) s\); replacing it with (\S+)", second.stderr)
    assert notice, second.stderr
    assert notice.group(1) == str(TINY) and notice.group(4) == str(OSLO)  # the folders as given
    assert second.stdout == runner.invoke(app, ["find", "parallel-plans", str(OSLO), "--format", "csv"]).stdout

    again = find(OSLO, neo4j_server.uri)
    assert "replacing" not in again.stderr
    assert "Neo4j already holds this dataset" in again.stderr and "it was not loaded again" in again.stderr
    assert again.stdout == second.stdout
