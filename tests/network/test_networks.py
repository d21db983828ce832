"""The service networks (DESIGN §5.8) and their measures, on hand-worked data.

The tiny fixture's expected edges are worked out in fixtures/tiny/README.md ("Networks");
the metrics are checked on small canonical graphs whose answers can be read off.
"""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from handover.render.network_files import edges_csv as render_csv
from handover.errors import InputError
from handover.io import read_dataset
from handover.model import Dataset
from handover.network import (
    agency_metrics, care_density, caseload, edges_frame, handover_flows, handover_of_work, shared_users,
    user_agencies,
)
from tests.datasets import FIXTURES
from tests.strategies import frame

TINY = FIXTURES / "tiny"
D = pd.Timestamp


@pytest.fixture(scope="module")
def tiny() -> Dataset:
    return read_dataset(TINY)


def edges(graph) -> list[tuple]:
    return [tuple(row) for row in edges_frame(graph)[["source", "target", "count"]].itertuples(index=False)]


@pytest.mark.parametrize("name, build", [
    ("handover_flows", handover_flows), ("shared_users", shared_users), ("handover_of_work", handover_of_work),
])
def test_tiny_matches_the_hand_worked_edges(tiny, name, build):
    expected = (TINY / "expected" / f"network_{name}.csv").read_text(encoding="utf-8")
    assert render_csv(build(tiny)) == expected


def test_handover_flows_in_a_period(tiny):
    graph = handover_flows(tiny, since=D("2024-06-01"), until=D("2024-12-31"))
    assert edges(graph) == [("a-mh", "a-nav", 1), ("a-tsb", "a-dps", 1), ("a-tsb", "a-nav", 1)]


def test_handover_flows_window(tiny):
    # With a 29-day window u05's handover on day 30 (a-tsb → a-mh) is gone: 5 becomes 4.
    counts = {(s, t): c for s, t, c in edges(handover_flows(tiny, window_days=29))}
    assert counts[("a-tsb", "a-mh")] == 4


def test_agency_nodes_carry_their_attributes(tiny):
    graph = handover_flows(tiny)
    assert sorted(graph.nodes) == ["a-dps", "a-mh", "a-nav", "a-tsb"]  # isolated agencies stay
    assert graph.nodes["a-dps"] == {"name": "Testby DPS", "kind": "dps", "level": "specialist",
                                    "municipality": "Testby", "users_served": 4}


def test_shared_users_on_one_day(tiny):
    graph = shared_users(tiny, since=D("2024-03-05"), until=D("2024-03-05"))
    assert edges(graph) == [("a-mh", "a-nav", 1), ("a-mh", "a-tsb", 1), ("a-nav", "a-tsb", 4)]


def test_handover_of_work_for_one_role(tiny):
    graph = handover_of_work(tiny, roles=["caseworker"])
    counts = {(s, t): c for s, t, c in edges(graph)}
    assert sum(counts.values()) == 26
    assert counts == {("s06", "s07"): 3, ("s07", "s07"): 1, ("s07", "s08"): 4, ("s08", "s09"): 4,
                      ("s09", "s10"): 2, ("s10", "s10"): 1, ("s10", "s11"): 3, ("s11", "s12"): 5,
                      ("s12", "s11"): 1, ("s12", "s13"): 2}
    assert edges_frame(graph).set_index(["source", "target"]).loc[("s11", "s12"), "weight"] == 0.192308
    assert graph.nodes["s07"] == {"profession": "social worker", "users_served": 4}  # u13, u15, u17, u18


def test_handover_of_work_refuses_an_unknown_role(tiny):
    with pytest.raises(InputError, match="--role: boss is not one of"):
        handover_of_work(tiny, roles=["boss"])


def test_periods_are_checked(tiny):
    with pytest.raises(InputError, match="--since 2024-05-01 is after --until 2024-04-01"):
        shared_users(tiny, since=D("2024-05-01"), until=D("2024-04-01"))


# --- who is where in a period ----------------------------------------------------------

def where_dataset() -> Dataset:
    """One user per boundary case, each with one row, all at agency A."""
    return Dataset({
        "agencies": frame("agencies", [{"agency_id": "A", "name": "A", "kind": "other", "level": "municipal"}]),
        "users": frame("users", [{"user_id": u} for u in ("ends", "starts", "empty", "open", "contact")]),
        "responsibilities": frame("responsibilities", [
            # [01-01, 03-01) ends on the first day of the period: not active in it.
            {"user_id": "ends", "staff_id": "s", "agency_id": "A", "role": "caseworker",
             "start": D("2024-01-01"), "end": D("2024-03-01")},
            # Starts on the last day of the period: active on that day.
            {"user_id": "starts", "staff_id": "s", "agency_id": "A", "role": "caseworker",
             "start": D("2024-03-31"), "end": None},
        ]),
        "plans": frame("plans", [
            {"plan_id": "p1", "user_id": "empty", "agency_id": "A", "kind": "other",
             "start": D("2024-03-10"), "end": D("2024-03-10")},  # empty: never active
            {"plan_id": "p2", "user_id": "open", "agency_id": "A", "kind": "other",
             "start": D("2023-01-01"), "end": None},
        ]),
        "contacts": frame("contacts", [
            {"contact_id": "c1", "user_id": "contact", "agency_id": "A", "date": D("2024-03-31")},
        ]),
    })


def test_user_agencies_in_a_period():
    got = user_agencies(where_dataset(), since=D("2024-03-01"), until=D("2024-03-31"))
    assert got["user_id"].tolist() == ["contact", "open", "starts"]


def test_user_agencies_without_a_period_skips_only_empty_intervals():
    assert user_agencies(where_dataset())["user_id"].tolist() == ["contact", "ends", "open", "starts"]


# --- metrics on canonical graphs --------------------------------------------------------

def test_betweenness_takes_one_over_weight_as_the_length():
    # a—b and b—c are strong (4), a—c weak (1). As lengths: a–b–c = 1/4 + 1/4 = 0.5 < a–c = 1,
    # so the shortest a…c path runs through b: b's betweenness is 1 (the one pair it can lie on).
    # Had the weights been taken as lengths, a–c (1) would beat a–b–c (8) and b would score 0.
    graph = nx.Graph()
    graph.add_edge("a", "b", weight=4)
    graph.add_edge("b", "c", weight=4)
    graph.add_edge("a", "c", weight=1)
    table = agency_metrics(graph).set_index("agency_id")
    assert table["betweenness"].to_dict() == {"a": 0.0, "b": 1.0, "c": 0.0}
    assert table["strength"].to_dict() == {"a": 5.0, "b": 8.0, "c": 5.0}
    assert table["neighbours"].to_dict() == {"a": 2, "b": 2, "c": 2}
    assert table["in_strength"].isna().all() and table["out_strength"].isna().all()


def test_directed_strengths():
    # a→b 3, b→c 1, c→a 2: a sends 3 and receives 2, b sends 1 and receives 3, c sends 2, receives 1.
    graph = nx.DiGraph()
    graph.add_edge("a", "b", weight=3)
    graph.add_edge("b", "c", weight=1)
    graph.add_edge("c", "a", weight=2)
    table = agency_metrics(graph).set_index("agency_id")
    assert table["out_strength"].to_dict() == {"a": 3.0, "b": 1.0, "c": 2.0}
    assert table["in_strength"].to_dict() == {"a": 2.0, "b": 3.0, "c": 1.0}
    assert table["strength"].to_dict() == {"a": 5.0, "b": 4.0, "c": 3.0}
    # In the directed cycle every shortest path of two steps passes the middle node: each node
    # lies on one of the 6 ordered pairs' paths, normalised by (n - 1)(n - 2) = 2 → 0.5.
    assert table["betweenness"].to_dict() == {"a": 0.5, "b": 0.5, "c": 0.5}


@pytest.mark.parametrize("seed", [1, 42, 2024])
def test_two_triangles_form_two_communities(seed):
    # Two tightly knit triangles joined by one weak tie: Louvain separates them. Communities
    # are numbered by size, then by their smallest id.
    graph = nx.Graph()
    for a, b in [("d", "e"), ("e", "f"), ("d", "f"), ("a", "b"), ("b", "c"), ("a", "c")]:
        graph.add_edge(a, b, weight=5)
    graph.add_edge("c", "d", weight=1)
    table = agency_metrics(graph, seed=seed).set_index("agency_id")
    assert table["community"].to_dict() == {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2, "f": 2}


def test_isolated_agencies_are_their_own_community():
    graph = nx.Graph()
    graph.add_nodes_from(["x", "y"])
    table = agency_metrics(graph)
    assert table["community"].tolist() == [1, 2] and table["strength"].tolist() == [0.0, 0.0]


def contacts_only(visits: dict[str, str]) -> Dataset:
    """A dataset where each user has one contact with each agency listed (``{"u1": "AB"}``)."""
    agencies = sorted(set("".join(visits.values())))
    rows = [{"contact_id": f"{user}-{agency}", "user_id": user, "agency_id": agency, "date": D("2024-01-01")}
            for user, letters in visits.items() for agency in letters]
    return Dataset({
        "agencies": frame("agencies", [{"agency_id": a, "name": a, "kind": "other", "level": "municipal"}
                                       for a in agencies]),
        "users": frame("users", [{"user_id": u} for u in visits]),
        "responsibilities": frame("responsibilities", []),
        "contacts": frame("contacts", rows),
    })


def test_care_density_is_the_mean_shared_users_over_the_users_agency_pairs():
    # u1 at A, B; u2 at A, B, C; u3 at B, C; u4 at A only.
    # Shared users: A—B 2 (u1, u2), A—C 1 (u2), B—C 2 (u2, u3).
    # u1: (A, B) → 2/1 = 2. u2: (2 + 1 + 2)/3 = 1.6667. u3: (B, C) → 2. u4 has one agency: no row.
    dataset = contacts_only({"u1": "AB", "u2": "ABC", "u3": "BC", "u4": "A"})
    shared = shared_users(dataset)
    assert edges(shared) == [("A", "B", 2), ("A", "C", 1), ("B", "C", 2)]
    assert care_density(dataset, shared).values.tolist() == [
        ["u1", 2, 1, 2, 2.0], ["u2", 3, 3, 5, 1.6667], ["u3", 2, 1, 2, 2.0]]


def test_care_density_uses_the_period_of_the_shared_network():
    dataset = contacts_only({"u1": "AB"})
    shared = shared_users(dataset, since=D("2024-02-01"))  # the contacts are earlier
    assert care_density(dataset, shared).empty


# --- caseload -----------------------------------------------------------------------------

def caseload_dataset() -> Dataset:
    def resp(user, staff, agency, role, start, end=None):
        return {"user_id": user, "staff_id": staff, "agency_id": agency, "role": role,
                "start": D(start), "end": None if end is None else D(end)}

    return Dataset({
        "agencies": frame("agencies", [{"agency_id": a, "name": f"Agency {a}", "kind": "other",
                                        "level": "municipal"} for a in "ABC"]),
        "services": frame("services", [{"service_id": "svA", "agency_id": "A", "name": "x", "kind": "other"},
                                       {"service_id": "svC", "agency_id": "C", "name": "y", "kind": "other"}]),
        "staff": frame("staff", [{"staff_id": "st1", "profession": "nurse"}, {"staff_id": "st2"}]),
        "users": frame("users", [{"user_id": f"u{i}"} for i in range(1, 8)]),
        "responsibilities": frame("responsibilities", [
            resp("u1", "st1", "A", "caseworker", "2024-01-01"),
            resp("u1", "st1", "A", "caseworker", "2024-02-01"),  # the same user twice: counted once
            resp("u2", "st1", "A", "caseworker", "2024-01-01", "2024-07-01"),
            resp("u3", "st1", "A", "caseworker", "2024-06-01"),
            resp("u1", "st1", "A", "coordinator", "2024-01-01"),
            resp("u4", "st2", "A", "caseworker", "2024-01-01", "2024-06-01"),  # ended on as_of
        ]),
        "plans": frame("plans", [{"plan_id": "p1", "user_id": "u5", "agency_id": "B", "kind": "other",
                                  "start": D("2024-01-01"), "end": None}]),
        "episodes": frame("episodes", [
            {"episode_id": "e1", "user_id": "u6", "service_id": "svA", "start": D("2024-05-01"), "end": None},
            {"episode_id": "e2", "user_id": "u7", "service_id": "svC", "start": D("2024-05-01"), "end": None},
        ]),
    })


def test_caseload_per_staff_and_role():
    staff, _ = caseload(caseload_dataset(), as_of=D("2024-06-01"), max_users=2)
    assert staff.values.tolist() == [["st1", "nurse", "caseworker", 3, True],
                                     ["st1", "nurse", "coordinator", 1, False]]
    without_limit, _ = caseload(caseload_dataset(), as_of=D("2024-06-01"))
    assert not without_limit["over_limit"].any()


def test_caseload_share_without_a_responsible_person():
    # A: u1, u2, u3 (st1) and u6 (an episode, nobody responsible at A) → 1 of 4.
    # B: u5 holds a plan and nobody is responsible there → 1 of 1.
    # C has only an episode (no responsibility or plan) → not listed.
    _, agencies = caseload(caseload_dataset(), as_of=D("2024-06-01"))
    assert agencies.values.tolist() == [["A", "Agency A", 4, 1, 0.25], ["B", "Agency B", 1, 1, 1.0]]


def test_caseload_limit_must_be_positive():
    with pytest.raises(InputError, match="--max-users: 0 must be at least 1"):
        caseload(caseload_dataset(), as_of=D("2024-06-01"), max_users=0)
