"""What the report's pages share: the page around the content, the words of a rate, rates per period and compared.

:func:`page_shell` wraps a page's content in the site's head (inline CSS), navigation and
the line saying what the report is of; :func:`rate_words` gives a measure's words with the
finding's options filled in; :func:`period_section` draws a finding's rates per period as a
chart with the counts under it; :func:`comparison_table` sets two periods side by side.
The pages themselves are :mod:`handover.render.report_site` (the overview),
:mod:`handover.render.finding_page` and :mod:`handover.render.worklist_page`.
"""

from __future__ import annotations

import pandas as pd

from handover.findings import FINDINGS
from handover.locale import Words
from handover.privacy.suppression import SMALL
from handover.render.charts import Series, line_chart
from handover.render.html import asset, escape
from handover.render.rates import Rate, change_points, rate
from handover.render.tables import table_script

__all__ = ["page_shell", "meta_line", "rate_words", "measure_rows", "overall_rate", "period_section",
           "comparison_table"]


def page_shell(report, w: Words, *, title: str, body: str, depth: int = 0, current: str = "",
               tables: bool = False) -> str:
    """A whole page: the head, the site's navigation, what the report is of, ``body``."""
    up = "../" * depth
    links = [("index.html", w("report.nav.overview")), ("worklist.html", w("report.nav.worklist"))]
    links += [(f"findings/{name}.html", FINDINGS[name].text("sheet", w.lang)) for name in FINDINGS]
    here = ' aria-current="page"'
    nav = " ".join(f'<a href="{up}{href}"{here if href == current else ""}>{escape(text)}</a>'
                   for href, text in links)
    script = table_script(w, report.agencies, report.user_pages) if tables else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{w.lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} · handover</title><style>{asset('report.css')}</style></head>\n<body>"
        f'<nav class="site">{nav}</nav>\n<main>\n<h1>{escape(title)}</h1>\n'
        f'<p class="meta">{escape(meta_line(report, w))}</p>\n{body}\n</main>{script}</body></html>\n')


def meta_line(report, w: Words) -> str:
    """What the report is of: the dataset, the snapshot day, the period, the focus, the version."""
    parts = [w("report.meta.dataset", source=report.source or "—"),
             w("report.meta.as_of", day=f"{report.as_of:%Y-%m-%d}")]
    if report.since is not None or report.until is not None:
        parts.append(w("report.meta.period", since=_day(report.since), until=_day(report.until)))
    if report.focus:
        parts.append(w("report.meta.focus", agencies=", ".join(report.focus)))
    parts.append(f"handover {report.version}")
    return " · ".join(parts)


def _day(day) -> str:
    return "…" if day is None or pd.isna(day) else f"{day:%Y-%m-%d}"


def rate_words(report, name: str, key: str, w: Words) -> dict[str, str]:
    """A measure's title, numerator, denominator and unit, the finding's options filled in."""
    finding = FINDINGS[name]
    fields = {k: v for k, v in report.params.get(name, {}).items() if v is not None}
    return {part: finding.text(f"measure.{key}.{part}", w.lang, **fields)
            for part in ("title", "numerator", "denominator", "unit")}


def measure_rows(table: pd.DataFrame, name: str, key: str, scope: str) -> pd.DataFrame:
    """The rows of one measure and scope of the indicator table."""
    return table[(table["finding"] == name) & (table["measure"] == key) & (table["scope"] == scope)]


def overall_rate(report, name: str, key: str) -> Rate | None:
    rows = measure_rows(report.indicators, name, key, "overall")
    if rows.empty:
        return None
    return rate(rows["numerator"].iloc[0], rows["denominator"].iloc[0], report.suppress)


def period_section(report, name: str, w: Words, *, ident: str) -> str:
    """The rates of a finding per period: one line per measure, the counts in a table under it."""
    finding = FINDINGS[name]
    table = report.indicators
    keys = [m.key for m in finding.measures]
    rows = table[(table["finding"] == name) & (table["scope"] == "period") & table["measure"].isin(keys)]
    if rows.empty:
        return ""
    periods = sorted(set(rows["key"]))
    series, lines = [], []
    for key in keys:
        mine = rows[rows["measure"] == key].set_index("key")
        values = []
        label = rate_words(report, name, key, w)["title"]
        for period in periods:
            if period not in mine.index:
                values.append(None)
                continue
            shown = rate(mine.at[period, "numerator"], mine.at[period, "denominator"], report.suppress)
            values.append(SMALL if shown.hidden else shown.percent)
            lines.append((period, label, shown))
        series.append(Series(label, values))
    chart = line_chart(periods, series, title=w("report.period.chart", finding=finding.text("title", w.lang)),
                       ident=ident, lang=w.lang)
    body = "".join(
        f"<tr><td>{escape(period)}</td><td>{escape(label)}</td><td class=\"num\">{escape(r.numerator_text(w))}</td>"
        f'<td class="num">{escape(r.denominator_text(w))}</td><td class="num">{escape(r.text(w))}</td></tr>'
        for period, label, r in sorted(lines, key=lambda line: (line[0], line[1])))
    head = "".join(f"<th>{escape(w(k))}</th>" for k in ("report.period.period", "report.period.measure",
                                                         "report.period.numerator", "report.period.denominator",
                                                         "report.period.share"))
    return (f'<h3>{escape(finding.text("title", w.lang))}</h3><figure>{chart}<figcaption>{escape(w("report.period.caption"))}</figcaption></figure>'
            f'<details class="counts"><summary>{escape(w("report.period.counts"))}</summary><div class="scroll">'
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div></details>")


def comparison_table(report, w: Words, *, scope: str = "overall", name: str | None = None) -> str:
    if report.comparison is None:
        return ""
    a, b = report.compared
    table = report.comparison[report.comparison["scope"] == scope]
    if name is not None:
        table = table[table["finding"] == name]
    if table.empty:
        return ""
    rows = []
    for row in table.itertuples(index=False):
        first = rate(row.numerator_a, row.denominator_a, report.suppress)
        second = rate(row.numerator_b, row.denominator_b, report.suppress)
        change = change_points(first, second)
        where = report.agencies.get(row.key, row.key) if scope == "agency" else \
            rate_words(report, row.finding, row.measure, w)["title"]
        tip = f' title="{escape(row.key)}"' if scope == "agency" else ""
        label = rate_words(report, row.finding, row.measure, w)["title"] if scope == "agency" else ""
        cells = [f"<td{tip}>{escape(where)}</td>"] + ([f"<td>{escape(label)}</td>"] if scope == "agency" else [])
        cells += [f'<td class="num">{escape(r.text(w))} <span class="of">'
                  f'({escape(r.numerator_text(w))}/{escape(r.denominator_text(w))})</span></td>' for r in (first, second)]
        sign = "" if change is None else ("+" if change > 0 else "")
        cells.append(f'<td class="num">{escape("—" if change is None else sign + w.number(change))}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    first_head = w("report.compare.agency") if scope == "agency" else w("report.compare.measure")
    heads = [first_head] + ([w("report.compare.measure")] if scope == "agency" else []) + [a.label, b.label,
                                                                                            w("report.compare.change")]
    head = "".join(f"<th>{escape(h)}</th>" for h in heads)
    return (f'<div class="scroll"><table class="compare"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}'
            f"</tbody></table></div>")
