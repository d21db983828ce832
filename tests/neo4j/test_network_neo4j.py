"""``handover network`` and ``handover metrics`` with ``--engine neo4j``: the same files and pages (issue 15, item 1).

Every format of every network (csv, gexf with its spells, the html page and the
timeline), sliced in time, followed by role and grouped by agency, in both languages;
and the two metrics files. The memory engine's bytes are the expectation (its networks
are checked by hand and against pm4py in tests/network).
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from handover.cli import app
from tests.datasets import FIXTURES

pytestmark = pytest.mark.neo4j

runner = CliRunner()

DISTRICT = FIXTURES / "oslo-nav-district"

#: (network, options): each is written by both engines and compared byte for byte.
CASES = [
    ("handover-flows", ()),
    ("handover-flows", ("--format", "gexf")),
    ("handover-flows", ("--format", "html", "--window-days", "7")),
    ("handover-flows", ("--timeline", "--lang", "nb")),
    ("shared-users", ("--between", "2024-02-01", "2024-04-30")),
    ("shared-users", ("--format", "gexf", "--as-of", "2024-03-15")),
    ("shared-users", ("--timeline", "--keep-isolated")),
    ("handover-of-work", ("--role", "caseworker")),
    ("handover-of-work", ("--format", "gexf")),
    ("handover-of-work", ("--format", "html", "--max-nodes", "2")),
    ("handover-of-work", ("--timeline", "--on", "2024-03-01")),
]


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def written(tmp_path, name: str, *args) -> bytes:
    out = tmp_path / name
    result = invoke(*args, "--out", out)
    assert result.exit_code == 0, (result.stderr, result.exception)
    return out.read_bytes()


@pytest.mark.parametrize("kind, options", CASES, ids=[f"{k}{''.join(o)}" for k, o in CASES])
def test_network_on_neo4j_writes_the_memory_engines_bytes(neo4j_driver, neo4j_server, tmp_path, kind, options):
    uri = ("--engine", "neo4j", "--neo4j-uri", neo4j_server.uri)
    memory = written(tmp_path, "memory", "network", kind, DISTRICT, *options)
    assert memory  # something a user can open
    assert written(tmp_path, "loaded-first", "network", kind, DISTRICT, *options, *uri) == memory
    if "--timeline" not in options and "html" not in options:  # a page names its source; data does not
        assert written(tmp_path, "as-loaded", "network", kind, *options, *uri) == memory


def test_metrics_on_neo4j_write_the_memory_engines_files(neo4j_driver, neo4j_server, tmp_path):
    options = ("--since", "2024-01-15", "--window-days", "14", "--csv-dialect", "excel-nb")
    uri = ("--engine", "neo4j", "--neo4j-uri", neo4j_server.uri)
    assert invoke("metrics", DISTRICT, *options, "--out", tmp_path / "memory").exit_code == 0
    loaded = invoke("metrics", DISTRICT, *options, "--out", tmp_path / "neo4j", *uri)
    assert loaded.exit_code == 0, (loaded.stderr, loaded.exception)
    again = invoke("metrics", *options, "--out", tmp_path / "as-loaded", *uri)
    assert again.exit_code == 0, again.stderr
    for name in ("agency_metrics.csv", "care_density.csv"):
        expected = (tmp_path / "memory" / name).read_bytes()
        assert expected.count(b"\r\n") > 1, name  # rows, in the Norwegian dialect
        assert (tmp_path / "neo4j" / name).read_bytes() == expected, name
        assert (tmp_path / "as-loaded" / name).read_bytes() == expected, name


@pytest.mark.parametrize("command", [("network", "shared-users"), ("metrics", "--out", "m")])
def test_network_commands_without_data_dir_need_neo4j(command, tmp_path):
    result = invoke(*command)
    assert result.exit_code == 2 and "DATA_DIR is required with --engine memory" in result.stderr
