"""Posts, who holds them when, and who is responsible for a user on which day.

Every agency has teams (NAV caseworkers, TSB inpatient social workers, a GP
office's doctors ...), every team has posts, and every post has a sequence of
holders: when one leaves, the next starts the same day. Project posts exist only
for a while; before and after they are *vacant* (holder staff ``-1``). Holders
have sick leaves. A user's responsibility of some role is a *spell* with one
post; :func:`staff_spells` splits it where the holder leaves (the user gets the
successor, or another post when a project post ends) and where the holder is on
sick leave (a colleague covers, except in a one-person team, where nobody does).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from handover.generate.figures import (
    PROJECT_POST_SHARE, SICK_LEAVE_DAYS, SICK_LEAVES_PER_YEAR, STAFF_TENURE_YEARS,
)
from handover.generate.reasons import REASON
from handover.generate.sampling import (
    NONE, OPEN, YEAR, Rows, concat_rows, poisson_points, take_rows, uniform_days,
)

__all__ = ["Staffing", "build_staffing", "holder_at", "pick_posts", "staff_spells"]

_SHIFT = np.int64(1 << 32)
_OFFSET = np.int64(1 << 31)


def _key(group, day) -> np.ndarray:
    return np.asarray(group, dtype=np.int64) * _SHIFT + np.asarray(day, dtype=np.int64) + _OFFSET


@dataclass
class Staffing:
    """Teams, posts and holders of a region (arrays; holders sorted by post, start).

    ``holder_staff`` is the staff number of a holder, ``-1`` for a vacancy;
    ``holder_end`` is the day the holder leaves the post (:data:`OPEN` if never).
    """

    earliest: int
    horizon: int  # t1: responsibilities are cut here (and written as ongoing)
    team_agency: np.ndarray
    team_first_post: np.ndarray
    team_posts: np.ndarray
    holder_post: np.ndarray
    holder_start: np.ndarray
    holder_end: np.ndarray
    holder_staff: np.ndarray
    holder_key: np.ndarray
    sick_holder: np.ndarray
    sick_start: np.ndarray
    sick_end: np.ndarray
    sick_key: np.ndarray
    staff_profession: np.ndarray  # code into the team's profession list, per staff
    staff_team: np.ndarray
    employments: Rows

    @property
    def n_staff(self) -> int:
        return len(self.staff_team)


def build_staffing(rng: np.random.Generator, team_agency, team_posts, team_project, *,
                   earliest: int, t0: int, t1: int) -> Staffing:
    """Fill every post of every team with holders from ``earliest`` to beyond ``t1``.

    Parameters
    ----------
    rng : numpy.random.Generator
    team_agency, team_posts : array of int
        Per team its agency and number of posts (at least one).
    team_project : array of bool
        Teams whose posts after the first may be time-limited project posts.
    earliest, t0, t1 : int
        The first day anything can start, and the period ``[t0, t1)`` (day numbers).

    Returns
    -------
    Staffing

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> st = build_staffing(rng, np.array([0, 1]), np.array([3, 1]), np.array([True, False]),
    ...                     earliest=15000, t0=17000, t1=18000)
    >>> st.team_first_post.tolist(), int(st.holder_staff.max()) + 1 == st.n_staff
    ([0, 3], True)
    """
    team_agency = np.asarray(team_agency, dtype=np.int64)
    team_posts = np.asarray(team_posts, dtype=np.int64)
    team_first_post = np.concatenate([[0], np.cumsum(team_posts)[:-1]]).astype(np.int64)
    post_team = np.repeat(np.arange(len(team_posts)), team_posts)
    n_posts = len(post_team)
    first_of_team = np.zeros(n_posts, dtype=bool)
    first_of_team[team_first_post] = True
    project = (np.asarray(team_project)[post_team] & ~first_of_team
               & (rng.random(n_posts) < PROJECT_POST_SHARE))

    # Regular posts: a chain of holders, each leaving after an exponential tenure.
    most = int(np.ceil((t1 - earliest) / (STAFF_TENURE_YEARS * YEAR) * 3)) + 6
    tenure = np.maximum(rng.exponential(STAFF_TENURE_YEARS * YEAR, (n_posts, most)), 60).astype(np.int64)
    starts = earliest + np.concatenate(
        [np.zeros((n_posts, 1), np.int64), np.cumsum(tenure, axis=1)[:, :-1]], axis=1)
    keep = starts < t1
    keep[:, 0] = True
    ends = np.concatenate([starts[:, 1:], np.full((n_posts, 1), OPEN)], axis=1)
    last = keep & ~np.concatenate([keep[:, 1:], np.zeros((n_posts, 1), bool)], axis=1)
    ends = np.where(last, OPEN, ends)
    regular = keep & ~project[:, None]
    r_post = np.nonzero(regular)[0]
    r_start, r_end = starts[regular], ends[regular]

    # Project posts: vacant, held for one to two years, vacant again.
    p_post = np.nonzero(project)[0]
    p_from = uniform_days(rng, np.full(len(p_post), t0 - 2 * 365), t1 - 90)
    p_to = p_from + uniform_days(rng, np.full(len(p_post), 365), 730)
    v_post = np.concatenate([p_post, p_post, p_post])
    v_start = np.concatenate([np.full(len(p_post), earliest), p_from, p_to])
    v_end = np.concatenate([p_from, p_to, np.full(len(p_post), OPEN)])
    v_filled = np.concatenate([np.zeros(len(p_post), bool), np.ones(len(p_post), bool),
                               np.zeros(len(p_post), bool)])

    holder_post = np.concatenate([r_post, v_post])
    holder_start = np.concatenate([r_start, v_start])
    holder_end = np.concatenate([r_end, v_end])
    filled = np.concatenate([np.ones(len(r_post), bool), v_filled])
    order = np.lexsort((holder_start, holder_post))
    holder_post, holder_start, holder_end, filled = (
        holder_post[order], holder_start[order], holder_end[order], filled[order])
    filled &= holder_start < t1
    holder_staff = np.where(filled, np.cumsum(filled) - 1, NONE).astype(np.int64)
    staff_holder = np.nonzero(filled)[0]
    staff_team = post_team[holder_post[staff_holder]]

    # Employment: the first holders of regular posts came before `earliest`.
    hired = holder_start[staff_holder].copy()
    veteran = hired == earliest
    hired[veteran] -= uniform_days(rng, np.zeros(int(veteran.sum()), np.int64), 10 * 365)
    employments = {
        "staff": np.arange(len(staff_holder), dtype=np.int64),
        "agency": team_agency[staff_team],
        "start": hired,
        "end": holder_end[staff_holder],
    }

    # Sick leaves while holding the post, within the period that matters.
    owner, day = poisson_points(rng, np.maximum(holder_start[staff_holder], t0 - 2 * 365),
                                np.minimum(holder_end[staff_holder], t1), SICK_LEAVES_PER_YEAR)
    sick_holder = staff_holder[owner]
    sick_start = day
    sick_end = day + uniform_days(rng, np.full(len(day), SICK_LEAVE_DAYS[0]), SICK_LEAVE_DAYS[1])
    next_start = np.append(sick_start[1:], OPEN)
    same_next = np.append(sick_holder[1:] == sick_holder[:-1], False)
    sick_end = np.where(same_next, np.minimum(sick_end, next_start), sick_end)
    sick_end = np.minimum(sick_end, holder_end[sick_holder])
    kept = sick_end > sick_start
    sick_holder, sick_start, sick_end = sick_holder[kept], sick_start[kept], sick_end[kept]

    return Staffing(
        earliest=earliest, horizon=t1, team_agency=team_agency, team_first_post=team_first_post,
        team_posts=team_posts, holder_post=holder_post, holder_start=holder_start,
        holder_end=holder_end, holder_staff=holder_staff,
        holder_key=_key(holder_post, holder_start), sick_holder=sick_holder,
        sick_start=sick_start, sick_end=sick_end, sick_key=_key(sick_holder, sick_start),
        staff_profession=rng.integers(0, 1 << 16, len(staff_holder)), staff_team=staff_team,
        employments=employments,
    )


def holder_at(st: Staffing, post, day) -> np.ndarray:
    """The holder record of each ``post`` on each ``day`` (an index into ``st.holder_*``)."""
    day = np.maximum(np.asarray(day, dtype=np.int64), st.earliest)
    return np.searchsorted(st.holder_key, _key(post, day), side="right") - 1


def pick_posts(st: Staffing, rng: np.random.Generator, team, day, avoid=None) -> np.ndarray:
    """A random post of each ``team`` that is held on ``day``, other than ``avoid`` if possible.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> st = build_staffing(rng, np.array([0]), np.array([4]), np.array([False]),
    ...                     earliest=15000, t0=17000, t1=18000)
    >>> posts = pick_posts(st, rng, np.zeros(100, int), np.full(100, 17500), avoid=np.zeros(100, int))
    >>> sorted(set(posts.tolist()))
    [1, 2, 3]
    """
    team = np.asarray(team, dtype=np.int64)
    day = np.asarray(day, dtype=np.int64)
    first, count = st.team_first_post[team], st.team_posts[team]
    post = first + np.floor(rng.random(len(team)) * count).astype(np.int64)
    if avoid is not None:
        clash = (post == avoid) & (count > 1)
        shift = 1 + np.floor(rng.random(len(team)) * np.maximum(count - 1, 1)).astype(np.int64)
        post = np.where(clash, first + (post - first + shift) % count, post)
    for _ in range(6):
        vacant = st.holder_staff[holder_at(st, post, day)] < 0
        if not vacant.any():
            return post
        redraw = first[vacant] + np.floor(rng.random(int(vacant.sum())) * count[vacant]).astype(np.int64)
        post[vacant] = redraw
    vacant = st.holder_staff[holder_at(st, post, day)] < 0
    post[vacant] = first[vacant]  # a team's first post is never a project post
    return post


def staff_spells(st: Staffing, rng: np.random.Generator, owner, team, start, end, reason, *,
                 post=None, tag=None, left_reason: str = "staff member left",
                 cover: bool = True) -> Rows:
    """Who of ``team`` is responsible for each owner over ``[start, end)``, piece by piece.

    Parameters
    ----------
    st : Staffing
    rng : numpy.random.Generator
    owner, team, start, end, reason : array of int
        Per spell: its user (chunk-local), team, interval and reason code.
    post : array of int, optional
        The post of each spell; drawn at random among held posts when omitted.
    tag : array of int, optional
        A value per spell that every piece of it carries along (as ``tag``).
    left_reason : str
        The reason given when a holder leaves and the successor takes over.
    cover : bool
        Whether sick leaves split spells (covered by a colleague; a gap in a
        one-person team).

    Returns
    -------
    Rows
        ``owner, staff, agency, team, post, start, end, reason, tag`` per piece,
        non-empty.
    """
    owner = np.asarray(owner, dtype=np.int64)
    team = np.asarray(team, dtype=np.int64)
    start = np.maximum(np.asarray(start, dtype=np.int64), st.earliest)
    end = np.minimum(np.asarray(end, dtype=np.int64), st.horizon)
    reason = np.broadcast_to(np.asarray(reason, dtype=np.int64), owner.shape).copy()
    tag = np.zeros(len(owner), np.int64) if tag is None else np.asarray(tag, dtype=np.int64)
    keep = start < end
    owner, team, start, end, reason, tag = (a[keep] for a in (owner, team, start, end, reason, tag))
    post = pick_posts(st, rng, team, start) if post is None else np.asarray(post, np.int64)[keep]

    done = []
    for _ in range(64):
        holder = holder_at(st, post, start)
        leaves = st.holder_end[holder]
        done.append({"owner": owner, "holder": holder, "team": team, "post": post,
                     "start": start, "end": np.minimum(end, leaves), "reason": reason, "tag": tag})
        split = leaves < end
        if not split.any():
            break
        successor = holder[split] + 1
        vacant = st.holder_staff[successor] < 0
        owner, team, end, tag = owner[split], team[split], end[split], tag[split]
        start, post = leaves[split], post[split].copy()
        post[vacant] = pick_posts(st, rng, team[vacant], start[vacant])
        reason = np.where(vacant, REASON["project post ended"], REASON[left_reason])
    pieces = concat_rows(done)
    if cover:
        pieces = _sick_leave(st, rng, pieces)
    pieces = take_rows(pieces, pieces["start"] < pieces["end"])
    pieces["staff"] = st.holder_staff[pieces.pop("holder")]
    pieces["agency"] = st.team_agency[pieces["team"]]
    return pieces


def _sick_leave(st: Staffing, rng: np.random.Generator, pieces: Rows) -> Rows:
    """Split each piece at the last sick leave of its holder that overlaps it."""
    holder, start, end = pieces["holder"], pieces["start"], pieces["end"]
    if not len(st.sick_holder):
        return pieces
    found = np.searchsorted(st.sick_key, _key(holder, end), side="left") - 1
    hit = found >= 0
    found = np.maximum(found, 0)
    hit &= (st.sick_holder[found] == holder) & (st.sick_end[found] > start)
    if not hit.any():
        return pieces
    away_from = np.maximum(start, st.sick_start[found])
    away_to = np.minimum(end, st.sick_end[found])
    hit &= away_from < away_to
    before = dict(pieces)
    before["end"] = np.where(hit, away_from, end)
    back = take_rows(pieces, hit)
    back["start"] = away_to[hit]
    back["reason"] = np.full(int(hit.sum()), REASON["back from sick leave"])

    # A colleague covers; a one-person team leaves the user without anyone.
    covered = hit & (st.team_posts[pieces["team"]] > 1)
    cover = take_rows(pieces, covered)
    cover["start"], cover_to = away_from[covered], away_to[covered]
    cover["post"] = pick_posts(st, rng, cover["team"], cover["start"], avoid=cover["post"])
    cover["holder"] = holder_at(st, cover["post"], cover["start"])
    cover["end"] = np.minimum(cover_to, st.holder_end[cover["holder"]])
    cover["reason"] = np.full(int(covered.sum()), REASON["sick leave cover"])
    return concat_rows([before, cover, back])
