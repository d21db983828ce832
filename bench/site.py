"""``python -m bench site``: the whole ``handover report`` against reading the CSVs it is made from.

One run, at one size (default 100 000 users, a large region), measures in fresh
processes, interleaved and best of ``--repeat``:

- ``floor (pandas.read_csv)``: ``pandas.read_csv`` of every table file with its defaults;
- ``read_dataset``: :func:`handover.io.read_dataset`, the contract's read and checks;
- ``report``: what ``handover report DATA --out DIR`` does after reading (every finding,
  the indicators overall, by agency and per quarter, the worklist, every page, the
  CSV files, ``report.xlsx`` and up to 500 user pages), timed step by step.

Target: the report costs at most 3 x reading the CSVs. "Reading the CSVs" is read two
ways, both shown: with ``read_dataset`` (what any command pays first) and with the
pandas floor. The report's own time is measured after the read; the table gives
read + report, what a user waits for.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import statistics
from pathlib import Path

from bench.datasets import dataset_folder
from bench.worker import measure

__all__ = ["run_site"]


def run_site(users: int, *, seed: int = 1, repeat: int = 3, data: Path, out: Path, log=print) -> Path:
    """Measure the steps of the module docstring at ``users``; write site.md and site.json."""
    folder, info = dataset_folder(data, users, seed, log=log)
    target = data / f"site-{users}-seed-{seed}"
    steps = {
        "floor (pandas.read_csv)": {"kind": "floor", "data": str(folder)},
        "read_dataset": {"kind": "read", "data": str(folder)},
        "report": {"kind": "report", "data": str(folder), "out": str(target), "by": "quarter"},
    }
    samples: dict[str, list[float]] = {name: [] for name in steps}
    peaks: dict[str, int] = {}
    parts: dict[str, list[dict]] = {"report": []}
    load = [os.getloadavg()]
    for round_ in range(repeat):
        for name, spec in steps.items():
            result = measure({**spec, "repeat": 1}, cap=3600.0)
            if result["status"] != "ok":
                raise SystemExit(f"{name}: {result}")
            samples[name].append(result["seconds"])
            peaks[name] = max(peaks.get(name, 0), result["peak_rss"])
            if name == "report":
                parts["report"].append(result)
            log(f"round {round_ + 1}: {name} {result['seconds']:.2f} s")
    load.append(os.getloadavg())
    best = {name: min(values) for name, values in samples.items()}
    fastest = min(parts["report"], key=lambda r: r["seconds"])
    read, floor = best["read_dataset"], best["floor (pandas.read_csv)"]
    ratio_read, ratio_floor = best["report"] / read, best["report"] / floor
    results = {"dataset": info, "repeat": repeat, "best": best, "samples": samples, "peak_rss": peaks,
               "report_steps": fastest["steps"], "files": fastest["files"], "bytes": fastest["bytes"],
               "user_pages": fastest["user_pages"], "load_average": load,
               "machine": {"nproc": os.cpu_count(), "python": platform.python_version()},
               "when": dt.datetime.now().isoformat(timespec="seconds")}
    out.mkdir(parents=True, exist_ok=True)
    (out / "site.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    lines = [
        f"# The whole report: {users:,} users (seed {seed})", "",
        f"Measured {results['when']} on {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"load average {load[0][0]:.2f} at start, {load[1][0]:.2f} at end (a shared machine: others' work "
        f"only adds time). Each step in a fresh process, interleaved, best of {repeat}; the time is the "
        "call's, without starting Python and importing libraries.", "",
        f"The data: `handover generate --users {users} --seed {seed}`, {info['total_rows']:,} rows, "
        f"{info['csv_bytes'] / 2**20:.0f} MiB of CSV. The report (`--by quarter`): {fastest['files']:,} files, "
        f"{fastest['bytes'] / 2**20:.1f} MiB, {fastest['user_pages']} user pages.", "",
        "| step | best s | median s | × read_dataset | × floor | peak RSS MiB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name in steps:
        lines.append(f"| {name} | {best[name]:.2f} | {statistics.median(samples[name]):.2f} | "
                     f"{best[name] / read:.2f} | {best[name] / floor:.2f} | {peaks[name] / 2**20:.0f} |")
    lines += ["", "Where the report's time goes (its fastest run):", "", "| part | s |", "|---|---:|"]
    lines += [f"| {part} | {seconds:.2f} |" for part, seconds in fastest["steps"].items()]
    lines += ["", "| target | measured | holds |", "|---|---|---|",
              f"| the whole report ≤ 3 × reading the CSVs (read_dataset) | {ratio_read:.2f} × | "
              f"{'yes' if ratio_read <= 3 else 'no'} |",
              f"| the whole report ≤ 3 × reading the CSVs (the pandas floor) | {ratio_floor:.2f} × | "
              f"{'yes' if ratio_floor <= 3 else 'no'} |", ""]
    (out / "site.md").write_text("\n".join(lines), encoding="utf-8")
    return out / "site.md"
