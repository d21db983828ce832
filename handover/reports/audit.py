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

import io
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from handover.engines import Engine
from handover.findings import FINDINGS, find
from handover.findings.schema import to_text_frame
from handover.io.atomic import write_folder_atomic
from handover.locale import Words, words
from handover.privacy.spreadsheet import neutralise_formula, neutralise_frame
from handover.render.audit_page import audit_html
from handover.render.audit_text import measure_explanations, suppression_text
from handover.reports.audit_tables import AuditTables, audit_tables
from handover.timeline import to_day

__all__ = ["AUDIT_FILES", "write_audit", "neutralise_formula"]

#: The files :func:`write_audit` writes, in the order a reader needs them.
AUDIT_FILES = (
    "audit.html", "discharges.csv", "discharges.xlsx",
    "summary_by_agency.csv", "summary_by_month.csv", "summary_overall.csv",
)

_TEXT_COLUMNS = ("user_id", "episode_id", "agency_id", "agency_name", "discharge_kind",
                 "coordinator_staff_id", "month")
_SHARES = ("share_with_coordinator", "share_7d", "share_30d", "share_readmitted")


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
    files["discharges.xlsx"] = _workbook(tables, options, w)
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


def _excel_values(frame: pd.DataFrame) -> pd.DataFrame:
    """Values as Excel cells: numbers, booleans, dates, text; missing as empty cells."""
    out = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            out[column] = values
        else:
            out[column] = values.astype(object).where(values.notna(), None)
    return _neutralised(out)


def _heading(column: str, w: Words) -> str:
    """A workbook column's heading: the summary's own words, else the shared column headings."""
    return w.get(f"audit.column.{column}") or w.column(column)


def _workbook(tables: AuditTables, options: dict, w: Words) -> bytes:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    worklist = w("audit.workbook.discharges")
    sheets = {
        worklist: tables.worklist,
        w("audit.workbook.by_agency"): tables.by_agency,
        w("audit.workbook.by_month"): tables.by_month,
        w("audit.workbook.overall"): tables.overall,
    }
    about_sheet = w("workbook.about")
    about = pd.DataFrame({"": _about_lines(tables.suppressed, options, w)})
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl", date_format="YYYY-MM-DD",
                        datetime_format="YYYY-MM-DD") as writer:
        for name, frame in sheets.items():
            headed = _excel_values(frame).rename(columns=lambda column: _heading(column, w))
            headed.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            sheet.freeze_panes = "A2"
            if len(frame.columns):
                sheet.auto_filter.ref = sheet.dimensions
            for i, column in enumerate(frame.columns, start=1):
                texts = [_cell_text(v) if not isinstance(v, pd.Timestamp) else "YYYY-MM-DD"
                         for v in frame[column].head(500)]
                width = max([len(_heading(column, w))] + [len(t) for t in texts]) + 2
                sheet.column_dimensions[get_column_letter(i)].width = min(width, 60)
                if name == worklist or column in _TEXT_COLUMNS:
                    continue
                # Summaries mix numbers and "<5": align them alike, shares with one decimal.
                one_decimal = column in _SHARES or column == "median_days_to_follow_up"
                for cell in sheet[get_column_letter(i)][1:]:
                    cell.alignment = Alignment(horizontal="right")
                    if one_decimal and isinstance(cell.value, (int, float)):
                        cell.number_format = "0.0"
            for cell in sheet[1]:
                cell.font = Font(bold=True)
        about.to_excel(writer, sheet_name=about_sheet, index=False, header=False)
        sheet = writer.sheets[about_sheet]
        sheet.column_dimensions["A"].width = 110
        for row in sheet.iter_rows():
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet["A1"].font = Font(bold=True, size=13)
    return buffer.getvalue()


def _about_lines(suppress: bool, options: dict, w: Words) -> list[str]:
    lines = [w("audit.workbook_title", title=FINDINGS["discharge_follow_up"].text("title", w.lang)),
             suppression_text(suppress, w.lang),
             w("audit.workbook.worklist", sheet=w("audit.workbook.discharges"))]
    lines += [f"{name}: {text}" for name, text in measure_explanations(
        options["follow_up_by"], options["max_days"], w.lang)]
    return lines
