"""The findings: one declaration each, one registry, one entry point (:func:`find`).

Every module of this package that ends with a ``FINDING = Finding(...)`` declaration
(:mod:`handover.findings.spec`) is a finding; the registry :data:`FINDINGS` is made from
those declarations, in the order of their sections in docs/findings.md. A finding's one
name is used everywhere: its module ``handover/findings/<name>.py``, the Cypher file
``cypher/findings/<name>.cypher``, ``handover find <name-with-dashes>`` and its result
columns. The modules without a declaration are what findings share
(:mod:`~handover.findings.events`, :mod:`~handover.findings.rounding`) and the machinery
(:mod:`~handover.findings.spec`, :mod:`~handover.findings.schema`).
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pandas as pd

from handover.errors import InputError
from handover.findings.schema import ResultSchema, finalize
from handover.findings.spec import Finding, Option
from handover.timeline import to_day

__all__ = ["Finding", "Option", "FINDINGS", "SCHEMAS", "find", "resolve_options", "finding", "as_of_day"]


def _declared() -> dict[str, Finding]:
    found = []
    for module in pkgutil.iter_modules(__path__):
        declaration = getattr(importlib.import_module(f"{__name__}.{module.name}"), "FINDING", None)
        if isinstance(declaration, Finding):
            if declaration.name != module.name:
                raise ImportError(f"{__name__}.{module.name} declares the finding {declaration.name!r}; "
                                  "a finding's module is named after it")
            found.append(declaration)
    return {f.name: f for f in sorted(found, key=lambda f: tuple(int(p) for p in f.section.split(".")))}


#: Every finding, by name, in the order of docs/findings.md.
FINDINGS: dict[str, Finding] = _declared()

#: Each finding's result schema, by name.
SCHEMAS: dict[str, ResultSchema] = {name: f.schema for name, f in FINDINGS.items()}


def finding(name: str) -> Finding:
    """The finding called ``name`` (dashes accepted).

    Raises
    ------
    InputError
        Naming the known findings, when there is none of that name.

    Examples
    --------
    >>> finding("parallel-plans").section
    '5.3'
    """
    declared = FINDINGS.get(name.replace("-", "_"))
    if declared is None:
        raise InputError(f"unknown finding {name!r}; known: {', '.join(FINDINGS)}")
    return declared


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
    {'roles': ('coordinator',), 'window_days': 365, 'min_changes': 3, 'since': None, 'until': None, 'as_of': None}
    >>> resolve_options("caseworker_turnover", {"roles": ["boss"]}, None)
    Traceback (most recent call last):
    ...
    handover.errors.InputError: --role: boss is not one of: coordinator, caseworker, contact, therapist, gp, housing_support, other
    """
    return finding(name).resolve(options, as_of)


def as_of_day(engine, as_of=None) -> pd.Timestamp:
    """The day a finding is measured on: ``as_of``, else the latest date in the engine's data.

    A dataset without a single date has nothing to measure, so any day will do: today.

    Examples
    --------
    >>> from handover.engines import MemoryEngine
    >>> from handover.examples import tiny_dataset
    >>> str(as_of_day(MemoryEngine(tiny_dataset())).date()), str(as_of_day(None, "2024-05-01").date())
    ('2024-08-01', '2024-05-01')
    """
    day = to_day(as_of) if as_of is not None else engine.latest_date()
    return day if day is not None else pd.Timestamp.today().normalize()


def find(engine, name: str, *, as_of=None, **options) -> pd.DataFrame:
    """Run finding ``name`` on ``engine`` and return its rows (docs/findings.md).

    Parameters
    ----------
    engine : handover.engines.Engine
        Where the data is (:class:`~handover.engines.MemoryEngine` or the Neo4j engine).
    name : str
        The finding's name (``parallel_plans``); dashes are accepted.
    as_of : date-like, optional
        The reference date; default the latest date in the dataset.
    **options
        The finding's options (see ``FINDINGS[name].options``); ``None`` means default.

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
    declared = finding(name)
    present = engine.tables_present()
    if present is not None:
        missing = [t for t in declared.needs if t not in present]
        if missing:
            files = " and ".join(f"{t}.csv" for t in missing)
            raise InputError(f"{declared.name} needs {files} (or .parquet), which the dataset lacks")
    as_of = as_of_day(engine, as_of)
    params = declared.resolve(options, as_of)
    return engine.remembered("finding", declared.name, params,
                             lambda: finalize(engine.run_finding(declared.name, params), declared.schema))
