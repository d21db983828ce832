"""Deliberately simple implementations of the findings, straight from DESIGN §5.

Plain Python loops over rows and whole days, no cleverness: the reference the
vectorised engines are checked against. Each returns a list of dicts with the
result columns; dates are ``datetime.date``.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from handover.model import Dataset

ONE_DAY = dt.timedelta(days=1)


def _rows(dataset: Dataset, table: str) -> list[dict]:
    frame = dataset.get(table)
    out = []
    for record in frame.to_dict("records"):
        clean = {}
        for key, value in record.items():
            if isinstance(value, pd.Timestamp):
                value = value.date()
            elif value is pd.NaT or (not isinstance(value, str) and pd.isna(value)):
                value = None
            clean[key] = value
        out.append(clean)
    return out


def _active(row: dict, day: dt.date) -> bool:
    return row["start"] <= day and (row["end"] is None or day < row["end"])


def handover_without_coordinator(dataset, window_days=30, role="coordinator", since=None, until=None):
    agency_of = {s["service_id"]: s["agency_id"] for s in _rows(dataset, "services")}
    episodes = _rows(dataset, "episodes")
    responsibilities = _rows(dataset, "responsibilities")
    found = []
    for e1 in episodes:
        if e1["end"] is None:
            continue
        d = e1["end"]
        candidates = [
            e2 for e2 in episodes
            if e2 is not e1 and e2["user_id"] == e1["user_id"]
            and d <= e2["start"] <= d + dt.timedelta(days=window_days)
        ]
        if not candidates:
            continue
        e2 = min(candidates, key=lambda e: (e["start"], e["episode_id"]))
        if agency_of[e2["service_id"]] == agency_of[e1["service_id"]]:
            continue
        if since is not None and d < since or until is not None and d > until:
            continue
        covered = any(r["user_id"] == e1["user_id"] and r["role"] == role and _active(r, d)
                      for r in responsibilities)
        if not covered:
            found.append({
                "user_id": e1["user_id"], "from_episode_id": e1["episode_id"],
                "from_agency_id": agency_of[e1["service_id"]], "to_episode_id": e2["episode_id"],
                "to_agency_id": agency_of[e2["service_id"]], "handover_date": d,
                "next_start_date": e2["start"], "gap_days": (e2["start"] - d).days,
            })
    return sorted(found, key=lambda r: (r["user_id"], r["handover_date"], r["from_episode_id"]))


def caseworker_turnover(dataset, roles=("caseworker",), window_days=365, min_changes=3):
    responsibilities = _rows(dataset, "responsibilities")
    found = []
    keys = sorted({(r["user_id"], r["role"]) for r in responsibilities if r["role"] in roles})
    for user, role in keys:
        sequence = sorted((r for r in responsibilities if r["user_id"] == user and r["role"] == role),
                          key=lambda r: (r["start"], r["staff_id"]))
        change_dates = [b["start"] for a, b in zip(sequence, sequence[1:]) if a["staff_id"] != b["staff_id"]]
        best, best_start = 0, None
        for c in sorted(change_dates):
            count = sum(1 for x in change_dates if c <= x < c + dt.timedelta(days=window_days))
            if count > best:
                best, best_start = count, c
        if best >= min_changes:
            found.append({
                "user_id": user, "role": role, "changes": best, "window_start": best_start,
                "window_end": best_start + dt.timedelta(days=window_days),
                "distinct_staff": len({r["staff_id"] for r in sequence}),
            })
    return found


def parallel_plans(dataset, as_of, kinds=None, min_overlap_days=1):
    plans = [p for p in _rows(dataset, "plans") if kinds is None or p["kind"] in kinds]
    found = []
    for p in plans:
        for q in plans:
            if p["user_id"] != q["user_id"] or not p["plan_id"] < q["plan_id"]:
                continue
            if p["agency_id"] == q["agency_id"]:
                continue
            # Walk the days: the overlap is the set of days on which both are active.
            start = max(p["start"], q["start"])
            ends = [e for e in (p["end"], q["end"]) if e is not None]
            end = min(ends) if ends else None
            if end is not None and not start < end:
                continue
            last = end if end is not None else max(as_of, start)
            days = sum(1 for i in range((last - start).days)
                       if _active(p, start + i * ONE_DAY) and _active(q, start + i * ONE_DAY))
            if days < min_overlap_days:
                continue
            found.append({
                "user_id": p["user_id"], "plan_a_id": p["plan_id"], "agency_a_id": p["agency_id"],
                "kind_a": p["kind"], "plan_b_id": q["plan_id"], "agency_b_id": q["agency_id"],
                "kind_b": q["kind"], "overlap_start": start, "overlap_end": end, "overlap_days": days,
            })
    return sorted(found, key=lambda r: (r["user_id"], r["plan_a_id"], r["plan_b_id"]))
