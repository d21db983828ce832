"""Parallel plans: one user, plans at different agencies at the same time (DESIGN §5.3)."""

from __future__ import annotations

from typing import Iterable

import pandas as pd

from handover.model import Dataset
from handover.timeline import active_on, days_between, overlap

__all__ = ["parallel_plans", "dormant_plans"]


def parallel_plans(
    dataset: Dataset,
    *,
    as_of: pd.Timestamp,
    kinds: Iterable[str] | None = None,
    min_overlap_days: int = 1,
) -> pd.DataFrame:
    """Pairs of one user's plans, held by different agencies, whose intervals overlap.

    Parameters
    ----------
    dataset : Dataset
    as_of : Timestamp
        Closes open overlaps when counting ``overlap_days``.
    kinds : iterable of str, optional
        Keep pairs where both plans are of one of these kinds (default: all kinds).
    min_overlap_days : int
        Keep pairs overlapping at least this many days.

    Returns
    -------
    pandas.DataFrame
        The columns of DESIGN §5.3 (raw; the facade sorts and types them), one row per
        unordered pair with ``plan_a_id < plan_b_id``.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> ds = tiny_dataset()
    >>> parallel_plans(ds, as_of=ds.latest_date())[["plan_a_id", "plan_b_id", "overlap_days"]].values.tolist()
    [['p10', 'p9', 31]]
    """
    plans = dataset.get("plans")[["plan_id", "user_id", "agency_id", "kind", "start", "end"]]
    if kinds is not None:
        plans = plans[plans["kind"].isin(list(kinds))]
    pairs = plans.merge(plans, on="user_id", suffixes=("_a", "_b"))
    pairs = pairs[(pairs["plan_id_a"] < pairs["plan_id_b"]) & (pairs["agency_id_a"] != pairs["agency_id_b"])]
    start, end, overlaps = overlap(pairs["start_a"], pairs["end_a"], pairs["start_b"], pairs["end_b"])
    days = days_between(start, end.fillna(as_of)).clip(lower=0)
    keep = overlaps & (days >= min_overlap_days)
    return pd.DataFrame({
        "user_id": pairs["user_id"],
        "plan_a_id": pairs["plan_id_a"],
        "agency_a_id": pairs["agency_id_a"],
        "kind_a": pairs["kind_a"],
        "plan_b_id": pairs["plan_id_b"],
        "agency_b_id": pairs["agency_id_b"],
        "kind_b": pairs["kind_b"],
        "overlap_start": start,
        "overlap_end": end,
        "overlap_days": days,
    })[keep].reset_index(drop=True)


def dormant_plans(dataset: Dataset, *, as_of: pd.Timestamp, max_age_days: int = 365) -> pd.DataFrame:
    """Individual plans active on ``as_of`` that nobody has revised for too long.

    The age is measured from ``last_revised``, or from ``start`` when the plan was
    never revised; a plan is dormant when that date lies more than ``max_age_days``
    before ``as_of``.

    Returns
    -------
    pandas.DataFrame
        The columns of DESIGN §5.6 (raw; the facade sorts and types them);
        ``last_revised`` shows the date used.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> dormant_plans(tiny_dataset(), as_of=pd.Timestamp("2025-06-01"))[["plan_id", "days_since_revision"]].values.tolist()
    [['p9', 517]]
    """
    plans = dataset.get("plans")
    plans = plans[(plans["kind"] == "individual_plan") & active_on(plans["start"], plans["end"], as_of)]
    revised = plans["last_revised"].fillna(plans["start"])
    age = days_between(revised, pd.Series(as_of, index=plans.index))
    out = plans.assign(last_revised=revised, days_since_revision=age)
    return out.loc[age > max_age_days, ["user_id", "plan_id", "agency_id", "last_revised", "days_since_revision"]]
