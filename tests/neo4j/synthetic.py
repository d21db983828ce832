"""Contract-valid synthetic datasets of any size, for load tests and throughput measurements."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from handover.model import TABLES, VOCABULARIES, ColumnKind, Dataset

BASE = dt.date(2023, 1, 1)


def typed_frame(table: str, data: dict[str, list]) -> pd.DataFrame:
    """A frame with the contract's columns and dtypes, as ``io.read_dataset`` returns."""
    spec = TABLES[table]
    n = len(next(iter(data.values())))
    frame = pd.DataFrame({c.name: data.get(c.name, [None] * n) for c in spec.columns})
    for col in spec.columns:
        if col.kind is ColumnKind.DATE:
            frame[col.name] = pd.to_datetime(frame[col.name]).astype("datetime64[ns]")
        elif col.kind is ColumnKind.YEAR:
            frame[col.name] = frame[col.name].astype("Int64")
        else:
            frame[col.name] = frame[col.name].astype(object)
    return frame


def synthetic_dataset(n_responsibilities: int = 20_000, n_users: int | None = None, seed: int = 7,
                      source: str = "synthetic") -> Dataset:
    """Every table filled; about half the staff appear only in responsibilities.

    Sizes scale with ``n_responsibilities``: users default to a quarter of it, plans,
    episodes and contacts to a half, a half and one times it.
    """
    rng = np.random.default_rng(seed)
    n_users = n_users or max(1, n_responsibilities // 4)
    n_agencies, n_staff = 40, max(2, n_responsibilities // 20)
    agencies = [f"a{i}" for i in range(n_agencies)]
    services = [f"sv{i}" for i in range(2 * n_agencies)]
    staff = [f"st{i}" for i in range(n_staff)]
    users = [f"u{i:06d}" for i in range(n_users)]

    def days(n, span=700):
        return [BASE + dt.timedelta(days=int(d)) for d in rng.integers(0, span, n)]

    def ends(starts, open_share=0.2):
        lengths = rng.integers(0, 200, len(starts))
        is_open = rng.random(len(starts)) < open_share
        return [None if o else s + dt.timedelta(days=int(k)) for s, k, o in zip(starts, lengths, is_open)]

    def pick(values, n):
        return [values[i] for i in rng.integers(0, len(values), n)]

    tables = {
        "agencies": typed_frame("agencies", {
            "agency_id": agencies, "name": [f"Agency {i}" for i in range(n_agencies)],
            "kind": pick(VOCABULARIES["agency_kind"], n_agencies),
            "level": pick(VOCABULARIES["agency_level"], n_agencies),
            "municipality": pick(["Oslo", "Bergen", None], n_agencies)}),
        "services": typed_frame("services", {
            "service_id": services, "agency_id": [agencies[i // 2] for i in range(len(services))],
            "name": [f"Service {i}" for i in range(len(services))],
            "kind": pick(VOCABULARIES["service_kind"], len(services))}),
        "staff": typed_frame("staff", {
            "staff_id": staff[: n_staff // 2], "profession": pick(["nurse", "social worker", None], n_staff // 2)}),
        "users": typed_frame("users", {
            "user_id": users, "birth_year": [int(y) for y in rng.integers(1950, 2005, n_users)],
            "municipality": pick(["Oslo", "Bergen", None], n_users)}),
    }
    starts = days(n_staff)
    tables["employments"] = typed_frame("employments", {
        "staff_id": staff, "agency_id": pick(agencies, n_staff), "start": starts, "end": ends(starts)})
    starts = days(n_responsibilities)
    tables["responsibilities"] = typed_frame("responsibilities", {
        "user_id": pick(users, n_responsibilities), "staff_id": pick(staff, n_responsibilities),
        "agency_id": pick(agencies, n_responsibilities),
        "role": pick(VOCABULARIES["role"], n_responsibilities), "start": starts, "end": ends(starts),
        "reason": pick(["sick leave", None, None], n_responsibilities)})
    n = n_responsibilities // 2
    starts = days(n)
    tables["plans"] = typed_frame("plans", {
        "plan_id": [f"p{i}" for i in range(n)], "user_id": pick(users, n), "agency_id": pick(agencies, n),
        "kind": pick(VOCABULARIES["plan_kind"], n), "start": starts, "end": ends(starts),
        "last_revised": [None if rng.random() < 0.5 else s + dt.timedelta(days=10) for s in starts]})
    starts = days(n)
    tables["episodes"] = typed_frame("episodes", {
        "episode_id": [f"e{i}" for i in range(n)], "user_id": pick(users, n), "service_id": pick(services, n),
        "start": starts, "end": ends(starts),
        "discharge_kind": pick([*VOCABULARIES["discharge_kind"], None], n)})
    n = n_responsibilities
    tables["contacts"] = typed_frame("contacts", {
        "contact_id": [f"c{i}" for i in range(n)], "user_id": pick(users, n), "agency_id": pick(agencies, n),
        "date": days(n), "kind": pick([*VOCABULARIES["contact_kind"], None], n),
        "service_id": pick([*services[:5], None], n), "staff_id": pick([*staff[:50], None], n)})
    return Dataset(tables, source=source)
