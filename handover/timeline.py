"""Time semantics (docs/data.md), in one place.

Every interval is half-open ``[start, end)``: active on day ``d`` iff
``start <= d < end``. A missing ``end`` (``NaT``) means ongoing; ``end == start``
is an empty interval that is never active. Functions here take scalars or pandas
Series and are vectorised; every finding builds on them.
"""

from __future__ import annotations

import datetime as _dt

import numpy as np
import pandas as pd

from handover.errors import InputError

__all__ = [
    "DAY",
    "to_day",
    "parse_option_date",
    "OPTION_DATES",
    "active_on",
    "open_end",
    "reopen",
    "overlap",
    "days_between",
    "day_number",
]

#: One day, for date arithmetic on Timestamps and Series.
DAY = pd.Timedelta(days=1)

# Far beyond any real date: stands in for an open end when comparing intervals.
_FOREVER = pd.Timestamp("2262-04-01")
#: The days a command-line date may name: well inside what pandas can hold (1677 to 2262),
#: with room for the windows and durations counted from them.
OPTION_DATES = (pd.Timestamp("1900-01-01"), pd.Timestamp("2199-12-31"))


def to_day(value) -> pd.Timestamp | None:
    """Coerce a date-like value to a midnight Timestamp (``None`` stays ``None``).

    Examples
    --------
    >>> to_day("2024-02-29")
    Timestamp('2024-02-29 00:00:00')
    >>> to_day(None) is None
    True
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return pd.Timestamp(value).normalize()


def parse_option_date(text: str | None, option: str) -> pd.Timestamp | None:
    """Parse a command-line date (``YYYY-MM-DD``), raising :class:`InputError` if invalid.

    Examples
    --------
    >>> parse_option_date("2024-12-31", "--as-of")
    Timestamp('2024-12-31 00:00:00')
    >>> parse_option_date("31.12.2024", "--as-of")
    Traceback (most recent call last):
    ...
    handover.errors.InputError: --as-of: 31.12.2024 is not a date (YYYY-MM-DD)
    >>> parse_option_date("9999-12-31", "--as-of")
    Traceback (most recent call last):
    ...
    handover.errors.InputError: --as-of: 9999-12-31 is outside the days handover counts with, 1900-01-01 to 2199-12-31
    """
    if text is None or text == "":
        return None
    try:
        day = pd.Timestamp(_dt.date.fromisoformat(text[:10] if len(text) > 10 else text))
    except (ValueError, OverflowError, pd.errors.OutOfBoundsDatetime):
        raise InputError(f"{option}: {text} is not a date (YYYY-MM-DD)") from None
    if not OPTION_DATES[0] <= day <= OPTION_DATES[1]:
        raise InputError(f"{option}: {text} is outside the days handover counts with, "
                         f"{OPTION_DATES[0]:%Y-%m-%d} to {OPTION_DATES[1]:%Y-%m-%d}")
    return day


def open_end(end: pd.Series) -> pd.Series:
    """``end`` with ongoing (missing) ends replaced by a date beyond any real one."""
    return end.fillna(_FOREVER)


def reopen(end: pd.Series) -> pd.Series:
    """Undo :func:`open_end`: the stand-in date becomes a missing (ongoing) end again."""
    return end.where(end < _FOREVER)


def active_on(start: pd.Series, end: pd.Series, day) -> pd.Series:
    """Whether each ``[start, end)`` interval is active on ``day``.

    ``day`` may be a scalar or a Series aligned with ``start``.

    Examples
    --------
    >>> s = pd.Series(pd.to_datetime(["2024-01-01", "2024-01-10", "2024-01-10"]))
    >>> e = pd.Series(pd.to_datetime(["2024-01-10", None, "2024-01-10"]))
    >>> active_on(s, e, pd.Timestamp("2024-01-10")).tolist()
    [False, True, False]
    """
    return (start <= day) & (end.isna() | (day < end))


def overlap(start_a, end_a, start_b, end_b):
    """Intersection ``[max(start), min(end))`` of two interval columns.

    Returns ``(overlap_start, overlap_end, overlaps)``; ``overlap_end`` is ``NaT``
    when both ends are open; ``overlaps`` says whether the intersection is non-empty.

    Examples
    --------
    >>> d = lambda *xs: pd.Series(pd.to_datetime(list(xs)))
    >>> s, e, ok = overlap(d("2024-01-01", "2024-01-01"), d("2024-02-01", None),
    ...                    d("2024-02-01", "2024-03-01"), d(None, None))
    >>> ok.tolist(), [str(x.date()) for x in s], e.isna().tolist()
    ([False, True], ['2024-02-01', '2024-03-01'], [False, True])
    """
    start = start_a.where(start_a >= start_b, start_b)
    end_open = np.minimum(open_end(end_a), open_end(end_b))
    overlaps = start < end_open
    end = reopen(pd.Series(end_open, index=start.index))
    return start, end, overlaps


def days_between(earlier, later):
    """Whole days from ``earlier`` to ``later`` (``later - earlier``) as integers.

    Examples
    --------
    >>> days_between(pd.Timestamp("2024-02-28"), pd.Timestamp("2024-03-01"))
    2
    """
    delta = later - earlier
    if isinstance(delta, pd.Series):
        return delta.dt.days
    return delta.days


def day_number(dates: pd.Series) -> np.ndarray:
    """Days since 1970-01-01 as int64 (for sorted searches on composite keys)."""
    return dates.to_numpy("datetime64[D]").astype(np.int64)
