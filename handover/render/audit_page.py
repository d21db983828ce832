"""The transition audit's page: one offline HTML document with the numbers, charts and tables.

:func:`audit_html` draws the tables of :func:`handover.reports.audit_tables.audit_tables`
(an ``AuditTables``, used by its attributes only) with inline CSS (``assets/audit.css``)
and inline SVG charts: no scripts, fonts or anything fetched from the network. The
overall numbers come as cards, then the charts (follow-up rates by month, days to
follow-up, coordinator coverage by agency), what each measure means, and the summaries
by agency and by month. Hidden small numbers (:data:`handover.privacy.suppression.SMALL`) are
shown as they are, in grey; every piece of text is escaped, since agency names come from
agency systems.
"""

from __future__ import annotations

import pandas as pd

from handover import __version__
from handover.render.audit_text import measure_explanations, suppression_text
from handover.privacy.suppression import SMALL
from handover.render.charts import Bar, Series, bar_chart, histogram, line_chart
from handover.render.colours import PALETTE
from handover.render.html import asset, escape

__all__ = ["audit_html"]

# Charts are drawn at the width they are shown at on a laptop screen, so text keeps its size.
_CHART_WIDTH = 1080


def _shown(value, *, percent: bool = False, days: bool = False) -> str:
    """A summary value for the page: ``<5`` and missing values as they are, numbers formatted."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if isinstance(value, str):
        return value
    if percent:
        return f"{value:.1f}"
    if days:
        return f"{value:.1f}"
    return f"{int(value)}"


def _percent(value) -> str:
    text = _shown(value, percent=True)
    return f"{text}\u00a0%" if text[0].isdigit() else text


def _number(value) -> float | None:
    """The numeric value of a summary cell, ``None`` when hidden or missing."""
    if value is None or value is pd.NA or isinstance(value, str):
        return None
    return None if pd.isna(value) else float(value)


def _cards(overall: pd.Series) -> str:
    n = overall["discharges"]
    cards = [("Discharges", _shown(n), "index discharges from stays")]
    for label, share, count in (
        ("Coordinator at discharge", "share_with_coordinator", "with_coordinator"),
        ("Follow-up within 7 days", "share_7d", "followed_up_7d"),
        ("Follow-up within 30 days", "share_30d", "followed_up_30d"),
    ):
        cards.append((label, _percent(overall[share]), f"{_shown(overall[count])} of {_shown(n)}"))
    cards.append(("Median days to follow-up", _shown(overall["median_days_to_follow_up"], days=True),
                  "among those followed up"))
    cards.append(("Readmitted within 30 days", _percent(overall["share_readmitted"]),
                  f"{_shown(overall['readmitted_30d'])} of {_shown(n)}"))
    return "\n".join(
        f'<div class="card"><span class="label">{escape(label)}</span><span class="n">{escape(value)}</span>'
        f'<span class="sub">{escape(sub)}</span></div>' for label, value, sub in cards)


# Table columns: (heading, count column, share column); the share is shown beside its count.
_GROUPS = (
    ("Coordinator at discharge", "with_coordinator", "share_with_coordinator"),
    ("Followed up ≤ 7 days", "followed_up_7d", "share_7d"),
    ("Followed up ≤ 30 days", "followed_up_30d", "share_30d"),
    ("Readmitted ≤ 30 days", "readmitted_30d", "share_readmitted"),
)


def _cell(value, **how) -> str:
    text = _shown(value, **how)
    return f'<td class="{"hid" if text == SMALL else "v"}">{escape(text)}</td>'


def _table(frame: pd.DataFrame, key: str, caption: str) -> str:
    """A summary as an HTML table: each count beside its share, under a two-row header."""
    if frame.empty:
        return f'<p class="note">{escape(caption)}: no discharges.</p>'
    heading = "Agency" if key == "agency_id" else "Month"
    top = (f'<th rowspan="2" class="k">{heading}</th><th rowspan="2" class="v">Discharges</th>'
           + "".join(f'<th colspan="2" class="g">{escape(name)}</th>' for name, _, _ in _GROUPS[:3])
           + '<th rowspan="2" class="v">Median days<br>to follow-up</th>'
           + f'<th colspan="2" class="g">{escape(_GROUPS[3][0])}</th>')
    sub = '<th class="v">n</th><th class="v">%</th>' * 4
    body = []
    for _, row in frame.iterrows():
        if key == "agency_id":
            name = row["agency_name"] or row["agency_id"]
            label = (f'{escape(str(name))} <span class="id">{escape(str(row["agency_id"]))}</span>'
                     if row["agency_name"] else escape(str(name)))
        else:
            label = escape(str(row["month"]))
        cells = [f'<td class="k">{label}</td>', _cell(row["discharges"])]
        for n, (_, count, share) in enumerate(_GROUPS):
            if n == 3:
                cells.append(_cell(row["median_days_to_follow_up"], days=True))
            cells += [_cell(row[count]), _cell(row[share], percent=True)]
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<div class="scroll"><table><caption>{escape(caption)}</caption>'
            f'<thead><tr>{top}</tr><tr>{sub}</tr></thead><tbody>{"".join(body)}</tbody></table></div>')


def _rate_values(column: pd.Series) -> list[float | str | None]:
    return [value if isinstance(value, str) else _number(value) for value in column]


def _charts(tables, max_days: int) -> str:
    hidden_note = (f" Dashed grey marks are hidden small numbers ({SMALL})." if tables.suppressed else "")
    months = tables.by_month
    rates = line_chart(
        months["month"].tolist(),
        [Series("within 7 days", _rate_values(months["share_7d"]), PALETTE[0]),
         Series("within 30 days", _rate_values(months["share_30d"]), PALETTE[1])],
        title="Follow-up within 7 and 30 days, percent of discharges, by month of discharge",
        desc="Line chart: for each month, the percent of that month's discharges followed up within 7 days "
             "and within 30 days. Months without discharges have no point.",
        ident="rates-by-month", width=_CHART_WIDTH, height=260, font_size=13,
    )
    days = tables.worklist["days_to_follow_up"].dropna().astype(int).tolist()
    spread = histogram(
        days, low=1, high=max_days, unit="days", hide_small=tables.suppressed,
        title="Days from discharge to the first follow-up",
        desc=f"Histogram: the number of discharges whose first follow-up came 1, 2, … {max_days} days after "
             "discharge.", ident="days-to-follow-up", font_size=12, width=_CHART_WIDTH, mark_after=7,
    )
    coverage = []
    for _, row in tables.by_agency.iterrows():
        name = row["agency_name"] or row["agency_id"]
        label = f"{name} ({row['agency_id']})" if row["agency_name"] else str(name)
        share = row["share_with_coordinator"]
        hidden = isinstance(share, str)
        value = _number(share)
        text = (SMALL if hidden else f"{_percent(share)} ({_shown(row['with_coordinator'])} "
                f"of {_shown(row['discharges'])})" if value is not None else "no discharges")
        coverage.append(Bar(label, value, text=text, hidden=hidden, tooltip=f"{label}: {text}"))
    cover = bar_chart(coverage, title="Coordinator in place at discharge, percent of discharges, by agency",
                      desc="Bar chart: for each discharging agency, the percent of its discharges at which "
                           "the user had a coordinator.", colour=PALETTE[2], max_value=100, horizontal=True,
                      step=32, font_size=13, width=_CHART_WIDTH, ident="coordinator-by-agency")
    all_hidden = tables.suppressed and bool(days) and all(
        1 <= days.count(d) <= 4 for d in set(days) if 1 <= d <= max_days)
    figures = []
    for svg, caption, note in (
        (rates, "Follow-up within 7 and 30 days after discharge, by month of discharge (percent)", ""),
        (spread, f"Days from discharge to the first follow-up (discharges followed up within {max_days} days)",
         " Every day's count is below 5, so no bar is drawn to scale." if all_hidden else ""),
        (cover, "Coordinator in place on the day of discharge, by discharging agency (percent)", ""),
    ):
        if svg:
            text = (hidden_note + note).strip()
            below = f'<p class="chart-note">{escape(text)}</p>' if text else ""
            figures.append(f"<figure><figcaption>{escape(caption)}</figcaption>{svg}{below}</figure>")
    return "\n".join(figures) or '<p class="note">No discharges: nothing to draw.</p>'


def _late_note(tables, as_of) -> str:
    """Discharges whose 30-day window runs past the end of the data."""
    if as_of is None or tables.worklist.empty:
        return ""
    late = int((pd.to_datetime(tables.worklist["discharge_date"]) > as_of - pd.Timedelta(days=30)).sum())
    if not late:
        return ""
    count = SMALL if tables.suppressed and late <= 4 else str(late)
    return (f'<p class="note">{escape(count)} discharge{"s" if count != "1" else ""} came less than '
            f'30 days before {as_of:%Y-%m-%d}, the end of the data: their follow-up may not be recorded yet.</p>')


def audit_html(tables, *, as_of, source: str = "", since=None, until=None,
               follow_up_by: str = "municipal", max_days: int = 30) -> str:
    """The audit page for ``tables``: one HTML document with inline CSS and SVG only.

    Parameters
    ----------
    tables : handover.reports.audit_tables.AuditTables
        Read through its attributes ``worklist``, ``by_agency``, ``by_month``, ``overall``
        and ``suppressed``.
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

    Returns
    -------
    str
        The page; it links to the CSV and Excel files written beside it.

    Examples
    --------
    >>> from handover.reports.audit_tables import audit_tables
    >>> from handover.findings import SCHEMAS
    >>> page = audit_html(audit_tables(SCHEMAS["discharge_follow_up"].empty()), as_of=None)
    >>> "suppression is on" in page, "<script" in page, "http" in page
    (True, False, False)
    """
    period = ("all discharges" if since is None and until is None else
              f"discharges {since:%Y-%m-%d} to {until:%Y-%m-%d}" if since is not None and until is not None else
              f"discharges from {since:%Y-%m-%d}" if since is not None else f"discharges until {until:%Y-%m-%d}")
    meta = " · ".join(part for part in (
        f"Dataset: {source}" if source else "", period,
        f"as of {as_of:%Y-%m-%d}" if as_of is not None else "",
        f"follow-up by: {follow_up_by}", f"handover {__version__}") if part)
    definitions = "\n".join(f"<dt>{escape(name)}</dt><dd>{escape(text)}</dd>"
                            for name, text in measure_explanations(follow_up_by, max_days))
    state = "on" if tables.suppressed else "off"
    agency_table = _table(tables.by_agency, "agency_id", "By discharging agency")
    month_table = _table(tables.by_month, "month", "By month of discharge")
    overall = tables.overall.iloc[0]
    return _PAGE.format(
        css=asset("audit.css"), meta=escape(meta), state=state, suppression=escape(suppression_text(tables.suppressed)),
        cards=_cards(overall), late=_late_note(tables, as_of), charts=_charts(tables, max_days),
        definitions=definitions, agency_table=agency_table, month_table=month_table,
    )


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Follow-up after discharge — transition audit</title><style>
{css}</style></head>
<body><main>
<h1>Follow-up after discharge</h1>
<p class="meta">{meta}</p>
<p class="banner {state}">{suppression}</p>
<div class="cards">
{cards}
</div>
{late}
<h2>Charts</h2>
<div class="charts">
{charts}
</div>
<h2>What the measures mean</h2>
<dl>
{definitions}
</dl>
<h2>Tables</h2>
{agency_table}
{month_table}
<h2>Files</h2>
<p><a href="discharges.csv">discharges.csv</a> and <a href="discharges.xlsx">discharges.xlsx</a>: one row per
discharge, for following up each one. They hold pseudonymous ids and are never suppressed: keep them inside
the service. <a href="summary_by_agency.csv">summary_by_agency.csv</a>,
<a href="summary_by_month.csv">summary_by_month.csv</a> and <a href="summary_overall.csv">summary_overall.csv</a>
hold the tables above.</p>
</main></body></html>
"""
