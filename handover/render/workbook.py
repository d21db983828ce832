"""A finding's rows as an Excel workbook: typed cells, defused text, and a sheet saying what it is.

:func:`finding_workbook` writes one sheet named after the finding, its columns as the
header row, and an ``About`` sheet (the finding's title and explanation, where it is
defined, the options used, the as-of day, the dataset and the handover version). Cells
are what Excel users expect of them:

- dates are date cells shown ``YYYY-MM-DD``, without a time (they sort, filter by
  month and compute differences);
- ``int`` and ``float`` columns are numbers (Excel shows ``0,6667`` in a Norwegian
  locale by itself);
- booleans are Excel's own TRUE/FALSE cells (shown SANN/USANN in Norwegian Excel; they
  filter, and ``ANTALL.HVIS(…;SANN)`` counts them), not the text ``true``;
- ids and other text are text cells, so an id like ``00123`` keeps its zeros; text a
  spreadsheet would run as a formula gets a leading ``'``
  (:mod:`handover.privacy.spreadsheet`), and characters a workbook cannot hold (control
  characters) become ``\ufffd``;
- missing values are empty cells.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Iterable

import pandas as pd

from handover.privacy.spreadsheet import neutralise_formula

__all__ = ["finding_workbook", "sheet_name"]

_WIDEST = 60


def sheet_name(name: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of ``[]:*?/\\``.

    Examples
    --------
    >>> sheet_name("handover_without_coordinator")
    'handover_without_coordinator'
    >>> len(sheet_name("x" * 40))
    31
    """
    cleaned = "".join("_" if c in "[]:*?/\\" else c for c in name).strip("'")
    return (cleaned or "rows")[:31]


def _text(value) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return neutralise_formula(ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value)))


def _cell(value, kind: str):
    """The value of one Excel cell for a value of a column of ``kind``."""
    if value is None or value is pd.NA or value is pd.NaT or (not isinstance(value, str) and pd.isna(value)):
        return None
    if kind == "date":
        return pd.Timestamp(value).date()
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    if kind == "bool":
        return bool(value)
    return _text(value)


def _shown(value) -> str:
    if isinstance(value, dt.date):
        return "YYYY-MM-DD"
    if isinstance(value, bool):
        return "FALSE"
    return "" if value is None else str(value)


def finding_workbook(frame: pd.DataFrame, *, name: str, columns: Iterable[tuple[str, str]],
                     about: Iterable[tuple[str, str]]) -> bytes:
    """The rows of one finding as the bytes of an ``.xlsx`` workbook (see the module docstring).

    Parameters
    ----------
    frame : pandas.DataFrame
        The rows, finalised to the finding's schema.
    name : str
        The finding's name: the first sheet's name.
    columns : iterable of (str, str)
        ``(column, kind)`` as in the schema (``str``, ``int``, ``float``, ``bool``, ``date``).
    about : iterable of (str, str)
        ``(what, text)`` lines of the ``About`` sheet.

    Returns
    -------
    bytes

    Examples
    --------
    >>> import openpyxl
    >>> rows = pd.DataFrame({"user_id": ["=u1"], "day": [pd.Timestamp("2024-03-01")], "late": [True]})
    >>> data = finding_workbook(rows, name="demo", columns=[("user_id", "str"), ("day", "date"),
    ...                         ("late", "bool")], about=[("Finding", "A demo")])
    >>> book = openpyxl.load_workbook(io.BytesIO(data))
    >>> book.sheetnames, [c.value for c in book["demo"][2]], book["demo"]["B2"].number_format
    (['demo', 'About'], ["'=u1", datetime.datetime(2024, 3, 1, 0, 0), True], 'yyyy-mm-dd')
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    columns = list(columns)
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_name(name)
    sheet.append([_text(column) for column, _ in columns])
    values = [[_cell(v, kind) for v in frame[column].astype(object)] for column, kind in columns]
    for row in zip(*values):
        sheet.append(list(row))
    for i, ((column, kind), cells) in enumerate(zip(columns, values), start=1):
        letter = get_column_letter(i)
        if kind == "date":
            for cell in sheet[letter][1:]:
                cell.number_format = "yyyy-mm-dd"
        elif kind == "str":
            for cell in sheet[letter][1:]:
                cell.number_format = "@"  # text: Excel leaves what is typed into it as typed
        width = max([len(column)] + [len(_shown(v)) for v in cells[:500]]) + 2
        sheet.column_dimensions[letter].width = min(width, _WIDEST)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    if columns:
        sheet.auto_filter.ref = sheet.dimensions
    info = book.create_sheet("About")
    for what, text in about:
        info.append([_text(what), _text(text)])
    info.column_dimensions["A"].width = 18
    info.column_dimensions["B"].width = 100
    for row in info.iter_rows():
        row[0].font = Font(bold=True)
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
