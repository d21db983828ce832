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
