"""Reading and validating a dataset folder (DESIGN §3): every rule, as a user sees it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from handover.errors import DatasetError, InputError
from handover.io import read_dataset, validate_dataset
from handover.model import TABLES

VALID = {
    "agencies": (
        "agency_id,name,kind,level,municipality\n"
        "A1,NAV Bergen,nav_office,municipal,Bergen\n"
        "A2,DPS Bjørgvin,dps,specialist,\n"
    ),
    "services": (
        "service_id,agency_id,name,kind\n"
        "S1,A2,Døgnpost,inpatient\n"
        "S2,A1,Oppfølging,outpatient\n"
    ),
    "staff": "staff_id,profession\ns1,sosionom\ns2,\n",
    "employments": "staff_id,agency_id,start,end\ns1,A1,2020-01-01,\ns2,A2,2021-06-01,2024-01-01\n",
    "users": "user_id,birth_year,municipality\n007,1980,Bergen\nu2,,\n",
    "responsibilities": (
        "user_id,staff_id,agency_id,role,start,end,reason\n"
        "007,s1,A1,coordinator,2024-01-05,2024-03-01,\n"
        "u2,s2,A2,caseworker,2024-02-01,,flyttet\n"
    ),
    "plans": (
        "plan_id,user_id,agency_id,kind,start,end,last_revised\n"
        "P1,007,A1,individual_plan,2023-01-01,,2023-06-01\n"
    ),
    "episodes": (
        "episode_id,user_id,service_id,start,end,discharge_kind\n"
        "E1,007,S1,2024-01-10,2024-02-01,planned\n"
        "E2,007,S2,2024-02-03,,\n"
    ),
    "contacts": (
        "contact_id,user_id,agency_id,date,kind,service_id,staff_id\n"
        "C1,007,A1,2024-02-05,visit,S2,s1\n"
        "C2,u2,A2,2024-02-06,,,\n"
    ),
}
MINIMAL = ("agencies", "users", "responsibilities")


def make_dataset(folder: Path, tables=MINIMAL, **replaced: str) -> Path:
    """Write the valid tables named in ``tables``, with some replaced by other text."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in tables:
        (folder / f"{name}.csv").write_text(VALID[name], encoding="utf-8")
    for name, text in replaced.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


def problems(folder: Path, **options) -> list[str]:
    return [str(v) for v in validate_dataset(folder, **options)]


def responsibilities(*rows: str) -> str:
    return "user_id,staff_id,agency_id,role,start,end,reason\n" + "".join(r + "\n" for r in rows)


# --- a valid dataset --------------------------------------------------------------------


def test_valid_dataset_has_no_problems_and_reads_every_table(tmp_path):
    folder = make_dataset(tmp_path, tables=VALID)
    assert validate_dataset(folder) == []
    ds = read_dataset(folder)
    assert set(ds.tables) == set(VALID)
    assert ds.source == str(folder)
    assert ds["contacts"]["contact_id"].tolist() == ["C1", "C2"]


def test_frames_have_exactly_the_contract_columns_and_dtypes(tmp_path):
    folder = make_dataset(tmp_path, users="user_id,extra\n007,ignored\nu2,\n")
    ds = read_dataset(folder)
    users = ds["users"]
    assert list(users.columns) == list(TABLES["users"].column_names)  # extra dropped
    assert str(users["birth_year"].dtype) == "Int64" and users["birth_year"].isna().all()
    assert users["municipality"].tolist() == [None, None]  # optional column absent → missing
    resp = ds["responsibilities"]
    assert resp["start"].dtype == "datetime64[ns]" and resp["end"].dtype == "datetime64[ns]"
    assert resp["user_id"].dtype == object
    assert resp["end"].isna().tolist() == [False, True]
    assert resp["reason"].tolist() == [None, "flyttet"]
    assert all(type(v) is str for v in resp["role"])


def test_birth_year_is_a_nullable_integer(tmp_path):
    ds = read_dataset(make_dataset(tmp_path))
    assert ds["users"]["birth_year"].tolist()[0] == 1980
    assert ds["users"]["birth_year"].isna().tolist() == [False, True]


def test_ids_stay_strings_with_leading_zeros_and_na_is_text(tmp_path):
    folder = make_dataset(
        tmp_path,
        users="user_id,municipality\n007,NA\n0042,\n",
        responsibilities=responsibilities("007,NA,A1,coordinator,2024-01-05,,",
                                          "0042,s2,A1,caseworker,2024-01-05,,"),
    )
    ds = read_dataset(folder)
    assert ds["users"]["user_id"].tolist() == ["007", "0042"]
    assert ds["users"]["municipality"].tolist() == ["NA", None]
    assert ds["responsibilities"]["staff_id"].tolist() == ["NA", "s2"]


def test_whitespace_is_stripped_and_blank_means_missing(tmp_path):
    folder = make_dataset(tmp_path, responsibilities=responsibilities(
        " 007 , s1 ,A1, coordinator ,2024-01-05 ,   , ",
    ))
    resp = read_dataset(folder)["responsibilities"]
    assert resp.iloc[0][["user_id", "staff_id", "role"]].tolist() == ["007", "s1", "coordinator"]
    assert pd.isna(resp["end"].iloc[0]) and resp["reason"].iloc[0] is None


def test_datetimes_are_truncated_to_their_date(tmp_path):
    folder = make_dataset(tmp_path, responsibilities=responsibilities(
        "007,s1,A1,coordinator,2024-01-05T13:45:00,2024-02-01 08:30,",
        "007,s1,A1,coordinator,2024-01-05T13:45:00.123+01:00,2024-02-01T23:59:59Z,",
    ))
    resp = read_dataset(folder)["responsibilities"]
    assert resp["start"].tolist() == [pd.Timestamp("2024-01-05")] * 2
    assert resp["end"].tolist() == [pd.Timestamp("2024-02-01")] * 2


def test_header_only_file_is_an_empty_table(tmp_path):
    folder = make_dataset(tmp_path, tables=(*MINIMAL, "plans"),
                          plans="plan_id,user_id,agency_id,kind,start\n")
    plans = read_dataset(folder)["plans"]
    assert len(plans) == 0 and list(plans.columns) == list(TABLES["plans"].column_names)


# --- encodings and separators -----------------------------------------------------------


def test_utf8_byte_order_mark_is_accepted(tmp_path):
    folder = make_dataset(tmp_path)
    (folder / "users.csv").write_bytes(b"\xef\xbb\xbf" + VALID["users"].encode())
    assert read_dataset(folder)["users"]["user_id"].tolist() == ["007", "u2"]


def test_semicolon_separated_files_read_with_sep(tmp_path):
    folder = make_dataset(tmp_path, **{name: VALID[name].replace(",", ";") for name in MINIMAL})
    ds = read_dataset(folder, sep=";")
    assert ds["agencies"]["kind"].tolist() == ["nav_office", "dps"]


def test_semicolon_file_without_sep_gets_one_hint(tmp_path):
    folder = make_dataset(tmp_path, agencies=VALID["agencies"].replace(",", ";"))
    assert problems(folder) == [
        "agencies.csv line 1: a header with a single column "
        "'agency_id;name;kind;level;municipality': the file looks ';'-separated; "
        "pass --sep ';'"
    ]


def test_cp1252_reads_with_encoding_and_hints_without(tmp_path):
    folder = make_dataset(tmp_path)
    (folder / "agencies.csv").write_bytes(VALID["agencies"].encode("cp1252"))
    names = read_dataset(folder, encoding="cp1252")["agencies"]["name"].tolist()
    assert names == ["NAV Bergen", "DPS Bjørgvin"]
    assert problems(folder) == [
        "agencies.csv line 3: not valid utf-8 text (byte 0xf8); Norwegian Excel exports "
        "are often cp1252: pass --encoding cp1252"
    ]


# --- the folder and its files -----------------------------------------------------------


def test_missing_folder_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="dataset folder not found: .*nowhere"):
        read_dataset(tmp_path / "nowhere")


def test_a_file_instead_of_a_folder_is_an_input_error(tmp_path):
    file = tmp_path / "agencies.csv"
    file.write_text(VALID["agencies"])
    with pytest.raises(InputError, match="not a folder: .*agencies.csv"):
        validate_dataset(file)


def test_unusable_options_are_input_errors(tmp_path):
    folder = make_dataset(tmp_path)
    with pytest.raises(InputError, match="unknown encoding 'latin-99'"):
        read_dataset(folder, encoding="latin-99")
    with pytest.raises(InputError, match="one character"):
        read_dataset(folder, sep=";;")


def test_missing_required_tables_name_the_expected_files(tmp_path):
    folder = make_dataset(tmp_path, tables=("agencies",))
    (folder / "notes.txt").write_text("ignored")
    # What was found and not used is named: an export saved under another name is seen at once.
    assert problems(folder) == [
        "responsibilities.csv: not found in the folder; every dataset needs "
        "responsibilities.csv or responsibilities.parquet (or responsibilities.xlsx, or a sheet "
        "responsibilities in a workbook); found and not used: notes.txt",
        "users.csv: not found in the folder; every dataset needs users.csv or users.parquet "
        "(or users.xlsx, or a sheet users in a workbook); found and not used: notes.txt",
    ]


def test_csv_and_parquet_of_one_table_conflict(tmp_path):
    folder = make_dataset(tmp_path)
    read_dataset(folder)["users"].to_parquet(folder / "users.parquet")
    assert problems(folder) == [
        "users.csv: present together with users.parquet; keep only one of them"
    ]


def test_empty_file_is_reported(tmp_path):
    folder = make_dataset(tmp_path, users="")
    assert problems(folder) == [
        "users.csv: empty; expected a header row with the columns user_id, birth_year, municipality"
    ]


def test_binary_file_is_reported_not_raised(tmp_path):
    folder = make_dataset(tmp_path)
    (folder / "users.csv").write_bytes(bytes(range(256)) * 4)
    assert problems(folder) == [
        "users.csv: not a CSV text file: it holds binary data, such as an Excel workbook; "
        "save the sheet as CSV"
    ]


def test_broken_parquet_is_reported_not_raised(tmp_path):
    folder = make_dataset(tmp_path, tables=("agencies", "responsibilities"))
    (folder / "users.parquet").write_bytes(b"PAR1 not really")
    [problem] = problems(folder)
    assert problem.startswith("users.parquet: not a readable Parquet file (")


def test_row_with_too_many_values_names_its_line(tmp_path):
    folder = make_dataset(tmp_path, users=(
        "user_id,birth_year,municipality\n007,1980,Bergen\nu2,1990,Os,Hordaland\n"))
    assert problems(folder) == [
        "users.csv line 3: a row with 4 values where the header has 3 columns "
        "(put quotes around values that contain ',')"
    ]


# --- the header -------------------------------------------------------------------------


def test_missing_required_column_lists_the_columns_found(tmp_path):
    folder = make_dataset(tmp_path, agencies="agency_id,name,level\nA1,NAV Bergen,municipal\n")
    assert "agencies.csv line 1, column kind: missing, but the column is required "\
        "(found: agency_id, name, level)" in problems(folder)


def test_duplicate_column_names_are_reported(tmp_path):
    folder = make_dataset(tmp_path, users="user_id,birth_year,birth_year\n007,1980,1981\nu2,,\n")
    assert problems(folder) == [
        "users.csv line 1, column birth_year: named 2 times in the header; keep only one"
    ]


def test_unnamed_padding_columns_from_excel_are_ignored(tmp_path):
    folder = make_dataset(tmp_path, users="user_id,birth_year,,\n007,1980,,\nu2,,,\n")
    assert problems(folder) == []


# --- values -----------------------------------------------------------------------------


def test_empty_required_value_is_reported(tmp_path):
    folder = make_dataset(tmp_path, responsibilities=responsibilities(
        "007,s1,A1,coordinator,2024-01-05,,", "u2,  ,A1,caseworker,2024-01-05,,"))
    assert problems(folder) == [
        "responsibilities.csv line 3, column staff_id: empty, but the column is required"
    ]


def test_vocabulary_value_outside_the_list_names_the_allowed_values(tmp_path):
    folder = make_dataset(tmp_path, responsibilities=responsibilities(
        "007,s1,A1,koordinator,2024-01-05,,", "007,s1,A1,Coordinator,2024-01-05,,"))
    allowed = "coordinator, caseworker, contact, therapist, gp, housing_support, other"
    assert problems(folder) == [
        f"responsibilities.csv line 2, column role: koordinator is not one of: {allowed}",
        f"responsibilities.csv line 3, column role: Coordinator is not one of: {allowed} "
        "(the values are lower-case)",
    ]


@pytest.mark.parametrize(("value", "rule"), [
    ("2024-02-30", "not a date (YYYY-MM-DD)"),
    ("2024-1-5", "not a date (YYYY-MM-DD)"),
    ("05/01/2024", "not a date (YYYY-MM-DD)"),
    ("31.12.2024", "not a date (YYYY-MM-DD; this looks like DD.MM.YYYY: pass --date-format DD.MM.YYYY)"),
    ("9999-12-31", "outside the dates handover can hold (1678 to 2261; "
                   "leave end empty for an interval that is still ongoing)"),
])
def test_bad_dates_are_reported_with_the_expected_format(tmp_path, value, rule):
    folder = make_dataset(tmp_path, responsibilities=responsibilities(
        "007,s1,A1,coordinator,2024-01-05,,", f"007,s1,A1,coordinator,2024-01-05,{value},"))
    assert problems(folder) == [f"responsibilities.csv line 3, column end: {value} is {rule}"]


def test_end_before_start_is_reported_on_end_and_equal_is_allowed(tmp_path):
    folder = make_dataset(tmp_path, responsibilities=responsibilities(
        "007,s1,A1,coordinator,2024-03-01,2024-03-01,",
        "007,s1,A1,coordinator,2024-03-01,2024-02-28,"))
    assert problems(folder) == [
        "responsibilities.csv line 3, column end: 2024-02-28 is before start 2024-03-01 "
        "(end must not be before start)"
    ]


@pytest.mark.parametrize("year", ["1850", "19x5", "1985.5", "2101"])
def test_birth_year_must_be_a_plausible_whole_year(tmp_path, year):
    folder = make_dataset(tmp_path, users=f"user_id,birth_year\n007,{year}\nu2,2000\n")
    assert problems(folder) == [
        f"users.csv line 2, column birth_year: {year} is not a whole number between 1900 and 2100"
    ]


def test_duplicate_primary_keys_name_the_first_line(tmp_path):
    folder = make_dataset(tmp_path, agencies=(
        "agency_id,name,kind,level\nA1,NAV Bergen,nav_office,municipal\n"
        "A2,DPS,dps,specialist\n A1 ,NAV Os,nav_office,municipal\nA1,NAV,nav_office,municipal\n"))
    assert problems(folder) == [
        "agencies.csv line 4, column agency_id: A1 is a duplicate agency_id (first on line 2)",
        "agencies.csv line 5, column agency_id: A1 is a duplicate agency_id (first on line 2)",
    ]


def test_unknown_references_are_reported_but_not_empty_ones_twice(tmp_path):
    folder = make_dataset(tmp_path, responsibilities=responsibilities(
        "007,s1,A9,coordinator,2024-01-05,,", "u3,s1,,coordinator,2024-01-05,,"))
    assert problems(folder) == [
        "responsibilities.csv line 2, column agency_id: A9 is not a known agency_id "
        "(not in agencies.csv)",
        "responsibilities.csv line 3, column agency_id: empty, but the column is required",
        "responsibilities.csv line 3, column user_id: u3 is not a known user_id (not in users.csv)",
    ]


def test_staff_ids_are_unchecked_without_staff_and_checked_with_it(tmp_path):
    rows = responsibilities("007,s99,A1,coordinator,2024-01-05,,")
    assert problems(make_dataset(tmp_path / "a", responsibilities=rows)) == []
    folder = make_dataset(tmp_path / "b", tables=(*MINIMAL, "staff"), responsibilities=rows)
    assert problems(folder) == [
        "responsibilities.csv line 2, column staff_id: s99 is not a known staff_id "
        "(not in staff.csv)"
    ]


def test_episodes_without_services_get_one_file_level_problem(tmp_path):
    folder = make_dataset(tmp_path, tables=(*MINIMAL, "episodes", "contacts"))
    assert problems(folder) == [
        "contacts.csv column service_id: filled in on 1 rows, but the folder has no "
        "services.csv or services.parquet, which contacts that name a service need",
        "episodes.csv column service_id: filled in on 2 rows, but the folder has no "
        "services.csv or services.parquet, which episodes that name a service need",
    ]


def test_ambiguous_services_file_is_not_reported_as_missing(tmp_path):
    folder = make_dataset(tmp_path, tables=(*MINIMAL, "episodes", "services"))
    (folder / "services.parquet").write_bytes(b"")
    assert problems(folder) == [
        "services.csv: present together with services.parquet; keep only one of them"
    ]


def test_contacts_without_a_service_need_no_services(tmp_path):
    folder = make_dataset(tmp_path, tables=(*MINIMAL, "contacts"),
                          contacts="contact_id,user_id,agency_id,date\nC1,007,A1,2024-02-05\n")
    assert problems(folder) == []


def test_text_values_never_appear_in_messages(tmp_path):
    folder = make_dataset(tmp_path, agencies=(
        "agency_id,name,kind,level,municipality\n"
        "A1,Ola Nordmann,nav_offise,municipal,Hemmeligvik\n"
        "A1,Ola Nordmann,nav_office,kommune,Hemmeligvik\n"))
    report = "\n".join(problems(folder))
    assert "nav_offise" in report and "kommune" in report and "duplicate agency_id" in report
    assert "Ola Nordmann" not in report and "Hemmeligvik" not in report


# --- line numbers -----------------------------------------------------------------------


def test_line_numbers_count_embedded_newlines_and_blank_lines(tmp_path):
    folder = make_dataset(tmp_path, responsibilities=(
        "user_id,staff_id,agency_id,role,start,end,reason\n"
        '007,s1,A1,coordinator,2024-01-05,,"moved\nto Os"\n'
        "\n"
        "007,s1,A1,coordinator,2024-01-05,2024-13-01,\n"))
    assert problems(folder) == [
        "responsibilities.csv line 5, column end: 2024-13-01 is not a date (YYYY-MM-DD)"
    ]


def test_values_may_hold_line_breaks(tmp_path):
    folder = make_dataset(tmp_path, responsibilities=responsibilities(
        '007,s1,A1,coordinator,2024-01-05,,"moved\nto Os"'))
    assert read_dataset(folder)["responsibilities"]["reason"].tolist() == ["moved\nto Os"]


# --- Parquet ----------------------------------------------------------------------------


def test_parquet_round_trip_gives_the_same_dataset(tmp_path):
    from_csv = read_dataset(make_dataset(tmp_path / "csv", tables=VALID))
    parquet_folder = tmp_path / "parquet"
    parquet_folder.mkdir()
    for name, frame in from_csv.tables.items():
        frame.to_parquet(parquet_folder / f"{name}.parquet")
    from_parquet = read_dataset(parquet_folder)
    assert set(from_parquet.tables) == set(from_csv.tables)
    for name in from_csv.tables:
        pd.testing.assert_frame_equal(from_parquet[name], from_csv[name])


def test_parquet_numbers_and_timestamps_become_ids_and_dates(tmp_path):
    folder = make_dataset(tmp_path, tables=("agencies", "responsibilities"))
    users = pd.DataFrame({"user_id": [7, 8], "birth_year": [1980.0, None]})
    users.to_parquet(folder / "users.parquet")
    folder.joinpath("responsibilities.csv").unlink()
    pd.DataFrame({
        "user_id": ["7"], "staff_id": ["s1"], "agency_id": ["A1"], "role": ["coordinator"],
        "start": [pd.Timestamp("2024-01-05 13:45")], "end": [pd.NaT],
    }).to_parquet(folder / "responsibilities.parquet")
    ds = read_dataset(folder)
    assert ds["users"]["user_id"].tolist() == ["7", "8"]
    assert ds["users"]["birth_year"].tolist()[0] == 1980
    assert ds["responsibilities"]["start"].tolist() == [pd.Timestamp("2024-01-05")]


def test_parquet_problems_name_rows(tmp_path):
    folder = make_dataset(tmp_path, tables=("agencies", "responsibilities"))
    pd.DataFrame({"user_id": ["007", "u2", "007"]}).to_parquet(folder / "users.parquet")
    assert problems(folder) == [
        "users.parquet row 3, column user_id: 007 is a duplicate user_id (first on row 1)"
    ]


# --- the whole report -------------------------------------------------------------------


def test_every_problem_is_reported_at_once(tmp_path):
    folder = make_dataset(
        tmp_path,
        agencies="agency_id,name,kind,level\nA1,NAV Bergen,nav,municipal\n",
        users="user_id,birth_year\n007,1800\n",
        responsibilities=responsibilities("007,s1,A1,coordinator,31.12.2024,,"),
    )
    with pytest.raises(DatasetError) as raised:
        read_dataset(folder)
    message = str(raised.value)
    assert message.startswith("3 problems in the dataset:\n")
    assert "agencies.csv line 2, column kind: nav is not one of:" in message
    assert "users.csv line 2, column birth_year: 1800 is not a whole number" in message
    assert "responsibilities.csv line 2, column start: 31.12.2024 is not a date" in message
    assert len(raised.value.violations) == 3


def test_many_bad_rows_are_capped_with_a_count(tmp_path):
    rows = [f"007,s1,A1,coordinator,2024-01-{day:02d},{day:02d}.02.2024," for day in range(1, 31)]
    folder = make_dataset(tmp_path, responsibilities=responsibilities(*rows))
    found = problems(folder)
    assert len(found) == 21
    assert found[0] == ("responsibilities.csv line 2, column end: 01.02.2024 is not a date "
                        "(YYYY-MM-DD; this looks like DD.MM.YYYY: pass --date-format DD.MM.YYYY)")
    assert found[-1] == ("responsibilities.csv line 22, column end: ... and 10 more rows "
                         "from here on with the same problem (not a date)")


def test_rows_of_bare_separators_from_excel_are_skipped(tmp_path):
    semicolons = {name: VALID[name].replace(",", ";") for name in ("agencies", "responsibilities")}
    folder = make_dataset(tmp_path, users="user_id;birth_year\n007;1980\nu2;\n;\n ; \n",
                          **semicolons)
    assert read_dataset(folder, sep=";")["users"]["user_id"].tolist() == ["007", "u2"]


def test_utf16_text_gets_an_encoding_hint_and_reads_with_it(tmp_path):
    folder = make_dataset(tmp_path)
    for name in MINIMAL:
        (folder / f"{name}.csv").write_bytes(VALID[name].encode("utf-16"))
    assert problems(folder) == [
        f"{name}.csv: not a CSV text file: it looks like UTF-16 text (Excel's 'Unicode text'); "
        "pass --encoding utf-16" for name in sorted(MINIMAL)
    ]
    assert read_dataset(folder, encoding="utf-16")["users"]["user_id"].tolist() == ["007", "u2"]


def test_parquet_nan_is_missing(tmp_path):
    folder = make_dataset(tmp_path, tables=("agencies", "responsibilities"))
    pq.write_table(pa.table({"user_id": ["007", "u2"], "birth_year": [1980.0, float("nan")]}),
                   folder / "users.parquet")
    assert read_dataset(folder)["users"]["birth_year"].isna().tolist() == [False, True]


def test_a_file_without_header_row_does_not_echo_its_first_row(tmp_path):
    folder = make_dataset(tmp_path, users="007,1980,Hemmeligvik\nu2,,\n")
    report = problems(folder)
    assert "users.csv line 1, column user_id: missing, but the column is required (found none "\
        "of the table's columns; does the file lack its header row?)" in report
    assert not any("Hemmeligvik" in problem for problem in report)


def test_first_row_with_too_many_values_is_reported_not_truncated(tmp_path):
    folder = make_dataset(tmp_path, users="user_id,birth_year\n007,1980,Bergen\nu2,\n")
    assert problems(folder) == [
        "users.csv line 2: a row with 3 values where the header has 2 columns "
        "(put quotes around values that contain ',')"
    ]


def test_separator_hint_does_not_echo_a_first_line_of_data(tmp_path):
    folder = make_dataset(tmp_path, users="007;1980;Hemmeligvik\nu2;;\n")
    assert problems(folder) == [
        "users.csv line 1: a header with a single column: the file looks ';'-separated; "
        "pass --sep ';'"
    ]
