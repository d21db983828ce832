"""The Neo4j engine: findings from cypher/findings, typed frames, parameters."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from handover.engines.memory import MemoryEngine
from handover.engines.neo4j import Neo4jEngine
from handover.errors import InputError, QueryError
from handover.examples import tiny_dataset
from handover.findings import FINDINGS, find

pytestmark = pytest.mark.neo4j


@pytest.fixture
def engine(neo4j_driver, neo4j_server):
    with Neo4jEngine(neo4j_server.uri, neo4j_server.user, neo4j_server.password) as graph:
        yield graph


def test_run_query_returns_the_return_columns_with_timestamps(engine):
    engine.load(tiny_dataset())
    rows = engine.run_query("parallel_plans", {"as_of": pd.Timestamp("2024-08-01"), "kinds": ("individual_plan",
                                               "treatment_plan"), "min_overlap_days": 1,
                                               "since": None, "until": None})
    assert list(rows.columns) == ["user_id", "plan_a_id", "agency_a_id", "kind_a", "plan_b_id", "agency_b_id",
                                  "kind_b", "overlap_start", "overlap_end", "overlap_days"]
    assert rows.iloc[0]["overlap_start"] == pd.Timestamp("2024-06-01")
    assert rows["overlap_days"].tolist() == [31] and pd.api.types.is_integer_dtype(rows["overlap_days"])


def test_an_empty_answer_still_has_the_columns(engine):
    engine.load(tiny_dataset())
    rows = engine.run_query("parallel_plans", {"as_of": dt.date(2024, 8, 1), "kinds": ["crisis_plan"],
                                               "min_overlap_days": 1, "since": None, "until": None})
    assert rows.empty and list(rows.columns)[:2] == ["user_id", "plan_a_id"]


def test_params_must_match_the_declaration(engine):
    with pytest.raises(QueryError, match=r"parallel_plans.cypher: params missing min_overlap_days, since, until; not declared x"):
        engine.run_query("parallel_plans", {"as_of": dt.date(2024, 8, 1), "kinds": None, "x": 1})


def test_latest_date_and_tables_come_from_the_loaded_dataset(engine):
    assert engine.latest_date() is None and engine.tables_present() is None
    engine.load(tiny_dataset())
    assert engine.latest_date() == tiny_dataset().latest_date() == pd.Timestamp("2024-08-01")
    assert engine.tables_present() == set(tiny_dataset().tables)


@pytest.mark.parametrize("name", sorted(FINDINGS))
def test_every_finding_agrees_with_memory_on_the_tiny_dataset(engine, name):
    engine.load(tiny_dataset())
    memory = MemoryEngine(tiny_dataset())
    if set(FINDINGS[name].needs) - set(tiny_dataset().tables):
        # Both engines know which tables were loaded, and refuse alike.
        with pytest.raises(InputError) as from_memory:
            find(memory, name)
        with pytest.raises(InputError) as from_neo4j:
            find(engine, name)
        assert str(from_neo4j.value) == str(from_memory.value)
        return
    pd.testing.assert_frame_equal(find(engine, name), find(memory, name))


def test_the_audit_names_agencies_alike_on_both_engines(engine, tmp_path):
    from handover.reports.audit import write_audit

    engine.load(tiny_dataset())
    write_audit(engine, tmp_path / "neo4j")
    write_audit(MemoryEngine(tiny_dataset()), tmp_path / "memory")
    from_neo4j = pd.read_csv(tmp_path / "neo4j" / "discharges.csv", dtype=str)
    from_memory = pd.read_csv(tmp_path / "memory" / "discharges.csv", dtype=str)
    # A quality adviser reads the worklist by agency name, whichever engine made it.
    assert from_neo4j["agency_name"].notna().all() and len(from_neo4j)
    pd.testing.assert_frame_equal(from_neo4j, from_memory)
    assert engine.agency_names().equals(MemoryEngine(tiny_dataset()).agency_names()
                                        .sort_values("agency_id", ignore_index=True))
