"""Writing Excel workbooks: the cells, sheets and bytes every ``.xlsx`` of handover shares.

Cells are what Excel users expect of them:

- dates are date cells shown ``YYYY-MM-DD``, without a time (they sort, filter by month
  and compute differences);
- ``int`` and ``float`` columns are numbers (Excel shows ``0,6667`` in a Norwegian
  locale by itself);
- booleans are Excel's own TRUE/FALSE cells (SANN/USANN in Norwegian Excel; they filter,
  and ``ANTALL.HVIS(…;SANN)`` counts them), not the text ``true``;
- ids and other text are text cells, so an id like ``00123`` keeps its zeros; text a
  spreadsheet would run as a formula gets a leading ``'``
  (:mod:`handover.privacy.spreadsheet`), and characters a workbook cannot hold (control
  characters) become ``\\ufffd``;
- a count hidden by small-cell suppression stays the text ``<5``; missing values are
  empty cells.

Sheets are written in openpyxl's streaming mode, row by row, so a region's workbook stays
quick and small in memory. :func:`workbook_bytes` gives the same bytes for the same
content: the workbook says it was created on the day its data are as of (not the clock),
and every part of the file carries one fixed time stamp, so the two engines, or two runs,
write identical files.

Examples
--------
>>> import openpyxl
>>> rows = pd.DataFrame({"user_id": ["=u1"], "day": [pd.Timestamp("2024-03-01")], "late": [True]})
>>> def demo():
...     book = new_workbook()
...     table_sheet(book, "demo", rows, [("user_id", "str"), ("day", "date"), ("late", "bool")])
...     return workbook_bytes(book, created=pd.Timestamp("2024-06-30"))
>>> read = openpyxl.load_workbook(io.BytesIO(demo()))
>>> [c.value for c in read["demo"][2]], read["demo"]["B2"].number_format
(["'=u1", datetime.datetime(2024, 3, 1, 0, 0), True], 'yyyy-mm-dd')
>>> demo() == demo()
True
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Iterable, Sequence

import pandas as pd

from handover.privacy.spreadsheet import neutralise_formula
from handover.privacy.suppression import SMALL

__all__ = ["new_workbook", "table_sheet", "text_sheet", "workbook_bytes", "sheet_name", "cell_value", "cell_text"]

_WIDEST = 60
# The time stamp of every part of the zip file: the earliest a zip can hold.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def sheet_name(name: str, taken: Iterable[str] = ()) -> str:
    """A sheet name Excel accepts, unique among ``taken``: at most 31 characters, none of ``[]:*?/\\``.

    Examples
    --------
    >>> sheet_name("Follow-up after discharge"), len(sheet_name("x" * 40)), sheet_name("A", ["A"])
    ('Follow-up after discharge', 31, 'A (2)')
    """
    cleaned = ("".join("_" if c in "[]:*?/\\" else c for c in name).strip("'") or "rows")[:31]
    taken = {t.lower() for t in taken}
    candidate, n = cleaned, 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate, n = cleaned[:31 - len(suffix)] + suffix, n + 1
    return candidate


def cell_text(value) -> str:
    """Text as a cell holds it safely: formulas defused, characters a workbook cannot hold replaced.

    Examples
    --------
    >>> cell_text("=SUM(A1)"), cell_text("a\\x01b")
    ("'=SUM(A1)", 'a\\ufffdb')
    """
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return neutralise_formula(ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value)))


def cell_value(value, kind: str):
    """The value of one cell for a value of a column of ``kind`` (``str``, ``int``, ``float``,
    ``bool``, ``date``); a hidden count stays the text ``<5``; missing values are empty cells.

    Examples
    --------
    >>> cell_value(pd.Timestamp("2024-03-01"), "date"), cell_value("<5", "int"), cell_value("=1", "str")
    (datetime.date(2024, 3, 1), '<5', "'=1")
    """
    if value is None or value is pd.NA or value is pd.NaT or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, str) and value == SMALL:
        return SMALL
    if kind == "date":
        return pd.Timestamp(value).date()
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    if kind == "bool":
        return bool(value)
    return cell_text(value)


def _width(value) -> int:
    if isinstance(value, dt.date):
        return 10
    if isinstance(value, bool):
        return 5
    return 0 if value is None else len(str(value))


def new_workbook():
    """An empty streaming (write-only) openpyxl workbook."""
    from openpyxl import Workbook

    return Workbook(write_only=True)


def table_sheet(book, title: str, frame: pd.DataFrame, columns: Sequence[tuple[str, str]],
                headings: Sequence[str] | None = None) -> None:
    """Append a sheet of ``frame``'s ``columns`` (``(name, kind)``) with a bold, frozen heading and a filter.

    ``headings`` are the words of the heading row (default the column names).
    """
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    columns = list(columns)
    headings = [name for name, _ in columns] if headings is None else list(headings)
    sheet = book.create_sheet(title)
    values = [[cell_value(v, kind) for v in frame[column].astype(object)] for column, kind in columns]
    for i, (heading, cells) in enumerate(zip(headings, values), start=1):
        width = max([len(heading)] + [_width(v) for v in cells[:500]]) + 2
        sheet.column_dimensions[get_column_letter(i)].width = min(width, _WIDEST)
    sheet.freeze_panes = "A2"
    if columns:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(frame) + 1}"
    bold = Font(bold=True)
    head = []
    for heading in headings:
        cell = WriteOnlyCell(sheet, value=cell_text(heading))
        cell.font = bold
        head.append(cell)
    sheet.append(head)
    dates = [i for i, (_, kind) in enumerate(columns) if kind == "date"]
    texts = [i for i, (_, kind) in enumerate(columns) if kind == "str"]
    for row in zip(*values):
        row = list(row)
        for i in dates:
            if row[i] is not None and row[i] != SMALL:
                cell = WriteOnlyCell(sheet, value=row[i])
                cell.number_format = "yyyy-mm-dd"
                row[i] = cell
        for i in texts:
            if row[i] is not None:
                cell = WriteOnlyCell(sheet, value=row[i])
                cell.number_format = "@"  # text: what is typed stays as typed
                row[i] = cell
        sheet.append(row)


def text_sheet(book, title: str, lines: Iterable[tuple[str, str]], *, widths: tuple[int, int] = (28, 110)) -> None:
    """Append a sheet of ``(what, text)`` lines: the first column bold, both wrapped."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    sheet = book.create_sheet(title)
    sheet.column_dimensions["A"].width = widths[0]
    sheet.column_dimensions["B"].width = widths[1]
    wrap = Alignment(wrap_text=True, vertical="top")
    for what, text in lines:
        first = WriteOnlyCell(sheet, value=cell_text(what))
        first.font = Font(bold=True)
        first.alignment = wrap
        second = WriteOnlyCell(sheet, value=cell_text(text))
        second.alignment = wrap
        sheet.append([first, second])


def workbook_bytes(book, *, created) -> bytes:
    """The bytes of ``book``, the same for the same content (see the module docstring).

    ``created`` (a day) is what the workbook's properties say it was created and modified on.
    """
    stamp = pd.Timestamp(created).to_pydatetime().replace(tzinfo=None)
    book.properties.created = stamp
    book.properties.creator = "handover"
    raw = io.BytesIO()
    book.save(raw)
    fixed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source, \
            zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" with the clock when saving
                data = re.sub(rb"(<dcterms:modified\b[^>]*>)[^<]*", rb"\g<1>" + f"{stamp:%Y-%m-%dT%H:%M:%SZ}".encode(), data)
            target.writestr(zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME), data,
                            compress_type=zipfile.ZIP_DEFLATED)
    return fixed.getvalue()

