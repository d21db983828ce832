"""Bad exports and bad mappings: exit 2, with the file (and sheet), row, header and value.

Each case starts from the Norwegian export fixture (or a small workbook made here with
openpyxl), breaks one thing an analyst really meets, and runs `handover validate` as a
user would. The message must name the place in the export's own terms, say what rule
was broken, and never show a traceback.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from handover.cli import app
from tests.datasets import FIXTURES, write_dataset
from handover.examples import tiny_dataset

EXPORT = FIXTURES / "norwegian-export"
runner = CliRunner()


def validate(*args) -> tuple[int, str]:
    result = runner.invoke(app, ["validate", *(str(a) for a in args)])
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr


@pytest.fixture
def export(tmp_path) -> Path:
    """A copy of the CSV variant of the export, and its mapping, to break."""
    folder = tmp_path / "export"
    shutil.copytree(EXPORT / "csv", folder)
    shutil.copy(EXPORT / "mapping.toml", tmp_path / "mapping.toml")
    return folder


def csv_options(folder: Path) -> list[str]:
    return ["--mapping", folder.parent / "mapping.toml", "--sep", ";", "--encoding", "cp1252"]


def edit(path: Path, old: str, new: str, encoding: str = "cp1252") -> None:
    text = path.read_text(encoding=encoding)
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding=encoding, newline="")


def test_a_mapping_naming_a_header_the_export_lacks_lists_the_headers(export):
    edit(export.parent / "mapping.toml", '[responsibilities.columns]\nuser_id = "BrukerID"',
         '[responsibilities.columns]\nuser_id = "Bruker-ID"', "utf-8")
    code, said = validate(export, *csv_options(export))
    assert code == 2
    assert ("Ansvar.csv line 1, column Bruker-ID: not in the header, but mapping.toml maps "
            "responsibilities.user_id to it (in [responsibilities.columns]; the headers are: BrukerID, ") in said


def test_a_value_without_a_mapping_names_the_row_header_value_and_the_known_ones(export):
    edit(export / "Ansvar.csv", ";Saksbehandler;", ";Miljøterapeut;")
    code, said = validate(export, *csv_options(export))
    assert code == 2
    line = next(line for line in said.splitlines() if "Miljøterapeut" in line)
    assert line.strip().startswith("Ansvar.csv line ") and ", column Rolle: Miljøterapeut is not one of: coordinator" in line
    assert "mapping.toml [responsibilities.values.role] has no mapping for it (it maps: Koordinator, " in line


def test_a_wrong_contract_value_in_the_mapping_is_refused_before_reading(export):
    edit(export.parent / "mapping.toml", '"Koordinator" = "coordinator"', '"Koordinator" = "koordinator"', "utf-8")
    code, said = validate(export, *csv_options(export))
    assert code == 2
    assert "mapping.toml has 1 problem:" in said
    assert "[responsibilities.values.role] 'Koordinator' = 'koordinator': koordinator is not one of: coordinator" in said


def test_a_mapping_naming_an_unknown_table_or_column_lists_the_known_ones(export):
    path = export.parent / "mapping.toml"
    edit(path, 'birth_year = "Fødselsår"', 'birthyear = "Fødselsår"', "utf-8")
    path.write_text(path.read_text(encoding="utf-8") + '\n[clients]\nsource = "Klienter"\n', encoding="utf-8")
    code, said = validate(export, *csv_options(export))
    assert code == 2
    assert "mapping.toml has 2 problems:" in said
    assert "[users.columns] birthyear: not a column of users; its columns are: user_id, birth_year, municipality" in said
    assert "[clients] is not a table of the contract; the tables are: agencies, services" in said


def test_dates_in_the_wrong_format_name_the_format_and_the_way_out(export):
    code, said = validate(export, "--mapping", export.parent / "mapping.toml", "--sep", ";", "--encoding",
                          "cp1252", "--date-format", "YYYY-MM-DD")
    assert code == 2
    assert ("Ansvar.csv line 2, column Fra: 01.06.2022 is not a date (YYYY-MM-DD; this looks like DD.MM.YYYY: "
            "pass --date-format DD.MM.YYYY (or date_format in mapping.toml))") in said


def test_an_ambiguous_date_column_is_refused_with_two_readings_of_one_value(tmp_path):
    folder = write_dataset(tiny_dataset(), tmp_path / "data")
    edit(folder / "responsibilities.csv", "2024-01-01", "01/02/2024", "utf-8")
    edit(folder / "responsibilities.csv", "2024-02-01", "03/04/2024", "utf-8")
    code, said = validate(folder, "--date-format", "auto")
    assert code == 2
    assert ("responsibilities.csv column start: dates that read two ways, such as 01/02/2024 (2024-02-01 "
            "as DD/MM/YYYY, 2024-01-02 as MM/DD/YYYY); say which with --date-format") in said


def test_auto_reads_a_column_whose_dates_tell_their_format(tmp_path):
    folder = write_dataset(tiny_dataset(), tmp_path / "data")
    edit(folder / "responsibilities.csv", "2024-01-01", "13/01/2024", "utf-8")  # only DD/MM reads 13
    edit(folder / "responsibilities.csv", "2024-02-01", "29/02/2024", "utf-8")  # the first end
    code, said = validate(folder, "--date-format", "auto")
    assert code == 0, said


def test_a_file_named_xlsx_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "eksport.xlsx"
    path.write_text("BrukerID;Rolle\nu1;Koordinator\n", encoding="utf-8")
    code, said = validate(path)
    assert code == 2
    assert "eksport.xlsx: not an Excel workbook (.xlsx is a ZIP file; this is not one)" in said


def test_a_password_protected_workbook(tmp_path):
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    with open(EXPORT / "eksport.xlsx", "rb") as plain:
        OOXMLFile(plain).encrypt("hemmelig-passord", out)
    path = tmp_path / "eksport.xlsx"
    path.write_bytes(out.getvalue())
    code, said = validate(path, "--mapping", EXPORT / "mapping.toml")
    assert code == 2
    assert "eksport.xlsx: a password-protected (encrypted) workbook, which handover cannot open" in said


def _workbook(tmp_path: Path, users_rows: list[list], merge: str | None = None) -> Path:
    """A small workbook in the contract's names: agencies, users (the rows given), responsibilities."""
    book = openpyxl.Workbook()
    agencies = book.active
    agencies.title = "agencies"
    agencies.append(["agency_id", "name", "kind", "level"])
    agencies.append(["a1", "NAV Sentrum", "nav_office", "municipal"])
    users = book.create_sheet("Users")  # sheet names match without regard to case
    for row in users_rows:
        users.append(row)
    if merge:
        users.merge_cells(merge)
    responsibilities = book.create_sheet("RESPONSIBILITIES")
    responsibilities.append(["user_id", "staff_id", "agency_id", "role", "start", "end"])
    responsibilities.append(["007", "st1", "a1", "coordinator", dt.date(2024, 1, 5), None])
    path = tmp_path / "data.xlsx"
    book.save(path)
    return path


def test_a_workbook_reads_ids_as_text_and_date_cells_as_dates(tmp_path):
    from handover.io import read_dataset

    path = _workbook(tmp_path, [["user_id", "birth_year"], ["007", 1980], [7, 1975]])
    dataset = read_dataset(path)
    assert dataset["users"]["user_id"].tolist() == ["007", "7"]
    assert dataset["users"]["birth_year"].tolist() == [1980, 1975]
    assert str(dataset["responsibilities"]["start"].iloc[0].date()) == "2024-01-05"


def test_a_formula_with_a_saved_result_is_read_and_one_without_is_refused(tmp_path):
    path = _workbook(tmp_path, [["user_id", "birth_year"], ["u1", "=1970+10"]])
    code, said = validate(path)  # openpyxl saves no result for a formula
    assert code == 2
    assert ("data.xlsx, sheet Users, row 2, column birth_year: holds a formula without a saved result "
            "(cell B2); open the workbook in Excel and save it") in said
    assert "never calculates" in said


def test_a_merged_header_names_its_cells(tmp_path):
    path = _workbook(tmp_path, [["Periode", None, "user_id"], ["birth_year", "x", "user_id"], [1980, 1, "u1"]],
                     merge="A1:B1")
    code, said = validate(path)
    assert code == 2
    assert ("data.xlsx, sheet Users, row 1: the header has merged cells (A1:B1); unmerge them so that every "
            "column has a header of its own") in said


def test_a_bad_value_in_a_workbook_names_sheet_row_header_and_value(tmp_path):
    path = _workbook(tmp_path, [["user_id", "birth_year"], ["u1", "nitten åtti"], ["007", 1975]])
    code, said = validate(path)
    assert code == 2
    assert "data.xlsx, sheet Users, row 2, column birth_year: not a whole number between 1900 and 2100" in said
    assert "nitten åtti" not in said  # words in a year are free text shifted in: never echoed


def test_a_missing_required_sheet_lists_the_sheets_found(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Ark1"
    book.create_sheet("Brukere").append(["BrukerID"])
    path = tmp_path / "x.xlsx"
    book.save(path)
    code, said = validate(path)
    assert code == 2
    assert "x.xlsx: has no sheet users, which every dataset needs" in said
    assert "found and not used: sheet Ark1, sheet Brukere" in said


def test_a_real_process_refuses_a_bad_mapping_with_exit_2_and_no_traceback(export):
    edit(export.parent / "mapping.toml", 'role = "Rolle"', 'role = "Roller"', "utf-8")
    done = subprocess.run([sys.executable, "-m", "handover.cli", "validate", str(export),
                           *(str(a) for a in csv_options(export))], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "column Roller: not in the header" in done.stderr
