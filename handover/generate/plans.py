"""Plans: individual plans, treatment plans, NAV activity plans and crisis plans.

TSB starts most individual plans (9 of 10, DOMAIN): 86 % of TSB inpatients get
one during the stay, with an interim coordinator from the ward. At discharge the
plan often "falls away": it is closed, or left open and never revised again (a
dormant plan without a coordinator). Sometimes the municipality takes over with
its own plan, held by NAV (the caseworker coordinates), the substance-use service
or, in the big city, the allocation office; coordinators are appointed late, and
sometimes before the discharge. A few NAV users have a municipal plan of their
own. Treatment plans run with specialist episodes and activity plans with NAV
follow-up, so one user holds several plans at once.
"""

from __future__ import annotations

import numpy as np

from handover.generate.figures import (
    ACTIVITY_PLAN_SHARE, DORMANT_SHARE, MUNICIPAL_IP_AFTER_DISCHARGE, MUNICIPAL_IP_SHARE,
    PRIVATE_IP_SHARE, TSB_IP_LEFT_OPEN, TSB_IP_SHARE,
)
from handover.generate.region import Region
from handover.generate.sampling import NONE, OPEN, Rows, choose, concat_rows, uniform_days
from handover.generate.treatment import ROLE
from handover.model import VOCABULARIES

__all__ = ["simulate_plans", "PLAN_KIND", "HOLDER"]

PLAN_KIND = {k: i for i, k in enumerate(VOCABULARIES["plan_kind"])}
#: Who appoints the coordinator of an individual plan.
HOLDER = {"none": 0, "ward": 1, "nav": 2, "team": 3}
_AGENCY_KIND = {k: i for i, k in enumerate(VOCABULARIES["agency_kind"])}


def _plans(owner, agency, kind, start, end, *, holder=HOLDER["none"], coord_team=NONE,
           coord_start=NONE, coord_end=NONE, revised_by=OPEN) -> Rows:
    owner = np.asarray(owner, dtype=np.int64)
    n = len(owner)

    def full(value):
        return np.broadcast_to(np.asarray(value, dtype=np.int64), (n,)).copy()

    return {"owner": owner, "agency": full(agency), "kind": full(kind), "start": full(start),
            "end": full(end), "holder": full(holder), "coord_team": full(coord_team),
            "coord_start": full(coord_start), "coord_end": full(coord_end),
            "revised_by": full(revised_by)}


def simulate_plans(rng: np.random.Generator, region: Region, users: Rows, episodes: Rows) -> Rows:
    """Every plan of the chunk's users, with what its coordinator needs.

    Returns
    -------
    Rows
        Per plan ``owner, agency, kind`` (plan-kind code), ``start, end``,
        ``last_revised``; for individual plans ``holder`` (see :data:`HOLDER`),
        ``coord_team`` and the interval ``[coord_start, coord_end)`` in which a
        coordinator is wanted. Unsorted.

    Examples
    --------
    >>> import datetime as dt
    >>> from handover.generate.population import draw_users
    >>> from handover.generate.region import build_region
    >>> from handover.generate.sampling import day_of
    >>> from handover.generate.treatment import simulate_episodes
    >>> rng = np.random.default_rng(0)
    >>> region = build_region(rng, 1000, day_of(dt.date(2022, 1, 1)), 3)
    >>> users = draw_users(rng, region, 1000)
    >>> plans = simulate_plans(rng, region, users, simulate_episodes(rng, region, users))
    >>> bool(np.all(plans["last_revised"] >= plans["start"]))
    True
    """
    t1 = region.t1
    units = region.units
    unit = users["unit"]
    count = len(unit)
    parts = []

    # Individual plans of stays, with an interim coordinator from the ward.
    stay = np.nonzero((episodes["coord_team"] >= 0) & (episodes["end"] - episodes["start"] >= 7))[0]
    at_tsb = region.agency_kind_code[episodes["agency"][stay]] == _AGENCY_KIND["tsb"]
    stay = stay[rng.random(len(stay)) < np.where(at_tsb, TSB_IP_SHARE, PRIVATE_IP_SHARE)]
    s_owner, s_start, s_end = episodes["owner"][stay], episodes["start"][stay], episodes["end"][stay]
    n = len(stay)
    ip_start = s_start + uniform_days(rng, np.full(n, 2), np.minimum(21, s_end - s_start - 3))
    left_open = rng.random(n) < TSB_IP_LEFT_OPEN
    parts.append(_plans(
        s_owner, episodes["agency"][stay], PLAN_KIND["individual_plan"], ip_start,
        np.where(left_open, OPEN, s_end), holder=HOLDER["ward"], coord_team=episodes["coord_team"][stay],
        coord_start=ip_start + uniform_days(rng, np.zeros(n, np.int64), 7), coord_end=s_end,
        revised_by=np.where(left_open, s_end - 1, OPEN)))

    # The municipality takes over (sometimes before the discharge), or a NAV user
    # has a municipal plan of their own.
    takes = rng.random(n) < MUNICIPAL_IP_AFTER_DISCHARGE
    t_owner = s_owner[takes]
    t_start = np.maximum(s_end[takes] + uniform_days(rng, np.full(len(t_owner), -21), 45), s_start[takes] + 1)
    own = np.nonzero((rng.random(count) < np.where(users["nav"], MUNICIPAL_IP_SHARE, MUNICIPAL_IP_SHARE / 2))
                     & (users["entry"] < t1 - 30))[0]
    m_owner = np.concatenate([t_owner, own])
    m_start = np.concatenate([t_start, uniform_days(rng, users["entry"][own], t1 - 30)])
    m = len(m_owner)
    m_end = np.where(rng.random(m) < 0.15, m_start + uniform_days(rng, np.full(m, 180), 900), OPEN)
    m_unit = unit[m_owner]
    city = units["allocation_team"][m_unit] >= 0
    by = choose(rng, [0.45, 0.4, 0.15], m)  # NAV, substance-use service, allocation office
    by = np.where(~users["nav"][m_owner] & (by == 0), 1, by)
    by = np.where(~city & (by == 2), 1, by)
    agency = np.select([by == 0, by == 1], [units["nav_agency"][m_unit], units["mh_agency"][m_unit]],
                       units["allocation_agency"][m_unit])
    team = np.select([by == 1, by == 2], [units["mh_team"][m_unit], units["allocation_team"][m_unit]], NONE)
    delay = np.where(rng.random(m) < 0.4, 0, uniform_days(rng, np.ones(m, np.int64), 60))
    parts.append(_plans(m_owner, agency, PLAN_KIND["individual_plan"], m_start, m_end,
                        holder=np.where(by == 0, HOLDER["nav"], HOLDER["team"]), coord_team=team,
                        coord_start=m_start + delay, coord_end=m_end))

    # Treatment plans with specialist episodes.
    treated = np.nonzero((episodes["role"] == ROLE["therapist"]) & (rng.random(len(episodes["role"])) < 0.9))[0]
    e_start, e_end = episodes["start"][treated], episodes["end"][treated]
    parts.append(_plans(episodes["owner"][treated], episodes["agency"][treated],
                        PLAN_KIND["treatment_plan"],
                        np.minimum(e_start + uniform_days(rng, np.zeros(len(treated), np.int64), 14), e_end - 1),
                        e_end))

    # NAV activity plans, and a few crisis plans at the substance-use service.
    active = np.nonzero(users["nav"] & (rng.random(count) < ACTIVITY_PLAN_SHARE))[0]
    a_start = users["entry"][active] + uniform_days(rng, np.zeros(len(active), np.int64), 90)
    parts.append(_plans(active, units["nav_agency"][unit[active]], PLAN_KIND["activity_plan"],
                        a_start, np.maximum(users["nav_end"][active], a_start + 1)))
    crisis = np.nonzero(rng.random(count) < 0.03)[0]
    c_start = uniform_days(rng, users["entry"][crisis], t1 - 30)
    parts.append(_plans(crisis, units["mh_agency"][unit[crisis]], PLAN_KIND["crisis_plan"], c_start,
                        c_start + uniform_days(rng, np.full(len(crisis), 90), 365)))

    plans = concat_rows(parts)
    plans["last_revised"] = _last_revised(rng, plans, t1)
    return plans


def _last_revised(rng: np.random.Generator, plans: Rows, t1: int) -> np.ndarray:
    """Mostly within the last months of a plan's life; long ago for dormant plans."""
    start = plans["start"]
    close = np.maximum(np.minimum(np.minimum(plans["end"], t1), plans["revised_by"] + 1) - 1, start)
    n = len(start)
    dormant = ((plans["kind"] == PLAN_KIND["individual_plan"]) & (plans["end"] == OPEN)
               & (rng.random(n) < DORMANT_SHARE))
    recent = uniform_days(rng, np.maximum(start, close - 240), close)
    early = np.minimum(start + uniform_days(rng, np.zeros(n, np.int64), 120), close)
    return np.where(dormant, early, recent)
