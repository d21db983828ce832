"""Handovers as relationships: NEXT_EPISODE and HANDED_OVER_TO, written at load (issue 15, item 2).

The relationships must be exactly those the definitions give (worked out independently in
pandas from the fixture's files, and two by hand), the same for the atomic and the bulk
loader, and a replacing load must leave none of the old dataset's behind.
"""

from __future__ import annotations

import pytest

from handover.engines.neo4j.store import load_dataset
from handover.io import read_dataset
from tests.datasets import FIXTURES

pytestmark = pytest.mark.neo4j

TINY, OSLO = FIXTURES / "tiny", FIXTURES / "oslo-nav-district"


def next_episodes_of(ds) -> set[tuple]:
    """(from, to, gap_days): each ended episode to the user's episode with the smallest
    (start, episode_id) among the others starting on or after its end."""
    episodes = ds["episodes"]
    found = set()
    for e1 in episodes[episodes["end"].notna()].itertuples():
        later = episodes[(episodes["user_id"] == e1.user_id) & (episodes["episode_id"] != e1.episode_id)
                         & (episodes["start"] >= e1.end)]
        if len(later):
            e2 = later.sort_values(["start", "episode_id"]).iloc[0]
            found.add((e1.episode_id, e2["episode_id"], int((e2["start"] - e1.end).days)))
    return found


def handed_over_of(ds) -> set[tuple]:
    """(from staff, to staff, user, role, date): consecutive responsibilities of one user and role,
    in (start, staff_id) order, held by two different staff members."""
    found = set()
    resp = ds["responsibilities"].sort_values(["start", "staff_id"], kind="stable")
    for (user, role), chain in resp.groupby(["user_id", "role"]):
        rows = list(chain.itertuples())
        for before, after in zip(rows, rows[1:]):
            if before.staff_id != after.staff_id:
                found.add((before.staff_id, after.staff_id, user, role, f"{after.start:%Y-%m-%d}"))
    return found


def in_graph(driver) -> tuple[set, set]:
    nexts = driver.execute_query(
        "MATCH (a:Episode)-[n:NEXT_EPISODE]->(b:Episode) RETURN a.episode_id AS a, b.episode_id AS b, "
        "n.gap_days AS gap").records
    handed = driver.execute_query(
        "MATCH (a:Staff)-[h:HANDED_OVER_TO]->(b:Staff) RETURN a.staff_id AS a, b.staff_id AS b, h.user_id AS u, "
        "h.role AS role, toString(h.date) AS day").records
    return ({(r["a"], r["b"], r["gap"]) for r in nexts},
            {(r["a"], r["b"], r["u"], r["role"], r["day"]) for r in handed})


def test_the_relationships_are_the_definitions_and_read_by_hand(neo4j_driver):
    tiny = read_dataset(TINY)
    load_dataset(neo4j_driver, tiny)
    nexts, handed = in_graph(neo4j_driver)
    assert nexts == next_episodes_of(tiny) and len(nexts) > 10
    assert handed == handed_over_of(tiny) and len(handed) > 5
    # By hand from episodes.csv: u01's inpatient stay e01 ends 2024-03-10 and e02 starts 2024-03-12;
    # u04's e07 ends 2024-03-11, the day e08 starts (e09 starts later, 03-20); e08 ends 06-10 and
    # no episode of u04 starts on or after that, so e08 has no next episode.
    assert ("e01", "e02", 2) in nexts and ("e07", "e08", 0) in nexts
    assert not any(a == "e08" for a, _, _ in nexts)


def test_the_bulk_loader_writes_the_same_relationships(neo4j_driver):
    tiny = read_dataset(TINY)
    load_dataset(neo4j_driver, tiny, atomic=False, batch_size=7)  # several batches of users
    assert in_graph(neo4j_driver) == (next_episodes_of(tiny), handed_over_of(tiny))


@pytest.mark.parametrize("atomic", [True, False], ids=["atomic", "bulk"])
def test_a_replacing_load_leaves_none_of_the_old_relationships(neo4j_driver, atomic):
    load_dataset(neo4j_driver, read_dataset(TINY))
    oslo = read_dataset(OSLO)
    load_dataset(neo4j_driver, oslo, replace=True, atomic=atomic)
    assert in_graph(neo4j_driver) == (next_episodes_of(oslo), handed_over_of(oslo))


def test_a_graph_loaded_without_the_relationships_is_refused_not_answered_empty(neo4j_driver, neo4j_server):
    from typer.testing import CliRunner

    from handover.cli import app

    load_dataset(neo4j_driver, read_dataset(TINY))
    # As an older handover left it: no derived relationships, no mark of them.
    neo4j_driver.execute_query("MATCH ()-[d:NEXT_EPISODE|HANDED_OVER_TO]->() DELETE d")
    neo4j_driver.execute_query("MATCH (d:HandoverDataset) REMOVE d.derived")
    refused = CliRunner().invoke(app, ["find", "handover-without-coordinator", "--engine", "neo4j",
                                       "--neo4j-uri", neo4j_server.uri])
    assert refused.exit_code == 1, (refused.stderr, refused.exception)
    assert "without NEXT_EPISODE, HANDED_OVER_TO, end_key" in refused.stderr
    assert "handover load DATA_DIR --replace" in refused.stderr
