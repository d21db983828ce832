"""One measurement in a fresh Python process: its time and its peak resident memory.

Run as ``python -m bench.worker '<json spec>'`` (by :func:`measure`, never by hand).
A fresh process per measurement makes the peak RSS (``getrusage``'s ``ru_maxrss``)
belong to that measurement alone, and lets the caller kill a measurement that runs
past its time cap. The result is the last stdout line, after ``BENCH-RESULT``.

Kinds of measurement (``spec["kind"]``):

``floor``
    ``pandas.read_csv(path)`` with its defaults on every table file: the least any
    reader must spend (no string ids, no validation).
``read``
    :func:`handover.io.read_dataset`: our read with the full contract validation.
``find``
    ``read_dataset``, then :func:`handover.findings.find` for one finding on the
    in-memory engine (the find is timed on its own, best of ``repeat``).

``read`` and ``find`` measure the floor too, after their own work, and report
``footprint_rss``: the peak RSS before the floor ran (the read and the finding alone).
``naive``
    ``read_dataset``, then the loop implementation of ``tests/oracle.py``.
``read_export``
    :func:`handover.io.read_dataset` of a workbook or an export folder, with ``sep``,
    ``encoding`` and ``mapping`` from the spec (``python -m bench exports``).
``read_csv``
    ``pandas.read_csv(path)`` of one file with its defaults (``python -m bench eventlog``).
``import_event_log``
    :func:`handover.datasets.eventlog.import_event_log` of the log ``data`` into ``out``
    (with ``agency`` as the agency column), writing the dataset.
``fhir_loads``
    :func:`json.loads` of every line of every ``*.ndjson`` file of ``data``, nothing kept
    (``python -m bench fhir``).
``fhir_import``
    :func:`handover.datasets.fhir.import_fhir` of ``data`` into a new folder ``out``
    (removed afterwards); also reports the largest peak RSS of its worker processes.
``report``
    ``read_dataset``, then :func:`handover.reports.summary.write_report` into ``out``
    (replaced first), timed on its own, with the time of each of its steps, the files
    and bytes written and the user pages drawn (``python -m bench site``).
``handover_of_work``
    ``read_dataset``, then :func:`handover.network.handover_of_work` (``impl="ours"``)
    or ``pm4py.discover_handover_of_work_network(log, beta=0)`` on the event log of
    DESIGN §5.8 (``impl="pm4py"``; building the log is not timed).
"""

from __future__ import annotations

import contextlib
import gc
import io
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["measure", "MARK", "peak_rss"]

MARK = "BENCH-RESULT "
REPO = Path(__file__).resolve().parent.parent


def measure(spec: dict, cap: float) -> dict:
    """Run ``spec`` in a fresh process, killed after ``cap`` seconds.

    Returns
    -------
    dict
        The worker's result, with ``status`` ``ok``, ``timeout`` (past the cap) or
        ``failed`` (with the error's last lines).
    """
    command = [sys.executable, "-m", "bench.worker", json.dumps(spec)]
    began = time.perf_counter()
    child = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             stdin=subprocess.DEVNULL)
    try:
        stdout, stderr = child.communicate(timeout=cap)
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "cap": cap, "wall": round(time.perf_counter() - began, 3)}
    finally:  # past the cap, or the benchmark itself stopped: the measurement goes too
        if child.poll() is None:
            child.kill()
            child.communicate()
    for line in reversed(stdout.splitlines()):
        if line.startswith(MARK):
            result = json.loads(line[len(MARK):])
            result["status"] = "ok"
            return result
    tail = "\n".join((stdout + stderr).strip().splitlines()[-8:])
    return {"status": "failed", "error": tail or f"exit {child.returncode}"}


def peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


#: Quick steps are repeated until they add up to this many seconds (as ``timeit`` does), so
#: that a step of a few milliseconds is not measured by one noisy sample.
MIN_TOTAL_SECONDS, MAX_RUNS = 1.0, 50


def _timed(work, repeat: int = 1):
    """``(best seconds, all seconds, last result)`` of at least ``repeat`` runs of ``work()``."""
    samples, result = [], None
    while len(samples) < max(1, repeat) or (sum(samples) < MIN_TOTAL_SECONDS and len(samples) < MAX_RUNS):
        result = None
        gc.collect()
        began = time.perf_counter()
        result = work()
        samples.append(time.perf_counter() - began)
    return min(samples), samples, result


def _floor(spec: dict) -> dict:
    import pandas as pd

    files = sorted(Path(spec["data"]).glob("*.csv"))
    best, samples, _ = _timed(lambda: [pd.read_csv(f) for f in files], spec.get("repeat", 1))
    return {"seconds": best, "samples": samples}


def _read(spec: dict):
    from handover.io import read_dataset

    return _timed(lambda: read_dataset(spec["data"]), spec.get("repeat", 1))


def _find(spec: dict) -> dict:
    from handover.engines import MemoryEngine
    from handover.findings import find

    read_best, read_samples, dataset = _read({**spec, "repeat": 1})
    rss_after_read = peak_rss()
    # A fresh engine each run: an engine remembers its answers (MemoryEngine.remembered), so
    # timing the same engine again would time a copy of the first answer.
    best, samples, rows = _timed(lambda: find(MemoryEngine(dataset), spec["name"]), spec.get("repeat", 1))
    footprint = peak_rss()
    # The floor again, in this process, just after: on a shared machine the load changes
    # from minute to minute, and a ratio is fair only between neighbours in time. After,
    # so that its own frames are not in the footprint of the read and the finding.
    floor = _floor(spec)["seconds"]
    return {"seconds": best, "samples": samples, "read_seconds": read_best, "rows": len(rows),
            "rss_after_read": rss_after_read, "footprint_rss": footprint, "floor_seconds": floor}


def _naive(spec: dict) -> dict:
    import pandas as pd

    from handover.findings import FINDINGS, resolve_options
    from tests import oracle

    _, _, dataset = _read({**spec, "repeat": 1})
    name = spec["name"]
    as_of = dataset.latest_date()
    params = resolve_options(name, {}, as_of)
    if not FINDINGS[name].uses_as_of:  # the oracle of a finding not measured on the day takes no as_of
        params.pop("as_of")
    # The oracle works on datetime.date, as the rows it builds do.
    params = {k: (v.date() if isinstance(v, pd.Timestamp) else v) for k, v in params.items()}
    best, samples, rows = _timed(lambda: getattr(oracle, name)(dataset, **params), spec.get("repeat", 1))
    return {"seconds": best, "samples": samples, "rows": len(rows)}


def _fhir_loads(spec: dict) -> dict:
    files = sorted(Path(spec["data"]).glob("*.ndjson"))

    def work():
        loads, lines = json.loads, 0
        for path in files:
            with open(path, encoding="utf-8") as handle:
                for line in handle:
                    loads(line)
                    lines += 1
        return lines

    began = time.perf_counter()
    lines = work()
    return {"seconds": time.perf_counter() - began, "lines": lines}


def _fhir_import(spec: dict) -> dict:
    import shutil

    from handover.datasets.fhir import import_fhir

    out = Path(spec["out"])
    shutil.rmtree(out, ignore_errors=True)
    began = time.perf_counter()
    summary = import_fhir(spec["data"], out, fmt=spec.get("format", "csv"))
    seconds = time.perf_counter() - began
    shutil.rmtree(out, ignore_errors=True)
    return {"seconds": seconds, "resources": summary.resources, "rows": sum(summary.rows.values()),
            "children_peak_rss": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024}


def _handover_of_work(spec: dict) -> dict:
    _, _, dataset = _read({**spec, "repeat": 1})
    if spec["impl"] == "ours":
        from handover.network import handover_of_work

        best, samples, graph = _timed(lambda: handover_of_work(dataset), spec.get("repeat", 1))
        edges = {(u, v): d["weight"] for u, v, d in graph.edges(data=True)}
    else:
        import pandas as pd

        with contextlib.redirect_stdout(io.StringIO()):  # pm4py prints a banner on import
            import pm4py
        ordered = dataset["responsibilities"].sort_values(["user_id", "start", "staff_id"], kind="stable")
        log = pd.DataFrame({
            "case:concept:name": ordered["user_id"].astype(str).to_numpy(),
            "org:resource": ordered["staff_id"].astype(str).to_numpy(),
            "concept:name": ordered["role"].astype(str).to_numpy(),
            "time:timestamp": pd.to_datetime(ordered["start"]).to_numpy(),
        })
        best, samples, network = _timed(lambda: pm4py.discover_handover_of_work_network(log, beta=0),
                                        spec.get("repeat", 1))
        edges = dict(network.connections)
    digest = sorted((u, v, round(w, 12)) for (u, v), w in edges.items())
    import hashlib

    return {"seconds": best, "samples": samples, "edges": len(edges),
            "events": int(len(dataset["responsibilities"])),
            "edges_digest": hashlib.sha256(json.dumps(digest).encode()).hexdigest()}


def _import_event_log(spec: dict) -> dict:
    from handover.datasets.eventlog import import_event_log
    from handover.io.eventlog import LogColumns

    columns = LogColumns(agency=spec.get("agency"))
    best, samples, done = _timed(lambda: import_event_log(Path(spec["data"]), Path(spec["out"]), columns=columns),
                                 spec.get("repeat", 1))
    counts = done.counts
    return {"seconds": best, "samples": samples,
            "counts": {"events": counts.events, "responsibilities": counts.responsibilities,
                       "resources": counts.resources, "cases": counts.cases, "agencies": counts.agencies}}


def _report(spec: dict) -> dict:
    import shutil

    from handover.engines import MemoryEngine
    from handover.io import read_dataset
    from handover.reports.summary import write_report

    dataset = read_dataset(spec["data"])
    out = Path(spec["out"])
    steps: dict[str, float] = {}
    last = [None, None]

    def step(name: str) -> None:
        now = time.perf_counter()
        if last[0] is not None:
            steps[last[0]] = steps.get(last[0], 0.0) + now - last[1]
        last[0], last[1] = name, now

    def work():
        if out.exists():
            shutil.rmtree(out)
        steps.clear()
        last[0] = None
        with MemoryEngine(dataset) as engine:
            write_report(engine, out, by=spec.get("by"), progress=step)
        step("")
        steps.pop("", None)

    best, samples, _ = _timed(work, spec.get("repeat", 1))
    files = [p for p in out.rglob("*") if p.is_file()]
    return {"seconds": best, "samples": samples, "steps": {k: round(v, 3) for k, v in steps.items()},
            "files": len(files), "bytes": sum(p.stat().st_size for p in files),
            "user_pages": len(list((out / "users").glob("*.html")))}


def main(argv: list[str]) -> None:
    spec = json.loads(argv[0])
    kind = spec["kind"]
    if kind == "floor":
        result = _floor(spec)
    elif kind == "read":
        best, samples, dataset = _read(spec)
        footprint = peak_rss()
        result = {"seconds": best, "samples": samples, "footprint_rss": footprint,
                  "rows": int(sum(len(f) for f in dataset.tables.values()))}
        del dataset
        result["floor_seconds"] = _floor(spec)["seconds"]
    elif kind == "read_export":
        from handover.io import read_dataset

        best, samples, dataset = _timed(lambda: read_dataset(
            spec["data"], sep=spec.get("sep", ","), encoding=spec.get("encoding", "utf-8"),
            mapping=spec.get("mapping")), spec.get("repeat", 1))
        result = {"seconds": best, "samples": samples,
                  "rows": int(sum(len(f) for f in dataset.tables.values()))}
    elif kind == "read_csv":
        import pandas as pd

        best, samples, _ = _timed(lambda: pd.read_csv(spec["data"]), spec.get("repeat", 1))
        result = {"seconds": best, "samples": samples}
    elif kind == "import_event_log":
        result = _import_event_log(spec)
    elif kind == "find":
        result = _find(spec)
    elif kind == "naive":
        result = _naive(spec)
    elif kind == "handover_of_work":
        result = _handover_of_work(spec)
    elif kind == "fhir_loads":
        result = _fhir_loads(spec)
    elif kind == "fhir_import":
        result = _fhir_import(spec)
    elif kind == "report":
        result = _report(spec)
    else:
        raise SystemExit(f"unknown measurement kind {kind!r}")
    result["peak_rss"] = peak_rss()
    result["pid"] = os.getpid()
    print(MARK + json.dumps(result), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
