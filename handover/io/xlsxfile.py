"""Reading a sheet of an Excel workbook (``.xlsx``) into columns of text, as a CSV file is read.

The cells are read by python-calamine (Rust; several times faster than openpyxl on a
region's workbook), which gives each cell's value as Excel saved it: a formula's saved
result, never an evaluation. A cell becomes the text the contract reads:

- text stays as it is (an id ``007`` stays ``007``);
- a number becomes its digits (``7`` is ``"7"``, ``1980.0`` is ``"1980"``, ``7.5`` is ``"7.5"``);
- a date cell becomes ``YYYY-MM-DD`` and a date-and-time cell its ISO text (the date is kept),
  so date cells are dates whatever ``--date-format`` says about text dates;
- an empty cell is missing.

The header is the first row that is not empty; rows above it and empty rows below are
skipped, and each row keeps its row number in the sheet (as Excel shows it), which every
message names. A workbook refused as a whole (not a workbook, password-protected, an old
``.xls``) and cells that cannot be read as saved (a formula without a saved result, a
header with merged cells) are violations naming the file, the sheet, the row and the header.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import zipfile
from pathlib import Path
from typing import Sequence
from xml.etree import ElementTree

import numpy as np
import pyarrow as pa

from handover.errors import Violation
from handover.io.limits import (
    FIELD_CHARS, HEADER_COLUMNS, PACKING, PACKING_FREE, SHEET_RANGE_CELLS, SHEET_RANGE_PER_CELL,
    first_too_long,
)
from handover.io.raw import shown_value

__all__ = ["workbook_sheets", "read_sheet", "WorkbookProblem"]

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# A formula cell without a saved value: <c r="B5" ...><f>...</f></c> with no <v>.
_FORMULA_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*>(.*?)</(?:\w+:)?c>', re.S)
_HAS_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
# A saved result: a non-empty <v> (some writers leave <v></v> or <v/> behind a formula).
_SAVED_VALUE = re.compile(rb"<(?:\w+:)?v>[^<]+</(?:\w+:)?v>")
# An Excel error value (#N/A, #REF!, #DIV/0!...): a cell of type e.
_ERROR_CELL = re.compile(rb'\bt="e"')

# A cell's reference, as in <c r="AB12" ...>: its column letters and its row.
_CELL_REFERENCE = re.compile(rb' r="([A-Z]{1,3})(\d+)"')
_SCAN_BYTES = 16 << 20


class WorkbookProblem(Exception):
    """A file that cannot be read as a workbook; its message says why and what to do."""


def _why_not_a_workbook(path: Path) -> str | None:
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
            if head == _OLE:
                rest = head + handle.read(1 << 20)
                if _ENCRYPTED in rest:
                    return ("a password-protected (encrypted) workbook, which handover cannot open: "
                            "save it again in Excel without a password (File > Info > Protect Workbook)")
                return "an old Excel workbook (.xls); save it as .xlsx (Excel Workbook) or as CSV"
    except OSError as err:
        return f"not readable ({err.strerror or err})"
    if not zipfile.is_zipfile(path):
        return "not an Excel workbook (.xlsx is a ZIP file; this is not one): export it again, or save it as CSV"
    with zipfile.ZipFile(path) as archive:
        if "xl/workbook.xml" not in archive.namelist():
            return "a ZIP archive, but not an Excel workbook (it has no xl/workbook.xml)"
        return _overpacked(archive)


def _overpacked(archive: zipfile.ZipFile) -> str | None:
    """A part that unpacks far beyond its packed size, as a ZIP bomb does (real parts: 3 to 25 times)."""
    for info in archive.infolist():
        if info.file_size > max(PACKING_FREE, PACKING * info.compress_size):
            return (f"its part {info.filename} unpacks to {info.file_size:,} bytes from "
                    f"{info.compress_size:,}, more than {PACKING} times, the limit for a "
                    "workbook: this is no export (a ZIP bomb?); export the workbook again")
    return None


@functools.lru_cache(maxsize=64)
def _sheet(path: Path, mtime_ns: int, sheet: str):
    """A worksheet, parsed once (reading it and asking for its merged cells use the same one)."""
    return _workbook(path, mtime_ns).get_sheet_by_name(sheet)


@functools.lru_cache(maxsize=16)
def _workbook(path: Path, mtime_ns: int):
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_path(str(path))


def _open(path: Path):
    problem = _why_not_a_workbook(path)
    if problem is not None:
        raise WorkbookProblem(problem)
    try:
        return _workbook(path.resolve(), path.stat().st_mtime_ns)
    except Exception as err:  # calamine raises its own kinds for a damaged file
        raise WorkbookProblem(f"not a readable Excel workbook ({str(err).splitlines()[0] if str(err) else type(err).__name__})") from None


def workbook_sheets(path: Path) -> list[str]:
    """The names of the worksheets of the workbook ``path``, in order.

    Raises
    ------
    WorkbookProblem
        When the file is not a readable ``.xlsx`` workbook (the message says why).
    """
    book = _open(path)
    return [meta.name for meta in book.sheets_metadata if str(meta.typ).endswith("WorkSheet")]


def _cell_text(value) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _filled(value) -> bool:
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


def _column(values: tuple) -> pa.Array:
    """One column's cells as Arrow text: at once when every cell is text (most columns are),
    or every cell a date; cell by cell otherwise."""
    try:
        return pa.array(values, type=pa.string())
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        pass
    cells = [None if value == "" else value for value in values]
    try:
        typed = pa.array(cells)
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        typed = None
    if typed is not None and pa.types.is_date(typed.type):
        return typed.cast(pa.string())  # date32 as text is YYYY-MM-DD
    return pa.array([_cell_text(value) for value in cells], type=pa.string())


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _sheet_xml_path(archive: zipfile.ZipFile, sheet: str) -> str | None:
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{_PKG_REL_NS}Relationship")}
    for element in workbook.iter(f"{_MAIN_NS}sheet"):
        if element.get("name") == sheet:
            target = targets.get(element.get(f"{_REL_NS}id"), "")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


def _column_number(letters: bytes) -> int:
    """``A`` is 1, ``Z`` 26, ``AA`` 27, ``XFD`` 16,384."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _sheet_extent(handle) -> tuple[int, int, int]:
    """How far the cells of a sheet's XML reach (last row, last column) and how many cells it has.

    The XML is read a chunk at a time, each cut after its last ``>`` so that no tag is
    split: the scan holds a chunk, never the sheet.
    """
    last_row = last_column = cells = 0
    carry = b""
    while chunk := handle.read(_SCAN_BYTES):
        data = carry + chunk
        cut = data.rfind(b">") + 1
        part, carry = data[:cut], data[cut:]
        references = _CELL_REFERENCE.findall(part)
        if references:
            last_row = max(last_row, max(int(row) for _, row in references))
            last_column = max(last_column, max(map(_column_number, {letters for letters, _ in references})))
        cells += sum(part.count(tag) for tag in (b"<c ", b"<c>", b":c ", b":c>"))
    return last_row, last_column, cells


def _sheet_too_big(path: Path, sheet: str) -> str | None:
    """Why the reader must not lay out ``sheet``: its cells reach far beyond what it holds
    (the reader lays out every cell of the range)."""
    with zipfile.ZipFile(path) as archive:
        part = _sheet_xml_path(archive, sheet)
        if part is None or part not in archive.namelist():
            return None
        with archive.open(part) as handle:
            last_row, last_column, cells = _sheet_extent(handle)
    span = last_row * last_column
    if span <= max(SHEET_RANGE_CELLS, SHEET_RANGE_PER_CELL * cells):
        return None
    return (f"its cells reach {_column_letters(last_column - 1)}{last_row}, a range of {span:,} cells for "
            f"the {cells:,} it holds; a range may span {SHEET_RANGE_PER_CELL} cells for each one held (or "
            f"{SHEET_RANGE_CELLS:,} in all), the limit for a sheet: delete the rows and columns beyond "
            "the table (or a stray cell far from it) and save again")


def _cells_without_a_value(path: Path, sheet: str) -> list[tuple[int, int, str | None]]:
    """(row, column index, error) of each cell of ``sheet`` that holds no value handover can read:
    a formula without a saved result (error ``None``) or an Excel error such as ``#N/A``."""
    with zipfile.ZipFile(path) as archive:
        part = _sheet_xml_path(archive, sheet)
        if part is None or part not in archive.namelist():
            return []
        data = archive.read(part)
    if (b"</f>" not in data and b"<f " not in data and b":f>" not in data
            and b't="e"' not in data):  # no formula and no error: the usual case
        return []
    found = []
    for match in _FORMULA_CELL.finditer(data):
        inner = match.group(3)
        start_tag = match.group(0)[:match.group(0).index(b">")]
        saved = _SAVED_VALUE.search(inner)
        if _ERROR_CELL.search(start_tag):
            error = saved.group(0).split(b">", 1)[1].split(b"<", 1)[0].decode("utf-8", "replace") if saved else "#?"
        elif _HAS_FORMULA.search(inner) and not saved:
            error = None
        else:
            continue
        letters, row = match.group(1).decode(), int(match.group(2))
        column = 0
        for letter in letters:
            column = column * 26 + ord(letter) - 64
        found.append((row, column - 1, error))
    return found


def read_sheet(path: Path, sheet: str, expected: Sequence[str], violations: list[Violation]):
    """Sheet ``sheet`` of workbook ``path`` as ``(header, columns, rows, header_row)``, or ``None``.

    ``columns`` are Arrow text arrays (missing where a cell is empty), ``rows`` the sheet's
    row number of each data row. ``expected`` are the headers the table should have, to
    tell a header with merged cells. Problems are added to ``violations``.
    """
    def problem(rule: str, row: int | None = None, column: str | None = None) -> None:
        violations.append(Violation(path.name, row, column, None, rule, "row", sheet))

    try:
        _open(path)
        too_big = _sheet_too_big(path, sheet)
        if too_big is not None:
            problem(too_big)
            return None
        rows = _sheet(path.resolve(), path.stat().st_mtime_ns, sheet).to_python(skip_empty_area=False)
    except WorkbookProblem as err:
        problem(str(err))
        return None
    except Exception as err:
        problem(f"not readable ({str(err).splitlines()[0] if str(err) else type(err).__name__})")
        return None
    header_at = next((i for i, row in enumerate(rows) if any(_filled(v) for v in row)), None)
    if header_at is None:
        problem(f"empty; expected a header row with the columns {', '.join(expected)}")
        return None
    header_row = header_at + 1  # calamine starts at the sheet's first row (A1)
    header = [(_cell_text(v) or "").strip() for v in rows[header_at]]
    named = max((i + 1 for i, name in enumerate(header) if name), default=0)
    if named > HEADER_COLUMNS:
        problem(f"a header of {named:,} columns, more than {HEADER_COLUMNS:,}, the limit for a header; "
                "is this the table's sheet?", header_row)
        return None
    merged = _merged_header_cells(path, sheet, header_at)
    if merged:
        problem(f"the header has merged cells ({', '.join(merged)}); unmerge them so that every "
                "column has a header of its own", header_row)
        return None
    # Rows below the last one with a value are the sheet's formatted but empty area. Empty rows
    # among the data stay: the table's reader drops (and counts) rows without a value it reads.
    last = next((i for i in range(len(rows) - 1, header_at, -1) if any(_filled(v) for v in rows[i])), header_at)
    body = rows[header_at + 1:last + 1]
    width = len(header)
    columns = [_column(values) for values in zip(*body)] if body else [pa.array([], pa.string())] * width
    columns = [pa.chunked_array([column]) for column in columns[:width]]
    numbers = np.arange(header_row + 1, header_row + 1 + len(body), dtype=np.int64)
    for name, column in zip(header, columns):
        position = first_too_long(column, FIELD_CHARS, characters=True)
        if position is not None:
            problem(f"a value longer than {FIELD_CHARS:,} characters (16 Mi), the limit for a field "
                    "(Excel itself keeps at most 32,767 in a cell); the value is not shown",
                    int(numbers[position]), shown_value(name, 40) or None)
            return None
    used = {name.casefold() for name in expected}
    without_value = [(row, column, error) for row, column, error in _cells_without_a_value(path, sheet)
                     if row > header_row and column < width and header[column].casefold() in used]
    for row, column, error in without_value[:20]:
        name, cell = header[column] or _column_letters(column), f"{_column_letters(column)}{row}"
        if error is None:
            problem(f"holds a formula without a saved result (cell {cell}); open the workbook in Excel and "
                    "save it, or paste the column as values: handover reads what Excel saved and never "
                    "calculates", row, shown_value(name, 40))
        else:
            problem(f"holds the Excel error {shown_value(error, 12)} (cell {cell}), not a value; correct the "
                    "cell or its formula in Excel and save the workbook again", row, shown_value(name, 40))
    if without_value:
        return None
    return header, columns, numbers, header_row


def _merged_header_cells(path: Path, sheet: str, header_at: int) -> list[str]:
    try:
        ranges = _sheet(path.resolve(), path.stat().st_mtime_ns, sheet).merged_cell_ranges or []
    except Exception:  # an old calamine without merged ranges: the header check below still runs
        return []
    found = []
    for (top, left), (bottom, right) in ranges:
        if top <= header_at <= bottom and right > left:
            found.append(f"{_column_letters(left)}{top + 1}:{_column_letters(right)}{bottom + 1}")
    return found
