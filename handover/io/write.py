"""Writing a dataset as a folder of contract CSV files, all at once or not at all."""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from handover.errors import InputError
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
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".tmp", dir=out_dir.parent))
    try:
        for name, frame in dataset.tables.items():
            if fmt == "parquet":
                frame.to_parquet(staging / f"{name}.parquet", index=False)
            else:
                _write_csv(_table_csv(name, frame), staging / f"{name}.csv")
        for file, text in (extra or {}).items():
            (staging / file).write_text(text, encoding="utf-8")
        if out_dir.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".old", dir=out_dir.parent))
            os.replace(out_dir, retired / out_dir.name)
            os.replace(staging, out_dir)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.replace(staging, out_dir)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
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


def _table_csv(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in TABLES[name].columns:
        if column.name in out.columns and column.kind is ColumnKind.DATE:
            # Arrow's strftime: the same text as pandas' .dt.strftime, many times faster.
            days = pc.strftime(pa.array(out[column.name], pa.timestamp("ns")), format="%Y-%m-%d")
            out[column.name] = pd.Series(days.to_pylist(), index=out.index, dtype=object)
    return out


def _write_csv(table: pd.DataFrame, path: Path) -> None:
    """``table`` (dates already text) as CSV with ``,``, ``\\n`` and quotes only where needed.

    Arrow's writer is several times faster than pandas' on millions of rows, but it can
    only leave every value unquoted; a table with a value that needs quotes (a ``,``, a
    ``"`` or a line break in a name) is written by pandas. Both give the same bytes.
    """
    try:
        arrow = pa.Table.from_pandas(table, preserve_index=False)
        body = io.BytesIO()
        pacsv.write_csv(arrow, body, pacsv.WriteOptions(include_header=False, quoting_style="none"))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        table.to_csv(path, index=False, lineterminator="\n")
        return
    table.head(0).to_csv(path, index=False, lineterminator="\n")  # the header, as pandas writes it
    with open(path, "ab") as handle:
        handle.write(body.getbuffer())
