"""``results.md`` and ``scaling.png`` from ``results.json``."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from bench.results import Results
from handover.findings import FINDINGS

__all__ = ["write_report", "slope"]

GIB = 2**30
#: Targets of issue 6.
FIND_VS_FLOOR, PEAK_RSS, QUERY_SECONDS, PM4PY_SPEEDUP = 2.0, 4 * GIB, 30.0, 10.0
TARGET_USERS = 100_000


def slope(points: list[tuple[float, float]]) -> float | None:
    """The least-squares slope of log(seconds) on log(users): 1 is linear, 2 quadratic."""
    points = [(u, s) for u, s in points if u and s and s > 0]
    if len(points) < 2:
        return None
    x, y = np.log([p[0] for p in points]), np.log([p[1] for p in points])
    return float(np.polyfit(x, y, 1)[0])


def _s(value, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}" if abs(value) >= 0.01 else f"{value:.4f}"


def _gib(value) -> str:
    return "–" if not value else f"{value / GIB:.2f}"


def _ok(passed: bool | None) -> str:
    return "–" if passed is None else ("yes" if passed else "**no**")


def _by(rows: list[dict], *keys):
    return {tuple(r[k] for k in keys) if len(keys) > 1 else r[keys[0]]: r for r in rows}


def write_report(results: Results, out: Path) -> Path:
    data = results.data
    lines: list[str] = ["# handover at the scale of a region and the country: benchmark results", ""]
    lines += _machine(data)
    lines += _datasets(data)
    lines += _memory(data)
    lines += _naive(data)
    lines += _load(data)
    lines += _queries(data)
    lines += _profiles(data)
    lines += _pm4py(data)
    lines += _targets(data)
    if data["notes"]:
        lines += ["## Notes from the run", ""] + [f"- {n['text']}" for n in data["notes"]] + [""]
    path = out / "results.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _plot(data, out / "scaling.png")
    return path


def _machine(data: dict) -> list[str]:
    m = data["machine"]
    rows = [("command", f"`{m.get('command', '')}`"), ("started / finished", f"{m.get('started')} / {m.get('finished')}"),
            ("cores (`nproc`)", m.get("nproc")), ("RAM", m.get("ram")), ("CPU", m.get("cpu")),
            ("load average at start / end (1 min)", f"{m.get('load_start')} / {m.get('load_end')}"),
            ("Python", m.get("python")), ("packages", m.get("packages")), ("Neo4j", m.get("neo4j")),
            ("Neo4j heap / page cache", f"{m.get('neo4j_heap')} / {m.get('neo4j_pagecache')}"),
            ("Java", m.get("java"))]
    lines = ["## Machine", "", "| | |", "|---|---|"]
    lines += [f"| {k} | {v if v is not None else '–'} |" for k, v in rows]
    lines += ["", "**The machine was shared** with colleagues' test runs during the measurements (see the load "
              "averages: above the core count means other work competed for the CPU), so absolute times are "
              "noisy. Every comparison is a ratio of two numbers measured in the same run, each the best of "
              "its repeats; read the ratios, not the seconds.", ""]
    return lines


def _datasets(data: dict) -> list[str]:
    if not data["datasets"]:
        return []
    tables = list(data["datasets"][0]["rows"])
    lines = ["## Datasets (`handover generate --users N --seed S`)", "",
             "| users | " + " | ".join(tables) + " | total rows | CSV MB |",
             "|---:|" + "---:|" * (len(tables) + 2)]
    for d in sorted(data["datasets"], key=lambda d: d["users"]):
        lines.append(f"| {d['users']:,} | " + " | ".join(f"{d['rows'][t]:,}" for t in tables)
                     + f" | {d['total_rows']:,} | {d['csv_bytes'] / 1e6:,.0f} |")
    return lines + [""]


def _footprint(r: dict) -> int | None:
    """The peak RSS of a read or a finding without the floor's frames (older results: with them)."""
    return r.get("footprint_rss", r.get("peak_rss"))


def _memory(data: dict) -> list[str]:
    rows = data["memory"]
    if not rows:
        return []
    sizes = sorted({r["users"] for r in rows})
    by = _by(rows, "users", "step")
    steps = ["floor", "read_dataset", *FINDINGS]
    lines = ["## Memory engine against the floor", "",
             "The floor is plain `pandas.read_csv(path)` with its defaults on every table file (no string "
             "ids, no validation): the least any reader spends. `read_dataset` is our read with the full "
             "validation of the data contract. A finding's time is `find()` alone on the loaded dataset "
             "(best of the repeats). Each measurement's process first measures the floor again, and `× "
             "floor` divides by that one (the load of a shared machine drifts; the `floor` row is its own "
             "process); `read + find × floor` adds that process's `read_dataset` (what `handover find NAME "
             "DIR` costs from files to rows). Peak RSS is the measuring process's (Python, the dataset, the "
             "finding) up to the end of the finding; the floor runs after it and is not counted "
             "(bench/results/footprint.md).", "",
             "| step | " + " | ".join(f"{u:,} users: s | × floor | read + find × floor | peak RSS GiB"
                                   for u in sizes) + " |",
             "|---|" + "---:|---:|---:|---:|" * len(sizes)]
    for step in steps:
        cells = []
        for u in sizes:
            r = by.get((u, step))
            floor = by.get((u, "floor"), {}).get("seconds")
            if r is None or r["status"] != "ok":
                cells.append(f"{r['status'] if r else '–'} | – | – | –")
                continue
            ratio, both = _vs_floor(r, floor)
            both = both if step in FINDINGS else None
            cells.append(f"{_s(r['seconds'])} | {_s(ratio)} | {_s(both)} | {_gib(_footprint(r))}")
        lines.append(f"| {step} | " + " | ".join(cells) + " |")
    if len(sizes) >= 2:
        lines += ["", f"Growth of `find()` over {', '.join(f'{u:,}' for u in sizes)} users (log-log slope; "
                  "1 = linear): " + ", ".join(
                      f"{step} {_s(slope([(u, by.get((u, step), {}).get('seconds')) for u in sizes]))}"
                      for step in steps) + "."]
    return lines + [""]


def _vs_floor(r: dict, floor: float | None) -> tuple[float | None, float | None]:
    """A memory row's time, and read_dataset plus it, over the floor of its own process."""
    paired = r.get("floor_seconds") or floor  # the floor measured in the same process
    if not paired:
        return None, None
    read = r.get("read_seconds")
    return r["seconds"] / paired, (read + r["seconds"]) / paired if read else None


def _naive(data: dict) -> list[str]:
    rows = data["naive"]
    if not rows:
        return []
    sizes = sorted({r["users"] for r in rows})
    by = _by(rows, "users", "finding")
    cap = rows[0].get("cap")
    lines = ["## Memory engine against naive loops", "",
             "Naive = the loop implementations of `tests/oracle.py` (every row against every row, whole "
             f"days walked one by one), each capped at {_s(cap)} s; a finding past the cap is not tried "
             "at bigger sizes. `×` is the speed-up of `find()` over the loops. The slope is the log-log "
             "slope of time against users over the sizes where the naive version finished.", "",
             "| finding | " + " | ".join(f"{u:,}: naive s | ours s | ×" for u in sizes)
             + " | naive slope | ours slope | rows agree |",
             "|---|" + "---:|---:|---:|" * len(sizes) + "---:|---:|---|"]
    for name in FINDINGS:
        cells, naive_points, ours_points, agree = [], [], [], True
        for u in sizes:
            r = by.get((u, name))
            if r is None:
                cells.append("– | – | –")
                continue
            if r["naive_status"] == "ok":
                naive_points.append((u, r["naive_seconds"]))
                ours_points.append((u, r["ours_seconds"]))
                agree &= r["naive_rows"] == r["ours_rows"]
                speedup = r["naive_seconds"] / r["ours_seconds"] if r["ours_seconds"] else None
                cells.append(f"{_s(r['naive_seconds'])} | {_s(r['ours_seconds'])} | {_s(speedup, 0)}")
            else:
                label = "> cap" if r["naive_status"] in ("timeout", "skipped") else r["naive_status"]
                cells.append(f"{label} | {_s(r['ours_seconds'])} | –")
        lines.append(f"| {name} | " + " | ".join(cells)
                     + f" | {_s(slope(naive_points))} | {_s(slope(ours_points))} | {'yes' if agree else '**no**'} |")
    return lines + ["", "`rows agree`: the naive and the memory engine returned the same number of rows "
                    "wherever both finished (the property tests in tests/properties compare the rows "
                    "themselves).", ""]


def _load(data: dict) -> list[str]:
    rows = data["neo4j_load"]
    if not rows:
        return []
    lines = ["## Neo4j: bulk load (`load_dataset(..., atomic=False)`, `handover load --bulk`)", "",
             "Each load goes into an emptied database: `clear s` is deleting the previous load first "
             "(`clear_dataset`, committed batches of 10,000 nodes), `load s` is writing the rows (one "
             "committed transaction per batch; the client makes each table's parameters just before "
             "sending it, and that is included), `prepare s` is the client fingerprinting the dataset "
             "before the first batch. rows/s = rows / load s. The server was warmed up first by one "
             "unrecorded load of a 500-user dataset.", "",
             "| users | batch size | rows | load s | rows/s | clear s | prepare s | status |",
             "|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        lines.append(f"| {r['users']:,} | {r['batch_size']:,} | {r['rows']:,} | {_s(r.get('seconds'))} | "
                     f"{_s(r.get('rows_per_second'), 0)} | {_s(r.get('clear_seconds'))} | "
                     f"{_s(r.get('prepare_seconds'))} | {r['status']} |")
    best = {}
    for r in rows:
        if r["status"] == "ok" and r["rows_per_second"] > best.get(r["users"], {}).get("rows_per_second", 0):
            best[r["users"]] = r
    if best:
        lines += ["", "Fastest batch size: " + "; ".join(
            f"{u:,} users: {r['batch_size']:,} ({r['rows_per_second']:,.0f} rows/s)" for u, r in sorted(best.items()))
            + "."]
    return lines + [""]


def _queries(data: dict) -> list[str]:
    rows = data["neo4j_queries"]
    if not rows:
        return []
    sizes = sorted({r["users"] for r in rows})
    by = _by(rows, "users", "finding")
    # The memory engine's time from its own section when it was measured there (it is
    # measured again there whenever the memory engine changes), else the one taken
    # beside the query.
    measured = {(r["users"], r["step"]): r["seconds"] for r in data["memory"] if r["status"] == "ok"}
    for r in rows:
        r["memory_seconds"] = measured.get((r["users"], r["finding"]), r.get("memory_seconds"))
    lines = ["## Neo4j: each finding against the memory engine", "",
             "`find()` through the Neo4j engine (the Cypher of `cypher/findings/`), best of the repeats "
             "(`first` is the first run, colder caches), against `find()` on the memory engine on the same "
             "dataset (`memory s`, as in the memory section above). "
             f"Target: under {QUERY_SECONDS:.0f} s at {TARGET_USERS:,} users.", "",
             "| finding | " + " | ".join(f"{u:,}: neo4j s | first s | memory s | neo4j / memory" for u in sizes)
             + " | neo4j slope |",
             "|---|" + "---:|---:|---:|---:|" * len(sizes) + "---:|"]
    for name in FINDINGS:
        cells, points = [], []
        for u in sizes:
            r = by.get((u, name))
            if r is None or r["status"] != "ok":
                cells.append(f"{r['status'] if r else '–'} | – | {_s(r.get('memory_seconds')) if r else '–'} | –")
                continue
            points.append((u, r["seconds"]))
            ratio = r["seconds"] / r["memory_seconds"] if r.get("memory_seconds") else None
            cells.append(f"{_s(r['seconds'])} | {_s(r['first_seconds'])} | {_s(r.get('memory_seconds'))} | {_s(ratio, 1)}")
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {_s(slope(points))} |")
    return lines + [""]


def _profiles(data: dict) -> list[str]:
    rows = data["profiles"]
    if not rows:
        return []
    lines = ["## Neo4j: PROFILE", "",
             "Every plan is saved in full under `profiles/` (the server's own rendering, with rows, db hits "
             "and memory per operator). Community edition runs the slotted runtime, which reports neither "
             "time nor page-cache hits per operator. Index seeks and flagged operators (CartesianProduct, "
             "Eager, AllNodesScan) as found in the plan; the top operators are those with the most db hits; "
             "memory is the query's total allocation.", "",
             "| query | users | rows | db hits | memory MB | index seeks | flagged | top operators | plan |",
             "|---|---:|---:|---:|---:|---|---|---|---|"]
    for r in rows:
        if r["status"] != "ok":
            lines.append(f"| {r['finding']} | {r['users']:,} | {r['status']} | | | | | | |")
            continue
        lines.append(f"| {r['finding']} | {r['users']:,} | {r['rows']:,} | {r['db_hits']:,} | "
                     f"{(r.get('memory_bytes') or 0) / 1e6:,.0f} | "
                     f"{', '.join(r['index_seeks']) or 'none'} | {', '.join(r['flagged']) or 'none'} | "
                     f"{'; '.join(r['top_db_hits'])} | [{Path(r['file']).name}]({r['file']}) |")
    return lines + [""]


def _pm4py(data: dict) -> list[str]:
    rows = data["pm4py"]
    if not rows:
        return []
    lines = ["## Handover of work against pm4py", "",
             "`handover.network.handover_of_work(dataset)` against `pm4py.discover_handover_of_work_network("
             "log, beta=0)` on the event log of DESIGN §5.8 (one event per responsibility; building the "
             "log is not timed, sorting it is part of ours). `same network`: identical edges and weights.", "",
             "| users | events | edges | ours s | pm4py s | speed-up | same network | ours / pm4py peak RSS GiB |",
             "|---:|---:|---:|---:|---:|---:|---|---|"]
    for r in rows:
        lines.append(f"| {r['users']:,} | {r['events'] or 0:,} | {r['edges'] or 0:,} | {_s(r['ours_seconds'])} | "
                     f"{_s(r['pm4py_seconds']) if r['pm4py_status'] == 'ok' else r['pm4py_status']} | "
                     f"{_s(r['speedup'], 0)} | {_ok(r['same_network'])} | "
                     f"{_gib(r['ours_peak_rss'])} / {_gib(r['pm4py_peak_rss'])} |")
    return lines + [""]


def _targets(data: dict) -> list[str]:
    lines = ["## Targets", "", "| target | measured | holds |", "|---|---|---|"]
    memory = _by(data["memory"], "users", "step")
    floor = memory.get((TARGET_USERS, "floor"), {}).get("seconds")
    if floor:
        for name in FINDINGS:
            r = memory.get((TARGET_USERS, name), {})
            if r.get("status") == "ok":
                ratio, total = _vs_floor(r, floor)
                lines.append(f"| `find({name})` alone ≤ {FIND_VS_FLOOR:.0f}× floor at {TARGET_USERS:,} users | "
                             f"{ratio:.2f}× | {_ok(ratio <= FIND_VS_FLOOR)} |")
                if total is not None:
                    # The stricter reading: from the files to the rows, as `handover find` runs.
                    lines.append(f"| `read_dataset` + `find({name})` (files to rows) ≤ {FIND_VS_FLOOR:.0f}× "
                                 f"floor at {TARGET_USERS:,} users | {total:.2f}× | {_ok(total <= FIND_VS_FLOOR)} |")
        read = memory.get((TARGET_USERS, "read_dataset"), {})
        if read.get("status") == "ok":
            ratio = read["seconds"] / (read.get("floor_seconds") or floor)
            lines.append(f"| (not a target, for the record) `read_dataset` against the floor at {TARGET_USERS:,} "
                         f"users | {ratio:.2f}× | – |")
        peaks = [_footprint(r) or 0 for (u, _), r in memory.items() if u == TARGET_USERS and r["status"] == "ok"]
        if peaks:
            lines.append(f"| peak RSS ≤ 4 GiB at {TARGET_USERS:,} users (largest measurement) | "
                         f"{max(peaks) / GIB:.2f} GiB | {_ok(max(peaks) <= PEAK_RSS)} |")
    big = sorted({u for (u, _) in memory})
    for name in FINDINGS:
        ours = slope([(u, memory.get((u, name), {}).get("seconds")) for u in big]) if len(big) >= 2 else None
        naive_rows = [r for r in data["naive"] if r["finding"] == name and r["naive_status"] == "ok"]
        naive = slope([(r["users"], r["naive_seconds"]) for r in naive_rows])
        if ours is None and naive is None:
            continue
        growth = "–" if naive is None else ("superlinear" if naive > 1.2 else "about linear")
        lines.append(f"| `{name}` near-linear (slope ≤ 1.2) at {', '.join(f'{u:,}' for u in big)} users; naive "
                     f"loops {growth} | ours {_s(ours)}, naive {_s(naive)} | {_ok(None if ours is None else ours <= 1.2)} |")
    for r in data["neo4j_queries"]:
        if r["users"] == TARGET_USERS:
            measured = f"{r['seconds']:.1f} s" if r["status"] == "ok" else f"{r['status']} (cap {r['cap']:.0f} s)"
            lines.append(f"| Cypher `{r['finding']}` < {QUERY_SECONDS:.0f} s at {TARGET_USERS:,} users | {measured} | "
                         f"{_ok(r['status'] == 'ok' and r['seconds'] < QUERY_SECONDS)} |")
    for r in data["pm4py"]:
        if r["users"] == TARGET_USERS:
            lines.append(f"| handover of work ≥ {PM4PY_SPEEDUP:.0f}× faster than pm4py at {TARGET_USERS:,} users | "
                         f"{_s(r['speedup'], 1)}× | {_ok(r['speedup'] is not None and r['speedup'] >= PM4PY_SPEEDUP)} |")
    return lines + [""]


def _plot(data: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    colours = dict(zip(FINDINGS, plt.get_cmap("tab10").colors))
    figure, (left, right) = plt.subplots(1, 2, figsize=(15, 8.5))
    memory = [r for r in data["memory"] if r["status"] == "ok"]
    for step, style in (("floor", dict(color="black", lw=2.5)), ("read_dataset", dict(color="grey", lw=2.5))):
        points = sorted((r["users"], r["seconds"]) for r in memory if r["step"] == step)
        if points:
            left.plot(*zip(*points), marker="s", label=f"{step} (memory)", **style)
    for name in FINDINGS:
        points = sorted((r["users"], r["seconds"]) for r in memory if r["step"] == name)
        if points:
            left.plot(*zip(*points), marker="o", color=colours[name], label=f"{name} (memory)")
        points = sorted((r["users"], r["seconds"]) for r in data["neo4j_queries"]
                        if r["finding"] == name and r["status"] == "ok")
        if points:
            left.plot(*zip(*points), marker="^", ls="--", color=colours[name], label=f"{name} (neo4j)")
    if data["neo4j_queries"]:
        left.axhline(QUERY_SECONDS, color="red", lw=0.8, ls=":", label=f"{QUERY_SECONDS:.0f} s (Cypher target)")
    left.set(xscale="log", yscale="log", xlabel="users", ylabel="seconds",
             title="memory engine (solid) and Neo4j (dashed) against the floor")
    left.legend(fontsize=7, ncol=2, loc="upper center", bbox_to_anchor=(0.5, -0.1))
    for name in FINDINGS:
        rows = sorted((r for r in data["naive"] if r["finding"] == name), key=lambda r: r["users"])
        naive = [(r["users"], r["naive_seconds"]) for r in rows if r["naive_status"] == "ok"]
        ours = [(r["users"], r["ours_seconds"]) for r in rows if r["ours_status"] == "ok"]
        if naive:
            right.plot(*zip(*naive), marker="x", ls=":", color=colours[name], label=f"{name} (naive)")
        if ours:
            right.plot(*zip(*ours), marker="o", color=colours[name], label=f"{name} (memory)")
    right.set(xscale="log", yscale="log", xlabel="users", ylabel="seconds",
              title="naive loops (dotted) against the memory engine (solid)")
    right.legend(fontsize=7, ncol=2, loc="upper center", bbox_to_anchor=(0.5, -0.1))
    for axis in (left, right):
        axis.grid(True, which="both", alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)
