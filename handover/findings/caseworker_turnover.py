"""Caseworker turnover: several changes of the responsible person within a year (docs/findings.md §5.2)."""

from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

from handover.findings.events import responsibility_changes, within
from handover.findings.indicators import Context, counted
from handover.findings.spec import Finding, Measure, choices, count, date, days
from handover.model import VOCABULARIES, Dataset
from handover.timeline import day_number


__all__ = ["caseworker_turnover", "FINDING"]

_DAYS_PER_GROUP = 1 << 22


def caseworker_turnover(
    dataset: Dataset,
    *,
    roles: Iterable[str] = ("caseworker",),
    window_days: int = 365,
    min_changes: int = 3,
    since: pd.Timestamp | None = None,
    until: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Users whose responsible person of a role changed ``min_changes`` times in a window.

    For each change date ``c`` the changes dated in ``[c, c + window_days)`` are counted;
    the busiest window (earliest on ties) is reported when it holds at least
    ``min_changes`` changes. With ``since``/``until`` only the changes dated in the period
    count.

    Parameters
    ----------
    dataset : Dataset
    roles : iterable of str
        Roles to examine, each separately (default ``caseworker``).
    window_days : int
        Length of the sliding window in days.
    min_changes : int
        Flag a user and role when the busiest window has at least this many changes.
    since, until : Timestamp, optional
        Count only changes dated ``since <= date <= until``.

    Returns
    -------
    pandas.DataFrame
        The columns of docs/findings.md §5.2 (raw; the facade sorts and types them).

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> caseworker_turnover(tiny_dataset())[["user_id", "changes", "distinct_staff"]].values.tolist()
    [['u2', 3, 3]]
    """
    roles = list(roles)
    changes = responsibility_changes(dataset, roles)
    changes = changes[within(changes["change_date"], since, until)].reset_index(drop=True)
    # Changes come sorted by (user, role, date), so the packed keys ascend.
    group = changes.groupby(["user_id", "role"], sort=True).ngroup().to_numpy(np.int64)
    keys = group * _DAYS_PER_GROUP + day_number(changes["change_date"])
    first_at_or_after = np.searchsorted(keys, keys, side="left")
    first_outside = np.searchsorted(keys, keys + window_days, side="left")
    changes["changes"] = first_outside - first_at_or_after

    busiest = changes.sort_values(
        ["user_id", "role", "changes", "change_date"], ascending=[True, True, False, True], kind="stable"
    ).drop_duplicates(["user_id", "role"])
    flagged = busiest[busiest["changes"] >= min_changes]

    resp = dataset.get("responsibilities")
    distinct = (
        resp[resp["role"].isin(roles)].groupby(["user_id", "role"])["staff_id"].nunique()
        .rename("distinct_staff").reset_index()
    )
    out = flagged.merge(distinct, on=["user_id", "role"], how="left")
    out["window_start"] = out["change_date"]
    out["window_end"] = out["change_date"] + pd.Timedelta(days=window_days)
    return out[["user_id", "role", "changes", "window_start", "window_end", "distinct_staff"]]


def indicator(rows: pd.DataFrame, context: Context) -> pd.DataFrame:
    """docs/findings.md §6.2: the share of a role's holders in the period flagged for turnover."""
    holders = context.population("role_holders", roles=context.params["roles"], since=context.since,
                                 until=context.until)
    flagged = set(zip(rows["user_id"], rows["role"]))
    holders = holders.assign(flagged=[key in flagged for key in zip(holders["user_id"], holders["role"])])
    return counted("turnover", holders, "flagged", agency="agency_id")


FINDING = Finding(
    name="caseworker_turnover",
    section="5.2",
    columns="user_id:str role:str changes:int window_start:date window_end:date distinct_staff:int",
    sort_key="user_id role",
    memory=caseworker_turnover,
    options=(
        choices("roles", ("caseworker",), "A role to examine.",
                VOCABULARIES["role"], flag="--role"),
        days("window_days", 365, "Length of the sliding window in days."),
        count("min_changes", 3, "Flag when a window holds at least this many changes."),
        date("since", "Count the changes dated on or after this day."),
        date("until", "Count the changes dated on or before this day."),
    ),
    measures=(Measure("turnover"),),
    indicator=indicator,
)
