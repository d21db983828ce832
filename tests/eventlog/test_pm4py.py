"""The import, measured as a handover-of-work network, equals pm4py's on the raw log.

The claim (docs/data.md, "From an event log"): on a log whose handovers never share a day
(no case has two runs of different resources starting on the same date),
``handover network handover-of-work`` on the imported dataset equals
``pm4py.discover_handover_of_work_network(log, beta=0)`` on the raw log for every pair of
distinct resources. pm4py counts every consecutive pair of events, so it also counts a
resource handing to itself inside a run (``Sara → Sara``), which the import folds into one
responsibility: the counts of distinct pairs are equal, and so are the weights once pm4py's
are renormalised over the distinct pairs. Same-day handovers are ordered by staff id in the
contract (DESIGN §5.8), not by time, which is why the claim needs the condition.

pm4py reads the raw log itself (``read_xes``, ``read_csv`` + ``format_dataframe``,
``read_ocel2_json`` + ``ocel_flattening``), so its reading is compared with ours too.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import warnings
from pathlib import Path

import pandas as pd
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

with contextlib.redirect_stdout(io.StringIO()):  # pm4py prints a banner on import
    import pm4py  # a test dependency: the proof needs it, so it is never skipped

from handover.cli import app
from handover.datasets.eventlog import import_event_log
from handover.io import read_dataset
from handover.io.eventlog import LogColumns
from handover.network import handover_of_work
from tests.eventlog.logs import (
    RUNNING_EXAMPLE, Event, handovers_share_a_day, receipt_like, reviewing_like, write_csv, write_ocel, write_xes,
)

runner = CliRunner()


def _quiet(function, *args, **kwargs):
    """pm4py without its progress bars and its advice to install faster readers."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()), \
            warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return function(*args, **kwargs)


def pm4py_distinct_pairs(frame: pd.DataFrame) -> tuple[dict, dict]:
    """pm4py on a raw log: ``(counts, weights renormalised)`` of the pairs of distinct resources."""
    formatted = _quiet(pm4py.format_dataframe, frame, case_id="case:concept:name", activity_key="concept:name",
                       timestamp_key="time:timestamp")
    network = _quiet(pm4py.discover_handover_of_work_network, formatted, beta=0)
    total = len(formatted) - formatted["case:concept:name"].nunique()  # every consecutive pair of events
    counts, weights = {}, {}
    for (source, target), weight in network.connections.items():
        assert abs(weight * total - round(weight * total)) < 1e-6  # weight = count / total
        if source != target:
            counts[(source, target)] = round(weight * total)
            weights[(source, target)] = weight
    distinct = sum(weights.values())
    return counts, {pair: w / distinct for pair, w in weights.items()}


def ours_by_cli(log: Path, out: Path, *options: str) -> tuple[dict, dict]:
    result = runner.invoke(app, ["import", "event-log", str(log), str(out), *options])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["network", "handover-of-work", str(out), "--format", "csv"])
    assert result.exit_code == 0, result.output
    edges = pd.read_csv(io.StringIO(result.stdout), dtype={"source": str, "target": str})
    counts = {(s, t): int(c) for s, t, c in zip(edges["source"], edges["target"], edges["count"])}
    weights = {(s, t): round(float(w), 6) for s, t, w in zip(edges["source"], edges["target"], edges["weight"])}
    return counts, weights


def assert_equal(ours: tuple[dict, dict], theirs: tuple[dict, dict], tolerance: float = 5e-7) -> None:
    """Equal counts, and equal weights (ours printed to 6 decimals by the CLI)."""
    assert ours[0] == theirs[0]
    assert ours[1].keys() == theirs[1].keys()
    for pair, weight in ours[1].items():
        assert abs(weight - theirs[1][pair]) <= tolerance, pair


def test_receipt_like_xes_equals_pm4py(tmp_path):
    events = receipt_like()
    assert not handovers_share_a_day(events) and len(events) > 500
    log = write_xes(tmp_path / "receipt.xes", events)
    theirs = pm4py_distinct_pairs(_quiet(pm4py.read_xes, str(log)))
    assert len(theirs[0]) > 100  # a dense network, not a trivial one
    assert_equal(ours_by_cli(log, tmp_path / "out", "--agency", "org:group"), theirs)


def test_receipt_like_gzipped_csv_and_ocel_equal_pm4py(tmp_path):
    events = receipt_like(seed=3, cases=80)
    theirs = pm4py_distinct_pairs(_quiet(pm4py.read_xes, str(write_xes(tmp_path / "receipt.xes.gz", events))))
    assert_equal(ours_by_cli(tmp_path / "receipt.xes.gz", tmp_path / "gz"), theirs)
    csv = write_csv(tmp_path / "receipt.csv", events)
    raw = pd.read_csv(csv, dtype=str)
    raw["time:timestamp"] = pd.to_datetime(raw["time:timestamp"], format="ISO8601", utc=True)
    assert pm4py_distinct_pairs(raw) == theirs
    assert_equal(ours_by_cli(csv, tmp_path / "csv"), theirs)
    ocel = write_ocel(tmp_path / "receipt.jsonocel", events)
    flat = _quiet(pm4py.ocel_flattening, _quiet(pm4py.read_ocel2_json, str(ocel)), "request")
    assert pm4py_distinct_pairs(flat) == theirs
    assert_equal(ours_by_cli(ocel, tmp_path / "ocel", "--object-type", "request"), theirs)


def test_reviewing_like_xes_equals_pm4py(tmp_path):
    events = reviewing_like()
    assert not handovers_share_a_day(events)
    assert any(e.lifecycle == "start" for e in events)  # start/complete pairs: runs of two events
    log = write_xes(tmp_path / "reviewing.xes", events)
    theirs = pm4py_distinct_pairs(_quiet(pm4py.read_xes, str(log)))
    assert_equal(ours_by_cli(log, tmp_path / "out"), theirs)


def test_running_example_equals_pm4py_on_its_cases_without_same_day_handovers(tmp_path):
    # Cases 1 and 4 hand over on a new day every time; cases 2, 3, 5 and 6 do not (case 3:
    # Pete, Mike and Ellen all on 30 December), so the whole log does not meet the condition.
    assert handovers_share_a_day(RUNNING_EXAMPLE)
    events = [e for e in RUNNING_EXAMPLE if e.case in ("1", "4")]
    assert not handovers_share_a_day(events)
    log = write_xes(tmp_path / "running.xes", events)
    theirs = pm4py_distinct_pairs(_quiet(pm4py.read_xes, str(log)))
    assert theirs[0] == {("Pete", "Sue"): 1, ("Sue", "Mike"): 1, ("Mike", "Sara"): 1, ("Sara", "Pete"): 1,
                         ("Pete", "Mike"): 1, ("Mike", "Sean"): 1, ("Sean", "Sara"): 1, ("Sara", "Ellen"): 1}
    assert_equal(ours_by_cli(log, tmp_path / "out"), theirs)


def test_same_day_handovers_are_where_the_two_differ(tmp_path):
    # On the whole running example pm4py follows the clock (case 3: Pete → Mike → Ellen on
    # 30 December); the contract orders one day's responsibilities by staff id (Ellen, Mike,
    # Pete), as handover-of-work does on any dataset.
    log = write_xes(tmp_path / "running.xes", RUNNING_EXAMPLE)
    theirs = pm4py_distinct_pairs(_quiet(pm4py.read_xes, str(log)))
    ours = ours_by_cli(log, tmp_path / "out")
    assert ours[0] != theirs[0]
    assert theirs[0].get(("Pete", "Mike"), 0) > ours[0].get(("Pete", "Mike"), 0)
    # Case 6 on 6 January: Mike, then Ellen; by staff id Ellen, then Mike, who also starts 7 January.
    assert ("Mike", "Mike") in ours[0] and ("Mike", "Mike") not in theirs[0]
    assert sum(ours[0].values()) == sum(theirs[0].values()) == 38 - 6  # one pair fewer than runs, per case


START = dt.datetime(2024, 2, 27, 8, 0)  # so that logs cross 29 February


@st.composite
def logs_without_same_day_handovers(draw):
    """Random logs: every run of a new resource starts on a later day; ties inside runs."""
    events = []
    for case in draw(st.lists(st.sampled_from(["1", "2", "10", "c-7"]), min_size=1, max_size=4, unique=True)):
        moment, previous = START + dt.timedelta(days=draw(st.integers(0, 3))), None
        for _ in range(draw(st.integers(1, 9))):
            resource = draw(st.sampled_from(["Pete", "Sue", "Mike", "Sara", "Ellen10", "Ellen9"]))
            if previous is not None:
                if resource != previous:
                    moment += dt.timedelta(days=draw(st.integers(1, 3)), minutes=draw(st.integers(-600, 600)))
                else:
                    moment += dt.timedelta(minutes=draw(st.sampled_from([0, 0, 5, 600, 1440, 3000])))
            offset = draw(st.sampled_from(["+01:00", "+02:00", "Z", ""]))
            events.append(Event(case, resource, moment.strftime("%Y-%m-%dT%H:%M:%S") + offset))
            previous = resource
    # Any order in the file: the import and pm4py both order each case's events by instant.
    return [events[i] for i in draw(st.permutations(range(len(events))))]


@settings(max_examples=80, deadline=None)
@given(logs_without_same_day_handovers())
def test_equals_pm4py_on_random_logs(tmp_path_factory, events):
    # A step of -600 minutes, or offsets that differ, can land a new run on the same date.
    assume(not handovers_share_a_day(events))
    folder = tmp_path_factory.mktemp("log")
    log = write_csv(folder / "log.csv", events)
    raw = pd.read_csv(log, dtype=str)
    raw["time:timestamp"] = pd.to_datetime(raw["time:timestamp"], format="ISO8601", utc=True)
    counts, weights = pm4py_distinct_pairs(raw) if raw["case:concept:name"].duplicated().any() else ({}, {})
    done = import_event_log(log, folder / "out", columns=LogColumns())
    graph = handover_of_work(read_dataset(done.folder))
    assert_equal(({(u, v): d["count"] for u, v, d in graph.edges(data=True)},
                  {(u, v): d["weight"] for u, v, d in graph.edges(data=True)}), (counts, weights), 1e-12)
