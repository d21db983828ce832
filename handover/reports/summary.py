"""The main job: every finding as CSV plus one HTML summary page that opens offline.

The page is a single file with inline CSS and inline SVG charts: no scripts, no
fonts or styles from the network, since health networks are closed.

The CSVs beside it are meant to be opened in a spreadsheet, so text cells that a
spreadsheet would run as a formula get a leading ``'`` (:mod:`handover.privacy.spreadsheet`);
``handover find --format csv`` is the exact, script-facing form of the same rows.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Callable

import pandas as pd

from handover import __version__
from handover.render.charts import Bar, bar_chart
from handover.engines import Engine
from handover.findings import FINDINGS, find
from handover.io.atomic import write_text_atomic
from handover.findings.schema import ResultSchema, to_text_frame
from handover.privacy.spreadsheet import neutralise_frame

__all__ = ["REPORT_FINDINGS", "write_report", "report_html", "spreadsheet_csv"]

#: Findings in the report, in the order they appear.
REPORT_FINDINGS = (
    "handover_without_coordinator", "caseworker_turnover", "parallel_plans",
    "discharge_follow_up", "coordinator_gaps", "dormant_plans", "continuity_of_care",
)

# The page shows this many rows of each finding; the CSV beside it has them all.
_ROWS_SHOWN = 200


def write_report(
    engine: Engine,
    out_dir: Path,
    *,
    as_of: pd.Timestamp | None = None,
    source: str = "",
    progress: Callable[[str], None] | None = None,
) -> Path:
    """Run every report finding on ``engine`` and write ``<finding>.csv`` and ``index.html``.

    Findings whose tables the dataset lacks are listed on the page as not run.

    Returns
    -------
    Path
        The HTML page.

    Examples
    --------
    >>> import tempfile
    >>> from handover.engines import MemoryEngine
    >>> from handover.examples import tiny_dataset
    >>> page = write_report(MemoryEngine(tiny_dataset()), Path(tempfile.mkdtemp()))
    >>> sorted(p.name for p in page.parent.iterdir())[:3]
    ['caseworker_turnover.csv', 'coordinator_gaps.csv', 'discharge_follow_up.csv']
    """
    from handover.errors import InputError

    out_dir = Path(out_dir)
    as_of = as_of if as_of is not None else engine.latest_date()
    results: dict[str, pd.DataFrame | str] = {}
    for name in REPORT_FINDINGS:
        if progress:
            progress(name)
        try:
            rows = find(engine, name, as_of=as_of)
        except InputError as missing_table:
            results[name] = str(missing_table)
            continue
        results[name] = rows
        write_text_atomic(out_dir / f"{name}.csv", spreadsheet_csv(rows, FINDINGS[name].schema))
    page = out_dir / "index.html"
    write_text_atomic(page, report_html(results, as_of=as_of, source=source))
    return page


def spreadsheet_csv(rows: pd.DataFrame, schema: ResultSchema) -> str:
    """A finding's rows as CSV for a spreadsheet: the §5 columns, formulas defused.

    The text is that of ``handover find --format csv``, except that a text cell starting
    with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``.
    Numbers, dates and booleans are unchanged.

    Examples
    --------
    >>> from handover.findings import SCHEMAS
    >>> from handover.findings.schema import finalize
    >>> schema = SCHEMAS["dormant_plans"]
    >>> rows = finalize(pd.DataFrame({"user_id": ["=1+1"], "plan_id": ["p1"], "agency_id": ["a1"],
    ...     "last_revised": ["2023-01-01"], "days_since_revision": [400]}), schema)
    >>> print(spreadsheet_csv(rows, schema), end="")
    user_id,plan_id,agency_id,last_revised,days_since_revision
    '=1+1,p1,a1,2023-01-01,400
    """
    text_columns = [name for name, kind in schema.columns if kind == "str"]
    text = neutralise_frame(to_text_frame(rows, schema), columns=text_columns)
    return text.to_csv(index=False, lineterminator="\n")


def report_html(results: dict[str, pd.DataFrame | str], *, as_of, source: str) -> str:
    """The summary page for finding results (a frame, or why the finding did not run)."""
    esc = html.escape
    as_of_text = as_of.strftime("%Y-%m-%d") if as_of is not None else "—"
    cards, sections = [], []
    for name, rows in results.items():
        finding = FINDINGS[name]
        count = "—" if isinstance(rows, str) else f"{len(rows)}"
        cards.append(f'<a class="card" href="#{name}"><span class="n">{count}</span>'
                     f'<span>{esc(finding.title)}</span></a>')
        sections.append(_section(name, rows))
    chart = _monthly_chart(results.get("handover_without_coordinator"))
    return _PAGE.format(
        version=esc(__version__), source=esc(source), as_of=esc(as_of_text),
        cards="\n".join(cards), chart=chart, sections="\n".join(sections), css=_CSS,
    )


def _section(name: str, rows: pd.DataFrame | str) -> str:
    esc = html.escape
    finding = FINDINGS[name]
    head = f'<section id="{name}"><h2>{esc(finding.title)}</h2><p>{esc(finding.explanation)}</p>'
    if isinstance(rows, str):
        return head + f'<p class="note">Not run: {esc(rows)}</p></section>'
    if rows.empty:
        return head + '<p class="note">No rows: nothing found.</p></section>'
    text = to_text_frame(rows.head(_ROWS_SHOWN), finding.schema)
    header = "".join(f"<th>{esc(c)}</th>" for c in text.columns)
    body = "\n".join(
        "<tr>" + "".join(f"<td>{esc(v)}</td>" for v in row) + "</tr>" for row in text.itertuples(index=False)
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


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1b1b}
h1{margin-bottom:.2rem} .meta{color:#555}
.cards{display:flex;gap:1rem;flex-wrap:wrap;margin:1.5rem 0}
.card{display:flex;flex-direction:column;padding:1rem 1.4rem;border-radius:.5rem;background:#eef3f8;color:inherit;text-decoration:none;min-width:12rem}
.card .n{font-size:2rem;font-weight:700;color:#0b4f8a}
section{margin-top:2.5rem} .note{color:#555;font-style:italic}
.scroll{overflow-x:auto} table{border-collapse:collapse;font-size:.9rem}
th,td{border-bottom:1px solid #ddd;padding:.3rem .6rem;text-align:left;white-space:nowrap}
th{background:#f5f5f5;position:sticky;top:0}
"""

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>handover report</title><style>{css}</style></head>
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
