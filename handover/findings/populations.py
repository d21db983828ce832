"""The populations a finding's rate is counted among (every handover, every holder of a role, every
plan), and who is served and by whom on the snapshot day (for the report's worklist).

A finding lists what went wrong; its indicator (:mod:`handover.findings.indicators`) says how
often, which needs what could have gone wrong: all handovers, not only those without a
coordinator; every user with a caseworker, not only those who changed caseworker. Each
population is one query on both engines (``cypher/populations/<name>.cypher`` and the
function here), answered on the snapshot of ``as_of`` like every finding, and compared in
the parity tests.

Examples
--------
>>> from handover.engines import MemoryEngine
>>> from handover.examples import tiny_dataset
>>> population(MemoryEngine(tiny_dataset()), "handovers")[["user_id", "from_agency_id", "covered"]].values.tolist()
[['u1', 'a2', False]]
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable

import pandas as pd

from handover.errors import InputError
from handover.findings.events import episodes_with_agency
from handover.findings.events import handovers as all_handovers
from handover.findings.events import responsible_on, within
from handover.findings.schema import ResultSchema, finalize
from handover.model import Dataset
from handover.timeline import open_end, to_day

__all__ = ["Population", "POPULATIONS", "population"]


@dataclass(frozen=True)
class Population:
    """One population: its rows (columns, sort key), its parameters and its memory implementation."""

    name: str
    columns: str
    sort_key: str
    memory: Callable[..., pd.DataFrame]
    defaults: dict[str, Any]
    needs: tuple[str, ...] = ()
    #: False for a population without dates (a staff member's profession): its query takes no ``as_of``.
    dated: bool = True

    @property
    def params(self) -> tuple[str, ...]:
        """The parameters of the Cypher query: the memory function's, and ``as_of`` when dated."""
        return tuple(self.defaults) + (("as_of",) if self.dated else ())

    @cached_property
    def schema(self) -> ResultSchema:
        pairs = tuple(tuple(part.split(":")) for part in self.columns.split())
        return ResultSchema(self.name, pairs, tuple(self.sort_key.split()))

    @property
    def cypher(self) -> str:
        return f"populations/{self.name}"


def handovers(dataset: Dataset, *, window_days: int = 30, role: str = "coordinator",
              since: pd.Timestamp | None = None, until: pd.Timestamp | None = None) -> pd.DataFrame:
    """Every handover of docs/findings.md §5.1 dated in the period, and whether ``role`` was held that day.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> handovers(tiny_dataset())[["handover_date", "covered"]].values.tolist()
    [[Timestamp('2024-03-01 00:00:00'), False]]
    """
    found = all_handovers(dataset, window_days)
    found = found[within(found["handover_date"], since, until)].reset_index(drop=True)
    covered = set(responsible_on(dataset, role, found, "handover_date")["event"])
    return found.assign(covered=found.index.isin(covered))[
        ["user_id", "from_episode_id", "from_agency_id", "handover_date", "covered"]]


def role_holders(dataset: Dataset, *, roles=("caseworker",), since: pd.Timestamp | None = None,
                 until: pd.Timestamp | None = None) -> pd.DataFrame:
    """Each user and role with a responsibility of that role running on some day of the period.

    ``agency_id`` is the agency of the user's latest such responsibility (the latest start;
    on a tie the smallest agency id): where the user was served last in the period.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> role_holders(tiny_dataset()).values.tolist()
    [['u2', 'caseworker', 'a1']]
    """
    resp = dataset.get("responsibilities")
    resp = resp.loc[resp["role"].isin(list(roles)), ["user_id", "role", "agency_id", "start", "end"]]
    running = resp["end"].isna() | (resp["end"] > resp["start"])  # an empty interval never runs
    if until is not None:
        running &= resp["start"] <= until
    if since is not None:
        running &= open_end(resp["end"]) > since
    resp = resp[running].sort_values(["user_id", "role", "start", "agency_id"],
                                     ascending=[True, True, False, True], kind="stable")
    return resp.drop_duplicates(["user_id", "role"])[["user_id", "role", "agency_id"]].reset_index(drop=True)


def plan_intervals(dataset: Dataset) -> pd.DataFrame:
    """Every plan as it stands on the snapshot: its user, agency, kind, interval and last revision.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> plan_intervals(tiny_dataset())[["plan_id", "agency_id", "kind"]].values.tolist()
    [['p9', 'a1', 'individual_plan'], ['p10', 'a2', 'treatment_plan']]
    """
    return dataset.get("plans")[["plan_id", "user_id", "agency_id", "kind", "start", "end", "last_revised"]]


def responsibilities_on_day(dataset: Dataset) -> pd.DataFrame:
    """Every responsibility running on the snapshot day: who holds which role for whom, for which agency.

    On the snapshot of ``as_of`` an interval still open on that day has no end
    (:meth:`handover.model.Dataset.snapshot`), so these are the rows without one.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> day = tiny_dataset().snapshot(pd.Timestamp("2024-03-05"))
    >>> responsibilities_on_day(day)[["user_id", "role", "staff_id"]].values.tolist()
    [['u2', 'caseworker', 'st2']]
    """
    resp = dataset.get("responsibilities")
    return resp.loc[resp["end"].isna(), ["user_id", "role", "staff_id", "agency_id", "start"]]


def episodes_on_day(dataset: Dataset) -> pd.DataFrame:
    """Every episode running on the snapshot day, with the agency of its service.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> episodes_on_day(tiny_dataset().snapshot(pd.Timestamp("2024-03-05")))["episode_id"].tolist()
    ['e2']
    """
    episodes = episodes_with_agency(dataset)
    return episodes.loc[episodes["end"].isna(), ["user_id", "episode_id", "agency_id", "start"]]


def staff_professions(dataset: Dataset) -> pd.DataFrame:
    """Each staff member's profession, where the staff table gives one (for caseloads).

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> staff_professions(tiny_dataset()).values.tolist()[:2]
    [['st1', 'social worker'], ['st2', 'social worker']]
    """
    staff = dataset.get("staff")
    return staff.loc[staff["profession"].notna(), ["staff_id", "profession"]]


#: Every population, by name.
POPULATIONS: dict[str, Population] = {p.name: p for p in (
    Population("handovers", "user_id:str from_episode_id:str from_agency_id:str handover_date:date covered:bool",
               "user_id handover_date from_episode_id", handovers,
               {"window_days": 30, "role": "coordinator", "since": None, "until": None}, ("episodes", "services")),
    Population("role_holders", "user_id:str role:str agency_id:str", "user_id role", role_holders,
               {"roles": ("caseworker",), "since": None, "until": None}),
    Population("plan_intervals", "plan_id:str user_id:str agency_id:str kind:str start:date end:date "
               "last_revised:date", "plan_id", plan_intervals, {}, ("plans",)),
    Population("responsibilities_on_day", "user_id:str role:str staff_id:str agency_id:str start:date",
               "user_id role staff_id agency_id start", responsibilities_on_day, {}),
    Population("episodes_on_day", "user_id:str episode_id:str agency_id:str start:date", "user_id episode_id",
               episodes_on_day, {}, ("episodes", "services")),
    Population("staff_professions", "staff_id:str profession:str", "staff_id", staff_professions, {}, ("staff",),
               dated=False),
)}


def population(engine, name: str, *, as_of=None, **params: Any) -> pd.DataFrame:
    """Population ``name`` on ``engine``, on the snapshot of ``as_of`` (default: the latest date).

    Raises
    ------
    InputError
        When the dataset lacks a table the population needs.
    """
    declared = POPULATIONS[name]
    present = engine.tables_present()
    if present is not None:
        missing = [t for t in declared.needs if t not in present]
        if missing:
            raise InputError(f"{name} needs {' and '.join(f'{t}.csv' for t in missing)}, which the dataset lacks")
    as_of = to_day(as_of) if as_of is not None else engine.latest_date()
    if as_of is None:
        as_of = pd.Timestamp.today().normalize()
    unknown = set(params) - set(declared.defaults)
    if unknown:
        raise InputError(f"population {name} has no parameter {', '.join(sorted(unknown))}")
    given = {key: params[key] if params.get(key) is not None else default
             for key, default in declared.defaults.items()}
    given = {key: to_day(value) if key in ("since", "until") else value for key, value in given.items()}
    given["as_of"] = as_of
    return engine.remembered("population", name, given,
                             lambda: finalize(engine.run_population(name, given), declared.schema))
