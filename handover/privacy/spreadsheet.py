"""Spreadsheet safety: text that Excel or LibreOffice would run as a formula is defused.

Ids, agency names and reasons come from agency systems, where anyone may have typed
``=HYPERLINK("http://x","click")`` into a field. A CSV or workbook cell that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a formula when a
spreadsheet opens the file (CSV injection, OWASP). Every output *meant to be opened in a
spreadsheet* (the report's CSVs, the audit's CSVs and workbook, the network metrics and
caseload CSVs) passes its text cells through :func:`neutralise_frame`, which puts a
leading ``'`` in front of such text: the spreadsheet then shows the text as typed.

Outputs *meant for scripts* keep exact values and are never neutralised:
``handover find --format csv|json`` and ``handover network --format csv`` print exactly
the values of docs/findings.md §5, so that a script reading them sees the ids the data holds; and
datasets written by ``handover generate`` and ``handover pseudonymize`` are input data,
not reports. Numbers are never touched: ``-3`` in a numeric column is a number, not a
formula.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"agency_id": ["-a1", "a2"], "name": ['=HYPERLINK("http://x")', "NAV"],
...                       "gap_days": [-3, 4]})
>>> neutralise_frame(frame).to_dict("list")
{'agency_id': ["'-a1", 'a2'], 'name': ['\\'=HYPERLINK("http://x")', 'NAV'], 'gap_days': [-3, 4]}
"""

from __future__ import annotations

from typing import Iterable

import pandas as pd

__all__ = ["FORMULA_STARTS", "neutralise_formula", "neutralise_frame"]

#: First characters that make a spreadsheet read a cell as a formula (or inject one).
FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """Prefix ``'`` to text a spreadsheet would read as a formula; other values pass through.

    Parameters
    ----------
    value : object
        A cell value. Only ``str`` values are changed; numbers, dates, booleans and
        missing values are returned as they are.

    Returns
    -------
    object
        ``"'" + value`` when ``value`` is text starting with one of
        :data:`FORMULA_STARTS`, else ``value`` itself.

    See Also
    --------
    neutralise_frame : the same for every text column of a frame.

    Notes
    -----
    A leading ``'`` is how a spreadsheet user types text that would otherwise be a
    formula; Excel and LibreOffice show the rest of the cell as text. The mark stays
    visible when the CSV is read by a script, which is why script-facing outputs are
    never neutralised.

    Examples
    --------
    >>> [neutralise_formula(v) for v in ["=HYPERLINK(1)", "+47", "-1", "@SUM", "u01", 5, -1, None]]
    ["'=HYPERLINK(1)", "'+47", "'-1", "'@SUM", 'u01', 5, -1, None]
    >>> neutralise_formula("\\tcmd")
    "'\\tcmd"
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame, columns: Iterable[str] | None = None) -> pd.DataFrame:
    """A copy of ``frame`` with :func:`neutralise_formula` applied to its text cells.

    Parameters
    ----------
    frame : pandas.DataFrame
    columns : iterable of str, optional
        The text columns to neutralise. Default: every column of ``object`` or
        string dtype. Pass the text columns explicitly when ``frame`` holds numbers
        already turned into text (as a CSV-ready frame of strings does), so that
        ``"-3"`` from a numeric column stays ``-3``.

    Returns
    -------
    pandas.DataFrame
        A new frame; ``frame`` is not changed. Numeric, boolean and date columns, and
        values that are not ``str`` inside text columns, are left as they are.

    Examples
    --------
    >>> text = pd.DataFrame({"user_id": ["-u1"], "gap_days": ["-3"]})
    >>> neutralise_frame(text, columns=["user_id"]).iloc[0].tolist()
    ["'-u1", '-3']
    >>> neutralise_frame(pd.DataFrame({"x": ["@a", 1.5, None]}))["x"].tolist()
    ["'@a", 1.5, None]
    """
    out = frame.copy()
    if columns is None:
        names = [name for name in out.columns
                 if pd.api.types.is_object_dtype(out[name]) or pd.api.types.is_string_dtype(out[name])]
    else:
        names = [name for name in columns if name in out.columns]
    for name in names:
        out[name] = out[name].map(neutralise_formula, na_action="ignore").astype(out[name].dtype)
    return out
