"""Random datasets: the in-memory engine equals the obviously-correct oracle."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from handover.engines import MemoryEngine
from handover.findings import find
from tests import oracle
from tests.strategies import datasets, day


def _plain(value):
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    return value


def as_records(frame: pd.DataFrame) -> list[dict]:
    """Rows as plain Python values, comparable with the oracle's dicts."""
    return [{k: _plain(v) for k, v in record.items()} for record in frame.to_dict("records")]


settings.register_profile("default", max_examples=300, deadline=None)
settings.load_profile("default")


@given(datasets(), st.integers(0, 12), st.sampled_from(["coordinator", "caseworker"]),
       st.none() | st.integers(0, 50), st.none() | st.integers(0, 50))
def test_handover_without_coordinator(dataset, window_days, role, since, until):
    since = day(since) if since is not None else None
    until = day(until) if until is not None else None
    if since and until and since > until:
        since, until = until, since
    got = find(MemoryEngine(dataset), "handover_without_coordinator", window_days=window_days, role=role,
               since=since, until=until)
    assert as_records(got) == oracle.handover_without_coordinator(dataset, window_days, role, since, until)


@given(datasets(max_rows=12), st.integers(1, 40), st.integers(1, 4),
       st.sampled_from([("caseworker",), ("coordinator", "caseworker")]))
def test_caseworker_turnover(dataset, window_days, min_changes, roles):
    got = find(MemoryEngine(dataset), "caseworker_turnover", roles=roles, window_days=window_days,
               min_changes=min_changes)
    expected = sorted(oracle.caseworker_turnover(dataset, roles, window_days, min_changes),
                      key=lambda r: (r["user_id"], r["role"]))
    assert as_records(got) == expected


@given(datasets(), st.integers(0, 60), st.integers(0, 5),
       st.none() | st.sampled_from([("individual_plan",), ("individual_plan", "treatment_plan")]))
def test_parallel_plans(dataset, as_of_offset, min_overlap_days, kinds):
    as_of = day(as_of_offset)
    got = find(MemoryEngine(dataset), "parallel_plans", as_of=as_of, kinds=kinds,
               min_overlap_days=min_overlap_days)
    assert as_records(got) == oracle.parallel_plans(dataset, as_of, kinds, min_overlap_days)


@given(datasets(max_rows=10), st.sampled_from(["municipal", "other-agency", "any"]), st.integers(0, 35),
       st.sampled_from([("inpatient", "residential", "detox"), ("inpatient",), ("detox", "outpatient")]),
       st.none() | st.integers(0, 50), st.none() | st.integers(0, 50))
def test_discharge_follow_up(dataset, follow_up_by, max_days, stay_kinds, since, until):
    since = day(since) if since is not None else None
    until = day(until) if until is not None else None
    if since and until and since > until:
        since, until = until, since
    got = find(MemoryEngine(dataset), "discharge_follow_up", follow_up_by=follow_up_by, max_days=max_days,
               stay_kinds=stay_kinds, since=since, until=until)
    assert as_records(got) == oracle.discharge_follow_up(dataset, follow_up_by, max_days, stay_kinds, since, until)


@given(datasets(max_rows=10), st.integers(0, 70), st.integers(0, 20))
def test_coordinator_gaps(dataset, as_of_offset, min_gap_days):
    as_of = day(as_of_offset)
    got = find(MemoryEngine(dataset), "coordinator_gaps", as_of=as_of, min_gap_days=min_gap_days)
    assert as_records(got) == oracle.coordinator_gaps(dataset, as_of, min_gap_days)


@given(datasets(), st.integers(0, 90), st.integers(0, 40))
def test_dormant_plans(dataset, as_of_offset, max_age_days):
    as_of = day(as_of_offset)
    got = find(MemoryEngine(dataset), "dormant_plans", as_of=as_of, max_age_days=max_age_days)
    assert as_records(got) == oracle.dormant_plans(dataset, as_of, max_age_days)


@given(datasets(max_rows=16), st.sampled_from(["agency", "staff"]),
       st.none() | st.integers(0, 50), st.none() | st.integers(0, 50))
def test_continuity_of_care(dataset, provider, since, until):
    since = day(since) if since is not None else None
    until = day(until) if until is not None else None
    if since and until and since > until:
        since, until = until, since
    got = find(MemoryEngine(dataset), "continuity_of_care", provider=provider, since=since, until=until)
    assert as_records(got) == oracle.continuity_of_care(dataset, provider, since, until)
