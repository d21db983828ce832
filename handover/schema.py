"""Result schemas (DESIGN §5): the columns, their types and sort keys of each finding.

Both engines return raw frames; :func:`finalize` gives them the exact columns,
dtypes and row order of the contract, so equal answers compare equal.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = ["ResultSchema", "SCHEMAS", "finalize", "to_text_frame"]

# Column types: "str" (ids, vocab), "date", "int", "bool", "float" (rounded to 4 decimals).
_DTYPES = {"str": object, "date": "datetime64[ns]", "int": "Int64", "bool": "boolean", "float": "Float64"}


@dataclass(frozen=True)
class ResultSchema:
    """The contract of one finding's result table.

    Parameters
    ----------
    name : str
        The finding's name (``parallel_plans``).
    columns : tuple of (str, str)
        Column name and type, in output order.
    sort_key : tuple of str
        Columns the rows are sorted by.
    """

    name: str
    columns: tuple[tuple[str, str], ...]
    sort_key: tuple[str, ...]

    @property
    def column_names(self) -> list[str]:
        return [name for name, _ in self.columns]

    def empty(self) -> pd.DataFrame:
        """A zero-row frame with the right columns and dtypes."""
        return pd.DataFrame({name: pd.Series([], dtype=_DTYPES[kind]) for name, kind in self.columns})


def _schema(name: str, columns: str, sort_key: str) -> ResultSchema:
    pairs = tuple(tuple(part.split(":")) for part in columns.split())
    return ResultSchema(name, pairs, tuple(sort_key.split()))


SCHEMAS: dict[str, ResultSchema] = {
    s.name: s
    for s in (
        _schema(
            "handover_without_coordinator",
            "user_id:str from_episode_id:str from_agency_id:str to_episode_id:str "
            "to_agency_id:str handover_date:date next_start_date:date gap_days:int",
            "user_id handover_date from_episode_id",
        ),
        _schema(
            "caseworker_turnover",
            "user_id:str role:str changes:int window_start:date window_end:date distinct_staff:int",
            "user_id role",
        ),
        _schema(
            "parallel_plans",
            "user_id:str plan_a_id:str agency_a_id:str kind_a:str plan_b_id:str "
            "agency_b_id:str kind_b:str overlap_start:date overlap_end:date overlap_days:int",
            "user_id plan_a_id plan_b_id",
        ),
        _schema(
            "discharge_follow_up",
            "user_id:str episode_id:str agency_id:str discharge_date:date discharge_kind:str "
            "coordinator_staff_id:str first_follow_up_date:date days_to_follow_up:int "
            "follow_up_7d:bool follow_up_30d:bool readmitted_30d:bool",
            "user_id discharge_date episode_id",
        ),
        _schema(
            "coordinator_gaps",
            "user_id:str plan_id:str agency_id:str gap_start:date gap_end:date gap_days:int",
            "user_id plan_id gap_start",
        ),
        _schema(
            "dormant_plans",
            "user_id:str plan_id:str agency_id:str last_revised:date days_since_revision:int",
            "user_id plan_id",
        ),
        _schema(
            "continuity_of_care",
            "user_id:str contacts:int providers:int upc:float coc:float secon:float hhi:float",
            "user_id",
        ),
    )
}


def finalize(frame: pd.DataFrame, schema: ResultSchema) -> pd.DataFrame:
    """Give a raw result frame the exact columns, dtypes and row order of ``schema``.

    Strings sort by code point (Python's order), whatever engine produced them.

    Examples
    --------
    >>> raw = pd.DataFrame({"user_id": ["u2", "u10"], "role": ["caseworker"] * 2,
    ...     "changes": [3, 4], "window_start": ["2024-01-01", "2024-02-01"],
    ...     "window_end": ["2024-12-31", "2025-01-31"], "distinct_staff": [3, 4]})
    >>> finalize(raw, SCHEMAS["caseworker_turnover"])["user_id"].tolist()
    ['u10', 'u2']
    """
    missing = [c for c in schema.column_names if c not in frame.columns]
    if missing:
        raise KeyError(f"{schema.name}: result lacks columns {missing}")
    if frame.empty:
        return schema.empty()
    out = pd.DataFrame(index=frame.index)
    for name, kind in schema.columns:
        column = frame[name]
        if kind == "str":
            out[name] = column.astype(object).where(column.notna(), None)
        elif kind == "date":
            out[name] = pd.to_datetime(column).astype("datetime64[ns]")
        elif kind == "float":
            out[name] = pd.to_numeric(column).astype("Float64").round(4)
        else:
            out[name] = column.astype(_DTYPES[kind])
    out = out.sort_values(list(schema.sort_key), kind="stable", na_position="first")
    return out.reset_index(drop=True)


def to_text_frame(frame: pd.DataFrame, schema: ResultSchema) -> pd.DataFrame:
    """Render a finalized frame as the strings the CSV contract shows.

    Dates print as ``YYYY-MM-DD``, booleans as ``true``/``false``, missing values as
    empty strings, numbers plainly.

    Examples
    --------
    >>> f = finalize(pd.DataFrame({"user_id": ["u1"], "role": ["caseworker"],
    ...     "changes": [3], "window_start": ["2024-01-01"], "window_end": [None],
    ...     "distinct_staff": [2]}), SCHEMAS["caseworker_turnover"])
    >>> to_text_frame(f, SCHEMAS["caseworker_turnover"]).iloc[0].tolist()
    ['u1', 'caseworker', '3', '2024-01-01', '', '2']
    """
    out = pd.DataFrame(index=frame.index)
    for name, kind in schema.columns:
        column = frame[name]
        if kind == "date":
            text = column.dt.strftime("%Y-%m-%d")
        elif kind == "bool":
            text = column.map({True: "true", False: "false"})
        elif kind == "float":
            text = column.map(lambda x: f"{x:.4f}".rstrip("0").rstrip(".") if pd.notna(x) else None)
        else:
            text = column.astype(object).map(lambda x: None if pd.isna(x) else str(x))
        out[name] = text.astype(object).where(column.notna(), "")
    return out
