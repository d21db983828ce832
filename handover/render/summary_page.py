"""The summary report's page: a card per finding, a chart, and each finding's first rows.

:func:`report_html` draws the results of :func:`handover.reports.summary.write_report`
as one file with inline CSS (``assets/summary.css``) and an inline SVG chart: no scripts,
no fonts or styles from the network, since health networks are closed. Every piece of
text is escaped.
"""

from __future__ import annotations

import pandas as pd

from handover import __version__
from handover.findings import FINDINGS
from handover.findings.schema import to_text_frame
from handover.render.charts import Bar, bar_chart
from handover.render.html import asset, escape

__all__ = ["report_html"]

# The page shows this many rows of each finding; the CSV beside it has them all.
_ROWS_SHOWN = 200


def report_html(results: dict[str, pd.DataFrame | str], *, as_of, source: str) -> str:
    """The summary page for finding results (a frame, or why the finding did not run).

    Parameters
    ----------
    results : dict of str to pandas.DataFrame or str
        Finding name → its rows, or the reason it was not run; shown in this order.
    as_of : Timestamp or None
        The reference date, shown on the page.
    source : str
        The dataset's name, shown on the page.

    Returns
    -------
    str
        The HTML page; it links to ``<finding>.csv`` beside it for all the rows.

    Examples
    --------
    >>> page = report_html({"dormant_plans": "no plans table"}, as_of=None, source="demo")
    >>> "Not run: no plans table" in page, "<script" in page, "http" in page
    (True, False, False)
    """
    as_of_text = as_of.strftime("%Y-%m-%d") if as_of is not None else "—"
    cards, sections = [], []
    for name, rows in results.items():
        finding = FINDINGS[name]
        count = "—" if isinstance(rows, str) else f"{len(rows)}"
        cards.append(f'<a class="card" href="#{name}"><span class="n">{count}</span>'
                     f'<span>{escape(finding.title)}</span></a>')
        sections.append(_section(name, rows))
    chart = _monthly_chart(results.get("handover_without_coordinator"))
    return _PAGE.format(
        version=escape(__version__), source=escape(source), as_of=escape(as_of_text),
        cards="\n".join(cards), chart=chart, sections="\n".join(sections), css=asset("summary.css"),
    )


def _section(name: str, rows: pd.DataFrame | str) -> str:
    finding = FINDINGS[name]
    head = f'<section id="{name}"><h2>{escape(finding.title)}</h2><p>{escape(finding.explanation)}</p>'
    if isinstance(rows, str):
        return head + f'<p class="note">Not run: {escape(rows)}</p></section>'
    if rows.empty:
        return head + '<p class="note">No rows: nothing found.</p></section>'
    text = to_text_frame(rows.head(_ROWS_SHOWN), finding.schema)
    header = "".join(f"<th>{escape(c)}</th>" for c in text.columns)
    body = "\n".join(
        "<tr>" + "".join(f"<td>{escape(v)}</td>" for v in row) + "</tr>" for row in text.itertuples(index=False)
    )
    more = (f'<p class="note">Showing {_ROWS_SHOWN} of {len(rows)} rows.</p>' if len(rows) > _ROWS_SHOWN else "")
    return (head + f'<p><a href="{name}.csv">All rows as CSV ({len(rows)})</a></p>{more}'
            f'<div class="scroll"><table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table></div></section>')


def _monthly_chart(rows: pd.DataFrame | str | None) -> str:
    """An inline SVG bar chart of handovers without coordinator per month."""
    if rows is None or isinstance(rows, str) or rows.empty:
        return ""
    per_month = rows["handover_date"].dt.to_period("M").value_counts().sort_index()
    months = pd.period_range(per_month.index.min(), per_month.index.max(), freq="M")
    per_month = per_month.reindex(months, fill_value=0)
    bars = [Bar(month.strftime("%y-%m"), int(count), tooltip=f"{month}: {count}")
            for month, count in per_month.items()]
    svg = bar_chart(bars, title="Handovers without coordinator per month", ident="handovers-per-month")
    return (f'<figure>{svg}'
            '<figcaption>Handovers without coordinator per month (by handover date)</figcaption></figure>')


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>handover report</title><style>
{css}</style></head>
<body>
<h1>Where responsibility breaks</h1>
<p class="meta">Dataset: {source} · as of {as_of} · handover {version}</p>
<p>Each number is a count of rows in one finding. Service users appear only by their
pseudonymous ids. Every table is also saved as CSV beside this page.</p>
<div class="cards">
{cards}
</div>
{chart}
{sections}
</body></html>
"""
