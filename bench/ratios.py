"""``python -m bench ratios``: every command on Neo4j against the memory engine, in one run.

At each size (default 10 000 and 100 000 users) the dataset is bulk-loaded into a Neo4j server of
its own (``--neo4j-state-dir``/``users-N``; a load of the same dataset, with everything derived,
is skipped), then every finding through ``find()`` and ``caseload`` are timed on both engines,
interleaved (memory, Neo4j, memory, Neo4j, ...), best of ``--repeat``:

- memory: ``find()`` on a fresh :class:`~handover.engines.MemoryEngine` of the dataset read once
  (a fresh engine each time, so that no answer or snapshot is remembered from the previous run),
  and ``caseload`` of the dataset;
- Neo4j: ``find()`` and ``caseload`` on the Neo4j engine, rows into a frame included.

Target (issue 15, item 3): every Cypher finding within 3 x the memory engine at 100 000 users.
At the biggest size the hot queries (the findings and the populations caseload reads) are
PROFILEd into ``profiles/ratios/``, to show that their plans start from index seeks. Writes
``ratios.md`` and ``ratios.json``; the load average is recorded before and after each size.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from pathlib import Path

from bench import graph
from bench.datasets import dataset_folder
from bench.results import Results

__all__ = ["run_ratios", "TARGET"]

#: Neo4j / memory at the biggest size that the issue asks for.
TARGET = 3.0
#: The populations caseload reads on Neo4j (handover.network.caseload), PROFILEd with the findings.
CASELOAD_POPULATIONS = ("responsibilities_on_day", "staff_professions", "plan_intervals", "episodes_on_day")


def run_ratios(sizes: list[int], *, seed: int = 1, repeat: int = 3, heap: str = "8g", data: Path,
               state_dir: Path, out: Path, log=print) -> Path:
    """Measure the module docstring's table at each size; write ratios.md and ratios.json."""
    from handover.engines import MemoryEngine
    from handover.engines.neo4j import Neo4jEngine
    from handover.engines.neo4j.store import load_dataset
    from handover.findings import FINDINGS, find
    from handover.io import read_dataset
    from handover.network.caseload import caseload

    results = {"started": _now(), "seed": seed, "repeat": repeat, "heap": heap, "sizes": [], "rows": [],
               "profiles": []}
    for users in sizes:
        folder, info = dataset_folder(data, users, seed, log=log)
        dataset = read_dataset(folder)
        size = {"users": users, "total_rows": info["total_rows"], "load_start": _load_average()}
        with graph.bench_server(state_dir / f"users-{users}", heap, log) as server, \
                Neo4jEngine(server.uri, server.user, server.password) as engine:
            log(f"{users} users: loading into Neo4j (skipped when it holds this dataset) ...")
            began = time.perf_counter()
            summary = load_dataset(engine.driver, dataset, atomic=False, replace=True)
            size.update(load_seconds=round(time.perf_counter() - began, 1), load_skipped=summary.unchanged,
                        neo4j=graph.server_version(engine))
            as_of = engine.latest_date()
            commands = {name: (lambda n=name: find(MemoryEngine(dataset), n, as_of=as_of),
                               lambda n=name: find(engine, n, as_of=as_of)) for name in FINDINGS}
            commands["caseload"] = (lambda: caseload(dataset, as_of=as_of), lambda: caseload(engine, as_of=as_of))
            for name, (on_memory, on_neo4j) in commands.items():
                row = _interleaved(name, users, on_memory, on_neo4j, repeat, log)
                results["rows"].append(row)
                _save(results, out)
            if users == max(sizes):
                _profile(results, engine, users, out, log)
        size["load_end"] = _load_average()
        results["sizes"].append(size)
        _save(results, out)
    results["finished"] = _now()
    _save(results, out)
    path = out / "ratios.md"
    path.write_text(render(results), encoding="utf-8")
    return path


def _interleaved(name: str, users: int, on_memory, on_neo4j, repeat: int, log) -> dict:
    samples: dict[str, list[float]] = {"memory": [], "neo4j": []}
    rows = {}
    for _ in range(max(1, repeat)):
        for engine, work in (("memory", on_memory), ("neo4j", on_neo4j)):
            began = time.perf_counter()
            answer = work()
            samples[engine].append(time.perf_counter() - began)
            rows[engine] = _row_count(answer)
    memory, neo4j = min(samples["memory"]), min(samples["neo4j"])
    log(f"{users} users: {name}: memory {memory:.2f} s, neo4j {neo4j:.2f} s ({neo4j / memory:.1f} x)")
    return {"users": users, "command": name, "memory_seconds": memory, "neo4j_seconds": neo4j,
            "ratio": neo4j / memory, "memory_samples": samples["memory"], "neo4j_samples": samples["neo4j"],
            "rows": rows["neo4j"], "same_rows": rows["memory"] == rows["neo4j"], "load": _load_average()}


def _row_count(answer) -> int | list[int]:
    if isinstance(answer, tuple):  # caseload: per staff, per agency
        return [len(part) for part in answer]
    return len(answer)


def _profile(results: dict, engine, users: int, out: Path, log) -> None:
    """PROFILE each finding and each population caseload reads, with the defaults, into profiles/ratios/."""
    from handover.engines.neo4j.queries import load_query
    from handover.findings import FINDINGS, resolve_options

    folder = out / "profiles" / "ratios"
    folder.mkdir(parents=True, exist_ok=True)
    as_of = engine.latest_date()
    queries = [(f"findings/{name}", {k: graph._bolt(v) for k, v in resolve_options(name, {}, as_of).items()})
               for name in FINDINGS]
    queries += [(f"populations/{name}", {"as_of": graph._bolt(as_of)}) for name in CASELOAD_POPULATIONS]
    scratch = Results(folder / "profiles.json")
    for path, params in queries:
        log(f"{users} users: PROFILE {path} ...")
        graph._profile(scratch, engine, users, path.split("/")[1], load_query(path).text, params, folder, cap=600.0)
    for entry in scratch["profiles"]:
        entry["file"] = f"profiles/ratios/{Path(entry['file']).name}" if "file" in entry else None
        results["profiles"].append(entry)
    (folder / "profiles.json").unlink(missing_ok=True)


def render(results: dict) -> str:
    """ratios.md from ratios.json's content."""
    sizes = [s["users"] for s in results["sizes"]] or sorted({r["users"] for r in results["rows"]})
    biggest = max(sizes)
    by = {(r["users"], r["command"]): r for r in results["rows"]}
    commands = list(dict.fromkeys(r["command"] for r in results["rows"]))
    lines = ["# Neo4j against the memory engine, every command, one run", "",
             f"`python -m bench ratios` from {results['started']} to {results.get('finished', '(unfinished)')}, "
             f"seed {results['seed']}, best of {results['repeat']} interleaved runs per engine, Neo4j heap "
             f"{results['heap']} (page cache 128m). Memory: `find()` on a fresh `MemoryEngine` of the dataset "
             "read once (no answer or snapshot remembered between runs), `caseload` of the dataset. Neo4j: "
             "`find()` and `caseload` on the Neo4j engine, the rows made into frames included. Target: "
             f"every command within {TARGET:g} x the memory engine at {biggest:,} users (issue 15, item 3).", ""]
    for s in results["sizes"]:
        loaded = "loaded before, load skipped" if s.get("load_skipped") else f"loaded in {s['load_seconds']:.0f} s"
        lines.append(f"- {s['users']:,} users ({s['total_rows']:,} rows; {loaded}): load average "
                     f"{s['load_start']} at the start, {s.get('load_end', '?')} at the end; {s.get('neo4j', '')}.")
    lines += ["", "| command | " + " | ".join(f"{u:,}: memory s | neo4j s | neo4j / memory" for u in sizes)
              + f" | within {TARGET:g} x at {biggest:,} |",
              "|---|" + "---:|---:|---:|" * len(sizes) + "---|"]
    for command in commands:
        cells = []
        for users in sizes:
            r = by.get((users, command))
            cells += ([f"{r['memory_seconds']:.2f}", f"{r['neo4j_seconds']:.2f}", f"{r['ratio']:.1f}"] if r
                      else ["", "", ""])
        r = by.get((biggest, command))
        verdict = "" if r is None else ("yes" if r["ratio"] <= TARGET else "no")
        lines.append(f"| {command} | " + " | ".join(cells) + f" | {verdict} |")
    different = [f"{r['command']} at {r['users']:,}" for r in results["rows"] if not r["same_rows"]]
    lines += ["", "Both engines gave the same number of rows for every command" if not different
              else f"Row counts differ: {', '.join(different)}", ""]
    if results.get("notes"):
        lines += ["## Notes", "", *(f"- {note}" for note in results["notes"]), ""]
    if results["profiles"]:
        lines += ["## PROFILE of the hot queries", "",
                  "Each plan in full under `profiles/ratios/` (the server's rendering). Index seeks and flagged "
                  "operators (CartesianProduct, Eager, AllNodesScan) as found in the plan.", "",
                  "| query | users | rows | db hits | memory MB | index seeks | flagged | plan |",
                  "|---|---:|---:|---:|---:|---|---|---|"]
        for p in results["profiles"]:
            if p.get("status") != "ok":
                lines.append(f"| {p['finding']} | {p['users']:,} | {p['status']} | | | | | |")
                continue
            memory = f"{p['memory_bytes'] / 2**20:.0f}" if p.get("memory_bytes") else ""
            lines.append(f"| {p['finding']} | {p['users']:,} | {p['rows']:,} | {p['db_hits']:,} | {memory} | "
                         f"{', '.join(p['index_seeks']) or 'none'} | {', '.join(p['flagged']) or 'none'} | "
                         f"[{Path(p['file']).name}]({p['file']}) |")
        lines.append("")
    return "\n".join(lines)


def _save(results: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "ratios.json").write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())

