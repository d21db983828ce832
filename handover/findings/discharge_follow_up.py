"""The transition audit: what happens after discharge from a stay (docs/findings.md §5.4)."""

from __future__ import annotations

from typing import Iterable

import pandas as pd

from handover.findings.events import episodes_with_agency, responsible_on, within
from handover.findings.indicators import Context, counted
from handover.findings.spec import Finding, Measure, choice, choices, date, days
from handover.model import STAY_SERVICE_KINDS, VOCABULARIES, Dataset
from handover.timeline import DAY, days_between


__all__ = ["FOLLOW_UP_BY", "index_discharges", "discharge_follow_up", "FINDING"]

#: Which agencies' contacts and episode starts count as follow-up.
FOLLOW_UP_BY = ("municipal", "other-agency", "any")


def _stays(dataset: Dataset, stay_kinds: Iterable[str]) -> pd.DataFrame:
    episodes = episodes_with_agency(dataset)
    return episodes[episodes["service_kind"].isin(list(stay_kinds))]


def index_discharges(
    dataset: Dataset,
    *,
    stay_kinds: Iterable[str] = STAY_SERVICE_KINDS,
    since: pd.Timestamp | None = None,
    until: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Discharges from stays that end a chain of stays, excluding deaths.

    A stay followed by another stay of the same user starting within
    ``[end, end + 1 day]`` is part of a chain; the chain counts once, at its last
    discharge.

    Returns
    -------
    pandas.DataFrame
        The stay episodes (with ``agency_id``) that are index discharges.
    """
    stays = _stays(dataset, stay_kinds)
    ended = stays[stays["end"].notna() & (stays["discharge_kind"].fillna("") != "death")]
    ended = ended[within(ended["end"], since, until)]
    pairs = ended[["episode_id", "user_id", "end"]].merge(
        stays[["episode_id", "user_id", "start"]], on="user_id", suffixes=("", "_next"))
    continued = pairs[
        (pairs["episode_id"] != pairs["episode_id_next"])
        & (pairs["start"] >= pairs["end"]) & (pairs["start"] <= pairs["end"] + DAY)
    ]["episode_id"]
    return ended[~ended["episode_id"].isin(continued)].reset_index(drop=True)


def _follow_up_events(dataset: Dataset, users: pd.Series) -> pd.DataFrame:
    """Contacts and episode starts of ``users``, with the agency and its level."""
    contacts = dataset.get("contacts")
    contacts = contacts.loc[contacts["user_id"].isin(users), ["user_id", "agency_id", "date"]]
    episodes = episodes_with_agency(dataset)
    episodes = episodes.loc[episodes["user_id"].isin(users), ["user_id", "agency_id", "start"]]
    events = pd.concat([contacts, episodes.rename(columns={"start": "date"})], ignore_index=True)
    agencies = dataset.get("agencies")
    events["level"] = events["agency_id"].map(agencies.set_index("agency_id")["level"])
    return events


def discharge_follow_up(
    dataset: Dataset,
    *,
    follow_up_by: str = "municipal",
    max_days: int = 30,
    stay_kinds: Iterable[str] = STAY_SERVICE_KINDS,
    since: pd.Timestamp | None = None,
    until: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Every index discharge with its coordinator, first follow-up and readmission.

    Parameters
    ----------
    dataset : Dataset
    follow_up_by : {"municipal", "other-agency", "any"}
        Whose contacts and episode starts count as follow-up: agencies of level
        ``municipal``, any agency but the discharging one, or any agency.
    max_days : int
        Follow-up counts in ``[d + 1, d + max_days]``; the discharge day never counts.
    stay_kinds : iterable of str
        Service kinds whose episodes are stays.
    since, until : Timestamp, optional
        Keep discharges with ``since <= d <= until``.

    Returns
    -------
    pandas.DataFrame
        The columns of docs/findings.md §5.4 (raw; the facade sorts and types them).

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> rows = discharge_follow_up(tiny_dataset())
    >>> rows[["episode_id", "first_follow_up_date", "days_to_follow_up", "follow_up_7d"]].values.tolist()
    [['e1', Timestamp('2024-03-03 00:00:00'), 2, True]]
    """
    stay_kinds = list(stay_kinds)
    index = index_discharges(dataset, stay_kinds=stay_kinds, since=since, until=until)
    index = index[["user_id", "episode_id", "agency_id", "end", "discharge_kind"]].rename(
        columns={"end": "discharge_date"})

    on_duty = responsible_on(dataset, "coordinator", index, "discharge_date")
    # The smallest id: sorted first, then the first per discharge (min() on str loops in Python).
    coordinator = (on_duty.sort_values("staff_id").groupby("event")["staff_id"].first()
                   .rename("coordinator_staff_id"))

    events = index[["episode_id", "user_id", "agency_id", "discharge_date"]].merge(
        _follow_up_events(dataset, index["user_id"].drop_duplicates()), on="user_id",
        suffixes=("", "_event"))
    in_time = (events["date"] >= events["discharge_date"] + DAY) & (
        events["date"] <= events["discharge_date"] + pd.Timedelta(days=max_days))
    if follow_up_by == "municipal":
        by_whom = events["level"] == "municipal"
    elif follow_up_by == "other-agency":
        by_whom = events["agency_id_event"] != events["agency_id"]
    else:
        by_whom = pd.Series(True, index=events.index)
    first = events[in_time & by_whom].groupby("episode_id")["date"].min().rename("first_follow_up_date")

    stays = _stays(dataset, stay_kinds)[["user_id", "episode_id", "start"]]
    later = index[["episode_id", "user_id", "discharge_date"]].merge(stays, on="user_id", suffixes=("", "_next"))
    readmitted = later[
        (later["episode_id_next"] != later["episode_id"])
        & (later["start"] >= later["discharge_date"] + 2 * DAY)
        & (later["start"] <= later["discharge_date"] + 30 * DAY)
    ]["episode_id"]

    out = index.join(coordinator).join(first, on="episode_id")
    out["days_to_follow_up"] = days_between(out["discharge_date"], out["first_follow_up_date"]).astype("Int64")
    out["follow_up_7d"] = (out["days_to_follow_up"] <= 7).fillna(False).astype(bool)
    out["follow_up_30d"] = (out["days_to_follow_up"] <= 30).fillna(False).astype(bool)
    out["readmitted_30d"] = out["episode_id"].isin(readmitted)
    return out.reset_index(drop=True)


def indicator(rows: pd.DataFrame, context: Context) -> pd.DataFrame:
    """docs/findings.md §6.4: follow-up within 7 and 30 days, and a coordinator at discharge, among
    index discharges."""
    units = rows.assign(coordinator=rows["coordinator_staff_id"].notna())
    return pd.concat([counted(measure, units, column, agency="agency_id", date="discharge_date", context=context)
                      for measure, column in (("follow_up_7d", "follow_up_7d"), ("follow_up_30d", "follow_up_30d"),
                                              ("coordinator_at_discharge", "coordinator"))], ignore_index=True)


FINDING = Finding(
    name="discharge_follow_up",
    section="5.4",
    columns="user_id:str episode_id:str agency_id:str discharge_date:date discharge_kind:str "
            "coordinator_staff_id:str first_follow_up_date:date days_to_follow_up:int "
            "follow_up_7d:bool follow_up_30d:bool readmitted_30d:bool",
    sort_key="user_id discharge_date episode_id",
    memory=discharge_follow_up,
    options=(
        choice("follow_up_by", "municipal", "Whose contacts and episode starts count as follow-up: "
               "municipal (agencies of level municipal), other-agency (any but the discharging "
               "one) or any.", FOLLOW_UP_BY),
        days("max_days", 30, "Follow-up counts on days 1 to this after the discharge."),
        choices("stay_kinds", STAY_SERVICE_KINDS, "A service kind whose episodes are stays.", VOCABULARIES["service_kind"], flag="--stay-kind"),
        date("since", "Keep discharges on or after this day."),
        date("until", "Keep discharges on or before this day."),
    ),
    needs=("episodes", "services"),
    measures=(
        Measure("follow_up_7d", good=True),
        Measure("follow_up_30d", good=True),
        Measure("coordinator_at_discharge", good=True),
    ),
    indicator=indicator,
)
