"""One finding's page of the report: its rates overall, by agency and per period, and every row.

:func:`finding_page` draws ``findings/<finding>.html``: the finding's explanation; each
measure's rate with what it counts; a bar per agency (the agency's name, its id on hover,
the worst first) with the counts in a sortable table; the rates per period and the two
periods compared when the report has them; and every row of the finding in a table that
sorts and filters, user ids linked to their pages.
"""

from __future__ import annotations

import pandas as pd

from handover.findings import FINDINGS
from handover.locale import Words, words
from handover.privacy.suppression import SMALL
from handover.render.charts import Bar, bar_chart
from handover.render.html import escape
from handover.render.rates import Rate, rate
from handover.render.report_parts import comparison_table, measure_rows, page_shell, period_section, rate_words
from handover.render.tables import data_table

__all__ = ["finding_page"]

# An agency chart shows at most this many agencies (the worst); the table below has them all.
_AGENCY_BARS = 40


def _agency_rates(report, name: str, key: str) -> list[tuple[str, Rate]]:
    """``(agency id, rate)`` of every agency, the worst first (hidden and empty ones last; on equal
    shares, the one with more cases first)."""
    rows = measure_rows(report.indicators, name, key, "agency")
    rates = [(k, rate(n, d, report.suppress)) for k, n, d in zip(rows["key"], rows["numerator"], rows["denominator"])]
    good = _good(name, key)

    def order(item):
        agency, shown = item
        share = shown.percent
        if share is None:
            return (1, 0.0, 0, report.agencies.get(agency, agency))
        # Equal shares: the agency with more cases first (100% of 40 says more than 100% of 5).
        return (0, share if good else -share, -shown.denominator, report.agencies.get(agency, agency))

    return sorted(rates, key=order)


def _agency_section(report, name: str, key: str, w: Words) -> str:
    text = rate_words(report, name, key, w)
    rates = _agency_rates(report, name, key)
    if not rates:
        return ""
    bars = []
    for agency, shown in rates[:_AGENCY_BARS]:
        label = report.agencies.get(agency, agency)
        tip = w("report.agency.tooltip", agency=label, id=agency, share=shown.text(w),
                numerator=shown.numerator_text(w), denominator=shown.denominator_text(w))
        if shown.hidden:
            bars.append(Bar(label, None, text=SMALL, tooltip=tip, hidden=True))
        else:
            bars.append(Bar(label, shown.percent, tooltip=tip, text=w(
                "report.agency.bar", share=shown.text(w), numerator=shown.numerator_text(w),
                denominator=shown.denominator_text(w))))
    chart = bar_chart(bars, title=w("report.agency.chart", measure=text["title"]), horizontal=True, max_value=100,
                      width=880, ident=f"agency-{key}", lang=w.lang)
    frame = pd.DataFrame({
        "agency_id": [a for a, _ in rates],
        "numerator": [r.numerator if not (r.suppress and 1 <= r.numerator <= 4) else SMALL for _, r in rates],
        "denominator": [r.denominator if not (r.suppress and 1 <= r.denominator <= 4) else SMALL for _, r in rates],
        "share": [SMALL if r.hidden else r.percent for _, r in rates],
    })
    table = data_table(frame, [("agency_id", "str"), ("numerator", "int"), ("denominator", "int"), ("share", "float")],
                       ident=f"agencies-{key}", w=w, agencies=report.agencies)
    more = (f'<p class="note">{escape(w("report.agency.more", shown=_AGENCY_BARS, total=len(rates)))}</p>'
            if len(rates) > _AGENCY_BARS else "")
    return (f'<h3>{escape(w("report.agency.title", measure=text["title"]))}</h3>'
            f"<figure>{chart}<figcaption>{escape(w('report.agency.good' if _good(name, key) else 'report.agency.bad'))}"
            f"</figcaption></figure>{more}{table}")


def _good(name: str, key: str) -> bool:
    return next(m.good for m in FINDINGS[name].measures if m.key == key)


def _distribution(report, w: Words) -> str:
    table = report.indicators
    rows = table[(table["finding"] == "continuity_of_care") & (table["scope"] == "distribution")]
    if rows.empty:
        return ""
    n = int(rows["denominator"].iloc[0])
    hidden = report.suppress and 1 <= n <= 4
    stats = ("p25", "median", "p75")
    head = "".join(f"<th>{escape(w(f'finding.continuity_of_care.distribution.{k}'))}</th>" for k in stats)
    body = []
    for measure in ("upc", "coc"):
        cells = []
        for stat in stats:
            value = rows[(rows["measure"] == measure) & (rows["key"] == stat)]["value"]
            shown = SMALL if hidden else ("—" if value.empty or pd.isna(value.iloc[0]) else w.number(value.iloc[0], 2))
            cells.append(f'<td class="num">{escape(shown)}</td>')
        body.append(f"<tr><th scope=\"row\">{escape(w(f'finding.continuity_of_care.distribution.{measure}'))}</th>"
                    + "".join(cells) + "</tr>")
    among = w("finding.continuity_of_care.distribution.among", n=SMALL if hidden else w.count(n))
    return (f'<h3>{escape(w("finding.continuity_of_care.distribution.title"))}</h3><p>{escape(among)}</p>'
            f'<div class="scroll"><table><thead><tr><th></th>{head}</tr></thead><tbody>{"".join(body)}</tbody>'
            "</table></div>")


def finding_page(report, name: str) -> str:
    """``findings/<name>.html`` for a report (see the module docstring)."""
    w = words(report.lang)
    finding = FINDINGS[name]
    rows = report.results.get(name)
    parts = [f"<p>{escape(finding.text('explanation', w.lang))}</p>",
             f'<p class="note">{escape(w("report.finding.definition", section=finding.section))}</p>']
    if isinstance(rows, str) or rows is None:
        parts.append(f'<p class="note">{escape(w("report.finding.not_run", why=rows or ""))}</p>')
        return page_shell(report, w, title=finding.text("title", w.lang), body="\n".join(parts), depth=1,
                          current=f"findings/{name}.html")
    for measure in finding.measures:
        text = rate_words(report, name, measure.key, w)
        overall = measure_rows(report.indicators, name, measure.key, "overall")
        if not overall.empty:
            shown = rate(overall["numerator"].iloc[0], overall["denominator"].iloc[0], report.suppress)
            parts.append(
                f'<section class="measure"><h2>{escape(text["title"])}: <span class="n">{escape(shown.text(w))}</span></h2>'
                f'<p>{escape(w("report.card.counts", numerator=shown.numerator_text(w), denominator=shown.denominator_text(w), unit=text["unit"]))}. '
                f'{escape(w("report.card.definition", numerator=text["numerator"], denominator=text["denominator"]))}</p>')
            parts.append(_agency_section(report, name, measure.key, w))
            parts.append("</section>")
    if name == "continuity_of_care":
        parts.append(_distribution(report, w))
    if report.by is not None:
        section = period_section(report, name, w, ident=f"period-{name}")
        if section:
            parts.append(f'<section><h2>{escape(w("report.over_time", by=w("report.by." + report.by)))}</h2>{section}'
                         "</section>")
    if report.comparison is not None:
        a, b = report.compared
        parts.append(f'<section><h2>{escape(w("report.compare.title", a=a.label, b=b.label))}</h2>'
                     f'{comparison_table(report, w, name=name)}{comparison_table(report, w, scope="agency", name=name)}</section>')
    parts.append(f'<section><h2>{escape(w("report.finding.rows", n=w.count(len(rows))))}</h2>'
                 f'<p class="note">{escape(w("report.finding.rows_note"))}</p>'
                 + data_table(rows, finding.schema.columns, ident=f"rows-{name}", w=w, agencies=report.agencies,
                              users=report.user_pages, base="../users/", csv=f"../{name}.csv")
                 + "</section>")
    return page_shell(report, w, title=finding.text("title", w.lang), body="\n".join(parts), depth=1,
                      current=f"findings/{name}.html", tables=True)
