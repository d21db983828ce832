"""Arrow's fast CSV parser reads every file it accepts as the csv module does.

``read_dataset`` parses a CSV file with Arrow (several times faster, on every core) and
falls back on pandas' parser, which says where a broken file breaks, whenever Arrow
refuses the file. Whenever Arrow accepts a text, its stripped cells must equal those of
Python's csv module (RFC 4180), for texts with quotes, separators and line breaks inside
values, blank lines, Unicode spaces and ragged rows. (pandas' parser is not the
reference: it misreads a quoted lone carriage return, ``"\r"``, shifting the row.)
"""

from __future__ import annotations

import csv
import io
import sys

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from handover.io.csvfile import _arrow_csv_columns, _pandas_csv_columns
from handover.io.raw import _WHITESPACE, stripped

HEADER = ["user_id", "role", "start"]
# Characters that make CSV hard: separators, quotes, line breaks, spaces of all kinds.
TRICKY = st.sampled_from([",", ";", '"', "\n", "\r", "\r\n", " ", "\t", "\xa0", "\u2003",
                          "\u200b", "ø", "a", "1", "-", "NA", "null", ""])
CELL = st.lists(TRICKY, max_size=5).map("".join)


def _quoted(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([HEADER, *rows])
    return out.getvalue()


def _raw(rows: list[list[str]]) -> str:
    # Joined without quoting: values with separators or line breaks make ragged rows.
    return "\n".join(",".join(row) for row in [HEADER, *rows]) + "\n"


def _arrow_values(text: str):
    columns = _arrow_csv_columns(text.encode("utf-8"), ",", len(HEADER))
    return None if columns is None else [stripped(c).to_pylist() for c in columns]


def _csv_module_values(text: str):
    records = [r for r in csv.reader(io.StringIO(text, newline=""))][1:]
    records = [r for r in records if r]  # empty lines are no records
    columns = [pa.chunked_array([[r[i] for r in records]], pa.string()) for i in range(3)]
    return [stripped(c).to_pylist() for c in columns]


def _pandas_values(text: str):
    problems = []
    columns = _pandas_csv_columns(text.encode("utf-8"), ",", HEADER, lambda *a: problems.append(a))
    return None if columns is None else [stripped(c).to_pylist() for c in columns]


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.lists(CELL, min_size=3, max_size=3), min_size=1, max_size=6),
       quote=st.booleans())
def test_arrow_reads_what_it_accepts_exactly_as_the_csv_module_does(rows, quote):
    text = _quoted(rows) if quote else _raw(rows)
    fast = _arrow_values(text)
    if fast is not None:
        assert fast == _csv_module_values(text)


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.lists(CELL.filter(lambda c: "\r" not in c), min_size=3, max_size=3),
                     min_size=1, max_size=6))
def test_both_parsers_agree_on_quoted_files_without_carriage_returns(rows):
    # The fallback parser reads the same values wherever it reads correctly at all.
    text = _quoted(rows)
    fast = _arrow_values(text)
    if fast is not None:
        assert fast == _pandas_values(text)


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(st.lists(st.sampled_from(["u1", "coordinator", "2024-01-05", ""]),
                              min_size=3, max_size=3), min_size=1, max_size=6))
def test_arrow_accepts_the_ordinary_files_it_is_there_for(rows):
    # Plain exports without quotes or ragged rows must take the fast path; otherwise
    # the speed measured in bench/ would not be what users get.
    if any(all(cell == "" for cell in row) for row in rows):
        return  # a line of bare separators is read, but is not an ordinary row
    assert _arrow_values(_raw(rows)) is not None


def test_stripping_is_what_python_strips():
    python_whitespace = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())
    assert _WHITESPACE == python_whitespace
    values = pa.chunked_array([[f"{_WHITESPACE}u1\u200b{_WHITESPACE}", " ", "", None]])
    assert stripped(values).to_pylist() == ["u1\u200b", None, None, None]
