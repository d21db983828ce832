"""The in-memory engine: pandas and networkx on a loaded :class:`~handover.model.Dataset`."""

from __future__ import annotations

from typing import Any

import pandas as pd

from handover.engines.base import Engine
from handover.findings import FINDINGS
from handover.findings.populations import POPULATIONS
from handover.model import Dataset

__all__ = ["MemoryEngine"]


class MemoryEngine(Engine):
    """Runs findings on a dataset held in memory; the default, no server needed.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> from handover.findings import find
    >>> find(MemoryEngine(tiny_dataset()), "caseworker_turnover")["user_id"].tolist()
    ['u2']
    """

    name = "memory"

    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self.source_dataset = dataset
        self._snapshots: dict[pd.Timestamp, Dataset] = {}
        self._answers: dict = {}  # (kind, name, params) -> a finding's or population's frame

    def latest_date(self) -> pd.Timestamp | None:
        return self.dataset.latest_date()

    def tables_present(self) -> set[str]:
        return set(self.dataset.tables)

    def agency_names(self) -> pd.DataFrame:
        names = self.dataset.get("agencies")[["agency_id", "name"]]
        return names.sort_values("agency_id", kind="stable").reset_index(drop=True)  # as cypher/meta orders them

    def remembered(self, kind: str, name: str, params: dict[str, Any], compute) -> pd.DataFrame:
        """The answer of ``name`` with ``params``, computed once: the dataset never changes.

        Examples
        --------
        >>> from handover.examples import tiny_dataset
        >>> engine, calls = MemoryEngine(tiny_dataset()), []
        >>> for _ in range(2):
        ...     _ = engine.remembered("finding", "x", {"days": 7}, lambda: calls.append(1) or pd.DataFrame())
        >>> len(calls)
        1
        """
        key = (kind, name, tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items())))
        if key not in self._answers:
            self._answers[key] = compute()
        return self._answers[key].copy()

    def snapshot(self, as_of: pd.Timestamp) -> Dataset:
        """The dataset as it stood on ``as_of``, kept for the next finding on the same day.

        Two days are kept: the first asked for (a report's as-of day, asked again between
        the days of its periods) and the latest other one, so memory stays bounded.
        """
        if as_of not in self._snapshots:
            if len(self._snapshots) >= 2:
                del self._snapshots[list(self._snapshots)[-1]]
            self._snapshots[as_of] = self.dataset.snapshot(as_of)
        return self._snapshots[as_of]

    def run_finding(self, finding: str, params: dict[str, Any]) -> pd.DataFrame:
        declared = FINDINGS[finding]
        options = dict(params)
        as_of = options.pop("as_of")
        if declared.uses_as_of:
            options["as_of"] = as_of
        return declared.memory(self.snapshot(as_of), **options)

    def run_population(self, name: str, params: dict[str, Any]) -> pd.DataFrame:
        options = dict(params)
        as_of = options.pop("as_of")
        return POPULATIONS[name].memory(self.snapshot(as_of), **options)
