"""Coordinator gaps: days on an individual plan with nobody in overall charge (docs/findings.md §5.5)."""

from __future__ import annotations

import pandas as pd

from handover.findings.events import coverage, in_period
from handover.findings.indicators import Context, days_inside, tidy
from handover.findings.spec import Finding, Measure, date, days
from handover.model import Dataset
from handover.timeline import days_between, open_end


__all__ = ["coordinator_gaps", "FINDING"]

def coordinator_gaps(dataset: Dataset, *, as_of: pd.Timestamp, min_gap_days: int = 14,
                     since: pd.Timestamp | None = None, until: pd.Timestamp | None = None) -> pd.DataFrame:
    """Stretches of an individual plan on which the user had no coordinator.

    Each plan of kind ``individual_plan`` is clipped to ``[start, min(end, as_of))``;
    its days without an active coordinator (at any agency) form maximal gaps, and
    gaps of at least ``min_gap_days`` are reported.

    Parameters
    ----------
    dataset : Dataset
    as_of : Timestamp
        Where open plans are cut off.
    min_gap_days : int
        The shortest gap reported.
    since, until : Timestamp, optional
        Keep gaps that run on some day from ``since`` to ``until`` (a gap still open on
        ``as_of`` runs on every day from its start).

    Returns
    -------
    pandas.DataFrame
        The columns of docs/findings.md §5.5 (raw; the facade sorts and types them). ``gap_end``
        is missing when the gap runs to ``as_of`` on a plan still open then.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> ds = tiny_dataset()
    >>> coordinator_gaps(ds, as_of=ds.latest_date())[["plan_id", "gap_days"]].values.tolist()
    [['p9', 213]]
    """
    plans = dataset.get("plans")
    plans = plans.loc[plans["kind"] == "individual_plan", ["plan_id", "user_id", "agency_id", "start", "end"]]
    plans = plans.assign(clip_end=open_end(plans["end"]).clip(upper=as_of))
    plans = plans[plans["start"] < plans["clip_end"]]

    # Covered pieces of each plan, in order; the gaps lie before, between and after them.
    pieces = plans[["plan_id", "user_id", "start", "clip_end"]].merge(
        coverage(dataset), on="user_id", suffixes=("", "_cover"))
    pieces["piece_start"] = pieces[["start", "start_cover"]].max(axis=1)
    pieces["piece_end"] = pd.concat([pieces["clip_end"], open_end(pieces["end"])], axis=1).min(axis=1)
    pieces = pieces[pieces["piece_start"] < pieces["piece_end"]].sort_values(["plan_id", "piece_start"])
    before = pieces.groupby("plan_id")["piece_end"].shift().fillna(pieces["start"])
    inner = pd.DataFrame({"plan_id": pieces["plan_id"], "gap_start": before, "gap_end": pieces["piece_start"]})
    last_end = pieces.groupby("plan_id")["piece_end"].max()
    tail = plans[["plan_id", "start", "clip_end"]].join(last_end, on="plan_id")
    tail = pd.DataFrame({"plan_id": tail["plan_id"], "gap_start": tail["piece_end"].fillna(tail["start"]),
                         "gap_end": tail["clip_end"]})

    gaps = pd.concat([inner, tail], ignore_index=True)
    gaps = gaps[gaps["gap_start"] < gaps["gap_end"]].merge(plans, on="plan_id")
    gaps["gap_days"] = days_between(gaps["gap_start"], gaps["gap_end"])
    gaps = gaps[gaps["gap_days"] >= min_gap_days]
    still_open = gaps["end"].isna() | (gaps["end"] > as_of)
    gaps["gap_end"] = gaps["gap_end"].where(~(still_open & (gaps["gap_end"] == as_of)))
    gaps = gaps[in_period(gaps["gap_start"], gaps["gap_end"], since, until)]
    return gaps[["user_id", "plan_id", "agency_id", "gap_start", "gap_end", "gap_days"]].reset_index(drop=True)


def indicator(rows: pd.DataFrame, context: Context) -> pd.DataFrame:
    """docs/findings.md §6.5: the share of individual-plan days inside the period that lie in a gap."""
    plans = context.population("plan_intervals")
    plans = plans[plans["kind"] == "individual_plan"]
    plan_end = open_end(plans["end"]).clip(upper=context.as_of)
    gap_end = rows["gap_end"].fillna(context.as_of)
    first = context.since if context.since is not None else (plans["start"].min() if len(plans) else context.as_of)
    stop = context.last + pd.Timedelta(days=1)

    def sums(start, end, agencies, lo, hi):
        days = pd.Series(days_inside(start, end, lo, hi), index=start.index)
        return days.sum(), days.groupby(agencies).sum()

    gap_total, gap_by = sums(rows["gap_start"], gap_end, rows["agency_id"], first, stop)
    plan_total, plan_by = sums(plans["start"], plan_end, plans["agency_id"], first, stop)
    gap_by = gap_by.reindex(plan_by.index, fill_value=0)
    parts = [tidy("days_without_coordinator", "overall", "", [gap_total], [plan_total]),
             tidy("days_without_coordinator", "agency", plan_by.index.to_numpy(object), gap_by, plan_by)]
    for key, lo, hi in context.periods(first):
        gaps, _ = sums(rows["gap_start"], gap_end, rows["agency_id"], lo, hi)
        days, _ = sums(plans["start"], plan_end, plans["agency_id"], lo, hi)
        parts.append(tidy("days_without_coordinator", "period", [key], [gaps], [days]))
    return pd.concat(parts, ignore_index=True)


FINDING = Finding(
    name="coordinator_gaps",
    section="5.5",
    columns="user_id:str plan_id:str agency_id:str gap_start:date gap_end:date gap_days:int",
    sort_key="user_id plan_id gap_start",
    memory=coordinator_gaps,
    options=(
        days("min_gap_days", 14, "Report gaps of at least this many days."),
        date("since", "Keep gaps running on or after this day."),
        date("until", "Keep gaps running on or before this day."),
    ),
    needs=("plans",),
    uses_as_of=True,
    measures=(Measure("days_without_coordinator"),),
    indicator=indicator,
)
