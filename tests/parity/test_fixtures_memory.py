"""Every fixture: the in-memory engine prints exactly the hand-worked expected CSV."""

from __future__ import annotations

import pytest

from handover.engines import MemoryEngine
from handover.findings import FINDINGS, find
from handover.io import read_dataset
from handover.render.results import render
from tests.datasets import FIXTURES, SCENARIOS

CASES = [
    (scenario, name)
    for scenario in SCENARIOS
    for name in FINDINGS
    if (FIXTURES / scenario / "expected" / f"{name}.csv").exists()
]


def test_every_scenario_has_expectations_for_every_finding():
    assert len(SCENARIOS) >= 4
    for scenario in SCENARIOS:
        for name in FINDINGS:
            assert (FIXTURES / scenario / "expected" / f"{name}.csv").exists(), (scenario, name)


@pytest.mark.parametrize("scenario, name", CASES)
def test_memory_engine_matches_hand_worked_expectation(scenario, name):
    engine = MemoryEngine(read_dataset(FIXTURES / scenario))
    got = render(find(engine, name), FINDINGS[name].schema, "csv")
    expected = (FIXTURES / scenario / "expected" / f"{name}.csv").read_text(encoding="utf-8")
    assert got.splitlines() == expected.strip("\n").splitlines()


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_overall_indicators_are_the_hand_counted_ones(scenario):
    from handover.findings.indicators import indicators

    table, skipped = indicators(MemoryEngine(read_dataset(FIXTURES / scenario)))
    assert skipped == {}
    overall = table[table["scope"] == "overall"][["finding", "measure", "numerator", "denominator"]]
    got = overall.to_csv(index=False, lineterminator="\n")
    assert got == (FIXTURES / scenario / "expected" / "indicators.csv").read_text(encoding="utf-8")
