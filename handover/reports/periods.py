"""The periods a report compares: a year, a quarter, a month, or ``FROM:TO``.

``handover report --compare 2023 2024`` sets the same indicators of two periods side by
side; :func:`parse_period` reads each period as an analyst writes it, and
:func:`comparison` lines up two indicator tables with the change between them.

Examples
--------
>>> period = parse_period("2024-Q1")
>>> period.label, str(period.since.date()), str(period.until.date())
('2024-Q1', '2024-01-01', '2024-03-31')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from handover.errors import InputError
from handover.timeline import OPTION_DATES, parse_option_date

__all__ = ["Period", "parse_period", "comparison", "COMPARISON_COLUMNS"]

#: The columns of a comparison: the measure and scope, each period's counts and share, the change.
COMPARISON_COLUMNS = ("finding", "measure", "scope", "key", "numerator_a", "denominator_a", "numerator_b",
                      "denominator_b")

_FORMS = "a year (2024), a quarter (2024-Q1), a month (2024-03) or FROM:TO (2024-01-01:2024-06-30)"


@dataclass(frozen=True)
class Period:
    """A period of days, both ends included, with the label the reader gave it."""

    label: str
    since: pd.Timestamp
    until: pd.Timestamp


def parse_period(text: str, *, option: str = "--compare") -> Period:
    """Read a period: ``2024``, ``2024-Q1``, ``2024-03`` or ``FROM:TO`` (days, both included).

    Raises
    ------
    InputError
        Naming the value and the forms accepted.

    Examples
    --------
    >>> [str(d.date()) for d in (parse_period("2024").since, parse_period("2024").until)]
    ['2024-01-01', '2024-12-31']
    >>> str(parse_period("2024-02").until.date())
    '2024-02-29'
    >>> parse_period("2024-13")
    Traceback (most recent call last):
    ...
    handover.errors.InputError: --compare: 2024-13 is not a period: write a year (2024), a quarter (2024-Q1), a month (2024-03) or FROM:TO (2024-01-01:2024-06-30)
    """
    value = text.strip()
    bad = InputError(f"{option}: {text} is not a period: write {_FORMS}")
    year = re.match(r"\d{4}", value)
    if year and not OPTION_DATES[0].year <= int(year[0]) <= OPTION_DATES[1].year:
        raise InputError(f"{option}: {text} is outside the days handover counts with, "
                         f"{OPTION_DATES[0]:%Y-%m-%d} to {OPTION_DATES[1]:%Y-%m-%d}")
    if re.fullmatch(r"\d{4}", value):
        start = pd.Timestamp(int(value), 1, 1)
        return Period(value, start, start + pd.offsets.YearEnd(0))
    quarter = re.fullmatch(r"(\d{4})-[Qq]([1-4])", value)
    if quarter:
        start = pd.Timestamp(int(quarter[1]), 3 * int(quarter[2]) - 2, 1)
        return Period(f"{quarter[1]}-Q{quarter[2]}", start, start + pd.offsets.QuarterEnd(0))
    month = re.fullmatch(r"(\d{4})-(\d{2})", value)
    if month:
        if not 1 <= int(month[2]) <= 12:
            raise bad
        start = pd.Timestamp(int(month[1]), int(month[2]), 1)
        return Period(value, start, start + pd.offsets.MonthEnd(0))
    if value.count(":") == 1:
        first, last = (part.strip() for part in value.split(":"))
        try:
            since, until = parse_option_date(first, option), parse_option_date(last, option)
        except (InputError, ValueError):
            raise bad from None
        if since is None or until is None:
            raise bad
        if until < since:
            raise InputError(f"{option}: {text} ends before it begins")
        return Period(f"{since:%Y-%m-%d} – {until:%Y-%m-%d}", since, until)
    raise bad


def comparison(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """Two indicator tables (:func:`handover.findings.indicators.indicators`) side by side.

    The overall and by-agency rows of every measure, with each period's numerator and
    denominator (``_a``, ``_b``); an agency seen in one period only gets 0 of 0 in the other.
    Rows of distributions and periods are left out (a comparison is of two totals).

    Examples
    --------
    >>> a = pd.DataFrame({"finding": ["f"], "measure": ["m"], "scope": ["overall"], "key": [""],
    ...                   "numerator": [1], "denominator": [4], "value": [np.nan]})
    >>> b = a.assign(numerator=[3])
    >>> comparison(a, b)[["numerator_a", "numerator_b", "denominator_b"]].values.tolist()
    [[1, 3, 4]]
    """
    keys = ["finding", "measure", "scope", "key"]

    def totals(table: pd.DataFrame) -> pd.DataFrame:
        return table[table["scope"].isin(["overall", "agency"])][keys + ["numerator", "denominator"]]

    merged = totals(first).merge(totals(second), on=keys, how="outer", suffixes=("_a", "_b"), sort=False)
    for column in ("numerator_a", "denominator_a", "numerator_b", "denominator_b"):
        merged[column] = merged[column].fillna(0).astype(np.int64)
    order = {name: i for i, name in enumerate(dict.fromkeys(pd.concat([first["finding"], second["finding"]])))}
    merged["_f"] = merged["finding"].map(order)
    merged["_s"] = (merged["scope"] != "overall").astype(int)
    merged = merged.sort_values(["_f", "measure", "_s", "key"], kind="stable").drop(columns=["_f", "_s"])
    return merged[list(COMPARISON_COLUMNS)].reset_index(drop=True)
