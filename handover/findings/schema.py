"""Result schemas: the columns, their types and sort key of a finding's rows.

Both engines return raw frames; :func:`finalize` gives them the exact columns,
dtypes and row order of the finding's declaration (docs/findings.md), so equal
answers compare equal. Each finding declares its schema in its own module
(:class:`handover.findings.spec.Finding`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from handover.errors import QueryError

__all__ = ["ResultSchema", "finalize", "to_text_frame", "text_rows"]

# Column types: "str" (ids, vocab), "date", "int", "bool", "float" (rounded to 4 decimals).
_DTYPES = {"str": object, "date": "datetime64[ns]", "int": "Int64", "bool": "boolean", "float": "Float64"}


@dataclass(frozen=True)
class ResultSchema:
    """The contract of one finding's result table.

    Parameters
    ----------
    name : str
        The finding's name (``parallel_plans``).
    columns : tuple of (str, str)
        Column name and type, in output order.
    sort_key : tuple of str
        Columns the rows are sorted by.
    """

    name: str
    columns: tuple[tuple[str, str], ...]
    sort_key: tuple[str, ...]

    @property
    def column_names(self) -> list[str]:
        return [name for name, _ in self.columns]

    def empty(self) -> pd.DataFrame:
        """A zero-row frame with the right columns and dtypes."""
        return pd.DataFrame({name: pd.Series([], dtype=_DTYPES[kind]) for name, kind in self.columns})


def finalize(frame: pd.DataFrame, schema: ResultSchema) -> pd.DataFrame:
    """Give a raw result frame the exact columns, dtypes and row order of ``schema``.

    Strings sort by code point (Python's order), whatever engine produced them.

    Examples
    --------
    >>> from handover.findings import SCHEMAS
    >>> raw = pd.DataFrame({"user_id": ["u2", "u10"], "role": ["caseworker"] * 2,
    ...     "changes": [3, 4], "window_start": ["2024-01-01", "2024-02-01"],
    ...     "window_end": ["2024-12-31", "2025-01-31"], "distinct_staff": [3, 4]})
    >>> finalize(raw, SCHEMAS["caseworker_turnover"])["user_id"].tolist()
    ['u10', 'u2']
    """
    missing = [c for c in schema.column_names if c not in frame.columns]
    if missing:
        raise QueryError(f"{schema.name}: the engine's answer lacks the columns {', '.join(missing)}")
    if frame.empty:
        return schema.empty()
    out = pd.DataFrame(index=frame.index)
    for name, kind in schema.columns:
        column = frame[name]
        if kind == "str":
            out[name] = column.astype(object).where(column.notna(), None)
        elif kind == "date":
            out[name] = pd.to_datetime(column).astype("datetime64[ns]")
        elif kind == "float":
            out[name] = pd.to_numeric(column).astype("Float64").round(4)
        else:
            out[name] = column.astype(_DTYPES[kind])
    out = out.sort_values(list(schema.sort_key), kind="stable", na_position="first")
    return out.reset_index(drop=True)


def _text(value, kind: str) -> str:
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return ""
    if kind == "date":
        return f"{value:%Y-%m-%d}"
    if kind == "bool":
        return "true" if value else "false"
    if kind == "float":
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return str(value)


def text_rows(frame: pd.DataFrame, schema: ResultSchema) -> list[tuple[str, ...]]:
    """The rows of a finalized frame as tuples of the strings the CSV contract shows.

    The same text as :func:`to_text_frame`, made value by value: for the few rows of one
    user's page, many times quicker than a frame's column operations.

    Examples
    --------
    >>> from handover.findings import SCHEMAS
    >>> f = finalize(pd.DataFrame({"user_id": ["u1"], "role": ["caseworker"],
    ...     "changes": [3], "window_start": ["2024-01-01"], "window_end": [None],
    ...     "distinct_staff": [2]}), SCHEMAS["caseworker_turnover"])
    >>> text_rows(f, SCHEMAS["caseworker_turnover"])
    [('u1', 'caseworker', '3', '2024-01-01', '', '2')]
    """
    columns = [[_text(value, kind) for value in frame[name].tolist()] for name, kind in schema.columns]
    return list(zip(*columns))


def to_text_frame(frame: pd.DataFrame, schema: ResultSchema) -> pd.DataFrame:
    """Render a finalized frame as the strings the CSV contract shows.

    Dates print as ``YYYY-MM-DD``, booleans as ``true``/``false``, missing values as
    empty strings, numbers plainly.

    Examples
    --------
    >>> from handover.findings import SCHEMAS
    >>> f = finalize(pd.DataFrame({"user_id": ["u1"], "role": ["caseworker"],
    ...     "changes": [3], "window_start": ["2024-01-01"], "window_end": [None],
    ...     "distinct_staff": [2]}), SCHEMAS["caseworker_turnover"])
    >>> to_text_frame(f, SCHEMAS["caseworker_turnover"]).iloc[0].tolist()
    ['u1', 'caseworker', '3', '2024-01-01', '', '2']
    """
    out = pd.DataFrame(index=frame.index)
    for name, kind in schema.columns:
        column = frame[name]
        if kind == "date":
            text = column.dt.strftime("%Y-%m-%d")
        elif kind == "bool":
            text = column.map({True: "true", False: "false"})
        elif kind == "float":
            text = column.map(lambda x: f"{x:.4f}".rstrip("0").rstrip(".") if pd.notna(x) else None)
        else:
            text = column.astype(object).map(lambda x: None if pd.isna(x) else str(x))
        out[name] = text.astype(object).where(column.notna(), "")
    return out
