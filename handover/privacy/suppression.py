"""Small-cell suppression: counts of 1 to 4 in shared aggregates are hidden, shown as ``<5``.

A count that small, with the agency and month beside it, can point at a person. Every
aggregate meant for sharing (the audit's summaries, their charts) hides such counts and
whatever is computed from them; zero stays visible (nothing to hide). Worklists of
pseudonymous ids are for the service itself and are never suppressed.

Examples
--------
>>> import pandas as pd
>>> is_small(pd.Series([0, 1, 4, 5])).tolist()
[False, True, True, False]
"""

from __future__ import annotations

import pandas as pd

__all__ = ["SMALL", "LARGEST_SMALL", "is_small"]

#: What a hidden value is shown as.
SMALL = "<5"
#: The largest count that is hidden.
LARGEST_SMALL = 4


def is_small(counts: pd.Series) -> pd.Series:
    """Whether each count is hidden: from 1 to :data:`LARGEST_SMALL`."""
    return counts.between(1, LARGEST_SMALL)
