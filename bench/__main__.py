"""``python -m bench run`` (the benchmark) and ``python -m bench report`` (re-render the results).

Run from the repository root. See ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

from bench import graph, memory, process_mining
from bench.datasets import dataset_folder
from bench.report import write_report
from bench.results import Results

HERE = Path(__file__).resolve().parent
#: The dataset the Neo4j server is warmed up with (loaded once, not measured).
WARM_UP_USERS = 500

FULL = {"sizes": [10_000, 100_000, 250_000], "neo4j_sizes": [10_000, 100_000],
        "naive_sizes": [500, 1_000, 2_000, 5_000], "pm4py_sizes": [10_000, 100_000],
        "batch_sizes": [1_000, 5_000, 20_000], "repeat": 3, "naive_cap": 300.0, "cap": 900.0,
        "query_cap": 300.0, "load_cap": 3_600.0, "out": HERE / "results"}
QUICK = {"sizes": [1_000, 5_000], "neo4j_sizes": [1_000], "naive_sizes": [200, 500], "pm4py_sizes": [1_000],
         "batch_sizes": [1_000, 5_000], "repeat": 2, "naive_cap": 30.0, "cap": 120.0, "query_cap": 60.0,
         "load_cap": 300.0, "out": HERE / "data" / "quick-results"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="generate the datasets and measure everything")
    run.add_argument("--quick", action="store_true",
                     help="a smoke run in a few minutes: small sizes, short caps, results in bench/data/quick-results")
    run.add_argument("--sizes", type=int, nargs="*", help="users per dataset for the memory engine (default 10000 100000 250000; none to skip)")
    run.add_argument("--neo4j-sizes", type=int, nargs="*", help="sizes also loaded into Neo4j (default 10000 100000; none to skip)")
    run.add_argument("--naive-sizes", type=int, nargs="*", help="sizes for the naive loops (default 500 1000 2000 5000)")
    run.add_argument("--pm4py-sizes", type=int, nargs="*", help="sizes for handover of work vs pm4py (default 10000 100000)")
    run.add_argument("--batch-sizes", type=int, nargs="+", help="bulk-load batch sizes to try (default 1000 5000 20000)")
    run.add_argument("--sweep-max-users", type=int, default=100_000,
                     help="try every batch size only up to this many users; bigger datasets are loaded once, "
                          "with the fastest batch size measured so far (default 100000)")
    run.add_argument("--append", action="store_true",
                     help="add to the results.json in --out instead of starting afresh (e.g. a later run at "
                          "a bigger size)")
    run.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    run.add_argument("--repeat", type=int, help="repeats per timed step, the best kept (default 3)")
    run.add_argument("--cap", type=float, help="seconds before a memory-engine or pm4py measurement is killed (default 900)")
    run.add_argument("--naive-cap", type=float, help="seconds before a naive measurement is killed (default 300)")
    run.add_argument("--query-cap", type=float, help="seconds before a Cypher query is terminated (default 300)")
    run.add_argument("--load-cap", type=float, help="seconds before a bulk load is stopped (default 3600)")
    run.add_argument("--neo4j-heap", default="8g", help="heap of the benchmark's Neo4j server (default 8g)")
    run.add_argument("--neo4j-state-dir", type=Path, default=HERE / "data" / "neo4j",
                     help="state directory of the benchmark's own Neo4j server (default bench/data/neo4j)")
    run.add_argument("--data", type=Path, default=HERE / "data", help="where datasets are cached (default bench/data)")
    run.add_argument("--out", type=Path, help="where results.md, results.json, scaling.png and profiles/ go "
                                              "(default bench/results)")
    report = commands.add_parser("report", help="write results.md and scaling.png again from results.json")
    report.add_argument("--out", type=Path, default=HERE / "results")
    exports = commands.add_parser("exports", help="reading workbooks and mapped exports against the contract CSVs")
    exports.add_argument("--users", type=int, default=10_000, help="users of the region (default 10000)")
    exports.add_argument("--seed", type=int, default=1)
    exports.add_argument("--repeat", type=int, default=3, help="rounds, the best kept (default 3)")
    exports.add_argument("--data", type=Path, default=HERE / "data")
    exports.add_argument("--out", type=Path, default=HERE / "results")
    eventlog = commands.add_parser("eventlog", help="importing an event log against pandas.read_csv of it")
    eventlog.add_argument("--events", type=int, default=1_000_000, help="events in the log (default 1000000)")
    eventlog.add_argument("--seed", type=int, default=1)
    eventlog.add_argument("--repeat", type=int, default=3, help="rounds, the best kept (default 3)")
    eventlog.add_argument("--data", type=Path, default=HERE / "data")
    eventlog.add_argument("--out", type=Path, default=HERE / "results")
    fhir = commands.add_parser("fhir", help="handover import fhir of an NDJSON export against json.loads of its lines")
    fhir.add_argument("--users", type=int, nargs="+", default=[10_000],
                      help="users of the generated regions (default 10000; give two sizes to see memory grow)")
    fhir.add_argument("--seed", type=int, default=1)
    fhir.add_argument("--repeat", type=int, default=3, help="rounds, the best kept (default 3)")
    fhir.add_argument("--data", type=Path, default=HERE / "data")
    fhir.add_argument("--out", type=Path, default=HERE / "results")
    site = commands.add_parser("site", help="the whole handover report against reading its CSVs")
    site.add_argument("--users", type=int, default=100_000, help="users of the region (default 100000)")
    site.add_argument("--seed", type=int, default=1)
    site.add_argument("--repeat", type=int, default=3, help="rounds, the best kept (default 3)")
    site.add_argument("--data", type=Path, default=HERE / "data")
    site.add_argument("--out", type=Path, default=HERE / "results")
    transaction = commands.add_parser("transaction", help="how many rows one atomic load holds at a heap")
    transaction.add_argument("--users", type=int, nargs="+", default=[2_000, 4_000, 6_000, 8_000, 10_000, 14_000],
                             help="region sizes, tried in order until both kinds of load failed "
                                  "(default 2000 4000 6000 8000 10000 14000)")
    transaction.add_argument("--heap", default="2g", help="the server's heap (default 2g, the local server's default)")
    transaction.add_argument("--seed", type=int, default=1)
    transaction.add_argument("--data", type=Path, default=HERE / "data")
    transaction.add_argument("--out", type=Path, default=HERE / "results")
    transaction.add_argument("--neo4j-state-dir", type=Path, default=HERE / "data" / "neo4j-transaction")
    every = commands.add_parser("commands", help="every analysing command on both engines, and their ratio")
    every.add_argument("--users", type=int, nargs="+", default=[10_000, 100_000],
                       help="region sizes (default 10000 100000)")
    every.add_argument("--heap", default="8g", help="the server's heap (default 8g)")
    every.add_argument("--seed", type=int, default=1)
    every.add_argument("--repeat", type=int, default=2, help="runs of each command; the best counts (default 2)")
    every.add_argument("--data", type=Path, default=HERE / "data")
    every.add_argument("--out", type=Path, default=HERE / "results")
    every.add_argument("--neo4j-state-dir", type=Path, default=HERE / "data" / "neo4j-commands")
    imports = commands.add_parser("import", help="handover load --import against plain neo4j-admin import")
    imports.add_argument("--users", type=int, default=100_000, help="users of the region (default 100000)")
    imports.add_argument("--seed", type=int, default=1)
    imports.add_argument("--bulk", action="store_true", help="also time load --bulk --replace (slow)")
    imports.add_argument("--heap", default="2g", help="the server's heap (default 2g, the local server's default)")
    imports.add_argument("--data", type=Path, default=HERE / "data")
    imports.add_argument("--out", type=Path, default=HERE / "results")
    imports.add_argument("--neo4j-state-dir", type=Path, default=HERE / "data" / "neo4j-import")
    bulk = commands.add_parser("bulk", help="load --bulk before and now (and with or without the Rust driver)")
    bulk.add_argument("--users", type=int, default=100_000, help="users of the region (default 100000)")
    bulk.add_argument("--seed", type=int, default=1)
    bulk.add_argument("--baseline", default="1fb7055", help="the commit whose loader is 'before' (default 1fb7055)")
    bulk.add_argument("--heap", default="2g", help="the server's heap (default 2g, the local server's default)")
    bulk.add_argument("--page-cache", default="2g", help="the server's page cache (default 2g)")
    bulk.add_argument("--data", type=Path, default=HERE / "data")
    bulk.add_argument("--out", type=Path, default=HERE / "results")
    bulk.add_argument("--neo4j-state-dir", type=Path, default=HERE / "data" / "neo4j-bulk")
    ratios = commands.add_parser("ratios", help="every command on Neo4j against the memory engine, in one run")
    ratios.add_argument("--users", type=int, nargs="+", default=[10_000, 100_000],
                        help="region sizes (default 10000 100000); the biggest is also PROFILEd")
    ratios.add_argument("--seed", type=int, default=1)
    ratios.add_argument("--repeat", type=int, default=3, help="interleaved runs per engine, the best kept (default 3)")
    ratios.add_argument("--neo4j-heap", default="8g", help="heap of the benchmark's Neo4j servers (default 8g)")
    ratios.add_argument("--neo4j-state-dir", type=Path, default=HERE / "data" / "neo4j-ratios",
                        help="holds one server's state directory per size, users-N (default bench/data/neo4j-ratios)")
    ratios.add_argument("--data", type=Path, default=HERE / "data")
    ratios.add_argument("--out", type=Path, default=HERE / "results")
    national = commands.add_parser("national", help="10,000 to 1,000,000 users: import, every finding on both "
                                                    "engines, peak memory, slopes (issue 16)")
    national.add_argument("--users", type=int, nargs="+", default=[10_000, 100_000, 1_000_000],
                          help="region sizes (default 10000 100000 1000000)")
    national.add_argument("--parts", nargs="+", choices=["memory", "neo4j"], default=["memory", "neo4j"],
                          help="what to measure (default both); the other part's numbers are kept")
    national.add_argument("--seed", type=int, default=1)
    national.add_argument("--repeat", type=int, default=1, help="runs of each memory step, the best kept (default 1)")
    national.add_argument("--heap", default="8g", help="the server's heap (default 8g)")
    national.add_argument("--page-cache", default="4g", help="the server's page cache (default 4g)")
    national.add_argument("--cap", type=float, default=3600, help="seconds before a memory step is killed")
    national.add_argument("--data", type=Path, default=HERE / "data")
    national.add_argument("--out", type=Path, default=HERE / "results")
    national.add_argument("--neo4j-state-dir", type=Path, default=HERE / "data" / "neo4j-national",
                          help="holds one server's state directory per size, users-N")
    args = parser.parse_args(argv)
    if args.command == "national":
        from bench.national import run_national

        print(run_national(sorted(args.users), parts=tuple(args.parts), seed=args.seed, repeat=args.repeat,
                           heap=args.heap, page_cache=args.page_cache, cap=args.cap, data=args.data,
                           out=args.out, state_dir=args.neo4j_state_dir,
                           log=lambda line: print(line, file=sys.stderr, flush=True)))
        return 0
    if args.command == "commands":
        from bench.commands import run_commands

        print(run_commands(args.users, heap=args.heap, seed=args.seed, repeat=args.repeat, data=args.data,
                           out=args.out, state_dir=args.neo4j_state_dir))
        return 0
    if args.command == "import":
        from bench.importer import run_import

        print(run_import(args.users, seed=args.seed, bulk=args.bulk, heap=args.heap, data=args.data,
                         out=args.out, state_dir=args.neo4j_state_dir))
        return 0
    if args.command == "ratios":
        from bench.ratios import run_ratios

        print(run_ratios(sorted(args.users), seed=args.seed, repeat=args.repeat, heap=args.neo4j_heap,
                         data=args.data, state_dir=args.neo4j_state_dir, out=args.out,
                         log=lambda line: print(line, file=sys.stderr, flush=True)))
        return 0
    if args.command == "transaction":
        from bench.transaction import run_transaction

        print(run_transaction(args.users, heap=args.heap, seed=args.seed, data=args.data, out=args.out,
                              state_dir=args.neo4j_state_dir))
        return 0
    if args.command == "site":
        from bench.site import run_site

        print(run_site(args.users, seed=args.seed, repeat=args.repeat, data=args.data, out=args.out))
        return 0
    if args.command == "eventlog":
        from bench.eventlog import run_eventlog

        print(run_eventlog(args.events, seed=args.seed, repeat=args.repeat, data=args.data, out=args.out))
        return 0
    if args.command == "fhir":
        from bench.fhir import run_fhir

        print(run_fhir(sorted(args.users), seed=args.seed, repeat=args.repeat, data=args.data, out=args.out))
        return 0
    if args.command == "bulk":
        from bench.bulk import run_bulk

        print(run_bulk(args.users, seed=args.seed, baseline=args.baseline, heap=args.heap, page_cache=args.page_cache,
                       data=args.data, out=args.out, state_dir=args.neo4j_state_dir))
        return 0
    if args.command == "exports":
        from bench.exports import run_exports

        print(run_exports(args.users, seed=args.seed, repeat=args.repeat, data=args.data, out=args.out))
        return 0
    if args.command == "report":
        print(write_report(Results.load(args.out / "results.json"), args.out))
        return 0
    return _run(args, " ".join(["python -m bench", *map(shlex.quote, argv if argv is not None else sys.argv[1:])]))


def _run(args, command: str) -> int:
    settings = dict(QUICK if args.quick else FULL)
    for key in settings:
        value = getattr(args, key, None)
        if value is not None:
            settings[key] = value
    out: Path = settings["out"]
    out.mkdir(parents=True, exist_ok=True)
    if args.append and (out / "results.json").exists():
        results = Results.load(out / "results.json")
        results.note(f"Appended by `{command}` from {_now()} (load average {_load_average()} at its start); "
                     f"the machine section describes the first run.")
    else:
        results = Results(out / "results.json")
        results.data["machine"] = _machine(command, args.neo4j_heap)
    began = time.perf_counter()
    signal.signal(signal.SIGTERM, _exit_on_sigterm)  # so that the finally below runs, and children go

    def log(line: str) -> None:
        print(f"[{time.perf_counter() - began:7.0f} s] {line}", file=sys.stderr, flush=True)

    all_sizes = sorted(set(settings["sizes"]) | set(settings["neo4j_sizes"]) | set(settings["naive_sizes"])
                       | set(settings["pm4py_sizes"]))
    folders = {}
    known = {d["users"] for d in results["datasets"]}
    for users in all_sizes:
        folders[users], info = dataset_folder(args.data, users, args.seed, log)
        if users not in known:
            results.add("datasets", info)
    try:
        for users in settings["sizes"]:
            memory.against_floor(results, folders[users], users, repeat=settings["repeat"], cap=settings["cap"], log=log)
        if settings["naive_sizes"]:
            memory.against_naive(results, {u: folders[u] for u in settings["naive_sizes"]},
                                 cap=settings["naive_cap"], repeat=settings["repeat"], log=log)
        for users in settings["pm4py_sizes"]:
            process_mining.against_pm4py(results, folders[users], users, repeat=settings["repeat"],
                                         cap=settings["cap"], log=log)
        if settings["neo4j_sizes"]:
            _neo4j(results, settings, folders, args, out, log)
    finally:
        if not args.append:
            results.data["machine"].update(finished=_now(), load_end=_load_average())
        results.save()
        path = write_report(results, out)
        log(f"wrote {path} and {out / 'scaling.png'}")
    return 0


def _neo4j(results: Results, settings: dict, folders: dict, args, out: Path, log) -> None:
    from handover.engines.neo4j import Neo4jEngine

    memory_seconds = {}
    for r in results["memory"]:
        if r["status"] == "ok" and r["step"] not in ("floor", "read_dataset"):
            memory_seconds[(r["users"], r["step"])] = r["seconds"]
    with graph.bench_server(args.neo4j_state_dir, args.neo4j_heap, log) as info:
        with Neo4jEngine(info.uri, info.user, info.password) as engine:
            results.data["machine"]["neo4j"] = graph.server_version(engine)
            results.save()
            graph.warm_up(engine, dataset_folder(args.data, WARM_UP_USERS, args.seed, log)[0], log)
            for users in settings["neo4j_sizes"]:
                batch_sizes = settings["batch_sizes"]
                if users > args.sweep_max_users:
                    batch_sizes = [_fastest_batch_size(results, batch_sizes)]
                loaded = graph.load_throughput(results, engine, folders[users], users, batch_sizes,
                                               cap=settings["load_cap"], log=log)
                if not loaded:
                    results.note(f"Neo4j at {users:,} users: no bulk load finished within {settings['load_cap']:.0f} s, "
                                 "so no query was run at that size.")
                    continue
                mine = {name: s for (u, name), s in memory_seconds.items() if u == users}
                if not mine:  # this size was not measured on the memory engine: measure find() now
                    for r in _memory_finds(folders[users], users, settings):
                        mine[r["step"]] = r["seconds"]
                graph.queries(results, engine, users, mine, repeat=settings["repeat"], cap=settings["query_cap"],
                              log=log)
                if users == max(settings["neo4j_sizes"]):
                    graph.profile_findings(results, engine, users, out / "profiles", cap=settings["query_cap"], log=log)


def _fastest_batch_size(results: Results, batch_sizes: list[int]) -> int:
    """The batch size with the best rows/s at the biggest size measured so far."""
    done = [r for r in results["neo4j_load"] if r["status"] == "ok"]
    if not done:
        return batch_sizes[len(batch_sizes) // 2]
    biggest = max(r["users"] for r in done)
    return max((r for r in done if r["users"] == biggest), key=lambda r: r["rows_per_second"])["batch_size"]


def _memory_finds(folder: Path, users: int, settings: dict) -> list[dict]:
    from bench.worker import measure
    from handover.findings import FINDINGS

    found = []
    for name in FINDINGS:
        r = measure({"kind": "find", "name": name, "data": str(folder), "repeat": settings["repeat"]}, settings["cap"])
        if r["status"] == "ok":
            found.append({"step": name, "seconds": r["seconds"]})
    return found


def _exit_on_sigterm(signum, frame):
    raise SystemExit(f"terminated by signal {signum}")


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _machine(command: str, heap: str) -> dict:
    import importlib.metadata as metadata

    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    ram = ""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            ram = f"{int(line.split()[1]) / 2**20:.1f} GiB"
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()
    packages = []
    for name in ("pandas", "numpy", "pyarrow", "networkx", "neo4j", "pm4py", "matplotlib"):
        try:
            packages.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    return {"command": command, "started": _now(), "nproc": nproc, "ram": ram, "cpu": cpu,
            "load_start": _load_average(), "python": f"{platform.python_version()} ({platform.platform()})",
            "packages": ", ".join(packages), "java": java[0] if java else "", "neo4j_heap": heap,
            "neo4j_pagecache": "128m (handover.engines.neo4j.localserver's neo4j.conf)"}


if __name__ == "__main__":
    sys.exit(main())
