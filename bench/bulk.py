"""``python -m bench bulk``: the online ``load --bulk`` loader, before and now, in one run.

``handover load DIR --bulk`` of one generated region into the project's local server, emptied
before each load, run four times in a row on the same server, each a fresh process:

- **before**: the loader of ``--baseline`` (a commit, checked out into a worktree beside the
  data): ``MERGE`` queries with the per-row unlink ``FOREACH``, the handover relationships derived
  by Cypher user by user afterwards, and the driver's pure-Python Bolt encoding;
- **before, Rust driver**: the same loader with the driver's Rust extension (``neo4j-rust-ext``);
- **now, pure-Python driver**: this checkout's loader (``cypher/bulk/``: ``CREATE`` into the empty
  database, staff created first, ``end_key`` with the rows, the handover relationships written
  as rows worked out in pandas) without the extension;
- **now**: this checkout as installed, with the extension.

A load of 1,000 users comes first, untimed, so that no timed load meets a cold server. Each is
timed by what ``load`` itself reports: input rows over the seconds from the incomplete
marker to the complete one, the derived relationships included. After each load the graph is counted, label
by label and type by type, and every variant must hold the same graph. The pure-Python driver
is forced by hiding ``neo4j._rust`` from the process (the driver falls back to its Python
encoding when that import fails).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

from bench.datasets import dataset_folder
from bench.graph import bench_server
from bench.results import machine, write_pair

__all__ = ["run_bulk"]

REPO = Path(__file__).resolve().parent.parent

#: Users of the region loaded first, untimed, so that no timed load meets a cold server.
_WARM_UP_USERS = 1_000

#: What ``handover load`` prints when it has loaded: rows, seconds, rows/s.
_LOADED = re.compile(r"loaded (\d+) rows in ([\d.]+) s")


def _variants(baseline: Path) -> list[tuple[str, Path, bool]]:
    """(name, checkout, Rust extension) of each run, in the order they run."""
    return [("before", baseline, False), ("before, Rust driver", baseline, True),
            ("now, pure-Python driver", REPO, False), ("now", REPO, True)]


def _baseline_checkout(commit: str, data: Path, log) -> Path:
    """A worktree of ``commit`` beside the data (made once, detached)."""
    folder = data / f"bulk-baseline-{commit[:12]}"
    if not (folder / "handover").is_dir():
        log(f"checking out {commit} into {folder} ...")
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(folder), commit], check=True,
                       stdout=subprocess.DEVNULL)
    return folder


def _load(checkout: Path, rust: bool, folder: Path, state_dir: Path, log) -> dict:
    """One ``load --bulk`` of ``folder`` by the handover of ``checkout``."""
    hide = "" if rust else "import sys; sys.modules['neo4j._rust'] = None; "
    code = (f"{hide}import runpy\n"
            "try:\n    import neo4j._rust\n    print('packstream: rust')\n"
            "except ImportError:\n    print('packstream: python')\n"
            "runpy.run_module('handover.cli', run_name='__main__')")
    environment = dict(os.environ, HANDOVER_STATE_DIR=str(state_dir), PYTHONPATH=str(checkout))
    began = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, "load", str(folder), "--bulk"], env=environment,
                          cwd=checkout, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                          text=True)
    wall = time.perf_counter() - began
    for line in done.stdout.splitlines():
        if not line.startswith((" ", "\r")):
            log(f"  {line}")
    if done.returncode != 0:
        raise SystemExit(f"load --bulk by {checkout} failed (exit {done.returncode}):\n{done.stdout[-2000:]}")
    found = _LOADED.search(done.stdout)
    if found is None:
        raise SystemExit(f"load --bulk by {checkout} printed no 'loaded N rows in S s':\n{done.stdout[-2000:]}")
    rows, seconds = int(found.group(1)), float(found.group(2))
    return {"rows": rows, "seconds": seconds, "rows_per_second": rows / seconds, "wall_seconds": wall,
            "encoding": "rust" if "packstream: rust" in done.stdout else "python"}


def _graph(info, *, clear: bool) -> dict:
    """Nodes per label and relationships per type of the whole database; then, with ``clear``, the
    database emptied for the next load (in committed batches, untimed)."""
    from handover.engines.neo4j.connection import open_driver
    from handover.engines.neo4j.store import clear_dataset

    with open_driver(info.uri, info.user, info.password) as driver:
        nodes = driver.execute_query("MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n").records
        links = driver.execute_query("MATCH ()-[r]->() RETURN type(r) AS kind, count(*) AS n").records
        if clear:
            clear_dataset(driver)
    return {"nodes": {r["label"]: r["n"] for r in nodes}, "relationships": {r["kind"]: r["n"] for r in links}}


def run_bulk(users: int, *, seed: int = 1, baseline: str, heap: str = "2g", page_cache: str = "2g",
             data: Path, out: Path, state_dir: Path, log=print) -> Path:
    """Measure the variants of the module docstring; write bulk.md and bulk.json into ``out``."""
    folder, _ = dataset_folder(data, users, seed, log=log)
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", baseline], check=True, capture_output=True,
                            text=True).stdout.strip()
    checkout = _baseline_checkout(commit, data, log)
    previous = os.environ.get("HANDOVER_NEO4J_PAGECACHE")
    os.environ["HANDOVER_NEO4J_PAGECACHE"] = page_cache
    loads, runs = [os.getloadavg()], []
    try:
        with bench_server(state_dir, heap, log) as info:
            _graph(info, clear=True)
            warm_up, _ = dataset_folder(data, _WARM_UP_USERS, seed, log=log)
            log(f"warming the server up: load --bulk of {warm_up.name}, untimed ...")
            _load(REPO, True, warm_up, state_dir, log)
            _graph(info, clear=True)
            for name, root, rust in _variants(checkout):
                log(f"{name}: load --bulk of {folder.name} into the emptied database ...")
                result = {"variant": name, **_load(root, rust, folder, state_dir, log), **_graph(info, clear=True)}
                loads.append(os.getloadavg())
                log(f"{name}: {result['rows_per_second']:,.0f} rows/s ({result['encoding']} encoding)")
                runs.append(result)
    finally:
        if previous is None:
            os.environ.pop("HANDOVER_NEO4J_PAGECACHE", None)
        else:
            os.environ["HANDOVER_NEO4J_PAGECACHE"] = previous
    same = all(run["nodes"] == runs[0]["nodes"] and run["relationships"] == runs[0]["relationships"] for run in runs)
    report = {"users": users, "seed": seed, "baseline": commit, "heap": heap, "page_cache": page_cache,
              "same_graph": same, "runs": runs, "machine": machine(loads)}
    return write_pair(out, "bulk", report, _markdown(report))


def _markdown(report: dict) -> str:
    runs = report["runs"]
    before = runs[0]["rows_per_second"]
    described = report["machine"]
    lines = [
        "# `handover load --bulk`: the online loader before and now",
        "",
        f"Measured {described['finished']} with `python -m bench bulk --users {report['users']}` on "
        f"{described['cores']} cores ({described['cpu']}), {described['ram_gib']} GiB, Python {described['python']}; "
        f"server heap {report['heap']}, page cache {report['page_cache']}; load average (1/5/15 min) before and "
        "after each load: " + ", ".join("/".join(f"{x:.1f}" for x in one) for one in described["load_average"]) + ".",
        "",
        f"{report['users']:,} generated users (seed {report['seed']}), {runs[0]['rows']:,} input rows, loaded with "
        f"`--bulk` four times on one server, emptied before each. \"Before\" is commit `{report['baseline'][:12]}`. Seconds are "
        "what `load` reports: from the incomplete marker to the complete one, the derived handover relationships "
        "included.",
        "",
        "| loader | Bolt encoding | seconds | rows/s | vs before |",
        "|---|---|---:|---:|---:|",
    ]
    for run in runs:
        lines.append(f"| {run['variant']} | {run['encoding']} | {run['seconds']:.1f} | {run['rows_per_second']:,.0f} | "
                     f"{run['rows_per_second'] / before:.2f}× |")
    lines += ["", "Every load left the same graph (nodes per label, relationships per type): "
              + ("**yes**." if report["same_graph"] else "**no**, see bulk.json."), ""]
    return "\n".join(lines)
