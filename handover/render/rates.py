"""Indicators as they are shared: shares in percent, small counts hidden, agencies by name.

The indicator table (:func:`handover.findings.indicators.indicators`) holds exact counts;
everything a report shows of it goes through this module. A count from 1 to 4 is shown as
``<5`` (:mod:`handover.privacy.suppression`), and so is a share whose numerator or
denominator is from 1 to 4; zero stays visible. Shares are ``100 * numerator / denominator``
rounded half up to one decimal (:func:`handover.findings.indicators.share_percent`).

Examples
--------
>>> from handover.locale import words
>>> rate(3, 40).text(words("nb")), rate(12, 40).text(words("nb")), rate(0, 0).text(words("en"))
('<5', '30,0\\xa0%', '—')
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from handover.findings.indicators import share_percent
from handover.locale import Words
from handover.privacy.suppression import LARGEST_SMALL, SMALL

__all__ = ["Rate", "rate", "count_text", "percent_or_hidden", "shared_indicators", "shared_comparison",
           "change_points", "NO_VALUE"]

#: What a share with no denominator (nothing to count among) is shown as.
NO_VALUE = "—"


def _small(n: int) -> bool:
    return 1 <= int(n) <= LARGEST_SMALL


@dataclass(frozen=True)
class Rate:
    """One share as shown: its counts, its percent, and what is hidden."""

    numerator: int
    denominator: int
    suppress: bool = True

    @property
    def hidden(self) -> bool:
        """The share is hidden: its numerator or denominator is from 1 to 4."""
        return self.suppress and (_small(self.numerator) or _small(self.denominator))

    @property
    def percent(self) -> float | None:
        """The share in percent (one decimal), ``None`` when hidden or when there is no denominator."""
        return None if self.hidden else share_percent(self.numerator, self.denominator)

    def text(self, w: Words) -> str:
        """``30.0%``, ``<5`` when hidden, ``—`` with no denominator."""
        if self.hidden:
            return SMALL
        value = self.percent
        return NO_VALUE if value is None else w.percent(value)

    def numerator_text(self, w: Words) -> str:
        return count_text(self.numerator, w, self.suppress)

    def denominator_text(self, w: Words) -> str:
        return count_text(self.denominator, w, self.suppress)


def rate(numerator, denominator, suppress: bool = True) -> Rate:
    """A :class:`Rate` of two counts."""
    return Rate(int(numerator), int(denominator), suppress)


def count_text(n, w: Words, suppress: bool = True) -> str:
    """A count as shown: ``<5`` from 1 to 4 when suppressing, else grouped by thousands."""
    return SMALL if suppress and _small(n) else w.count(int(n))


def change_points(first: Rate, second: Rate) -> float | None:
    """The change from ``first`` to ``second`` in percentage points (one decimal), ``None`` when
    either share is hidden or has no denominator.

    Examples
    --------
    >>> change_points(rate(10, 40), rate(5, 40))
    -12.5
    """
    a, b = first.percent, second.percent
    return None if a is None or b is None else round(b - a, 1)


def _cells(numerator: pd.Series, denominator: pd.Series, suppress: bool) -> tuple[list, list, list]:
    nums, dens, shares = [], [], []
    for n, d in zip(numerator.astype(np.int64), denominator.astype(np.int64)):
        r = Rate(int(n), int(d), suppress)
        nums.append(SMALL if suppress and _small(n) else int(n))
        dens.append(SMALL if suppress and _small(d) else int(d))
        shares.append(SMALL if r.hidden else r.percent)
    return nums, dens, shares


def shared_indicators(table: pd.DataFrame, agencies: dict, *, suppress: bool = True) -> pd.DataFrame:
    """The indicator table as shared: ``agency_name`` beside agency keys; ``value`` the share in
    percent (a statistic for distribution rows); small counts and their shares as ``<5``.

    Examples
    --------
    >>> table = pd.DataFrame({"finding": ["f", "f"], "measure": ["m", "m"], "scope": ["overall", "agency"],
    ...     "key": ["", "a1"], "numerator": [12, 3], "denominator": [40, 20], "value": [np.nan, np.nan]})
    >>> shared_indicators(table, {"a1": "NAV Sentrum"})[["agency_name", "numerator", "value"]].values.tolist()
    [['', 12, 30.0], ['NAV Sentrum', '<5', '<5']]
    """
    out = table[["finding", "measure", "scope", "key"]].copy()
    out.insert(4, "agency_name", [agencies.get(k, "") if s == "agency" else ""
                                  for s, k in zip(table["scope"], table["key"])])
    nums, dens, shares = _cells(table["numerator"], table["denominator"], suppress)
    distribution = (table["scope"] == "distribution").to_numpy()
    values = []
    for is_stat, share, stat, d in zip(distribution, shares, table["value"], table["denominator"]):
        if is_stat:
            values.append(SMALL if suppress and _small(d) else (None if pd.isna(stat) else float(stat)))
        else:
            values.append(share)
    out["numerator"], out["denominator"], out["value"] = nums, dens, values
    return out.reset_index(drop=True)


def shared_comparison(table: pd.DataFrame, agencies: dict, periods, *, suppress: bool = True) -> pd.DataFrame:
    """A comparison (:func:`handover.reports.periods.comparison`) as shared: each period's counts
    and share, and the change in percentage points; small counts hidden."""
    out = table[["finding", "measure", "scope", "key"]].copy()
    out.insert(4, "agency_name", [agencies.get(k, "") if s == "agency" else ""
                                  for s, k in zip(table["scope"], table["key"])])
    for suffix, period in zip(("a", "b"), periods):
        nums, dens, shares = _cells(table[f"numerator_{suffix}"], table[f"denominator_{suffix}"], suppress)
        out[f"period_{suffix}"] = period.label
        out[f"numerator_{suffix}"], out[f"denominator_{suffix}"], out[f"share_{suffix}"] = nums, dens, shares
    out["change_points"] = [
        change_points(Rate(int(na), int(da), suppress), Rate(int(nb), int(db), suppress))
        for na, da, nb, db in zip(table["numerator_a"], table["denominator_a"], table["numerator_b"],
                                  table["denominator_b"])]
    return out.reset_index(drop=True)


def percent_or_hidden(value, w: Words) -> str:
    """A cell of :func:`shared_indicators` as text: ``<5`` stays, a number becomes ``30.0%``."""
    if isinstance(value, str):
        return value
    return NO_VALUE if value is None or pd.isna(value) else w.percent(value)

