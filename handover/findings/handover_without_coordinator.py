"""Handovers without a coordinator (docs/findings.md §5.1)."""

from __future__ import annotations

import pandas as pd

from handover.findings.events import handovers, responsible_on, within
from handover.findings.indicators import Context, counted
from handover.findings.spec import Finding, Measure, choice, date, days
from handover.model import VOCABULARIES, Dataset


__all__ = ["handover_without_coordinator", "FINDING"]

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
        The columns of docs/findings.md §5.1 (raw; the facade sorts and types them).

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


def indicator(rows: pd.DataFrame, context: Context) -> pd.DataFrame:
    """docs/findings.md §6.1: the share of handovers without a coordinator, among every handover."""
    every = context.population("handovers", window_days=context.params["window_days"],
                               role=context.params["role"], since=context.since, until=context.until)
    return counted("without_coordinator", every.assign(without=~every["covered"]), "without",
                   agency="from_agency_id", date="handover_date", context=context)


FINDING = Finding(
    name="handover_without_coordinator",
    section="5.1",
    columns="user_id:str from_episode_id:str from_agency_id:str to_episode_id:str "
            "to_agency_id:str handover_date:date next_start_date:date gap_days:int",
    sort_key="user_id handover_date from_episode_id",
    memory=handover_without_coordinator,
    options=(
        days("window_days", 30, "Days after an episode's end in which the next episode may start."),
        choice("role", "coordinator", "The role whose absence on the handover day is flagged.",
               VOCABULARIES["role"]),
        date("since", "Keep handovers dated on or after this day."),
        date("until", "Keep handovers dated on or before this day."),
    ),
    needs=("episodes", "services"),
    measures=(Measure("without_coordinator"),),
    indicator=indicator,
)
