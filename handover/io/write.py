"""Writing a dataset as a folder of contract CSV files, all at once or not at all."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from handover.errors import InputError
from handover.model import TABLES, ColumnKind, Dataset

__all__ = ["write_dataset_folder"]


def write_dataset_folder(dataset: Dataset, out_dir: Path) -> Path:
    """Write ``dataset`` as one CSV per table into ``out_dir``, all at once or not at all.

    The tables are written into a new folder beside ``out_dir`` (readable by its owner
    only) that is renamed to ``out_dir`` when complete; an existing ``out_dir`` is
    replaced only when it holds nothing but dataset tables. CSV is UTF-8 with ``,``,
    dates ``YYYY-MM-DD``, missing values empty.

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
    _check_replaceable(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".tmp", dir=out_dir.parent))
    try:
        for name, frame in dataset.tables.items():
            _table_csv(name, frame).to_csv(staging / f"{name}.csv", index=False, lineterminator="\n")
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
    tables = {f"{name}.{ext}" for name in TABLES for ext in ("csv", "parquet")}
    others = [p.name for p in out_dir.iterdir() if p.name not in tables]
    if others:
        raise InputError(f"OUT_DIR {out_dir} holds files other than dataset tables (such as "
                         f"{sorted(others)[0]}); give a new folder, or one holding only a dataset, "
                         "which is then replaced")


def _table_csv(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in TABLES[name].columns:
        if column.name in out.columns and column.kind is ColumnKind.DATE:
            out[column.name] = out[column.name].dt.strftime("%Y-%m-%d")
    return out
