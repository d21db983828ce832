"""Writing datasets to folders, and small broken datasets for error tests."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from handover.model import Dataset

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SCENARIOS = sorted(p.name for p in FIXTURES.iterdir() if (p / "agencies.csv").exists()) if FIXTURES.exists() else []


def write_dataset(dataset: Dataset, folder: Path) -> Path:
    """Write every table of ``dataset`` as ``<table>.csv`` (dates as YYYY-MM-DD)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in dataset.tables.items():
        out = frame.copy()
        for column in out.columns:
            if pd.api.types.is_datetime64_any_dtype(out[column]):
                out[column] = out[column].dt.strftime("%Y-%m-%d")
        out.to_csv(folder / f"{name}.csv", index=False)
    return folder
