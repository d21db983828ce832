"""Random datasets: the in-memory engine equals the obviously-correct oracle."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from handover.engines import MemoryEngine
from handover.findings import FINDINGS, find
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


PERIOD_DAYS = st.none() | st.integers(0, 60)


def period(since, until):
    """Two optional day offsets as an ordered (since, until)."""
    since = day(since) if since is not None else None
    until = day(until) if until is not None else None
    if since and until and since > until:
        since, until = until, since
    return since, until


@given(datasets(max_rows=12), st.integers(1, 40), st.integers(1, 4),
       st.sampled_from([("caseworker",), ("coordinator", "caseworker")]), PERIOD_DAYS, PERIOD_DAYS)
def test_caseworker_turnover(dataset, window_days, min_changes, roles, since, until):
    since, until = period(since, until)
    got = find(MemoryEngine(dataset), "caseworker_turnover", roles=roles, window_days=window_days,
               min_changes=min_changes, since=since, until=until)
    expected = sorted(oracle.caseworker_turnover(dataset, roles, window_days, min_changes, since, until),
                      key=lambda r: (r["user_id"], r["role"]))
    assert as_records(got) == expected


@given(datasets(), st.integers(0, 60), st.integers(0, 5),
       st.none() | st.sampled_from([("individual_plan",), ("individual_plan", "treatment_plan")]),
       PERIOD_DAYS, PERIOD_DAYS)
def test_parallel_plans(dataset, as_of_offset, min_overlap_days, kinds, since, until):
    as_of = day(as_of_offset)
    since, until = period(since, until)
    got = find(MemoryEngine(dataset), "parallel_plans", as_of=as_of, kinds=kinds,
               min_overlap_days=min_overlap_days, since=since, until=until)
    expected = oracle.parallel_plans(oracle.snapshot(dataset, as_of), as_of, kinds,
                                     min_overlap_days, since, until)
    assert as_records(got) == expected


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


@given(datasets(max_rows=10), st.integers(0, 70), st.integers(0, 20), PERIOD_DAYS, PERIOD_DAYS)
def test_coordinator_gaps(dataset, as_of_offset, min_gap_days, since, until):
    as_of = day(as_of_offset)
    since, until = period(since, until)
    got = find(MemoryEngine(dataset), "coordinator_gaps", as_of=as_of, min_gap_days=min_gap_days,
               since=since, until=until)
    expected = oracle.coordinator_gaps(oracle.snapshot(dataset, as_of), as_of, min_gap_days,
                                       since, until)
    assert as_records(got) == expected


@given(datasets(), st.integers(0, 90), st.integers(0, 40), PERIOD_DAYS, PERIOD_DAYS)
def test_dormant_plans(dataset, as_of_offset, max_age_days, since, until):
    as_of = day(as_of_offset)
    since, until = period(since, until)
    got = find(MemoryEngine(dataset), "dormant_plans", as_of=as_of, max_age_days=max_age_days,
               since=since, until=until)
    expected = oracle.dormant_plans(oracle.snapshot(dataset, as_of), as_of, max_age_days,
                                    since, until)
    assert as_records(got) == expected


@given(datasets(max_rows=16), st.sampled_from(["agency", "staff"]),
       st.none() | st.integers(0, 50), st.none() | st.integers(0, 50))
def test_continuity_of_care(dataset, provider, since, until):
    since = day(since) if since is not None else None
    until = day(until) if until is not None else None
    if since and until and since > until:
        since, until = until, since
    got = find(MemoryEngine(dataset), "continuity_of_care", provider=provider, since=since, until=until)
    assert as_records(got) == oracle.continuity_of_care(dataset, provider, since, until)


SNAPSHOT_ORACLES = {
    "handover_without_coordinator": lambda ds, as_of: oracle.handover_without_coordinator(ds),
    "caseworker_turnover": lambda ds, as_of: sorted(oracle.caseworker_turnover(ds), key=lambda r: (r["user_id"], r["role"])),
    "parallel_plans": lambda ds, as_of: oracle.parallel_plans(ds, as_of),
    "discharge_follow_up": lambda ds, as_of: oracle.discharge_follow_up(ds),
    "coordinator_gaps": lambda ds, as_of: oracle.coordinator_gaps(ds, as_of),
    "dormant_plans": lambda ds, as_of: oracle.dormant_plans(ds, as_of, max_age_days=20),
    "continuity_of_care": lambda ds, as_of: oracle.continuity_of_care(ds),
}


@settings(max_examples=150)
@given(datasets(max_rows=10), st.integers(0, 70))
def test_as_of_is_the_data_as_they_stood_on_that_day(dataset, as_of_offset):
    """Every finding on ``--as-of DAY`` is the finding on the rows known on DAY (a simple,
    row-by-row snapshot: later starts and dates unseen, later ends and revisions unknown)."""
    as_of = day(as_of_offset)
    past = oracle.snapshot(dataset, as_of)
    engine = MemoryEngine(dataset)
    assert set(SNAPSHOT_ORACLES) == set(FINDINGS)
    for name, reference in SNAPSHOT_ORACLES.items():
        options = {"max_age_days": 20} if name == "dormant_plans" else {}
        assert as_records(find(engine, name, as_of=as_of, **options)) == reference(past, as_of), name
