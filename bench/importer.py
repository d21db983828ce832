"""``python -m bench import``: ``handover load --import`` against plain ``neo4j-admin database import``.

On the project's own local server, for one generated region, in one run:

- **load --import**, end to end: ``python -m handover.cli load DIR --import --replace`` into a
  new server's empty database, as a user runs it (reading and validating the files, writing the importer's CSV files,
  ``neo4j-admin``, the server's restart, the constraints, the derived relationships, the
  marker), timed from outside, each step timed by the line it prints;
- **plain import**: ``neo4j-admin database import full`` alone, with the same options, on the
  same CSV files written beforehand (as someone would prepare them by hand), into a scratch
  data folder: the floor;
- optionally **load --bulk --replace** of the same folder, the online alternative.

Rows are the dataset's input rows; rows/s is rows over wall seconds. Writes ``import.md`` and
``import.json``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

from bench.datasets import dataset_folder
from bench.graph import bench_server

__all__ = ["run_import", "timed_cli", "Timed", "import_steps"]

REPO = Path(__file__).resolve().parent.parent


class Timed(NamedTuple):
    """What :func:`timed_cli` measured of one command."""

    seconds: float
    lines: list[tuple[float, str]]  # each output line with its time
    output: str
    #: The largest peak resident memory, bytes, of the handover process and of each child it waited for
    #: (neo4j-admin, the fingerprint's process): the kernel's ``ru_maxrss`` of wait4, a max, not a sum.
    peak_rss: int


def timed_cli(args: list[str], state_dir: Path, log) -> Timed:
    """Run ``python -m handover.cli ARGS``: wall seconds, each output line with its time, the output,
    and the process's peak memory."""
    environment = dict(os.environ, HANDOVER_STATE_DIR=str(state_dir), PYTHONPATH=str(REPO))
    began = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "handover.cli", *args], env=environment, cwd=REPO,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                               text=True)
    lines = []
    for line in process.stdout:
        lines.append((time.perf_counter() - began, line.rstrip()))
        log(f"  {lines[-1][0]:7.1f} s  {line.rstrip()}")
    _, status, usage = os.wait4(process.pid, 0)  # instead of wait(): the child's own peak memory
    process.returncode = code = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - began
    output = "\n".join(text for _, text in lines)
    if code != 0:
        raise SystemExit(f"handover {' '.join(args)} failed (exit {code}):\n{output[-2000:]}")
    return Timed(seconds, lines, output, usage.ru_maxrss * 1024)


_STEPS = (("read and validate", None), ("write the CSV files", "Writing the importer's files"),
          ("neo4j-admin import", "Importing "), ("stop the server", "Stopping the server"),
          ("start the server", "Starting Neo4j"), ("constraints, indexes, marker", "Creating the constraints"))


def import_steps(lines: list[tuple[float, str]], total: float) -> list[tuple[str, float]]:
    """Each step's seconds: from the line that begins it to the line that begins the next."""
    starts = [0.0]
    for _, prefix in _STEPS[1:]:
        # The last line with the prefix: "Starting Neo4j" is printed once more, after the switch.
        found = [t for t, text in lines if text.startswith(prefix)]
        starts.append(found[-1] if found else starts[-1])
    starts.append(total)
    return [(name, starts[i + 1] - starts[i]) for i, (name, _) in enumerate(_STEPS)]


def _plain_import(folder: Path, state_dir: Path, scratch: Path, log) -> dict:
    """neo4j-admin alone on CSV files written beforehand, into a scratch data folder."""
    from handover.engines.neo4j.importcsv import write_import_files
    from handover.engines.neo4j.importer import admin_import_command
    from handover.engines.neo4j.localserver.state import StateDir
    from handover.engines.neo4j.store import dataset_marker
    from handover.io import read_dataset

    shutil.rmtree(scratch, ignore_errors=True)
    (scratch / "conf").mkdir(parents=True)
    dataset = read_dataset(folder)
    began = time.perf_counter()
    files = write_import_files(dataset, scratch / "csv", dataset_marker(dataset, "", complete=False))
    written = time.perf_counter() - began
    del dataset
    state = StateDir.resolve(state_dir)
    (scratch / "conf" / "neo4j.conf").write_text(
        f"server.directories.data={scratch / 'data'}\nserver.directories.logs={scratch / 'logs'}\n"
        "dbms.usage_report.enabled=false\n", encoding="utf-8")
    command = admin_import_command(state, scratch / "conf", files, scratch / "import.report")
    environment = dict(os.environ, NEO4J_HOME=str(state.home_dir), NEO4J_CONF=str(scratch / "conf"))
    log(f"plain neo4j-admin import of {files.rows:,} rows ...")
    began = time.perf_counter()
    with open(scratch / "import.log", "wb") as output:
        done = subprocess.run(command, env=environment, cwd=scratch, stdout=output, stderr=subprocess.STDOUT,
                              stdin=subprocess.DEVNULL)
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"plain import failed (exit {done.returncode}); see {scratch / 'import.log'}")
    csv_bytes = sum(p.stat().st_size for p in (scratch / "csv").glob("*.csv"))
    shutil.rmtree(scratch, ignore_errors=True)
    return {"rows": files.rows, "seconds": seconds, "rows_per_second": files.rows / seconds,
            "csv_write_seconds": written, "csv_mib": csv_bytes / 2**20}


def run_import(users: int, *, seed: int = 1, bulk: bool = False, heap: str = "2g", data: Path, out: Path,
               state_dir: Path, log=print) -> Path:
    """Measure what the module docstring says; write import.md and import.json into ``out``."""
    folder, stamp = dataset_folder(data, users, seed, log=log)
    rows = stamp["total_rows"]
    loads = [os.getloadavg()]
    result: dict = {"users": users, "seed": seed, "rows": rows, "heap": heap,
                    "when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                    "machine": {"cores": os.cpu_count(), "cpu": platform.processor() or platform.machine(),
                                "python": platform.python_version()}}
    shutil.rmtree(state_dir, ignore_errors=True)  # an empty database: what --import is for
    with bench_server(state_dir, heap, log):
        log(f"load --import of {rows:,} rows ...")
        seconds, lines, _, peak = timed_cli(["load", str(folder), "--import", "--replace"], state_dir, log)
        loads.append(os.getloadavg())
        result["load_import"] = {"seconds": seconds, "rows_per_second": rows / seconds,
                                 "steps": dict(import_steps(lines, seconds)), "peak_rss": peak}
        result["plain_import"] = _plain_import(folder, state_dir, data / "plain-import", log)
        loads.append(os.getloadavg())
        if bulk:
            log(f"load --bulk --replace of {rows:,} rows ...")
            seconds = timed_cli(["load", str(folder), "--bulk", "--replace"], state_dir, log).seconds
            loads.append(os.getloadavg())
            result["load_bulk"] = {"seconds": seconds, "rows_per_second": rows / seconds}
    result["load_average"] = loads
    result["ratio"] = result["load_import"]["rows_per_second"] / result["plain_import"]["rows_per_second"]
    out.mkdir(parents=True, exist_ok=True)
    (out / "import.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    path = out / "import.md"
    path.write_text(_markdown(result), encoding="utf-8")
    return path


def _markdown(r: dict) -> str:
    plain, imported = r["plain_import"], r["load_import"]
    loads = ", ".join("/".join(f"{x:.1f}" for x in load) for load in r["load_average"])
    lines = [
        "# `handover load --import` against plain `neo4j-admin database import`",
        "",
        f"Measured {r['when']} with `python -m bench import --users {r['users']}` on "
        f"{r['machine']['cores']} cores ({r['machine']['cpu']}), Python {r['machine']['python']}, "
        f"server heap {r['heap']}; load average (1/5/15 min) before and after each step: {loads}. "
        "The machine was shared with other work: read the ratio, measured in one run, more than the seconds.",
        "",
        f"{r['users']:,} generated users (seed {r['seed']}), {r['rows']:,} input rows.",
        "",
        "| load | seconds | rows/s | vs plain import |",
        "|---|---:|---:|---:|",
        f"| plain `neo4j-admin database import full` on the CSV files written beforehand | "
        f"{plain['seconds']:.1f} | {plain['rows_per_second']:,.0f} | 1.00× |",
        f"| `handover load DIR --import --replace`, end to end | {imported['seconds']:.1f} | "
        f"{imported['rows_per_second']:,.0f} | {r['ratio']:.2f}× |",
    ]
    if "load_bulk" in r:
        bulk = r["load_bulk"]
        lines.append(f"| `handover load DIR --bulk --replace`, end to end | {bulk['seconds']:.1f} | "
                     f"{bulk['rows_per_second']:,.0f} | "
                     f"{bulk['rows_per_second'] / plain['rows_per_second']:.2f}× |")
    lines += ["", "Where the time of `load --import` goes (each step from the line it prints to the next):", "",
              "| step | seconds |", "|---|---:|"]
    lines += [f"| {name} | {seconds:.1f} |" for name, seconds in imported["steps"].items()]
    if imported.get("peak_rss"):
        lines += ["", f"Peak resident memory: {imported['peak_rss'] / 2**30:.2f} GiB, the largest of the `handover` "
                  "process and the processes it waited for (neo4j-admin, the fingerprint's process), not their sum."]
    lines += ["", f"Writing the CSV files ({plain['csv_mib']:,.0f} MiB) took {plain['csv_write_seconds']:.1f} s "
              "when measured alone, before the plain import.", ""]
    return "\n".join(lines)
