"""The interface every engine implements, so findings run the same on each."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

import pandas as pd

__all__ = ["Engine"]


class Engine(ABC):
    """Runs findings on one dataset and returns raw result frames.

    Engines answer with the columns of docs/findings.md §5 but need not sort or type them:
    :func:`handover.findings.find` resolves options, fills in ``as_of`` and
    finalizes every answer the same way, so the engines can be compared row for row.
    """

    #: Short name used on the command line (``--engine``).
    name: str = ""
    #: The dataset the engine was opened on, when it is at hand (pages drawn from a user's own
    #: rows need it); ``None`` for a database queried as it is.
    source_dataset = None

    def remembered(self, kind: str, name: str, params: dict[str, Any], compute) -> pd.DataFrame:
        """``compute()``: the answer of finding or population ``name`` with ``params``.

        An engine whose data cannot change under it (:class:`~handover.engines.MemoryEngine`)
        keeps each answer and gives a copy the next time it is asked (a report asks for the
        same finding for its rows, its indicators and its worklist); a database may change
        between two questions, so by default every question is asked again.
        """
        return compute()

    @abstractmethod
    def latest_date(self) -> pd.Timestamp | None:
        """The latest date anywhere in the dataset: the default ``as_of``."""

    @abstractmethod
    def run_finding(self, finding: str, params: dict[str, Any]) -> pd.DataFrame:
        """Run one finding with fully resolved parameters and return its raw rows."""

    @abstractmethod
    def run_population(self, name: str, params: dict[str, Any]) -> pd.DataFrame:
        """Run one population (:mod:`handover.findings.populations`) with resolved parameters."""

    def tables_present(self) -> set[str] | None:
        """Names of the tables the dataset has, or ``None`` when the engine cannot tell."""
        return None

    def users_dataset(self, user_ids: list[str]):
        """The dataset cut to (at least) ``user_ids``, for their pages; ``None`` when the engine cannot tell.

        By default the dataset the engine was opened on (:attr:`source_dataset`), whole.
        """
        return self.source_dataset

    def agency_names(self) -> pd.DataFrame | None:
        """Columns ``agency_id, name`` of every agency in id order, or ``None`` when the engine cannot tell."""
        return None

    def close(self) -> None:
        """Release what the engine holds (connections); a no-op by default."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()
