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


def _runs_in(start, end, since, until) -> bool:
    """Whether ``[start, end)`` (``end`` None: ongoing) has a day in ``[since, until]``."""
    first = max(start, since) if since is not None else start
    if until is not None and first > until:
        return False
    return end is None or first < end


def caseworker_turnover(dataset, roles=("caseworker",), window_days=365, min_changes=3, since=None, until=None):
    responsibilities = _rows(dataset, "responsibilities")
    found = []
    keys = sorted({(r["user_id"], r["role"]) for r in responsibilities if r["role"] in roles})
    for user, role in keys:
        sequence = sorted((r for r in responsibilities if r["user_id"] == user and r["role"] == role),
                          key=lambda r: (r["start"], r["staff_id"]))
        change_dates = [b["start"] for a, b in zip(sequence, sequence[1:]) if a["staff_id"] != b["staff_id"]
                        and (since is None or b["start"] >= since) and (until is None or b["start"] <= until)]
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


def parallel_plans(dataset, as_of, kinds=None, min_overlap_days=1, since=None, until=None):
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
            if days < min_overlap_days or not _runs_in(start, end, since, until):
                continue
            found.append({
                "user_id": p["user_id"], "plan_a_id": p["plan_id"], "agency_a_id": p["agency_id"],
                "kind_a": p["kind"], "plan_b_id": q["plan_id"], "agency_b_id": q["agency_id"],
                "kind_b": q["kind"], "overlap_start": start, "overlap_end": end, "overlap_days": days,
            })
    return sorted(found, key=lambda r: (r["user_id"], r["plan_a_id"], r["plan_b_id"]))


STAYS = ("inpatient", "residential", "detox")


def discharge_follow_up(dataset, follow_up_by="municipal", max_days=30, stay_kinds=STAYS, since=None, until=None):
    services = {s["service_id"]: s for s in _rows(dataset, "services")}
    level = {a["agency_id"]: a["level"] for a in _rows(dataset, "agencies")}
    episodes = _rows(dataset, "episodes")
    contacts = _rows(dataset, "contacts")
    responsibilities = _rows(dataset, "responsibilities")
    stays = [e for e in episodes if services[e["service_id"]]["kind"] in stay_kinds]
    found = []
    for e in stays:
        d = e["end"]
        if d is None or e["discharge_kind"] == "death":
            continue
        if since is not None and d < since or until is not None and d > until:
            continue
        if any(o is not e and o["user_id"] == e["user_id"] and d <= o["start"] <= d + ONE_DAY for o in stays):
            continue  # a chain of stays counts at its last discharge
        user, agency = e["user_id"], services[e["service_id"]]["agency_id"]
        coordinators = sorted(r["staff_id"] for r in responsibilities
                              if r["user_id"] == user and r["role"] == "coordinator" and _active(r, d))
        events = [(c["date"], c["agency_id"]) for c in contacts if c["user_id"] == user]
        events += [(o["start"], services[o["service_id"]]["agency_id"]) for o in episodes if o["user_id"] == user]

        def counts(agency_id):
            return {"municipal": level[agency_id] == "municipal", "other-agency": agency_id != agency,
                    "any": True}[follow_up_by]

        dates = [date for date, by in events
                 if d + ONE_DAY <= date <= d + dt.timedelta(days=max_days) and counts(by)]
        first = min(dates) if dates else None
        days = (first - d).days if first else None
        found.append({
            "user_id": user, "episode_id": e["episode_id"], "agency_id": agency, "discharge_date": d,
            "discharge_kind": e["discharge_kind"], "coordinator_staff_id": coordinators[0] if coordinators else None,
            "first_follow_up_date": first, "days_to_follow_up": days,
            "follow_up_7d": days is not None and days <= 7, "follow_up_30d": days is not None and days <= 30,
            "readmitted_30d": any(o["user_id"] == user and d + 2 * ONE_DAY <= o["start"] <= d + 30 * ONE_DAY
                                  for o in stays),
        })
    return sorted(found, key=lambda r: (r["user_id"], r["discharge_date"], r["episode_id"]))


def coordinator_gaps(dataset, as_of, min_gap_days=14, since=None, until=None):
    responsibilities = [r for r in _rows(dataset, "responsibilities") if r["role"] == "coordinator"]
    found = []
    for p in _rows(dataset, "plans"):
        if p["kind"] != "individual_plan":
            continue
        end = min(p["end"], as_of) if p["end"] is not None else as_of
        # Walk the plan day by day, collecting runs of days without a coordinator.
        runs, current = [], None
        day = p["start"]
        while day < end:
            covered = any(r["user_id"] == p["user_id"] and _active(r, day) for r in responsibilities)
            if not covered and current is None:
                current = day
            if covered and current is not None:
                runs.append((current, day))
                current = None
            day += ONE_DAY
        if current is not None:
            runs.append((current, end))
        still_open = p["end"] is None or p["end"] > as_of
        for start, stop in runs:
            shown_stop = None if stop == as_of and still_open else stop
            if (stop - start).days >= min_gap_days and _runs_in(start, shown_stop, since, until):
                found.append({
                    "user_id": p["user_id"], "plan_id": p["plan_id"], "agency_id": p["agency_id"],
                    "gap_start": start, "gap_end": shown_stop,
                    "gap_days": (stop - start).days,
                })
    return sorted(found, key=lambda r: (r["user_id"], r["plan_id"], r["gap_start"]))


def dormant_plans(dataset, as_of, max_age_days=365, since=None, until=None):
    found = []
    for p in _rows(dataset, "plans"):
        if p["kind"] != "individual_plan" or not _active(p, as_of):
            continue
        revised = p["last_revised"] or p["start"]
        dormant_since = revised + dt.timedelta(days=max_age_days + 1)
        if since is not None and dormant_since < since or until is not None and dormant_since > until:
            continue
        if (as_of - revised).days > max_age_days:
            found.append({"user_id": p["user_id"], "plan_id": p["plan_id"], "agency_id": p["agency_id"],
                          "last_revised": revised, "days_since_revision": (as_of - revised).days})
    return sorted(found, key=lambda r: (r["user_id"], r["plan_id"]))


def _round_half_up(value, decimals=4):
    """An exact fraction rounded half up to ``decimals`` places, as a float."""
    import fractions
    import math

    scale = 10 ** decimals
    return math.floor(fractions.Fraction(value) * scale + fractions.Fraction(1, 2)) / scale


def continuity_of_care(dataset, provider="agency", since=None, until=None):
    from fractions import Fraction

    key = "agency_id" if provider == "agency" else "staff_id"
    by_user: dict[str, list[dict]] = {}
    for c in _rows(dataset, "contacts"):
        if c[key] is None:
            continue
        if since is not None and c["date"] < since or until is not None and c["date"] > until:
            continue
        by_user.setdefault(c["user_id"], []).append(c)
    found = []
    for user in sorted(by_user):
        sequence = [c[key] for c in sorted(by_user[user], key=lambda c: (c["date"], c["contact_id"]))]
        n = len(sequence)
        counts = {p: sequence.count(p) for p in set(sequence)}
        upc = Fraction(max(counts.values()), n)
        hhi = sum(Fraction(k, n) ** 2 for k in counts.values())
        coc = secon = None
        if n >= 2:
            coc = Fraction(sum(k * k for k in counts.values()) - n, n * (n - 1))
            secon = Fraction(sum(1 for a, b in zip(sequence, sequence[1:]) if a == b), n - 1)
        found.append({
            "user_id": user, "contacts": n, "providers": len(counts), "upc": _round_half_up(upc),
            "coc": None if coc is None else _round_half_up(coc),
            "secon": None if secon is None else _round_half_up(secon), "hhi": _round_half_up(hhi),
        })
    return found


def snapshot(dataset: Dataset, as_of: dt.date) -> Dataset:
    """The dataset as it stood on ``as_of``, row by row: what starts (or is dated) later is
    left out; an end or revision after ``as_of`` is not known yet (an unknown end takes the
    discharge kind with it)."""
    from handover.examples import typed_frame

    tables = {}
    for name in dataset.tables:
        kept = []
        for row in _rows(dataset, name):
            first = row.get("start", row.get("date"))
            if first is not None and first > as_of:
                continue
            if row.get("end") is not None and row["end"] > as_of:
                row["end"] = None
                if "discharge_kind" in row:
                    row["discharge_kind"] = None
            if row.get("last_revised") is not None and row["last_revised"] > as_of:
                row["last_revised"] = None
            kept.append(row)
        tables[name] = typed_frame(name, kept)
    return Dataset(tables, source=dataset.source)
