"""``python -m bench national``: the country on one machine, from 10,000 to 1,000,000 users.

Issue 16's proof, in one run, for each size (generated regions, seed 1):

- **memory engine**: the pandas floor, :func:`~handover.io.read_dataset`, and every finding's
  ``find()`` after a read, each in a fresh process (:func:`bench.worker.measure`), with its peak
  resident memory (``footprint_rss``: the read and the finding, the floor left out) and "files →
  rows" (read + find) against the floor measured in the same process just after;
- **Neo4j**: ``handover load DIR --import --replace`` into a fresh server, end to end and by step
  (as ``python -m bench import`` times it), then every finding's ``find()`` on the Neo4j engine,
  each once (the first answer is what a user waits for), with the server's peak resident memory
  (the JVM's ``VmHWM``) and the client's;
- **growth**: ``national.png``, and the log-log slope of every measurement between consecutive sizes and across all of
  them (1.0 is linear in users; above it grows faster than the data).

Each measurement is saved as it is made (``national.json``), so a run that is stopped keeps
what it measured and a later run of some sizes or parts (``--parts memory``) replaces only those.
``national.md`` is rendered from the json at the end of every run.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from pathlib import Path

from bench.datasets import dataset_folder
from bench.graph import bench_server, server_version
from bench.importer import import_steps, timed_cli
from bench.report import slope
from bench.results import Results, machine
from bench.worker import measure, peak_rss

__all__ = ["run_national", "render"]

#: The issue's targets, checked in ``national.md`` at the biggest size.
TARGETS = {"import_seconds": 15 * 60, "cypher_seconds": 120, "memory_gib": 12, "floor_ratio": 2.0}
PARTS = ("memory", "neo4j")


def run_national(sizes: list[int], *, parts: tuple[str, ...] = PARTS, seed: int = 1, repeat: int = 1,
                 heap: str = "8g", page_cache: str = "4g", cap: float = 3600, data: Path, out: Path,
                 state_dir: Path, log=print) -> Path:
    """Measure the module docstring's table; write ``national.md`` and ``national.json`` into ``out``."""
    path = out / "national.json"
    results = Results.load(path) if path.exists() else Results(path)
    results.data["machine"] = machine(heap=heap, page_cache=page_cache,
                                      when=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
    for users in sizes:
        folder, info = dataset_folder(data, users, seed, log=log)
        results.data["datasets"] = [d for d in results["datasets"] if d["users"] != users] + [info]
        if "memory" in parts:
            _memory(results, folder, users, repeat=repeat, cap=cap, log=log)
        if "neo4j" in parts:
            _neo4j(results, folder, info, users, heap=heap, page_cache=page_cache,
                   state_dir=state_dir / f"users-{users}", log=log)
    results.save()
    markdown = out / "national.md"
    markdown.write_text(render(results.data), encoding="utf-8")
    plot(results.data, out / "national.png")
    return markdown


def _memory(results: Results, folder: Path, users: int, *, repeat: int, cap: float, log) -> None:
    from handover.findings import FINDINGS

    results.data["memory"] = [r for r in results["memory"] if r["users"] != users]
    steps = [("read_dataset", {"kind": "read"})] + [(name, {"kind": "find", "name": name}) for name in FINDINGS]
    for step, spec in steps:
        log(f"memory engine, {users:,} users: {step} ...")
        outcome = measure({**spec, "data": str(folder), "repeat": repeat}, cap)
        results.add("memory", {"users": users, "step": step, "load_average": os.getloadavg()[0], **outcome})
        if outcome["status"] == "ok":
            log(f"  {outcome['seconds']:.1f} s, footprint {outcome['footprint_rss'] / 2**30:.2f} GiB")
        else:
            log(f"  {outcome['status']}: {outcome.get('error', '')}")


def _neo4j(results: Results, folder: Path, info: dict, users: int, *, heap: str, page_cache: str,
           state_dir: Path, log) -> None:
    from handover.engines.neo4j import Neo4jEngine
    from handover.findings import FINDINGS, find

    results.data["neo4j_load"] = [r for r in results["neo4j_load"] if r["users"] != users]
    results.data["neo4j_queries"] = [r for r in results["neo4j_queries"] if r["users"] != users]
    shutil.rmtree(state_dir, ignore_errors=True)  # an empty database: what --import is for
    previous = os.environ.get("HANDOVER_NEO4J_PAGECACHE")
    os.environ["HANDOVER_NEO4J_PAGECACHE"] = page_cache
    try:
        with bench_server(state_dir, heap, log):
            log(f"neo4j, {users:,} users: load --import of {info['total_rows']:,} rows ...")
            before = os.getloadavg()[0]
            seconds, lines, _, load_peak = timed_cli(["load", str(folder), "--import", "--replace"], state_dir, log)
            results.add("neo4j_load", {"users": users, "rows": info["total_rows"], "seconds": seconds,
                                       "rows_per_second": info["total_rows"] / seconds,
                                       "steps": dict(import_steps(lines, seconds)), "load_peak_rss": load_peak,
                                       "load_average": [before, os.getloadavg()[0]]})
        # The import restarted the server under a new pid: reach it again.
        with bench_server(state_dir, heap, log) as server, \
                Neo4jEngine(server.uri, server.user, server.password) as engine:
            version = server_version(engine)
            as_of = engine.latest_date()
            for name in FINDINGS:
                log(f"neo4j, {users:,} users: {name} ...")
                load = os.getloadavg()[0]
                began = time.perf_counter()
                rows = find(engine, name, as_of=as_of)
                seconds = time.perf_counter() - began
                results.add("neo4j_queries", {"users": users, "finding": name, "seconds": seconds,
                                              "rows": len(rows), "load_average": load,
                                              "server_peak_rss": _peak_rss_of(server.pid),
                                              "client_peak_rss": peak_rss(), "neo4j": version})
                log(f"  {seconds:.1f} s, {len(rows):,} rows")
    finally:
        if previous is None:
            os.environ.pop("HANDOVER_NEO4J_PAGECACHE", None)
        else:
            os.environ["HANDOVER_NEO4J_PAGECACHE"] = previous


def _peak_rss_of(pid: int | None) -> int | None:
    """A process's peak resident memory in bytes (``VmHWM``), None when it cannot be read."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        return None
    return None


def render(data: dict) -> str:
    """``national.md`` from the measurements of ``national.json``."""
    machine = data.get("machine", {})
    sizes = sorted({d["users"] for d in data["datasets"]})
    rows_of = {d["users"]: d["total_rows"] for d in data["datasets"]}
    lines = ["# The country on one machine: 10,000 to 1,000,000 users (`python -m bench national`)", "",
             f"Measured {machine.get('when', '?')} on {machine.get('cores')} cores ({machine.get('cpu')}), "
             f"{machine.get('ram_gib')} GiB RAM, Python {machine.get('python')}; Neo4j heap "
             f"{machine.get('heap')}, page cache {machine.get('page_cache')}. Each row gives the load "
             "average (1 min) when it was measured: the machine has 2 cores, and other work ran on it.", "",
             "| users | input rows |", "|---:|---:|"]
    lines += [f"| {u:,} | {rows_of[u]:,} |" for u in sizes]
    lines += _memory_table(data, sizes) + _neo4j_tables(data, sizes) + _targets(data, sizes)
    lines += ["", "## Notes", ""] + [f"- {n['text']}" for n in data["notes"]] if data["notes"] else []
    return "\n".join(lines) + "\n"


def _memory_table(data: dict, sizes: list[int]) -> list[str]:
    measured = {(r["users"], r["step"]): r for r in data["memory"] if r["status"] == "ok"}
    if not measured:
        return []
    steps = list(dict.fromkeys(r["step"] for r in data["memory"]))
    lines = ["", "## Memory engine: each step in a fresh process", "",
             "Seconds of the step (a finding: its `find()` alone, after the read), peak resident memory of "
             "the read and the step, and files → rows (read + find) over the pandas floor (`read_csv` of "
             "every file) measured in the same process just after. Slopes are log-log over every size.", "",
             "| step | " + " | ".join(f"{u:,}: s · GiB · × floor" for u in sizes) + " | slope s | slope GiB |",
             "|---|" + "---:|" * (len(sizes) + 2)]
    for step in steps:
        cells, seconds, memory = [], [], []
        for users in sizes:
            r = measured.get((users, step))
            if r is None:
                cells.append("–")
                continue
            total = r["seconds"] + r.get("read_seconds", 0.0)
            cells.append(f"{r['seconds']:.1f} · {r['footprint_rss'] / 2**30:.2f} · "
                         f"{total / r['floor_seconds']:.2f}× (load {r['load_average']:.1f})")
            seconds.append((users, r["seconds"]))
            memory.append((users, r["footprint_rss"]))
        lines.append(f"| {step} | " + " | ".join(cells) + f" | {_fmt(slope(seconds))} | {_fmt(slope(memory))} |")
    return lines


def _neo4j_tables(data: dict, sizes: list[int]) -> list[str]:
    lines = []
    loads = {r["users"]: r for r in data["neo4j_load"]}
    if loads:
        lines += ["", "## Neo4j: `handover load DIR --import --replace`, end to end", "",
                  "Seconds of each step, and the peak resident memory of the import: the largest of the `handover` "
                  "process and the processes it waited for (neo4j-admin, the fingerprint's process), not their sum; "
                  "the server is not counted.", "",
                  "| users | seconds | rows/s | " + " | ".join(_step_names(loads)) + " | peak GiB | load average |",
                  "|---:|---:|---:|" + "---:|" * (len(_step_names(loads)) + 2)]
        for users in sorted(loads):
            r = loads[users]
            lines.append(f"| {users:,} | {r['seconds']:.0f} | {r['rows_per_second']:,.0f} | "
                         + " | ".join(f"{r['steps'].get(s, 0):.0f}" for s in _step_names(loads))
                         + (f" | {r['load_peak_rss'] / 2**30:.2f}" if r.get("load_peak_rss") else " | –")
                         + f" | {r['load_average'][0]:.1f} → {r['load_average'][1]:.1f} |")
        lines.append(f"\nSlope of the import's seconds: {_fmt(slope([(u, r['seconds']) for u, r in loads.items()]))}.")
    queries = {(r["users"], r["finding"]): r for r in data["neo4j_queries"]}
    if queries:
        findings = list(dict.fromkeys(r["finding"] for r in data["neo4j_queries"]))
        lines += ["", "## Neo4j: every finding, `find()` once on the loaded graph", "",
                  "Seconds (rows into a frame included), and the server's peak resident memory so far.", "",
                  "| finding | " + " | ".join(f"{u:,}: s · server GiB" for u in sizes) + " | slope s |",
                  "|---|" + "---:|" * (len(sizes) + 1)]
        for finding in findings:
            cells, seconds = [], []
            for users in sizes:
                r = queries.get((users, finding))
                if r is None:
                    cells.append("–")
                    continue
                server = f"{r['server_peak_rss'] / 2**30:.1f}" if r.get("server_peak_rss") else "?"
                cells.append(f"{r['seconds']:.1f} · {server} (load {r['load_average']:.1f})")
                seconds.append((users, r["seconds"]))
            lines.append(f"| {finding} | " + " | ".join(cells) + f" | {_fmt(slope(seconds))} |")
    return lines


def _step_names(loads: dict) -> list[str]:
    return list(dict.fromkeys(s for r in loads.values() for s in r["steps"]))


def _targets(data: dict, sizes: list[int]) -> list[str]:
    top = max(sizes)
    memory = [r for r in data["memory"] if r["users"] == top and r["status"] == "ok"]
    finds = [r for r in memory if r["step"] != "read_dataset"]
    load = [r for r in data["neo4j_load"] if r["users"] == top]
    queries = [r for r in data["neo4j_queries"] if r["users"] == top]
    lines = ["", f"## Issue 16's targets at {top:,} users", "", "| measure | target | measured | holds |",
             "|---|---|---|---|"]

    def row(measure: str, target: str, value: float | None, text: str, holds: bool) -> None:
        lines.append(f"| {measure} | {target} | {text if value is not None else 'not measured'} | "
                     f"{('yes' if holds else '**no**') if value is not None else '–'} |")

    seconds = load[0]["seconds"] if load else None
    row("`load --import`, end to end", "< 15 min", seconds, f"{(seconds or 0) / 60:.1f} min",
        seconds is not None and seconds < TARGETS["import_seconds"])
    worst = max(queries, key=lambda r: r["seconds"]) if queries else None
    row("every Cypher finding", "< 120 s", worst and worst["seconds"],
        f"slowest {worst['finding']} {worst['seconds']:.0f} s" if worst else "",
        worst is not None and worst["seconds"] < TARGETS["cypher_seconds"])
    peak = max(memory, key=lambda r: r["footprint_rss"]) if memory else None
    row("memory engine peak RSS, read + every finding", "≤ 12 GiB", peak and peak["footprint_rss"],
        f"{peak['footprint_rss'] / 2**30:.2f} GiB ({peak['step']})" if peak else "",
        peak is not None and peak["footprint_rss"] <= TARGETS["memory_gib"] * 2**30)
    ratios = [((r["seconds"] + r["read_seconds"]) / r["floor_seconds"], r["step"]) for r in finds]
    worst_ratio = max(ratios) if ratios else None
    row("every memory finding, files → rows", "≤ 2× the pandas floor", worst_ratio and worst_ratio[0],
        f"worst {worst_ratio[1]} {worst_ratio[0]:.2f}×" if worst_ratio else "",
        worst_ratio is not None and worst_ratio[0] <= TARGETS["floor_ratio"])
    return lines


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def plot(data: dict, path: Path) -> None:
    """``national.png``: seconds (left) and peak memory (right) against users, log-log, both engines."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from handover.findings import FINDINGS

    colours = dict(zip(FINDINGS, plt.get_cmap("tab10").colors))
    figure, (left, right) = plt.subplots(1, 2, figsize=(15, 8.5))
    memory = [r for r in data["memory"] if r["status"] == "ok"]

    def points(rows, value):
        return sorted((r["users"], value(r)) for r in rows if value(r))

    reads = [r for r in memory if r["step"] == "read_dataset"]
    if reads:
        left.plot(*zip(*points(reads, lambda r: r["seconds"])), marker="s", color="grey", lw=2.5,
                  label="read_dataset (memory)")
        left.plot(*zip(*points(reads, lambda r: r["floor_seconds"])), marker="s", color="black", lw=2.5,
                  label="pandas floor")
    loads = data["neo4j_load"]
    if loads:
        left.plot(*zip(*points(loads, lambda r: r["seconds"])), marker="D", color="brown", lw=2.5,
                  label="load --import (neo4j)")
        left.axhline(TARGETS["import_seconds"], color="brown", lw=0.8, ls=":", label="15 min (import target)")
    for name in FINDINGS:
        mine = [r for r in memory if r["step"] == name]
        if mine:
            left.plot(*zip(*points(mine, lambda r: r["seconds"])), marker="o", color=colours[name],
                      label=f"{name} (memory)")
            right.plot(*zip(*points(mine, lambda r: r["footprint_rss"] / 2**30)), marker="o",
                       color=colours[name], label=f"{name}: read + find (memory)")
        cypher = [r for r in data["neo4j_queries"] if r["finding"] == name]
        if cypher:
            left.plot(*zip(*points(cypher, lambda r: r["seconds"])), marker="^", ls="--", color=colours[name],
                      label=f"{name} (neo4j)")
    if data["neo4j_queries"]:
        left.axhline(TARGETS["cypher_seconds"], color="red", lw=0.8, ls=":", label="120 s (Cypher target)")
        servers = points(data["neo4j_queries"], lambda r: (r.get("server_peak_rss") or 0) / 2**30)
        peak = {}
        for users, gib in servers:
            peak[users] = max(gib, peak.get(users, 0))
        right.plot(*zip(*sorted(peak.items())), marker="^", ls="--", color="black", label="Neo4j server (JVM)")
    right.axhline(TARGETS["memory_gib"], color="red", lw=0.8, ls=":", label="12 GiB (memory target)")
    left.set(xscale="log", yscale="log", xlabel="users", ylabel="seconds",
             title="seconds: memory engine (solid), Neo4j (dashed)")
    right.set(xscale="log", yscale="log", xlabel="users", ylabel="GiB", title="peak resident memory")
    for axis in (left, right):
        axis.grid(True, which="both", alpha=0.3)
        axis.legend(fontsize=7, ncol=2, loc="upper center", bbox_to_anchor=(0.5, -0.1))
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
