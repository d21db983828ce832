"""Readers with bounds (issue 17 item 3): past a documented limit, a quick exit 2 naming the place and the limit.

The hostile files are made here, in ``tmp_path``; the limits are those of
:mod:`handover.io.limits`, which ``docs/data.md`` states to users.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from handover.cli import app
from handover.io import limits
from handover.io.xlsxfile import _column_letters
from handover.model import TABLES, ColumnKind
from handover.privacy.pseudonyms import KEY_BYTES, KEY_FILE_BYTES
from tests.badinput.corpus import base_dataset, write_base
from tests.datasets import write_dataset
from tests.eventlog.logs import RUNNING_EXAMPLE, write_xes_text, xes_text
from tests.fhir.helpers import write_ndjson
from tests.fhir.test_bad_input import base as fhir_base

runner = CliRunner()


def validate(folder: Path, *options: str):
    return runner.invoke(app, ["validate", str(folder), *options])


def assert_refused(result, *fragments: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.stderr[:2000], result.exception)
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, (fragment, result.stderr[:2000])
    assert len(result.stderr) < 5000


# --- the header ---------------------------------------------------------------------------


def test_a_header_of_20000_repeated_names_is_refused_as_too_long(tmp_path):
    # 20,000 x "staff_id," is 180,000 characters: past the 64 KiB a header line may have.
    folder = write_base(tmp_path / "data")
    (folder / "staff.csv").write_text(",".join(["staff_id"] * 20_000) + "\n", encoding="utf-8")
    result = validate(folder)
    assert_refused(result, "staff.csv line 1: a header line longer than 64 KiB (65,536 characters), "
                           "the limit for a header")
    assert "staff_id,staff_id" not in result.stderr


def test_a_header_of_more_than_1000_columns_is_refused_with_their_number(tmp_path):
    folder = write_base(tmp_path / "data")
    names = ["staff_id", "profession"] + [f"c{i}" for i in range(1_499)]  # 1,501 columns, 8 KB
    (folder / "staff.csv").write_text(",".join(names) + "\n" + ",".join(["st1"] * 1_501) + "\n",
                                      encoding="utf-8")
    assert_refused(validate(folder), "staff.csv line 1: a header of 1,501 columns, more than 1,000, "
                                     "the limit for a header")


def test_the_header_line_is_the_one_named_below_blank_lines(tmp_path):
    folder = write_base(tmp_path / "data")
    (folder / "staff.csv").write_text(",,,\n\n" + ",".join(["staff_id"] * 20_000) + "\n", encoding="utf-8")
    assert_refused(validate(folder), "staff.csv line 3: a header line longer than 64 KiB")


def test_a_header_at_the_column_limit_is_read_and_its_repeated_name_reported(tmp_path):
    # 1,000 columns all named staff_id, one data row that Arrow reads and one short row
    # that only pandas reads: both parsers take the wide header.
    folder = write_base(tmp_path / "data")
    (folder / "staff.csv").write_text(",".join(["staff_id"] * 1_000) + "\n" + ",".join(["st1"] * 1_000)
                                      + "\n" + ",".join(["st2"] * 999) + "\n", encoding="utf-8")
    result = validate(folder)
    assert_refused(result, "staff.csv line 1, column staff_id: named 1000 times in the header")
    assert "limit" not in result.stderr
    # st1 and st2 were read as staff: only st3 (in responsibilities) is unknown.
    assert "st3 is not a known staff_id" in result.stderr
    assert "st1 is not a known" not in result.stderr and "st2 is not a known" not in result.stderr


# --- what users read ----------------------------------------------------------------------


def limits_section() -> str:
    text = (Path(__file__).parents[2] / "docs" / "data.md").read_text(encoding="utf-8")
    return text.split("## Limits", 1)[1].split("\n## ", 1)[0]


def test_docs_data_states_the_limits_the_code_holds():
    section = limits_section()
    assert f"{limits.HEADER_COLUMNS:,} columns" in section
    assert f"{limits.size_text(limits.HEADER_CHARS)} ({limits.HEADER_CHARS:,} characters)" in section
    assert (f"| a line of a CSV file, or of a FHIR NDJSON file (one resource) | "
            f"{limits.size_text(limits.LINE_BYTES)} between two line breaks") in section
    assert f"| a value (a field, a cell) | {limits.FIELD_CHARS:,} characters" in section
    assert (f"a range of {limits.SHEET_RANGE_PER_CELL} cells for each cell it holds "
            f"(or {limits.SHEET_RANGE_CELLS:,} cells in all)") in section
    assert (f"at most {limits.PACKING} times its packed size, once past "
            f"{limits.size_text(limits.PACKING_FREE)}") in section
    assert f"| an id (a primary key or a reference) | {limits.ID_CHARS} characters" in section
    assert (f"at most {limits.PARQUET_VALUES_PER_BYTE} values (rows times columns) for each byte of the file, "
            f"or {limits.PARQUET_VALUES:,} in all; its data unpack to at most {limits.PACKING} times "
            f"the file, once past {limits.size_text(limits.PACKING_FREE)}") in section
    assert f"a regular file of at most 4 KiB ({KEY_FILE_BYTES} bytes; a key is {KEY_BYTES})" in section


# --- lines and fields ---------------------------------------------------------------------

MIB = 1 << 20

# Runs the command line in a child of a fresh process, which then prints the child's peak
# resident memory in KiB (Linux counts ru_maxrss in KiB).
_PEAK = """
import resource, subprocess, sys
done = subprocess.run([sys.executable, "-m", "handover.cli", *sys.argv[1:]], capture_output=True, text=True)
sys.stderr.write(done.stderr)
print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def run_measured(*args: str) -> tuple[int, int, str]:
    """``handover ARGS`` in a real process: its exit code, its peak memory in bytes and its stderr."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    done = subprocess.run([sys.executable, "-c", _PEAK, *args], capture_output=True, text=True,
                          env=env, check=True)
    code, peak_kib = map(int, done.stdout.split())
    return code, peak_kib * 1024, done.stderr


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> int:
    """The peak memory of ``validate`` on the valid base dataset: what every run costs."""
    _, peak, _ = run_measured("validate", str(write_base(tmp_path_factory.mktemp("valid"))))
    return peak


def test_a_200_mb_line_without_a_line_break_is_refused_within_the_memory_of_the_file(tmp_path, baseline):
    # The file: one line of 200 MB. It grew past 23 GB before it was killed.
    folder = write_base(tmp_path / "data")
    size = 200 * MIB
    with open(folder / "plans.csv", "ab") as plans:
        plans.write(b"p99,u1,a1," + b"x" * size)
    code, peak, stderr = run_measured("validate", str(folder))
    assert code == 2
    assert "plans.csv line 4: a line longer than 32 MiB, the limit for a line" in stderr
    assert "xxxx" not in stderr and "Traceback" not in stderr
    # The file is read once as it is, never decoded or parsed.
    assert peak - baseline < 1.5 * size, (peak // MIB, baseline // MIB)


def test_a_200_mb_header_line_of_repeated_names_is_refused_within_the_memory_of_the_file(tmp_path, baseline):
    folder = write_base(tmp_path / "data")
    (folder / "staff.csv").write_bytes(b"staff_id," * (22 * MIB))  # 198 MiB, no line break
    code, peak, stderr = run_measured("validate", str(folder))
    assert code == 2
    assert "staff.csv line 1: a line longer than 32 MiB, the limit for a line" in stderr
    assert peak - baseline < 1.5 * 198 * MIB, (peak // MIB, baseline // MIB)


def test_a_value_past_the_field_limit_is_refused_even_when_its_lines_are_short(tmp_path, baseline):
    # A quoted value of 20 MiB with a line break every MiB: every line is short, the value is not.
    folder = write_base(tmp_path / "data")
    value = ("k" * (MIB - 1) + "\n") * 20
    with open(folder / "plans.csv", "a", encoding="utf-8", newline="") as plans:
        plans.write(f'p99,u1,a1,"{value}",2024-01-01,,\n')
    code, peak, stderr = run_measured("validate", str(folder))
    assert code == 2
    assert "plans.csv line 4, column kind: a value longer than 16,777,216 characters (16 Mi), the limit for a field" in stderr
    assert "kkkk" not in stderr
    # Bounded by a small multiple of the value (measured 8.5x since ids are read as Arrow text),
    # not by the file: the 20 MiB value is refused without reading all of it into Python strings.
    assert peak - baseline < 10 * 20 * MIB, (peak // MIB, baseline // MIB)


def test_a_value_just_within_the_field_limit_is_read(tmp_path):
    folder = write_base(tmp_path / "data")
    (folder / "agencies.csv").write_text((folder / "agencies.csv").read_text(encoding="utf-8").replace(
        "NAV Sentrum", "n" * limits.FIELD_CHARS), encoding="utf-8")
    result = validate(folder)
    assert result.exit_code == 0, result.stderr[:2000]


def test_a_long_line_is_found_whatever_its_line_breaks():
    long = b"x" * 11
    for newline in (b"\n", b"\r\n", b"\r"):
        data = newline.join([b"a" * 10, b"b" * 10, long, b"c"])
        assert limits.first_long_line(data, 10) == data.index(long)
        assert limits.line_of(data, data.index(long)) == 3
        assert limits.first_long_line(newline.join([b"a" * 10] * 50), 10) is None
    assert limits.first_long_line(b"a" * 10, 10) is None
    assert limits.first_long_line(b"a" * 11, 10) == 0


# --- ids ----------------------------------------------------------------------------------

ID_COLUMNS = [(table.name, column.name) for table in TABLES.values() for column in table.columns
              if column.kind is ColumnKind.ID]


def test_every_id_column_is_checked():
    # 7 primary keys (employments and responsibilities have none) and 14 references.
    assert ("users", "user_id") in ID_COLUMNS and ("contacts", "staff_id") in ID_COLUMNS
    assert len(ID_COLUMNS) == 21


@pytest.mark.parametrize(("table", "column"), ID_COLUMNS, ids=[f"{t}.{c}" for t, c in ID_COLUMNS])
def test_an_id_one_character_past_the_limit_is_refused_with_its_place(tmp_path, table, column):
    dataset = base_dataset()
    dataset.tables["employments"] = pd.DataFrame({  # the one table the base lacks
        "staff_id": ["st1"], "agency_id": ["a1"], "start": pd.to_datetime(["2024-01-01"]), "end": [pd.NaT]})
    frame = dataset.tables[table]
    frame[column] = frame[column].astype(object)
    frame.loc[frame.index[0], column] = "i" * 257
    folder = write_dataset(dataset, tmp_path / "data")
    result = validate(folder)
    assert_refused(result, f"{table}.csv line 2, column {column}: {'i' * 59}… is longer than 256 "
                           "characters (it has 257), the limit for an id")
    assert "i" * 61 not in result.stderr


def test_an_id_at_the_limit_is_valid(tmp_path):
    dataset = base_dataset()
    dataset.tables["plans"].loc[1, "plan_id"] = "p" * 256
    result = validate(write_dataset(dataset, tmp_path / "data"))
    assert result.exit_code == 0, result.stderr[:2000]


# --- the key file -------------------------------------------------------------------------


def pseudonymize(tmp_path: Path, key_file: Path):
    data = write_base(tmp_path / "data")
    return runner.invoke(app, ["pseudonymize", str(data), str(tmp_path / "out"), "--key-file", str(key_file)])


@pytest.mark.parametrize("device", ["/dev/urandom", "/dev/zero"])
def test_a_device_as_key_file_is_refused_without_reading_it(tmp_path, device):
    # /dev/urandom never ends: it was read until memory ran out.
    result = pseudonymize(tmp_path, Path(device))
    assert_refused(result, f"--key-file {device} is not a regular file (a device)", "at most 4096 bytes")
    assert not (tmp_path / "out").exists()


def test_a_link_to_a_device_as_key_file_is_refused(tmp_path):
    (tmp_path / "handover.key").symlink_to("/dev/urandom")
    assert_refused(pseudonymize(tmp_path, tmp_path / "handover.key"),
                   f"--key-file {tmp_path / 'handover.key'} is not a regular file (a device)")


def test_a_named_pipe_as_key_file_is_refused_without_waiting_for_a_writer(tmp_path):
    os.mkfifo(tmp_path / "handover.key")
    assert_refused(pseudonymize(tmp_path, tmp_path / "handover.key"), "is not a regular file (a named pipe)")


def test_a_key_file_past_4_kib_is_refused_with_the_limit(tmp_path):
    key_file = tmp_path / "handover.key"
    key_file.write_bytes(os.urandom(4097))
    result = pseudonymize(tmp_path, key_file)
    assert_refused(result, f"--key-file {key_file} is larger than 4096 bytes (4 KiB), the limit for a key file")
    assert not (tmp_path / "out").exists()


def test_a_key_file_of_4_kib_is_a_key(tmp_path):
    key_file = tmp_path / "handover.key"
    key_file.write_bytes(os.urandom(4096))
    key_file.chmod(0o600)
    result = pseudonymize(tmp_path, key_file)
    assert result.exit_code == 0, result.stderr[:2000]
    assert (tmp_path / "out" / "users.csv").is_file()


# --- workbooks ----------------------------------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def write_workbook(path: Path, rows: dict[int, list[tuple[str, str]]], *, dimension: str | None = None,
                   shared: list[str] = (), packing: int = zipfile.ZIP_DEFLATED) -> Path:
    """A workbook of one sheet ``users`` written part by part, as a hostile one can be.

    ``rows`` maps a row number to its cells, (reference, text); a text ``#0`` is the
    first of the ``shared`` strings.
    """
    def cell(reference: str, text: str) -> str:
        if text.startswith("#"):
            return f'<c r="{reference}" t="s"><v>{text[1:]}</v></c>'
        return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'

    body = "".join(f'<row r="{number}">{"".join(cell(*c) for c in cells)}</row>'
                   for number, cells in sorted(rows.items()))
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = f'<worksheet xmlns="{_MAIN}">{declared}<sheetData>{body}</sheetData></worksheet>'
    strings = "".join(f"<si><t>{text}</t></si>" for text in shared)
    with zipfile.ZipFile(path, "w", packing) as archive:
        archive.writestr("[Content_Types].xml", (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'))
        archive.writestr("_rels/.rels", f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" '
                                        f'Type="{_DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        archive.writestr("xl/workbook.xml", f'<workbook xmlns="{_MAIN}" xmlns:r="{_DOC_RELS}"><sheets>'
                                            '<sheet name="users" sheetId="1" r:id="rId1"/></sheets></workbook>')
        archive.writestr("xl/_rels/workbook.xml.rels", (
            f'<Relationships xmlns="{_RELS}">'
            f'<Relationship Id="rId1" Type="{_DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{_DOC_RELS}/sharedStrings" Target="sharedStrings.xml"/>'
            '</Relationships>'))
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        archive.writestr("xl/sharedStrings.xml", f'<sst xmlns="{_MAIN}">{strings}</sst>')
    return path


def users_rows(municipality: str = "Vardø") -> dict[int, list[tuple[str, str]]]:
    return {1: [("A1", "user_id"), ("B1", "municipality")], 2: [("A2", "u1"), ("B2", municipality)],
            3: [("A3", "u2")], 4: [("A4", "u3")]}


def with_users_workbook(tmp_path: Path, **kwargs) -> Path:
    folder = write_base(tmp_path / "data")
    (folder / "users.csv").unlink()
    write_workbook(folder / "users.xlsx", kwargs.pop("rows", None) or users_rows(), **kwargs)
    return folder


def test_a_workbook_of_this_shape_is_read(tmp_path):
    # The writer above makes a workbook handover reads: the tests below break one thing each.
    result = validate(with_users_workbook(tmp_path))
    assert result.exit_code == 0, result.stderr[:2000]


def test_a_huge_declared_dimension_is_read_as_the_cells_it_holds(tmp_path):
    result = validate(with_users_workbook(tmp_path, dimension="A1:XFD1048576"))
    assert result.exit_code == 0, result.stderr[:2000]


def test_a_stray_cell_far_from_the_table_is_refused_before_the_range_is_laid_out(tmp_path, baseline):
    # 6 cells in 4 rows and one at ZZ200000: a range of 702 x 200,000 cells, which the
    # reader laid out in full (32 bytes a cell: 4.5 GB) from a file of 2 KB.
    rows = users_rows()
    rows[200_000] = [("ZZ200000", "x")]
    folder = with_users_workbook(tmp_path, rows=rows)
    code, peak, stderr = run_measured("validate", str(folder))
    assert code == 2
    assert ("users.xlsx, sheet users: its cells reach ZZ200000, a range of 140,400,000 cells for the 7 "
            "it holds; a range may span 8 cells for each one held (or 1,048,576 in all), the limit for a "
            "sheet") in stderr
    assert peak - baseline < 64 * MIB, (peak // MIB, baseline // MIB)


def test_a_shared_string_that_unpacks_a_thousandfold_is_refused_unread(tmp_path, baseline):
    # 50 MB of one letter packs into 50 KB (200 MB took 0.9 GB when read).
    folder = with_users_workbook(tmp_path, rows=users_rows("#0"), shared=["x" * 50_000_000])
    code, peak, stderr = run_measured("validate", str(folder))
    assert code == 2
    assert "users.xlsx: its part xl/sharedStrings.xml unpacks to 50,000,0" in stderr
    assert "more than 100 times, the limit for a workbook" in stderr
    assert peak - baseline < 64 * MIB, (peak // MIB, baseline // MIB)


def test_a_cell_past_the_field_limit_is_refused_with_its_row_and_column(tmp_path, baseline):
    size = limits.FIELD_CHARS + 1
    folder = with_users_workbook(tmp_path, rows=users_rows("#0"), shared=["x" * size],
                                 packing=zipfile.ZIP_STORED)
    code, peak, stderr = run_measured("validate", str(folder))
    assert code == 2
    assert ("users.xlsx, sheet users, row 2, column municipality: a value longer than 16,777,216 "
            "characters (16 Mi), the limit for a field") in stderr
    assert "xxxx" not in stderr
    assert peak - baseline < 8 * size, (peak // MIB, baseline // MIB)


def test_a_sheet_header_of_more_than_1000_named_columns_is_refused(tmp_path):
    rows = users_rows()
    rows[1] += [(f"{_column_letters(i)}1", f"c{i}") for i in range(2, 1_001)]  # columns C to ALM
    result = validate(with_users_workbook(tmp_path, rows=rows))
    assert_refused(result, "users.xlsx, sheet users, row 1: a header of 1,001 columns, more than 1,000, "
                           "the limit for a header")


# --- FHIR NDJSON --------------------------------------------------------------------------


def fhir_export(tmp_path: Path, *, line: str, name: str = "Patient.ndjson") -> Path:
    """The base FHIR export of tests/fhir with ``line`` added to ``name`` (gzip-compressed for ``.gz``)."""
    folder = write_ndjson(tmp_path / "in", fhir_base())
    if name.endswith(".gz"):
        (folder / name.removesuffix(".gz")).unlink()
        with gzip.open(folder / name, "wt", encoding="utf-8") as packed:
            for resource in fhir_base():
                if resource["resourceType"] == "Patient":
                    packed.write(json.dumps(resource) + "\n")
            packed.write(line)
    else:
        with open(folder / name, "a", encoding="utf-8") as file:
            file.write(line)
    return folder


def long_patient(n_chars: int) -> str:
    return json.dumps({"resourceType": "Patient", "id": "u9", "name": [{"text": "x" * n_chars}]}) + "\n"


def test_a_200_mb_ndjson_line_is_refused_with_its_place_within_the_memory_of_the_file(tmp_path, baseline):
    # Read in parallel byte ranges (a file past 64 MiB): it was imported, at 0.7 GB over the baseline.
    folder = fhir_export(tmp_path, line=long_patient(200 * MIB))
    code, peak, stderr = run_measured("import", "fhir", str(folder), str(tmp_path / "out"))
    assert code == 2
    assert "Patient.ndjson line 2: a line longer than 32 MiB, the limit for a line" in stderr
    assert not (tmp_path / "out").exists()
    assert peak - baseline < 1.5 * 200 * MIB, (peak // MIB, baseline // MIB)


@pytest.mark.parametrize("name", ["Patient.ndjson", "Patient.ndjson.gz"])
def test_a_line_past_the_limit_is_refused_when_read_line_by_line(tmp_path, name):
    # 40 MiB: a file too small for parallel reading, or compressed, is read line by line.
    folder = fhir_export(tmp_path, line=long_patient(40 * MIB), name=name)
    result = runner.invoke(app, ["import", "fhir", str(folder), str(tmp_path / "out")])
    assert_refused(result, f"{name} line 2: a line longer than 32 MiB, the limit for a line")


def test_json_nested_past_the_reader_is_refused_with_its_place(tmp_path):
    # It was 'unexpected failure (RecursionError ...)', exit 1.
    nested = "[" * 100_000 + "]" * 100_000
    folder = fhir_export(tmp_path, line='{"resourceType": "Patient", "id": "u9", "x": ' + nested + "}\n")
    result = runner.invoke(app, ["import", "fhir", str(folder), str(tmp_path / "out")])
    assert_refused(result, "Patient.ndjson line 2: JSON nested deeper than a reader can follow")


# --- XES event logs -----------------------------------------------------------------------


def xes_with_note(path: Path, n_chars: int) -> Path:
    """The running example as XES with an attribute ``note`` of ``n_chars`` in its first event (line 8)."""
    text = xes_text(RUNNING_EXAMPLE)
    at = text.index("<event>") + len("<event>")
    assert text[:at].count("\n") == 7
    return write_xes_text(path, text[:at] + f'<string key="note" value="{"x" * n_chars}"/>' + text[at:])


def test_a_200_mb_xes_attribute_is_refused_with_its_line_within_the_memory_of_the_file(tmp_path, baseline):
    # The XML reader scanned the unfinished tag again for every 16 KiB read: this never ended.
    log = xes_with_note(tmp_path / "log.xes", 200 * MIB)
    code, peak, stderr = run_measured("import", "event-log", str(log), str(tmp_path / "out"))
    assert code == 2
    assert "log.xes line 8: a tag longer than 16 MiB (an attribute value past the limit for a field)" in stderr
    assert not (tmp_path / "out").exists()
    assert peak - baseline < 64 * MIB, (peak // MIB, baseline // MIB)


@pytest.mark.parametrize("name", ["log.xes", "log.xes.gz"])
def test_an_xes_attribute_past_the_field_limit_is_refused_compressed_or_not(tmp_path, name):
    log = xes_with_note(tmp_path / name, limits.FIELD_CHARS + 1)
    result = runner.invoke(app, ["import", "event-log", str(log), str(tmp_path / "out")])
    assert_refused(result, f"{name} line 8: a tag longer than 16 MiB")


def test_a_long_xes_attribute_within_the_limit_is_read(tmp_path):
    log = xes_with_note(tmp_path / "log.xes", 4 * MIB)
    result = runner.invoke(app, ["import", "event-log", str(log), str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr[:2000]
    assert (tmp_path / "out" / "responsibilities.csv").is_file()


def test_an_xes_attribute_past_the_limit_is_refused_though_it_holds_closing_brackets(tmp_path):
    # ">" may stand as it is in an attribute value: it must not pass for the end of the tag.
    text = xes_text(RUNNING_EXAMPLE)
    at = text.index("<event>") + len("<event>")
    value = ("x" * MIB + ">") * 17
    log = tmp_path / "log.xes"
    log.write_text(text[:at] + f'<string key="note" value="{value}"/>' + text[at:], encoding="utf-8")
    result = runner.invoke(app, ["import", "event-log", str(log), str(tmp_path / "out")])
    assert_refused(result, "log.xes line 8: a tag longer than 16 MiB")


# --- Parquet ------------------------------------------------------------------------------


def with_users_parquet(tmp_path: Path, table: pa.Table, **options) -> Path:
    folder = write_base(tmp_path / "data")
    (folder / "users.csv").unlink()
    pq.write_table(table, folder / "users.parquet", **options)
    return folder


def test_a_parquet_file_of_one_value_repeated_millions_of_times_is_refused_unread(tmp_path, baseline):
    # 5 million rows of "u1" pack into about 13 KB; read, they are 5 million Python strings.
    rows = 5_000_000
    folder = with_users_parquet(tmp_path, pa.table({"user_id": pa.array(["u1"]).take(pa.array([0] * rows))}))
    size = (folder / "users.parquet").stat().st_size
    code, peak, stderr = run_measured("validate", str(folder))
    assert code == 2
    assert (f"users.parquet: 5,000,000 rows of 1 columns in a file of {size:,} bytes: more than 8 values for "
            "each byte (or 1,048,576 in all), the limit for a Parquet file") in stderr
    assert peak - baseline < 64 * MIB, (peak // MIB, baseline // MIB)


def test_a_parquet_value_that_unpacks_a_thousandfold_is_refused_unread(tmp_path, baseline):
    folder = with_users_parquet(tmp_path, pa.table({"user_id": ["u1", "u2", "u3"],
                                                    "municipality": ["x" * 50_000_000, None, None]}),
                                compression="zstd")
    code, peak, stderr = run_measured("validate", str(folder))
    assert code == 2
    assert "users.parquet: its data unpack to 50,000," in stderr  # the value and page headers
    assert "more than 100 times, the limit for a Parquet file" in stderr
    assert peak - baseline < 64 * MIB, (peak // MIB, baseline // MIB)


def test_a_small_parquet_table_is_read_however_well_it_packs(tmp_path):
    # Below 1 Mi values and 16 MiB unpacked, no packing is too much: 3 users and 100,000
    # empty municipalities would be refused if the floor did not hold.
    users = ["u1", "u2", "u3"] + [f"u{i}" for i in range(4, 100_001)]
    folder = with_users_parquet(tmp_path, pa.table({"user_id": users, "municipality": [None] * len(users)}))
    result = validate(folder)
    assert result.exit_code == 0, result.stderr[:2000]
