"""The memory engine against the floor (plain ``pandas.read_csv``) and against naive loops."""

from __future__ import annotations

from pathlib import Path

from bench.results import Results
from bench.worker import measure
from handover.findings import FINDINGS

__all__ = ["against_floor", "against_naive"]


def against_floor(results: Results, folder: Path, users: int, *, repeat: int, cap: float, log) -> None:
    """Floor, ``read_dataset`` and every finding's ``find()`` on one dataset, each in its own process.

    Measuring a size again (``--append``) replaces what was measured at that size before.
    """
    results.data["memory"] = [r for r in results["memory"] if r["users"] != users]
    steps = [("floor", {"kind": "floor"}), ("read_dataset", {"kind": "read"})]
    steps += [(name, {"kind": "find", "name": name}) for name in FINDINGS]
    for step, spec in steps:
        log(f"memory engine, {users} users: {step} ...")
        outcome = measure({**spec, "data": str(folder), "repeat": repeat}, cap)
        results.add("memory", {"users": users, "step": step, **outcome})
        _say(log, outcome)


def against_naive(results: Results, folders: dict[int, Path], *, cap: float, repeat: int, log) -> None:
    """The loops of ``tests/oracle.py`` against ``find()`` at small sizes.

    A finding whose naive version passes the cap at one size is not tried at bigger ones.
    Measuring a size again (``--append``) replaces what was measured at that size before.
    """
    sizes = set(folders)
    results.data["naive"] = [r for r in results["naive"] if r["users"] not in sizes]
    given_up: set[str] = set()
    for users, folder in sorted(folders.items()):
        for name in FINDINGS:
            log(f"naive vs memory, {users} users: {name} ...")
            ours = measure({"kind": "find", "name": name, "data": str(folder), "repeat": repeat}, cap)
            if name in given_up:
                naive = {"status": "skipped"}
            else:
                naive = measure({"kind": "naive", "name": name, "data": str(folder), "repeat": 1}, cap)
                if naive["status"] != "ok":
                    given_up.add(name)
            results.add("naive", {"users": users, "finding": name,
                                  "ours_seconds": ours.get("seconds"), "ours_rows": ours.get("rows"),
                                  "ours_status": ours["status"],
                                  "naive_seconds": naive.get("seconds"), "naive_rows": naive.get("rows"),
                                  "naive_status": naive["status"], "cap": cap})
            _say(log, naive, prefix="naive ")


def _say(log, outcome: dict, prefix: str = "") -> None:
    if outcome["status"] == "ok":
        log(f"  {prefix}{outcome['seconds']:.3f} s, peak RSS {outcome.get('peak_rss', 0) / 2**20:,.0f} MiB")
    else:
        log(f"  {prefix}{outcome['status']}: {outcome.get('error', '')}")
