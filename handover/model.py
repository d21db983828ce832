"""The data contract (docs/data.md): tables, columns, vocabularies, and the Dataset.

Everything that knows which columns a table has, which are required, what they
refer to and which values a vocabulary allows lives here, so the reader, the
validator, the Neo4j loader and the generator share one source of truth.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Mapping

import pandas as pd

__all__ = [
    "ColumnKind",
    "Column",
    "Table",
    "TABLES",
    "REQUIRED_TABLES",
    "VOCABULARIES",
    "STAY_SERVICE_KINDS",
    "Dataset",
    "empty_table",
]


class ColumnKind(str, Enum):
    """How a column is read and checked."""

    ID = "id"  # a string key; never parsed as a number
    TEXT = "text"
    DATE = "date"  # ISO YYYY-MM-DD (a full ISO datetime is truncated to its date)
    VOCAB = "vocab"  # one value of a closed, lower-case vocabulary
    YEAR = "year"  # a whole number such as a birth year


VOCABULARIES: dict[str, tuple[str, ...]] = {
    "agency_kind": (
        "nav_office", "municipal_health", "allocation_office", "housing", "gp", "dps",
        "tsb", "hospital", "private_institution", "ngo", "other",
    ),
    "agency_level": ("municipal", "specialist", "state", "private"),
    "service_kind": (
        "inpatient", "residential", "detox", "outpatient", "ost", "housing_support",
        "low_threshold", "day_activity", "social_services", "other",
    ),
    "role": ("coordinator", "caseworker", "contact", "therapist", "gp", "housing_support", "other"),
    "plan_kind": ("individual_plan", "treatment_plan", "activity_plan", "crisis_plan", "other"),
    "discharge_kind": ("planned", "unplanned", "transfer", "death", "other"),
    "contact_kind": ("visit", "home_visit", "phone", "digital", "meeting", "other"),
}

#: Service kinds whose episodes are *stays* (docs/data.md).
STAY_SERVICE_KINDS: tuple[str, ...] = ("inpatient", "residential", "detox")


@dataclass(frozen=True)
class Column:
    """One column of a table in the data contract.

    Parameters
    ----------
    name : str
    kind : ColumnKind
    required : bool
        Required columns must be present in the file and non-empty on every row.
    vocabulary : str, optional
        Key into :data:`VOCABULARIES` for ``ColumnKind.VOCAB`` columns.
    references : str, optional
        The table whose primary key this column names (``"agencies"`` for ``agency_id``).
    """

    name: str
    kind: ColumnKind
    required: bool = False
    vocabulary: str | None = None
    references: str | None = None


@dataclass(frozen=True)
class Table:
    """One table of the data contract: its columns, primary key and interval."""

    name: str
    columns: tuple[Column, ...]
    primary_key: str | None = None
    interval: tuple[str, str] | None = None  # (start, end) columns of a half-open interval

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def _id(name: str, required: bool = True, references: str | None = None) -> Column:
    return Column(name, ColumnKind.ID, required, references=references)


def _vocab(name: str, vocabulary: str, required: bool = True) -> Column:
    return Column(name, ColumnKind.VOCAB, required, vocabulary=vocabulary)


def _date(name: str, required: bool = False) -> Column:
    return Column(name, ColumnKind.DATE, required)


def _text(name: str, required: bool = False) -> Column:
    return Column(name, ColumnKind.TEXT, required)


_TABLE_LIST = (
    Table("agencies", (
        _id("agency_id"), _text("name", True), _vocab("kind", "agency_kind"),
        _vocab("level", "agency_level"), _text("municipality"),
    ), primary_key="agency_id"),
    Table("services", (
        _id("service_id"), _id("agency_id", references="agencies"), _text("name", True),
        _vocab("kind", "service_kind"),
    ), primary_key="service_id"),
    Table("staff", (_id("staff_id"), _text("profession")), primary_key="staff_id"),
    Table("employments", (
        _id("staff_id", references="staff"), _id("agency_id", references="agencies"),
        _date("start", True), _date("end"),
    ), interval=("start", "end")),
    Table("users", (
        _id("user_id"), Column("birth_year", ColumnKind.YEAR), _text("municipality"),
    ), primary_key="user_id"),
    Table("responsibilities", (
        _id("user_id", references="users"), _id("staff_id", references="staff"),
        _id("agency_id", references="agencies"), _vocab("role", "role"),
        _date("start", True), _date("end"), _text("reason"),
    ), interval=("start", "end")),
    Table("plans", (
        _id("plan_id"), _id("user_id", references="users"),
        _id("agency_id", references="agencies"), _vocab("kind", "plan_kind"),
        _date("start", True), _date("end"), _date("last_revised"),
    ), primary_key="plan_id", interval=("start", "end")),
    Table("episodes", (
        _id("episode_id"), _id("user_id", references="users"),
        _id("service_id", references="services"), _date("start", True), _date("end"),
        _vocab("discharge_kind", "discharge_kind", required=False),
    ), primary_key="episode_id", interval=("start", "end")),
    Table("contacts", (
        _id("contact_id"), _id("user_id", references="users"),
        _id("agency_id", references="agencies"), _date("date", True),
        _vocab("kind", "contact_kind", required=False),
        _id("service_id", required=False, references="services"),
        _id("staff_id", required=False, references="staff"),
    ), primary_key="contact_id"),
)

#: The tables of the contract, in load order (referenced tables first).
TABLES: dict[str, Table] = {t.name: t for t in _TABLE_LIST}

#: Tables every dataset must have.
REQUIRED_TABLES: tuple[str, ...] = ("agencies", "users", "responsibilities")


@dataclass
class Dataset:
    """A validated dataset: one pandas frame per table present.

    Ids and text are ``object`` columns of ``str`` (missing as ``None``), dates are
    ``datetime64[ns]`` at midnight (missing as ``NaT``), birth years nullable ``Int64``.
    A dataset read from files holds ``plan_id``, ``episode_id`` and ``contact_id`` as
    Arrow-backed ``str`` columns instead (:func:`handover.io.read_dataset`); code on a
    dataset treats both alike.
    Only contract columns are kept; tables absent from the folder are absent here.

    Examples
    --------
    >>> import pandas as pd
    >>> ds = Dataset({"users": pd.DataFrame({"user_id": ["007"]})})
    >>> ds.has("users"), ds.has("plans")
    (True, False)
    """

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    source: str | None = None
    #: The agencies the dataset is focused on (:func:`handover.io.focus.focus_on_agencies`):
    #: only their users' rows are here. Empty: every user.
    focus: tuple[str, ...] = ()
    #: The latest date of the whole dataset a focused one was cut from: focusing chooses
    #: users, not the day the data describe, so this stays the default ``as_of``.
    whole_latest_date: pd.Timestamp | None = None

    def has(self, table: str) -> bool:
        """Whether the dataset has ``table``."""
        return table in self.tables

    def __getitem__(self, table: str) -> pd.DataFrame:
        return self.tables[table]

    def get(self, table: str) -> pd.DataFrame:
        """The table's frame, or an empty frame with the contract's columns when absent."""
        if table in self.tables:
            return self.tables[table]
        return empty_table(table)

    def snapshot(self, as_of: pd.Timestamp) -> "Dataset":
        """The dataset as it stood on ``as_of`` (docs/findings.md, "as of").

        Nothing dated after ``as_of`` exists yet: a responsibility, employment, plan or
        episode that starts later, and a contact dated later, are left out. What ends, or
        is revised, after ``as_of`` is not known yet: such an ``end`` (and an episode's
        ``discharge_kind``) or ``last_revised`` is missing, so the interval is ongoing on
        ``as_of``. Tables without dates are kept whole. On the latest date of the dataset
        (the default ``as_of``) the snapshot is the dataset.

        Examples
        --------
        >>> from handover.examples import tiny_dataset
        >>> past = tiny_dataset().snapshot(pd.Timestamp("2024-02-15"))
        >>> past["episodes"][["episode_id", "end", "discharge_kind"]].values.tolist()
        [['e1', NaT, None]]
        >>> len(past["responsibilities"]), len(tiny_dataset()["responsibilities"])
        (2, 4)
        """
        tables = {}
        for name, frame in self.tables.items():
            spec = TABLES[name]
            first = spec.interval[0] if spec.interval else ("date" if "date" in spec.column_names else None)
            later = [c.name for c in spec.columns if c.kind is ColumnKind.DATE and c.name != first]
            if first is None or first not in frame:
                tables[name] = frame
                continue
            seen = frame[first] <= as_of
            known = frame if seen.all() else frame[seen]  # no copy of a table the day changes nothing
            if any((known[c] > as_of).any() for c in later if c in known):
                known = known.copy()
                for column in later:
                    if column not in known:
                        continue
                    unknown = known[column] > as_of
                    if column == "end" and "discharge_kind" in known:
                        known["discharge_kind"] = known["discharge_kind"].where(~unknown, None)
                    known[column] = known[column].where(~unknown)
            tables[name] = known.reset_index(drop=True) if len(known) != len(frame) else known
        return Dataset(tables, source=self.source, focus=self.focus)

    def latest_date(self) -> pd.Timestamp | None:
        """The latest date that appears anywhere in the dataset (the default ``as_of``).

        For a focused dataset, the latest date of the whole dataset it was cut from.
        """
        if self.whole_latest_date is not None:
            return self.whole_latest_date
        latest = None
        for name, frame in self.tables.items():
            for col in TABLES[name].columns:
                if col.kind is ColumnKind.DATE and col.name in frame and len(frame):
                    value = frame[col.name].max()
                    if pd.notna(value) and (latest is None or value > latest):
                        latest = value
        return latest


def empty_table(table: str) -> pd.DataFrame:
    """An empty frame with the contract's columns and dtypes for ``table``."""
    columns: Mapping[str, pd.Series] = {}
    for col in TABLES[table].columns:
        if col.kind is ColumnKind.DATE:
            columns[col.name] = pd.Series([], dtype="datetime64[ns]")
        elif col.kind is ColumnKind.YEAR:
            columns[col.name] = pd.Series([], dtype="Int64")
        else:
            columns[col.name] = pd.Series([], dtype=object)
    return pd.DataFrame(columns)
