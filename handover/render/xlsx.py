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

Table sheets have a bold heading row that stays in view (frozen), a filter on every
column, and columns as wide as their first 500 values.

The file is written here, as the Office Open XML parts themselves (SpreadsheetML, ECMA-376),
streamed sheet by sheet into the zip: a region's workbook of millions of cells takes
seconds, where a general spreadsheet library builds an object per cell. openpyxl, which
reads workbooks elsewhere in handover, reads these back in the tests. The same content
gives the same bytes: the workbook says it was created on the day its data are as of (not
the clock), and every part of the file carries one fixed time stamp, so the two engines,
or two runs, write identical files.

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
import zipfile
from dataclasses import dataclass, field
from typing import Iterable, Sequence
from xml.sax.saxutils import escape as _xml_escape

import numpy as np
import pandas as pd

from handover import __version__
from handover.privacy.spreadsheet import neutralise_formula
from handover.privacy.suppression import SMALL
from handover.render.characters import xml_safe

__all__ = ["Workbook", "new_workbook", "table_sheet", "text_sheet", "paragraph_sheet", "workbook_bytes", "sheet_name",
           "cell_value", "cell_text"]

_WIDEST = 60
# The time stamp of every part of the zip file: the earliest a zip can hold.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# Excel's day 0 (its serial dates count days from here; 1900's false leap day is before 1900-03-01).
_EPOCH = dt.date(1899, 12, 30)
_ROWS_PER_WRITE = 5000

# Cell styles (indices into cellXfs of styles.xml).
_PLAIN, _HEADING, _DATE, _TEXT, _WRAP, _HEADING_WRAP = range(6)


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
    return neutralise_formula(xml_safe(str(value)))


def cell_value(value, kind: str):
    """The value of one cell for a value of a column of ``kind`` (``str``, ``int``, ``float``,
    ``bool``, ``date``); a hidden count stays the text ``<5``; missing values are empty cells.

    Examples
    --------
    >>> cell_value(pd.Timestamp("2024-03-01"), "date"), cell_value("<5", "int"), cell_value("=1", "str")
    (datetime.date(2024, 3, 1), '<5', "'=1")
    """
    if isinstance(value, str) and kind == "str":
        return cell_text(value)
    if isinstance(value, str) and value == SMALL:
        return SMALL
    if value is None or value is pd.NA or value is pd.NaT or pd.isna(value):
        return None
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


def _letters(n: int) -> str:
    """The column letters of the ``n``-th column (1-based): 1 → A, 27 → AA."""
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class _Sheet:
    title: str
    rows: object  # a callable giving the sheet's XML rows, chunk by chunk
    widths: list[float]
    table: tuple[int, int] | None = None  # (columns, rows) of a table with a heading and a filter


@dataclass
class Workbook:
    """The sheets of a workbook to be written (:func:`workbook_bytes`)."""

    sheets: list[_Sheet] = field(default_factory=list)


def new_workbook() -> Workbook:
    """An empty workbook: add sheets with :func:`table_sheet` and :func:`text_sheet`."""
    return Workbook()


def _string(ref: str, text: str, style: int) -> str:
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{ref}" t="inlineStr" s="{style}"><is><t{space}>{_xml_escape(text)}</t></is></c>'


def _cells(column: pd.Series, kind: str, letters: str, first_row: int) -> list[str]:
    """The XML of each cell of one column from row ``first_row`` on (an empty string for an empty cell)."""
    rows = range(first_row, first_row + len(column))
    if kind == "date" and pd.api.types.is_datetime64_any_dtype(column.dtype):
        # Whole columns of dates at once: the serial day of each, missing ones left empty.
        days = (column.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
                - np.datetime64(_EPOCH, "D")).astype("int64")
        return ["" if missing else f'<c r="{letters}{row}" s="{_DATE}"><v>{day}</v></c>'
                for row, day, missing in zip(rows, days.tolist(), column.isna().tolist())]
    out = []
    for row, value in zip(rows, column.astype(object).tolist()):
        value = cell_value(value, kind)
        ref = f"{letters}{row}"
        if value is None:
            out.append("")
        elif isinstance(value, str):
            out.append(_string(ref, value, _TEXT if kind == "str" else _PLAIN))
        elif isinstance(value, bool):
            out.append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
        elif isinstance(value, dt.date):
            out.append(f'<c r="{ref}" s="{_DATE}"><v>{(value - _EPOCH).days}</v></c>')
        else:
            out.append(f'<c r="{ref}"><v>{value!r}</v></c>')
    return out


def table_sheet(book: Workbook, title: str, frame: pd.DataFrame, columns: Sequence[tuple[str, str]],
                headings: Sequence[str] | None = None) -> None:
    """Add a sheet of ``frame``'s ``columns`` (``(name, kind)``) with a bold, frozen heading and a filter.

    ``headings`` are the words of the heading row (default the column names).
    """
    columns = list(columns)
    headings = [name for name, _ in columns] if headings is None else list(headings)
    head = [cell_text(h) for h in headings]
    widths = []
    for (name, kind), heading in zip(columns, head):
        sample = [cell_value(v, kind) for v in frame[name].head(500).astype(object)]
        widths.append(min(max([len(heading)] + [_width(v) for v in sample]) + 2, _WIDEST))

    def rows():
        letters = [_letters(i) for i in range(1, len(columns) + 1)]
        yield '<row r="1">' + "".join(_string(f"{c}1", h, _HEADING) for c, h in zip(letters, head)) + "</row>"
        for first in range(0, len(frame), _ROWS_PER_WRITE):
            part = frame.iloc[first:first + _ROWS_PER_WRITE]
            cells = [_cells(part[name], kind, c, first + 2)
                     for (name, kind), c in zip(columns, letters)]
            yield "".join(f'<row r="{first + i + 2}">{"".join(row)}</row>' for i, row in enumerate(zip(*cells)))

    book.sheets.append(_Sheet(title, rows, widths, table=(len(columns), len(frame))))


def text_sheet(book: Workbook, title: str, lines: Iterable[tuple[str, str]], *,
               widths: tuple[int, int] = (28, 110)) -> None:
    """Add a sheet of ``(what, text)`` lines: the first column bold, both wrapped."""
    lines = [(cell_text(what), cell_text(text)) for what, text in lines]

    def rows():
        yield "".join(f'<row r="{i}">{_string(f"A{i}", what, _HEADING_WRAP)}{_string(f"B{i}", text, _WRAP)}</row>'
                      for i, (what, text) in enumerate(lines, start=1))

    book.sheets.append(_Sheet(title, rows, list(widths)))


def paragraph_sheet(book: Workbook, title: str, paragraphs: Iterable[str], *, width: int = 110) -> None:
    """Add a sheet of paragraphs, one per row of column A, wrapped; the first (a title) bold."""
    texts = [cell_text(text) for text in paragraphs]

    def rows():
        yield "".join(f'<row r="{i}">{_string(f"A{i}", text, _HEADING_WRAP if i == 1 else _WRAP)}</row>'
                      for i, text in enumerate(texts, start=1))

    book.sheets.append(_Sheet(title, rows, [width]))


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_STYLES = (
    f'{_HEAD}<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '</fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')


def _sheet_parts(sheet: _Sheet):
    """The XML of one worksheet, chunk by chunk."""
    frozen = sheet.table is not None
    last = f"{_letters(sheet.table[0])}{sheet.table[1] + 1}" if frozen and sheet.table[0] else None
    view = ('<sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
            'state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView>'
            if frozen else '<sheetView workbookViewId="0"/>')
    cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(sheet.widths, 1))
    yield (f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_RELS}">'
           + (f'<dimension ref="A1:{last}"/>' if last else "")
           + f'<sheetViews>{view}</sheetViews><sheetFormatPr defaultRowHeight="15"/>'
           + (f"<cols>{cols}</cols>" if cols else "") + "<sheetData>")
    yield from sheet.rows()
    yield "</sheetData>" + (f'<autoFilter ref="A1:{last}"/>' if last else "") + "</worksheet>"


def _quoted(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def workbook_bytes(book: Workbook, *, created) -> bytes:
    """The bytes of ``book``'s ``.xlsx`` file, the same for the same content (see the module docstring).

    ``created`` (a day) is what the workbook's properties say it was created and modified on.
    """
    stamp = f"{pd.Timestamp(created):%Y-%m-%dT%H:%M:%SZ}"
    sheets = book.sheets
    names = "".join(f'<sheet name="{_xml_escape(s.title, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
                    for i, s in enumerate(sheets, 1))
    filters = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f'{_xml_escape(_quoted(s.title))}!$A$1:${_letters(s.table[0])}${s.table[1] + 1}</definedName>'
        for i, s in enumerate(sheets) if s.table is not None and s.table[0])
    parts = {
        "[Content_Types].xml": (
            f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
                      'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                      for i in range(1, len(sheets) + 1))
            + '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>'),
        "_rels/.rels": (
            f'{_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
            'core-properties" Target="docProps/core.xml"/>'
            f'<Relationship Id="rId3" Type="{_RELS}/extended-properties" Target="docProps/app.xml"/>'
            '</Relationships>'),
        "docProps/core.xml": (
            f'{_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
            'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
            ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>handover</dc:creator>'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>'),
        "docProps/app.xml": (
            f'{_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            f"<Application>handover {_xml_escape(__version__)}</Application></Properties>"),
        "xl/workbook.xml": (
            f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}"><bookViews><workbookView/></bookViews>'
            f"<sheets>{names}</sheets>" + (f"<definedNames>{filters}</definedNames>" if filters else "")
            + "</workbook>"),
        "xl/_rels/workbook.xml.rels": (
            f'{_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{i}" Type="{_RELS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                      for i in range(1, len(sheets) + 1))
            + f'<Relationship Id="rId{len(sheets) + 1}" Type="{_RELS}/styles" Target="styles.xml"/></Relationships>'),
        "xl/styles.xml": _STYLES,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(_entry(name), text.encode("utf-8"))
        for i, sheet in enumerate(sheets, 1):
            with archive.open(_entry(f"xl/worksheets/sheet{i}.xml"), "w") as handle:
                for chunk in _sheet_parts(sheet):
                    handle.write(chunk.encode("utf-8"))
    return buffer.getvalue()


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info
