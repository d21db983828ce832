"""The field's figures (DOMAIN.md), measured on a dataset: does it look like the field?

Works on any dataset, generated or real, with ``responsibilities``, ``plans``,
``episodes``, ``services``, ``staff`` and ``agencies``; a figure whose tables are
missing is ``nan``.
"""

from __future__ import annotations

import pandas as pd

from handover.findings.discharge_follow_up import discharge_follow_up
from handover.findings.events import episodes_with_agency, handovers
from handover.findings.handover_without_coordinator import handover_without_coordinator
from handover.model import Dataset
from handover.timeline import DAY, active_on, open_end

__all__ = ["measure", "FIGURES"]

#: Each figure :func:`measure` returns, with what the field reports (DOMAIN).
FIGURES: dict[str, str] = {
    "caseworker_changes_per_user_year": "median over users followed at least half a year; 2-3",
    "nav_users_with_individual_plan": "share of users with a NAV caseworker; 16 %",
    "tsb_inpatient_stays_with_individual_plan": "share of TSB inpatient stays; 86 %",
    "median_inpatient_stay_days": "TSB inpatient stays that ended; standard 3 months",
    "caseload_nav_caseworker": "users of a typical user's NAV caseworker, a year before as_of; 70-80",
    "caseload_lar_consultant": "the same for NAV LAR consultants; 170-180",
    "caseload_tsb_inpatient": "TSB inpatients per ward therapist, a year before as_of; about 7",
    "follow_up_7d": "share of index discharges with municipal follow-up within 7 days",
    "follow_up_30d": "share of index discharges with municipal follow-up within 30 days",
    "readmitted_30d": "share of index discharges readmitted within 30 days",
    "handovers_without_coordinator": "share of handovers with no coordinator on the day",
    "deaths": "episodes ended by death",
}


def measure(dataset: Dataset) -> dict[str, float]:
    """Measure the figures of :data:`FIGURES` on ``dataset``.

    Returns
    -------
    dict of str to float
        One value per figure, in the order of :data:`FIGURES`.

    Examples
    --------
    >>> import tempfile
    >>> from handover.generate import generate_dataset
    >>> from handover.io import read_dataset
    >>> folder = tempfile.mkdtemp()
    >>> _ = generate_dataset(folder, users=500, seed=3)
    >>> figures = measure(read_dataset(folder))
    >>> 60 <= figures["median_inpatient_stay_days"] <= 120
    True
    """
    as_of = dataset.latest_date()
    resp = dataset.get("responsibilities")
    agencies = dataset.get("agencies")[["agency_id", "kind"]].rename(columns={"kind": "agency_kind"})
    resp = resp.merge(agencies, on="agency_id", how="left")
    staff = dataset.get("staff")
    resp = resp.merge(staff, on="staff_id", how="left") if len(staff) else resp.assign(profession=None)
    episodes = episodes_with_agency(dataset).merge(agencies, on="agency_id", how="left")
    tsb_stays = episodes[(episodes["service_kind"] == "inpatient") & (episodes["agency_kind"] == "tsb")]
    plans = dataset.get("plans")
    ips = plans[plans["kind"] == "individual_plan"]
    nav_casework = resp[(resp["role"] == "caseworker") & (resp["agency_kind"] == "nav_office")]

    figures = {
        "caseworker_changes_per_user_year": _changes_per_year(nav_casework, as_of),
        "nav_users_with_individual_plan": _share(nav_casework["user_id"].unique(), ips["user_id"]),
        "tsb_inpatient_stays_with_individual_plan": _stays_with_plan(tsb_stays, ips),
        "median_inpatient_stay_days": float(
            (tsb_stays["end"] - tsb_stays["start"]).dt.days.dropna().median()),
        "caseload_nav_caseworker": _caseload(nav_casework[nav_casework["profession"] != "LAR consultant"],
                                             as_of - 365 * DAY),
        "caseload_lar_consultant": _caseload(nav_casework[nav_casework["profession"] == "LAR consultant"],
                                             as_of - 365 * DAY),
        "caseload_tsb_inpatient": _ward_caseload(resp, tsb_stays, as_of - 365 * DAY),
    }
    audit = discharge_follow_up(dataset)
    for column in ("follow_up_7d", "follow_up_30d", "readmitted_30d"):
        figures[column] = float(audit[column].mean()) if len(audit) else float("nan")
    every = handovers(dataset)
    figures["handovers_without_coordinator"] = (
        len(handover_without_coordinator(dataset)) / len(every) if len(every) else float("nan"))
    figures["deaths"] = float((episodes["discharge_kind"] == "death").sum())
    return figures


def _share(among, having: pd.Series) -> float:
    among = pd.Index(among)
    return float(among.isin(having).mean()) if len(among) else float("nan")


def _changes_per_year(casework: pd.DataFrame, as_of: pd.Timestamp) -> float:
    casework = casework.sort_values(["user_id", "start", "staff_id"], kind="stable")
    same_user = casework["user_id"].eq(casework["user_id"].shift())
    casework = casework.assign(change=same_user & casework["staff_id"].ne(casework["staff_id"].shift()),
                               until=open_end(casework["end"]).clip(upper=as_of))
    per_user = casework.groupby("user_id").agg(changes=("change", "sum"), start=("start", "min"),
                                               end=("until", "max"))
    years = (per_user["end"] - per_user["start"]).dt.days / 365.25
    followed = years >= 0.5
    return float((per_user["changes"][followed] / years[followed]).median())


def _stays_with_plan(stays: pd.DataFrame, ips: pd.DataFrame) -> float:
    if stays.empty:
        return float("nan")
    pairs = stays[["episode_id", "user_id", "agency_id", "start", "end"]].merge(
        ips[["user_id", "agency_id", "start", "end"]], on=["user_id", "agency_id"], suffixes=("", "_plan"))
    overlap = (pairs["start_plan"] < open_end(pairs["end"])) & (pairs["start"] < open_end(pairs["end_plan"]))
    return float(stays["episode_id"].isin(pairs.loc[overlap, "episode_id"]).mean())


def _caseload(responsibilities: pd.DataFrame, day: pd.Timestamp) -> float:
    """The median, over users, of their responsible person's number of users on ``day``."""
    active = responsibilities[active_on(responsibilities["start"], responsibilities["end"], day)]
    counts = active.groupby("staff_id")["user_id"].transform("nunique")
    return float(counts.median()) if len(counts) else float("nan")


def _ward_caseload(resp: pd.DataFrame, stays: pd.DataFrame, day: pd.Timestamp) -> float:
    """Inpatients on ``day`` per therapist who took them on during their stay."""
    in_stay = stays[active_on(stays["start"], stays["end"], day)]
    therapists = resp[(resp["role"] == "therapist") & active_on(resp["start"], resp["end"], day)]
    ward = therapists.merge(in_stay[["user_id", "agency_id", "start"]], on=["user_id", "agency_id"],
                            suffixes=("", "_stay"))
    ward = ward[ward["start"] >= ward["start_stay"]]
    staff = ward["staff_id"].nunique()
    return in_stay["user_id"].nunique() / staff if staff else float("nan")
