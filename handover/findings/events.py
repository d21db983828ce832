"""What several findings share: episodes with their agency, handovers, who was responsible.

The building blocks of the findings, the networks and the graph's derived relationships:
:func:`next_episodes` and :func:`handovers` are the handover of docs/findings.md §5.1 (with or
without coordinator), :func:`responsibility_changes` the changes of staff that caseworker
turnover counts, :func:`responsible_on` the lookup
of who held a role on an event's day, :func:`coverage` the days a role was held, and
:func:`within` the ``--since/--until`` filter.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

from handover.model import Dataset
from handover.timeline import active_on, day_number, days_between, open_end, reopen

__all__ = ["episodes_with_agency", "next_episodes", "handovers", "responsibility_changes", "responsible_on", "coverage", "within", "in_period"]

# Composite sort keys pack (user, day) into one int64; days since 1970 fit well below this.
_DAYS_PER_USER = 1 << 22


def episodes_with_agency(dataset: Dataset) -> pd.DataFrame:
    """Episodes with the agency and kind of their service (``agency_id``, ``service_kind``)."""
    episodes = dataset.get("episodes")
    services = dataset.get("services")[["service_id", "agency_id", "kind"]]
    return episodes.merge(
        services.rename(columns={"kind": "service_kind"}), on="service_id", how="left"
    )


def next_episodes(dataset: Dataset) -> pd.DataFrame:
    """Each ended episode with its user's next one, however long after: what a handover is made of.

    The next episode of an episode ``e1`` ending on day ``d`` is the episode ``e2 != e1`` of the
    same user with the smallest ``(start, episode_id)`` among those starting on or after ``d``.
    The graph holds these pairs as ``NEXT_EPISODE`` relationships (docs/graph.md).

    Returns
    -------
    pandas.DataFrame
        Columns ``user_id, from_episode_id, from_agency_id, to_episode_id, to_agency_id,
        handover_date`` (the end of ``e1``), ``next_start_date, gap_days``, unsorted.

    Notes
    -----
    Vectorised: episodes are sorted by ``(user, start, episode_id)`` and each ended
    episode finds its next episode by one binary search on a packed ``(user, day)``
    key, stepping over itself when it is an empty interval starting on ``d``.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> next_episodes(tiny_dataset())[["from_episode_id", "to_episode_id", "gap_days"]].values.tolist()
    [['e1', 'e2', 2]]
    """
    episodes = episodes_with_agency(dataset)
    episodes = episodes.sort_values(["user_id", "start", "episode_id"], kind="stable")
    episodes = episodes.reset_index(drop=True)
    user_code = pd.factorize(episodes["user_id"], sort=True)[0].astype(np.int64)
    keys = user_code * _DAYS_PER_USER + day_number(episodes["start"])

    ended = episodes.index[episodes["end"].notna()].to_numpy()
    ended_keys = user_code[ended] * _DAYS_PER_USER + day_number(episodes["end"].iloc[ended])
    candidate = np.searchsorted(keys, ended_keys, side="left")
    # An empty episode starting on its own end day is found first: the next one is after it.
    candidate = np.where(candidate == ended, candidate + 1, candidate)
    in_range = candidate < len(episodes)
    ended, candidate = ended[in_range], candidate[in_range]
    same_user = user_code[ended] == user_code[candidate]
    ended, candidate = ended[same_user], candidate[same_user]

    source = episodes.iloc[ended].reset_index(drop=True)
    target = episodes.iloc[candidate].reset_index(drop=True)
    return pd.DataFrame({
        "user_id": source["user_id"],
        "from_episode_id": source["episode_id"],
        "from_agency_id": source["agency_id"],
        "to_episode_id": target["episode_id"],
        "to_agency_id": target["agency_id"],
        "handover_date": source["end"],
        "next_start_date": target["start"],
        "gap_days": days_between(source["end"], target["start"]),
    })


def handovers(dataset: Dataset, window_days: int = 30) -> pd.DataFrame:
    """Every handover: an episode ending on day ``d`` whose user's next episode is elsewhere.

    The next episode (:func:`next_episodes`) must start within ``[d, d + window_days]`` and be
    at a different agency.

    Parameters
    ----------
    dataset : Dataset
    window_days : int
        How many days after ``d`` the next episode may start.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`next_episodes`, unsorted.
    """
    found = next_episodes(dataset)
    is_handover = (found["gap_days"] <= window_days) & (found["from_agency_id"] != found["to_agency_id"])
    return found[is_handover.to_numpy()].reset_index(drop=True)


def responsibility_changes(dataset: Dataset, roles: Iterable[str]) -> pd.DataFrame:
    """Every change of staff in a user's sequence of responsibilities of one role.

    Responsibilities of ``(user, role)`` are ordered by ``(start, staff_id)``; a change
    is a consecutive pair whose staff differ, dated at the later one's ``start``. The graph
    holds them as ``HANDED_OVER_TO`` relationships from the earlier staff member to the later
    (docs/graph.md).

    Returns
    -------
    pandas.DataFrame
        Columns ``user_id, role, change_date, from_staff_id, to_staff_id``, sorted by the first three.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> responsibility_changes(tiny_dataset(), ["caseworker"]).values.tolist()[0][1:]
    ['caseworker', Timestamp('2024-02-01 00:00:00'), 'st1', 'st2']
    """
    resp = dataset.get("responsibilities")
    resp = resp.loc[resp["role"].isin(list(roles)), ["user_id", "role", "staff_id", "start"]]
    resp = resp.sort_values(["user_id", "role", "start", "staff_id"], kind="stable")
    before = resp["staff_id"].shift()
    same_sequence = (resp["user_id"] == resp["user_id"].shift()) & (resp["role"] == resp["role"].shift())
    changed = same_sequence & (resp["staff_id"] != before)
    changes = pd.DataFrame({"user_id": resp["user_id"], "role": resp["role"], "change_date": resp["start"],
                            "from_staff_id": before, "to_staff_id": resp["staff_id"]})[changed]
    return changes.reset_index(drop=True)


def responsible_on(dataset: Dataset, role: str, events: pd.DataFrame, day: str) -> pd.DataFrame:
    """The staff holding ``role`` for each event's user on the event's day.

    Parameters
    ----------
    dataset : Dataset
    role : str
    events : pandas.DataFrame
        Rows with a ``user_id`` column and a date column named ``day``.
    day : str
        The column of ``events`` holding the day to look at.

    Returns
    -------
    pandas.DataFrame
        Columns ``event`` (the index label of the event in ``events``) and ``staff_id``,
        one row per responsibility active on that day; events with none are absent.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> events = pd.DataFrame({"user_id": ["u2", "u2"], "on": pd.to_datetime(["2024-02-01", "2023-01-01"])})
    >>> responsible_on(tiny_dataset(), "caseworker", events, "on").values.tolist()
    [[0, 'st2']]
    """
    resp = dataset.get("responsibilities")
    resp = resp.loc[resp["role"] == role, ["user_id", "staff_id", "start", "end"]]
    pairs = events[["user_id", day]].rename_axis("event").reset_index().merge(resp, on="user_id")
    active = pairs[active_on(pairs["start"], pairs["end"], pairs[day])]
    return active[["event", "staff_id"]].reset_index(drop=True)


def coverage(dataset: Dataset, role: str = "coordinator") -> pd.DataFrame:
    """Each user's days with an active ``role`` responsibility, as disjoint intervals.

    Touching or overlapping responsibilities merge; open ends stay open (``NaT``).

    Returns
    -------
    pandas.DataFrame
        Columns ``user_id, start, end``, sorted, non-empty and disjoint per user.
    """
    resp = dataset.get("responsibilities")
    resp = resp.loc[resp["role"] == role, ["user_id", "start", "end"]]
    resp = resp.assign(end=open_end(resp["end"]))
    resp = resp[resp["start"] < resp["end"]].sort_values(["user_id", "start"], kind="stable")
    if resp.empty:
        return resp.assign(end=pd.Series(dtype="datetime64[ns]"))
    reach = resp.groupby("user_id")["end"].cummax()
    reached_before = reach.groupby(resp["user_id"]).shift()
    block = (reached_before.isna() | (resp["start"] > reached_before)).cumsum()
    merged = resp.groupby(block).agg(user_id=("user_id", "first"), start=("start", "min"), end=("end", "max"))
    merged["end"] = reopen(merged["end"])
    return merged.reset_index(drop=True)


def within(dates: pd.Series, since: pd.Timestamp | None, until: pd.Timestamp | None) -> pd.Series:
    """Whether each date lies in ``[since, until]`` (either bound may be ``None``).

    Examples
    --------
    >>> within(pd.Series(pd.to_datetime(["2024-01-01", "2024-02-01"])), pd.Timestamp("2024-01-15"), None).tolist()
    [False, True]
    """
    keep = pd.Series(True, index=dates.index)
    if since is not None:
        keep &= dates >= since
    if until is not None:
        keep &= dates <= until
    return keep


def in_period(start: pd.Series, end: pd.Series, since: pd.Timestamp | None,
              until: pd.Timestamp | None) -> pd.Series:
    """Whether each ``[start, end)`` interval runs on some day of ``[since, until]``.

    A missing ``end`` is ongoing: the interval runs on every day from ``start``.

    Examples
    --------
    >>> d = lambda *xs: pd.Series(pd.to_datetime(list(xs)))
    >>> in_period(d("2024-01-01", "2024-03-01"), d("2024-02-01", None),
    ...           pd.Timestamp("2024-02-01"), None).tolist()
    [False, True]
    """
    keep = pd.Series(True, index=start.index)
    if until is not None:
        keep &= start <= until
    if since is not None:
        keep &= end.isna() | (end > since)
    return keep
