"""Dormant plans: individual plans nobody has revised for too long (docs/findings.md §5.6)."""

from __future__ import annotations

import pandas as pd

from handover.findings.events import within
from handover.findings.indicators import Context, counted, tidy
from handover.findings.spec import Finding, Measure, date, days
from handover.model import Dataset
from handover.timeline import active_on, days_between


__all__ = ["dormant_plans", "FINDING"]

def dormant_plans(dataset: Dataset, *, as_of: pd.Timestamp, max_age_days: int = 365,
                  since: pd.Timestamp | None = None, until: pd.Timestamp | None = None) -> pd.DataFrame:
    """Individual plans active on ``as_of`` that nobody has revised for too long.

    The age is measured from ``last_revised``, or from ``start`` when the plan was
    never revised; a plan is dormant when that date lies more than ``max_age_days``
    before ``as_of``. It fell dormant on the day after: ``last_revised + max_age_days +
    1``; with ``since``/``until`` only plans that fell dormant in the period are kept.

    Returns
    -------
    pandas.DataFrame
        The columns of docs/findings.md §5.6 (raw; the facade sorts and types them);
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
    dormant_since = revised + pd.Timedelta(days=max_age_days + 1)
    keep = (age > max_age_days) & within(dormant_since, since, until)
    return out.loc[keep, ["user_id", "plan_id", "agency_id", "last_revised", "days_since_revision"]]


def _dormant_on(plans: pd.DataFrame, day: pd.Timestamp, max_age_days: int) -> pd.DataFrame:
    """The individual plans active on ``day``, flagged when dormant on that day's snapshot."""
    active = plans[active_on(plans["start"], plans["end"], day)]
    revised = active["last_revised"].where(active["last_revised"] <= day).fillna(active["start"])
    return active.assign(dormant=days_between(revised, pd.Series(day, index=active.index)) > max_age_days)


def indicator(rows: pd.DataFrame, context: Context) -> pd.DataFrame:
    """docs/findings.md §6.6: the share of active individual plans that are dormant, on ``as_of``
    and on the last day of each period."""
    plans = context.population("plan_intervals")
    plans = plans[plans["kind"] == "individual_plan"]
    max_age = context.params["max_age_days"]
    # On the last day of the report period (as_of unless --until is earlier), on its own snapshot.
    parts = [counted("dormant", _dormant_on(plans, context.last, max_age), "dormant", agency="agency_id")]
    for key, _, stop in context.periods(plans["start"].min() if len(plans) else None):
        on = _dormant_on(plans, min(stop - pd.Timedelta(days=1), context.as_of), max_age)
        parts.append(tidy("dormant", "period", [key], [int(on["dormant"].sum())], [len(on)]))
    return pd.concat(parts, ignore_index=True)


FINDING = Finding(
    name="dormant_plans",
    section="5.6",
    columns="user_id:str plan_id:str agency_id:str last_revised:date days_since_revision:int",
    sort_key="user_id plan_id",
    memory=dormant_plans,
    options=(
        days("max_age_days", 365, "Flag plans not revised for more than this many days."),
        date("since", "Keep plans that fell dormant on or after this day."),
        date("until", "Keep plans that fell dormant on or before this day."),
    ),
    needs=("plans",),
    uses_as_of=True,
    measures=(Measure("dormant"),),
    indicator=indicator,
)
