"""The vectorised import equals a plain loop (``tests/eventlog/logs.py:simple_runs``) on random logs.

The logs are dense in the corners of the rule: events without a resource, cases with no
resource at all, one resource twice in a row, equal instants (also written with different
offsets), events out of order in the file, offsets that put the next run on an earlier date
as written, timestamps with and without offsets and seconds, agencies that change inside a
run or are missing. Every format is drawn, so the readers are compared too.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handover.datasets.eventlog import import_event_log
from handover.errors import InputError
from handover.io import read_dataset
from handover.io.eventlog import LogColumns
from tests.eventlog.logs import Event, in_traces, simple_runs, write_csv, write_ocel, write_parquet, write_xes

START = dt.datetime(2024, 2, 28, 20, 0)
OFFSETS = ["", "", "Z", "+01:00", "+02:00", "-05:00", "+0130", "+01"]


@st.composite
def timestamps(draw) -> str:
    moment = START + dt.timedelta(minutes=30 * draw(st.integers(0, 4 * 48)))
    offset = draw(st.sampled_from(OFFSETS))
    form = draw(st.sampled_from(["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S.000", "%Y-%m-%d"]))
    if form == "%Y-%m-%d":
        offset = ""  # a date alone takes no offset
    return moment.strftime(form) + offset


@st.composite
def event_logs(draw) -> list[Event]:
    events = []
    for _ in range(draw(st.integers(1, 24))):
        events.append(Event(
            case=draw(st.sampled_from(["1", "2", "10", "007", "c x"])),
            resource=draw(st.sampled_from(["Pete", "Sue", "Mike", "Mike10", "Mike9", None])),
            timestamp=draw(timestamps()),
            agency=draw(st.sampled_from(["Group 1", "Group 2", "Group 10", None])),
        ))
    return events


WRITERS = {"log.csv": write_csv, "log.xes": write_xes, "log.parquet": write_parquet, "log.jsonocel": write_ocel}


def rows_of(folder):
    dataset = read_dataset(folder)
    r = dataset["responsibilities"]
    rows = list(zip(r["user_id"], r["staff_id"], r["agency_id"], r["role"], r["start"].dt.strftime("%Y-%m-%d"),
                    r["end"].dt.strftime("%Y-%m-%d")))
    return dataset, rows


@settings(max_examples=300, deadline=None)
@given(event_logs(), st.sampled_from(sorted(WRITERS)), st.booleans())
def test_the_import_equals_the_loop(tmp_path_factory, events, name, with_agency):
    folder = tmp_path_factory.mktemp("log")
    log = WRITERS[name](folder / name, events)
    columns = LogColumns(agency="org:group" if with_agency else None,
                         object_type="request" if name.endswith("jsonocel") else None)
    if with_agency and all(e.agency is None for e in events):
        with_agency = False  # a log without any agency value has no agency column to name
        columns = LogColumns(object_type=columns.object_type)
    if all(e.resource is None for e in events) and name in ("log.xes", "log.jsonocel"):
        # No event names a resource: these formats then have no such attribute at all.
        with pytest.raises(InputError, match="org:resource"):
            import_event_log(log, folder / "out", columns=columns)
        return
    done = import_event_log(log, folder / "out", columns=columns, role="contact", agency_id="a-0")
    if name.endswith(".xes"):
        events = in_traces(events)
    plain = events if with_agency else [Event(e.case, e.resource, e.timestamp) for e in events]
    users, staff, expected = simple_runs(plain, agency_id="a-0", role="contact")
    dataset, rows = rows_of(done.folder)
    assert rows == expected
    assert dataset["users"]["user_id"].tolist() == users
    assert dataset["staff"]["staff_id"].tolist() == staff
    assert sorted(dataset["agencies"]["agency_id"]) == sorted({row[2] for row in expected} or {"a-0"})
    counts = done.counts
    assert counts.events == len(events)
    assert counts.skipped == sum(e.resource is None for e in events)
    assert counts.cases_without_resource == len(set(users) - {row[0] for row in expected})
    assert counts.responsibilities == len(expected)


def test_a_case_without_any_resource_is_a_user_without_responsibility(tmp_path):
    events = [Event("1", "Pete", "2024-01-02T10:00:00"), Event("2", None, "2024-01-02T11:00:00"),
              Event("1", None, "2024-01-05T10:00:00"), Event("2", None, "2024-01-03T11:00:00")]
    done = import_event_log(write_csv(tmp_path / "log.csv", events), tmp_path / "out")
    dataset = read_dataset(done.folder)
    assert dataset["users"]["user_id"].tolist() == ["1", "2"]
    assert dataset["responsibilities"][["user_id", "staff_id"]].values.tolist() == [["1", "Pete"]]
    # The skipped event of case 1 (5 January) does not lengthen Pete's run: skipped is skipped.
    assert dataset["responsibilities"]["end"].tolist() == [pd.Timestamp("2024-01-03")]
    assert (done.counts.skipped, done.counts.cases_without_resource) == (3, 1)
    report = (done.folder / "import-report.md").read_text(encoding="utf-8")
    assert "| events skipped: no resource | 3 |" in report
    assert "| cases without a responsibility (no event with a resource) | 1 |" in report


def test_a_run_is_held_for_its_first_events_agency(tmp_path):
    events = [Event("1", "Pete", "2024-01-02T10:00:00", agency="Intake"),
              Event("1", "Pete", "2024-01-03T10:00:00", agency="Review"),
              Event("1", "Sue", "2024-01-04T10:00:00", agency=None),
              Event("1", "Sue", "2024-01-05T10:00:00", agency="Review")]
    done = import_event_log(write_xes(tmp_path / "log.xes", events), tmp_path / "out",
                            columns=LogColumns(agency="org:group"), agency_kind="housing", agency_level="private")
    dataset = read_dataset(done.folder)
    assert dataset["responsibilities"][["staff_id", "agency_id"]].values.tolist() == [
        ["Pete", "Intake"], ["Sue", "unknown"]]
    assert dataset["agencies"][["agency_id", "kind", "level"]].values.tolist() == [
        ["Intake", "housing", "private"], ["unknown", "housing", "private"]]
    assert done.counts.agency_missing == 1
    assert "| runs whose first event has no agency (given `unknown`) | 1 |" in done.report


def test_offsets_order_the_events_and_dates_stay_as_written(tmp_path):
    # 00:30 at +02:00 is 22:30 UTC the day before, earlier than Sue's 23:00 UTC: Pete comes
    # first, on 2 January as written, and Sue's run starts on 1 January as written. Pete's
    # responsibility then ends on its own start day (counted), never before it.
    events = [Event("1", "Sue", "2024-01-01T23:00:00Z"), Event("1", "Pete", "2024-01-02T00:30:00+02:00")]
    done = import_event_log(write_csv(tmp_path / "log.csv", events), tmp_path / "out")
    rows = read_dataset(done.folder)["responsibilities"]
    assert list(zip(rows["staff_id"], rows["start"].dt.strftime("%F"), rows["end"].dt.strftime("%F"))) == [
        ("Pete", "2024-01-02", "2024-01-02"), ("Sue", "2024-01-01", "2024-01-02")]
    assert done.counts.out_of_order == 1


def test_equal_instants_keep_the_order_of_the_file(tmp_path):
    events = [Event("1", "Sue", "2024-01-01T10:00:00+01:00"), Event("1", "Pete", "2024-01-01T09:00:00Z"),
              Event("1", "Sue", "2024-01-01T10:00:00+01:00")]
    done = import_event_log(write_csv(tmp_path / "log.csv", events), tmp_path / "out")
    assert read_dataset(done.folder)["responsibilities"]["staff_id"].tolist() == ["Sue", "Pete", "Sue"]
