"""``report.xlsx``: the whole report in one workbook, in the report's language.

Sheets, in the order a reader needs them: ``About``/``Om`` (what the report is of and how
to read it), the indicators (small counts hidden, as on the pages), the two periods
compared (with ``--compare``), today's three worklists, and one sheet per finding with all
its rows. Headings and sheet names are in the report's language; the CSV files beside the
workbook keep the column names of docs/findings.md for scripts.

Cells are what Excel users expect: dates are date cells shown ``YYYY-MM-DD`` (no
``00:00:00``), numbers are numbers, booleans are Excel's TRUE/FALSE (SANN/USANN in Norwegian
Excel), ids are text (``00123`` keeps its zeros), hidden counts are the text ``<5``, and text
a spreadsheet would run as a formula gets a leading ``'`` (:mod:`handover.privacy.spreadsheet`).
The workbook is written in openpyxl's streaming mode, row by row, so a region's report stays
quick and small in memory.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Iterable, Sequence

import pandas as pd

from handover.findings import FINDINGS
from handover.locale import Words, words
from handover.privacy.spreadsheet import neutralise_formula
from handover.privacy.suppression import SMALL
from handover.render.rates import shared_comparison, shared_indicators
from handover.render.report_parts import meta_line
from handover.findings.worklist import WORKLISTS

__all__ = ["report_workbook", "sheet_name", "cell_value"]

_WIDEST = 60


def sheet_name(name: str, taken: Iterable[str] = ()) -> str:
    """A sheet name Excel accepts, unique among ``taken``: at most 31 characters, none of ``[]:*?/\\``.

    Examples
    --------
    >>> sheet_name("Follow-up after discharge"), len(sheet_name("x" * 40)), sheet_name("A", ["A"])
    ('Follow-up after discharge', 31, 'A (2)')
    """
    cleaned = ("".join("_" if c in "[]:*?/\\" else c for c in name).strip("'") or "rows")[:31]
    taken = {t.lower() for t in taken}
    candidate, n = cleaned, 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate, n = cleaned[:31 - len(suffix)] + suffix, n + 1
    return candidate


def _text(value) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return neutralise_formula(ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value)))


def cell_value(value, kind: str):
    """The value of one cell for a value of a column of ``kind`` (``str``, ``int``, ``float``,
    ``bool``, ``date``); a hidden count stays the text ``<5``; missing values are empty cells.

    Examples
    --------
    >>> cell_value(pd.Timestamp("2024-03-01"), "date"), cell_value("<5", "int"), cell_value("=1", "str")
    (datetime.date(2024, 3, 1), '<5', "'=1")
    """
    if value is None or value is pd.NA or value is pd.NaT or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, str) and value == SMALL:
        return SMALL
    if kind == "date":
        return pd.Timestamp(value).date()
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    if kind == "bool":
        return bool(value)
    return _text(value)


def _shown(value) -> int:
    if isinstance(value, dt.date):
        return 10
    if isinstance(value, bool):
        return 5
    return 0 if value is None else len(str(value))


def _sheet(book, title: str, frame: pd.DataFrame, columns: Sequence[tuple[str, str]], w: Words) -> None:
    """Append a sheet of ``frame``'s ``columns`` (headings in ``w``'s language), a filter and a frozen heading."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title)
    values = [[cell_value(v, kind) for v in frame[column].astype(object)] for column, kind in columns]
    headings = [w.column(column) for column, _ in columns]
    for i, (heading, cells) in enumerate(zip(headings, values), start=1):
        width = max([len(heading)] + [_shown(v) for v in cells[:500]]) + 2
        sheet.column_dimensions[get_column_letter(i)].width = min(width, _WIDEST)
    sheet.freeze_panes = "A2"
    if columns:
        last = get_column_letter(len(columns))
        sheet.auto_filter.ref = f"A1:{last}{len(frame) + 1}"
    bold = Font(bold=True)
    head = []
    for heading in headings:
        cell = WriteOnlyCell(sheet, value=_text(heading))
        cell.font = bold
        head.append(cell)
    sheet.append(head)
    dates = [i for i, (_, kind) in enumerate(columns) if kind == "date"]
    texts = [i for i, (_, kind) in enumerate(columns) if kind == "str"]
    for row in zip(*values):
        row = list(row)
        for i in dates:
            if row[i] is not None and row[i] != SMALL:
                cell = WriteOnlyCell(sheet, value=row[i])
                cell.number_format = "yyyy-mm-dd"
                row[i] = cell
        for i in texts:
            if row[i] is not None:
                cell = WriteOnlyCell(sheet, value=row[i])
                cell.number_format = "@"  # text: what is typed stays as typed
                row[i] = cell
        sheet.append(row)


def _about(book, report, w: Words, sheets: list[str]) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    sheet = book.create_sheet(sheet_name(w("workbook.about")))
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 110
    lines = [(w("report.title"), ""), (w("workbook.report"), meta_line(report, w)),
             (w("workbook.suppression"), w("report.suppressed", small=SMALL) if report.suppress
              else w("workbook.not_suppressed")),
             (w("workbook.worklists"), w("worklist.not_suppressed")),
             (w("workbook.columns"), w("workbook.columns_text")),
             (w("workbook.sheets"), ", ".join(sheets))]
    for name, finding in FINDINGS.items():
        lines.append((finding.text("title", w.lang), finding.text("explanation", w.lang)))
    wrap = Alignment(wrap_text=True, vertical="top")
    for what, text in lines:
        first = WriteOnlyCell(sheet, value=_text(what))
        first.font = Font(bold=True)
        first.alignment = wrap
        second = WriteOnlyCell(sheet, value=_text(text))
        second.alignment = wrap
        sheet.append([first, second])


def _indicator_frame(report, w: Words) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    table = shared_indicators(report.indicators, report.agencies, suppress=report.suppress)
    table = table.assign(
        finding=[FINDINGS[f].text("title", w.lang) for f in table["finding"]],
        measure=[_measure_title(report, f, m, w) for f, m in zip(report.indicators["finding"],
                                                                  report.indicators["measure"])],
        scope=[w.value("scope", s) for s in table["scope"]])
    columns = [("finding", "str"), ("measure", "str"), ("scope", "str"), ("key", "str"), ("agency_name", "str"),
               ("numerator", "int"), ("denominator", "int"), ("value", "float")]
    return table, columns


def _measure_title(report, name: str, key: str, w: Words) -> str:
    from handover.render.report_parts import rate_words

    if any(m.key == key for m in FINDINGS[name].measures):
        return rate_words(report, name, key, w)["title"]
    return key  # a statistic of a distribution: upc, coc


def report_workbook(report) -> bytes:
    """The bytes of ``report.xlsx`` for a :class:`handover.reports.summary.Report`.

    Examples
    --------
    >>> import openpyxl
    >>> from handover.engines import MemoryEngine
    >>> from handover.examples import tiny_dataset
    >>> from handover.reports.summary import build_report
    >>> data = report_workbook(build_report(MemoryEngine(tiny_dataset()), lang="nb"))
    >>> openpyxl.load_workbook(io.BytesIO(data)).sheetnames[:3]
    ['Om', 'Indikatorer', 'Arbeidsliste uten koordinator']
    """
    from openpyxl import Workbook

    w = words(report.lang)
    book = Workbook(write_only=True)
    planned: list[tuple[str, pd.DataFrame, list]] = []
    taken = [sheet_name(w("workbook.about"))]

    def plan(title: str, frame: pd.DataFrame, columns) -> None:
        name = sheet_name(title, taken)
        taken.append(name)
        planned.append((name, frame, list(columns)))

    plan(w("workbook.indicators"), *_indicator_frame(report, w))
    if report.comparison is not None:
        table = shared_comparison(report.comparison, report.agencies, report.compared, suppress=report.suppress)
        table = table.assign(finding=[FINDINGS[f].text("title", w.lang) for f in table["finding"]],
                             measure=[_measure_title(report, f, m, w) for f, m in zip(table["finding"], table["measure"])],
                             scope=[w.value("scope", s) for s in table["scope"]])
        columns = [("finding", "str"), ("measure", "str"), ("scope", "str"), ("key", "str"), ("agency_name", "str"),
                   ("period_a", "str"), ("numerator_a", "int"), ("denominator_a", "int"), ("share_a", "float"),
                   ("period_b", "str"), ("numerator_b", "int"), ("denominator_b", "int"), ("share_b", "float"),
                   ("change_points", "float")]
        plan(w("workbook.comparison"), table, columns)
    for name, rows in report.worklist.items():
        if isinstance(rows, pd.DataFrame):
            plan(w(f"worklist.{name}.sheet"), rows, WORKLISTS[name].columns)
    for name, rows in report.results.items():
        if isinstance(rows, pd.DataFrame):
            plan(FINDINGS[name].text("sheet", w.lang), rows, FINDINGS[name].schema.columns)
    _about(book, report, w, [name for name, _, _ in planned])
    for name, frame, columns in planned:
        _sheet(book, name, frame, columns, w)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
