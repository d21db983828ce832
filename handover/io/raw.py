"""A table as read: stripped Arrow text per contract column, with each row's line in its file."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from handover.errors import Violation
from handover.model import Table

# What Python's str.strip() strips: every character whose isspace() is true.
_WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
               "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


@dataclass
class RawTable:
    """One table as read: stripped Arrow text (null when empty), per row its line."""

    file: str
    table: Table
    cells: dict[str, pa.ChunkedArray]
    missing: dict[str, np.ndarray]
    lines: np.ndarray
    line_label: str = "line"

    @property
    def n_rows(self) -> int:
        return len(self.lines)


def raw_table(file: str, table: Table, header: list[str], columns: list[pa.ChunkedArray],
               lines: np.ndarray, label: str, header_line: int | None,
               violations: list[Violation]) -> RawTable:
    def header_problem(column: str, rule: str) -> None:
        violations.append(Violation(file, header_line, column, None, rule, label))

    counts = Counter(header)
    for name, count in counts.items():
        # Excel pads a sheet with unnamed columns; those are ignored, not duplicates.
        if count > 1 and name:
            header_problem(name, f"named {count} times in the header; keep only one")
    if any(name in counts for name in table.column_names):
        found = "found: " + ", ".join(shown_value(name, 40) for name in header if name)
    else:
        # The first line then is most likely data, which must not reach a message.
        found = "found none of the table's columns; does the file lack its header row?"
    for name in table.required_columns:
        if name not in counts:
            header_problem(name, f"missing, but the column is required ({found})")

    first_position = {}
    for position, name in enumerate(header):
        first_position.setdefault(name, position)
    text = {
        name: _stripped(columns[first_position[name]])
        for name in table.column_names if name in first_position
    }
    missing = {name: _is_null(values) for name, values in text.items()}
    lines = np.asarray(lines)
    if text:
        # Excel exports rows that were only formatted as lines of bare separators;
        # a row without a single contract value is no record.
        blank = np.logical_and.reduce(list(missing.values()))
        if blank.any():
            kept = pa.array(~blank)
            text = {name: values.filter(kept) for name, values in text.items()}
            missing = {name: values[~blank] for name, values in missing.items()}
            lines = lines[~blank]
    return RawTable(file, table, text, missing, lines, label)


def _stripped(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """``column`` stripped as ``str.strip()`` strips, with empty values made missing."""
    text = pc.utf8_trim(column, characters=_WHITESPACE)
    empty = pc.equal(text, "")
    if not pc.any(empty).as_py():
        return text
    return pc.if_else(empty, pa.scalar(None, pa.string()), text)


def _is_null(column: pa.ChunkedArray) -> np.ndarray:
    return pc.is_null(column).to_numpy(zero_copy_only=False)


def arrow_bools(mask: pa.ChunkedArray) -> np.ndarray:
    return pc.fill_null(mask, False).to_numpy(zero_copy_only=False)


def objects(column: pa.ChunkedArray) -> pd.Series:
    """``column`` as ``str`` objects, ``None`` where missing."""
    return pd.Series(column.to_pandas(), dtype=object, copy=False)


def shown_value(value: str, limit: int = 60) -> str:
    """``value`` as a message shows it: shortened, invisible characters made visible."""
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    if value.isprintable():
        return value
    # A tab, a line break or a zero-width space in an id must show, or " u1" and "u1\u200b"
    # would read as the same value.
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in value)
