"""How big a line, a header, a field, an id, a sheet and a packed file may be; finding what is bigger, fast.

Every limit is far above what a real export holds (Excel keeps at most 32,767 characters
in a cell; an agency's journal note is a few pages), and far below what would make
handover slow or run the machine out of memory. ``docs/data.md`` ("Limits") says the
same to users; a test holds the two equal.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

#: Bytes between two line breaks of a CSV file (32 MiB): a line holding a field at the field limit fits.
LINE_BYTES = 32 * 1024 * 1024
#: Characters of the header line of a CSV file (64 KiB).
HEADER_CHARS = 64 * 1024
#: Columns of a table's header.
HEADER_COLUMNS = 1_000
#: Characters of one value (a field, a cell): 16 Mi.
FIELD_CHARS = 16 * 1024 * 1024
#: Characters of an id (a primary key or a reference), far below the database's index limit.
ID_CHARS = 256
#: Cells a sheet's range (its rows times its columns, as far as its cells reach) may span
#: for each cell it holds: a reader lays the range out in full.
SHEET_RANGE_PER_CELL = 8
#: Cells any sheet's range may span (1 Mi), however few it holds.
SHEET_RANGE_CELLS = 1 << 20
#: Values (rows times columns) a Parquet file may hold for each of its bytes: one value
#: repeated a billion times packs into a few bytes.
PARQUET_VALUES_PER_BYTE = 8
#: Values any Parquet file may hold (1 Mi), however few its bytes.
PARQUET_VALUES = 1 << 20
#: Times a part of a workbook (a sheet's XML, its shared strings) or a Parquet file's data
#: may unpack beyond its packed size (real ones: 3 to 25).
PACKING = 100
#: A part of up to this many bytes (16 MiB) unpacks as much as it likes.
PACKING_FREE = 16 << 20


def size_text(n_bytes: int) -> str:
    """``n_bytes`` as a message names a limit.

    Examples
    --------
    >>> size_text(LINE_BYTES), size_text(HEADER_CHARS), size_text(4096), size_text(100)
    ('32 MiB', '64 KiB', '4 KiB', '100 bytes')
    """
    for unit, size in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n_bytes >= size and n_bytes % size == 0:
            return f"{n_bytes // size} {unit}"
    return f"{n_bytes} bytes"


def first_long_line(data: bytes, limit: int = LINE_BYTES) -> int | None:
    """Where the first line of ``data`` longer than ``limit`` bytes starts, or ``None``.

    A line ends at a line feed or a carriage return. The search jumps a window of
    ``limit`` bytes at a time to the last line break in it, so a file of short lines
    costs a few steps per ``limit`` bytes, never one per line.

    Examples
    --------
    >>> first_long_line(b"ab\\ncd\\n", 3) is None
    True
    >>> first_long_line(b"ab\\nabcdef\\ncd", 3)
    3
    >>> first_long_line(b"abcd", 3)
    0
    """
    start = 0
    while len(data) - start > limit:
        window_end = start + limit + 1  # a break right after ``limit`` bytes still fits
        last_break = max(data.rfind(b"\n", start, window_end), data.rfind(b"\r", start, window_end))
        if last_break < 0:
            return start
        start = last_break + 1
    return None


def line_of(data: bytes, offset: int) -> int:
    """The line (as a text editor counts them, from 1) on which byte ``offset`` of ``data`` lies."""
    head = data[:offset]
    return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1


def first_too_long(values: pa.ChunkedArray, limit: int, *, characters: bool = False) -> int | None:
    """The position of the first value of ``values`` longer than ``limit``, or ``None``.

    ``limit`` counts UTF-8 bytes, or characters when ``characters`` is true.
    """
    length = pc.utf8_length(values) if characters else pc.binary_length(values)
    longest = pc.max(length).as_py()
    if longest is None or longest <= limit:
        return None
    return pc.index(pc.greater(length, limit), True).as_py()
