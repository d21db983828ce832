"""The transition audit's page: one offline HTML document with the numbers, charts and tables.

:func:`audit_html` draws the tables of :func:`handover.reports.audit_tables.audit_tables`
(an ``AuditTables``, used by its attributes only) with inline CSS (``assets/audit.css``)
and inline SVG charts: no scripts, fonts or anything fetched from the network. The
overall numbers come as cards, then the charts (follow-up rates by month, days to
follow-up, coordinator coverage by agency), what each measure means, and the summaries
by agency and by month. Hidden small numbers (:data:`handover.privacy.suppression.SMALL`) are
shown as they are, in grey; every piece of text is escaped, since agency names come from
agency systems.

Every word is the catalogue's (:mod:`handover.locale`: the ``audit.*`` keys of
``<lang>-audit.toml`` and a few shared ones), in English or bokmål; numbers follow the
language (``38.5 %`` or ``38,5 %``), dates are ISO in both.
"""

from __future__ import annotations

import pandas as pd

from handover import __version__
from handover.locale import Words, words
from handover.render.audit_text import measure_explanations, suppression_text
from handover.privacy.suppression import SMALL
from handover.render.charts import Bar, Series, bar_chart, histogram, line_chart
from handover.render.colours import PALETTE
from handover.render.html import asset, escape

__all__ = ["audit_html"]

# Charts are drawn at the width they are shown at on a laptop screen, so text keeps its size.
_CHART_WIDTH = 1080


def _shown(value, w: Words, *, percent: bool = False, days: bool = False) -> str:
    """A summary value for the page: ``<5`` and missing values as they are, numbers in ``w``'s way."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if isinstance(value, str):
        return value
    if percent or days:
        return w.number(value)
    return w.count(value)


def _percent(value, w: Words) -> str:
    text = _shown(value, w, percent=True)
    return f"{text}\u00a0%" if text[0].isdigit() else text


def _number(value) -> float | None:
    """The numeric value of a summary cell, ``None`` when hidden or missing."""
    if value is None or value is pd.NA or isinstance(value, str):
        return None
    return None if pd.isna(value) else float(value)


def _cards(overall: pd.Series, w: Words) -> str:
    n = _shown(overall["discharges"], w)

    def rate(label: str, column: str, count: str) -> tuple[str, str, str]:
        return w(label), _percent(overall[column], w), w("audit.card.of", count=_shown(overall[count], w), total=n)

    cards = [
        (w("audit.measure.discharges"), n, w("audit.card.discharges")),
        rate("audit.measure.coordinator", "share_with_coordinator", "with_coordinator"),
        rate("audit.card.follow_up_7d", "share_7d", "followed_up_7d"),
        rate("audit.card.follow_up_30d", "share_30d", "followed_up_30d"),
        (w("audit.measure.median"), _shown(overall["median_days_to_follow_up"], w, days=True),
         w("audit.card.median")),
        rate("audit.measure.readmitted", "share_readmitted", "readmitted_30d"),
    ]
    return "\n".join(
        f'<div class="card"><span class="label">{escape(label)}</span><span class="n">{escape(value)}</span>'
        f'<span class="sub">{escape(sub)}</span></div>' for label, value, sub in cards)


# Table columns: (heading's key, count column, share column); the share is shown beside its count.
_GROUPS = (
    ("audit.measure.coordinator", "with_coordinator", "share_with_coordinator"),
    ("audit.table.followed_up_7d", "followed_up_7d", "share_7d"),
    ("audit.table.followed_up_30d", "followed_up_30d", "share_30d"),
    ("audit.table.readmitted", "readmitted_30d", "share_readmitted"),
)


def _cell(value, w: Words, **how) -> str:
    text = _shown(value, w, **how)
    return f'<td class="{"hid" if text == SMALL else "v"}">{escape(text)}</td>'


def _lines(text: str) -> str:
    """``text`` escaped, its line breaks as ``<br>``."""
    return "<br>".join(escape(line) for line in text.split("\n"))


def _table(frame: pd.DataFrame, key: str, caption: str, w: Words) -> str:
    """A summary as an HTML table: each count beside its share, under a two-row header."""
    if frame.empty:
        return f'<p class="note">{escape(w("audit.table.empty", caption=caption))}</p>'
    heading = w("audit.table.agency") if key == "agency_id" else w("audit.table.month")
    top = (f'<th rowspan="2" class="k">{escape(heading)}</th>'
           f'<th rowspan="2" class="v">{escape(w("audit.measure.discharges"))}</th>'
           + "".join(f'<th colspan="2" class="g">{escape(w(name))}</th>' for name, _, _ in _GROUPS[:3])
           + f'<th rowspan="2" class="v">{_lines(w("audit.table.median"))}</th>'
           + f'<th colspan="2" class="g">{escape(w(_GROUPS[3][0]))}</th>')
    sub = (f'<th class="v">{escape(w("audit.table.count"))}</th>'
           f'<th class="v">{escape(w("audit.table.share"))}</th>') * 4
    body = []
    for _, row in frame.iterrows():
        if key == "agency_id":
            name = row["agency_name"] or row["agency_id"]
            label = (f'{escape(str(name))} <span class="id">{escape(str(row["agency_id"]))}</span>'
                     if row["agency_name"] else escape(str(name)))
        else:
            label = escape(str(row["month"]))
        cells = [f'<td class="k">{label}</td>', _cell(row["discharges"], w)]
        for n, (_, count, share) in enumerate(_GROUPS):
            if n == 3:
                cells.append(_cell(row["median_days_to_follow_up"], w, days=True))
            cells += [_cell(row[count], w), _cell(row[share], w, percent=True)]
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<div class="scroll"><table><caption>{escape(caption)}</caption>'
            f'<thead><tr>{top}</tr><tr>{sub}</tr></thead><tbody>{"".join(body)}</tbody></table></div>')


def _rate_values(column: pd.Series) -> list[float | str | None]:
    return [value if isinstance(value, str) else _number(value) for value in column]


def _charts(tables, max_days: int, w: Words) -> str:
    hidden_note = w("audit.chart.hidden", small=SMALL) if tables.suppressed else ""
    months = tables.by_month
    rates = line_chart(
        months["month"].tolist(),
        [Series(w("audit.chart.within_7d"), _rate_values(months["share_7d"]), PALETTE[0]),
         Series(w("audit.chart.within_30d"), _rate_values(months["share_30d"]), PALETTE[1])],
        title=w("audit.chart.rates_title"), desc=w("audit.chart.rates_desc"),
        ident="rates-by-month", width=_CHART_WIDTH, height=260, font_size=13, lang=w.lang,
    )
    days = tables.worklist["days_to_follow_up"].dropna().astype(int).tolist()
    spread = histogram(
        days, low=1, high=max_days, unit=w("audit.chart.days_unit"), hide_small=tables.suppressed,
        title=w("audit.chart.days_title"), desc=w("audit.chart.days_desc", max_days=max_days),
        ident="days-to-follow-up", font_size=12, width=_CHART_WIDTH, mark_after=7, lang=w.lang,
    )
    coverage = []
    for _, row in tables.by_agency.iterrows():
        name = row["agency_name"] or row["agency_id"]
        label = f"{name} ({row['agency_id']})" if row["agency_name"] else str(name)
        share = row["share_with_coordinator"]
        hidden = isinstance(share, str)
        value = _number(share)
        text = (SMALL if hidden else
                w("audit.chart.coverage_value", share=_percent(share, w), count=_shown(row["with_coordinator"], w),
                  total=_shown(row["discharges"], w)) if value is not None else w("audit.chart.coverage_none"))
        coverage.append(Bar(label, value, text=text, hidden=hidden, tooltip=f"{label}: {text}"))
    cover = bar_chart(coverage, title=w("audit.chart.coverage_title"), desc=w("audit.chart.coverage_desc"),
                      colour=PALETTE[2], max_value=100, horizontal=True, step=32, font_size=13,
                      width=_CHART_WIDTH, ident="coordinator-by-agency", lang=w.lang)
    all_hidden = tables.suppressed and bool(days) and all(
        1 <= days.count(d) <= 4 for d in set(days) if 1 <= d <= max_days)
    figures = []
    for svg, caption, note in (
        (rates, w("audit.chart.rates_caption"), ""),
        (spread, w("audit.chart.days_caption", max_days=max_days),
         w("audit.chart.days_all_hidden") if all_hidden else ""),
        (cover, w("audit.chart.coverage_caption"), ""),
    ):
        if svg:
            text = " ".join(part for part in (hidden_note, note) if part)
            below = f'<p class="chart-note">{escape(text)}</p>' if text else ""
            figures.append(f"<figure><figcaption>{escape(caption)}</figcaption>{svg}{below}</figure>")
    return "\n".join(figures) or f'<p class="note">{escape(w("audit.chart.none"))}</p>'


def _late_note(tables, as_of, w: Words) -> str:
    """Discharges whose 30-day window runs past the end of the data."""
    if as_of is None or tables.worklist.empty:
        return ""
    late = int((pd.to_datetime(tables.worklist["discharge_date"]) > as_of - pd.Timedelta(days=30)).sum())
    if not late:
        return ""
    which = "hidden" if tables.suppressed and late <= 4 else "one" if late == 1 else "many"
    return f'<p class="note">{escape(w(f"audit.late.{which}", count=w.count(late), day=f"{as_of:%Y-%m-%d}"))}</p>'


def audit_html(tables, *, title: str, as_of, source: str = "", since=None, until=None,
               follow_up_by: str = "municipal", max_days: int = 30, lang: str = "en") -> str:
    """The audit page for ``tables``: one HTML document with inline CSS and SVG only.

    Parameters
    ----------
    tables : handover.reports.audit_tables.AuditTables
        Read through its attributes ``worklist``, ``by_agency``, ``by_month``, ``overall``
        and ``suppressed``.
    title : str
        The page's heading, in ``lang``: the finding's title.
    as_of : Timestamp or None
        The end of the data: discharges less than 30 days before it are pointed out.
    source : str
        The dataset's name.
    since, until : Timestamp, optional
        The period of the discharges, shown on the page.
    follow_up_by : str
        Who counts as following up (``municipal``, ``other-agency``, ``any``).
    max_days : int
        The last day after discharge on which a follow-up counts.
    lang : {"en", "nb"}
        The page's language: its words, ``<html lang>`` and how numbers are written.

    Returns
    -------
    str
        The page; it links to the CSV and Excel files written beside it.

    Examples
    --------
    >>> from handover.reports.audit_tables import audit_tables
    >>> from handover.findings import SCHEMAS
    >>> empty = audit_tables(SCHEMAS["discharge_follow_up"].empty())
    >>> page = audit_html(empty, title="Follow-up after discharge", as_of=None)
    >>> "suppression is on" in page, "<script" in page, "http" in page
    (True, False, False)
    >>> nb = audit_html(empty, title="Oppfølging etter utskrivning", as_of=None, lang="nb")
    >>> '<html lang="nb">' in nb, "<h1>Oppfølging etter utskrivning</h1>" in nb
    (True, True)
    """
    w = words(lang)
    day = "{:%Y-%m-%d}".format
    period = (w("audit.meta.all") if since is None and until is None else
              w("audit.meta.between", since=day(since), until=day(until)) if since is not None and until is not None
              else w("audit.meta.since", since=day(since)) if since is not None
              else w("audit.meta.until", until=day(until)))
    meta = " · ".join(part for part in (
        w("report.meta.dataset", source=source) if source else "", period,
        w("audit.meta.as_of", day=day(as_of)) if as_of is not None else "",
        w("audit.meta.follow_up_by", who=w.get(f"audit.follow_up_by.{follow_up_by}", follow_up_by)),
        f"handover {__version__}") if part)
    definitions = "\n".join(f"<dt>{escape(name)}</dt><dd>{escape(text)}</dd>"
                            for name, text in measure_explanations(follow_up_by, max_days, lang))
    state = "on" if tables.suppressed else "off"
    agency_table = _table(tables.by_agency, "agency_id", w("audit.table.by_agency"), w)
    month_table = _table(tables.by_month, "month", w("audit.table.by_month"), w)
    overall = tables.overall.iloc[0]
    # The text names each file by a field; the links go in once the text is escaped.
    link = '<a href="{0}">{0}</a>'.format
    files = escape(w("audit.files")).format(
        discharges_csv=link("discharges.csv"), discharges_xlsx=link("discharges.xlsx"),
        by_agency_csv=link("summary_by_agency.csv"), by_month_csv=link("summary_by_month.csv"),
        overall_csv=link("summary_overall.csv"))
    return _PAGE.format(
        lang=escape(lang), page_title=escape(w("audit.page_title", title=title)), title=escape(title),
        css=asset("audit.css"), meta=escape(meta), state=state,
        suppression=escape(suppression_text(tables.suppressed, lang)),
        cards=_cards(overall, w), late=_late_note(tables, as_of, w), charts=_charts(tables, max_days, w),
        definitions=definitions, agency_table=agency_table, month_table=month_table,
        charts_heading=escape(w("audit.charts")), measures_heading=escape(w("audit.measures")),
        tables_heading=escape(w("audit.tables")), files_heading=escape(w("report.files.title")), files=files,
    )


_PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{page_title}</title><style>
{css}</style></head>
<body><main>
<h1>{title}</h1>
<p class="meta">{meta}</p>
<p class="banner {state}">{suppression}</p>
<div class="cards">
{cards}
</div>
{late}
<h2>{charts_heading}</h2>
<div class="charts">
{charts}
</div>
<h2>{measures_heading}</h2>
<dl>
{definitions}
</dl>
<h2>{tables_heading}</h2>
{agency_table}
{month_table}
<h2>{files_heading}</h2>
<p>{files}</p>
</main></body></html>
"""
