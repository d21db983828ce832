"""Tables for offline pages: every row, sortable, filterable, paged, agencies by name, users linked.

:func:`data_table` writes a table whose first page of rows is plain HTML (readable without
a script, and by any test) and whose every row travels in the page as JSON; the page's own
script (``assets/table.js``, inlined by :func:`table_script`) sorts by any column, filters
on any text and pages through the rows. Nothing is fetched, so it works from a folder on a
closed health network.

Cells are shown as readers expect: an agency id as the agency's name (the id on hover and
in the filter), a code in the language of the page (``saksbehandler``), a boolean as
``yes``/``no`` (``ja``/``nei``), numbers with the page's decimal mark; a user id links to
the user's page when the report drew one.

Examples
--------
>>> import pandas as pd
>>> from handover.locale import words
>>> frame = pd.DataFrame({"user_id": ["u1"], "agency_id": ["a1"], "role": ["caseworker"]})
>>> html = data_table(frame, [("user_id", "str"), ("agency_id", "str"), ("role", "str")], ident="t",
...                   w=words("nb"), agencies={"a1": "NAV Sentrum"}, users={"u1": "u1.html"}, base="users/")
>>> '<a href="users/u1.html">u1</a>' in html, 'title="a1">NAV Sentrum<' in html, ">saksbehandler<" in html
(True, True, True)
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np
import pandas as pd

from handover.locale import Words
from handover.render.html import asset, escape, json_for_script

__all__ = ["data_table", "table_script", "PAGE_SIZE", "CODE_COLUMNS"]

#: Rows per page of a table.
PAGE_SIZE = 100
#: Columns holding codes of a vocabulary, shown in the page's language.
CODE_COLUMNS = {"role": "role", "kind_a": "plan_kind", "kind_b": "plan_kind", "kind": "plan_kind",
                "discharge_kind": "discharge_kind", "holds": "holds", "scope": "scope"}


def _is_agency(column: str) -> bool:
    return "agency" in column and column.endswith("_id")


def _value(value, kind: str, column: str, w: Words):
    """A cell's value for the JSON: ``None`` when missing, numbers as numbers, the rest as text."""
    if value is None or value is pd.NA or value is pd.NaT or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, str) and kind in ("int", "float"):
        return value  # a hidden count: "<5"
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value) if math.isfinite(float(value)) else None
    if kind == "bool":
        return w.boolean(bool(value))
    if kind == "date":
        return f"{pd.Timestamp(value):%Y-%m-%d}"
    if column in CODE_COLUMNS:
        return w.value(CODE_COLUMNS[column], value)
    return str(value)


def _column_values(column: pd.Series, kind: str, name: str, w: Words) -> list:
    """:func:`_value` of every value of ``column``: whole columns at once where the type allows."""
    if kind == "date" and pd.api.types.is_datetime64_any_dtype(column.dtype):
        days = np.datetime_as_string(column.to_numpy(dtype="datetime64[ns]"), unit="D").tolist()
        return [None if missing else day for day, missing in zip(days, column.isna().tolist())]
    values = column.tolist()
    if kind == "str" and column.dtype == object:
        known: dict = {}
        out = []
        for value in values:
            if value is None or value is pd.NA or (isinstance(value, float) and value != value):
                out.append(None)
            elif isinstance(value, str) and name not in CODE_COLUMNS:
                out.append(value)
            else:
                if value not in known:
                    known[value] = _value(value, kind, name, w)
                out.append(known[value])
        return out
    if kind in ("int", "float", "bool"):
        words = {True: w.boolean(True), False: w.boolean(False)}
        out = []
        for value in values:
            if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
                out.append(None)
            elif isinstance(value, str):
                out.append(value)  # a hidden count: "<5"
            elif kind == "int":
                out.append(int(value))
            elif kind == "float":
                out.append(float(value) if math.isfinite(value) else None)
            else:
                out.append(words[bool(value)])
        return out
    return [_value(v, kind, name, w) for v in values]


def _cell(value, kind: str, column: str, w: Words, agencies: dict, users: dict, base: str) -> str:
    if value is None:
        return "<td></td>"
    if kind in ("int", "float"):
        text = str(value).replace(".", "," if w.lang == "nb" else ".")
        return f'<td class="num">{escape(text)}</td>'
    if _is_agency(column) and value in agencies:
        return f'<td title="{escape(value)}">{escape(agencies[value])}</td>'
    if column == "user_id" and value in users:
        return f'<td><a href="{escape(base + users[value])}">{escape(value)}</a></td>'
    return f"<td>{escape(value)}</td>"


def data_table(
    frame: pd.DataFrame,
    columns: Sequence[tuple[str, str]],
    *,
    ident: str,
    w: Words,
    agencies: dict | None = None,
    users: dict | None = None,
    base: str = "",
    csv: str | None = None,
    caption: str = "",
) -> str:
    """An interactive table of every row of ``frame`` (see the module docstring).

    Parameters
    ----------
    frame : pandas.DataFrame
    columns : sequence of (str, str)
        ``(column, kind)`` in order; kinds as in result schemas (``str``, ``int``,
        ``float``, ``bool``, ``date``).
    ident : str
        The table's id in the page.
    w : Words
        The page's language.
    agencies : dict, optional
        Agency id → name, for the agency columns.
    users : dict, optional
        User id → the file of their page, for the ``user_id`` column.
    base : str
        What goes before a user page's file name in a link (``../users/``).
    csv : str, optional
        A link to the same rows as CSV.
    caption : str, optional
        The table's caption.
    """
    agencies, users = agencies or {}, users or {}
    names = [c for c, _ in columns]
    kinds = [k for _, k in columns]
    values = [_column_values(frame[column], kind, column, w) for column, kind in columns]
    rows = [list(row) for row in zip(*values)] if values else []
    head = "".join(
        f'<th scope="col" aria-sort="none" data-col="{i}"><button type="button" title="{escape(w("grid.sort"))}">'
        f'{escape(w.column(name))}</button></th>' for i, name in enumerate(names))
    first = "\n".join(
        "<tr>" + "".join(_cell(v, kind, column, w, agencies, users, base) for v, kind, column in zip(row, kinds, names))
        + "</tr>" for row in rows[:PAGE_SIZE])
    shown = min(len(rows), PAGE_SIZE)
    count = (w("grid.showing", first=w.count(1), last=w.count(shown), total=w.count(len(rows))) if rows
             else w("grid.none"))
    data = {"columns": names, "kinds": kinds, "agencyColumns": [i for i, n in enumerate(names) if _is_agency(n)],
            "userColumn": names.index("user_id") if "user_id" in names else -1, "base": base,
            "pageSize": PAGE_SIZE, "rows": rows}
    link = f' · <a href="{escape(csv)}">{escape(w("grid.csv"))}</a>' if csv else ""
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    pages = "" if len(rows) <= PAGE_SIZE else (
        f'<p class="dt-pages"><button type="button" class="dt-prev">{escape(w("grid.previous"))}</button> '
        f'<button type="button" class="dt-next">{escape(w("grid.next"))}</button></p>')
    return (
        f'<div class="dt" id="{escape(ident)}" data-table>'
        f'<p class="dt-bar"><label>{escape(w("grid.filter"))} <input type="search" class="dt-filter" '
        f'placeholder="{escape(w("grid.filter_hint"))}"></label> <span class="dt-count" aria-live="polite">'
        f'{escape(count)}</span>{link}</p>'
        f'<div class="scroll"><table>{cap}<thead><tr>{head}</tr></thead><tbody>{first}</tbody></table></div>{pages}'
        f'<script type="application/json" class="dt-data">{json_for_script(data)}</script></div>')


def table_script(w: Words, agencies: dict, users: dict) -> str:
    """The ``<script>`` elements a page with :func:`data_table` tables needs: the words of the
    controls, the agency names, the user pages and the table code (``assets/table.js``)."""
    config = {"decimal": "," if w.lang == "nb" else ".", "showing": w("grid.showing"),
              "none": w("grid.none"), "agencies": agencies, "users": users}
    return (f'<script type="application/json" id="table-words">{json_for_script(config)}</script>'
            f"<script>{asset('table.js')}</script>")
