"""Writing a transition audit: CSV, an Excel workbook and one offline HTML page.

:func:`write_audit` runs ``discharge_follow_up`` (docs/findings.md §5.4) on an engine,
makes the tables of :func:`handover.reports.audit_tables.audit_tables` and writes them
into a folder:

- ``discharges.csv`` and ``discharges.xlsx``: the worklist, one row per discharge
  (never suppressed; pseudonymous ids; for internal follow-up); the workbook also holds
  the summaries and a sheet explaining the measures;
- ``summary_by_agency.csv``, ``summary_by_month.csv``, ``summary_overall.csv``;
- ``audit.html``: one self-contained page (inline CSS and SVG; no scripts, fonts or
  anything fetched from the network) with the overall numbers, charts and tables, drawn
  by :func:`handover.render.audit_page.audit_html`.

The page and the workbook are in English or Norwegian bokmål (``lang``): the page's words,
the workbook's sheet names, headings and About sheet, and how the page writes numbers. The
CSV files are the same in both languages: their column names are the data contract, and
every value (codes, dates, numbers) is the same in both languages' files.

Every file is written atomically. Text cells in CSV and Excel that a spreadsheet would
run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return)
get a leading ``'`` (:mod:`handover.privacy.spreadsheet`): ids and agency names come from agency
systems.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

import numpy as np
import pandas as pd

from handover.engines import Engine
from handover.findings import FINDINGS, find
from handover.findings.schema import to_text_frame
from handover.io.atomic import write_folder_atomic
from handover.locale import Words, words
from handover.privacy.spreadsheet import neutralise_frame
from handover.privacy.suppression import SMALL
from handover.render.audit_page import audit_html
from handover.render.audit_text import measure_explanations, suppression_text
from handover.render.xlsx import new_workbook, paragraph_sheet, table_sheet, workbook_bytes
from handover.reports.audit_tables import AuditTables, audit_tables
from handover.timeline import to_day

__all__ = ["AUDIT_FILES", "write_audit"]

#: The files :func:`write_audit` writes, in the order a reader needs them.
AUDIT_FILES = (
    "audit.html", "discharges.csv", "discharges.xlsx",
    "summary_by_agency.csv", "summary_by_month.csv", "summary_overall.csv",
)

_TEXT_COLUMNS = ("user_id", "episode_id", "agency_id", "agency_name", "discharge_kind",
                 "coordinator_staff_id", "month")


def _neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    # Summaries are text by the time they are written ("<5"); only these columns are names.
    return neutralise_frame(frame, columns=_TEXT_COLUMNS)


def write_audit(
    engine: Engine,
    out_dir: Path,
    *,
    since=None,
    until=None,
    as_of=None,
    suppress: bool = True,
    follow_up_by: str | None = None,
    max_days: int | None = None,
    stay_kinds: Iterable[str] | None = None,
    agencies: pd.DataFrame | None = None,
    source: str = "",
    lang: str = "en",
    progress: Callable[[str], None] | None = None,
) -> Path:
    """Run the transition audit on ``engine`` and write its files into ``out_dir``.

    Parameters
    ----------
    engine : Engine
    out_dir : Path
        Created if needed; the files of :data:`AUDIT_FILES` are replaced.
    since, until : date-like, optional
        Keep discharges with ``since <= discharge_date <= until``.
    as_of : date-like, optional
        Shown on the page, and the end of the data: discharges less than 30 days
        before it have an incomplete follow-up window. Default: the latest date.
    suppress : bool, default True
        Small-cell suppression in the summaries, charts and page (see
        :mod:`handover.reports.audit_tables`); the worklist is never suppressed.
    follow_up_by, max_days, stay_kinds : optional
        Options of ``discharge_follow_up`` (default ``municipal``, 30, the stay kinds).
    agencies : pandas.DataFrame, optional
        For the agencies' names; default the engine's (:meth:`Engine.agency_names`).
    source : str
        The dataset's name, shown on the page.
    lang : {"en", "nb"}
        The language of the page and the workbook (see the module docstring).
    progress : callable, optional
        Called with the name of each step.

    Returns
    -------
    Path
        The HTML page.

    Raises
    ------
    InputError
        For invalid options, an unknown ``lang``, or a dataset without episodes and services.

    Examples
    --------
    >>> import tempfile
    >>> from handover.engines import MemoryEngine
    >>> from handover.examples import tiny_dataset
    >>> page = write_audit(MemoryEngine(tiny_dataset()), Path(tempfile.mkdtemp()))
    >>> sorted(p.name for p in page.parent.iterdir())[1:]
    ['audit.html', 'discharges.csv', 'discharges.xlsx', 'summary_by_agency.csv', 'summary_by_month.csv', 'summary_overall.csv']
    >>> print((page.parent / "summary_overall.csv").read_text(), end="")
    discharges,with_coordinator,share_with_coordinator,followed_up_7d,share_7d,followed_up_30d,share_30d,median_days_to_follow_up,readmitted_30d,share_readmitted
    <5,0,<5,<5,<5,<5,<5,<5,0,<5
    """
    w = words(lang)  # an unknown language is refused before any work
    step = progress or (lambda name: None)
    out_dir = Path(out_dir)
    as_of = to_day(as_of) if as_of is not None else engine.latest_date()
    step("discharge follow-up")
    rows = find(engine, "discharge_follow_up", as_of=as_of, follow_up_by=follow_up_by, max_days=max_days,
                stay_kinds=stay_kinds, since=since, until=until)
    options = dict(FINDINGS["discharge_follow_up"].defaults)
    options.update({k: v for k, v in {"follow_up_by": follow_up_by, "max_days": max_days}.items() if v is not None})
    step("summaries")
    tables = audit_tables(rows, agencies if agencies is not None else engine.agency_names(), suppress=suppress)

    step("discharges.csv")
    files: dict[str, str | bytes] = {"discharges.csv": _csv(_worklist_text(tables.worklist))}
    for name, frame in (("by_agency", tables.by_agency), ("by_month", tables.by_month),
                        ("overall", tables.overall)):
        files[f"summary_{name}.csv"] = _csv(_summary_text(frame))
    step("discharges.xlsx")
    files["discharges.xlsx"] = _workbook(tables, options, w, as_of)
    step("audit.html")
    files["audit.html"] = audit_html(tables, title=FINDINGS["discharge_follow_up"].text("title", lang),
                                     as_of=as_of, source=source, since=to_day(since), until=to_day(until),
                                     follow_up_by=options["follow_up_by"], max_days=options["max_days"], lang=lang)
    # The whole folder at once: a failed audit leaves the previous one as it was (never CSVs
    # of one run beside the page of another).
    return write_folder_atomic(out_dir, files, kind="audit") / "audit.html"


# --- CSV ------------------------------------------------------------------------------


def _csv(text: pd.DataFrame) -> str:
    return text.to_csv(index=False, lineterminator="\n")


def _worklist_text(worklist: pd.DataFrame) -> pd.DataFrame:
    """The worklist as the strings of ``find --format csv``, plus ``agency_name``, neutralised."""
    schema = FINDINGS["discharge_follow_up"].schema
    text = to_text_frame(worklist, schema)
    text.insert(text.columns.get_loc("agency_id") + 1, "agency_name", worklist["agency_name"].fillna(""))
    return _neutralised(text)


def _cell_text(value) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _summary_text(frame: pd.DataFrame) -> pd.DataFrame:
    """A summary as text: counts plainly, shares and medians with one decimal, missing empty."""
    out = frame.astype(object).where(frame.notna(), None)
    for column in out.columns:
        out[column] = out[column].map(_cell_text)
    return _neutralised(out)


# --- Excel ----------------------------------------------------------------------------


def _kind(frame: pd.DataFrame, column: str) -> str:
    """The cell kind of a column of the audit's tables (a hidden count ``<5`` stays text in any kind)."""
    values = frame[column]
    if column in _TEXT_COLUMNS:
        return "str"
    if pd.api.types.is_datetime64_any_dtype(values):
        return "date"
    if pd.api.types.is_bool_dtype(values):
        return "bool"
    if pd.api.types.is_integer_dtype(values):
        return "int"
    if pd.api.types.is_float_dtype(values):
        return "float"
    shown = [v for v in values.dropna().tolist() if not (isinstance(v, str) and v == SMALL)]
    if shown and all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in shown):
        return "int"
    if shown and all(isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
                     for v in shown):
        return "float"
    return "str"


def _heading(column: str, w: Words) -> str:
    """A workbook column's heading: the summary's own words, else the shared column headings."""
    return w.get(f"audit.column.{column}") or w.column(column)


def _workbook(tables: AuditTables, options: dict, w: Words, as_of) -> bytes:
    """The worklist and the summaries as a workbook (:mod:`handover.render.xlsx`: typed cells,
    formulas defused, the same bytes for the same rows), with an About sheet."""
    book = new_workbook()
    sheets = {
        w("audit.workbook.discharges"): tables.worklist,
        w("audit.workbook.by_agency"): tables.by_agency,
        w("audit.workbook.by_month"): tables.by_month,
        w("audit.workbook.overall"): tables.overall,
    }
    for name, frame in sheets.items():
        columns = [(column, _kind(frame, column)) for column in frame.columns]
        table_sheet(book, name, frame, columns, [_heading(column, w) for column in frame.columns])
    paragraph_sheet(book, w("workbook.about"), _about_lines(tables.suppressed, options, w))
    return workbook_bytes(book, created=as_of)


def _about_lines(suppress: bool, options: dict, w: Words) -> list[str]:
    lines = [w("audit.workbook_title", title=FINDINGS["discharge_follow_up"].text("title", w.lang)),
             suppression_text(suppress, w.lang),
             w("audit.workbook.worklist", sheet=w("audit.workbook.discharges"))]
    lines += [f"{name}: {text}" for name, text in measure_explanations(
        options["follow_up_by"], options["max_days"], w.lang)]
    return lines
