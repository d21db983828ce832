"""Contacts: routine meetings with the people responsible, drop-ins, and follow-up after discharge.

Each responsibility brings contacts with its holder at a rate by role (the
caseworker a few times a year, the housing-support worker monthly), so users whose
caseworker keeps changing see many different people: the continuity-of-care
indices notice. Low-threshold services are visited without a named staff member.
After a discharge from a stay, a municipal contact follows the same day, within a
week, within a month, or not at all (FOLLOW_UP_DELAY); the discharge day itself
never counts as follow-up (docs/findings.md §5.4).
"""

from __future__ import annotations

import numpy as np

from handover.generate.figures import CONTACTS_PER_YEAR, FOLLOW_UP_DELAY
from handover.generate.region import Region
from handover.generate.sampling import (
    NONE, Rows, choose, concat_rows, poisson_points, uniform_days,
)
from handover.generate.staffing import holder_at, pick_posts
from handover.generate.treatment import DISCHARGE, ROLE, SERVICE_KIND
from handover.model import VOCABULARIES

__all__ = ["simulate_contacts", "CONTACT_KIND"]

CONTACT_KIND = {k: i for i, k in enumerate(VOCABULARIES["contact_kind"])}

#: Shares of visit, home_visit, phone, digital, meeting, other by who is met.
_KIND_SHARES = {
    "caseworker": (0.35, 0.05, 0.30, 0.10, 0.20, 0.0),
    "coordinator": (0.10, 0.05, 0.20, 0.05, 0.60, 0.0),
    "gp": (0.80, 0.0, 0.10, 0.10, 0.0, 0.0),
    "therapist": (0.75, 0.0, 0.15, 0.10, 0.0, 0.0),
    "housing_support": (0.10, 0.70, 0.20, 0.0, 0.0, 0.0),
    "contact": (0.60, 0.0, 0.10, 0.0, 0.0, 0.30),
    "low_threshold": (0.90, 0.0, 0.0, 0.0, 0.0, 0.10),
    "follow_up": (0.20, 0.30, 0.30, 0.0, 0.20, 0.0),
}
_KIND_TABLE = np.cumsum(np.asarray(list(_KIND_SHARES.values())), axis=1)
_KIND_ROW = {name: i for i, name in enumerate(_KIND_SHARES)}
_SHIFT = np.int64(1 << 32)
_OFFSET = np.int64(1 << 31)


def _kinds(rng: np.random.Generator, table_row: np.ndarray) -> np.ndarray:
    draw = rng.random(len(table_row)) * _KIND_TABLE[table_row, -1]
    return (draw[:, None] >= _KIND_TABLE[table_row]).sum(axis=1)


def simulate_contacts(rng: np.random.Generator, region: Region, users: Rows, episodes: Rows,
                      responsibilities: Rows) -> Rows:
    """Every contact of the chunk's users, from final (clipped) episodes and responsibilities.

    Returns
    -------
    Rows
        ``owner, agency, staff, service, date, kind`` per contact (``-1`` for no staff
        or service), unsorted.
    """
    t1 = region.t1
    parts = []

    # Routine contacts with whoever holds a role, while it is held.
    roles = responsibilities["role"]
    rate = np.zeros(len(roles))
    table_row = np.zeros(len(roles), np.int64)
    for name, per_year in CONTACTS_PER_YEAR.items():
        if name in ROLE:
            rate[roles == ROLE[name]] = per_year
            table_row[roles == ROLE[name]] = _KIND_ROW[name]
    low = np.maximum(responsibilities["start"], region.history_start)
    high = np.minimum(responsibilities["end"], t1)
    row, day = poisson_points(rng, low, high, rate)
    service = responsibilities["service"][row]
    caseworker = responsibilities["role"][row] == ROLE["caseworker"]
    nav_service = region.units["svc_social"][users["unit"][responsibilities["owner"][row]]]
    service = np.where(caseworker & (rng.random(len(row)) < 0.6), nav_service, service)
    parts.append({"owner": responsibilities["owner"][row], "agency": responsibilities["agency"][row],
                  "staff": responsibilities["staff"][row], "service": service, "date": day,
                  "kind": _kinds(rng, table_row[row])})

    # Drop-ins at low-threshold services, with nobody named.
    drop_in = np.nonzero((episodes["kind"] == SERVICE_KIND["low_threshold"]) & (episodes["team"] < 0))[0]
    row, day = poisson_points(rng, np.maximum(episodes["start"][drop_in], region.history_start),
                              np.minimum(episodes["end"][drop_in], t1), CONTACTS_PER_YEAR["low_threshold"])
    row = drop_in[row]
    parts.append({"owner": episodes["owner"][row], "agency": episodes["agency"][row],
                  "staff": np.full(len(row), NONE), "service": episodes["service"][row], "date": day,
                  "kind": _kinds(rng, np.full(len(row), _KIND_ROW["low_threshold"]))})

    parts.append(_follow_up(rng, region, users, episodes, responsibilities))
    return concat_rows(parts)


def _follow_up(rng: np.random.Generator, region: Region, users: Rows, episodes: Rows,
               responsibilities: Rows) -> Rows:
    """One municipal contact after each discharge ending a chain of stays, or none."""
    ended = np.nonzero(episodes["chain_end"] & (episodes["end"] < region.t1)
                       & (episodes["discharge"] != DISCHARGE["death"]))[0]
    n = len(ended)
    category = choose(rng, [c[0] for c in FOLLOW_UP_DELAY], n)
    first = np.asarray([c[1] if c[1] is not None else -1 for c in FOLLOW_UP_DELAY])[category]
    last = np.asarray([c[2] if c[2] is not None else -1 for c in FOLLOW_UP_DELAY])[category]
    owner = episodes["owner"][ended]
    day = episodes["end"][ended] + uniform_days(rng, first, last)
    keep = (first >= 0) & (day < np.minimum(users["death"][owner], region.t1))
    owner, day = owner[keep], day[keep]

    # The caseworker on duty that day, else someone from the substance-use service.
    caseworkers = np.nonzero(responsibilities["role"] == ROLE["caseworker"])[0]
    order = caseworkers[np.lexsort((responsibilities["start"][caseworkers],
                                    responsibilities["owner"][caseworkers]))]
    by_nav = np.zeros(len(owner), bool)
    nav_agency = nav_staff = np.full(len(owner), NONE)
    if len(order):
        keys = responsibilities["owner"][order] * _SHIFT + responsibilities["start"][order] + _OFFSET
        found = np.searchsorted(keys, owner * _SHIFT + day + _OFFSET, side="right") - 1
        row = order[np.maximum(found, 0)]
        on_duty = ((found >= 0) & (responsibilities["owner"][row] == owner)
                   & (responsibilities["end"][row] > day))
        by_nav = on_duty & (rng.random(len(owner)) < 0.6)
        nav_agency, nav_staff = responsibilities["agency"][row], responsibilities["staff"][row]
    unit = users["unit"][owner]
    team = region.units["mh_team"][unit]
    post = pick_posts(region.staffing, rng, team, day)
    municipal_staff = region.staffing.holder_staff[holder_at(region.staffing, post, day)]
    return {
        "owner": owner,
        "agency": np.where(by_nav, nav_agency, region.units["mh_agency"][unit]),
        "staff": np.where(by_nav, nav_staff, municipal_staff),
        "service": np.full(len(owner), NONE),
        "date": day,
        "kind": _kinds(rng, np.full(len(owner), _KIND_ROW["follow_up"])),
    }

