"""NAV caseworkers: who follows each NAV user, and why that person keeps changing.

Users change caseworker two to three times a year (DOMAIN). The changes here come
from caseloads being redistributed, reorganisations of the office, caseworkers
leaving NAV, project posts ending, and sick leave (a colleague covers, then the
caseworker is back; a one-person office leaves the user without anyone meanwhile).
LAR users in the big city are followed by the district office's LAR consultants.
"""

from __future__ import annotations

import numpy as np

from handover.generate.figures import REDISTRIBUTIONS_PER_YEAR
from handover.generate.reasons import REASON
from handover.generate.region import Region
from handover.generate.sampling import NONE, Rows, first_of_run, poisson_points
from handover.generate.staffing import pick_posts, staff_spells
from handover.generate.treatment import ROLE

__all__ = ["caseworker_spells"]


def caseworker_spells(rng: np.random.Generator, region: Region, users: Rows) -> Rows:
    """The caseworker responsibilities of the chunk's NAV users, disjoint per user.

    Returns
    -------
    Rows
        ``owner, staff, agency, team, post, start, end, reason, role`` per
        responsibility, sorted by ``(owner, start)``.

    Examples
    --------
    >>> import datetime as dt
    >>> from handover.generate.population import draw_users
    >>> from handover.generate.region import build_region
    >>> from handover.generate.sampling import day_of
    >>> rng = np.random.default_rng(0)
    >>> region = build_region(rng, 1000, day_of(dt.date(2022, 1, 1)), 3)
    >>> users = draw_users(rng, region, 1000)
    >>> spells = caseworker_spells(rng, region, users)
    >>> same_user = spells["owner"][1:] == spells["owner"][:-1]
    >>> bool(np.all(spells["start"][1:][same_user] >= spells["end"][:-1][same_user]))
    True
    """
    units = region.units
    nav = np.nonzero(users["nav"])[0]
    unit = users["unit"][nav]
    lar_consultant = users["lar"][nav] & (units["lar_team"][unit] >= 0)
    team_of = np.where(lar_consultant, units["lar_team"][unit], units["nav_team"][unit])
    low = users["entry"][nav]
    high = np.minimum(np.minimum(users["nav_end"][nav], users["death"][nav]), region.t1)

    owner, day = poisson_points(rng, low, high, REDISTRIBUTIONS_PER_YEAR)
    reorganised = region.team_reorganised[team_of]
    hit = (reorganised > low) & (reorganised < high)
    starts = np.concatenate([low, day, reorganised[hit]])
    owners = np.concatenate([np.arange(len(nav)), owner, np.nonzero(hit)[0]])
    reasons = np.concatenate([np.full(len(nav), REASON["new user"]),
                              np.full(len(day), REASON["caseload redistributed"]),
                              np.full(int(hit.sum()), REASON["reorganisation"])])
    order = np.lexsort((starts, owners))
    owners, starts, reasons = owners[order], starts[order], reasons[order]
    first = first_of_run(owners)
    distinct = first | (starts != np.roll(starts, 1))
    owners, starts, reasons = owners[distinct], starts[distinct], reasons[distinct]
    team = team_of[owners]

    # A change hands the user to another post; a redraw that lands on the same post
    # twice is no change at all and is merged away.
    post = pick_posts(region.staffing, rng, team, starts)
    for _ in range(2):
        first = first_of_run(owners)
        previous = np.roll(post, 1)
        again = ~first & (post == previous)
        if not again.any():
            break
        post[again] = pick_posts(region.staffing, rng, team[again], starts[again], avoid=previous[again])
    first = first_of_run(owners)
    changes = first | (post != np.roll(post, 1))
    owners, starts, reasons, team, post = (a[changes] for a in (owners, starts, reasons, team, post))
    last = np.append(owners[1:] != owners[:-1], True)
    ends = np.where(last, high[owners], np.append(starts[1:], NONE))

    spells = staff_spells(region.staffing, rng, nav[owners], team, starts, ends, reasons, post=post,
                          left_reason="caseworker left NAV")
    spells["role"] = np.full(len(spells["owner"]), ROLE["caseworker"])
    order = np.lexsort((spells["start"], spells["owner"]))
    return {k: v[order] for k, v in spells.items()}
