"""Writing a dataset as a folder of contract CSV files, all at once or not at all."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from handover.errors import InputError
from handover.io.atomic import staged_folder
from handover.model import TABLES, ColumnKind, Dataset

__all__ = ["FORMATS", "REPORT_FILES", "write_dataset_folder"]

#: The formats a dataset folder can be written in.
FORMATS = ("csv", "parquet")
#: Files beside the tables that a dataset folder may hold (and a replacing write replaces).
REPORT_FILES = ("import-report.md",)


def write_dataset_folder(dataset: Dataset, out_dir: Path, *, fmt: str = "csv",
                         extra: dict[str, str] | None = None) -> Path:
    """Write ``dataset`` as one file per table into ``out_dir``, all at once or not at all.

    The tables (and the ``extra`` text files, such as an import report) are written into
    a new folder beside ``out_dir`` (readable by its owner only) that is renamed to
    ``out_dir`` when complete; an existing ``out_dir`` is replaced only when it holds
    nothing but dataset tables and reports. CSV is UTF-8 with ``,``, dates
    ``YYYY-MM-DD``, missing values empty; Parquet keeps the types (ids as text, dates
    as dates).

    Raises
    ------
    InputError
        When ``out_dir`` exists and is not a folder of dataset tables.

    Examples
    --------
    >>> import tempfile
    >>> from handover.examples import tiny_dataset
    >>> from handover.io import read_dataset
    >>> out = write_dataset_folder(tiny_dataset(), Path(tempfile.mkdtemp()) / "copy")
    >>> sorted(read_dataset(out).tables) == sorted(tiny_dataset().tables)
    True
    """
    out_dir = Path(out_dir)
    if fmt not in FORMATS:
        raise InputError(f"--format: {fmt} is not one of: {', '.join(FORMATS)}")
    _check_replaceable(out_dir)
    with staged_folder(out_dir) as staging:
        for name, frame in dataset.tables.items():
            if fmt == "parquet":
                frame.to_parquet(staging / f"{name}.parquet", index=False)
            else:
                _table_csv(name, frame, staging / f"{name}.csv")
        for file, text in (extra or {}).items():
            (staging / file).write_text(text, encoding="utf-8")
    return out_dir


def _check_replaceable(out_dir: Path) -> None:
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise InputError(f"OUT_DIR {out_dir} is a file; give a folder (new or holding only a dataset)")
    tables = {f"{name}.{ext}" for name in TABLES for ext in FORMATS} | set(REPORT_FILES)
    others = [p.name for p in out_dir.iterdir() if p.name not in tables]
    if others:
        raise InputError(f"OUT_DIR {out_dir} holds files other than dataset tables (such as "
                         f"{sorted(others)[0]}); give a new folder, or one holding only a dataset, "
                         "which is then replaced")


def _iso_dates(values: pd.Series) -> pd.Series:
    """Dates as ``YYYY-MM-DD`` text, missing as empty; each distinct day formatted once."""
    codes, days = pd.factorize(values)
    text = np.datetime_as_string(days.to_numpy("datetime64[D]"), unit="D").astype(object)
    out = np.empty(len(codes), dtype=object)
    present = codes >= 0
    out[present] = text[codes[present]]
    return pd.Series(out, index=values.index)


def _arrow_columns(name: str, frame: pd.DataFrame) -> pa.Table | None:
    """The table as Arrow text, dates and integers, or ``None`` when a column is anything else."""
    dates = {c.name for c in TABLES[name].columns if c.kind is ColumnKind.DATE} if name in TABLES else set()
    arrays = []
    for column in frame.columns:
        values = frame[column]
        if column in dates and pd.api.types.is_datetime64_dtype(values.dtype):
            arrays.append(pa.array(values.to_numpy("datetime64[D]"), type=pa.date32(), from_pandas=True))
        elif pd.api.types.is_object_dtype(values.dtype):
            arrays.append(pa.array(values.to_numpy(), type=pa.string(), from_pandas=True))
        elif str(values.dtype) in ("Int64", "int64", "int32", "Int32"):
            arrays.append(pa.array(values, type=pa.int64(), from_pandas=True))
        else:
            return None
    return pa.Table.from_arrays(arrays, names=[str(c) for c in frame.columns])


def _table_csv(name: str, frame: pd.DataFrame, path: Path) -> None:
    """Write one table as CSV: UTF-8, ``,``, ``YYYY-MM-DD``, missing values empty, quotes where needed.

    Arrow's writer is many times faster than pandas'; it writes the same bytes when no value
    needs quotes (a table of two or more columns, every value text, a date or an integer).
    Otherwise, and when a value holds a comma, a quote or a line break, pandas writes it.
    """
    header = ",".join(str(c) for c in frame.columns)
    table = None
    plain_names = not any(ch in str(c) for c in frame.columns for ch in ',"\n\r')
    if frame.shape[1] >= 2 and plain_names:
        try:
            table = _arrow_columns(name, frame)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            table = None  # a value that is not text where text is expected
    if table is not None:
        try:
            with open(path, "wb") as handle:
                handle.write((header + "\n").encode("utf-8"))
                pacsv.write_csv(table, handle, write_options=pacsv.WriteOptions(
                    include_header=False, quoting_style="none"))
            return
        except pa.ArrowInvalid:
            pass  # a value needs quotes; pandas quotes exactly those
    out = frame.copy()
    for column in TABLES[name].columns if name in TABLES else ():
        if column.name in out.columns and column.kind is ColumnKind.DATE:
            out[column.name] = _iso_dates(out[column.name])
    out.to_csv(path, index=False, lineterminator="\n")
