"""Handovers between agencies, and those without a coordinator (DESIGN §5.1)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from handover.model import Dataset
from handover.findings.responsible import responsible_on, within
from handover.timeline import day_number, days_between

__all__ = ["episodes_with_agency", "handovers", "handover_without_coordinator"]

# Composite sort keys pack (user, day) into one int64; days since 1970 fit well below this.
_DAYS_PER_USER = 1 << 22


def episodes_with_agency(dataset: Dataset) -> pd.DataFrame:
    """Episodes with the agency and kind of their service (``agency_id``, ``service_kind``)."""
    episodes = dataset.get("episodes")
    services = dataset.get("services")[["service_id", "agency_id", "kind"]]
    return episodes.merge(
        services.rename(columns={"kind": "service_kind"}), on="service_id", how="left"
    )


def handovers(dataset: Dataset, window_days: int = 30) -> pd.DataFrame:
    """Every handover: an episode ending on day ``d`` whose user's next episode is elsewhere.

    The next episode of an ended episode ``e1`` is the episode ``e2 != e1`` of the same
    user with the smallest ``(start, episode_id)`` among those starting in
    ``[d, d + window_days]``. It is a handover when ``e2`` is at a different agency.

    Parameters
    ----------
    dataset : Dataset
    window_days : int
        How many days after ``d`` the next episode may start.

    Returns
    -------
    pandas.DataFrame
        Columns ``user_id, from_episode_id, from_agency_id, to_episode_id,
        to_agency_id, handover_date, next_start_date, gap_days``, unsorted.

    Notes
    -----
    Vectorised: episodes are sorted by ``(user, start, episode_id)`` and each ended
    episode finds its next episode by one binary search on a packed ``(user, day)``
    key, stepping over itself when it is an empty interval starting on ``d``.
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

    source = episodes.iloc[ended].reset_index(drop=True)
    target = episodes.iloc[candidate].reset_index(drop=True)
    gap = days_between(source["end"], target["start"])
    is_handover = (
        (source["user_id"] == target["user_id"])
        & (gap <= window_days)
        & (source["agency_id"] != target["agency_id"])
    )
    return pd.DataFrame({
        "user_id": source["user_id"],
        "from_episode_id": source["episode_id"],
        "from_agency_id": source["agency_id"],
        "to_episode_id": target["episode_id"],
        "to_agency_id": target["agency_id"],
        "handover_date": source["end"],
        "next_start_date": target["start"],
        "gap_days": gap,
    })[is_handover.to_numpy()].reset_index(drop=True)


def handover_without_coordinator(
    dataset: Dataset,
    *,
    window_days: int = 30,
    role: str = "coordinator",
    since: pd.Timestamp | None = None,
    until: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Handovers on whose day the user has no active responsibility of ``role``.

    Parameters
    ----------
    dataset : Dataset
    window_days : int
        See :func:`handovers`.
    role : str
        The role whose absence is flagged (default ``coordinator``).
    since, until : Timestamp, optional
        Keep handovers with ``since <= handover_date <= until``.

    Returns
    -------
    pandas.DataFrame
        The columns of DESIGN §5.1 (raw; the facade sorts and types them).

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> handover_without_coordinator(tiny_dataset())[["user_id", "gap_days"]].values.tolist()
    [['u1', 2]]
    """
    found = handovers(dataset, window_days)
    found = found[within(found["handover_date"], since, until)].reset_index(drop=True)
    covered = responsible_on(dataset, role, found, "handover_date")["event"]
    return found[~found.index.isin(covered)].reset_index(drop=True)
