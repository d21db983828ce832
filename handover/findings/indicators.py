"""Indicators: each finding's rate with its numerator and denominator, overall, by agency, per period.

docs/findings.md §6 defines them. Each finding declares its measures and the function that
counts them (``Finding.measures``, ``Finding.indicator``); this module runs them on an
engine and holds what they share: the periods of a report (months or quarters), the days
of intervals inside each period, and the tidy table they all return. Counts are exact;
suppressing small counts is the page's business (:mod:`handover.privacy.suppression`).

Examples
--------
>>> from handover.engines import MemoryEngine
>>> from handover.examples import tiny_dataset
>>> table, _ = indicators(MemoryEngine(tiny_dataset()))
>>> row = table[(table["measure"] == "without_coordinator") & (table["scope"] == "overall")]
>>> row[["numerator", "denominator"]].values.tolist()
[[1, 1]]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from handover.errors import InputError
from handover.findings.populations import population
from handover.findings.spec import Measure
from handover.timeline import DAY, to_day

__all__ = ["Measure", "Context", "indicators", "INDICATOR_COLUMNS", "PERIODS", "share_percent"]

#: The columns of the indicator table: one row per measure and scope (overall, an agency, a
#: period; or a statistic of a distribution, whose ``value`` it is).
INDICATOR_COLUMNS = ("finding", "measure", "scope", "key", "numerator", "denominator", "value")
#: How a report breaks its indicators down in time.
PERIODS = ("month", "quarter")


@dataclass
class Context:
    """What an indicator function is given: the engine's populations, the period and the breakdown."""

    engine: Any
    as_of: pd.Timestamp
    since: pd.Timestamp | None
    until: pd.Timestamp | None
    by: str | None
    params: dict[str, Any] = field(default_factory=dict)

    def population(self, name: str, **params) -> pd.DataFrame:
        """A population (:mod:`handover.findings.populations`) on the report's snapshot."""
        return population(self.engine, name, as_of=self.as_of, **params)

    @property
    def first(self) -> pd.Timestamp | None:
        return self.since

    @property
    def last(self) -> pd.Timestamp:
        """The report period's last day: ``until``, or ``as_of``."""
        return min(self.until, self.as_of) if self.until is not None else self.as_of

    def period_of(self, dates: pd.Series) -> pd.Series:
        """The period (``2024-03`` or ``2024-Q1``) of each date."""
        return period_key(dates, self.by)

    def periods(self, first: pd.Timestamp | None) -> list[tuple[str, pd.Timestamp, pd.Timestamp]]:
        """The report's periods ``(key, first day, day after the last)`` from ``first`` (or
        ``since``) to the period's last day; none without ``by``."""
        if self.by is None:
            return []
        start = self.since if self.since is not None else first
        if start is None or start > self.last:
            return []
        return period_bounds(start, self.last, self.by)


def period_key(dates: pd.Series, by: str | None) -> pd.Series:
    """``2024-03`` (month) or ``2024-Q1`` (quarter) for each date.

    Examples
    --------
    >>> period_key(pd.Series(pd.to_datetime(["2024-03-31", "2024-04-01"])), "quarter").tolist()
    ['2024-Q1', '2024-Q2']
    """
    if by == "quarter":
        return dates.dt.year.astype(str) + "-Q" + dates.dt.quarter.astype(str)
    return dates.dt.strftime("%Y-%m")


def period_bounds(first: pd.Timestamp, last: pd.Timestamp, by: str) -> list[tuple[str, pd.Timestamp, pd.Timestamp]]:
    """The periods from the one holding ``first`` to the one holding ``last``, each as
    ``(key, first day, day after its last day)``; the first and last are cut to ``first`` and
    ``last``.

    Examples
    --------
    >>> [(k, str(a.date()), str(b.date())) for k, a, b in period_bounds(
    ...     pd.Timestamp("2024-01-15"), pd.Timestamp("2024-02-10"), "month")]
    [('2024-01', '2024-01-15', '2024-02-01'), ('2024-02', '2024-02-01', '2024-02-11')]
    """
    freq = "QS" if by == "quarter" else "MS"
    starts = pd.date_range(first.to_period("Q" if by == "quarter" else "M").start_time, last, freq=freq)
    bounds = []
    for i, start in enumerate(starts):
        stop = starts[i + 1] if i + 1 < len(starts) else last + DAY
        lo, hi = max(start, first), min(stop, last + DAY)
        if lo < hi:
            bounds.append((period_key(pd.Series([start]), by).iloc[0], lo, hi))
    return bounds


def days_inside(start: pd.Series, end: pd.Series, first: pd.Timestamp, stop: pd.Timestamp) -> np.ndarray:
    """Days of each ``[start, end)`` inside ``[first, stop)`` (``end`` missing: up to ``stop``).

    Examples
    --------
    >>> s = pd.Series(pd.to_datetime(["2024-01-01", "2024-01-20"]))
    >>> e = pd.Series(pd.to_datetime(["2024-01-10", None]))
    >>> days_inside(s, e, pd.Timestamp("2024-01-05"), pd.Timestamp("2024-02-01")).tolist()
    [5, 12]
    """
    lo = np.maximum(start.to_numpy("datetime64[D]"), np.datetime64(first.date()))
    hi = np.minimum(end.fillna(stop).to_numpy("datetime64[D]"), np.datetime64(stop.date()))
    return np.maximum((hi - lo).astype(np.int64), 0)


def tidy(measure: str, scope: str, key, numerator, denominator) -> pd.DataFrame:
    """Rows of the indicator table for one measure and scope (``key`` and counts aligned)."""
    numerator = np.asarray(numerator, dtype=np.int64)
    denominator = np.asarray(denominator, dtype=np.int64)
    keys = np.asarray(key, dtype=object) if np.ndim(key) else np.asarray([key] * len(numerator), dtype=object)
    return pd.DataFrame({"measure": measure, "scope": scope, "key": keys,
                         "numerator": numerator, "denominator": denominator, "value": np.nan})


def counted(measure: str, units: pd.DataFrame, flag: str, *, agency: str | None = None,
            date: str | None = None, context: Context | None = None) -> pd.DataFrame:
    """The overall, by-agency and per-period rows of a measure that counts flagged units.

    ``units`` has one row per unit of the denominator and a boolean column ``flag`` for the
    numerator; ``agency`` and ``date`` name the columns to break down by.
    """
    flags = units[flag].astype(bool)
    parts = [tidy(measure, "overall", "", [int(flags.sum())], [len(units)])]
    if agency is not None and len(units):
        grouped = units.assign(_n=flags).groupby(agency, sort=True)["_n"].agg(["sum", "size"])
        parts.append(tidy(measure, "agency", grouped.index.to_numpy(object), grouped["sum"], grouped["size"]))
    if date is not None and context is not None and context.by is not None and len(units):
        keys = context.period_of(units[date])
        grouped = units.assign(_n=flags, _p=keys).groupby("_p", sort=True)["_n"].agg(["sum", "size"])
        # Every period from the first with data to the report's end, the empty ones as 0 of 0.
        every = [key for key, _, _ in context.periods(units[date].min())]
        grouped = grouped.reindex(sorted(set(every) | set(grouped.index)), fill_value=0)
        parts.append(tidy(measure, "period", grouped.index.to_numpy(object), grouped["sum"], grouped["size"]))
    return pd.concat(parts, ignore_index=True)


def share_percent(numerator, denominator):
    """``100 * numerator / denominator`` rounded half up to one decimal; ``None`` when the
    denominator is 0.

    Examples
    --------
    >>> share_percent(1, 8), share_percent(1, 80), share_percent(0, 0)
    (12.5, 1.3, None)
    """
    if not denominator:
        return None
    return ((2000 * int(numerator) + int(denominator)) // (2 * int(denominator))) / 10


def indicators(engine, *, as_of=None, since=None, until=None, by: str | None = None,
               names=None) -> tuple[pd.DataFrame, dict[str, str]]:
    """Every finding's indicator on ``engine`` (docs/findings.md §6).

    Parameters
    ----------
    engine : Engine
    as_of : date-like, optional
        The snapshot day; default the latest date.
    since, until : date-like, optional
        The report's period.
    by : {"month", "quarter"}, optional
        Also count per period.
    names : iterable of str, optional
        Only these findings.

    Returns
    -------
    (pandas.DataFrame, dict)
        The indicator table (:data:`INDICATOR_COLUMNS`), and for each finding that could not
        run why (a table the dataset lacks).
    """
    from handover.findings import FINDINGS, find

    if by is not None and by not in PERIODS:
        raise InputError(f"--by: {by} is not one of: {', '.join(PERIODS)}")
    as_of = to_day(as_of) if as_of is not None else engine.latest_date()
    if as_of is None:
        as_of = pd.Timestamp.today().normalize()
    since, until = to_day(since), to_day(until)
    parts, skipped = [], {}
    for name in names or FINDINGS:
        finding = FINDINGS[name]
        period = {k: v for k, v in (("since", since), ("until", until))
                  if any(o.name == k for o in finding.options)}
        try:
            rows = find(engine, name, as_of=as_of, **period)
            context = Context(engine, as_of, since, until, by, finding.resolve(period, as_of))
            table = finding.indicator(rows, context)
        except InputError as error:
            skipped[name] = str(error)
            continue
        parts.append(table.assign(finding=name))
    columns = list(INDICATOR_COLUMNS)
    table = pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)
    return table, skipped
