"""``python -m bench eventlog``: importing an event log against reading it with pandas.

One run, at one size (default 1 000 000 events), measures in fresh processes,
interleaved and best of ``--repeat``:

- ``floor (pandas.read_csv)``: ``pandas.read_csv(log.csv)`` with its defaults;
- ``import event-log``: :func:`handover.datasets.eventlog.import_event_log` of the same
  file with ``--agency org:group``: reading the four columns it needs, parsing every
  timestamp, the runs, and writing the contract dataset (CSV) with its report.

Target: the import takes less than 3 x the floor. The log is synthetic and
deterministic, with the layout of pm4py's receipt log (case, activity, lifecycle,
group, resource, timestamp with offset): about 10 events per case, one resource in two
handing over to another at each event, 1 % of events without a resource, 400 resources
in 12 groups, timestamps over three years, each case in time order, cases interleaved as
a log sorted by time is not (written case by case, as pm4py writes logs).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import statistics
from pathlib import Path

from bench.worker import measure

__all__ = ["run_eventlog", "event_log_csv"]

_STAMP = "bench-eventlog.json"


def event_log_csv(path: Path, events: int, seed: int = 1) -> dict:
    """Write a synthetic CSV event log of ``events`` events (deterministic for a seed)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    rng = np.random.default_rng(seed)
    lengths = rng.integers(1, 20, size=events // 5 + 1)
    ends = np.cumsum(lengths)
    lengths = lengths[: int(np.searchsorted(ends, events)) + 1]
    lengths[-1] -= int(lengths.sum()) - events
    cases = len(lengths)
    case = np.repeat(np.arange(cases), lengths)
    first = np.r_[True, case[1:] != case[:-1]]
    # A resource keeps the case with probability 1/2 at each event.
    handover = first | (rng.random(events) < 0.5)
    drawn = rng.integers(0, 400, size=events)
    resource = drawn[np.maximum.accumulate(np.where(handover, np.arange(events), 0))]
    # Time: each case starts somewhere in three years and moves on by minutes to days.
    steps = rng.integers(60, 3 * 86_400, size=events)
    steps[first] = 0
    within = np.cumsum(steps) - np.repeat(np.cumsum(steps)[first], lengths)
    start = rng.integers(0, 3 * 365 * 86_400, size=cases)
    seconds = np.datetime64("2011-01-01T00:00:00", "s").astype(np.int64) + np.repeat(start, lengths) + within
    stamps = pa.array(seconds.astype("datetime64[s]"))

    def labelled(prefix: str, numbers) -> pa.Array:
        return pc.binary_join_element_wise(prefix, pc.cast(pa.array(numbers), pa.string()), "")

    names = labelled("Resource", resource)
    missing = rng.random(events) < 0.01
    table = pa.table({
        "case:concept:name": labelled("case-", case + 10_000),
        "concept:name": labelled("T", rng.integers(1, 20, size=events)),
        "lifecycle:transition": pa.array(np.full(events, "complete", dtype=object)),
        "org:group": labelled("Group ", resource % 12 + 1),
        "org:resource": pc.if_else(pa.array(missing), pa.scalar(None, pa.string()), names),
        "time:timestamp": pc.binary_join_element_wise(pc.strftime(stamps, "%Y-%m-%d %H:%M:%S"), "+01:00", ""),
    })
    path.parent.mkdir(parents=True, exist_ok=True)
    pacsv.write_csv(table, path, write_options=pacsv.WriteOptions(quoting_style="none"))
    return {"events": events, "cases": cases, "seed": seed, "bytes": path.stat().st_size,
            "without_resource": int(missing.sum())}


def _log_file(data: Path, events: int, seed: int, log) -> tuple[Path, dict]:
    folder = data / f"eventlog-{events}-seed-{seed}"
    stamp = folder / _STAMP
    if stamp.exists():
        return folder / "log.csv", json.loads(stamp.read_text(encoding="utf-8"))
    log(f"writing a synthetic event log of {events:,} events into {folder}")
    info = event_log_csv(folder / "log.csv", events, seed)
    stamp.write_text(json.dumps(info, indent=1), encoding="utf-8")
    return folder / "log.csv", info


def run_eventlog(events: int, *, seed: int = 1, repeat: int = 3, data: Path, out: Path, log=print) -> Path:
    """Measure the two reads of the module docstring at ``events``; write eventlog.md and eventlog.json."""
    path, info = _log_file(data, events, seed, log)
    steps = {
        "floor (pandas.read_csv)": {"kind": "read_csv", "data": str(path)},
        "import event-log": {"kind": "import_event_log", "data": str(path), "out": str(path.parent / "dataset"),
                             "agency": "org:group"},
    }
    samples: dict[str, list[float]] = {name: [] for name in steps}
    peaks: dict[str, int] = {}
    made: dict = {}
    load = [os.getloadavg()]
    for round_ in range(repeat):  # interleaved: each step sees the same machine as the other
        for name, spec in steps.items():
            result = measure({**spec, "repeat": 1}, cap=1800.0)
            if result["status"] != "ok":
                raise SystemExit(f"{name}: {result}")
            samples[name].append(result["seconds"])
            peaks[name] = max(peaks.get(name, 0), result["peak_rss"])
            made = result.get("counts", made)
            log(f"round {round_ + 1}: {name} {result['seconds']:.2f} s")
    load.append(os.getloadavg())
    best = {name: min(values) for name, values in samples.items()}
    base = best["floor (pandas.read_csv)"]
    ratio = best["import event-log"] / base
    results = {"log": info, "repeat": repeat, "best": best, "samples": samples, "peak_rss": peaks,
               "made": made, "load_average": load,
               "machine": {"nproc": os.cpu_count(), "python": platform.python_version()},
               "when": dt.datetime.now().isoformat(timespec="seconds")}
    out.mkdir(parents=True, exist_ok=True)
    (out / "eventlog.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    lines = [
        f"# Importing an event log: {events:,} events (seed {seed})", "",
        f"Measured {results['when']} on {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"load average {load[0][0]:.2f} at start, {load[1][0]:.2f} at end (a shared machine: others' work "
        f"only adds time). Each step in a fresh process, interleaved, best of {repeat}; the "
        "time is the call's, without starting Python and importing libraries.", "",
        f"The log: `log.csv`, {info['bytes'] / 2**20:.0f} MiB, {info['events']:,} events in {info['cases']:,} "
        f"cases, {info['without_resource']:,} without a resource; six columns as in pm4py's receipt log. "
        f"Made: {made.get('responsibilities', 0):,} responsibilities, {made.get('resources', 0):,} staff, "
        f"{made.get('agencies', 0):,} agencies.", "",
        "| step | best s | median s | × floor | peak RSS MiB |", "|---|---:|---:|---:|---:|",
    ]
    for name in steps:
        lines.append(f"| {name} | {best[name]:.2f} | {statistics.median(samples[name]):.2f} | "
                     f"{best[name] / base:.2f} | {peaks[name] / 2**20:.0f} |")
    lines += ["", "| target | measured | holds |", "|---|---|---|",
              f"| `import event-log` of 1 M events < 3 × `pandas.read_csv` of the same CSV | {ratio:.2f} × | "
              f"{'yes' if ratio < 3 and events >= 1_000_000 else ('yes (at this size)' if ratio < 3 else 'no')} |",
              ""]
    (out / "eventlog.md").write_text("\n".join(lines), encoding="utf-8")
    return out / "eventlog.md"
