"""Open ends that an index covers: end_key, derived at load, and the range indexes (issue 15, item 3).

Every responsibility, plan and episode gets ``end_key``: its end, or 9999-12-31 when the end is
absent, while ``end`` itself stays absent (what a client shows). The expected values are worked out
from the fixture's files, and a few read by hand from them.
"""

from __future__ import annotations

import datetime as dt

import pytest

from handover.engines.neo4j.store import load_dataset
from handover.io import read_dataset
from tests.datasets import FIXTURES

pytestmark = pytest.mark.neo4j

TINY, OSLO = FIXTURES / "tiny", FIXTURES / "oslo-nav-district"
OPEN = dt.date(9999, 12, 31)


def expected(ds) -> dict[str, dict]:
    """What end_key must be, per kind and key, from the tables: the end, else 9999-12-31."""
    def keyed(frame, key_of):
        return {key_of(row): (OPEN if row.end is None or row.end != row.end else row.end.date())
                for row in frame.itertuples()}
    return {
        "responsibility": keyed(ds["responsibilities"], lambda r: (r.user_id, r.staff_id, r.role, r.start.date())),
        "plan": keyed(ds["plans"], lambda r: r.plan_id),
        "episode": keyed(ds["episodes"], lambda r: r.episode_id),
    }


def in_graph(driver) -> dict[str, dict]:
    def native(value):
        return value.to_native() if value is not None else None

    responsibilities = driver.execute_query(
        "MATCH (s:Staff)-[r:RESPONSIBLE_FOR]->(u:ServiceUser) "
        "RETURN u.user_id AS u, s.staff_id AS s, r.role AS role, r.start AS start, r.end AS end, r.end_key AS key").records
    plans = driver.execute_query("MATCH (p:Plan) RETURN p.plan_id AS id, p.end AS end, p.end_key AS key").records
    episodes = driver.execute_query("MATCH (e:Episode) RETURN e.episode_id AS id, e.end AS end, e.end_key AS key").records
    return {
        "responsibility": {(r["u"], r["s"], r["role"], native(r["start"])): native(r["key"]) for r in responsibilities},
        "plan": {r["id"]: native(r["key"]) for r in plans},
        "episode": {r["id"]: native(r["key"]) for r in episodes},
        "open ends shown": sum(r["end"] is None for r in [*responsibilities, *plans, *episodes]),
    }


@pytest.mark.parametrize("atomic", [True, False], ids=["atomic", "bulk"])
def test_every_interval_has_its_end_or_the_far_future_as_end_key(neo4j_driver, atomic):
    tiny = read_dataset(TINY)
    load_dataset(neo4j_driver, tiny, atomic=atomic, batch_size=7)  # several batches of users
    graph, wanted = in_graph(neo4j_driver), expected(tiny)
    for kind in ("responsibility", "plan", "episode"):
        assert graph[kind] == wanted[kind], kind
    # By hand from the files: u02's coordinator s04 (from 2024-02-08) and episode e02 have no end,
    # u01's coordinator s01 ends 2024-03-10, plan p01 ends 2024-06-01.
    assert graph["responsibility"][("u02", "s04", "coordinator", dt.date(2024, 2, 8))] == OPEN
    assert graph["responsibility"][("u01", "s01", "coordinator", dt.date(2024, 1, 8))] == dt.date(2024, 3, 10)
    assert graph["episode"]["e02"] == OPEN and graph["plan"]["p01"] == dt.date(2024, 6, 1)
    # The open ends are still absent ends, as a client shows them.
    assert graph["open ends shown"] == sum(v == OPEN for kind in ("responsibility", "plan", "episode")
                                           for v in wanted[kind].values()) > 3


@pytest.mark.parametrize("atomic", [True, False], ids=["atomic", "bulk"])
def test_a_replacing_load_sets_every_end_key_from_the_new_ends(neo4j_driver, atomic):
    load_dataset(neo4j_driver, read_dataset(OSLO))
    tiny = read_dataset(TINY)
    load_dataset(neo4j_driver, tiny, replace=True, atomic=atomic)
    graph, wanted = in_graph(neo4j_driver), expected(tiny)
    assert all(graph[kind] == wanted[kind] for kind in ("responsibility", "plan", "episode"))


def test_the_range_indexes_cover_the_dates_the_findings_filter_on(neo4j_driver):
    load_dataset(neo4j_driver, read_dataset(TINY))
    indexes = {r["name"]: (r["entityType"], r["labelsOrTypes"], r["properties"]) for r in neo4j_driver.execute_query(
        "SHOW RANGE INDEXES YIELD name, entityType, labelsOrTypes, properties").records}
    assert indexes["responsible_for_end_key"] == ("RELATIONSHIP", ["RESPONSIBLE_FOR"], ["end_key"])
    assert indexes["handed_over_to_date"] == ("RELATIONSHIP", ["HANDED_OVER_TO"], ["date"])
    assert indexes["next_episode_gap_days"] == ("RELATIONSHIP", ["NEXT_EPISODE"], ["gap_days"])
    assert indexes["plan_kind_end_key"] == ("NODE", ["Plan"], ["kind", "end_key"])
    assert indexes["episode_end_key"] == ("NODE", ["Episode"], ["end_key"])


def test_a_graph_without_end_keys_is_refused_and_a_load_of_the_same_data_derives_them(neo4j_driver, neo4j_server):
    from typer.testing import CliRunner

    from handover.cli import app

    tiny = read_dataset(TINY)
    load_dataset(neo4j_driver, tiny)
    # As the previous handover left it: the relationships derived, end_key not.
    neo4j_driver.execute_query("MATCH ()-[r:RESPONSIBLE_FOR]->() REMOVE r.end_key")
    neo4j_driver.execute_query("MATCH (n:Plan|Episode) REMOVE n.end_key")
    neo4j_driver.execute_query("MATCH (d:HandoverDataset) SET d.derived = ['next_episodes', 'handed_over']")
    finding = ["find", "dormant-plans", "--engine", "neo4j", "--neo4j-uri", neo4j_server.uri]
    refused = CliRunner().invoke(app, finding)
    assert refused.exit_code == 1, (refused.stderr, refused.exception)
    assert "without end_key, which a load derives" in refused.stderr
    assert "handover load DATA_DIR --replace" in refused.stderr
    # The advice works: the same dataset is loaded again (not "already loaded"), and answered.
    summary = load_dataset(neo4j_driver, tiny, replace=True)
    assert not summary.unchanged
    assert in_graph(neo4j_driver)["plan"] == expected(tiny)["plan"]
    answered = CliRunner().invoke(app, finding)
    assert answered.exit_code == 0, (answered.stderr, answered.exception)
