"""Hypothesis strategies for small random datasets dense in boundary cases.

Dates come from a narrow range so that intervals often touch, coincide, are
empty or start on the same day; ids are drawn so that string order and numeric
order disagree (``x10`` < ``x9``). Every dataset is contract-valid.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import strategies as st

from handover.model import TABLES, ColumnKind, Dataset, VOCABULARIES

BASE = dt.date(2024, 2, 20)  # so that short windows cross 29 February


def day(offset: int) -> dt.date:
    return BASE + dt.timedelta(days=offset)


def frame(table: str, rows: list[dict]) -> pd.DataFrame:
    """A frame with the contract's columns and dtypes, as io.read_dataset returns."""
    spec = TABLES[table]
    data = {c.name: [row.get(c.name) for row in rows] for c in spec.columns}
    out = pd.DataFrame(data, columns=list(spec.column_names))
    for col in spec.columns:
        if col.kind is ColumnKind.DATE:
            out[col.name] = pd.to_datetime(out[col.name]).astype("datetime64[ns]")
        elif col.kind is ColumnKind.YEAR:
            out[col.name] = out[col.name].astype("Int64")
        else:
            out[col.name] = out[col.name].astype(object)
    return out


@st.composite
def intervals(draw, span: int = 40, open_probability: float = 0.25):
    start = draw(st.integers(0, span))
    if draw(st.floats(0, 1)) < open_probability:
        return day(start), None
    length = draw(st.sampled_from([0, 0, 1, 1, 2, 3, 5, 7, 10, 30]) | st.integers(0, span))
    return day(start), day(start + length)


ids = lambda prefix, n: [f"{prefix}{i}" for i in (1, 2, 9, 10, 11)[:n]]  # noqa: E731


@st.composite
def datasets(draw, max_users: int = 3, max_rows: int = 8) -> Dataset:
    n_agencies = draw(st.integers(1, 3))
    agencies = ids("a", n_agencies)
    levels = VOCABULARIES["agency_level"]
    agency_rows = [
        {"agency_id": a, "name": f"Agency {a}", "kind": draw(st.sampled_from(VOCABULARIES["agency_kind"])),
         "level": draw(st.sampled_from(levels))}
        for a in agencies
    ]
    services = ids("sv", draw(st.integers(1, 4)))
    service_rows = [
        {"service_id": s, "agency_id": draw(st.sampled_from(agencies)), "name": f"Service {s}",
         "kind": draw(st.sampled_from(["inpatient", "detox", "outpatient", "residential", "social_services"]))}
        for s in services
    ]
    users = ids("u", draw(st.integers(1, max_users)))
    staff = ids("st", draw(st.integers(1, 4)))
    roles = ["coordinator", "caseworker", "coordinator", "caseworker", "therapist"]

    responsibility_rows = []
    for _ in range(draw(st.integers(0, max_rows))):
        start, end = draw(intervals())
        ended = [r for r in responsibility_rows if r["end"] is not None]
        if ended and draw(st.booleans()):
            start = draw(st.sampled_from(ended))["end"] + dt.timedelta(days=draw(st.sampled_from([0, 0, 1, 14])))
            end = draw(st.none() | st.builds(lambda n: start + dt.timedelta(days=n), st.sampled_from([0, 1, 20])))
        responsibility_rows.append({
            "user_id": draw(st.sampled_from(users)), "staff_id": draw(st.sampled_from(staff)),
            "agency_id": draw(st.sampled_from(agencies)), "role": draw(st.sampled_from(roles)),
            "start": start, "end": end,
        })
    plan_rows = []
    for i in range(draw(st.integers(0, max_rows))):
        start, end = draw(intervals())
        plan_rows.append({
            "plan_id": f"p{i + 1 if i % 2 else i + 9}", "user_id": draw(st.sampled_from(users)),
            "agency_id": draw(st.sampled_from(agencies)),
            "kind": draw(st.sampled_from(["individual_plan", "treatment_plan", "activity_plan"])),
            "start": start, "end": end,
            "last_revised": draw(st.none() | st.just(start) | st.builds(day, st.integers(0, 50))),
        })
    episode_rows = []
    for i in range(draw(st.integers(0, max_rows))):
        start, end = draw(intervals(open_probability=0.15))
        ended = [e for e in episode_rows if e["end"] is not None]
        if ended and draw(st.booleans()):
            # Continue from an earlier episode's end: the boundaries every rule turns on.
            previous = draw(st.sampled_from(ended))
            start = previous["end"] + dt.timedelta(days=draw(st.sampled_from([0, 1, 2, 7, 8, 30, 31])))
            end = draw(st.none() | st.builds(lambda n: start + dt.timedelta(days=n), st.sampled_from([0, 1, 5, 40])))
        episode_rows.append({
            "episode_id": f"e{i + 1 if i % 2 else i + 9}", "user_id": draw(st.sampled_from(users)),
            "service_id": draw(st.sampled_from(services)), "start": start, "end": end,
            "discharge_kind": draw(st.sampled_from(VOCABULARIES["discharge_kind"])) if end else None,
        })
    contact_rows = []
    for i in range(draw(st.integers(0, max_rows))):
        contact_rows.append({
            "contact_id": f"c{i + 1 if i % 2 else i + 9}", "user_id": draw(st.sampled_from(users)),
            "agency_id": draw(st.sampled_from(agencies)), "date": day(draw(st.integers(0, 45))),
            "kind": draw(st.sampled_from(VOCABULARIES["contact_kind"])),
            "staff_id": draw(st.none() | st.sampled_from(staff)),
        })
    tables = {
        "agencies": frame("agencies", agency_rows),
        "services": frame("services", service_rows),
        "staff": frame("staff", [{"staff_id": s} for s in staff]),
        "users": frame("users", [{"user_id": u} for u in users]),
        "responsibilities": frame("responsibilities", responsibility_rows),
        "plans": frame("plans", plan_rows),
        "episodes": frame("episodes", episode_rows),
        "contacts": frame("contacts", contact_rows),
    }
    return Dataset(tables, source="hypothesis")
