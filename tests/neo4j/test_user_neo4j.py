"""``handover user USER_ID --engine neo4j``: the same page from the user's rows on the server (issue 15, item 1)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from handover.cli import app
from handover.io import read_dataset
from tests.datasets import FIXTURES, SCENARIOS

pytestmark = pytest.mark.neo4j

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def page(tmp_path, name: str, *args) -> bytes:
    out = tmp_path / name
    result = invoke("user", *args, "--out", out)
    assert result.exit_code == 0, (result.stderr, result.exception)
    return out.read_bytes()


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_users_pages_on_neo4j_are_the_memory_engines(neo4j_driver, neo4j_server, tmp_path, scenario):
    """Four users of each fixture, on the latest day and on an earlier one in Norwegian; the
    random parity test (tests/parity) compares the pages of random datasets too."""
    data, uri = FIXTURES / scenario, ("--engine", "neo4j", "--neo4j-uri", neo4j_server.uri)
    users = read_dataset(data)["users"]["user_id"].tolist()
    first = users[0]
    assert page(tmp_path, "loaded-first", first, data, *uri) == page(tmp_path, "memory", first, data)
    for i, user_id in enumerate(users[:4]):
        options = ("--as-of", "2024-03-01", "--lang", "nb") if i % 2 else ()
        memory = page(tmp_path, "memory", user_id, data, *options)
        assert b"<svg" in memory  # the timeline a reader looks at
        assert memory.count(scenario.encode()) == 1  # the source the page names: "Neo4j" without DATA_DIR
        assert page(tmp_path, "as-loaded", user_id, *options, *uri) == memory.replace(
            scenario.encode(), b"Neo4j"), (user_id, options)


def test_an_unknown_user_on_neo4j_is_refused_as_from_the_files(neo4j_driver, neo4j_server, tmp_path):
    data = FIXTURES / "oslo-nav-district"
    memory = invoke("user", "nobody", data, "--out", tmp_path / "m.html")
    neo4j = invoke("user", "nobody", data, "--out", tmp_path / "n.html", "--engine", "neo4j",
                   "--neo4j-uri", neo4j_server.uri)
    assert memory.exit_code == neo4j.exit_code == 2
    assert "user nobody is not in the dataset's users (" in neo4j.stderr
    assert neo4j.stderr == memory.stderr
    assert not (tmp_path / "n.html").exists()
