"""Random datasets: the in-memory engine equals the obviously-correct oracle."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from handover.engines import MemoryEngine
from handover.findings import find
from tests import oracle
from tests.strategies import datasets, day


def as_records(frame: pd.DataFrame) -> list[dict]:
    records = []
    for record in frame.to_dict("records"):
        records.append({
            k: (v.date() if isinstance(v, pd.Timestamp) else None if v is pd.NA or v is pd.NaT or v is None
                else int(v) if hasattr(v, "dtype") or isinstance(v, int) else v)
            for k, v in record.items()
        })
    return records


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
