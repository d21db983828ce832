"""Two engines, one answer: every finding on Neo4j equals the in-memory engine, row for row.

On every fixture (and so on the hand-worked expectations) and on random datasets
dense in same-day boundaries and ties, loaded into a real Neo4j over Bolt.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handover.engines import MemoryEngine
from handover.engines.neo4j import Neo4jEngine
from handover.findings import FINDINGS, find
from handover.findings.indicators import indicators
from handover.findings.populations import POPULATIONS, population
from handover.io import read_dataset
from handover.engines.neo4j.networks import Neo4jNetworks
from handover.network import caseload, edges_frame
from handover.network.sources import DatasetNetworks
from handover.render.network_files import gexf_text
from handover.reports.networks import metrics_tables
from handover.reports.user_story import write_user_page
from handover.render.results import render
from tests.datasets import FIXTURES, SCENARIOS
from tests.strategies import datasets, day

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def graph(neo4j_server):
    with Neo4jEngine(uri=neo4j_server.uri, user=neo4j_server.user, password=neo4j_server.password) as engine:
        yield engine


def assert_same_rows(name: str, memory: pd.DataFrame, neo4j: pd.DataFrame) -> None:
    schema = FINDINGS[name].schema
    assert list(neo4j.columns) == schema.column_names
    assert list(neo4j.dtypes) == list(memory.dtypes), name
    assert render(neo4j, schema, "csv") == render(memory, schema, "csv"), name


def assert_same_population(name: str, memory: pd.DataFrame, neo4j: pd.DataFrame) -> None:
    schema = POPULATIONS[name].schema
    assert list(neo4j.columns) == schema.column_names and list(neo4j.dtypes) == list(memory.dtypes), name
    assert render(neo4j, schema, "csv") == render(memory, schema, "csv"), name


def assert_same_caseload(dataset, graph, as_of, *, max_users=None) -> None:
    """``caseload`` read from the tables and read from Neo4j's populations: the same two tables."""
    day = as_of if as_of is not None else dataset.latest_date()
    if day is None:
        return
    for memory_table, neo4j_table in zip(caseload(dataset, as_of=day, max_users=max_users),
                                         caseload(graph, as_of=day, max_users=max_users)):
        pd.testing.assert_frame_equal(neo4j_table, memory_table)


def _drawn(network) -> tuple:
    """What a network shows: its graph attributes, nodes with attributes, edges with attributes."""
    return (dict(network.graph), list(network.nodes(data=True)), edges_frame(network).values.tolist())


def assert_same_networks(dataset, graph, as_of, *, since=None, until=None, roles=None, window_days=30,
                         months: bool = True) -> None:
    """Every network, its spells (GEXF), its months and the metrics: the same from the tables and from Neo4j."""
    as_of = pd.Timestamp(as_of) if as_of is not None else None
    memory = DatasetNetworks(dataset.snapshot(as_of) if as_of is not None else dataset)
    neo4j = Neo4jNetworks(graph, as_of=as_of)
    period = {key: pd.Timestamp(value) if value is not None else None
              for key, value in (("since", since), ("until", until))}
    for kind, options in (("handover-flows", {"window_days": window_days}), ("shared-users", {}),
                          ("handover-of-work", {"roles": roles})):
        ours, theirs = memory.network(kind, **period, **options), neo4j.network(kind, **period, **options)
        assert _drawn(theirs) == _drawn(ours), kind
        assert gexf_text(neo4j.add_spells(theirs)) == gexf_text(memory.add_spells(ours)), kind
        if months:
            assert ([(m, _drawn(g)) for m, g in neo4j.monthly(kind, **period, **options)]
                    == [(m, _drawn(g)) for m, g in memory.monthly(kind, **period, **options)]), kind
    by_agency = {"roles": roles, "by_agency": True, **period}
    assert _drawn(neo4j.network("handover-of-work", **by_agency)) == _drawn(
        memory.network("handover-of-work", **by_agency))
    for ours, theirs in zip(metrics_tables(memory, **period, window_days=window_days),
                            metrics_tables(neo4j, **period, window_days=window_days)):
        pd.testing.assert_frame_equal(theirs, ours)


def assert_same_stories(dataset, graph, as_of, users) -> None:
    """Each user's page written from the files and from the user's rows read off Neo4j: the same bytes."""
    as_of = pd.Timestamp(as_of) if as_of is not None else None
    with tempfile.TemporaryDirectory() as folder:
        for user_id in users:
            theirs = write_user_page(graph, user_id, Path(folder) / "neo4j.html", as_of=as_of)
            ours = write_user_page(dataset, user_id, Path(folder) / "memory.html", as_of=as_of)
            assert theirs.read_bytes() == ours.read_bytes(), user_id


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_networks_agree_on_fixture(graph, scenario):
    dataset = read_dataset(FIXTURES / scenario)
    graph.load(dataset, replace=True)
    assert_same_networks(dataset, graph, None)
    latest = dataset.latest_date()
    if latest is not None:
        day = latest - pd.Timedelta(days=90)
        assert_same_networks(dataset, graph, day, since=day - pd.Timedelta(days=200), roles=("caseworker",),
                             window_days=7)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_populations_and_indicators_agree_on_fixture(graph, scenario):
    dataset = read_dataset(FIXTURES / scenario)
    graph.load(dataset, replace=True)
    memory = MemoryEngine(dataset)
    for name in POPULATIONS:
        assert_same_population(name, population(memory, name), population(graph, name))
    assert_same_caseload(dataset, graph, None, max_users=3)
    for by in (None, "month"):
        on_memory, skipped = indicators(memory, by=by)
        on_neo4j, skipped_neo4j = indicators(graph, by=by)
        pd.testing.assert_frame_equal(on_neo4j, on_memory)
        assert skipped == skipped_neo4j


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_finding_agrees_on_fixture(graph, scenario):
    dataset = read_dataset(FIXTURES / scenario)
    graph.load(dataset, replace=True)
    memory = MemoryEngine(dataset)
    assert graph.latest_date() == memory.latest_date()
    for name in FINDINGS:
        neo4j_rows = find(graph, name)
        assert_same_rows(name, find(memory, name), neo4j_rows)
        expected = FIXTURES / scenario / "expected" / f"{name}.csv"
        assert render(neo4j_rows, FINDINGS[name].schema, "csv") == expected.read_text(encoding="utf-8")


@pytest.mark.parametrize("scenario", ["tiny", "oslo-nav-district"])
def test_options_agree_on_fixture(graph, scenario):
    dataset = read_dataset(FIXTURES / scenario)
    graph.load(dataset, replace=True)
    memory = MemoryEngine(dataset)
    variants = [
        ("handover_without_coordinator", {"window_days": 0, "role": "caseworker"}),
        ("handover_without_coordinator", {"since": "2024-03-01", "until": "2024-09-30"}),
        ("caseworker_turnover", {"roles": ["caseworker", "coordinator"], "window_days": 200, "min_changes": 2}),
        ("parallel_plans", {"kinds": ["individual_plan", "treatment_plan"], "min_overlap_days": 30}),
        ("parallel_plans", {"as_of": "2024-06-01"}),
        ("discharge_follow_up", {"follow_up_by": "other-agency", "max_days": 14}),
        ("discharge_follow_up", {"follow_up_by": "any", "stay_kinds": ["detox"], "since": "2024-01-01"}),
        ("coordinator_gaps", {"min_gap_days": 1, "as_of": "2024-10-01"}),
        ("dormant_plans", {"max_age_days": 90}),
    ]
    for name, options in variants:
        options = dict(options)
        as_of = options.pop("as_of", None)
        if "since" in options:
            options["since"] = pd.Timestamp(options["since"])
        if "until" in options:
            options["until"] = pd.Timestamp(options["until"])
        assert_same_rows(name, find(memory, name, as_of=as_of, **options),
                         find(graph, name, as_of=as_of, **options))


SINCE = st.none() | st.builds(day, st.integers(0, 30))
UNTIL = st.none() | st.builds(day, st.integers(31, 70))
OPTIONS = {
    "handover_without_coordinator": st.fixed_dictionaries({
        "window_days": st.integers(0, 12), "role": st.sampled_from(["coordinator", "caseworker"]),
        "since": SINCE, "until": UNTIL,
    }),
    "caseworker_turnover": st.fixed_dictionaries({
        "roles": st.sampled_from([("caseworker",), ("coordinator", "caseworker")]),
        "window_days": st.integers(1, 40), "min_changes": st.integers(1, 3), "since": SINCE, "until": UNTIL,
    }),
    "parallel_plans": st.fixed_dictionaries({
        "kinds": st.none() | st.just(("individual_plan",)), "min_overlap_days": st.integers(0, 5),
        "since": SINCE, "until": UNTIL,
    }),
    "discharge_follow_up": st.fixed_dictionaries({
        "follow_up_by": st.sampled_from(["municipal", "other-agency", "any"]),
        "max_days": st.integers(0, 35),
        "stay_kinds": st.sampled_from([("inpatient", "residential", "detox"), ("detox", "outpatient")]),
        "since": SINCE, "until": UNTIL,
    }),
    "coordinator_gaps": st.fixed_dictionaries({"min_gap_days": st.integers(0, 20), "since": SINCE, "until": UNTIL}),
    "dormant_plans": st.fixed_dictionaries({"max_age_days": st.integers(0, 40), "since": SINCE, "until": UNTIL}),
    "continuity_of_care": st.fixed_dictionaries({
        "provider": st.sampled_from(["agency", "staff"]), "since": SINCE, "until": UNTIL,
    }),
}


def test_random_parity_covers_every_finding():
    assert set(OPTIONS) == set(FINDINGS)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(dataset=datasets(max_rows=10), as_of=st.none() | st.builds(day, st.integers(0, 70)),
       options=st.fixed_dictionaries({name: strategy for name, strategy in OPTIONS.items()}))
def test_random_datasets_agree(graph, dataset, as_of, options):
    graph.load(dataset, replace=True)
    memory = MemoryEngine(dataset)
    for name in FINDINGS:
        assert_same_rows(name, find(memory, name, as_of=as_of, **options[name]),
                         find(graph, name, as_of=as_of, **options[name]))
    period = {"since": options["handover_without_coordinator"]["since"],
              "until": options["handover_without_coordinator"]["until"]}
    for name, params in (("handovers", {"window_days": options["handover_without_coordinator"]["window_days"],
                                        **period}),
                         ("role_holders", {"roles": options["caseworker_turnover"]["roles"], **period}),
                         ("plan_intervals", {}), ("responsibilities_on_day", {}), ("episodes_on_day", {}),
                         ("staff_professions", {})):
        if name == "staff_professions" and not dataset.has("staff"):
            continue
        assert_same_population(name, population(memory, name, as_of=as_of, **params),
                               population(graph, name, as_of=as_of, **params))
    assert_same_caseload(dataset, graph, as_of, max_users=options["dormant_plans"]["max_age_days"] or None)
    assert_same_stories(dataset, graph, as_of, dataset.get("users")["user_id"].head(1))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(dataset=datasets(max_rows=10), as_of=st.none() | st.builds(day, st.integers(0, 70)), since=SINCE,
       until=UNTIL, roles=st.none() | st.sampled_from([("caseworker",), ("coordinator", "caseworker")]),
       window_days=st.integers(0, 12))
def test_random_networks_agree(graph, dataset, as_of, since, until, roles, window_days):
    """Every network, sliced in time, by role, in months, with its spells and metrics (dense in
    same-day boundaries and ties): the same from the tables and from Neo4j."""
    graph.load(dataset, replace=True)
    assert_same_networks(dataset, graph, as_of, since=since, until=until, roles=roles, window_days=window_days)
