"""Every scenario: ``handover audit`` reproduces the hand-worked summaries.

``expected/audit_summary_by_agency.csv`` and ``expected/audit_summary_by_month.csv``
were worked out by hand from the scenario's ``expected/discharge_follow_up.csv``
(itself worked out by hand from the data), with the default small-cell suppression.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from handover.cli import app

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SCENARIOS = sorted(p.name for p in FIXTURES.iterdir() if (p / "expected" / "audit_summary_by_agency.csv").exists())


def test_every_scenario_has_hand_worked_audit_summaries():
    assert len(SCENARIOS) >= 4
    for scenario in SCENARIOS:
        assert (FIXTURES / scenario / "expected" / "audit_summary_by_month.csv").exists(), scenario


@pytest.fixture(scope="module", params=SCENARIOS)
def audited(request, tmp_path_factory) -> tuple[str, Path]:
    out = tmp_path_factory.mktemp(request.param)
    result = CliRunner().invoke(app, ["audit", str(FIXTURES / request.param), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return request.param, out


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").strip("\n").splitlines()


@pytest.mark.parametrize("table", ["by_agency", "by_month"])
def test_summary_matches_the_hand_worked_expectation(audited, table):
    scenario, out = audited
    expected = FIXTURES / scenario / "expected" / f"audit_summary_{table}.csv"
    assert _lines(out / f"summary_{table}.csv") == _lines(expected)


def test_worklist_is_the_hand_worked_discharge_list(audited):
    # The summaries above were worked out from this list; if it changes, so must they.
    scenario, out = audited
    worklist = [line.split(",") for line in _lines(out / "discharges.csv")]
    without_names = [row[:3] + row[4:] for row in worklist]
    expected = [line.split(",") for line in _lines(FIXTURES / scenario / "expected" / "discharge_follow_up.csv")]
    assert without_names == expected
