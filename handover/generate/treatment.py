"""Episodes: courses of treatment with their stays, and the services that run alongside.

A *course* is what a referral to specialised treatment becomes: detox alone, detox
followed the same or next day by a three-month inpatient stay (a chain that counts
as one discharge), an inpatient stay, detox and then a long stay at a private
institution (often after a gap, so a handover), a short DPS stay, or outpatient
treatment. Courses come as a Poisson process per user, more often for users with
high needs; a course wanted while another is running starts after it, so drop-outs
with high needs come back within weeks (readmissions). After a stay some users go on
to outpatient treatment or municipal housing support. Alongside run NAV social
assistance (on and off, 5.3 months at a time), LAR, housing support, low-threshold
and NGO services, municipal dwellings and DPS outpatient care. A few users die,
some during or just after a stay.
"""

from __future__ import annotations

import numpy as np

from handover.generate.figures import (
    BETWEEN_ASSISTANCE_DAYS, COURSE_KINDS, COURSES_PER_YEAR, INPATIENT_DISCHARGE,
    SOCIAL_ASSISTANCE_DAYS,
)
from handover.generate.region import Region
from handover.generate.sampling import (
    NONE, OPEN, Rows, choose, concat_rows, first_of_run, poisson_points, uniform_days,
)
from handover.model import VOCABULARIES

__all__ = ["simulate_episodes", "SERVICE_KIND", "DISCHARGE", "ROLE"]

SERVICE_KIND = {k: i for i, k in enumerate(VOCABULARIES["service_kind"])}
DISCHARGE = {k: i for i, k in enumerate(VOCABULARIES["discharge_kind"])}
ROLE = {k: i for i, k in enumerate(VOCABULARIES["role"])}
_COURSE = {k: i for i, k in enumerate(COURSE_KINDS)}
_SHIFT = np.int64(1 << 32)
_OFFSET = np.int64(1 << 31)


def _discharges(rng: np.random.Generator, shares: dict[str, float], size: int) -> np.ndarray:
    codes = choose(rng, list(shares.values()), size)
    return np.asarray([DISCHARGE[k] for k in shares], dtype=np.int64)[codes]


def _rows(region: Region, owner, service, start, end, discharge=NONE, *, team=NONE, role=NONE,
          coord_team=NONE, chain_end=False) -> Rows:
    owner = np.asarray(owner, dtype=np.int64)
    n = len(owner)

    def full(value, dtype=np.int64):
        return np.broadcast_to(np.asarray(value, dtype=dtype), (n,)).copy()

    service = full(service)
    return {
        "owner": owner, "service": service, "agency": region.service_agency_index[service],
        "kind": region.service_kind_code[service], "start": full(start), "end": full(end),
        "discharge": full(discharge), "team": full(team), "role": full(role),
        "coord_team": full(coord_team), "chain_end": full(chain_end, bool),
    }


def _group_offsets(owner: np.ndarray, step: np.ndarray) -> np.ndarray:
    """Per element, the sum of ``step`` over the earlier elements of its owner."""
    before = np.cumsum(step) - step
    first = first_of_run(owner)
    group = np.cumsum(first) - 1
    return before - before[np.nonzero(first)[0]][group]


def _group_cummax(owner: np.ndarray, values: np.ndarray) -> np.ndarray:
    packed = owner * _SHIFT + values + _OFFSET
    return np.maximum.accumulate(packed) - owner * _SHIFT - _OFFSET


def simulate_episodes(rng: np.random.Generator, region: Region, users: Rows) -> Rows:
    """Every episode of the chunk's users; may move ``users["death"]`` earlier.

    Returns
    -------
    Rows
        Per episode ``owner, service, agency, kind`` (service-kind code), ``start, end``,
        ``discharge`` (code or ``-1``), the ``team`` and ``role`` of the staff member
        responsible during it (``-1`` when none), ``coord_team`` (the team giving an
        interim coordinator for a stay's individual plan) and ``chain_end`` (a stay
        not continued by another stay within a day). Unsorted.

    Examples
    --------
    >>> import datetime as dt
    >>> from handover.generate.population import draw_users
    >>> from handover.generate.region import build_region
    >>> from handover.generate.sampling import day_of
    >>> rng = np.random.default_rng(0)
    >>> region = build_region(rng, 1000, day_of(dt.date(2022, 1, 1)), 3)
    >>> users = draw_users(rng, region, 1000)
    >>> episodes = simulate_episodes(rng, region, users)
    >>> bool(np.all(episodes["start"] < episodes["end"]))
    True
    """
    parts = [_courses(rng, region, users)]
    parts += _alongside(rng, region, users)
    return concat_rows(parts)


def _courses(rng: np.random.Generator, region: Region, users: Rows) -> Rows:
    t1 = region.t1
    unit = users["unit"]
    stop = np.minimum(users["death"], t1)
    rate = np.where(users["high_need"], COURSES_PER_YEAR["high"], COURSES_PER_YEAR["low"])
    owner, wanted = poisson_points(rng, users["entry"], stop, rate)
    n = len(owner)
    kind = choose(rng, list(COURSE_KINDS.values()), n)
    has_detox = np.isin(kind, [_COURSE["detox_only"], _COURSE["detox_inpatient"], _COURSE["detox_residential"]])
    tsb_stay = np.isin(kind, [_COURSE["detox_inpatient"], _COURSE["inpatient"]])
    residential = kind == _COURSE["detox_residential"]
    dps_stay = kind == _COURSE["dps_inpatient"]
    outpatient = kind == _COURSE["outpatient"]
    main_stay = tsb_stay | residential | dps_stay

    detox_days = np.where(has_detox, uniform_days(rng, np.full(n, 5), 14), 0)
    categories = choose(rng, [v[0] for v in INPATIENT_DISCHARGE.values()], n)
    low = np.asarray([v[1] for v in INPATIENT_DISCHARGE.values()])[categories]
    high = np.asarray([v[2] for v in INPATIENT_DISCHARGE.values()])[categories]
    main_days = np.select(
        [tsb_stay, residential, dps_stay, outpatient],
        [uniform_days(rng, low, high), uniform_days(rng, np.full(n, 90), 365),
         uniform_days(rng, np.full(n, 7), 35), uniform_days(rng, np.full(n, 60), 400)], 0)
    main_discharge = np.select(
        [tsb_stay, residential, dps_stay],
        [np.asarray([DISCHARGE[k] for k in INPATIENT_DISCHARGE])[categories],
         _discharges(rng, {"planned": 0.6, "unplanned": 0.4}, n),
         _discharges(rng, {"planned": 0.8, "unplanned": 0.2}, n)],
        _discharges(rng, {"planned": 0.5, "unplanned": 0.4, "other": 0.1}, n))
    gap = np.select([kind == _COURSE["detox_inpatient"], residential],
                    [(rng.random(n) < 0.2).astype(np.int64), uniform_days(rng, np.zeros(n, np.int64), 21)], 0)

    # A course wanted while the previous one runs starts after it and a short rest.
    occupied = detox_days + gap + np.where(main_stay, main_days, 0)
    rest = uniform_days(rng, np.full(n, 2), 40)
    offset = _group_offsets(owner, occupied + rest)
    start = offset + _group_cummax(owner, wanted - offset)
    live = start < stop[owner]
    owner, start, kind, unit_of = owner[live], start[live], kind[live], unit[owner[live]]
    has_detox, tsb_stay, residential, dps_stay, outpatient, main_stay = (
        a[live] for a in (has_detox, tsb_stay, residential, dps_stay, outpatient, main_stay))
    detox_days, main_days, main_discharge, gap = (a[live] for a in (detox_days, main_days, main_discharge, gap))
    n = len(owner)

    trust = region.units["trust"][unit_of]
    tr, dp, pv = region.trusts, region.dps, region.private
    private_home = rng.integers(0, len(pv["agency"]), n)
    unit_dps = region.units["dps"][unit_of]

    continues = main_stay & has_detox
    detox_discharge = np.where(continues, DISCHARGE["transfer"],
                               _discharges(rng, {"planned": 0.7, "unplanned": 0.3}, n))
    detox = _rows(region, owner, tr["svc_detox"][trust], start, start + detox_days, detox_discharge,
                  chain_end=~(continues & (gap <= 1)))
    detox = {k: v[has_detox] for k, v in detox.items()}

    main_start = start + detox_days + gap
    main_end = main_start + main_days
    service = np.select([tsb_stay, residential, dps_stay],
                        [tr["svc_inpatient"][trust], pv["svc_residential"][private_home],
                         dp["svc_inpatient"][unit_dps]], tr["svc_outpatient"][trust])
    team = np.select([tsb_stay, residential, dps_stay],
                     [tr["inpatient_team"][trust], pv["team"][private_home], dp["team"][unit_dps]],
                     tr["outpatient_team"][trust])
    coord_team = np.select([tsb_stay, residential], [tr["inpatient_team"][trust], pv["team"][private_home]], NONE)

    # Deaths: a few in a stay, a few more in the weeks after an unplanned discharge.
    dies_in = main_stay & (rng.random(n) < 0.004)
    dies_after = main_stay & (main_discharge == DISCHARGE["unplanned"]) & (rng.random(n) < 0.02)
    main_discharge = np.where(dies_in, DISCHARGE["death"], main_discharge)
    death_day = np.where(dies_in, main_end, np.where(dies_after, main_end + uniform_days(
        rng, np.ones(n, np.int64), 30), OPEN))
    np.minimum.at(users["death"], owner, death_day)

    main = _rows(region, owner, service, main_start, main_end, main_discharge, team=team,
                 role=ROLE["therapist"], coord_team=coord_team, chain_end=main_stay)
    main = {k: v[main_stay | outpatient] for k, v in main.items()}

    # Aftercare: outpatient treatment (at the DPS after a DPS stay) and housing support.
    alive = main_stay & ~dies_in
    after = alive & (rng.random(n) < 0.45)
    a_start = main_end + uniform_days(rng, np.zeros(n, np.int64), 28)
    a_service = np.where(dps_stay, dp["svc_outpatient"][unit_dps], tr["svc_outpatient"][trust])
    a_team = np.where(dps_stay, dp["team"][unit_dps], tr["outpatient_team"][trust])
    aftercare = _rows(region, owner[after], a_service[after], a_start[after],
                      a_start[after] + uniform_days(rng, np.full(int(after.sum()), 60), 365),
                      _discharges(rng, {"planned": 0.5, "unplanned": 0.4, "other": 0.1}, int(after.sum())),
                      team=a_team[after], role=ROLE["therapist"])
    housing = alive & (rng.random(n) < 0.25)
    h_start = main_end[housing] + uniform_days(rng, np.ones(int(housing.sum()), np.int64), 30)
    h_units = unit_of[housing]
    support = _rows(region, owner[housing], region.units["svc_housing_support"][h_units], h_start,
                    h_start + uniform_days(rng, np.full(len(h_start), 120), 720),
                    _discharges(rng, {"planned": 0.7, "other": 0.3}, len(h_start)),
                    team=region.units["mh_team"][h_units], role=ROLE["housing_support"])
    return concat_rows([detox, main, aftercare, support])


def _alongside(rng: np.random.Generator, region: Region, users: Rows) -> list[Rows]:
    t1 = region.t1
    units = region.units
    unit, entry = users["unit"], users["entry"]
    count = len(unit)
    everyone = np.arange(count)
    parts = []

    # NAV social assistance: on for 5.3 months on average, then off for a while.
    nav = np.nonzero(users["nav"])[0]
    cycles = int(np.ceil((t1 - region.history_start) / (SOCIAL_ASSISTANCE_DAYS + BETWEEN_ASSISTANCE_DAYS) * 2.5)) + 3
    on = np.maximum(rng.gamma(2.0, SOCIAL_ASSISTANCE_DAYS / 2.0, (len(nav), cycles)), 14).astype(np.int64)
    off = np.maximum(rng.gamma(1.5, BETWEEN_ASSISTANCE_DAYS / 1.5, (len(nav), cycles)), 7).astype(np.int64)
    begin = entry[nav][:, None] + np.concatenate(
        [np.zeros((len(nav), 1), np.int64), np.cumsum(on + off, axis=1)[:, :-1]], axis=1)
    finish = np.minimum(begin + on, users["nav_end"][nav][:, None])
    keep = begin < np.minimum(users["nav_end"][nav], t1)[:, None]
    who = np.broadcast_to(nav[:, None], begin.shape)[keep]
    parts.append(_rows(region, who, units["svc_social"][unit[who]], begin[keep], finish[keep]))

    # LAR (opioid substitution), usually long before and beyond the period.
    lar = np.nonzero(users["lar"])[0]
    trust = units["trust"][unit[lar]]
    stops = users["lar_end"][lar] < OPEN
    parts.append(_rows(
        region, lar, region.trusts["svc_ost"][trust], users["lar_start"][lar], users["lar_end"][lar],
        np.where(stops, _discharges(rng, {"planned": 0.3, "unplanned": 0.6, "transfer": 0.1}, len(lar)), NONE),
        team=region.trusts["lar_team"][trust], role=ROLE["therapist"]))

    def occasional(share: float, service: np.ndarray, shortest: int, longest: int, *,
                   team=None, role=NONE, open_share: float = 0.0, before: int = 0) -> None:
        takes = (rng.random(count) < share) & (service[unit] >= 0)
        who = everyone[takes]
        begin = uniform_days(rng, entry[who] - before, t1 - 14)
        length = uniform_days(rng, np.full(len(who), shortest), longest)
        finish = np.where(rng.random(len(who)) < open_share, OPEN, begin + length)
        ends = finish < OPEN
        discharge = np.where(ends, _discharges(rng, {"planned": 0.6, "other": 0.4}, len(who)), NONE)
        parts.append(_rows(region, who, service[unit[who]], begin, finish, discharge,
                           team=NONE if team is None else team[unit[who]], role=role))

    occasional(0.12, units["svc_housing_support"], 180, 900, team=units["mh_team"], role=ROLE["housing_support"])
    occasional(0.08, units["svc_low_threshold"], 30, 300)
    occasional(0.15, units["svc_ngo_low"], 30, 540)
    occasional(0.06, units["svc_ngo_day"], 90, 540, team=units["ngo_team"], role=ROLE["contact"])
    occasional(0.20, units["svc_housing"], 365, 1500, team=units["housing_team"], role=ROLE["contact"],
               open_share=0.6, before=365)
    dps_outpatient = region.dps["svc_outpatient"][units["dps"]]
    occasional(0.08, dps_outpatient, 90, 540, team=region.dps["team"][units["dps"]], role=ROLE["therapist"])
    return parts

