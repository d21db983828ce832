"""A three-user dataset built in code, for docstring examples and quick experiments.

u1 is handed over from a TSB stay to NAV with no coordinator; u2 changes caseworker
three times in 2024; u3 holds plans at NAV and TSB at the same time.
"""

from __future__ import annotations

import pandas as pd

from handover.model import TABLES, ColumnKind, Dataset

__all__ = ["tiny_dataset", "typed_frame"]


def typed_frame(table: str, rows: list) -> pd.DataFrame:
    """Rows of ``table`` (tuples in the contract's column order, or dicts) as a frame typed as
    :func:`handover.io.read_dataset` types it."""
    spec = TABLES[table]
    frame = pd.DataFrame(rows, columns=list(spec.column_names))
    for col in spec.columns:
        if col.kind is ColumnKind.DATE:
            frame[col.name] = pd.to_datetime(frame[col.name])
        elif col.kind is ColumnKind.YEAR:
            frame[col.name] = frame[col.name].astype("Int64")
        else:
            frame[col.name] = frame[col.name].astype(object)
    return frame


def tiny_dataset() -> Dataset:
    """The example dataset.

    Examples
    --------
    >>> ds = tiny_dataset()
    >>> sorted(ds.tables), str(ds.latest_date().date())
    (['agencies', 'episodes', 'plans', 'responsibilities', 'services', 'staff', 'users'], '2024-08-01')
    """
    return Dataset({
        "agencies": typed_frame("agencies", [
            ("a1", "NAV Sentrum", "nav_office", "municipal", "Oslo"),
            ("a2", "TSB Helseforetak", "tsb", "specialist", None),
        ]),
        "services": typed_frame("services", [
            ("sv1", "a2", "Døgnbehandling", "inpatient"),
            ("sv2", "a1", "Sosialtjeneste", "social_services"),
        ]),
        "staff": typed_frame("staff", [(f"st{i}", "social worker") for i in (1, 2, 3)]),
        "users": typed_frame("users", [("u1", 1980, None), ("u2", 1975, None), ("u3", 1990, None)]),
        "responsibilities": typed_frame("responsibilities", [
            ("u2", "st1", "a1", "caseworker", "2024-01-01", "2024-02-01", None),
            ("u2", "st2", "a1", "caseworker", "2024-02-01", "2024-05-01", None),
            ("u2", "st3", "a1", "caseworker", "2024-05-01", "2024-08-01", None),
            ("u2", "st1", "a1", "caseworker", "2024-08-01", None, None),
        ]),
        "plans": typed_frame("plans", [
            ("p9", "u3", "a1", "individual_plan", "2024-01-01", None, None),
            ("p10", "u3", "a2", "treatment_plan", "2024-06-01", "2024-07-02", None),
        ]),
        "episodes": typed_frame("episodes", [
            ("e1", "u1", "sv1", "2024-01-01", "2024-03-01", "planned"),
            ("e2", "u1", "sv2", "2024-03-03", None, None),
        ]),
    }, source="handover.examples.tiny_dataset")
