"""Parallel plans: one user, plans at different agencies at the same time (docs/findings.md §5.3)."""

from __future__ import annotations

from typing import Iterable

import pandas as pd

from handover.findings.events import in_period
from handover.findings.indicators import Context, counted, tidy
from handover.findings.spec import Finding, Measure, choices, date, days
from handover.model import VOCABULARIES, Dataset
from handover.timeline import days_between, overlap


__all__ = ["parallel_plans", "FINDING"]

def parallel_plans(
    dataset: Dataset,
    *,
    as_of: pd.Timestamp,
    kinds: Iterable[str] | None = None,
    min_overlap_days: int = 1,
    since: pd.Timestamp | None = None,
    until: pd.Timestamp | None = None,
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
    since, until : Timestamp, optional
        Keep pairs whose overlap runs on some day from ``since`` to ``until`` (an open
        overlap runs on every day from its start).

    Returns
    -------
    pandas.DataFrame
        The columns of docs/findings.md §5.3 (raw; the facade sorts and types them), one row per
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
    keep = overlaps & (days >= min_overlap_days) & in_period(start, end, since, until)
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


def indicator(rows: pd.DataFrame, context: Context) -> pd.DataFrame:
    """docs/findings.md §6.3: the share of users with a plan in the period who hold parallel plans."""
    plans = context.population("plan_intervals")
    kinds = context.params["kinds"]
    if kinds is not None:
        plans = plans[plans["kind"].isin(list(kinds))]
    plans = plans[in_period(plans["start"], plans["end"], context.since, context.until)]
    holders = plans[["user_id"]].drop_duplicates()
    parallel = set(rows["user_id"])
    parts = [counted("parallel_plans", holders.assign(flag=holders["user_id"].isin(parallel)), "flag")
             .query("scope == 'overall'")]
    at = set(zip(rows["user_id"], rows["agency_a_id"])) | set(zip(rows["user_id"], rows["agency_b_id"]))
    by_agency = plans[["user_id", "agency_id"]].drop_duplicates()
    by_agency = by_agency.assign(flag=[key in at for key in zip(by_agency["user_id"], by_agency["agency_id"])])
    parts.append(counted("parallel_plans", by_agency, "flag", agency="agency_id").query("scope == 'agency'"))
    for key, first, stop in context.periods(plans["start"].min() if len(plans) else None):
        last = stop - pd.Timedelta(days=1)
        users = set(plans.loc[in_period(plans["start"], plans["end"], first, last), "user_id"])
        pairs = set(rows.loc[in_period(rows["overlap_start"], rows["overlap_end"], first, last), "user_id"])
        parts.append(tidy("parallel_plans", "period", [key], [len(pairs & users)], [len(users)]))
    return pd.concat(parts, ignore_index=True)


FINDING = Finding(
    name="parallel_plans",
    section="5.3",
    columns="user_id:str plan_a_id:str agency_a_id:str kind_a:str plan_b_id:str "
            "agency_b_id:str kind_b:str overlap_start:date overlap_end:date overlap_days:int",
    sort_key="user_id plan_a_id plan_b_id",
    memory=parallel_plans,
    options=(
        choices("kinds", None, "Keep pairs where both plans are of these kinds.", VOCABULARIES["plan_kind"], flag="--kind"),
        days("min_overlap_days", 1, "Keep pairs overlapping at least this many days."),
        date("since", "Keep pairs whose plans overlap on or after this day."),
        date("until", "Keep pairs whose plans overlap on or before this day."),
    ),
    needs=("plans",),
    uses_as_of=True,
    measures=(Measure("parallel_plans"),),
    indicator=indicator,
)
