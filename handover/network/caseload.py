"""Caseloads on one day: users per staff member and role, and users nobody is responsible for."""

from __future__ import annotations

import numpy as np
import pandas as pd

from handover.errors import InputError
from handover.findings.events import episodes_with_agency
from handover.findings.populations import population
from handover.findings.rounding import round_ratio
from handover.model import Dataset
from handover.timeline import active_on

__all__ = ["caseload"]


def caseload(source, *, as_of, max_users: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Who is responsible for how many users on ``as_of``, and who is responsible for nobody.

    Parameters
    ----------
    source : Dataset or engine
        A dataset (its tables are read directly), or an engine (memory or Neo4j), read
        through the populations of :mod:`handover.findings.populations`: on Neo4j the
        day's responsibilities, plans and episodes come from the server, and only these
        two tables are counted here.
    as_of : Timestamp
        The day looked at.
    max_users : int, optional
        Flag staff responsible, in one role, for more than this many users.

    Returns
    -------
    per_staff : pandas.DataFrame
        ``staff_id, profession, role, users, over_limit``: for each staff member and role, the
        distinct users of their responsibilities active on ``as_of``; ``over_limit`` is
        ``users > max_users`` (always false without a limit). Sorted by ``staff_id, role``.
    per_agency : pandas.DataFrame
        ``agency_id, name, users, users_without_responsible, share_without_responsible``:
        for each agency with a responsibility or plan active on ``as_of``, its users (with an
        active plan, episode or responsibility there), those of them without any active
        responsibility at that agency, and their share (rounded half up to 4 decimals).
        Sorted by ``agency_id``.

    Raises
    ------
    InputError
        When ``max_users`` is below 1.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> staff, agencies = caseload(tiny_dataset(), as_of=pd.Timestamp("2024-06-15"))
    >>> staff[["staff_id", "role", "users"]].values.tolist()
    [['st3', 'caseworker', 1]]
    >>> agencies[["agency_id", "users", "users_without_responsible"]].values.tolist()
    [['a1', 3, 2], ['a2', 1, 1]]
    """
    if max_users is not None and max_users < 1:
        raise InputError(f"--max-users: {max_users} must be at least 1")
    day = pd.Timestamp(as_of)
    parts = _from_dataset(source, day) if isinstance(source, Dataset) else _from_engine(source, day)
    return _counted(*parts, max_users=max_users)


def _from_dataset(dataset: Dataset, day: pd.Timestamp):
    """The day's responsibilities, plans and episodes, the professions and the agency names, from the tables."""
    responsibilities = dataset.get("responsibilities")
    responsible = responsibilities[active_on(responsibilities["start"], responsibilities["end"], day)]
    profession = pd.Series(dtype=object)
    if dataset.has("staff") and "profession" in dataset["staff"].columns:
        profession = dataset["staff"].set_index("staff_id")["profession"]
    plans = dataset.get("plans")
    plans = plans[active_on(plans["start"], plans["end"], day)]
    episodes = episodes_with_agency(dataset)
    episodes = episodes[active_on(episodes["start"], episodes["end"], day) & episodes["agency_id"].notna()]
    names = dataset.get("agencies").set_index("agency_id")["name"]
    return responsible, profession, plans, episodes, names


def _from_engine(engine, day: pd.Timestamp):
    """As :func:`_from_dataset`, through the engine's populations (on the snapshot of ``day``)."""
    present = engine.tables_present()

    def has(*tables: str) -> bool:
        return present is None or all(table in present for table in tables)

    responsible = population(engine, "responsibilities_on_day", as_of=day)
    profession = pd.Series(dtype=object)
    if has("staff"):
        professions = population(engine, "staff_professions", as_of=day)
        profession = professions.set_index("staff_id")["profession"]
    plans = pd.DataFrame({"agency_id": pd.Series(dtype=object), "user_id": pd.Series(dtype=object)})
    if has("plans"):
        intervals = population(engine, "plan_intervals", as_of=day)
        plans = intervals[active_on(intervals["start"], intervals["end"], day)]
    episodes = pd.DataFrame({"agency_id": pd.Series(dtype=object), "user_id": pd.Series(dtype=object)})
    if has("episodes", "services"):
        episodes = population(engine, "episodes_on_day", as_of=day)
    names = engine.agency_names().set_index("agency_id")["name"]
    return responsible, profession, plans, episodes, names


def _counted(responsible: pd.DataFrame, profession: pd.Series, plans: pd.DataFrame, episodes: pd.DataFrame,
             names: pd.Series, *, max_users: int | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two caseload tables from the day's rows (the one place they are counted)."""
    per_staff = (responsible.groupby(["staff_id", "role"], sort=True)["user_id"].nunique()
                 .rename("users").reset_index())
    per_staff.insert(1, "profession", per_staff["staff_id"].map(profession).astype(object))
    per_staff["profession"] = per_staff["profession"].where(per_staff["profession"].notna(), None)
    per_staff["users"] = per_staff["users"].astype("int64")
    per_staff["over_limit"] = per_staff["users"] > max_users if max_users is not None else False
    per_staff["over_limit"] = per_staff["over_limit"].astype(bool)

    agencies = pd.Index(responsible["agency_id"]).union(pd.Index(plans["agency_id"]))
    users = pd.concat([responsible[["agency_id", "user_id"]], plans[["agency_id", "user_id"]],
                       episodes[["agency_id", "user_id"]]]).astype(object).drop_duplicates()
    users = users[users["agency_id"].isin(agencies)]
    covered = responsible[["agency_id", "user_id"]].astype(object).drop_duplicates().assign(covered=True)
    users = users.merge(covered, on=["agency_id", "user_id"], how="left")
    users["uncovered"] = users["covered"].isna()
    per_agency = users.groupby("agency_id", sort=True).agg(users=("user_id", "size"),
                                                           users_without_responsible=("uncovered", "sum"))
    per_agency = per_agency.reset_index().astype({"users": "int64", "users_without_responsible": "int64"})
    per_agency.insert(1, "name", per_agency["agency_id"].map(names).astype(object))
    per_agency["share_without_responsible"] = round_ratio(
        per_agency["users_without_responsible"].to_numpy(np.int64), per_agency["users"].to_numpy(np.int64))
    per_agency["share_without_responsible"] = per_agency["share_without_responsible"].astype("float64")
    return per_staff.reset_index(drop=True), per_agency
