r"""Read and validate a dataset (docs/data.md): a folder of tables, or one workbook.

A dataset is a folder with one ``<table>.csv``, ``<table>.parquet`` or ``<table>.xlsx``
per table, or one ``.xlsx`` workbook with a sheet per table (:mod:`handover.io.sources`);
an export with other names, codes and date formats is read through a mapping
(:mod:`handover.io.mapping`) and ``date_format`` (:mod:`handover.io.dates`).
All formats are turned into columns of stripped Arrow text first, so one validation
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

from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from handover.errors import DatasetError, InputError, Violation, _violation_order
from handover.io.checks import check_table
from handover.io.csvfile import read_csv
from handover.io.mapping import Mapping
from handover.io.options import ReadOptions
from handover.io.parquetfile import read_parquet
from handover.io.raw import RawTable, raw_table
from handover.io.sources import Source, locate_tables
from handover.io.text import usable_encoding
from handover.io.xlsxfile import read_sheet
from handover.model import TABLES, Dataset

__all__ = ["read_dataset", "validate_dataset", "locate_rows", "read_tables"]


def read_dataset(
    folder: str | PathLike, *, sep: str = ",", encoding: str = "utf-8", date_format: str | None = None,
    mapping: Mapping | str | PathLike | None = None, options: ReadOptions | None = None,
) -> Dataset:
    r"""Read a dataset (a folder, or a workbook) into typed frames, refusing it whole if anything is wrong.

    Parameters
    ----------
    folder : str or path-like
        The folder with one ``<table>.csv``, ``<table>.parquet`` or ``<table>.xlsx`` per
        table, or one ``.xlsx`` workbook with a sheet per table (names match without
        regard to case).
    sep : str, default ","
        The CSV separator, one character (Norwegian Excel exports use ``";"``).
    encoding : str, default "utf-8"
        The CSV encoding; a UTF-8 byte order mark is accepted. Excel exports are
        often ``"cp1252"``.
    date_format : str, optional
        How text dates are written: ``YYYY-MM-DD`` (the default), ``DD.MM.YYYY``,
        ``DD/MM/YYYY``, ``DD.MM.YY`` or ``auto`` (:mod:`handover.io.dates`). ISO dates
        and spreadsheet date cells are read in every format.
    mapping : Mapping or path, optional
        The export's sheet names, headers, codes and constants (:mod:`handover.io.mapping`).
    options : ReadOptions, optional
        All of the above at once (then the others are not given).

    Returns
    -------
    Dataset
        One frame per table present, with exactly the contract's columns (optional
        columns absent from the file are all missing): ids, text and vocabulary
        values as ``object`` columns of ``str`` (missing ``None``), dates as
        ``datetime64[ns]`` (missing ``NaT``), ``birth_year`` as ``Int64``. The keys
        no table refers to (``plan_id``, ``episode_id``, ``contact_id``: one distinct
        value a row) are Arrow-backed ``str`` columns (``pandas.StringDtype("pyarrow",
        na_value=nan)``, pandas 3's text dtype), which hold the text as read instead of
        a Python object per row; they compare, sort, merge and print as ``str`` does.

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
    reading = options or ReadOptions.of(sep, encoding, date_format, mapping)
    violations, frames = _load(folder, reading)
    if violations:
        raise DatasetError(violations)
    return Dataset(frames, source=str(folder))


def validate_dataset(
    folder: str | PathLike, *, sep: str = ",", encoding: str = "utf-8", date_format: str | None = None,
    mapping: Mapping | str | PathLike | None = None, options: ReadOptions | None = None,
) -> list[Violation]:
    r"""Check a dataset against the contract and list every violation.

    Parameters
    ----------
    folder, sep, encoding, date_format, mapping, options
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
    return _load(folder, options or ReadOptions.of(sep, encoding, date_format, mapping))[0]


def locate_rows(
    folder: str | PathLike, table: str, *, sep: str = ",", encoding: str = "utf-8",
    options: ReadOptions | None = None,
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
    sep, encoding, options
        As for :func:`read_dataset`.

    Returns
    -------
    tuple of (str, str, numpy.ndarray) or None
        Where the table is (the file, or ``file, sheet S``), ``"line"`` (CSV) or ``"row"``
        (Parquet, spreadsheets), and per row of the table's frame its line (or row)
        number; ``None`` when the table has no readable file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "users.csv").write_text('user_id,municipality\nu1,"Os\nHordaland"\n\nu2,\n')
    >>> file, label, lines = locate_rows(folder, "users")
    >>> file, label, lines.tolist()
    ('users.csv', 'line', [2, 5])
    """
    reading = options or ReadOptions(sep, encoding)
    violations: list[Violation] = []
    found, _ = locate_tables(Path(folder), reading.mapping, violations)
    source = found.get(table)
    if source is None:
        return None
    raw = _read_table(source, _checked(reading), violations)
    if raw is None:
        return None
    where = raw.file if raw.sheet is None else f"{raw.file}, sheet {raw.sheet}"
    return where, raw.line_label, raw.lines


def _checked(reading: ReadOptions) -> ReadOptions:
    """``reading`` with a usable encoding and separator, or an InputError saying why not."""
    sep = reading.sep
    if not isinstance(sep, str) or len(sep) != 1:
        raise InputError(f"the separator must be one character, not {sep!r}")
    if sep in "\"\r\n":
        raise InputError(f"the separator cannot be {sep!r}: quotes and line breaks "
                         "have their own meaning in CSV (try ',', ';' or a tab)")
    return ReadOptions(sep, usable_encoding(reading.encoding), reading.date_format, reading.mapping)


def read_tables(folder, reading: ReadOptions, *, keep_raws: bool = True) -> tuple[
        list[Violation], dict[str, pd.DataFrame], dict[str, RawTable], list[str]]:
    """Every table of ``folder`` read and checked: the violations, the typed frames, the tables
    as read (what was skipped, translated and ignored) and the files and sheets not used.

    Without ``keep_raws`` each table's text is let go once its frame is made (but for the keys
    later tables are checked against), so a dataset is never held twice, as text and as
    frames; the tables as read then hold no cells.
    """
    reading = _checked(reading)
    violations: list[Violation] = []
    sources, unused = locate_tables(Path(folder), reading.mapping, violations)
    raws: dict[str, RawTable] = {}
    for name, source in sources.items():
        raw = None if source is None else _read_table(source, reading, violations)
        if raw is not None:
            raws[name] = raw
    frames = {}
    for name, raw in raws.items():
        frames[name] = check_table(raw, raws, sources, violations, reading.dates)
        if not keep_raws:
            raw.cells = {c: v for c, v in raw.cells.items() if (name, c) in _REFERENCED_KEYS}
            raw.original = {}
    return sorted(violations, key=_violation_order), frames, raws, unused


#: The (table, primary key) pairs other tables refer to, checked against while reading.
_REFERENCED_KEYS = frozenset((c.references, TABLES[c.references].primary_key)
                             for t in TABLES.values() for c in t.columns if c.references is not None)


def _load(folder, reading: ReadOptions) -> tuple[list[Violation], dict[str, pd.DataFrame]]:
    violations, frames, _, _ = read_tables(folder, reading, keep_raws=False)
    # Arrow's allocator keeps the pages of the text it let go for its next allocation; the
    # findings allocate through NumPy, so the pages go back to the system instead.
    pa.default_memory_pool().release_unused()
    return violations, frames


def _read_table(source: Source, reading: ReadOptions, violations: list[Violation]) -> RawTable | None:
    table = TABLES[source.table]
    mapping = reading.mapping.table(source.table) if reading.mapping is not None else None
    expected = tuple(h for c in table.column_names
                     if (h := (reading.mapping.header_of(source.table, c) if reading.mapping else c)) is not None)
    if source.kind == "parquet":
        read, label = read_parquet(source.path, violations), "row"
    elif source.kind == "xlsx":
        read, label = read_sheet(source.path, source.sheet, expected, violations), "row"
    else:
        read, label = read_csv(source.path, expected, reading.sep, reading.encoding, violations), "line"
    if read is None:
        return None
    header, columns, lines, header_line = read
    return raw_table(source.file, table, header, columns, lines, label, header_line, violations,
                     sheet=source.sheet, mapping=mapping,
                     mapping_file=reading.mapping.name if reading.mapping is not None else None)
