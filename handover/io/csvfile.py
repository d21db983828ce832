"""Reading a CSV file into columns of text: Arrow's parser first, pandas' where Arrow refuses.

Arrow reads on every core; a file it refuses (ragged rows, a header below blank
lines, a broken quote) is parsed again by pandas, whose errors say where the file
breaks. Each problem becomes a :class:`~handover.errors.Violation` naming the line.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from handover.errors import Violation
from handover.io.limits import FIELD_CHARS, HEADER_CHARS, HEADER_COLUMNS, first_too_long, size_text
from handover.io.raw import shown_value
from handover.io.text import decoded_text, empty_rule

_OTHER_SEPARATORS = (";", ",", "\t", "|")


def read_csv(path: Path, expected: Sequence[str], sep: str, encoding: str, violations: list[Violation]):
    """``path`` as ``(header, columns, lines, header_line)``, or ``None`` with the problems added.

    ``expected`` are the headers the table should have: named when the file is empty, and
    how a header in one column is told from data for the separator hint.
    """
    def problem(rule: str, line: int | None = None) -> None:
        violations.append(Violation(path.name, line, None, None, rule))

    decoded = decoded_text(path, expected, encoding, problem)
    if decoded is None:
        return None
    data, text = decoded
    del decoded  # the tuple would keep the text alive to the end
    try:
        header, header_start, header_line = _csv_header(text, sep)
    except csv.Error as err:
        problem(f"not readable as CSV ({err})")
        return None
    except _HeaderTooBig as err:
        problem(err.rule, line=err.line)
        return None
    if not header:
        problem(empty_rule(expected))
        return None
    hint = _separator_hint(header, sep, expected)
    if hint is not None:
        problem(hint, line=header_line)
        return None
    utf8 = data if encoding == "utf-8-sig" else text.encode("utf-8")
    # What the rest needs of the text, counted on the bytes (a line break is one byte in
    # UTF-8); the text itself is decoded again only on the rare paths, so that a big file
    # is never held three times over, as bytes, text and columns.
    ends_with_line_break = utf8.endswith((b"\n", b"\r"))
    physical_lines = utf8.count(b"\n") + (0 if utf8.endswith(b"\n") else 1)
    del data, text
    columns = _arrow_csv_columns(utf8, sep, len(header)) if header_line == 1 else None
    if columns is None:
        # pandas' parser reads what Arrow's refuses (rows too short, blank lines with
        # spaces, a header below blank lines) and says where a broken file breaks.
        columns = _pandas_csv_columns(utf8, sep, header, problem, skip=header_start - 1)
        if columns is None:
            return None
    long_value = _first_too_long_value(header, columns)
    if long_value is not None:
        violations.append(Violation(path.name, _line_past_field_limit(_text_of(utf8), sep), long_value, None,
                                    f"a value longer than {FIELD_CHARS:,} characters (16 Mi), the "
                                    "limit for a field; the value is not shown"))
        return None
    if not ends_with_line_break:
        cut = _cut_off_last_row(_text_of(utf8), sep, len(header))
        if cut is not None:
            problem(*cut)
    n_rows = len(columns[0]) if columns else 0
    if header_line == 1 and physical_lines == n_rows + 1:
        lines = np.arange(2, n_rows + 2)
    else:
        lines = _csv_lines(_text_of(utf8), sep, n_rows, header_line)
    return header, columns, lines, header_line


def _first_too_long_value(header: list[str], columns: list[pa.ChunkedArray]) -> str | None:
    """The header of the column holding the first value (by row) past :data:`FIELD_CHARS`, or ``None``."""
    found = [(position, i) for i, column in enumerate(columns)
             if (position := first_too_long(column, FIELD_CHARS, characters=True)) is not None]
    if not found:
        return None
    _, first = min(found)
    return header[first] or f"{first + 1} (no header)"


def _line_past_field_limit(text: str, sep: str) -> int | None:
    """The line of the first record with a field past :data:`FIELD_CHARS`, as the csv module finds it."""
    reader = _csv_records(text, sep)
    previous_end = 0
    try:
        for _ in reader:
            previous_end = reader.line_num
    except csv.Error:  # "field larger than field limit": at the record after previous_end
        return previous_end + 1
    return None


def _arrow_csv_columns(data: bytes, sep: str, n_columns: int) -> list[pa.ChunkedArray] | None:
    """Every column below the header line as Arrow text, or ``None`` if Arrow cannot tell.

    Arrow's parser reads on every core and is several times faster than pandas', but
    refuses any row whose number of values differs from the first one's: such files,
    and files without a data row, go the slower way that says where they break.
    """
    try:
        read = _arrow_read(data, sep, n_columns)
    except pa.ArrowInvalid as err:
        if "straddl" not in str(err):
            return None
        # A row longer than Arrow's block (1 MiB), such as one holding a long quoted
        # text with line breaks: one block for the whole file.
        try:
            read = _arrow_read(data, sep, n_columns, block_size=min(len(data) + 1, 2**31 - 1))
        except (pa.ArrowException, ValueError):
            return None
    except (pa.ArrowException, ValueError):
        return None
    if read.num_columns != n_columns or read.num_rows == 0:
        return None
    if not all(pa.types.is_string(column.type) for column in read.columns):
        return None
    return read.columns


def _arrow_read(data: bytes, sep: str, n_columns: int, block_size: int | None = None) -> pa.Table:
    read_options = pacsv.ReadOptions(skip_rows=1, autogenerate_column_names=True)
    if block_size is not None:
        read_options.block_size = block_size
    return pacsv.read_csv(
        pa.py_buffer(data), read_options=read_options,
        parse_options=pacsv.ParseOptions(delimiter=sep, newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            column_types={f"f{i}": pa.string() for i in range(n_columns)},
            strings_can_be_null=False, quoted_strings_can_be_null=False),
    )


def _pandas_csv_columns(utf8: bytes, sep: str, header: list[str],
                        problem: Callable[..., None], skip: int = 0) -> list[pa.ChunkedArray] | None:
    """The columns as pandas' parser reads them from the file's UTF-8 bytes.

    Never from a copy of the text: a ``StringIO`` holds four bytes a character.
    """
    try:
        with warnings.catch_warnings():
            # pandas only warns, and drops values, when the first row is too long.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            # Numbers as names: pandas renames repeated headers (a, a.1, a.2, ...) in time
            # quadratic in their number; the header is read, and checked, apart.
            frame = pd.read_csv(io.BytesIO(utf8), sep=sep, header=0, names=range(len(header)),
                                index_col=False, skiprows=skip, dtype=str, keep_default_na=False,
                                skip_blank_lines=True, engine="c", encoding="utf-8-sig")
    except pd.errors.ParserWarning:
        problem(*_too_long_row(_text_of(utf8), sep, len(header)))
        return None
    except ValueError as err:  # pandas' ParserError and EmptyDataError among them
        problem(*_parser_problem(str(err), _text_of(utf8), len(header), sep))
        return None
    if frame.shape[1] != len(header):
        problem(f"not readable as CSV (the header has {len(header)} columns, "
                f"but {frame.shape[1]} were read)")
        return None
    # A row shorter than the header leaves NaN in its last columns: missing values.
    # One array of all cells: a column taken out of a wide frame one by one costs a
    # pandas Series each.
    cells = frame.to_numpy(dtype=object)
    return [pa.chunked_array([pa.array(cells[:, i], type=pa.string(), from_pandas=True)])
            for i in range(cells.shape[1])]


def _text_of(utf8: bytes) -> str:
    """The text of the file's UTF-8 bytes (its encoding was checked when it was first decoded)."""
    return utf8.decode("utf-8-sig")


def _separator_hint(header: list[str], sep: str, expected: Sequence[str]) -> str | None:
    if len(header) != 1:
        return None
    guessed = next((s for s in _OTHER_SEPARATORS if s != sep and s in header[0]), None)
    if guessed is None:
        return None
    shown = "\\t" if guessed == "\t" else guessed
    names = header[0].split(guessed)
    # Without a single known column name the first line is data, which must not be echoed.
    seen = f" '{shown_value(header[0])}'" if set(names) & set(expected) else ""
    return (f"a header with a single column{seen}: the file looks '{shown}'-separated; "
            f"pass --sep '{shown}'")


def _csv_records(text: str, sep: str):
    """The csv module's reader over ``text``, for values of any length."""
    # The csv module refuses values longer than 128 KiB by default; a cell can be as long
    # as the limit for a field, and one longer stops the reader (its buffer holds four
    # bytes a character).
    csv.field_size_limit(FIELD_CHARS)
    return csv.reader(_text_lines(text), delimiter=sep)


def _text_lines(text: str, chunk: int = 1 << 20):
    r"""The lines of ``text`` with their line breaks, as a file opened with ``newline=""`` yields them.

    A ``StringIO`` of all the text would hold it at four bytes a character; one of about
    ``chunk`` characters at a time, cut after a line feed, holds little.

    Examples
    --------
    >>> list(_text_lines("a\r\nb\rc\n\nd", chunk=2))
    ['a\r\n', 'b\r', 'c\n', '\n', 'd']
    """
    start = 0
    while start < len(text):
        end = text.rfind("\n", start, start + chunk) + 1
        if end <= start:  # a line longer than a chunk
            end = text.find("\n", start + chunk) + 1 or len(text)
        yield from io.StringIO(text[start:end], newline="")
        start = end


class _HeaderTooBig(Exception):
    """A header past :data:`~handover.io.limits.HEADER_CHARS` or :data:`~handover.io.limits.HEADER_COLUMNS`."""

    def __init__(self, rule: str, line: int) -> None:
        super().__init__(rule)
        self.rule, self.line = rule, line


def _csv_header(text: str, sep: str) -> tuple[list[str], int, int]:
    """The first record with a value, the line it starts on and the line it ends on.

    Blank lines above it are skipped, and so are lines of bare separators (``;;;``), which
    Excel writes for empty rows above a table.

    Raises
    ------
    _HeaderTooBig
        When the header is longer than :data:`HEADER_CHARS` or has more columns than
        :data:`HEADER_COLUMNS`; the text read to find that out stays within a few times
        the limit, however long the line.
    """
    # The header is near the top: read growing beginnings of the text, not all of it.
    size = 1 << 16
    while True:
        head = text[:size]
        record, start, line = _first_record(head, sep)
        line_breaks = head.count("\n") + head.count("\r") - head.count("\r\n")
        complete = size >= len(text) or (record is not None and line_breaks > line)
        if record is not None and (complete or _record_chars(record) > HEADER_CHARS):
            _check_header_size(record, start)
        if complete:
            header = [] if record is None else [cell.strip() for cell in record]
            return header, start, line
        size *= 4


def _first_record(head: str, sep: str) -> tuple[list[str] | None, int, int]:
    """The first record of ``head`` with a value, its first and last line; else ``None`` and the lines read."""
    reader = _csv_records(head, sep)
    previous_end = 0
    for record in reader:
        if any(cell.strip() for cell in record):
            return record, previous_end + 1, reader.line_num
        previous_end = reader.line_num
    return None, 1, reader.line_num


def _record_chars(record: list[str]) -> int:
    return sum(map(len, record)) + len(record) - 1


def _check_header_size(record: list[str], line: int) -> None:
    if _record_chars(record) > HEADER_CHARS:
        raise _HeaderTooBig(f"a header line longer than {size_text(HEADER_CHARS)} (65,536 characters), "
                            "the limit for a header; is this the table's file?", line)
    if len(record) > HEADER_COLUMNS:
        raise _HeaderTooBig(f"a header of {len(record):,} columns, more than {HEADER_COLUMNS:,}, the "
                            "limit for a header; is this the table's file?", line)


def _blank(record: list[str]) -> bool:
    # What pandas' skip_blank_lines skips: empty and whitespace-only lines.
    return not record or (len(record) == 1 and not record[0].strip())


def _parser_problem(message: str, text: str, n_columns: int, sep: str) -> tuple[str, int | None]:
    fields = re.search(r"Expected \d+ fields in line (\d+), saw (\d+)", message)
    if fields:
        return _too_many_values(int(fields.group(2)), n_columns, sep), int(fields.group(1))
    if "EOF inside string" in message:
        rule = 'not readable as CSV: a quote (") opens a value that is never closed'
        if not text.endswith(("\n", "\r")):
            rule += "; the file ends inside it, so it looks cut off: export it again"
        return rule, _last_record_line(text, sep)
    return f"not readable as CSV ({message.strip()})", None


def _last_record_line(text: str, sep: str) -> int | None:
    """The line on which the last record of ``text`` starts."""
    reader = _csv_records(text, sep)
    start, previous_end = None, 0
    try:
        for _ in reader:
            start, previous_end = previous_end + 1, reader.line_num
    except csv.Error:
        return None
    return start


def _cut_off_last_row(text: str, sep: str, n_columns: int) -> tuple[str, int | None] | None:
    """A problem when the file ends in the middle of a row, as a truncated copy does."""
    if text.endswith(("\n", "\r")):
        return None
    tail = text[max(text.rfind("\n"), text.rfind("\r")) + 1:]
    if '"' in tail:  # a quoted value may span lines: let the csv module find the record
        reader = _csv_records(text, sep)
        record, line = [], None
        try:
            previous_end = 0
            for record in reader:
                line, previous_end = previous_end + 1, reader.line_num
        except csv.Error:
            return None
    else:
        record = tail.split(sep)
        line = text.count("\n") + text.count("\r") - text.count("\r\n") + 1
    if _blank(record) or len(record) >= n_columns:
        return None
    return (f"the last row has {len(record)} of {n_columns} values and the file ends without a "
            "line break: it looks cut off (truncated); export it again", line)


def _too_long_row(text: str, sep: str, n_columns: int) -> tuple[str, int | None]:
    reader = _csv_records(text, sep)
    previous_end = 0
    try:
        for record in reader:
            if len(record) > n_columns:
                return _too_many_values(len(record), n_columns, sep), previous_end + 1
            previous_end = reader.line_num
    except csv.Error:
        pass
    return "not readable as CSV (a row has more values than the header has columns)", None


def _too_many_values(n_values: int, n_columns: int, sep: str) -> str:
    shown = "\\t" if sep == "\t" else sep
    return (f"a row with {n_values} values where the header has {n_columns} columns "
            f"(put quotes around values that contain '{shown}')")


def _csv_lines(text: str, sep: str, n_rows: int, header_line: int) -> np.ndarray:
    """The line on which each data row starts, as a text editor counts lines."""
    physical = text.count("\n") + (0 if text.endswith("\n") else 1)
    if header_line == 1 and physical == n_rows + 1:
        lines = np.arange(2, n_rows + 2)
    else:
        # Quoted values with line breaks, or blank lines, shift the rows off their
        # line numbers; only then pay for a record-by-record pass.
        try:
            lines = _csv_record_lines(text, sep, header_line)
        except csv.Error:
            lines = np.empty(0)
        if len(lines) != n_rows:  # the csv module disagrees with pandas: best effort
            lines = np.arange(header_line + 1, header_line + 1 + n_rows)
    return lines


def _csv_record_lines(text: str, sep: str, header_line: int) -> np.ndarray:
    reader = _csv_records(text, sep)
    starts, previous_end = [], 0
    for record in reader:
        if not _blank(record) and previous_end >= header_line:
            starts.append(previous_end + 1)
        previous_end = reader.line_num
    return np.asarray(starts, dtype=np.int64)
