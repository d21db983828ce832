"""One chunk of users from start to end: every table's rows, clipped and sorted.

The order matters: episodes may bring a death forward; caseworkers and plans
depend on both; contacts are drawn last, from the final (clipped) episodes and
responsibilities, so nobody is met after their death or after the period.
Everything is cut at the period's end ``t1``: what is still running then is
written as ongoing (an empty ``end``), as an extract from the agencies' systems
on that day would show it.
"""

from __future__ import annotations

import numpy as np

from handover.generate.caseworkers import caseworker_spells
from handover.generate.contacts import simulate_contacts
from handover.generate.plans import simulate_plans
from handover.generate.population import draw_users
from handover.generate.region import Region
from handover.generate.responsibilities import other_responsibilities
from handover.generate.sampling import NONE, OPEN, Rows, concat_rows, take_rows
from handover.generate.treatment import DISCHARGE, simulate_episodes

__all__ = ["simulate_chunk"]

_RESPONSIBILITY_COLUMNS = ("owner", "staff", "agency", "role", "start", "end", "reason", "service")


def simulate_chunk(rng: np.random.Generator, region: Region, count: int) -> dict[str, Rows]:
    """Simulate ``count`` users; return ``users, episodes, plans, responsibilities, contacts``.

    Owners are chunk-local user numbers ``0..count-1``. Every interval is non-empty
    and starts before ``region.t1``; an end of :data:`OPEN` is ongoing.

    Examples
    --------
    >>> import datetime as dt
    >>> from handover.generate.region import build_region
    >>> from handover.generate.sampling import day_of
    >>> rng = np.random.default_rng(0)
    >>> region = build_region(rng, 300, day_of(dt.date(2022, 1, 1)), 3)
    >>> rows = simulate_chunk(rng, region, 300)
    >>> sorted(rows)
    ['contacts', 'episodes', 'plans', 'responsibilities', 'users']
    >>> bool(np.all(rows["contacts"]["date"] < region.t1))
    True
    """
    users = draw_users(rng, region, count)
    episodes = simulate_episodes(rng, region, users)
    caseworkers = caseworker_spells(rng, region, users)
    caseworkers["service"] = np.full(len(caseworkers["owner"]), NONE)
    plans = simulate_plans(rng, region, users, episodes)
    others = other_responsibilities(rng, region, users, episodes, plans, caseworkers)
    responsibilities = concat_rows([{k: caseworkers[k] for k in _RESPONSIBILITY_COLUMNS}, others])

    death, t1 = users["death"], region.t1
    episodes, died = _clip(episodes, death, t1)
    episodes["discharge"] = np.where(died, DISCHARGE["death"], episodes["discharge"])
    episodes["discharge"] = np.where(episodes["end"] == OPEN, NONE, episodes["discharge"])
    plans, _ = _clip(plans, death, t1)
    plans["last_revised"] = np.maximum(
        np.minimum(plans["last_revised"], np.minimum(plans["end"], t1) - 1), plans["start"])
    responsibilities, _ = _clip(responsibilities, death, t1)

    contacts = simulate_contacts(rng, region, users, episodes, responsibilities)
    contacts = take_rows(contacts, contacts["date"] < np.minimum(death[contacts["owner"]], t1))
    return {
        "users": users,
        "episodes": _sorted(episodes, "owner", "start", "service", "end"),
        "plans": _sorted(plans, "owner", "start", "kind", "agency"),
        "responsibilities": _sorted(responsibilities, "owner", "start", "role", "staff"),
        "contacts": _sorted(contacts, "owner", "date", "agency", "staff"),
    }


def _clip(rows: Rows, death: np.ndarray, t1: int) -> tuple[Rows, np.ndarray]:
    """Cut intervals at the owner's death and at ``t1``; which ones death ended."""
    rows = take_rows(rows, rows["start"] < np.minimum(death[rows["owner"]], t1))
    dies = death[rows["owner"]]
    died = (dies < t1) & (rows["end"] >= dies)
    end = np.where(died, dies, rows["end"])
    rows["end"] = np.where(end >= t1, OPEN, end)
    return rows, died


def _sorted(rows: Rows, *keys: str) -> Rows:
    order = np.lexsort(tuple(rows[k] for k in reversed(keys)))
    return take_rows(rows, order)
