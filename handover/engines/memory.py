"""The in-memory engine: pandas and networkx on a loaded :class:`~handover.model.Dataset`."""

from __future__ import annotations

from typing import Any

import pandas as pd

from handover.engines.base import Engine
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

    def latest_date(self) -> pd.Timestamp | None:
        return self.dataset.latest_date()

    def tables_present(self) -> set[str]:
        return set(self.dataset.tables)

    def agency_names(self) -> pd.DataFrame:
        return self.dataset.get("agencies")[["agency_id", "name"]]

    def run_finding(self, finding: str, params: dict[str, Any]) -> pd.DataFrame:
        from handover.findings import FINDINGS

        return FINDINGS[finding].memory(self.dataset, **params)
