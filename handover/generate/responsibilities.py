"""Every responsibility besides the caseworker: coordinators, GPs, therapists, and more.

Coordinators come from individual plans: an interim coordinator on the ward for the
length of the stay (never on the discharge day itself, intervals being half-open),
the NAV caseworker for plans NAV holds (a new caseworker takes the role over only
after a while, and not during sick-leave cover), or a member of the substance-use
service or allocation office (after one leaves, the successor is appointed late).
Users without a plan have no coordinator. GPs are stable; therapists, housing-support
workers and contact persons are responsible for the length of an episode.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from handover.generate.plans import HOLDER
from handover.generate.reasons import REASON
from handover.generate.region import Region
from handover.generate.sampling import NONE, OPEN, Rows, concat_rows, take_rows, uniform_days
from handover.generate.staffing import staff_spells
from handover.generate.treatment import ROLE

__all__ = ["other_responsibilities"]


def other_responsibilities(rng: np.random.Generator, region: Region, users: Rows, episodes: Rows,
                           plans: Rows, caseworkers: Rows) -> Rows:
    """Coordinator, GP and episode responsibilities of the chunk's users.

    Returns
    -------
    Rows
        ``owner, staff, agency, role, start, end, reason`` per responsibility, and the
        ``service`` of the episode it belongs to (``-1`` for none). Unsorted.

    Examples
    --------
    >>> import datetime as dt
    >>> from handover.generate.caseworkers import caseworker_spells
    >>> from handover.generate.plans import simulate_plans
    >>> from handover.generate.population import draw_users
    >>> from handover.generate.region import build_region
    >>> from handover.generate.sampling import day_of
    >>> from handover.generate.treatment import ROLE, simulate_episodes
    >>> rng = np.random.default_rng(0)
    >>> region = build_region(rng, 1000, day_of(dt.date(2022, 1, 1)), 3)
    >>> users = draw_users(rng, region, 1000)
    >>> episodes = simulate_episodes(rng, region, users)
    >>> plans = simulate_plans(rng, region, users, episodes)
    >>> rows = other_responsibilities(rng, region, users, episodes, plans,
    ...                               caseworker_spells(rng, region, users))
    >>> {"coordinator", "gp", "therapist"} <= {r for r, c in ROLE.items() if c in set(rows["role"])}
    True
    """
    parts = [
        _ward_coordinators(rng, region, plans),
        _nav_coordinators(rng, plans, caseworkers),
        _team_coordinators(rng, region, plans),
        _gps(rng, region, users),
        _episode_roles(rng, region, episodes),
    ]
    for part in parts:
        part.setdefault("service", np.full(len(part["owner"]), NONE))
    columns = ("owner", "staff", "agency", "role", "start", "end", "reason", "service")
    return concat_rows([{k: p[k] for k in columns} for p in parts])


def _with_role(rows: Rows, role: str) -> Rows:
    rows["role"] = np.full(len(rows["owner"]), ROLE[role])
    return rows


def _ward_coordinators(rng, region: Region, plans: Rows) -> Rows:
    ward = np.nonzero(plans["holder"] == HOLDER["ward"])[0]
    rows = staff_spells(region.staffing, rng, plans["owner"][ward], plans["coord_team"][ward],
                        plans["coord_start"][ward], plans["coord_end"][ward],
                        REASON["interim specialist coordinator"])
    return _with_role(rows, "coordinator")


def _nav_coordinators(rng, plans: Rows, caseworkers: Rows) -> Rows:
    """The caseworker coordinates NAV's plans; a new one takes over after a while."""
    nav = np.nonzero(plans["holder"] == HOLDER["nav"])[0]
    wanted = pd.DataFrame({"owner": plans["owner"][nav], "plan": nav,
                           "from": plans["coord_start"][nav], "to": plans["coord_end"][nav]})
    own = caseworkers["reason"] != REASON["sick leave cover"]
    spells = pd.DataFrame({k: caseworkers[k][own] for k in ("owner", "staff", "agency", "start", "end")})
    pieces = wanted.merge(spells, on="owner")
    pieces["start"] = np.maximum(pieces["start"], pieces["from"])
    pieces["end"] = np.minimum(pieces["end"], pieces["to"])
    pieces = pieces[pieces["start"] < pieces["end"]].sort_values(["plan", "start"], kind="stable")
    later = (pieces["plan"].to_numpy()[1:] == pieces["plan"].to_numpy()[:-1])
    later = np.concatenate([[False], later])
    late = later & (rng.random(len(pieces)) < 0.5)
    start = pieces["start"].to_numpy() + np.where(late, uniform_days(rng, np.full(len(pieces), 7), 120), 0)
    rows = {
        "owner": pieces["owner"].to_numpy(), "staff": pieces["staff"].to_numpy(),
        "agency": pieces["agency"].to_numpy(), "start": start, "end": pieces["end"].to_numpy(),
        "reason": np.where(later, REASON["new caseworker took over as coordinator"],
                           REASON["municipal coordinator appointed"]),
    }
    return _with_role(take_rows(rows, rows["start"] < rows["end"]), "coordinator")


def _team_coordinators(rng, region: Region, plans: Rows) -> Rows:
    chosen = np.nonzero(plans["holder"] == HOLDER["team"])[0]
    rows = staff_spells(region.staffing, rng, plans["owner"][chosen], plans["coord_team"][chosen],
                        plans["coord_start"][chosen], plans["coord_end"][chosen],
                        REASON["municipal coordinator appointed"])
    successor = rows["reason"] == REASON["staff member left"]
    late = successor & (rng.random(len(successor)) < 0.5)
    rows["start"] = np.where(late, rows["start"] + uniform_days(rng, np.full(len(late), 7), 90), rows["start"])
    return _with_role(take_rows(rows, rows["start"] < rows["end"]), "coordinator")


def _gps(rng, region: Region, users: Rows) -> Rows:
    units = region.units
    listed = np.nonzero(rng.random(len(users["unit"])) < 0.92)[0]
    unit = users["unit"][listed]
    start = np.maximum(users["entry"][listed] - uniform_days(rng, np.zeros(len(listed), np.int64), 3 * 365),
                       region.earliest)

    def office(units_of):
        return units["gp_team_first"][units_of] + np.floor(
            rng.random(len(units_of)) * units["gp_teams"][units_of]).astype(np.int64)

    # One in ten changes GP during the period.
    changes = rng.random(len(listed)) < 0.10
    change_day = uniform_days(rng, np.maximum(start, region.t0 - 365), region.t1 - 1)
    first_end = np.where(changes, change_day, OPEN)
    owner = np.concatenate([listed, listed[changes]])
    team = np.concatenate([office(unit), office(unit[changes])])
    begin = np.concatenate([start, change_day[changes]])
    end = np.concatenate([first_end, np.full(int(changes.sum()), OPEN)])
    reason = np.concatenate([np.full(len(listed), REASON["GP listing"]),
                             np.full(int(changes.sum()), REASON["changed GP"])])
    rows = staff_spells(region.staffing, rng, owner, team, begin, end, reason, cover=False)
    return _with_role(rows, "gp")


def _episode_roles(rng, region: Region, episodes: Rows) -> Rows:
    staffed = np.nonzero(episodes["team"] >= 0)[0]
    rows = staff_spells(region.staffing, rng, episodes["owner"][staffed], episodes["team"][staffed],
                        episodes["start"][staffed], episodes["end"][staffed],
                        REASON["start of treatment"], tag=staffed)
    rows["role"] = episodes["role"][rows["tag"]]
    rows["service"] = episodes["service"][rows["tag"]]
    rows["reason"] = np.where(
        (rows["reason"] == REASON["start of treatment"])
        & np.isin(rows["role"], [ROLE["housing_support"], ROLE["contact"]]),
        REASON["start of follow-up"], rows["reason"])
    return rows

