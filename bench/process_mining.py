"""Handover of work (DESIGN §5.8): ours against pm4py on the same event log."""

from __future__ import annotations

from pathlib import Path

from bench.results import Results
from bench.worker import measure

__all__ = ["against_pm4py"]


def against_pm4py(results: Results, folder: Path, users: int, *, repeat: int, cap: float, log) -> None:
    """Time both on one dataset, each in its own process, and check they found the same network."""
    outcome = {}
    for impl in ("ours", "pm4py"):
        log(f"handover of work, {users} users: {impl} ...")
        outcome[impl] = measure({"kind": "handover_of_work", "impl": impl, "data": str(folder),
                                 "repeat": repeat}, cap)
        if outcome[impl]["status"] == "ok":
            log(f"  {outcome[impl]['seconds']:.3f} s, {outcome[impl]['edges']} edges")
        else:
            log(f"  {outcome[impl]['status']}: {outcome[impl].get('error', '')}")
    ours, pm4py = outcome["ours"], outcome["pm4py"]
    both = ours["status"] == pm4py["status"] == "ok"
    results.add("pm4py", {
        "users": users, "events": ours.get("events"), "edges": ours.get("edges"),
        "ours_seconds": ours.get("seconds"), "ours_status": ours["status"], "ours_peak_rss": ours.get("peak_rss"),
        "pm4py_seconds": pm4py.get("seconds"), "pm4py_status": pm4py["status"],
        "pm4py_peak_rss": pm4py.get("peak_rss"), "cap": cap,
        "same_network": both and ours["edges_digest"] == pm4py["edges_digest"],
        "speedup": pm4py["seconds"] / ours["seconds"] if both and ours["seconds"] > 0 else None,
    })
