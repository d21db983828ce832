"""The report's worklists reproduce the hand-worked lists of two scenarios, on two days each.

``fixtures/<scenario>/expected/worklist_<list>.csv`` (the default as-of day, the latest date
in the data) and ``worklist_<list>_<day>.csv`` (an earlier day, a snapshot) were worked out by
hand from the data files and the definitions in :mod:`handover.findings.worklist` and
docs/findings.md; each scenario's README ("Worklist (hand-worked)") gives the derivation.
They are compared with what ``handover report`` writes and with
:func:`handover.findings.worklist.worklist` called directly.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from handover.cli import app
from handover.engines import MemoryEngine
from handover.findings.schema import to_text_frame
from handover.findings.worklist import WORKLISTS, worklist
from handover.io import read_dataset

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
LISTS = ("no_coordinator", "turnover", "dormant")

#: Each scenario: its default as-of day (the latest date in its data) and the earlier day worked by hand.
SCENARIOS = {
    "small-municipality": ("2025-03-28", "2024-09-01"),
    "oslo-nav-district": ("2024-11-29", "2024-02-21"),
}
#: (scenario, day given with --as-of or None for the default, the day itself)
CASES = [(name, None, default) for name, (default, _) in SCENARIOS.items()] + [
    (name, other, other) for name, (_, other) in SCENARIOS.items()]


def _expected_path(scenario: str, name: str, as_of: str | None) -> Path:
    suffix = "" if as_of is None else f"_{as_of}"
    return FIXTURES / scenario / "expected" / f"worklist_{name}{suffix}.csv"


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_every_expected_worklist_exists():
    for scenario, as_of, _ in CASES:
        for name in LISTS:
            path = _expected_path(scenario, name, as_of)
            assert path.exists(), path
            assert _rows(path)[0] == list(WORKLISTS[name].column_names), path


@pytest.fixture(scope="module", params=CASES, ids=lambda case: f"{case[0]}-{case[1] or 'default'}")
def reported(request, tmp_path_factory) -> tuple[str, str | None, Path]:
    scenario, as_of, _ = request.param
    out = tmp_path_factory.mktemp(f"{scenario}-{as_of or 'default'}")
    args = ["report", str(FIXTURES / scenario), "--out", str(out)]
    if as_of is not None:
        args += ["--as-of", as_of]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return scenario, as_of, out


@pytest.mark.parametrize("name", LISTS)
def test_report_writes_the_hand_worked_worklist(reported, name):
    scenario, as_of, out = reported
    assert _rows(out / f"worklist_{name}.csv") == _rows(_expected_path(scenario, name, as_of))


@pytest.mark.parametrize(("scenario", "as_of", "day"), CASES,
                         ids=[f"{case[0]}-{case[1] or 'default'}" for case in CASES])
def test_worklist_function_gives_the_hand_worked_rows(scenario, as_of, day):
    lists = worklist(MemoryEngine(read_dataset(FIXTURES / scenario)), as_of=pd.Timestamp(day))
    for name in LISTS:
        rows = lists[name]
        assert isinstance(rows, pd.DataFrame), (name, rows)
        text = to_text_frame(rows, WORKLISTS[name]).fillna("")
        got = [list(WORKLISTS[name].column_names)] + [list(map(str, row)) for row in text.itertuples(index=False)]
        assert got == _rows(_expected_path(scenario, name, as_of)), name
