"""The users of one chunk: where they live, when they enter services, who follows them."""

from __future__ import annotations

import numpy as np

from handover.generate.figures import (
    DEATHS_PER_YEAR, HIGH_NEED_SHARE, LAR_SHARE, NAV_LEAVE_SHARE, NAV_SHARE, PREVALENT_SHARE,
)
from handover.generate.region import Region
from handover.generate.sampling import OPEN, YEAR, Rows, choose, date_of, uniform_days

__all__ = ["draw_users"]


def draw_users(rng: np.random.Generator, region: Region, count: int) -> Rows:
    """``count`` users with their unit, birth year, entry and the services that follow them.

    Returns
    -------
    Rows
        ``unit``, ``birth_year``, ``entry`` (first day in services), ``high_need``,
        ``nav`` (followed by a NAV caseworker) with ``nav_end``, ``lar`` with
        ``lar_start`` and ``lar_end``, and ``death`` (:data:`OPEN` when alive).

    Examples
    --------
    >>> import datetime as dt
    >>> from handover.generate.region import build_region
    >>> from handover.generate.sampling import day_of
    >>> rng = np.random.default_rng(0)
    >>> region = build_region(rng, 500, day_of(dt.date(2022, 1, 1)), 3)
    >>> users = draw_users(rng, region, 500)
    >>> bool(np.all(users["entry"] < region.t1)), bool(0.7 < users["nav"].mean() < 1.0)
    (True, True)
    """
    t0, t1 = region.t0, region.t1
    unit = choose(rng, region.units["share"], count)
    age = np.clip(rng.normal(40, 11, count), 18, 80).astype(np.int64)
    birth_year = date_of(t0).year - age
    prevalent = rng.random(count) < PREVALENT_SHARE
    entry = np.where(prevalent, uniform_days(rng, np.full(count, region.history_start), t0 - 1),
                     uniform_days(rng, np.full(count, t0), t1 - 30))
    high_need = rng.random(count) < HIGH_NEED_SHARE

    nav = rng.random(count) < NAV_SHARE
    leaves = nav & (rng.random(count) < NAV_LEAVE_SHARE) & (entry + 180 < t1 - 1)
    nav_end = np.where(leaves, uniform_days(rng, entry + 180, t1 - 1), OPEN)

    lar = rng.random(count) < LAR_SHARE
    lar_start = np.maximum(entry - uniform_days(rng, np.zeros(count, np.int64), 3 * 365), region.earliest)
    lar_stops = rng.random(count) < 0.12
    lar_end = np.where(lar_stops, uniform_days(rng, np.maximum(lar_start + 60, t0), t1 + 60), OPEN)

    observed = (t1 - np.maximum(entry, t0)) / YEAR
    dies = rng.random(count) < DEATHS_PER_YEAR * observed
    death = np.where(dies, uniform_days(rng, np.maximum(entry + 30, t0), t1 + 30), OPEN)
    return {
        "unit": unit, "birth_year": birth_year, "entry": entry, "high_need": high_need,
        "nav": nav, "nav_end": nav_end, "lar": lar, "lar_start": lar_start, "lar_end": lar_end,
        "death": death,
    }
