"""``handover caseload --engine neo4j``: the same tables and files as the memory engine (issue 15, item 1)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from handover.cli import app
from tests.datasets import FIXTURES

pytestmark = pytest.mark.neo4j

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.mark.parametrize("scenario, as_of", [("oslo-nav-district", "2024-03-01"), ("tiny", None)])
def test_caseload_on_neo4j_prints_and_writes_what_the_memory_engine_does(neo4j_driver, neo4j_server, tmp_path,
                                                                         scenario, as_of):
    data, uri = FIXTURES / scenario, ("--neo4j-uri", neo4j_server.uri)
    day = ("--as-of", as_of) if as_of else ()
    options = (*day, "--max-users", "2")
    memory = invoke("caseload", data, *options, "--format", "csv")
    assert memory.exit_code == 0, memory.stderr
    loaded_first = invoke("caseload", data, *options, "--format", "csv", "--engine", "neo4j", *uri)
    assert loaded_first.exit_code == 0, (loaded_first.stderr, loaded_first.exception)
    assert loaded_first.stdout == memory.stdout
    on_what_is_loaded = invoke("caseload", *options, "--format", "csv", "--engine", "neo4j", *uri)
    assert on_what_is_loaded.stdout == memory.stdout

    assert invoke("caseload", data, *options, "--out", tmp_path / "memory").exit_code == 0
    assert invoke("caseload", *options, "--out", tmp_path / "neo4j", "--engine", "neo4j", *uri).exit_code == 0
    for name in ("caseload_staff.csv", "caseload_agencies.csv"):
        assert (tmp_path / "neo4j" / name).read_bytes() == (tmp_path / "memory" / name).read_bytes(), name


def test_caseload_without_data_dir_needs_neo4j():
    result = invoke("caseload", "--format", "csv")
    assert result.exit_code == 2 and "DATA_DIR is required with --engine memory" in result.stderr
