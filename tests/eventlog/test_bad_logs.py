"""Bad event logs: one ``error:`` line naming the place and the rule, exit 2, nothing written.

And the odd but good ones: other separators and encodings, Parquet timestamps, XES with a
namespace or with the trace's name after its events.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from handover.cli import app
from handover.io import read_dataset
from tests.eventlog.logs import RUNNING_EXAMPLE, Event, write_csv, write_ocel, write_parquet, write_xes

runner = CliRunner()

HEADER = "case:concept:name,concept:name,org:resource,time:timestamp\n"


def refused(tmp_path, log, *options: str) -> str:
    out = tmp_path / "out"
    result = runner.invoke(app, ["import", "event-log", str(log), str(out), *options])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert not out.exists()  # nothing written
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("error: ")
    return " ".join(result.output.split())


def imported(tmp_path, log, *options: str):
    out = tmp_path / "out"
    result = runner.invoke(app, ["import", "event-log", str(log), str(out), *options])
    assert result.exit_code == 0, result.output
    return read_dataset(out)


def test_a_csv_without_the_resource_column_lists_the_columns(tmp_path):
    log = tmp_path / "log.csv"
    log.write_text("case:concept:name,concept:name,org:role,time:timestamp\n1,register,A,2011-01-03\n")
    message = refused(tmp_path, log)
    assert ("log.csv: no column org:resource (the resource; name another with --resource); columns found: "
            "case:concept:name, concept:name, org:role, time:timestamp") in message


def test_an_xes_log_without_the_resource_lists_the_event_attributes(tmp_path):
    log = write_xes(tmp_path / "log.xes", [Event("1", None, "2011-01-03T10:00:00+01:00")])
    message = refused(tmp_path, log)
    assert "log.xes: no event has the attribute org:resource (the resource; name another with --resource)" in message
    assert "event attributes found: concept:name, lifecycle:transition, nested, time:timestamp" in message
    assert "trace attributes found (as case:KEY): case:concept:name" in message


def test_a_missing_agency_column_is_named_too(tmp_path):
    message = refused(tmp_path, write_csv(tmp_path / "log.csv", RUNNING_EXAMPLE), "--agency", "org:unit")
    assert "no column org:unit (the agency; name another with --agency)" in message


def test_an_unreadable_csv_timestamp_names_the_file_line_and_value(tmp_path):
    # The quoted activity over two lines makes the file line differ from the row number.
    log = tmp_path / "log.csv"
    log.write_text(HEADER + '1,"register\nrequest",Pete,2011-01-03 10:00:00\n'
                   "1,decide,Sara,2011-01-04 10:00:00\n1,reject,Pete,03.01.2011 10:00\n")
    message = refused(tmp_path, log)
    assert ("log.csv line 5, column time:timestamp: 03.01.2011 10:00 is not an ISO 8601 timestamp "
            "(YYYY-MM-DD, optionally with a time hh:mm[:ss[.fff]] after 'T' or a space, and an offset Z or "
            "+hh:mm)") in message


@pytest.mark.parametrize("value, rule", [
    ("", "the timestamp is empty; every event needs one"),
    ("2011-02-30 10:00", "2011-02-30 10:00 is not a date and time that exists"),
    ("2011-02-30", "2011-02-30 is not a date and time that exists"),
    ("2011-01-03 24:30:00+01:00", "2011-01-03 24:30:00+01:00 is not a date and time that exists"),
    ("1.3.2011", "1.3.2011 is not an ISO 8601 timestamp"),
    # Words are free text in the wrong column (a name, a note): the value is never shown.
    ("yesterday", "the value holds words and is not shown; it is not an ISO 8601 timestamp"),
])
def test_every_kind_of_bad_timestamp(tmp_path, value, rule):
    log = tmp_path / "log.csv"
    log.write_text(HEADER + "1,a,Pete,2011-01-03\n\n1,b,Sue," + value + "\n")
    assert f"log.csv line 4, column time:timestamp: {rule}" in refused(tmp_path, log)


def test_a_bad_xes_timestamp_names_the_trace_and_the_event(tmp_path):
    events = [Event("1", "Pete", "2011-01-03T10:00:00"), Event("2", "Sue", "2011-01-03T10:00:00"),
              Event("2", "Sue", "2011-01-04T10:00:00"), Event("2", "Mike", "2011-13-04T10:00:00")]
    message = refused(tmp_path, write_xes(tmp_path / "log.xes", events))
    assert "log.xes trace 2, event 3, time:timestamp: 2011-13-04T10:00:00 is not a date and time that exists" \
        in message


def test_a_bad_parquet_timestamp_names_the_row(tmp_path):
    events = [Event("1", "Pete", "2011-01-03T10:00:00"), Event("1", "Sue", "2011-01-03 at ten")]
    message = refused(tmp_path, write_parquet(tmp_path / "log.parquet", events))
    assert ("log.parquet row 2, column time:timestamp: the value holds words and is not shown; it is not an "
            "ISO 8601 timestamp") in message
    assert "at ten" not in message


def test_a_bad_ocel_time_names_the_event(tmp_path):
    events = [Event("1", "Pete", "2011-01-03T10:00:00"), Event("1", "Sue", "2011-01-03T10:00:00"),
              Event("1", "Sue", "03/01/2011")]
    message = refused(tmp_path, write_ocel(tmp_path / "log.jsonocel", events), "--object-type", "request")
    assert "log.jsonocel event e3 (number 3), time: 03/01/2011 is not an ISO 8601 timestamp" in message


def test_ocel_needs_the_object_type_of_the_cases(tmp_path):
    log = write_ocel(tmp_path / "log.json", RUNNING_EXAMPLE)
    assert ("log.json: an OCEL 2.0 log needs --object-type, the object type whose objects are the cases; "
            "object types found: invoice, request") in refused(tmp_path, log)
    assert "no object type order (--object-type); object types found: invoice, request" in refused(
        tmp_path, log, "--object-type", "order")
    message = refused(tmp_path, log, "--object-type", "request", "--resource", "employee")
    assert ("no event attribute or object type employee (the resource; name another with --resource); "
            "event attributes found: org:resource; object types found: invoice, request") in message


def test_ocel_resources_can_be_objects(tmp_path):
    as_objects = write_ocel(tmp_path / "objects.jsonocel", RUNNING_EXAMPLE, resource_as_object=True)
    as_attributes = write_ocel(tmp_path / "attributes.jsonocel", RUNNING_EXAMPLE)
    first = imported(tmp_path / "a", as_objects, "--object-type", "request", "--resource", "employee")
    second = imported(tmp_path / "b", as_attributes, "--object-type", "request")
    assert first["responsibilities"].equals(second["responsibilities"])
    assert len(first["responsibilities"]) == 38


def test_an_event_without_a_case_is_refused(tmp_path):
    log = tmp_path / "log.csv"
    log.write_text(HEADER + "1,a,Pete,2011-01-03\n ,b,Sue,2011-01-04\n")
    assert "log.csv line 3, column case:concept:name: no case (case:concept:name is empty); every event needs one" \
        in refused(tmp_path, log)


def test_other_files_and_formats(tmp_path):
    assert "LOG log.txt: not a log format handover reads; give a file ending in .xes, .xes.gz, .csv, .parquet, " \
           ".json, .jsonocel" in refused(tmp_path, tmp_path / "log.txt")
    assert "no such file" in refused(tmp_path, tmp_path / "missing.xes")
    (tmp_path / "log.xes").write_text("<log><trace><event><string key='a' value='b'></event></trace></log>")
    assert "log.xes line 1, column 47: not readable as XES (not well-formed XML)" in refused(
        tmp_path, tmp_path / "log.xes")
    (tmp_path / "log.json").write_text(json.dumps({"events": []}))
    assert 'log.json: not an OCEL 2.0 JSON log (it needs the lists "events" and "objects")' in refused(
        tmp_path, tmp_path / "log.json")
    (tmp_path / "log.parquet").write_text("not parquet")
    assert "log.parquet: not readable as Parquet" in refused(tmp_path, tmp_path / "log.parquet")
    (tmp_path / "empty.csv").write_text("")
    assert "empty.csv: the file is empty (no header row)" in refused(tmp_path, tmp_path / "empty.csv")


def test_a_row_with_the_wrong_number_of_values_names_its_line_not_its_values(tmp_path):
    log = tmp_path / "log.csv"
    log.write_text(HEADER + "1,a,Pete,2011-01-03\n1,b,Sue Secret,2011-01-04,extra\n")
    message = refused(tmp_path, log)
    assert "log.csv line 3: 5 values where the header has 4" in message
    assert "Secret" not in message


def test_encoding_and_separator(tmp_path):
    log = write_csv(tmp_path / "log.csv", [Event("1", "Åse", "2011-01-03"), Event("1", "Øyvind", "2011-01-04")],
                    sep=";", encoding="cp1252")
    assert "log.csv line 2: not valid UTF-8 text; Norwegian Excel exports are often cp1252: pass --encoding " \
           "cp1252" in refused(tmp_path, log, "--sep", ";")
    assert "the header is one column: is the separator right? give --sep" in refused(
        tmp_path, log, "--encoding", "cp1252")
    dataset = imported(tmp_path, log, "--sep", ";", "--encoding", "cp1252")
    assert dataset["staff"]["staff_id"].tolist() == ["Åse", "Øyvind"]


def test_options_are_checked_before_the_log_is_read(tmp_path):
    log = tmp_path / "never-read.csv"
    assert "--role: boss is not one of: coordinator, caseworker" in refused(tmp_path, log, "--role", "boss")
    assert "--agency-level: county is not one of: municipal, specialist, state, private" in refused(
        tmp_path, log, "--agency-level", "county")
    assert "--format: xlsx is not one of: csv, parquet" in refused(tmp_path, log, "--format", "xlsx")


def test_national_identity_numbers_as_cases_are_refused(tmp_path):
    log = write_csv(tmp_path / "log.csv", [Event("31029000177", "Pete", "2011-01-03")])
    message = refused(tmp_path, log)
    assert "log.csv (cases, as users) column user_id: 1 value looks like a national identity number" in message
    assert "31029000177" not in message
    assert imported(tmp_path, log, "--allow-identifiers")["users"]["user_id"].tolist() == ["31029000177"]


def test_out_dir_holding_other_files_is_refused(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("mine")
    result = runner.invoke(app, ["import", "event-log", str(write_csv(tmp_path / "log.csv", RUNNING_EXAMPLE)),
                                 str(tmp_path / "out")])
    assert result.exit_code == 2 and "holds files other than dataset tables" in result.output
    assert (tmp_path / "out" / "notes.txt").read_text() == "mine"


def test_parquet_timestamps_are_read_in_their_own_time_zone(tmp_path):
    frame = pd.DataFrame({"case:concept:name": [1, 1], "org:resource": ["Pete", "Sue"],
                          "time:timestamp": pd.to_datetime(["2011-01-02T23:30:00Z", "2011-01-04T10:00:00Z"])})
    frame["time:timestamp"] = frame["time:timestamp"].dt.tz_convert("Europe/Oslo")
    frame.to_parquet(tmp_path / "log.parquet")
    dataset = imported(tmp_path, tmp_path / "log.parquet")
    rows = dataset["responsibilities"]
    # 23:30 UTC is 00:30 on 3 January in Oslo; an integer case id is read as text.
    assert rows["user_id"].tolist() == ["1", "1"]
    assert rows["start"].dt.strftime("%F").tolist() == ["2011-01-03", "2011-01-04"]
    assert "`Parquet timestamp (time zone Europe/Oslo)` | 2" in (tmp_path / "out" / "import-report.md").read_text()


@pytest.mark.parametrize("options", [{"namespace": True}, {"trace_name_last": True}], ids=str)
def test_xes_variants(tmp_path, options):
    log = write_xes(tmp_path / "log.xes", RUNNING_EXAMPLE, **options)
    assert len(imported(tmp_path, log)["responsibilities"]) == 38


def test_xes_attributes_of_the_trace_as_case_columns(tmp_path):
    # case:KEY names a trace attribute; the nested org:resource inside a <list> is never read.
    log = write_xes(tmp_path / "log.xes", RUNNING_EXAMPLE)
    dataset = imported(tmp_path, log, "--resource", "case:concept:name", "--case", "concept:name")
    assert dataset["users"]["user_id"].tolist()[:3] == ["register request", "examine thoroughly", "check ticket"]
    assert "not-me" not in set(dataset["staff"]["staff_id"])
