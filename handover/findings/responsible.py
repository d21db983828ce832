"""Who held a role for a user on a given day: the lookup several findings share."""

from __future__ import annotations

import pandas as pd

from handover.model import Dataset
from handover.timeline import active_on

__all__ = ["responsible_on", "within"]


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
