"""``report.xlsx``: the whole report in one workbook, in the report's language.

Sheets, in the order a reader needs them: ``About``/``Om`` (what the report is of and how
to read it), the indicators (small counts hidden, as on the pages), the two periods
compared (with ``--compare``), today's three worklists, and one sheet per finding with all
its rows. Headings and sheet names are in the report's language; the CSV files beside the
workbook keep the column names of docs/findings.md for scripts.

The cells (dates as dates without ``00:00:00``, numbers, TRUE/FALSE, ids as text, hidden
counts as ``<5``, formulas defused) and the same bytes for the same report are those of
every handover workbook (:mod:`handover.render.xlsx`).
"""

from __future__ import annotations


import pandas as pd

from handover.findings import FINDINGS
from handover.findings.worklist import WORKLISTS
from handover.locale import Words, words
from handover.privacy.suppression import SMALL
from handover.render.rates import shared_comparison, shared_indicators
from handover.render.report_parts import meta_line
from handover.render.xlsx import new_workbook, sheet_name, table_sheet, text_sheet, workbook_bytes

__all__ = ["report_workbook"]


def _about(book, report, w: Words, sheets: list[str]) -> None:
    lines = [(w("report.title"), ""), (w("workbook.report"), meta_line(report, w)),
             (w("workbook.suppression"), w("report.suppressed", small=SMALL) if report.suppress
              else w("workbook.not_suppressed")),
             (w("workbook.worklists"), w("worklist.not_suppressed")),
             (w("workbook.columns"), w("workbook.columns_text")),
             (w("workbook.sheets"), ", ".join(sheets))]
    for finding in FINDINGS.values():
        lines.append((finding.text("title", w.lang), finding.text("explanation", w.lang)))
    text_sheet(book, sheet_name(w("workbook.about")), lines)


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
    >>> import io, openpyxl
    >>> from handover.engines import MemoryEngine
    >>> from handover.examples import tiny_dataset
    >>> from handover.reports.summary import build_report
    >>> data = report_workbook(build_report(MemoryEngine(tiny_dataset()), lang="nb"))
    >>> openpyxl.load_workbook(io.BytesIO(data)).sheetnames[:3]
    ['Om', 'Indikatorer', 'Arbeidsliste uten koordinator']
    """
    w = words(report.lang)
    book = new_workbook()
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
        table_sheet(book, name, frame, columns, [w.column(column) for column, _ in columns])
    return workbook_bytes(book, created=report.as_of)
