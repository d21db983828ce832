"""The findings: one registry, one entry point (:func:`find`) for every engine.

Each finding has one name used everywhere (DESIGN §2): the Cypher file
``cypher/findings/<name>.cypher``, the in-memory function ``<name>``, the CLI
``handover find <name-with-dashes>`` and the result schema in :mod:`handover.schema`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import pandas as pd

from handover.engines.base import Engine
from handover.errors import InputError
from handover.findings.continuity import PROVIDERS, continuity_of_care
from handover.findings.coordination import coordinator_gaps
from handover.findings.discharges import FOLLOW_UP_BY, discharge_follow_up
from handover.findings.handovers import handover_without_coordinator
from handover.findings.plans import dormant_plans, parallel_plans
from handover.findings.turnover import caseworker_turnover
from handover.model import STAY_SERVICE_KINDS, VOCABULARIES
from handover.schema import SCHEMAS, ResultSchema, finalize
from handover.timeline import to_day

__all__ = ["Finding", "FINDINGS", "find", "resolve_options"]


@dataclass(frozen=True)
class Finding:
    """What the system knows about one finding.

    Parameters
    ----------
    name : str
    title : str
        A heading for reports.
    explanation : str
        What a row means, in plain language, for the report page.
    needs : tuple of str
        Tables the finding reads besides the required ones.
    memory : callable
        The in-memory implementation ``f(dataset, **params) -> DataFrame``.
    defaults : dict
        Every option with its default value; ``as_of`` is listed when it is used.
    """

    name: str
    title: str
    explanation: str
    needs: tuple[str, ...]
    memory: Callable[..., pd.DataFrame]
    defaults: dict[str, Any] = field(default_factory=dict)

    @property
    def schema(self) -> ResultSchema:
        return SCHEMAS[self.name]

    @property
    def cli_name(self) -> str:
        return self.name.replace("_", "-")


FINDINGS: dict[str, Finding] = {
    f.name: f
    for f in (
        Finding(
            "handover_without_coordinator",
            "Handovers without a coordinator",
            "A user's episode at one agency ended and their next episode, starting within "
            "the window, was at another agency, and on the day of the handover nobody held "
            "the coordinator role for the user. This is where users 'fall between chairs'.",
            ("episodes", "services"),
            handover_without_coordinator,
            {"window_days": 30, "role": "coordinator", "since": None, "until": None},
        ),
        Finding(
            "caseworker_turnover",
            "Caseworker turnover",
            "Users whose caseworker (or another role) changed at least the given number of "
            "times within one window, so they had to tell their story again and again. "
            "The row shows the busiest window.",
            (),
            caseworker_turnover,
            {"roles": ("caseworker",), "window_days": 365, "min_changes": 3},
        ),
        Finding(
            "parallel_plans",
            "Parallel plans at different agencies",
            "Two plans of one user, held by different agencies, that run at the same time. "
            "The law expects one individual plan per user; partners often know nothing of "
            "each other's plans.",
            ("plans",),
            parallel_plans,
            {"as_of": None, "kinds": None, "min_overlap_days": 1},
        ),
        Finding(
            "discharge_follow_up",
            "Follow-up after discharge",
            "Every discharge from a stay (inpatient, residential, detox; a chain of stays counts "
            "once, deaths are left out) with the coordinator in place that day, the first "
            "follow-up contact after the discharge day, whether it came within 7 and 30 days, "
            "and whether the user was readmitted within 30 days.",
            ("episodes", "services"),
            discharge_follow_up,
            {"follow_up_by": "municipal", "max_days": 30, "stay_kinds": STAY_SERVICE_KINDS,
             "since": None, "until": None},
        ),
        Finding(
            "coordinator_gaps",
            "Individual plans without a coordinator",
            "Stretches of at least the given number of days on which a user had an active "
            "individual plan but nobody held the coordinator role: the law asks for one "
            "provider with overall responsibility at all times.",
            ("plans",),
            coordinator_gaps,
            {"as_of": None, "min_gap_days": 14},
        ),
        Finding(
            "dormant_plans",
            "Dormant individual plans",
            "Individual plans still active that nobody has revised for more than the given "
            "number of days: plans 'lying in a drawer'.",
            ("plans",),
            dormant_plans,
            {"as_of": None, "max_age_days": 365},
        ),
        Finding(
            "continuity_of_care",
            "Continuity of care",
            "For each user, how concentrated their contacts are on one provider (an agency, or "
            "a staff member): upc is the share of contacts with the most-seen provider, coc "
            "(Bice-Boxerman) and hhi are 1 when every contact is with one provider and fall "
            "as contacts spread over more providers, and secon is the share of contacts that "
            "were with the same provider as the contact before. Low values mean fragmented care.",
            ("contacts",),
            continuity_of_care,
            {"provider": "agency", "since": None, "until": None},
        ),
    )
}

_NON_NEGATIVE = {"window_days", "min_overlap_days", "max_days", "min_gap_days", "max_age_days"}
_POSITIVE = {"min_changes"}
_VOCAB_LISTS = {"roles": "role", "kinds": "plan_kind", "stay_kinds": "service_kind"}
_VOCAB_SCALARS = {"role": "role"}


def _check_vocab(option: str, value: str, vocabulary: str) -> None:
    allowed = VOCABULARIES[vocabulary]
    if value not in allowed:
        raise InputError(f"--{option.replace('_', '-')}: {value} is not one of: {', '.join(allowed)}")


def resolve_options(name: str, options: dict[str, Any], as_of: pd.Timestamp | None) -> dict[str, Any]:
    """Fill in defaults and check every option of finding ``name``.

    Raises
    ------
    InputError
        For an unknown finding or option, a negative count, a value outside its
        vocabulary, or ``since`` after ``until``.

    Examples
    --------
    >>> resolve_options("caseworker_turnover", {"roles": ["coordinator"]}, None)
    {'roles': ('coordinator',), 'window_days': 365, 'min_changes': 3}
    >>> resolve_options("caseworker_turnover", {"roles": ["boss"]}, None)
    Traceback (most recent call last):
    ...
    handover.errors.InputError: --role: boss is not one of: coordinator, caseworker, contact, therapist, gp, housing_support, other
    """
    if name not in FINDINGS:
        raise InputError(f"unknown finding {name!r}; known: {', '.join(FINDINGS)}")
    finding = FINDINGS[name]
    unknown = set(options) - set(finding.defaults)
    if unknown:
        raise InputError(f"{name} has no option {', '.join(sorted(unknown))}")
    params = dict(finding.defaults)
    params.update({k: v for k, v in options.items() if v is not None})
    for key, value in params.items():
        if key in _NON_NEGATIVE and value < 0:
            raise InputError(f"--{key.replace('_', '-')}: {value} must not be negative")
        if key in _POSITIVE and value < 1:
            raise InputError(f"--{key.replace('_', '-')}: {value} must be at least 1")
        if key in _VOCAB_SCALARS:
            _check_vocab(key, value, _VOCAB_SCALARS[key])
        if key == "provider" and value not in PROVIDERS:
            raise InputError(f"--provider: {value} is not one of: {', '.join(PROVIDERS)}")
        if key == "follow_up_by" and value not in FOLLOW_UP_BY:
            raise InputError(f"--follow-up-by: {value} is not one of: {', '.join(FOLLOW_UP_BY)}")
        if key in _VOCAB_LISTS and value is not None:
            value = tuple(dict.fromkeys(value))
            option = key[:-1]
            if not value:
                raise InputError(f"--{option.replace('_', '-')}: give at least one value")
            for item in value:
                _check_vocab(option, item, _VOCAB_LISTS[key])
            params[key] = value
        if key in {"since", "until"}:
            params[key] = to_day(value)
    if params.get("since") is not None and params.get("until") is not None:
        if params["since"] > params["until"]:
            raise InputError(f"--since {params['since'].date()} is after --until {params['until'].date()}")
    if "as_of" in params:
        params["as_of"] = as_of
    return params


def find(engine: Engine, name: str, *, as_of=None, **options) -> pd.DataFrame:
    """Run finding ``name`` on ``engine`` and return the rows of DESIGN §5.

    Parameters
    ----------
    engine : Engine
        Where the data is (:class:`~handover.engines.MemoryEngine` or the Neo4j engine).
    name : str
        The finding's name (``parallel_plans``); dashes are accepted.
    as_of : date-like, optional
        The reference date; default the latest date in the dataset.
    **options
        The finding's options (see ``FINDINGS[name].defaults``); ``None`` means default.

    Returns
    -------
    pandas.DataFrame
        Exactly the columns of the finding's schema, typed and sorted.

    Raises
    ------
    InputError
        When an option is invalid or the dataset lacks a table the finding needs.

    Examples
    --------
    >>> from handover.engines import MemoryEngine
    >>> from handover.examples import tiny_dataset
    >>> rows = find(MemoryEngine(tiny_dataset()), "parallel-plans")
    >>> rows[["plan_a_id", "plan_b_id", "overlap_days"]].values.tolist()
    [['p10', 'p9', 31]]
    """
    name = name.replace("-", "_")
    finding = FINDINGS.get(name)
    if finding is None:
        raise InputError(f"unknown finding {name!r}; known: {', '.join(FINDINGS)}")
    present = engine.tables_present()
    if present is not None:
        missing = [t for t in finding.needs if t not in present]
        if missing:
            files = " and ".join(f"{t}.csv" for t in missing)
            raise InputError(f"{name} needs {files} (or .parquet), which the dataset lacks")
    as_of = to_day(as_of) if as_of is not None else engine.latest_date()
    if as_of is None:  # a dataset without a single date: nothing to measure, any day will do
        as_of = pd.Timestamp.today().normalize()
    params = resolve_options(name, options, as_of)
    return finalize(engine.run_finding(name, params), finding.schema)
