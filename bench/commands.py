"""``python -m bench commands``: every analysing command on both engines, and their ratio.

For each region size, the dataset is generated (or taken from the cache), read once into
memory and loaded once into the benchmark's own Neo4j (``--bulk``). Then every command's
library call (what the CLI does after its options are parsed) runs on each engine:

- ``find NAME`` for every finding;
- ``network KIND`` as CSV and as GEXF (with its spells) for the three networks, and the
  handover-flows ``--timeline`` page;
- ``metrics``, ``caseload`` and ``user`` (three users' pages).

The table gives each command's seconds on the memory engine (``find()`` etc. on the dataset
in memory, without reading the files), the same plus reading the files (``read_guarded``:
what ``handover COMMAND DATA_DIR`` costs), on Neo4j (the command without ``DATA_DIR``, on the
loaded graph), and the ratio Neo4j / memory. Each time is the best of ``repeat`` runs, and
every pair of times is measured in the same run; the machine's load average is recorded,
since the CPU may be shared.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from bench.datasets import dataset_folder
from bench.results import machine, write_pair
from bench.graph import bench_server

__all__ = ["run_commands"]


def _best(call, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        call()
        times.append(time.perf_counter() - began)
    return min(times)


def _commands(source, scratch: Path, users: list[str]):
    """``(command, call)`` for every command, on ``source`` (a Dataset, or the Neo4j engine)."""
    from handover.engines import MemoryEngine
    from handover.engines.neo4j.networks import Neo4jNetworks
    from handover.findings import FINDINGS, find
    from handover.model import Dataset
    from handover.reports.networks import caseload_text, network_output, write_metrics
    from handover.reports.user_story import write_user_page

    in_memory = isinstance(source, Dataset)
    engine = MemoryEngine(source) if in_memory else source
    networks = source if in_memory else Neo4jNetworks(source)
    calls = [(f"find {name.replace('_', '-')}", lambda name=name: find(engine, name)) for name in FINDINGS]
    for kind in ("handover-flows", "shared-users", "handover-of-work"):
        for fmt in ("csv", "gexf"):
            calls.append((f"network {kind} --format {fmt}",
                          lambda kind=kind, fmt=fmt: network_output(kind, networks, fmt=fmt)))
    calls.append(("network handover-flows --timeline",
                  lambda: network_output("handover-flows", networks, timeline=True)))
    calls.append(("metrics", lambda: write_metrics(networks, scratch / "metrics")))
    calls.append(("caseload", lambda: caseload_text(source if in_memory else engine, fmt="csv")))
    calls.append((f"user (x{len(users)})", lambda: [write_user_page(source, user_id, scratch / "user.html")
                                                    for user_id in users]))
    return calls


def run_commands(sizes: list[int], *, heap: str = "8g", seed: int = 1, repeat: int = 2, data: Path, out: Path,
                 state_dir: Path, log=print) -> Path:
    """Measure the commands of the module docstring; write commands.md and commands.json."""
    from handover.engines.neo4j import Neo4jEngine
    from handover.engines.neo4j.store import clear_database
    from handover.io.guarded import read_guarded

    load = [os.getloadavg()]
    results = []
    with bench_server(state_dir, heap, log) as info, Neo4jEngine(info.uri, info.user, info.password) as engine, \
            tempfile.TemporaryDirectory() as scratch:
        for size in sorted(sizes):
            folder, stamp = dataset_folder(data, size, seed, log=log)
            began = time.perf_counter()
            dataset = read_guarded(folder)
            read_seconds = time.perf_counter() - began
            users = sorted(dataset["users"]["user_id"])[:3]
            clear_database(engine.driver)
            log(f"{size:,} users: loading into Neo4j ({stamp['total_rows']:,} rows) ...")
            began = time.perf_counter()
            engine.load(dataset, atomic=False)
            load_seconds = time.perf_counter() - began
            memory = dict(_commands(dataset, Path(scratch), users))
            graph = dict(_commands(engine, Path(scratch), users))
            rows = []
            for name in memory:
                log(f"{size:,} users: {name} ...")
                m = _best(memory[name], repeat)
                g = _best(graph[name], repeat)
                rows.append({"command": name, "memory": m, "memory_with_read": m + read_seconds, "neo4j": g})
                log(f"  memory {m:.2f} s, neo4j {g:.2f} s, ratio {g / m if m else float('nan'):.1f}")
            results.append({"users": size, "rows": stamp["total_rows"], "read_seconds": read_seconds,
                            "load_seconds": load_seconds, "commands": rows, "load_average": list(os.getloadavg())})
        clear_database(engine.driver)
    load.append(os.getloadavg())
    report = {"heap": heap, "seed": seed, "repeat": repeat, "results": results,
              "machine": machine(load)}
    return write_pair(out, "commands", report, _markdown(report))


def _markdown(report: dict) -> str:
    sizes = report["results"]
    described = report["machine"]
    lines = ["# Every command on both engines", "",
             f"Measured by `python -m bench commands` ({described['finished']}) on {described['cores']} cores, "
             f"Python {described['python']}, the project's local Neo4j 5.26 with a {report['heap']} heap; "
             f"load average (1, 5, 15 min) {_load(described['load_average'][0])} at the start and "
             f"{_load(described['load_average'][1])} at the end. Regions generated by `handover generate` "
             f"(seed {report['seed']}); each time is the best of {report['repeat']} runs.", "",
             "*memory*: the command's library call on the dataset in memory; *+ read*: with reading and "
             "validating the files, what `handover COMMAND DATA_DIR` costs; *neo4j*: the same call on the "
             "loaded graph (`--engine neo4j` without `DATA_DIR`); *ratio* = neo4j / memory.", ""]
    for size in sizes:
        lines += [f"## {size['users']:,} users ({size['rows']:,} rows)", "",
                  f"Reading the files: {size['read_seconds']:.1f} s; loading them into Neo4j with `--bulk`: "
                  f"{size['load_seconds']:.0f} s. Load average after: {_load(size['load_average'])}.", "",
                  "| command | memory s | + read s | neo4j s | neo4j / memory | neo4j / (memory + read) |",
                  "|---|---:|---:|---:|---:|---:|"]
        for row in size["commands"]:
            ratio = row["neo4j"] / row["memory"] if row["memory"] else float("nan")
            lines.append(f"| `{row['command']}` | {row['memory']:.2f} | {row['memory_with_read']:.2f} | "
                         f"{row['neo4j']:.2f} | {ratio:.1f} | {row['neo4j'] / row['memory_with_read']:.2f} |")
        lines.append("")
    return "\n".join(lines)


def _load(values) -> str:
    return " ".join(f"{v:.2f}" for v in values)
