r"""Read and validate a dataset folder (DESIGN §3).

A dataset is a folder with one ``<table>.csv`` or ``<table>.parquet`` per table.
Both formats are turned into columns of stripped Arrow text first, so one validation
path checks them, and the checks run on Arrow's kernels; the typed frames are made
from them at the end. CSV is parsed by Arrow (on every core); a file Arrow refuses
(ragged rows, a header below blank lines, a broken quote) is parsed again by pandas,
whose errors say where the file breaks. Every check is vectorised: Python only
builds the violations it reports.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "agencies.csv").write_text(
...     "agency_id,name,kind,level\nA1,NAV Bergen,nav_office,municipal\n")
>>> _ = (folder / "users.csv").write_text("user_id,birth_year\n007,1980\n")
>>> _ = (folder / "responsibilities.csv").write_text(
...     "user_id,staff_id,agency_id,role,start,end\n007,s1,A1,coordinator,2024-01-05,\n")
>>> ds = read_dataset(folder)
>>> ds["users"]["user_id"].tolist(), str(ds["responsibilities"]["start"].iloc[0].date())
(['007'], '2024-01-05')
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings
from collections import Counter
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from handover.errors import DatasetError, InputError, Violation, _violation_order
from handover.privacy.identifiers import looks_like_national_id
from handover.model import REQUIRED_TABLES, TABLES, VOCABULARIES, ColumnKind, Dataset, Table

__all__ = ["read_dataset", "validate_dataset", "locate_rows"]

#: Violations reported per (file, column, kind of problem) before one summary line.
MAX_REPORTED = 20

_DATE_OR_DATETIME = (
    r"\d{4}-\d{2}-\d{2}"
    r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?"
)
_NORWEGIAN_DATE = re.compile(r"\d{1,2}\.\d{1,2}\.\d{2,4}(?:[ T].*)?")
_WORDS = re.compile(r"[^\W\d_]{2,}")
_SLASHED_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/\d{2,4}(?:[ T].*)?")
# Excel counts days from 1899-12-30; 20000 to 80000 are the years 1954 to 2119.
_EXCEL_SERIAL_DATE = re.compile(r"[2-7]\d{4}(?:\.\d+)?")
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
# What a file that is not CSV text starts with, and what to do about it.
_MAGIC_NUMBERS = (
    (b"\x1f\x8b", "it is gzip-compressed; unpack it first (gunzip, or 7-Zip on Windows)"),
    (b"PK\x03\x04", "it is a ZIP archive, such as an Excel workbook (.xlsx); save the sheet as CSV"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "it is an old Excel workbook (.xls); save the sheet as CSV"),
    (b"PAR1", "it is a Parquet file; name it {stem}.parquet"),
    (b"%PDF", "it is a PDF document; export the table as CSV instead"),
)
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
# Bytes no text file holds (all control characters but tab, line feed and carriage return).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13)) + b"\x7f"
_OTHER_SEPARATORS = (";", ",", "\t", "|")
# What Python's str.strip() strips: every character whose isspace() is true.
_WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
               "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_MIN_YEAR, _MAX_YEAR = 1900, 2100


def read_dataset(
    folder: str | PathLike, *, sep: str = ",", encoding: str = "utf-8"
) -> Dataset:
    r"""Read a dataset folder into typed frames, refusing it whole if anything is wrong.

    Parameters
    ----------
    folder : str or path-like
        The folder with one ``<table>.csv`` or ``<table>.parquet`` per table.
    sep : str, default ","
        The CSV separator, one character (Norwegian Excel exports use ``";"``).
    encoding : str, default "utf-8"
        The CSV encoding; a UTF-8 byte order mark is accepted. Excel exports are
        often ``"cp1252"``.

    Returns
    -------
    Dataset
        One frame per table present, with exactly the contract's columns (optional
        columns absent from the file are all missing): ids, text and vocabulary
        values as ``object`` columns of ``str`` (missing ``None``), dates as
        ``datetime64[ns]`` (missing ``NaT``), ``birth_year`` as ``Int64``.

    Raises
    ------
    DatasetError
        Listing every violation of the contract found, not only the first.
    InputError
        When ``folder`` is not a folder, or ``sep`` or ``encoding`` is unusable.

    See Also
    --------
    validate_dataset : the same checks, returning the violations instead.

    Notes
    -----
    Staff are optional: when the folder has no ``staff`` table, every ``staff_id``
    is accepted unchecked and staff are known only by their ids. Every other
    reference is checked against its table when that table is present;
    ``services`` must be present as soon as an episode or contact names a service.

    Unknown extra columns and files are ignored, and so are unnamed columns and rows
    without a single value (Excel pads its CSV exports with both). Messages show ids,
    dates, vocabulary values and years, never a name, municipality, reason or
    profession; nor a value that looks like a national identity number, nor a date or
    year that holds words (free text shifted into the column). Files that are not CSV
    text (binary, compressed, a workbook, UTF-16 read as UTF-8), a file cut off in the
    middle of a row, and separators or encodings that do not fit are reported with what
    to do about them.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "agencies.csv").write_text(
    ...     "agency_id;name;kind;level\nA1;NAV Bergen;nav_office;municipal\n")
    >>> _ = (folder / "users.csv").write_text("user_id\nu1\n")
    >>> _ = (folder / "responsibilities.csv").write_text(
    ...     "user_id;staff_id;agency_id;role;start\nu1;s1;A1;coordinator;2024-01-05T08:30\n")
    >>> ds = read_dataset(folder, sep=";")
    >>> ds["responsibilities"][["role", "start", "end"]]
              role      start end
    0  coordinator 2024-01-05 NaT
    """
    violations, frames = _load(folder, sep, encoding)
    if violations:
        raise DatasetError(violations)
    return Dataset(frames, source=str(folder))


def validate_dataset(
    folder: str | PathLike, *, sep: str = ",", encoding: str = "utf-8"
) -> list[Violation]:
    r"""Check a dataset folder against the contract and list every violation.

    Parameters
    ----------
    folder, sep, encoding
        As for :func:`read_dataset`.

    Returns
    -------
    list of Violation
        Empty when the dataset is valid. At most 20 violations are listed per file,
        column and kind of problem, followed by one that counts the rest.

    Raises
    ------
    InputError
        When ``folder`` is not a folder, or ``sep`` or ``encoding`` is unusable.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "agencies.csv").write_text(
    ...     "agency_id,name,kind,level\nA1,NAV Bergen,nav_office,municipal\n")
    >>> _ = (folder / "users.csv").write_text("user_id,birth_year\nu1,1980\nu1,19x0\n")
    >>> for v in validate_dataset(folder):  # doctest: +ELLIPSIS
    ...     print(v)
    responsibilities.csv: not found in the folder; every dataset needs ...
    users.csv line 3, column birth_year: 19x0 is not a whole number between 1900 and 2100
    users.csv line 3, column user_id: u1 is a duplicate user_id (first on line 2)
    """
    return _load(folder, sep, encoding)[0]


def locate_rows(
    folder: str | PathLike, table: str, *, sep: str = ",", encoding: str = "utf-8"
) -> tuple[str, str, np.ndarray] | None:
    r"""Where each row of one table, as :func:`read_dataset` returns it, stands in its file.

    For messages about rows found after reading (such as national identity numbers,
    :mod:`handover.privacy.identifiers`); it reads the table's file again, so it is meant for
    the rare case where something is to be reported.

    Parameters
    ----------
    folder : str or path-like
        The dataset folder.
    table : str
        A table of the contract, such as ``"users"``.
    sep, encoding
        As for :func:`read_dataset`.

    Returns
    -------
    tuple of (str, str, numpy.ndarray) or None
        The file name, ``"line"`` (CSV) or ``"row"`` (Parquet), and per row of the
        table's frame its line (or row) number; ``None`` when the table has no readable
        file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "users.csv").write_text('user_id,municipality\nu1,"Os\nHordaland"\n\nu2,\n')
    >>> file, label, lines = locate_rows(folder, "users")
    >>> file, label, lines.tolist()
    ('users.csv', 'line', [2, 5])
    """
    root = _as_folder(folder)
    encoding = _usable_encoding(encoding)
    violations: list[Violation] = []
    path = _table_files(root, violations).get(table)
    if path is None:
        return None
    raw = _read_table(path, TABLES[table], sep, encoding, violations)
    if raw is None:
        return None
    return raw.file, raw.line_label, raw.lines


# --- the pipeline -----------------------------------------------------------------------


@dataclass
class _RawTable:
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


def _load(folder, sep: str, encoding: str) -> tuple[list[Violation], dict[str, pd.DataFrame]]:
    root = _as_folder(folder)
    encoding = _usable_encoding(encoding)
    if not isinstance(sep, str) or len(sep) != 1:
        raise InputError(f"the separator must be one character, not {sep!r}")
    if sep in "\"\r\n":
        raise InputError(f"the separator cannot be {sep!r}: quotes and line breaks "
                         "have their own meaning in CSV (try ',', ';' or a tab)")
    violations: list[Violation] = []
    files = _table_files(root, violations)
    raws: dict[str, _RawTable] = {}
    for name, path in files.items():
        raw = None if path is None else _read_table(path, TABLES[name], sep, encoding, violations)
        if raw is not None:
            raws[name] = raw
    frames = {name: _check_table(raw, raws, files, violations) for name, raw in raws.items()}
    return sorted(violations, key=_violation_order), frames


def _as_folder(folder) -> Path:
    root = Path(folder)
    if not root.exists():
        raise InputError(f"dataset folder not found: {root}")
    if not root.is_dir():
        raise InputError(
            f"not a folder: {root} (a dataset is a folder with one file per table, "
            "such as agencies.csv and users.csv)"
        )
    return root


def _usable_encoding(encoding: str) -> str:
    try:
        info = codecs.lookup(encoding)
    except (LookupError, TypeError, ValueError):
        raise InputError(f"unknown encoding {encoding!r} (try utf-8 or cp1252)") from None
    if not getattr(info, "_is_text_encoding", True):  # rot13, base64, zlib: bytes to bytes
        raise InputError(f"{encoding!r} is not a text encoding (try utf-8 or cp1252)")
    name = info.name
    # Excel's "CSV UTF-8" starts with a byte order mark; utf-8-sig drops it when present.
    return "utf-8-sig" if name == "utf-8" else encoding


def _table_files(root: Path, violations: list[Violation]) -> dict[str, Path | None]:
    """The file of each table present; ``None`` when it is ambiguous which one to read."""
    files: dict[str, Path | None] = {}
    for name in TABLES:
        csv_path, parquet_path = root / f"{name}.csv", root / f"{name}.parquet"
        if csv_path.is_file() and parquet_path.is_file():
            files[name] = None
            violations.append(Violation(
                csv_path.name, None, None, None,
                f"present together with {parquet_path.name}; keep only one of them",
            ))
        elif csv_path.is_file() or parquet_path.is_file():
            files[name] = csv_path if csv_path.is_file() else parquet_path
        elif csv_path.is_dir() or parquet_path.is_dir():
            folder = csv_path if csv_path.is_dir() else parquet_path
            files[name] = None
            violations.append(Violation(
                folder.name, None, None, None,
                "a folder, not a file; a table is one file (Spark-style folders of "
                "part files are not read)",
            ))
        elif name in REQUIRED_TABLES:
            violations.append(Violation(
                csv_path.name, None, None, None,
                f"not found in the folder; every dataset needs {csv_path.name} "
                f"or {parquet_path.name}",
            ))
    return files


# --- reading: both formats become columns of strings ------------------------------------


def _read_table(path: Path, table: Table, sep: str, encoding: str,
                violations: list[Violation]) -> _RawTable | None:
    if path.suffix == ".parquet":
        read, label = _read_parquet(path, violations), "row"
    else:
        read, label = _read_csv(path, table, sep, encoding, violations), "line"
    if read is None:
        return None
    header, columns, lines, header_line = read
    return _raw_table(path.name, table, header, columns, lines, label, header_line, violations)


def _read_csv(path: Path, table: Table, sep: str, encoding: str, violations: list[Violation]):
    def problem(rule: str, line: int | None = None) -> None:
        violations.append(Violation(path.name, line, None, None, rule))

    decoded = _decoded_text(path, table, encoding, problem)
    if decoded is None:
        return None
    data, text = decoded
    try:
        header, header_line = _csv_header(text, sep)
    except csv.Error as err:
        problem(f"not readable as CSV ({err})")
        return None
    if not header:
        problem(_empty_rule(table))
        return None
    hint = _separator_hint(header, sep, table)
    if hint is not None:
        problem(hint, line=header_line)
        return None
    columns = None
    if header_line == 1:
        utf8 = data if encoding == "utf-8-sig" else text.encode("utf-8")
        columns = _arrow_csv_columns(utf8, sep, len(header))
    if columns is None:
        # pandas' parser reads what Arrow's refuses (rows too short, blank lines with
        # spaces, a header below blank lines) and says where a broken file breaks.
        columns = _pandas_csv_columns(text, sep, header, problem)
        if columns is None:
            return None
    cut = _cut_off_last_row(text, sep, len(header))
    if cut is not None:
        problem(*cut)
    n_rows = len(columns[0]) if columns else 0
    lines = _csv_lines(text, sep, n_rows, header_line)
    return header, columns, lines, header_line


def _arrow_csv_columns(data: bytes, sep: str, n_columns: int) -> list[pa.ChunkedArray] | None:
    """Every column below the header line as Arrow text, or ``None`` if Arrow cannot tell.

    Arrow's parser reads on every core and is several times faster than pandas', but
    refuses any row whose number of values differs from the first one's: such files,
    and files without a data row, go the slower way that says where they break.
    """
    try:
        read = pacsv.read_csv(
            pa.py_buffer(data),
            read_options=pacsv.ReadOptions(skip_rows=1, autogenerate_column_names=True),
            parse_options=pacsv.ParseOptions(delimiter=sep, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={f"f{i}": pa.string() for i in range(n_columns)},
                strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowException, ValueError):
        return None
    if read.num_columns != n_columns or read.num_rows == 0:
        return None
    if not all(pa.types.is_string(column.type) for column in read.columns):
        return None
    return read.columns


def _pandas_csv_columns(text: str, sep: str, header: list[str],
                        problem: Callable[..., None]) -> list[pa.ChunkedArray] | None:
    try:
        with warnings.catch_warnings():
            # pandas only warns, and drops values, when the first row is too long.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(io.StringIO(text), sep=sep, header=0, index_col=False,
                                dtype=str, keep_default_na=False, skip_blank_lines=True,
                                engine="c")
    except pd.errors.ParserWarning:
        problem(*_too_long_row(text, sep, len(header)))
        return None
    except ValueError as err:  # pandas' ParserError and EmptyDataError among them
        problem(*_parser_problem(str(err), text, len(header), sep))
        return None
    if frame.shape[1] != len(header):
        problem(f"not readable as CSV (the header has {len(header)} columns, "
                f"but {frame.shape[1]} were read)")
        return None
    # A row shorter than the header leaves NaN in its last columns: missing values.
    return [pa.chunked_array([pa.array(frame.iloc[:, i].to_numpy(dtype=object),
                                       type=pa.string(), from_pandas=True)])
            for i in range(frame.shape[1])]


def _decoded_text(path: Path, table: Table, encoding: str,
                  problem: Callable[..., None]) -> tuple[bytes, str] | None:
    try:
        data = path.read_bytes()
    except OSError as err:
        problem(f"not readable ({err.strerror or err})")
        return None
    if not data or data.isspace():
        problem(_empty_rule(table))
        return None
    not_text = _not_text(data, path, encoding)
    if not_text is not None:
        problem(*not_text)
        return None
    try:
        return data, data.decode(encoding)
    except UnicodeDecodeError as err:
        hint = ("; Norwegian Excel exports are often cp1252: pass --encoding cp1252"
                if encoding == "utf-8-sig" else "")
        problem(f"not valid {_encoding_name(encoding)} text (byte 0x{data[err.start]:02x})"
                f"{hint}", line=data[:err.start].count(b"\n") + 1)
    except UnicodeError as err:  # codecs such as idna fail without a position
        problem(f"not readable as {_encoding_name(encoding)} text ({_first_line(err)})")
    return None


def _not_text(data: bytes, path: Path, encoding: str) -> tuple[str, int | None] | None:
    """Why ``data`` cannot be the text of a CSV file in ``encoding``, or ``None``."""
    for magic, what in _MAGIC_NUMBERS:
        if data.startswith(magic):
            return "not a CSV text file: " + what.format(stem=path.stem), None
    wide = codecs.lookup(encoding).name.startswith(("utf-16", "utf-32"))
    if wide:
        if not data.startswith(_WIDE_BOMS) and b"\x00" not in data:
            return (f"not {encoding} text: it has neither a byte order mark nor zero bytes, so it "
                    "looks like utf-8 or cp1252 text; --encoding applies to every file, so save "
                    "all tables in one encoding"), None
        return None
    if data.startswith(_WIDE_BOMS) or _looks_utf16(data):
        return ("not a CSV text file: it looks like UTF-16 text (Excel's 'Unicode text'); "
                "pass --encoding utf-16"), None
    head = data[:65536]
    controls = sum(head.count(b) for b in _CONTROL_BYTES)
    if controls > max(8, len(head) // 100):
        return ("not a CSV text file: it holds binary data, such as an Excel workbook; "
                "save the sheet as CSV"), None
    zero = data.find(b"\x00")
    if zero >= 0:
        return ("a zero byte (NUL), which no text file holds; the file is damaged or holds "
                "binary data: export it again"), data[:zero].count(b"\n") + 1
    return None


def _looks_utf16(data: bytes) -> bool:
    # UTF-16 without a byte order mark: ASCII letters leave every other byte zero.
    head = data[:4096]
    half = len(head) // 2
    return half >= 4 and max(head[0::2].count(0), head[1::2].count(0)) > 0.3 * half


def _empty_rule(table: Table) -> str:
    return f"empty; expected a header row with the columns {', '.join(table.column_names)}"


def _separator_hint(header: list[str], sep: str, table: Table) -> str | None:
    if len(header) != 1:
        return None
    guessed = next((s for s in _OTHER_SEPARATORS if s != sep and s in header[0]), None)
    if guessed is None:
        return None
    shown = "\\t" if guessed == "\t" else guessed
    names = header[0].split(guessed)
    # Without a single known column name the first line is data, which must not be echoed.
    seen = f" '{_shown(header[0])}'" if set(names) & set(table.column_names) else ""
    return (f"a header with a single column{seen}: the file looks '{shown}'-separated; "
            f"pass --sep '{shown}'")


def _encoding_name(encoding: str) -> str:
    return "utf-8" if encoding == "utf-8-sig" else encoding


def _csv_records(text: str, sep: str):
    """The csv module's reader over ``text``, for values of any length."""
    # The csv module refuses values longer than 128 KiB by default; a cell can be longer.
    if csv.field_size_limit() < len(text) + 1:
        csv.field_size_limit(min(len(text) + 1, 2**31 - 1))
    return csv.reader(io.StringIO(text, newline=""), delimiter=sep)


def _csv_header(text: str, sep: str) -> tuple[list[str], int]:
    """The first record that is not blank, and the line it ends on."""
    # The header is near the top: read growing beginnings of the text, not all of it.
    size = 1 << 16
    while True:
        head = text[:size]
        reader = _csv_records(head, sep)
        header, line = [], 0
        for record in reader:
            if not _blank(record):
                header, line = [cell.strip() for cell in record], reader.line_num
                break
        line_breaks = head.count("\n") + head.count("\r") - head.count("\r\n")
        if size >= len(text) or (header and line_breaks > line):
            return header, line if header else reader.line_num
        size *= 4


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


def _read_parquet(path: Path, violations: list[Violation]):
    try:
        if path.stat().st_size == 0:
            violations.append(Violation(path.name, None, None, None, "empty (0 bytes)"))
            return None
        data = pq.read_table(path)
        names = data.column_names
    except UnicodeDecodeError:  # pyarrow decodes column names only when asked for them
        violations.append(Violation(path.name, None, None, None,
                                    "not a readable Parquet file (a column name is not valid "
                                    "UTF-8; the file is damaged: export it again)"))
        return None
    except Exception as err:  # pyarrow raises several unrelated types for a broken file
        reason = _first_line(err).replace(f"'{path}'", path.name).replace(str(path), path.name)
        violations.append(Violation(path.name, None, None, None,
                                    f"not a readable Parquet file ({reason})"))
        return None
    header, columns = [], []
    for name, chunked in zip(names, data.columns):
        header.append(str(name).strip())
        try:
            columns.append(_arrow_to_text(chunked))
        except pa.ArrowException:
            # A damaged file can hold text that is not UTF-8, which pyarrow only finds
            # when it converts the column.
            text = pa.types.is_string(chunked.type) or pa.types.is_large_string(chunked.type)
            rule = ("holds text that is not valid UTF-8; the file is damaged: export it again"
                    if text else f"of Parquet type {chunked.type}, which is not readable as "
                                 "text, a number or a date")
            violations.append(Violation(path.name, None, str(name), None, rule))
            columns.append(pa.chunked_array([pa.nulls(data.num_rows, pa.string())]))
    return header, columns, np.arange(1, data.num_rows + 1), None


def _arrow_to_text(chunked: pa.ChunkedArray) -> pa.ChunkedArray:
    kind = chunked.type
    if pa.types.is_dictionary(kind):
        chunked = chunked.cast(kind.value_type)
        kind = kind.value_type
    if pa.types.is_timestamp(kind):
        text = pc.strftime(chunked, format="%Y-%m-%d")
    elif pa.types.is_floating(kind):
        # NaN is how many writers store a missing number; 1980.0 becomes "1980".
        text = pc.cast(pc.if_else(pc.is_nan(chunked), None, chunked), pa.string())
    else:
        text = pc.cast(chunked, pa.string())
    text.validate(full=True)  # text that is not UTF-8 is only found when looked at
    return text


def _first_line(err: Exception) -> str:
    lines = str(err).strip().splitlines()
    return lines[0] if lines else type(err).__name__


def _raw_table(file: str, table: Table, header: list[str], columns: list[pa.ChunkedArray],
               lines: np.ndarray, label: str, header_line: int | None,
               violations: list[Violation]) -> _RawTable:
    def header_problem(column: str, rule: str) -> None:
        violations.append(Violation(file, header_line, column, None, rule, label))

    counts = Counter(header)
    for name, count in counts.items():
        # Excel pads a sheet with unnamed columns; those are ignored, not duplicates.
        if count > 1 and name:
            header_problem(name, f"named {count} times in the header; keep only one")
    if any(name in counts for name in table.column_names):
        found = "found: " + ", ".join(_shown(name, 40) for name in header if name)
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
    return _RawTable(file, table, text, missing, lines, label)


def _stripped(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """``column`` stripped as ``str.strip()`` strips, with empty values made missing."""
    text = pc.utf8_trim(column, characters=_WHITESPACE)
    empty = pc.equal(text, "")
    if not pc.any(empty).as_py():
        return text
    return pc.if_else(empty, pa.scalar(None, pa.string()), text)


def _is_null(column: pa.ChunkedArray) -> np.ndarray:
    return pc.is_null(column).to_numpy(zero_copy_only=False)


def _arrow_bools(mask: pa.ChunkedArray) -> np.ndarray:
    return pc.fill_null(mask, False).to_numpy(zero_copy_only=False)


def _objects(column: pa.ChunkedArray) -> pd.Series:
    """``column`` as ``str`` objects, ``None`` where missing."""
    return pd.Series(column.to_pandas(), dtype=object, copy=False)


# --- checking: one raw table at a time, against the others for references ---------------


@dataclass
class _Reporter:
    """Turns boolean masks into violations, at most MAX_REPORTED per problem."""

    raw: _RawTable
    violations: list[Violation]

    def rows(self, mask: pd.Series | np.ndarray, column: str, kind: str,
             rule: str | Callable[[int], str]) -> None:
        positions = np.flatnonzero(_bools(mask))
        kind_of_column = self.raw.table.column(column).kind
        private = kind_of_column is ColumnKind.TEXT
        values = self.raw.cells[column]
        for position in positions[:MAX_REPORTED]:
            value = None if private else values[int(position)].as_py()
            text = rule(position) if callable(rule) else rule
            if (value is not None and kind_of_column in (ColumnKind.DATE, ColumnKind.YEAR)
                    and _WORDS.search(value)):
                # Words in a date or a year are most likely free text (a reason, a name)
                # shifted into the column by a missing separator: never echo them.
                value, text = None, f"{text}; the value holds words and is not shown: is text " \
                                    "from another column shifted into this one?"
            elif value is not None and looks_like_national_id(value):
                value, text = None, f"{text}; the value looks like a national identity number " \
                                    "and is not shown"
            self._add(position, column, None if value is None else _shown(value), text)
        hidden = len(positions) - MAX_REPORTED
        if hidden > 0:
            self._add(positions[MAX_REPORTED], column, None,
                      f"... and {hidden} more rows from here on with the same problem ({kind})")

    def where(self, position: int) -> str:
        return f"{self.raw.line_label} {self.line(position)}"

    def line(self, position: int) -> int:
        return int(self.raw.lines[position])

    def _add(self, position: int, column: str, value: str | None, rule: str) -> None:
        self.violations.append(Violation(self.raw.file, self.line(position), column, value,
                                         rule, self.raw.line_label))


def _bools(mask) -> np.ndarray:
    if isinstance(mask, pd.Series):
        return mask.to_numpy(dtype=bool, na_value=False)
    return np.asarray(mask, dtype=bool)


def _shown(value: str, limit: int = 60) -> str:
    """``value`` as a message shows it: shortened, invisible characters made visible."""
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    if value.isprintable():
        return value
    # A tab, a line break or a zero-width space in an id must show, or " u1" and "u1\u200b"
    # would read as the same value.
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in value)


def _check_table(raw: _RawTable, raws: dict[str, _RawTable], files: dict[str, Path | None],
                 violations: list[Violation]) -> pd.DataFrame:
    report = _Reporter(raw, violations)
    typed: dict[str, pd.Series] = {}
    for column in raw.table.columns:
        values = raw.cells.get(column.name)
        if values is None:
            continue
        present = ~raw.missing[column.name]
        if column.required:
            report.rows(~present, column.name, "empty", "empty, but the column is required")
        if column.kind is ColumnKind.VOCAB:
            _check_vocabulary(values, present, column.name, VOCABULARIES[column.vocabulary],
                              report)
        elif column.kind is ColumnKind.DATE:
            typed[column.name] = _parse_dates(values, present, column.name, report)
        elif column.kind is ColumnKind.YEAR:
            typed[column.name] = _parse_years(values, present, column.name, report)
    _check_interval(raw, typed, report)
    _check_primary_key(raw, report)
    _check_references(raw, raws, files, report)
    return _typed_frame(raw, typed)


def _check_vocabulary(values: pa.ChunkedArray, present: np.ndarray, column: str,
                      allowed: tuple[str, ...], report: _Reporter) -> None:
    listed = f"not one of: {', '.join(allowed)}"

    def rule(position: int) -> str:
        if values[int(position)].as_py().lower() in allowed:
            return f"{listed} (the values are lower-case)"
        return listed

    known = _arrow_bools(pc.is_in(values, value_set=pa.array(allowed, pa.string())))
    report.rows(present & ~known, column, listed, rule)


def _parse_dates(values: pa.ChunkedArray, present: np.ndarray, column: str,
                 report: _Reporter) -> pd.Series:
    # Arrow's string kernels are several times faster than Python's on a million rows.
    text = pd.Series(pd.arrays.ArrowStringArray(values), copy=False)
    well_formed = text.str.fullmatch(_DATE_OR_DATETIME).fillna(False).astype(bool)
    # A datetime's first ten characters are its date: truncation is a slice.
    days = text.str.slice(0, 10).where(well_formed)
    parsed = pd.to_datetime(days, format="%Y-%m-%d", errors="coerce")

    def rule(position: int) -> str:
        value = values[int(position)].as_py()
        if _NORWEGIAN_DATE.fullmatch(value):
            return "not a date (YYYY-MM-DD; this looks like DD.MM.YYYY)"
        slashed = _SLASHED_DATE.fullmatch(value)
        if slashed and int(slashed.group(2)) > 12 >= int(slashed.group(1)):
            return "not a date (YYYY-MM-DD; this looks like the American MM/DD/YYYY)"
        if slashed and int(slashed.group(1)) > 12 >= int(slashed.group(2)):
            return "not a date (YYYY-MM-DD; this looks like DD/MM/YYYY)"
        if _EXCEL_SERIAL_DATE.fullmatch(value):
            day = _EXCEL_EPOCH + pd.Timedelta(days=int(float(value)))
            return (f"not a date (YYYY-MM-DD; this looks like an Excel day number, which would "
                    f"be {day:%Y-%m-%d}: format the column as a date before saving)")
        if well_formed.iat[position] and not 1678 <= int(value[:4]) <= 2261:
            return ("outside the dates handover can hold (1678 to 2261; "
                    "leave end empty for an interval that is still ongoing)")
        return "not a date (YYYY-MM-DD)"

    report.rows(present & parsed.isna().to_numpy(), column, "not a date", rule)
    return parsed.astype("datetime64[ns]")


def _parse_years(values: pa.ChunkedArray, present: np.ndarray, column: str,
                 report: _Reporter) -> pd.Series:
    numbers = pd.to_numeric(_objects(values), errors="coerce")
    valid = numbers.notna() & (numbers % 1 == 0) & numbers.between(_MIN_YEAR, _MAX_YEAR)
    rule = f"not a whole number between {_MIN_YEAR} and {_MAX_YEAR}"
    report.rows(present & ~valid.to_numpy(), column, rule, rule)
    return numbers.where(valid).astype("Int64")


def _check_interval(raw: _RawTable, typed: dict[str, pd.Series], report: _Reporter) -> None:
    if raw.table.interval is None:
        return
    start_column, end_column = raw.table.interval
    if start_column not in typed or end_column not in typed:
        return
    start, end = typed[start_column], typed[end_column]

    def rule(position: int) -> str:
        return (f"before {start_column} {start.iat[position]:%Y-%m-%d} "
                f"({end_column} must not be before {start_column})")

    report.rows(end < start, end_column, f"before {start_column}", rule)


def _check_primary_key(raw: _RawTable, report: _Reporter) -> None:
    key = raw.table.primary_key
    if key is None or key not in raw.cells:
        return
    present = ~raw.missing[key]
    distinct = pc.unique(raw.cells[key])
    if len(distinct) - distinct.null_count == present.sum():
        return  # the common case, found by Arrow's hashing alone
    values = _objects(raw.cells[key])
    repeated = values.duplicated(keep="first").to_numpy() & present
    firsts = values[present].drop_duplicates(keep="first")
    first_position = pd.Series(firsts.index, index=firsts.to_numpy())

    def rule(position: int) -> str:
        first = first_position.loc[values.iat[position]]
        return f"a duplicate {key} (first on {report.where(first)})"

    report.rows(repeated, key, f"a duplicate {key}", rule)


def _check_references(raw: _RawTable, raws: dict[str, _RawTable], files: dict[str, Path | None],
                      report: _Reporter) -> None:
    for column in raw.table.columns:
        target = column.references
        values = raw.cells.get(column.name)
        if target is None or values is None:
            continue
        if target in raws:
            key = TABLES[target].primary_key
            known = raws[target].cells.get(key)
            if known is None:  # the referenced file lacks its key column, reported there
                continue
            present = ~raw.missing[column.name]
            found = pc.is_in(values, value_set=pc.drop_null(known).combine_chunks())
            report.rows(present & ~_arrow_bools(found), column.name,
                        f"not a known {column.name}",
                        f"not a known {column.name} (not in {raws[target].file})")
        elif target == "services" and target not in files and not raw.missing[column.name].all():
            # Without services an episode has no agency and no kind: no finding can use it.
            report.violations.append(Violation(
                raw.file, None, column.name, None,
                f"filled in on {(~raw.missing[column.name]).sum()} rows, but the folder has no "
                f"services.csv or services.parquet, which {raw.table.name} that name a "
                "service need",
            ))
        # A missing staff table means staff are known only by id: nothing to check.


def _typed_frame(raw: _RawTable, typed: dict[str, pd.Series]) -> pd.DataFrame:
    # One Arrow table turned into pandas at once: Arrow makes the str objects and lays
    # out the blocks itself, which pandas would otherwise copy together again.
    arrow, years = {}, {}
    for position, column in enumerate(raw.table.columns):
        if column.kind is ColumnKind.YEAR:
            years[position, column.name] = typed.get(column.name)
        elif column.name in typed:
            arrow[column.name] = pa.Array.from_pandas(typed[column.name], type=pa.timestamp("ns"))
        elif column.name in raw.cells:
            arrow[column.name] = raw.cells[column.name]
        elif column.kind is ColumnKind.DATE:
            arrow[column.name] = pa.nulls(raw.n_rows, pa.timestamp("ns"))
        else:
            arrow[column.name] = pa.nulls(raw.n_rows, pa.string())
    frame = pa.table(arrow).to_pandas(coerce_temporal_nanoseconds=True)
    for (position, name), values in years.items():
        frame.insert(position, name, pd.array([pd.NA] * raw.n_rows, dtype="Int64")
                     if values is None else values.array)
    return frame
