"""The importer's CSV files (``handover load --import``), read back as the importer reads them:
typed headers, one data file per table, every value quoted, a missing value as an empty field."""

from __future__ import annotations

import datetime as dt

from handover.engines.neo4j.importcsv import write_import_files
from handover.engines.neo4j.rows import table_rows
from handover.examples import typed_frame
from handover.model import Dataset


def _dataset() -> Dataset:
    return Dataset({
        "agencies": typed_frame("agencies", [("a1", 'NAV "Øst", 2', "nav_office", "municipal", None),
                                             ("a2", "", "gp", "municipal", "0301")]),
        "staff": typed_frame("staff", [("s1", "nurse")]),
        "users": typed_frame("users", [("007", 1980, None), ("u2", None, "0301")]),
        "responsibilities": typed_frame("responsibilities", [
            ("007", "s1", "a1", "coordinator", "2024-01-01", None, None),
            ("007", "s2", "a2", "gp", "2024-01-01", "2024-02-01", "moved")]),
    }, source="made-up")


def test_each_table_is_written_once_and_read_through_its_headers(tmp_path):
    files = write_import_files(_dataset(), tmp_path, {"fingerprint": "ab", "complete": False})
    assert files.arguments()[:2] == [
        f"--nodes=Agency={tmp_path / 'agencies.header.csv'},{tmp_path / 'agencies.csv'}",
        f"--nodes=Staff={tmp_path / 'staff.header.csv'},{tmp_path / 'staff.csv'}",
    ]
    assert (tmp_path / "agencies.csv").read_text(encoding="utf-8") == (
        '"a1","NAV ""Øst"", 2","nav_office","municipal",\n'
        '"a2","","gp","municipal","0301"\n')
    # Ids stay text: 007 is quoted and typed as a string id.
    assert (tmp_path / "users.header.csv").read_text() == "user_id:ID(ServiceUser),birth_year:long,municipality\n"
    assert (tmp_path / "users.csv").read_text() == '"007","1980",\n"u2",,"0301"\n'
    header = (tmp_path / "responsibilities.responsible_for.header.csv").read_text()
    # end_key: the end, or the far-future sentinel for an open end, so a range index covers both.
    assert header == (":END_ID(ServiceUser),:START_ID(Staff),agency_id,role,start:date,end:date,reason,row_key,"
                      "end_key:date\n")
    first, second = (tmp_path / "responsibilities.csv").read_text().splitlines()
    keys = [row["row_key"] for row in table_rows(_dataset(), "responsibilities")]
    assert first == f'"007","s1","a1","coordinator","2024-01-01",,,"{keys[0]}","9999-12-31"'
    assert second == f'"007","s2","a2","gp","2024-01-01","2024-02-01","moved","{keys[1]}","2024-02-01"'
    assert not files.multiline
    assert files.rows == 7


def test_staff_named_only_elsewhere_become_staff_nodes(tmp_path):
    files = write_import_files(_dataset(), tmp_path, {"fingerprint": "ab"})
    staff = [paths for label, paths in files.nodes if label == "Staff"]
    assert [p.name for p in staff[1]] == ["staff-named.header.csv", "staff-named.csv"]
    assert (tmp_path / "staff-named.csv").read_text() == '"s2"\n'


def test_the_marker_is_one_node_with_typed_properties(tmp_path):
    marker = {"fingerprint": "ab", "complete": False, "rows": [2, 1], "tables": ["agencies", "users"],
              "latest_date": dt.date(2024, 2, 1), "loaded_at": dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc),
              "focus": ["a;1"], "source": None}
    files = write_import_files(_dataset(), tmp_path, marker)
    assert files.array_delimiter == "|"  # an item holds the usual ";"
    assert (tmp_path / "marker.header.csv").read_text() == (
        "fingerprint:string,complete:boolean,rows:long[],tables:string[],latest_date:date,"
        "loaded_at:datetime,focus:string[]\n")
    assert (tmp_path / "marker.csv").read_text() == (
        '"ab",false,2|1,"agencies|users",2024-02-01,2026-01-02T03:04:05+00:00,"a;1"\n')


def test_a_line_break_in_a_text_is_noticed(tmp_path):
    ds = _dataset()
    agencies = ds["agencies"].copy()
    agencies.loc[0, "name"] = "two\nlines"
    files = write_import_files(Dataset({**ds.tables, "agencies": agencies}), tmp_path, {})
    assert files.multiline
