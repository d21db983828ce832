"""Results as text: a finding's rows as a terminal table, CSV or JSON, and any frame as CSV."""

from __future__ import annotations

import io
import json
import os
import sys

import numpy as np
import pandas as pd

from handover.errors import InputError
from handover.findings.schema import ResultSchema, to_text_frame
from handover.privacy.spreadsheet import neutralise_frame

__all__ = ["FORMATS", "render", "frame_csv"]

FORMATS = ("table", "csv", "json")


def render(frame: pd.DataFrame, schema: ResultSchema, fmt: str) -> str:
    """Render a finalized result as text in format ``fmt`` (``table``, ``csv`` or ``json``).

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
    """
    if fmt == "csv":
        return to_text_frame(frame, schema).to_csv(index=False, lineterminator="\n")
    if fmt == "json":
        return json.dumps(_json_records(frame, schema), ensure_ascii=False, indent=2) + "\n"
    if fmt == "table":
        return _rich_table(frame, schema)
    raise InputError(f"--format: {fmt} is not one of: {', '.join(FORMATS)}")


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


def _rich_table(frame: pd.DataFrame, schema: ResultSchema) -> str:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{schema.name} — {len(frame)} row{'s' if len(frame) != 1 else ''}")
    for name, kind in schema.columns:
        table.add_column(name, justify="right" if kind in ("int", "float") else "left")
    for row in to_text_frame(frame, schema).itertuples(index=False):
        table.add_row(*row)
    buffer = io.StringIO()
    width = max(100, os.get_terminal_size(sys.stdout.fileno()).columns) if sys.stdout.isatty() else 200
    Console(file=buffer, width=width, highlight=False).print(table)
    return buffer.getvalue()


def _number(value) -> str:
    """A number as the CSV files print it: at most 6 decimals, no trailing zeros."""
    if value is None or pd.isna(value):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return str(value)


def frame_csv(frame: pd.DataFrame, *, spreadsheet: bool = False) -> str:
    """A result frame as CSV text: numbers plainly, booleans as true/false, missing as empty.

    With ``spreadsheet`` (the metrics and caseload files, meant for Excel), text cells a
    spreadsheet would run as a formula get a leading ``'`` (:mod:`handover.privacy.spreadsheet`);
    ``network --format csv`` is for scripts and keeps the exact ids.

    Examples
    --------
    >>> print(frame_csv(pd.DataFrame({"a": ["x", None], "w": [2.0, 1 / 3], "f": [True, False]})), end="")
    a,w,f
    x,2,true
    ,0.333333,false
    >>> print(frame_csv(pd.DataFrame({"name": ["=cmd"], "w": [-1.5]}), spreadsheet=True), end="")
    name,w
    '=cmd,-1.5
    """
    if spreadsheet:
        frame = neutralise_frame(frame)
    text = pd.DataFrame({
        name: [_number(v) if not isinstance(v, str) else v for v in frame[name].astype(object)]
        for name in frame.columns
    }, columns=list(frame.columns))
    return text.to_csv(index=False, lineterminator="\n")
