"""Caseloads on one day: users per staff member and role, and users nobody is responsible for."""

from __future__ import annotations

import numpy as np
import pandas as pd

from handover.errors import InputError
from handover.findings.events import episodes_with_agency
from handover.findings.rounding import round_ratio
from handover.model import Dataset
from handover.timeline import active_on

__all__ = ["caseload"]


def caseload(dataset: Dataset, *, as_of, max_users: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Who is responsible for how many users on ``as_of``, and who is responsible for nobody.

    Parameters
    ----------
    dataset : Dataset
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
    responsibilities = dataset.get("responsibilities")
    responsible = responsibilities[active_on(responsibilities["start"], responsibilities["end"], as_of)]
    per_staff = (responsible.groupby(["staff_id", "role"], sort=True)["user_id"].nunique()
                 .rename("users").reset_index())
    profession = pd.Series(dtype=object)
    if dataset.has("staff") and "profession" in dataset["staff"].columns:
        profession = dataset["staff"].set_index("staff_id")["profession"]
    per_staff.insert(1, "profession", per_staff["staff_id"].map(profession).astype(object))
    per_staff["profession"] = per_staff["profession"].where(per_staff["profession"].notna(), None)
    per_staff["users"] = per_staff["users"].astype("int64")
    per_staff["over_limit"] = per_staff["users"] > max_users if max_users is not None else False
    per_staff["over_limit"] = per_staff["over_limit"].astype(bool)

    plans = dataset.get("plans")
    plans = plans[active_on(plans["start"], plans["end"], as_of)]
    episodes = episodes_with_agency(dataset)
    episodes = episodes[active_on(episodes["start"], episodes["end"], as_of) & episodes["agency_id"].notna()]
    agencies = pd.Index(responsible["agency_id"]).union(pd.Index(plans["agency_id"]))
    users = pd.concat([responsible[["agency_id", "user_id"]], plans[["agency_id", "user_id"]],
                       episodes[["agency_id", "user_id"]]]).astype(object).drop_duplicates()
    users = users[users["agency_id"].isin(agencies)]
    covered = responsible[["agency_id", "user_id"]].drop_duplicates().assign(covered=True)
    users = users.merge(covered, on=["agency_id", "user_id"], how="left")
    users["uncovered"] = users["covered"].isna()
    per_agency = users.groupby("agency_id", sort=True).agg(users=("user_id", "size"),
                                                           users_without_responsible=("uncovered", "sum"))
    per_agency = per_agency.reset_index().astype({"users": "int64", "users_without_responsible": "int64"})
    names = dataset.get("agencies").set_index("agency_id")["name"]
    per_agency.insert(1, "name", per_agency["agency_id"].map(names).astype(object))
    per_agency["share_without_responsible"] = round_ratio(
        per_agency["users_without_responsible"].to_numpy(np.int64), per_agency["users"].to_numpy(np.int64))
    per_agency["share_without_responsible"] = per_agency["share_without_responsible"].astype("float64")
    return per_staff.reset_index(drop=True), per_agency
