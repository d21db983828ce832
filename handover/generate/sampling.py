"""Vectorised building blocks: days as integers, random points per owner, row sets.

Days are ``int64`` counts since 1970-01-01; an open end is :data:`OPEN`. A row set
(:class:`Rows`) is a dict of equally long numpy arrays, one per column, which the
simulation modules pass along instead of data frames to stay fast.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

__all__ = [
    "OPEN", "NONE", "YEAR", "Rows", "day_of", "date_of", "uniform_days", "choose",
    "poisson_points", "first_of_run", "concat_rows", "take_rows", "n_rows",
]

#: An open end (ongoing), far beyond any generated date.
OPEN = np.int64(1 << 30)
#: A missing index (no staff, no service, no reason).
NONE = -1
#: Days in a year, for rates.
YEAR = 365.25

Rows = dict  # column name -> numpy array, all of one length

_EPOCH = dt.date(1970, 1, 1)


def day_of(date: dt.date) -> int:
    """The day number of ``date``.

    Examples
    --------
    >>> day_of(dt.date(1970, 1, 31))
    30
    """
    return (date - _EPOCH).days


def date_of(day: int) -> dt.date:
    """The date of day number ``day``.

    Examples
    --------
    >>> date_of(30)
    datetime.date(1970, 1, 31)
    """
    return _EPOCH + dt.timedelta(days=int(day))


def uniform_days(rng: np.random.Generator, low, high) -> np.ndarray:
    """Whole days drawn uniformly from ``[low, high]`` (both ends included), elementwise.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> bool(np.all(uniform_days(rng, np.zeros(50, int), 3) <= 3))
    True
    """
    low = np.asarray(low, dtype=np.int64)
    high = np.maximum(np.asarray(high, dtype=np.int64), low)
    size = np.broadcast(low, high).shape
    return low + np.floor(rng.random(size) * (high - low + 1)).astype(np.int64)


def choose(rng: np.random.Generator, shares, size: int) -> np.ndarray:
    """Category codes ``0..k-1`` drawn with the given shares (normalised).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> sorted(set(choose(rng, [0.5, 0.0, 0.5], 100).tolist()))
    [0, 2]
    """
    cumulative = np.cumsum(np.asarray(shares, dtype=float))
    cumulative /= cumulative[-1]
    codes = np.searchsorted(cumulative, rng.random(size), side="right")
    return np.minimum(codes, len(cumulative) - 1)


def poisson_points(rng: np.random.Generator, low, high, per_year) -> tuple[np.ndarray, np.ndarray]:
    """Points of a Poisson process on each interval ``[low[i], high[i])``.

    Returns
    -------
    owner, day : numpy.ndarray
        The interval each point belongs to, and its day; sorted by ``(owner, day)``.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> owner, day = poisson_points(rng, np.array([0, 100]), np.array([3650, 100]), 2.0)
    >>> bool(set(owner.tolist()) == {0}), bool(np.all(np.diff(day) >= 0))
    (True, True)
    """
    low = np.asarray(low, dtype=np.int64)
    span = np.maximum(np.asarray(high, dtype=np.int64) - low, 0)
    counts = rng.poisson(np.asarray(per_year, dtype=float) * span / YEAR)
    owner = np.repeat(np.arange(len(low)), counts)
    day = low[owner] + np.floor(rng.random(len(owner)) * span[owner]).astype(np.int64)
    order = np.lexsort((day, owner))
    return owner[order], day[order]


def first_of_run(keys: np.ndarray) -> np.ndarray:
    """Whether each element starts a run of equal keys (``keys`` grouped).

    Examples
    --------
    >>> first_of_run(np.array([3, 3, 5, 5, 5, 7])).tolist()
    [True, False, True, False, False, True]
    """
    keys = np.asarray(keys)
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    return first


def concat_rows(parts: list[Rows]) -> Rows:
    """Row sets with the same columns, one after the other.

    Examples
    --------
    >>> concat_rows([{"a": np.array([1])}, {"a": np.array([2, 3])}])["a"].tolist()
    [1, 2, 3]
    """
    parts = [p for p in parts if p is not None]
    return {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}


def take_rows(rows: Rows, index) -> Rows:
    """The rows at ``index`` (an integer array or a boolean mask)."""
    return {name: values[index] for name, values in rows.items()}


def n_rows(rows: Rows) -> int:
    """How many rows a row set has."""
    return len(next(iter(rows.values())))
