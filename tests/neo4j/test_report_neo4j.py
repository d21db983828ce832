"""``handover report --engine neo4j`` writes the very files the memory engine writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from handover.cli import app
from tests.datasets import FIXTURES

pytestmark = pytest.mark.neo4j

runner = CliRunner()


def _report(out: Path, *args) -> dict[str, bytes]:
    result = runner.invoke(app, ["report", *map(str, args), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("fixture, options", [
    ("oslo-nav-district", ()),
    ("tiny", ("--by", "quarter", "--compare", "2024-Q1", "2024-Q3", "--lang", "nb")),
    ("trondheim-purchaser-provider", ("--as-of", "2024-06-30", "--since", "2024-01-01", "--no-suppress")),
])
def test_both_engines_write_identical_reports(neo4j_driver, neo4j_server, tmp_path, fixture, options):
    data = FIXTURES / fixture
    memory = _report(tmp_path / "memory", data, *options)
    graph = _report(tmp_path / "neo4j", data, *options, "--engine", "neo4j", "--neo4j-uri", neo4j_server.uri)
    assert sorted(graph) == sorted(memory)
    assert [name for name in memory if graph[name] != memory[name]] == []
    assert any(name.startswith("users/") for name in memory) and "report.xlsx" in memory


def test_a_report_of_the_loaded_database_draws_its_user_pages_from_the_server(neo4j_driver, neo4j_server, tmp_path):
    """Without DATA_DIR the users' rows are read from Neo4j by id: the same pages (they were
    left out before), the same numbers; only the dataset's name differs."""
    loaded = runner.invoke(app, ["load", str(FIXTURES / "tiny"), "--neo4j-uri", neo4j_server.uri])
    assert loaded.exit_code == 0, loaded.output
    files = _report(tmp_path / "site", "--engine", "neo4j", "--neo4j-uri", neo4j_server.uri)
    memory = _report(tmp_path / "memory", FIXTURES / "tiny")
    assert "Dataset: Neo4j" in files["index.html"].decode("utf-8")
    pages = [name for name in memory if name.startswith("users/")]
    assert pages and sorted(name for name in files if name.startswith("users/")) == pages
    for name in pages:
        assert files[name] == memory[name].replace(b"tiny", b"Neo4j"), name
    assert files["indicators.csv"] == memory["indicators.csv"]


def test_an_audit_of_the_loaded_database_needs_no_data_dir(neo4j_driver, neo4j_server, tmp_path):
    """``audit --engine neo4j`` without DATA_DIR audits what is loaded (it was refused as a
    missing argument), with the memory engine's numbers."""
    loaded = runner.invoke(app, ["load", str(FIXTURES / "tiny"), "--neo4j-uri", neo4j_server.uri])
    assert loaded.exit_code == 0, loaded.output
    done = runner.invoke(app, ["audit", "--engine", "neo4j", "--neo4j-uri", neo4j_server.uri,
                               "--out", str(tmp_path / "graph")])
    assert done.exit_code == 0, done.output
    memory = runner.invoke(app, ["audit", str(FIXTURES / "tiny"), "--out", str(tmp_path / "memory")])
    assert memory.exit_code == 0, memory.output
    for name in ("discharges.csv", "summary_overall.csv", "summary_by_agency.csv", "summary_by_month.csv"):
        assert (tmp_path / "graph" / name).read_bytes() == (tmp_path / "memory" / name).read_bytes(), name
