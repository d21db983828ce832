r"""Results as text: a finding's rows as a terminal table, CSV or JSON, and any frame as CSV or a table.

**CSV dialects.** ``standard`` is the contract of docs/findings.md: ``,``, UTF-8 without
a BOM, ``\n`` line ends, a decimal point; scripts rely on it byte for byte. ``excel-nb``
is for Excel set to Norwegian: ``;`` between fields, UTF-8 *with* a BOM (without one
Excel reads the file as Windows-1252 and mangles æøå), ``\r\n`` line ends and a decimal
comma in float columns (Norwegian Excel reads ``0,6667`` as a number and ``0.6667`` as a
date or text). Its reader is a spreadsheet, so its text cells are defused against formulas
(:mod:`handover.privacy.spreadsheet`).

**Tables.** A table is as wide as its longest cells. When that is wider than the terminal
(:func:`terminal_width`), columns of free text (names, professions) may wrap; ids, dates,
codes and numbers are never cut or wrapped: if the table still does not fit, the rows are
shown as records, one block of ``column: value`` lines per row.
"""

from __future__ import annotations

import io
import json
import os
import sys
from typing import Iterable

import numpy as np
import pandas as pd

from handover.errors import InputError
from handover.findings.schema import ResultSchema, to_text_frame
from handover.privacy.spreadsheet import neutralise_frame
from handover.render.characters import terminal_safe

__all__ = ["FORMATS", "CSV_DIALECTS", "render", "render_records", "frame_csv", "frame_text", "csv_text",
           "text_table", "terminal_width"]

FORMATS = ("table", "csv", "json")

#: ``--csv-dialect`` values: the contract's CSV, and CSV for Excel set to Norwegian.
CSV_DIALECTS = ("standard", "excel-nb")

#: The width of a table written anywhere but a terminal (a file, a pipe), unless $COLUMNS says otherwise.
UNBOUNDED_WIDTH = 200


def render(frame: pd.DataFrame, schema: ResultSchema, fmt: str, *, dialect: str = "standard",
           width: int | None = None) -> str:
    """Render a finalized result as text in format ``fmt`` (``table``, ``csv`` or ``json``).

    Parameters
    ----------
    frame : pandas.DataFrame
        Rows finalised to ``schema``.
    schema : ResultSchema
    fmt : str
    dialect : str
        ``csv`` only: ``standard`` or ``excel-nb`` (see the module docstring).
    width : int, optional
        ``table`` only: the columns available; default :func:`terminal_width`.

    Examples
    --------
    >>> from handover.findings import SCHEMAS
    >>> from handover.findings.schema import finalize
    >>> schema = SCHEMAS["caseworker_turnover"]
    >>> rows = finalize(pd.DataFrame({"user_id": ["u1"], "role": ["caseworker"],
    ...     "changes": [3], "window_start": ["2024-01-01"], "window_end": ["2024-12-31"],
    ...     "distinct_staff": [3]}), schema)
    >>> print(render(rows, schema, "csv"), end="")
    user_id,role,changes,window_start,window_end,distinct_staff
    u1,caseworker,3,2024-01-01,2024-12-31,3
    >>> json.loads(render(rows, schema, "json"))[0]["changes"]
    3
    >>> render(rows, schema, "csv", dialect="excel-nb").splitlines()[1]
    'u1;caseworker;3;2024-01-01;2024-12-31;3'
    >>> print(render(rows, schema, "table", width=40), end="")
    caseworker_turnover — 1 row
    (one block per row: the table is 79 columns wide, the terminal 40)
    <BLANKLINE>
    user_id:         u1
    role:            caseworker
    changes:         3
    window_start:    2024-01-01
    window_end:      2024-12-31
    distinct_staff:  3
    """
    if fmt == "csv":
        text = to_text_frame(frame, schema)
        if _checked_dialect(dialect) == "excel-nb":
            text = neutralise_frame(text, columns=[name for name, kind in schema.columns if kind == "str"])
        return csv_text(text, dialect=dialect,
                        decimal_columns=[name for name, kind in schema.columns if kind == "float"])
    if fmt == "json":
        return json.dumps(_json_records(frame, schema), ensure_ascii=False, indent=2) + "\n"
    if fmt == "table":
        return text_table(to_text_frame(frame, schema), title=_rows_title(schema.name, len(frame)),
                          numeric=[name for name, kind in schema.columns if kind in ("int", "float")],
                          width=width)
    raise InputError(f"--format: {fmt} is not one of: {', '.join(FORMATS)}")


def _rows_title(name: str, rows: int) -> str:
    return f"{name} — {rows} row{'s' if rows != 1 else ''}"


def _checked_dialect(dialect: str) -> str:
    if dialect not in CSV_DIALECTS:
        raise InputError(f"--csv-dialect: {dialect} is not one of: {', '.join(CSV_DIALECTS)}")
    return dialect


def csv_text(text: pd.DataFrame, *, dialect: str = "standard", decimal_columns: Iterable[str] = ()) -> str:
    r"""A frame of strings as CSV text in ``dialect`` (``decimal_columns``: numbers with decimals).

    ``standard`` leaves the text as it is; ``excel-nb`` writes a BOM, ``;``, ``\r\n`` and a
    decimal comma in ``decimal_columns``. Text is never changed otherwise: defuse it
    before, if a spreadsheet reads it.

    Examples
    --------
    >>> text = pd.DataFrame({"user_id": ["u1", "u;2"], "upc": ["0.6667", ""]})
    >>> csv_text(text)
    'user_id,upc\nu1,0.6667\nu;2,\n'
    >>> csv_text(text, dialect="excel-nb", decimal_columns=["upc"])
    '\ufeffuser_id;upc\r\nu1;0,6667\r\n"u;2";\r\n'
    """
    if _checked_dialect(dialect) == "standard":
        return text.to_csv(index=False, lineterminator="\n")
    text = text.copy()
    for name in decimal_columns:
        if name in text.columns:
            text[name] = text[name].map(lambda v: v.replace(".", ",") if isinstance(v, str) else v)
    return "\ufeff" + text.to_csv(index=False, sep=";", lineterminator="\r\n")


def _json_records(frame: pd.DataFrame, schema: ResultSchema) -> list[dict]:
    text = to_text_frame(frame, schema)
    records = []
    for i in range(len(frame)):
        record = {}
        for name, kind in schema.columns:
            value = frame[name].iloc[i]
            if pd.isna(value):
                record[name] = None
            elif kind == "int":
                record[name] = int(value)
            elif kind == "float":
                record[name] = float(value)
            elif kind == "bool":
                record[name] = bool(value)
            else:
                record[name] = text[name].iloc[i]
        records.append(record)
    return records


def terminal_width(stream=None) -> int:
    """The columns a table may use: ``$COLUMNS`` when set, else the terminal's, else 200.

    Output that is not a terminal (a file, a pipe) is not cut to any width; ``COLUMNS=80``
    forces a width anywhere (as rich does), which is how tests see a narrow terminal.
    """
    given = os.environ.get("COLUMNS", "").strip()
    if given.isdigit() and int(given) > 0:
        return int(given)
    stream = stream if stream is not None else sys.stdout
    try:
        if stream.isatty():
            return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):
        pass
    return UNBOUNDED_WIDTH


def _table(text: pd.DataFrame, title: str, numeric, free_text, *, squeezed: dict | None = None):
    from rich.table import Table
    from rich.text import Text

    # Cells are Text, not markup: "[bold]" in a name is shown as written.
    table = Table(title=Text(title))
    for name in text.columns:
        free = name in free_text
        table.add_column(Text(name), justify="right" if name in numeric else "left", no_wrap=not free,
                         overflow="fold" if free else "ellipsis",
                         max_width=(squeezed or {}).get(name))
    for row in text.itertuples(index=False):
        table.add_row(*(Text(cell) for cell in row))
    return table


def _width_of(table) -> int:
    from rich.console import Console

    return Console(width=100_000).measure(table).maximum


def _narrowest(text: pd.DataFrame, name: str) -> int:
    """How narrow a free-text column can get: its longest word (at most 16; longer words fold)."""
    words = [len(word) for value in [name, *text[name]] for word in str(value).split()]
    return max(1, min(max(words, default=1), 16))


def text_table(text: pd.DataFrame, *, title: str, numeric: Iterable[str] = (), free_text: Iterable[str] = (),
               width: int | None = None) -> str:
    """A frame of strings as a terminal table of at most ``width`` columns, or as records.

    Parameters
    ----------
    text : pandas.DataFrame
        The cells as text (``to_text_frame``, :func:`frame_text`).
    title : str
        Shown above the table.
    numeric : iterable of str
        Columns aligned right.
    free_text : iterable of str
        Columns that may wrap when the table is too wide (names, professions); every other
        column keeps its cells whole.
    width : int, optional
        Default :func:`terminal_width`.

    Returns
    -------
    str
        The table when it fits (wrapping free text if that is enough), else one block of
        ``column: value`` lines per row, a blank line between rows. Control characters
        and bidirectional controls in the cells are shown escaped (``\\x1b``), never
        sent to the terminal (:func:`handover.render.characters.terminal_safe`).
    """
    from rich.console import Console

    width = width if width is not None else terminal_width()
    text = _shown(text)
    title = terminal_safe(title)
    numeric, free_text = set(numeric), set(free_text) & set(text.columns)
    table = _table(text, title, numeric, free_text)
    natural = _width_of(table)
    fits = natural <= width
    if not fits and free_text:
        squeezed = {name: _narrowest(text, name) for name in free_text}
        fits = _width_of(_table(text, title, numeric, free_text, squeezed=squeezed)) <= width
    if not fits:
        return _records(text, title, natural, width)
    buffer = io.StringIO()
    Console(file=buffer, width=width, highlight=False).print(table)
    return buffer.getvalue()


def _shown(text: pd.DataFrame) -> pd.DataFrame:
    """``text`` with control characters escaped (``\\x1b``), so the terminal shows them and runs none."""
    return pd.DataFrame({name: [terminal_safe(str(value)) for value in text[name]] for name in text.columns},
                        columns=[terminal_safe(str(name)) for name in text.columns], index=text.index)


def _records(text: pd.DataFrame, title: str, natural: int, width: int) -> str:
    pad = max((len(name) for name in text.columns), default=0) + 3
    lines = [title, f"(one block per row: the table is {natural} columns wide, the terminal {width})"]
    for row in text.itertuples(index=False):
        lines.append("")
        lines += [f"{name + ':':<{pad}}{value}".rstrip() for name, value in zip(text.columns, row)]
    return "\n".join(lines) + "\n"


def _number(value) -> str:
    """A number as the CSV files print it: at most 6 decimals, no trailing zeros."""
    if value is None or pd.isna(value):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return str(value)


def frame_text(frame: pd.DataFrame) -> pd.DataFrame:
    """A result frame as the strings its CSV shows: numbers plainly, booleans as true/false, missing empty.

    Examples
    --------
    >>> frame_text(pd.DataFrame({"a": ["x", None], "w": [2.0, 1 / 3], "f": [True, False]})).values.tolist()
    [['x', '2', 'true'], ['', '0.333333', 'false']]
    """
    return pd.DataFrame({
        name: [_number(v) if not isinstance(v, str) else v for v in frame[name].astype(object)]
        for name in frame.columns
    }, columns=list(frame.columns), index=frame.index)


def frame_csv(frame: pd.DataFrame, *, spreadsheet: bool = False, dialect: str = "standard") -> str:
    r"""A result frame as CSV text: numbers plainly, booleans as true/false, missing as empty.

    With ``spreadsheet`` (the metrics and caseload files, meant for Excel), text cells a
    spreadsheet would run as a formula get a leading ``'`` (:mod:`handover.privacy.spreadsheet`);
    ``network --format csv`` is for scripts and keeps the exact ids. ``dialect`` is
    ``standard`` or ``excel-nb`` (see the module docstring; float columns get the
    decimal comma).

    Examples
    --------
    >>> print(frame_csv(pd.DataFrame({"a": ["x", None], "w": [2.0, 1 / 3], "f": [True, False]})), end="")
    a,w,f
    x,2,true
    ,0.333333,false
    >>> print(frame_csv(pd.DataFrame({"name": ["=cmd"], "w": [-1.5]}), spreadsheet=True), end="")
    name,w
    '=cmd,-1.5
    >>> frame_csv(pd.DataFrame({"name": ["NAV"], "w": [-1.5]}), dialect="excel-nb")
    '\ufeffname;w\r\nNAV;-1,5\r\n'
    """
    if spreadsheet:
        frame = neutralise_frame(frame)
    decimals = [name for name in frame.columns if pd.api.types.is_float_dtype(frame[name])]
    return csv_text(frame_text(frame), dialect=dialect, decimal_columns=decimals)


def render_records(frame: pd.DataFrame, fmt: str, *, title: str, dialect: str = "standard",
                   width: int | None = None) -> str:
    """Any query's records (plain values: numbers, text, lists, maps) as a table, CSV or JSON.

    For a result without a schema (``handover cypher``): a list or a map is shown as its
    JSON in a table or a CSV cell, and kept as it is in JSON.

    Examples
    --------
    >>> rows = pd.DataFrame({"staff_id": ["st1"], "users": [3], "agencies": [["a1", "a2"]]})
    >>> print(render_records(rows, "csv", title="q"), end="")
    staff_id,users,agencies
    st1,3,"[""a1"", ""a2""]"
    >>> json.loads(render_records(rows, "json", title="q"))
    [{'staff_id': 'st1', 'users': 3, 'agencies': ['a1', 'a2']}]
    """
    if fmt == "json":
        records = [{name: _json_ready(value) for name, value in zip(frame.columns, row)}
                   for row in frame.itertuples(index=False)]
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    cells = frame.copy()
    for name in cells.columns:
        cells[name] = [json.dumps(v, ensure_ascii=False, default=str) if isinstance(v, (list, dict)) else v
                       for v in cells[name].astype(object)]
    text = frame_text(cells)
    if fmt == "csv":
        if _checked_dialect(dialect) == "excel-nb":
            text = neutralise_frame(text)
        decimals = [name for name in frame.columns if pd.api.types.is_float_dtype(frame[name])]
        return csv_text(text, dialect=dialect, decimal_columns=decimals)
    if fmt == "table":
        numeric = [name for name in frame.columns if pd.api.types.is_numeric_dtype(frame[name])
                   and not pd.api.types.is_bool_dtype(frame[name])]
        return text_table(text, title=_rows_title(title, len(frame)), numeric=numeric, width=width)
    raise InputError(f"--format: {fmt} is not one of: {', '.join(FORMATS)}")


def _json_ready(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, list):
        return [_json_ready(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    return value
