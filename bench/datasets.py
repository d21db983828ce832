"""Benchmark datasets: generated once per (users, seed) and cached under ``bench/data/``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from handover.generate import generate_dataset

__all__ = ["dataset_folder"]

_STAMP = "bench-dataset.json"


def dataset_folder(data_dir: Path, users: int, seed: int, log=print) -> tuple[Path, dict]:
    """The folder of the dataset with ``users`` users and ``seed``, generating it when missing.

    A folder counts as cached only once its stamp file (written after the last table)
    exists, so an interrupted generation is redone, never half-used.

    Returns
    -------
    (Path, dict)
        The folder and its stamp: rows per table, total rows, generation seconds.
    """
    folder = data_dir / f"users-{users}-seed-{seed}"
    stamp = folder / _STAMP
    if stamp.exists():
        return folder, json.loads(stamp.read_text(encoding="utf-8"))
    if folder.exists():
        shutil.rmtree(folder)
    log(f"generating {users} users (seed {seed}) into {folder} ...")
    summary = generate_dataset(folder, users=users, seed=seed)
    info = {"users": users, "seed": seed, "rows": summary.rows, "total_rows": sum(summary.rows.values()),
            "generate_seconds": round(summary.seconds, 3),
            "csv_bytes": sum(p.stat().st_size for p in folder.glob("*.csv"))}
    stamp.write_text(json.dumps(info, indent=1), encoding="utf-8")
    return folder, info
