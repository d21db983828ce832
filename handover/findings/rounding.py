"""Ratios rounded the same way on both engines."""

from __future__ import annotations

import numpy as np

__all__ = ["round_ratio"]

_SCALE = 10_000  # four decimals


def round_ratio(numerator, denominator):
    """``numerator / denominator`` rounded half up to 4 decimals, exactly.

    Both engines round the exact fraction of two non-negative integers with integer
    arithmetic, ``floor((20000 p + q) / 2q) / 10000``, and so return the same float:
    rounding the float ``p / q`` instead would depend on how each engine rounds halves
    (Python and numpy round a binary half to even, Neo4j's ``round()`` rounds its decimal
    text half up), and ties are common here (``hhi = 34/64 = 0.53125``).

    Parameters
    ----------
    numerator, denominator : int or array of int
        ``numerator >= 0``, ``denominator > 0``.

    Returns
    -------
    float or numpy.ndarray of float
        A multiple of 0.0001, as the float nearest to it.

    Examples
    --------
    >>> round_ratio(2, 3), round_ratio(34, 64), round_ratio(1, 160), round_ratio(5, 5)
    (0.6667, 0.5313, 0.0063, 1.0)
    """
    numerator = np.asarray(numerator, dtype=np.int64)
    denominator = np.asarray(denominator, dtype=np.int64)
    steps = (2 * _SCALE * numerator + denominator) // (2 * denominator)
    result = steps / _SCALE
    return float(result) if np.ndim(result) == 0 else result
