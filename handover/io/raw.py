"""A table as read: stripped Arrow text per contract column, with each row's line in its file."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from handover.errors import Violation
from handover.io.mapping import TableMapping
from handover.model import Table

# What Python's str.strip() strips: every character whose isspace() is true.
_WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
               "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


@dataclass
class RawTable:
    """One table as read: stripped Arrow text (null when empty) per contract column, per row its line.

    Parameters
    ----------
    file : str
        The file's name, as messages show it.
    table : Table
        The contract table.
    cells : dict
        Contract column → its values (after the mapping's ``values``, when it has any).
    missing : dict
        Contract column → which rows are empty.
    lines : numpy.ndarray
        Each row's line (CSV), row (Parquet) or sheet row (xlsx).
    line_label : str
        ``line`` or ``row``.
    sheet : str, optional
        The workbook's sheet.
    shown : dict
        Contract column → how messages name it: the export's header, or the mapping's
        constant.
    blank_rows : int
        Rows without a single value in the columns read, which were dropped.
    ignored : tuple of str
        The headers no contract column was read from.
    date_formats : dict
        Date column → the format its text dates were read in (filled in by the checks).
    original : dict
        Contract column → its values as the export wrote them, for columns whose values the
        mapping translates (messages show the user's own value).
    mapping : TableMapping, optional
        The mapping applied, with the name of its file in ``mapping_file``.
    """

    file: str
    table: Table
    cells: dict[str, pa.ChunkedArray]
    missing: dict[str, np.ndarray]
    lines: np.ndarray
    line_label: str = "line"
    sheet: str | None = None
    shown: dict[str, str] = field(default_factory=dict)
    original: dict[str, pa.ChunkedArray] = field(default_factory=dict)
    mapping: TableMapping | None = None
    mapping_file: str | None = None
    blank_rows: int = 0
    ignored: tuple[str, ...] = ()
    date_formats: dict[str, str] = field(default_factory=dict)

    @property
    def n_rows(self) -> int:
        return len(self.lines)

    def name_of(self, column: str) -> str:
        """How messages name contract column ``column``: the export's header when mapped."""
        return self.shown.get(column, column)

    def as_written(self, column: str) -> pa.ChunkedArray:
        """The values of ``column`` as the export wrote them."""
        return self.original.get(column, self.cells[column])


def _position(header: list[str], wanted: str) -> int | None:
    """Where header ``wanted`` is: spelled the same, else the one spelled alike without regard to case."""
    if wanted in header:
        return header.index(wanted)
    alike = [i for i, name in enumerate(header) if name.casefold() == wanted.casefold()]
    return alike[0] if len(alike) == 1 else None


def raw_table(file: str, table: Table, header: list[str], columns: list[pa.ChunkedArray],
              lines: np.ndarray, label: str, header_line: int | None,
              violations: list[Violation], *, sheet: str | None = None,
              mapping: TableMapping | None = None, mapping_file: str | None = None) -> RawTable:
    """The contract's columns of one table as read, with the mapping applied.

    Columns are found by header (the mapping's header, else the contract's name), the
    mapping's constants added, its values translated, and rows without a single value
    dropped (Excel pads exports with them). Missing headers are violations.
    """
    def header_problem(column: str, rule: str) -> None:
        violations.append(Violation(file, header_line, column, None, rule, label, sheet))

    counts = Counter(header)
    for name, count in counts.items():
        # Excel pads a sheet with unnamed columns; those are ignored, not duplicates.
        if count > 1 and name:
            header_problem(name, f"named {count} times in the header; keep only one")
    mapped = mapping or TableMapping(table.name)
    wanted = {c: mapped.columns.get(c, c) for c in table.column_names if c not in mapped.constants}
    positions = {c: _position(header, name) for c, name in wanted.items()}
    headers_found = ", ".join(shown_value(name, 40) for name in header if name)
    if any(p is not None for p in positions.values()):
        found = "found: " + headers_found
    else:
        # The first line then is most likely data, which must not reach a message.
        found = "found none of the table's columns; does the file lack its header row?"
    for column, name in wanted.items():
        if positions[column] is not None:
            continue
        if column in mapped.columns:
            header_problem(name, f"not in the header, but {mapping_file} maps {table.name}.{column} to it "
                                 f"(in [{table.name}.columns]; the headers are: {headers_found or 'none'})")
        elif table.column(column).required:
            where = (f"; name its header under [{table.name}.columns] in {mapping_file}"
                     if mapping_file else "")
            header_problem(column, f"missing, but the column is required ({found}){where}")

    text = {c: stripped(columns[p]) for c, p in positions.items() if p is not None}
    shown = {c: header[p] for c, p in positions.items() if p is not None}
    missing = {name: _is_null(values) for name, values in text.items()}
    lines = np.asarray(lines)
    blank_rows = 0
    if text:
        # Excel exports rows that were only formatted as lines of bare separators;
        # a row without a single contract value is no record.
        blank = np.logical_and.reduce(list(missing.values()))
        blank_rows = int(blank.sum())
        if blank.any():
            kept = pa.array(~blank)
            text = {name: values.filter(kept) for name, values in text.items()}
            missing = {name: values[~blank] for name, values in missing.items()}
            lines = lines[~blank]
    for column, value in mapped.constants.items():
        text[column] = pa.chunked_array([pa.array(np.full(len(lines), value, dtype=object), pa.string())])
        missing[column] = np.zeros(len(lines), dtype=bool)
        shown[column] = f"{column} (the constant of {mapping_file})"
    original = {}
    for column in mapped.values:
        if column in text and column not in mapped.constants:
            original[column] = text[column]
            text[column] = translated(text[column], mapped.translation(column))
    used = {p for p in positions.values() if p is not None}
    ignored = tuple(name for i, name in enumerate(header) if name and i not in used)
    return RawTable(file, table, text, missing, lines, label, sheet, shown, original,
                    mapping, mapping_file, blank_rows, ignored)


def translated(values: pa.ChunkedArray, translation: dict[str, str]) -> pa.ChunkedArray:
    """``values`` with each value the translation names (by its lower-cased text) replaced.

    Examples
    --------
    >>> out = translated(pa.chunked_array([["Koordinator", "x", None]]), {"koordinator": "coordinator"})
    >>> out.to_pylist()
    ['coordinator', 'x', None]
    """
    if not translation:
        return values
    # A coded column holds a handful of distinct codes: translate those, then spread them back.
    encoded = pc.dictionary_encode(values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values)
    codes = encoded.dictionary
    keys = pa.array(list(translation), pa.string())
    targets = pa.array(list(translation.values()), pa.string())
    at = pc.index_in(pc.utf8_lower(codes), value_set=keys)
    mapped = pc.if_else(pc.is_null(at), codes, pc.take(targets, pc.fill_null(at, 0)))
    return pa.chunked_array([pc.take(mapped, encoded.indices)])


def stripped(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """``column`` stripped as ``str.strip()`` strips, with empty values made missing.

    When nothing is to be stripped (the common case) the column read is kept, not its
    stripped copy, and its empty values become missing in a new validity bitmap over the
    same buffers: a table is held once, as the file's parser left it.

    Examples
    --------
    >>> stripped(pa.chunked_array([[" a ", "", "b", None]])).to_pylist()
    ['a', None, 'b', None]
    >>> stripped(pa.chunked_array([["a", ""], ["", "c"]])).to_pylist()
    ['a', None, None, 'c']
    """
    trimmed = pc.utf8_trim(column, characters=_WHITESPACE)
    if pc.sum(pc.binary_length(trimmed)).as_py() != pc.sum(pc.binary_length(column)).as_py():
        column = trimmed
    del trimmed
    empty = pc.equal(column, "")
    if not pc.any(empty).as_py():
        return column
    return pa.chunked_array([_nulled(chunk, pc.equal(chunk, "")) for chunk in column.chunks], pa.string())


def _nulled(chunk: pa.Array, empty: pa.BooleanArray) -> pa.Array:
    """``chunk`` (of strings) missing where ``empty`` is true, sharing its offsets and text."""
    if chunk.type != pa.string() or chunk.offset != 0:
        return pc.if_else(empty, pa.scalar(None, pa.string()), chunk)
    keep = pc.and_kleene(pc.invert(pc.fill_null(empty, True)), pc.is_valid(chunk))
    keep = keep if keep.offset == 0 else pc.take(keep, pa.array(range(len(keep))))
    _, offsets, text = chunk.buffers()
    return pa.StringArray.from_buffers(len(chunk), offsets, text, keep.buffers()[1])


def _is_null(column: pa.ChunkedArray) -> np.ndarray:
    return pc.is_null(column).to_numpy(zero_copy_only=False)


def arrow_bools(mask: pa.ChunkedArray) -> np.ndarray:
    return pc.fill_null(mask, False).to_numpy(zero_copy_only=False)


def objects(column: pa.ChunkedArray) -> pd.Series:
    """``column`` as ``str`` objects, ``None`` where missing."""
    return pd.Series(column.to_pandas(), dtype=object, copy=False)


# Two letters in a row: words. A date, a year or a timestamp holding them is most likely free
# text (a reason, a name) in the wrong column, and is never echoed.
_WORDS = re.compile(r"[^\W\d_]{2,}")


def holds_words(value: str) -> bool:
    """Whether ``value`` holds words (two letters in a row), so that a message must not show it.

    Examples
    --------
    >>> holds_words("Kari Nordmann"), holds_words("2024-03-01T10:00Z"), holds_words("31.12.2024")
    (True, False, False)
    """
    return _WORDS.search(value) is not None


def shown_value(value: str, limit: int = 60) -> str:
    """``value`` as a message shows it: shortened, invisible characters made visible."""
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    if value.isprintable():
        return value
    # A tab, a line break or a zero-width space in an id must show, or " u1" and "u1\u200b"
    # would read as the same value.
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in value)
