"""The report as a small offline site: the overview, one page per finding, today's worklist.

:func:`site_pages` draws a :class:`handover.reports.summary.Report` as pages, each a single
file with inline CSS (``assets/report.css``), inline SVG charts and the table script
(:mod:`handover.render.tables`): nothing is fetched, so the folder can be opened on a closed
network, copied or mailed. Every text comes from the catalogue (:mod:`handover.locale`) in
the report's language, and every value is escaped.

- ``index.html`` (:func:`overview_page`): a card per rate with its numerator, denominator
  and threshold; the rates per period as charts with the counts under them; two periods
  compared; the worklist's counts; the files.
- ``findings/<finding>.html`` (:mod:`handover.render.finding_page`).
- ``worklist.html`` (:mod:`handover.render.worklist_page`).
"""

from __future__ import annotations

from typing import Iterator

import pandas as pd

from handover.findings import FINDINGS
from handover.findings.worklist import TURNOVER_CHANGES, TURNOVER_DAYS
from handover.locale import Words, words
from handover.privacy.suppression import SMALL
from handover.render.html import escape
from handover.render.rates import count_text
from handover.render.report_parts import comparison_table, overall_rate, page_shell, period_section, rate_words

__all__ = ["site_pages", "overview_page"]


def _card(report, name: str, key: str, w: Words) -> str:
    text = rate_words(report, name, key, w)
    shown = overall_rate(report, name, key)
    if shown is None:
        return ""
    counts = w("report.card.counts", numerator=shown.numerator_text(w), denominator=shown.denominator_text(w),
               unit=text["unit"])
    return (f'<a class="card" href="findings/{name}.html"><span class="t">{escape(text["title"])}</span>'
            f'<span class="n">{escape(shown.text(w))}</span><span class="c">{escape(counts)}</span>'
            f'<span class="d">{escape(w("report.card.definition", numerator=text["numerator"], denominator=text["denominator"]))}'
            f"</span></a>")


def _distribution_card(report, w: Words) -> str:
    table = report.indicators
    rows = table[(table["finding"] == "continuity_of_care") & (table["scope"] == "distribution")]
    if rows.empty:
        return ""
    n = int(rows["denominator"].iloc[0])
    hidden = report.suppress and 1 <= n <= 4
    parts = []
    for measure in ("upc", "coc"):
        median = rows[(rows["measure"] == measure) & (rows["key"] == "median")]["value"]
        value = SMALL if hidden else ("—" if median.empty or pd.isna(median.iloc[0]) else w.number(median.iloc[0], 2))
        parts.append(f'{escape(measure.upper())} {escape(w("finding.continuity_of_care.distribution.median"))} '
                     f"<b>{escape(value)}</b>")
    among = w("finding.continuity_of_care.distribution.among", n=count_text(n, w, report.suppress))
    return (f'<a class="card" href="findings/continuity_of_care.html"><span class="t">'
            f'{escape(w("finding.continuity_of_care.distribution.title"))}</span><span class="m">{" · ".join(parts)}'
            f'</span><span class="c">{escape(among)}</span></a>')


def overview_page(report) -> str:
    """``index.html``: the rates, per period and compared, the worklist's counts and the files."""
    w = words(report.lang)
    cards, skipped = [], []
    for name, finding in FINDINGS.items():
        if isinstance(report.results.get(name), str):
            skipped.append(f"<li>{escape(finding.text('title', w.lang))}: {escape(report.results[name])}</li>")
            continue
        cards += [_card(report, name, m.key, w) for m in finding.measures]
        if name == "continuity_of_care":
            cards.append(_distribution_card(report, w))
    parts = [f"<p>{escape(w('report.intro'))}</p>"]
    if report.suppress:
        parts.append(f'<p class="note">{escape(w("report.suppressed", small=SMALL))}</p>')
    parts.append(f'<section><h2>{escape(w("report.rates"))}</h2><div class="cards">{"".join(c for c in cards if c)}</div>')
    if skipped:
        parts.append(f'<p class="note">{escape(w("report.not_run"))}</p><ul>{"".join(skipped)}</ul>')
    parts.append("</section>")
    parts.append(_worklist_counts(report, w))
    if report.comparison is not None:
        a, b = report.compared
        parts.append(f'<section><h2>{escape(w("report.compare.title", a=a.label, b=b.label))}</h2>'
                     f'<p>{escape(w("report.compare.explain"))}</p>{comparison_table(report, w)}</section>')
    if report.by is not None:
        charts = "".join(period_section(report, name, w, ident=f"period-{name}") for name in FINDINGS
                         if not isinstance(report.results.get(name), str))
        parts.append(f'<section><h2>{escape(w("report.over_time", by=w("report.by." + report.by)))}</h2>{charts}'
                     "</section>")
    parts.append(_files(report, w))
    return page_shell(report, w, title=w("report.title"), body="\n".join(parts), current="index.html")


def _worklist_counts(report, w: Words) -> str:
    items = []
    for name, rows in report.worklist.items():
        if isinstance(rows, str):
            continue
        users = rows["user_id"].nunique()
        title = w(f"worklist.{name}.title", changes=TURNOVER_CHANGES, days=TURNOVER_DAYS)
        items.append(f'<li><a href="worklist.html#{name}">{escape(title)}</a>: '
                     f'{escape(w("worklist.users", n=w.count(users)))}</li>')
    return (f'<section><h2>{escape(w("worklist.title", day=f"{report.as_of:%Y-%m-%d}"))}</h2>'
            f'<ul class="counts">{"".join(items)}</ul></section>')


def _files(report, w: Words) -> str:
    files = [("report.xlsx", w("report.files.workbook")), ("indicators.csv", w("report.files.indicators"))]
    if report.comparison is not None:
        files.append(("comparison.csv", w("report.files.comparison")))
    files += [(f"{name}.csv", FINDINGS[name].text("title", w.lang)) for name, rows in report.results.items()
              if not isinstance(rows, str)]
    items = "".join(f'<li><a href="{escape(href)}">{escape(href)}</a>: {escape(text)}</li>' for href, text in files)
    pages = report.user_pages_note or w("report.users.count", shown=w.count(len(report.user_pages)),
                                         total=w.count(report.users_in_findings))
    if len(report.user_pages) < report.users_in_findings and not report.user_pages_note:
        pages += " " + w("report.users.capped")
    return (f'<section><h2>{escape(w("report.files.title"))}</h2><ul>{items}</ul>'
            f'<p class="note">{escape(pages)}</p></section>')


def site_pages(report) -> Iterator[tuple[str, str]]:
    """Every page of the site as ``(path inside the report folder, HTML)``."""
    from handover.render.finding_page import finding_page
    from handover.render.worklist_page import worklist_page

    yield "index.html", overview_page(report)
    yield "worklist.html", worklist_page(report)
    for name in FINDINGS:
        yield f"findings/{name}.html", finding_page(report, name)
