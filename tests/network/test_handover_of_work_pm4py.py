"""handover_of_work equals pm4py's handover-of-work network with beta = 0 (DESIGN §5.8).

The event log has one event per responsibility: case ``user_id``, resource ``staff_id``,
timestamp ``start``, listed in ``(user_id, start, staff_id)`` order. pm4py's pandas variant
takes each case's events in the order of the rows (it never looks at the timestamps), and
``pm4py.format_dataframe`` sorts by case, timestamp and then the original row, so the listed
order decides between equal timestamps either way.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
import pm4py  # a test dependency: the proof below needs it, so it is never skipped

from handover.io import read_dataset
from handover.model import Dataset
from handover.network import handover_of_work
from tests.datasets import FIXTURES, SCENARIOS
from tests.strategies import datasets, day, frame


ROLE_CHOICES = [None, ("caseworker",), ("coordinator",), ("coordinator", "therapist")]


def event_log(dataset, roles=None) -> pd.DataFrame:
    """One event per responsibility, in (user_id, start, staff_id) order."""
    responsibilities = dataset.get("responsibilities")
    if roles is not None:
        responsibilities = responsibilities[responsibilities["role"].isin(roles)]
    ordered = responsibilities.sort_values(["user_id", "start", "staff_id"], kind="stable")
    return pd.DataFrame({
        "case:concept:name": ordered["user_id"].astype(str).to_numpy(),
        "org:resource": ordered["staff_id"].astype(str).to_numpy(),
        "concept:name": ordered["role"].astype(str).to_numpy(),
        "time:timestamp": pd.to_datetime(ordered["start"]).to_numpy(),
    })


def pm4py_connections(log: pd.DataFrame) -> dict:
    if not log["case:concept:name"].duplicated().any():
        # No case has two events, so there is no pair: pm4py then raises ValueError ("zero-size
        # array to reduction operation maximum") where handover_of_work gives an edgeless graph.
        with pytest.raises(ValueError):
            pm4py.discover_handover_of_work_network(log, beta=0)
        return {}
    return dict(pm4py.discover_handover_of_work_network(log, beta=0).connections)


def ours(dataset, roles=None) -> dict:
    return {(u, v): d["weight"] for u, v, d in handover_of_work(dataset, roles=roles).edges(data=True)}


def assert_equal_networks(dataset, roles=None) -> None:
    log = event_log(dataset, roles)
    expected = pm4py_connections(log)
    # Exactly equal floats: both divide the same integer count by the same integer total.
    assert ours(dataset, roles) == expected
    formatted = pm4py.format_dataframe(log.copy(), case_id="case:concept:name", activity_key="concept:name",
                                       timestamp_key="time:timestamp")
    assert pm4py_connections(formatted) == expected


@pytest.mark.parametrize("roles", ROLE_CHOICES, ids=str)
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_equals_pm4py_on_every_fixture(scenario, roles):
    dataset = read_dataset(FIXTURES / scenario)
    assert_equal_networks(dataset, roles)


def test_the_fixtures_exercise_ties_and_self_loops():
    # tiny's u14 has two responsibilities starting 2024-04-01 (s10 and s11) and a renewed
    # s10: a tie broken by staff_id and a self-loop, both seen by pm4py the same way.
    connections = pm4py_connections(event_log(read_dataset(FIXTURES / "tiny")))
    assert ("s10", "s10") in connections and ("s10", "s11") in connections


def test_pm4py_follows_the_row_order_for_equal_timestamps():
    # The corner where the listed order matters: with the tied events of tiny's u14 listed
    # s11 before s10, pm4py finds s10→s11, s11→s10, s10→s12 instead of s10→s10, s10→s11, s11→s12.
    dataset = read_dataset(FIXTURES / "tiny")
    log = event_log(dataset)
    log = log[log["case:concept:name"] == "u14"].reset_index(drop=True)
    swapped = log.iloc[[0, 2, 1, 3, 4]].reset_index(drop=True)
    assert set(pm4py_connections(log)) == {("s10", "s10"), ("s10", "s11"), ("s11", "s12"), ("s12", "s13")}
    assert set(pm4py_connections(swapped)) == {("s10", "s11"), ("s11", "s10"), ("s10", "s12"), ("s12", "s13")}


@settings(max_examples=150, deadline=None)
@given(datasets(max_rows=12))
def test_equals_pm4py_on_random_datasets(dataset):
    for roles in ROLE_CHOICES:
        assert_equal_networks(dataset, roles)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["u1", "u2", "u10"]), st.sampled_from(["s1", "s2", "s9", "s10"]),
                          st.sampled_from(["coordinator", "caseworker"]), st.integers(0, 3)),
                max_size=14))
def test_equals_pm4py_when_many_starts_tie(rows):
    # Four possible start days for up to 14 responsibilities: ties on start are the rule.
    responsibilities = frame("responsibilities", [
        {"user_id": u, "staff_id": s, "agency_id": "a1", "role": r, "start": day(d), "end": None}
        for u, s, r, d in rows])
    dataset = Dataset({"responsibilities": responsibilities})
    for roles in ROLE_CHOICES:
        assert_equal_networks(dataset, roles)
