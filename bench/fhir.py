"""``python -m bench fhir``: ``handover import fhir`` of an NDJSON Bulk Data export against ``json.loads``.

One run measures, at each ``--users`` size (default 10 000 users), in fresh processes,
interleaved and best of ``--repeat``:

- ``json.loads``: every line of every NDJSON file read and parsed with :func:`json.loads`
  in one process, nothing kept: what any reader of the export must at least spend;
- ``import fhir``: :func:`handover.datasets.fhir.import_fhir` of the same files into a new
  CSV dataset, everything included (reading, resolving, the contract's checks, writing the
  tables and ``import-report.md``). It uses the machine's cores for the parsing (worker
  processes over byte ranges of the files); the ``json.loads`` baseline uses one.

Target: the import's rate (resources per second) is at least a third of ``json.loads``'.

Memory: the peak resident memory of each process (the import's main process, and the
largest of its workers). To show that it does not grow with the *file*, the smallest size
is also imported from a padded copy of its export: the same resources, each with a
narrative (``text.div``) of a few kilobytes, as exports often carry, which the import never
reads, so the file is several times larger and the rows the same. (The tables themselves
are held in memory to be checked as a whole, so memory grows with the rows kept, not with
the bytes read.)

The exports are ``handover generate`` datasets written as FHIR by
``fixtures/fhir/make_fhir.py`` (the same script as the oslo fixture), cached under
``bench/data/fhir-<users>-seed-<seed>/``.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import platform
import statistics
from pathlib import Path

from bench.datasets import dataset_folder
from bench.worker import REPO, measure

__all__ = ["run_fhir", "fhir_export"]

_STAMP = "bench-fhir.json"
#: The narrative each resource of the padded export carries (never read by the import).
PADDING = 3000


def _make_fhir():
    spec = importlib.util.spec_from_file_location("make_fhir", REPO / "fixtures" / "fhir" / "make_fhir.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _stamp(folder: Path) -> dict:
    files = sorted(folder.glob("*.ndjson"))
    lines = 0
    for path in files:
        with open(path, "rb") as handle:
            lines += sum(1 for _ in handle)
    return {"resources": lines, "bytes": sum(p.stat().st_size for p in files), "files": len(files)}


def fhir_export(data: Path, users: int, seed: int, log=print) -> tuple[Path, dict]:
    """The NDJSON export of the generated dataset of ``users`` (made once, then cached)."""
    target = data / f"fhir-{users}-seed-{seed}"
    if (target / _STAMP).exists():
        return target, json.loads((target / _STAMP).read_text(encoding="utf-8"))
    folder, _ = dataset_folder(data, users, seed, log=log)
    log(f"writing {folder.name} as FHIR NDJSON into {target} ...")
    make = _make_fhir()
    make.write_ndjson(make.read_tables(folder), target)
    info = _stamp(target)
    (target / _STAMP).write_text(json.dumps(info), encoding="utf-8")
    return target, info


def _padded(source: Path, log=print) -> tuple[Path, dict]:
    target = source.with_name(source.name + "-padded")
    if (target / _STAMP).exists():
        return target, json.loads((target / _STAMP).read_text(encoding="utf-8"))
    log(f"padding {source.name} with narratives into {target} ...")
    target.mkdir(parents=True, exist_ok=True)
    words = ("Samtale med bruker om bolig, arbeid og oppfølging etter utskrivning. " * 60)[:PADDING]
    for path in sorted(source.glob("*.ndjson")):
        with open(path, encoding="utf-8") as inp, open(target / path.name, "w", encoding="utf-8") as out:
            for line in inp:
                resource = json.loads(line)
                resource["text"] = {"status": "generated",
                                    "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{words}</div>'}
                out.write(json.dumps(resource, ensure_ascii=False, separators=(",", ":")) + "\n")
    info = _stamp(target)
    (target / _STAMP).write_text(json.dumps(info), encoding="utf-8")
    return target, info


def run_fhir(sizes: list[int], *, seed: int = 1, repeat: int = 3, data: Path, out: Path, log=print) -> Path:
    """Measure ``json.loads`` against ``import fhir`` at each size; write fhir.md and fhir.json."""
    exports = {users: fhir_export(data, users, seed, log) for users in sizes}
    smallest = min(sizes)
    padded = _padded(exports[smallest][0], log)
    runs = {}
    for users in sizes:
        folder = exports[users][0]
        runs[f"{users:,} users: json.loads"] = {"kind": "fhir_loads", "data": str(folder), "users": users}
        runs[f"{users:,} users: import fhir"] = {"kind": "fhir_import", "data": str(folder), "users": users,
                                                 "out": str(data / f"fhir-import-{users}")}
    runs[f"{smallest:,} users, padded: import fhir"] = {"kind": "fhir_import", "data": str(padded[0]),
                                                       "users": smallest, "out": str(data / "fhir-import-padded")}
    samples: dict[str, list[float]] = {name: [] for name in runs}
    peaks: dict[str, dict] = {}
    load = [os.getloadavg()]
    for round_ in range(repeat):  # interleaved: each measurement sees the same machine as the others
        for name, spec in runs.items():
            result = measure(spec, cap=3600.0)
            if result["status"] != "ok":
                raise SystemExit(f"{name}: {result}")
            samples[name].append(result["seconds"])
            peak = peaks.setdefault(name, {"peak_rss": 0, "children_peak_rss": 0})
            peak["peak_rss"] = max(peak["peak_rss"], result["peak_rss"])
            peak["children_peak_rss"] = max(peak["children_peak_rss"], result.get("children_peak_rss", 0))
            log(f"round {round_ + 1}: {name} {result['seconds']:.2f} s")
    load.append(os.getloadavg())
    best = {name: min(values) for name, values in samples.items()}
    results = {"sizes": sizes, "seed": seed, "repeat": repeat, "exports": {str(u): e[1] for u, e in exports.items()},
               "padded": padded[1], "best": best, "samples": samples, "peaks": peaks, "load_average": load,
               "machine": {"nproc": os.cpu_count(), "python": platform.python_version()},
               "when": dt.datetime.now().isoformat(timespec="seconds")}
    out.mkdir(parents=True, exist_ok=True)
    (out / "fhir.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    path = out / "fhir.md"
    path.write_text(_report(results), encoding="utf-8")
    return path


def _mib(n: int) -> str:
    return f"{n / 2**20:,.0f}"


def _report(results: dict) -> str:
    sizes, best, peaks = results["sizes"], results["best"], results["peaks"]
    load = results["load_average"]
    lines = [
        f"# Importing FHIR NDJSON: {', '.join(f'{u:,}' for u in sizes)} users (seed {results['seed']})", "",
        f"Measured {results['when']} on {results['machine']['nproc']} cores, Python "
        f"{results['machine']['python']}; load average {load[0][0]:.2f} at start, {load[1][0]:.2f} at end. "
        f"Each measurement in a fresh process, interleaved, best of {results['repeat']} "
        "(`python -m bench fhir`, see bench/fhir.py).", "",
        "The export: `handover generate --users N` written as one NDJSON file per resource type by "
        "`fixtures/fhir/make_fhir.py`. `json.loads` parses every line in one process and keeps nothing; "
        "`import fhir` is the whole command: parsing (in worker processes over byte ranges of the files, "
        "one per core), resolving references, the contract's checks, writing the CSV tables and the report.", "",
        "| users | resources | NDJSON MB | json.loads s | import s | json.loads resources/s | import resources/s "
        "| import ÷ json.loads | import peak RSS MiB (main / largest worker) | json.loads peak RSS MiB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    ratios = []
    for users in sizes:
        info = results["exports"][str(users)]
        loads, imported = best[f"{users:,} users: json.loads"], best[f"{users:,} users: import fhir"]
        ratio = loads / imported
        ratios.append(ratio)
        peak = peaks[f"{users:,} users: import fhir"]
        lines.append(f"| {users:,} | {info['resources']:,} | {info['bytes'] / 1e6:,.0f} | {loads:.2f} | "
                     f"{imported:.2f} | {info['resources'] / loads:,.0f} | {info['resources'] / imported:,.0f} | "
                     f"{ratio:.2f} | {_mib(peak['peak_rss'])} / {_mib(peak['children_peak_rss'])} | "
                     f"{_mib(peaks[f'{users:,} users: json.loads']['peak_rss'])} |")
    smallest = min(sizes)
    padded = results["padded"]
    plain = results["exports"][str(smallest)]
    name = f"{smallest:,} users, padded: import fhir"
    lines += [
        "", "## Memory and the size of the file", "",
        f"The {smallest:,}-user export again, each resource padded with a {PADDING:,}-character narrative "
        "(`text.div`, never read):", "",
        "| export | NDJSON MB | import s | import peak RSS MiB (main / largest worker) |", "|---|---:|---:|---|",
        f"| as generated | {plain['bytes'] / 1e6:,.0f} | {best[f'{smallest:,} users: import fhir']:.2f} | "
        f"{_mib(peaks[f'{smallest:,} users: import fhir']['peak_rss'])} / "
        f"{_mib(peaks[f'{smallest:,} users: import fhir']['children_peak_rss'])} |",
        f"| padded | {padded['bytes'] / 1e6:,.0f} | {best[name]:.2f} | {_mib(peaks[name]['peak_rss'])} / "
        f"{_mib(peaks[name]['children_peak_rss'])} |", "",
        "Each worker holds one byte range of a file (16 MiB) and the columns made from it; the main process "
        "holds the columns of the rows kept (a few values per resource, repeated values shared) and then the "
        "tables, which are checked as a whole. So memory grows with the rows imported, not with the bytes of "
        "the file: names, narratives and other text live only as long as the line being parsed.",
        "", "## Target", "", "| target | measured | holds |", "|---|---|---|",
    ]
    for users, ratio in zip(sizes, ratios):
        lines.append(f"| {users:,} users: import rate ≥ 1/3 of json.loads' rate | {ratio:.2f} | "
                     f"{'yes' if ratio >= 1 / 3 else 'no'} |")
    lines += ["", "Samples (seconds, in round order):", ""]
    lines += [f"- {name}: {', '.join(f'{s:.2f}' for s in values)} (median {statistics.median(values):.2f})"
              for name, values in results["samples"].items()]
    return "\n".join(lines) + "\n"
