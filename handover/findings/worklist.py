"""Today's worklist for team leaders: who needs someone to act, as the data stand on the as-of day.

Three lists, each row with the agency and the responsible staff member's id (pseudonymous
ids only; worklists are for the service itself and never suppressed):

``no_coordinator``
    Users who on the day hold an active individual plan, or are served by two or more
    agencies (an episode running, or a plan of any kind active, at each), and have nobody
    in the coordinator role. One row per user and serving agency; ``holds`` says why the
    user needs a coordinator (``individual_plan``, ``services`` at several agencies, or
    ``both``); ``agencies`` counts the serving agencies; ``staff_id`` and ``role`` name the
    staff member with a running responsibility for the user at that agency (the smallest
    staff id), empty when there is none.
``turnover``
    Users whose caseworker changed at least 3 times in the last 365 days up to the day
    (docs/findings.md §5.2 with ``--since`` 364 days before the day): ``agency_id`` is the
    agency of their latest caseworker responsibility, ``staff_id`` the caseworker on the day
    (the smallest id), empty when there is none now.
``dormant``
    Individual plans dormant on the day (§5.6, default options), with the user's
    coordinator on the day as the responsible staff member (the smallest id), empty when
    there is none.

Everything is counted from the findings and the populations of
:mod:`handover.findings.populations`, so the lists are the same on every engine.

Examples
--------
>>> from handover.engines import MemoryEngine
>>> from handover.examples import tiny_dataset
>>> lists = worklist(MemoryEngine(tiny_dataset()), as_of=pd.Timestamp("2024-06-15"))
>>> lists["no_coordinator"][["user_id", "agency_id", "holds"]].values.tolist()
[['u3', 'a1', 'both'], ['u3', 'a2', 'both']]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from handover.errors import InputError
from handover.findings.populations import population
from handover.findings.schema import ResultSchema, finalize

__all__ = ["WORKLISTS", "worklist", "TURNOVER_DAYS", "TURNOVER_CHANGES"]

#: The worklist's look-back for caseworker changes, in days, and the changes that flag a user.
TURNOVER_DAYS = 365
TURNOVER_CHANGES = 3


def _schema(name: str, columns: str, sort_key: str) -> ResultSchema:
    return ResultSchema(name, tuple(tuple(part.split(":")) for part in columns.split()), tuple(sort_key.split()))


#: Each list's columns, in order, and sort key.
WORKLISTS: dict[str, ResultSchema] = {
    "no_coordinator": _schema("no_coordinator", "user_id:str agency_id:str agency_name:str holds:str agencies:int "
                              "staff_id:str role:str", "user_id agency_id"),
    "turnover": _schema("turnover", "user_id:str changes:int window_start:date agency_id:str agency_name:str "
                        "staff_id:str", "user_id"),
    "dormant": _schema("dormant", "user_id:str plan_id:str agency_id:str agency_name:str last_revised:date "
                       "days_since_revision:int staff_id:str", "user_id plan_id"),
}


def _smallest_staff(responsibilities: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Per ``keys``, the responsibility with the smallest staff id (and its role)."""
    ordered = responsibilities.sort_values(keys + ["staff_id", "role"], kind="stable")
    return ordered.drop_duplicates(keys)[keys + ["staff_id", "role"]]


def _named(frame: pd.DataFrame, names: pd.DataFrame) -> pd.DataFrame:
    return frame.merge(names.rename(columns={"name": "agency_name"}), on="agency_id", how="left")


def _no_coordinator(engine, as_of, names) -> pd.DataFrame:
    responsible = population(engine, "responsibilities_on_day", as_of=as_of)
    coordinated = set(responsible.loc[responsible["role"] == "coordinator", "user_id"])
    plans = population(engine, "plan_intervals", as_of=as_of)
    plans = plans[plans["end"].isna()]  # active on the day: on its snapshot an open plan has no end
    try:
        episodes = population(engine, "episodes_on_day", as_of=as_of)
    except InputError:  # no episodes or services: plans are what serve the users
        episodes = pd.DataFrame({"user_id": pd.Series(dtype=object), "agency_id": pd.Series(dtype=object)})
    serving = pd.concat([plans[["user_id", "agency_id"]], episodes[["user_id", "agency_id"]]]).drop_duplicates()
    serving = serving[~serving["user_id"].isin(coordinated)]
    agencies = serving.groupby("user_id")["agency_id"].transform("size")
    with_plan = set(plans.loc[plans["kind"] == "individual_plan", "user_id"])
    plan = serving["user_id"].isin(with_plan).to_numpy()
    several = (agencies >= 2).to_numpy()
    rows = serving.assign(agencies=agencies, holds=np.select([plan & several, plan], ["both", "individual_plan"],
                                                            "services"))[plan | several]
    staff = _smallest_staff(responsible, ["user_id", "agency_id"])
    rows = _named(rows.merge(staff, on=["user_id", "agency_id"], how="left"), names)
    return finalize(rows[WORKLISTS["no_coordinator"].column_names], WORKLISTS["no_coordinator"])


def _turnover(engine, as_of, names) -> pd.DataFrame:
    from handover.findings import find  # the registry imports this module

    since = as_of - pd.Timedelta(days=TURNOVER_DAYS - 1)
    rows = find(engine, "caseworker_turnover", as_of=as_of, since=since, until=as_of,
                roles=("caseworker",), window_days=TURNOVER_DAYS, min_changes=TURNOVER_CHANGES)
    holders = population(engine, "role_holders", as_of=as_of, roles=("caseworker",), since=since, until=as_of)
    responsible = population(engine, "responsibilities_on_day", as_of=as_of)
    now = _smallest_staff(responsible[responsible["role"] == "caseworker"], ["user_id"])
    rows = rows.merge(holders[["user_id", "agency_id"]], on="user_id", how="left")
    rows = _named(rows.merge(now[["user_id", "staff_id"]], on="user_id", how="left"), names)
    return finalize(rows[WORKLISTS["turnover"].column_names], WORKLISTS["turnover"])


def _dormant(engine, as_of, names) -> pd.DataFrame:
    from handover.findings import find

    rows = find(engine, "dormant_plans", as_of=as_of)
    responsible = population(engine, "responsibilities_on_day", as_of=as_of)
    coordinators = _smallest_staff(responsible[responsible["role"] == "coordinator"], ["user_id"])
    rows = _named(rows.merge(coordinators[["user_id", "staff_id"]], on="user_id", how="left"), names)
    return finalize(rows[WORKLISTS["dormant"].column_names], WORKLISTS["dormant"])


def worklist(engine, *, as_of: pd.Timestamp) -> dict[str, pd.DataFrame | str]:
    """Today's three lists (see the module docstring) on the snapshot of ``as_of``.

    Returns
    -------
    dict of str to pandas.DataFrame or str
        ``no_coordinator``, ``turnover`` and ``dormant``: the rows (:data:`WORKLISTS`), or
        why the list could not be made (a table the dataset lacks).
    """
    names = engine.agency_names()
    if names is None:
        names = pd.DataFrame({"agency_id": pd.Series(dtype=object), "name": pd.Series(dtype=object)})
    lists: dict[str, pd.DataFrame | str] = {}
    for name, make in (("no_coordinator", _no_coordinator), ("turnover", _turnover), ("dormant", _dormant)):
        try:
            lists[name] = make(engine, as_of, names)
        except InputError as missing:
            lists[name] = str(missing)
    return lists
