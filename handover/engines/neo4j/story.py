"""Some users' rows read from Neo4j, as a dataset cut to those users: the stories ``handover user`` draws.

A user's story (:mod:`handover.reports.user_story`) is a property of the user's own rows:
their responsibilities, plans, episodes and contacts, and the agencies, services and staff
those name. :func:`user_dataset` reads exactly these from the server by the users' ids (the
uniqueness constraint is the index), in the contract's columns and types, so the page and
the findings listed on it are those the memory engine gives from the files: for
``handover user`` one user, for the user pages of ``handover report`` the users it draws. Nothing else
of the graph is read, and no free text: a responsibility's ``reason`` and the user's own
``birth_year`` and ``municipality`` are never shown on a page, so they are not fetched.
"""

from __future__ import annotations

import pandas as pd

from handover.model import TABLES, ColumnKind, Dataset

__all__ = ["user_dataset", "known_user"]

#: The user's own tables, each read by ``cypher/story/story_<table>.cypher``.
_USER_TABLES = ("responsibilities", "plans", "episodes", "contacts")

#: How many ids an unknown id's message may choose its examples from.
_EXAMPLES = 50


def known_user(engine, user_id: str) -> tuple[bool, int, list[str]]:
    """Whether ``user_id`` is loaded, how many users are, and the first ids in order (for examples)."""
    row = engine.ask("story/story_users", {"user_id": user_id, "examples": _EXAMPLES}).iloc[0]
    return bool(row["known"]), int(row["users"]), list(row["first"])


def user_dataset(engine, user_ids) -> Dataset:
    """The loaded dataset cut to ``user_ids``: their rows and the agencies, services and staff they name.

    Only the tables the loaded dataset has are made (a finding that needs a missing one
    says so on the page, as it does from the files).

    Parameters
    ----------
    engine : Neo4jEngine
    user_ids : str or list of str
        Users of the loaded dataset (see :func:`known_user`).

    Returns
    -------
    Dataset
        With the contract's columns and types, as :func:`handover.io.read_dataset` gives them.
    """
    user_ids = [user_ids] if isinstance(user_ids, str) else list(user_ids)
    present = engine.tables_present() or set(TABLES)
    tables = {"users": _typed("users", pd.DataFrame({"user_id": user_ids}))}
    for table in _USER_TABLES:
        if table in present:
            tables[table] = _typed(table, engine.ask(f"story/story_{table}", {"user_ids": user_ids}))
    def named(column: str) -> list[str]:
        return sorted({v for t in tables.values() if column in t for v in t[column] if v is not None})

    if "services" in present:
        tables["services"] = _typed("services", engine.ask("story/story_services",
                                                           {"service_ids": named("service_id")}))
    tables["agencies"] = _typed("agencies", engine.ask("story/story_agencies", {"agency_ids": named("agency_id")}))
    if "staff" in present:
        tables["staff"] = _typed("staff", engine.ask("story/story_staff", {"staff_ids": named("staff_id")}))
    return Dataset(tables, source=None, focus=engine.focus())


def _typed(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` in the contract's columns of ``table``: dates ``datetime64[ns]``, years ``Int64``,
    the rest ``object`` with ``None`` for a missing value; a column the query did not read is all missing."""
    columns = {}
    for column in TABLES[table].columns:
        values = frame[column.name] if column.name in frame else pd.Series([None] * len(frame), dtype=object)
        if column.kind is ColumnKind.DATE:
            columns[column.name] = pd.to_datetime(values).astype("datetime64[ns]")
        elif column.kind is ColumnKind.YEAR:
            columns[column.name] = pd.array(values, dtype="Int64")
        else:
            series = pd.Series(values, dtype=object).reset_index(drop=True)
            columns[column.name] = series.where(series.notna(), None)
    return pd.DataFrame(columns, index=pd.RangeIndex(len(frame)))
