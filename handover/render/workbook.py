"""A finding's rows as an Excel workbook: typed cells, defused text, and a sheet saying what it is.

:func:`finding_workbook` writes one sheet named after the finding, its columns as the
header row, and an ``About`` sheet (the finding's title and explanation, where it is
defined, the options used, the as-of day, the dataset and the handover version). The
cells are those of every handover workbook (:mod:`handover.render.xlsx`).
"""

from __future__ import annotations

from typing import Iterable

import pandas as pd

from handover.render.xlsx import new_workbook, sheet_name, table_sheet, text_sheet, workbook_bytes

__all__ = ["finding_workbook"]


def finding_workbook(frame: pd.DataFrame, *, name: str, columns: Iterable[tuple[str, str]],
                     about: Iterable[tuple[str, str]], as_of) -> bytes:
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
    as_of : Timestamp
        The day the rows are as of: the workbook's creation date, so the same rows give the
        same bytes.

    Returns
    -------
    bytes

    Examples
    --------
    >>> import io, openpyxl
    >>> rows = pd.DataFrame({"user_id": ["=u1"], "day": [pd.Timestamp("2024-03-01")], "late": [True]})
    >>> data = finding_workbook(rows, name="demo", columns=[("user_id", "str"), ("day", "date"),
    ...                         ("late", "bool")], about=[("Finding", "A demo")], as_of=pd.Timestamp("2024-06-30"))
    >>> book = openpyxl.load_workbook(io.BytesIO(data))
    >>> book.sheetnames, [c.value for c in book["demo"][2]], book["demo"]["B2"].number_format
    (['demo', 'About'], ["'=u1", datetime.datetime(2024, 3, 1, 0, 0), True], 'yyyy-mm-dd')
    """
    book = new_workbook()
    table_sheet(book, sheet_name(name), frame, list(columns))
    text_sheet(book, "About", about, widths=(18, 100))
    return workbook_bytes(book, created=as_of)
