r"""Read and validate a dataset folder (docs/data.md).

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

from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd

from handover.errors import DatasetError, InputError, Violation, _violation_order
from handover.io.checks import check_table
from handover.io.csvfile import read_csv
from handover.io.parquetfile import read_parquet
from handover.io.raw import RawTable, raw_table
from handover.io.text import usable_encoding
from handover.model import REQUIRED_TABLES, TABLES, Dataset, Table

__all__ = ["read_dataset", "validate_dataset", "locate_rows"]


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
    encoding = usable_encoding(encoding)
    violations: list[Violation] = []
    path = _table_files(root, violations).get(table)
    if path is None:
        return None
    raw = _read_table(path, TABLES[table], sep, encoding, violations)
    if raw is None:
        return None
    return raw.file, raw.line_label, raw.lines


def _load(folder, sep: str, encoding: str) -> tuple[list[Violation], dict[str, pd.DataFrame]]:
    root = _as_folder(folder)
    encoding = usable_encoding(encoding)
    if not isinstance(sep, str) or len(sep) != 1:
        raise InputError(f"the separator must be one character, not {sep!r}")
    if sep in "\"\r\n":
        raise InputError(f"the separator cannot be {sep!r}: quotes and line breaks "
                         "have their own meaning in CSV (try ',', ';' or a tab)")
    violations: list[Violation] = []
    files = _table_files(root, violations)
    raws: dict[str, RawTable] = {}
    for name, path in files.items():
        raw = None if path is None else _read_table(path, TABLES[name], sep, encoding, violations)
        if raw is not None:
            raws[name] = raw
    frames = {name: check_table(raw, raws, files, violations) for name, raw in raws.items()}
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


def _read_table(path: Path, table: Table, sep: str, encoding: str,
                violations: list[Violation]) -> RawTable | None:
    if path.suffix == ".parquet":
        read, label = read_parquet(path, violations), "row"
    else:
        read, label = read_csv(path, table, sep, encoding, violations), "line"
    if read is None:
        return None
    header, columns, lines, header_line = read
    return raw_table(path.name, table, header, columns, lines, label, header_line, violations)
