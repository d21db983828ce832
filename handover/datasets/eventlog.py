"""``handover import event-log``: an event log's runs of one resource as responsibilities.

Process-mining logs (XES, CSV, Parquet, OCEL 2.0) record who did what in which case and
when. Read as responsibilities, they show who held each case and when it changed hands:

- per case, the events are ordered by their instant (equal instants keep the order of
  the file); events without a resource are skipped (and counted);
- each **maximal run of events by one resource** is one responsibility of role ``role``
  (default ``caseworker``) from the date of the run's first event to the date of the
  next run's first event; the case's last run ends the day after the case's last event;
- dates are the dates as written in the timestamps (no time-zone conversion);
- cases become users, resources staff, and the agency attribute's values agencies (the
  run's first event's value), else every responsibility is held for one agency.

A case whose events all lack a resource becomes a user without responsibilities. When a
log's offsets differ within a case, the next run can start on an earlier date as written
than the run before it: that run then ends on its own start day (an empty responsibility,
counted). The dataset (``users``, ``staff``, ``agencies``, ``responsibilities``; nothing
else) is written once, with ``import-report.md``, by
:func:`handover.io.write.write_dataset_folder`. The rule is vectorised (numpy): the cost is
a few sorts of the events' codes, whatever the number of cases.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from handover import __version__
from handover.datasets.imports import REPORT
from handover.errors import InputError
from handover.io.eventlog import EventLog, LogColumns, read_event_log
from handover.io.write import FORMATS, write_dataset_folder
from handover.model import VOCABULARIES, Dataset
from handover.privacy.identifiers import refuse_identifiers

__all__ = ["EventLogImport", "RunCounts", "DEFAULT_ROLE", "DEFAULT_AGENCY", "DEFAULT_AGENCY_KIND",
           "DEFAULT_AGENCY_LEVEL", "responsibilities_from_log", "import_event_log", "event_log_report"]

DEFAULT_ROLE = "caseworker"
DEFAULT_AGENCY = "unknown"
DEFAULT_AGENCY_KIND = "other"
#: Most handovers analysed here are municipal; a log says nothing about the level.
DEFAULT_AGENCY_LEVEL = "municipal"
_DAY = np.timedelta64(1, "D")


@dataclass(frozen=True)
class RunCounts:
    """What the rule made of a log, for the report and the command's summary line."""

    events: int
    skipped: int  # events without a resource
    cases: int
    cases_without_resource: int  # users with no responsibility
    resources: int
    responsibilities: int
    agencies: int
    agency_missing: int  # runs whose first event has no agency value (given the default agency)
    out_of_order: int  # runs ending on their own start day because the next run's date is earlier
    agency_counts: tuple[tuple[str, int], ...]  # responsibilities per agency, most first


@dataclass(frozen=True)
class EventLogImport:
    """What :func:`import_event_log` wrote."""

    folder: Path
    counts: RunCounts
    report: str  # the text of import-report.md


def _codes(values: pa.Array) -> tuple[np.ndarray, pa.Array]:
    """Per value its code (-1 where null) and the distinct values in order of first appearance."""
    encoded = pc.dictionary_encode(values)
    codes = np.asarray(encoded.indices.fill_null(-1), dtype=np.int64)
    return codes, encoded.dictionary


def _ordered(case: np.ndarray, instants: np.ndarray) -> np.ndarray:
    """Positions in case order, then instant order; equal instants keep the file's order."""
    positions = np.arange(len(case))
    if len(case) < 2:
        return positions
    same_case = case[1:] == case[:-1]
    grouped = (case[1:] >= case[:-1]).all()
    if grouped and (~same_case | (instants[1:] >= instants[:-1])).all():
        return positions  # the usual log: cases together, each in time order
    # Two stable sorts: by instant, then by case; a tie keeps the earlier order.
    positions = np.argsort(instants, kind="stable")
    return positions[np.argsort(case[positions], kind="stable")]


def _strings(values: pa.Array) -> np.ndarray:
    return np.asarray(values.to_pandas(), dtype=object)


def responsibilities_from_log(log: EventLog, *, role: str = DEFAULT_ROLE, agency_id: str = DEFAULT_AGENCY,
                              agency_kind: str = DEFAULT_AGENCY_KIND,
                              agency_level: str = DEFAULT_AGENCY_LEVEL) -> tuple[Dataset, RunCounts]:
    """The contract dataset an event log makes: one responsibility per run of one resource.

    Parameters
    ----------
    log : EventLog
        As read by :func:`handover.io.eventlog.read_event_log`.
    role : str
        The role of every responsibility (the ``role`` vocabulary).
    agency_id : str
        The agency of every responsibility without an agency value (all of them when the
        log is read without an agency attribute).
    agency_kind, agency_level : str
        The ``kind`` and ``level`` of every agency made.

    Returns
    -------
    (Dataset, RunCounts)
        Tables ``agencies``, ``staff``, ``users`` and ``responsibilities``. Users are in
        the order the log first names their cases, staff in the order it first names
        them, responsibilities per user in time order.

    Raises
    ------
    InputError
        A role, kind or level outside its vocabulary, or an empty agency id.

    Examples
    --------
    >>> import tempfile
    >>> log = Path(tempfile.mkdtemp()) / "log.csv"
    >>> _ = log.write_text("case:concept:name,org:resource,time:timestamp\\n"
    ...                    "c1,Pete,2010-12-30 11:02\\nc1,Pete,2010-12-30 15:00\\nc1,Sue,2010-12-31 10:06\\n"
    ...                    "c1,,2011-01-02 09:00\\nc1,Pete,2011-01-05 15:12\\n")
    >>> dataset, counts = responsibilities_from_log(read_event_log(log))
    >>> dataset["responsibilities"][["staff_id", "start", "end"]].astype(str).values.tolist()
    [['Pete', '2010-12-30', '2010-12-31'], ['Sue', '2010-12-31', '2011-01-05'], ['Pete', '2011-01-05', '2011-01-06']]
    >>> counts.skipped, counts.resources
    (1, 2)
    """
    for name, value, vocabulary in (("--role", role, "role"), ("--agency-kind", agency_kind, "agency_kind"),
                                    ("--agency-level", agency_level, "agency_level")):
        if value not in VOCABULARIES[vocabulary]:
            raise InputError(f"{name}: {value} is not one of: {', '.join(VOCABULARIES[vocabulary])}")
    if not str(agency_id).strip():
        raise InputError("--agency-id: give a non-empty id")
    agency_id = str(agency_id).strip()
    case, case_values = _codes(log.cases)
    resource, resource_values = _codes(log.resources)
    kept = np.flatnonzero(resource >= 0)
    order = kept[_ordered(case[kept], log.timestamps.instants[kept])]
    cases, resources, dates = case[order], resource[order], log.timestamps.dates[order]
    n = len(order)
    starts = np.flatnonzero(np.r_[True, (cases[1:] != cases[:-1]) | (resources[1:] != resources[:-1])]) \
        if n else np.zeros(0, dtype=np.int64)
    run_case, run_start = cases[starts], dates[starts]
    # The case's last event, for the run that ends the case.
    case_ends = np.flatnonzero(np.r_[cases[1:] != cases[:-1], True]) if n else np.zeros(0, dtype=np.int64)
    segment = np.cumsum(np.r_[True, cases[1:] != cases[:-1]])[starts] - 1 if n else starts
    last_day = dates[case_ends][segment]
    followed = np.r_[run_case[1:] == run_case[:-1], False] if len(starts) else np.zeros(0, dtype=bool)
    next_start = np.r_[run_start[1:], run_start[-1:]] if len(starts) else run_start
    end = np.where(followed, next_start, last_day + _DAY)
    early = end < np.where(followed, run_start, run_start + _DAY)
    end = np.where(followed, np.maximum(end, run_start), np.maximum(end, run_start + _DAY))
    if log.agencies is not None:
        run_agency = log.agencies.take(pa.array(order[starts]))
        missing = int(run_agency.null_count)
        run_agency = run_agency.fill_null(agency_id)
    else:
        missing = 0
        run_agency = pa.array(np.full(len(starts), agency_id, dtype=object), type=pa.string())
    agency_codes, agency_values = _codes(run_agency)
    per_agency = np.bincount(agency_codes, minlength=len(agency_values)) if len(starts) else np.zeros(0, int)
    agency_names = agency_values.to_pylist()
    if not len(agency_names):
        agency_names = [agency_id]  # the contract needs an agency even when nobody held a case
        per_agency = np.zeros(1, dtype=np.int64)
    responsibilities = pd.DataFrame({
        "user_id": _strings(case_values.take(pa.array(run_case))),
        "staff_id": _strings(resource_values.take(pa.array(resources[starts]))),
        "agency_id": _strings(run_agency),
        "role": role,
        "start": run_start.astype("datetime64[ns]"),
        "end": end.astype("datetime64[ns]"),
        "reason": pd.Series(None, index=range(len(starts)), dtype=object),
    })
    users = pd.DataFrame({"user_id": _strings(case_values), "birth_year": pd.array([pd.NA] * len(case_values),
                                                                                  dtype="Int64"),
                          "municipality": pd.Series(None, index=range(len(case_values)), dtype=object)})
    staff = pd.DataFrame({"staff_id": _strings(resource_values),
                          "profession": pd.Series(None, index=range(len(resource_values)), dtype=object)})
    agencies = pd.DataFrame({"agency_id": np.asarray(agency_names, dtype=object),
                             "name": np.asarray(agency_names, dtype=object), "kind": agency_kind,
                             "level": agency_level,
                             "municipality": pd.Series(None, index=range(len(agency_names)), dtype=object)})
    held = np.zeros(len(case_values), dtype=bool)
    held[run_case] = True
    ranked = sorted(zip(agency_names, per_agency.tolist()), key=lambda item: (-item[1], item[0]))
    counts = RunCounts(
        events=len(log), skipped=len(log) - len(kept), cases=len(case_values),
        cases_without_resource=int((~held).sum()), resources=len(resource_values),
        responsibilities=len(starts), agencies=len(agency_names), agency_missing=missing,
        out_of_order=int(early.sum()), agency_counts=tuple((a, int(c)) for a, c in ranked))
    dataset = Dataset({"agencies": agencies, "staff": staff, "users": users, "responsibilities": responsibilities},
                      source=log.file)
    return dataset, counts


def import_event_log(log_path: Path, out_dir: Path, *, columns: LogColumns = LogColumns(),
                     role: str = DEFAULT_ROLE, agency_id: str = DEFAULT_AGENCY,
                     agency_kind: str = DEFAULT_AGENCY_KIND, agency_level: str = DEFAULT_AGENCY_LEVEL,
                     fmt: str = "csv", sep: str = ",", encoding: str = "utf-8",
                     allow_identifiers: bool = False) -> EventLogImport:
    """Read an event log and write the responsibilities its runs make as a contract dataset.

    Parameters
    ----------
    log_path : Path
        ``.xes``, ``.xes.gz``, ``.csv``, ``.parquet`` or OCEL 2.0 ``.json`` / ``.jsonocel``.
    out_dir : Path
        Where the dataset goes: a new folder, or one holding only a dataset (replaced).
    columns : LogColumns
        Which attribute is the case, the resource, the timestamp and the agency (and, for
        OCEL 2.0, the object type of the cases).
    role, agency_id, agency_kind, agency_level : str
        See :func:`responsibilities_from_log`.
    fmt : {"csv", "parquet"}
        How the tables are written.
    sep, encoding : str
        How a CSV log is written.
    allow_identifiers : bool
        Accept case and resource ids that look like national identity numbers.

    Returns
    -------
    EventLogImport

    Raises
    ------
    InputError
        Everything :func:`~handover.io.eventlog.read_event_log` refuses, a bad option, ids
        that look like national identity numbers, an unusable ``out_dir``; nothing is
        written then.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> _ = (root / "log.csv").write_text("case:concept:name,org:resource,org:group,time:timestamp\\n"
    ...                                   "1,Pete,Intake,2011-01-03T10:00:00+01:00\\n"
    ...                                   "1,Mike,Review,2011-01-04T09:00:00+01:00\\n")
    >>> done = import_event_log(root / "log.csv", root / "dataset", columns=LogColumns(agency="org:group"))
    >>> sorted(p.name for p in done.folder.iterdir())
    ['agencies.csv', 'import-report.md', 'responsibilities.csv', 'staff.csv', 'users.csv']
    >>> print((done.folder / "responsibilities.csv").read_text().strip())
    user_id,staff_id,agency_id,role,start,end,reason
    1,Pete,Intake,caseworker,2011-01-03,2011-01-04,
    1,Mike,Review,caseworker,2011-01-04,2011-01-05,
    """
    if fmt not in FORMATS:
        raise InputError(f"--format: {fmt} is not one of: {', '.join(FORMATS)}")
    log = read_event_log(Path(log_path), columns, sep=sep, encoding=encoding)
    dataset, counts = responsibilities_from_log(log, role=role, agency_id=agency_id, agency_kind=agency_kind,
                                                agency_level=agency_level)
    refuse_identifiers(dataset, allow_identifiers, locate=lambda table, position: (
        f"{log.file} ({'cases' if table == 'users' else 'resources'}, as {table})", f"{table} row {position + 1}"))
    text = event_log_report(log, counts, role=role, agency_id=agency_id, agency_kind=agency_kind,
                            agency_level=agency_level, fmt=fmt, out_dir=Path(out_dir))
    folder = write_dataset_folder(dataset, Path(out_dir), fmt=fmt, extra={REPORT: text})
    return EventLogImport(folder, counts, text)


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


#: Agencies listed one by one in the report; the rest are counted together.
_REPORT_AGENCIES = 50


def event_log_report(log: EventLog, counts: RunCounts, *, role: str, agency_id: str, agency_kind: str,
                     agency_level: str, fmt: str, out_dir: Path) -> str:
    """The text of ``import-report.md``: what was read as what, what was made, what was skipped."""
    columns = log.columns
    agency = (f"`{columns.agency}` (the value of each run's first event; `{agency_id}` where it has none)"
              if columns.agency else f"none: every responsibility is held for `{agency_id}`")
    lines = [
        "# Import report",
        "",
        f"- Source: `{log.file}`, an event log ({log.kind})",
        f"- Written: {dt.date.today().isoformat()} by handover {__version__}, as {fmt} tables into "
        f"`{out_dir.name}`",
        f"- Case: `{columns.case}`; resource: `{columns.resource}`; timestamp: `{columns.timestamp}`",
        f"- Agency: {agency}; agencies made with kind `{agency_kind}` and level `{agency_level}`",
        f"- Role of every responsibility: `{role}`",
        "",
        "## The rule",
        "",
        "Per case, the events are ordered by their instant (equal instants keep the order of the file); "
        "events without a resource are skipped. Each maximal run of events by one resource is one "
        "responsibility, from the date of the run's first event to the date of the next run's first "
        "event; the case's last run ends the day after the case's last event. Dates are the dates as "
        "written in the timestamps (no time-zone conversion).",
        "",
        "## Counts",
        "",
        "| what | count |",
        "|---|---:|",
        f"| events read | {counts.events} |",
        f"| events skipped: no resource | {counts.skipped} |",
    ]
    lines += [f"| {_cell(what)} | {count} |" for what, count in log.notes]
    lines += [
        f"| cases (users) | {counts.cases} |",
        f"| cases without a responsibility (no event with a resource) | {counts.cases_without_resource} |",
        f"| resources (staff) | {counts.resources} |",
        f"| responsibilities made (runs) | {counts.responsibilities} |",
        f"| agencies | {counts.agencies} |",
    ]
    if columns.agency:
        lines.append(f"| runs whose first event has no agency (given `{agency_id}`) | {counts.agency_missing} |")
    lines += [f"| runs ending on their own start day: the next run's date as written is earlier "
              f"(offsets differ within the case) | {counts.out_of_order} |",
              "", "## Timestamps", "", "| written as | events |", "|---|---:|"]
    lines += [f"| `{form}` | {count} |" for form, count in log.timestamps.forms]
    lines += ["", "An instant with an offset is ordered in UTC; one without is ordered as written.", "",
              "## Agencies", "", "| agency | responsibilities |", "|---|---:|"]
    shown = counts.agency_counts[:_REPORT_AGENCIES]
    lines += [f"| {_cell(name)} | {count} |" for name, count in shown]
    if len(counts.agency_counts) > len(shown):
        rest = counts.agency_counts[len(shown):]
        lines.append(f"| {len(rest)} more agencies | {sum(c for _, c in rest)} |")
    lines.append("")
    return "\n".join(lines)
