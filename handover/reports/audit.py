"""Writing a transition audit: CSV, an Excel workbook and one offline HTML page.

:func:`write_audit` runs ``discharge_follow_up`` (DESIGN §5.4) on an engine, makes the
tables of :func:`handover.reports.audit_tables.audit_tables` and writes them into a folder:

- ``discharges.csv`` and ``discharges.xlsx``: the worklist, one row per discharge
  (never suppressed; pseudonymous ids; for internal follow-up); the workbook also holds
  the summaries and a sheet explaining the measures;
- ``summary_by_agency.csv``, ``summary_by_month.csv``, ``summary_overall.csv``;
- ``audit.html``: one self-contained page (inline CSS and SVG; no scripts, fonts or
  anything fetched from the network) with the overall numbers, charts and tables.

Every file is written atomically. Text cells in CSV and Excel that a spreadsheet would
run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return)
get a leading ``'`` (:mod:`handover.privacy.spreadsheet`): ids and agency names come from agency
systems.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from handover import __version__
from handover.reports.audit_tables import SMALL, AuditTables, audit_tables
from handover.render.charts import PALETTE, Bar, Series, bar_chart, histogram, line_chart
from handover.engines import Engine
from handover.findings import FINDINGS, find
from handover.io.atomic import atomic_path, write_text_atomic
from handover.findings.schema import to_text_frame
from handover.privacy.spreadsheet import neutralise_formula, neutralise_frame
from handover.timeline import to_day

__all__ = ["AUDIT_FILES", "write_audit", "audit_html", "neutralise_formula"]

#: The files :func:`write_audit` writes, in the order a reader needs them.
AUDIT_FILES = (
    "audit.html", "discharges.csv", "discharges.xlsx",
    "summary_by_agency.csv", "summary_by_month.csv", "summary_overall.csv",
)

_TEXT_COLUMNS = ("user_id", "episode_id", "agency_id", "agency_name", "discharge_kind",
                 "coordinator_staff_id", "month")
_SHARES = ("share_with_coordinator", "share_7d", "share_30d", "share_readmitted")
# Charts are drawn at the width they are shown at on a laptop screen, so text keeps its size.
_CHART_WIDTH = 1080
_WHO_FOLLOWS_UP = {
    "municipal": "an agency of level municipal (NAV office, municipal substance-use and mental-health "
                 "service, housing office, GP, allocation office, …)",
    "other-agency": "any agency other than the one that discharged the user",
    "any": "any agency, the discharging one included",
}


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
    progress : callable, optional
        Called with the name of each step.

    Returns
    -------
    Path
        The HTML page.

    Raises
    ------
    InputError
        For invalid options, or a dataset without episodes and services.

    Examples
    --------
    >>> import tempfile
    >>> from handover.engines import MemoryEngine
    >>> from handover.examples import tiny_dataset
    >>> page = write_audit(MemoryEngine(tiny_dataset()), Path(tempfile.mkdtemp()))
    >>> sorted(p.name for p in page.parent.iterdir())
    ['audit.html', 'discharges.csv', 'discharges.xlsx', 'summary_by_agency.csv', 'summary_by_month.csv', 'summary_overall.csv']
    >>> print((page.parent / "summary_overall.csv").read_text(), end="")
    discharges,with_coordinator,share_with_coordinator,followed_up_7d,share_7d,followed_up_30d,share_30d,median_days_to_follow_up,readmitted_30d,share_readmitted
    <5,0,<5,<5,<5,<5,<5,<5,0,<5
    """
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
    write_text_atomic(out_dir / "discharges.csv", _csv(_worklist_text(tables.worklist)))
    for name, frame in (("by_agency", tables.by_agency), ("by_month", tables.by_month),
                        ("overall", tables.overall)):
        write_text_atomic(out_dir / f"summary_{name}.csv", _csv(_summary_text(frame)))
    step("discharges.xlsx")
    _write_workbook(out_dir / "discharges.xlsx", tables, options)
    step("audit.html")
    page = out_dir / "audit.html"
    write_text_atomic(page, audit_html(tables, as_of=as_of, source=source, since=to_day(since),
                                       until=to_day(until), follow_up_by=options["follow_up_by"],
                                       max_days=options["max_days"]))
    return page


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


def _write_workbook(path: Path, tables: AuditTables, options: dict) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheets = {
        "Discharges": tables.worklist,
        "By agency": tables.by_agency,
        "By month": tables.by_month,
        "Overall": tables.overall,
    }
    about = pd.DataFrame({"": [line for line in _about_lines(tables.suppressed, options)]})
    with atomic_path(path) as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl", date_format="YYYY-MM-DD",
                            datetime_format="YYYY-MM-DD") as writer:
            for name, frame in sheets.items():
                _excel_values(frame).to_excel(writer, sheet_name=name, index=False)
                sheet = writer.sheets[name]
                sheet.freeze_panes = "A2"
                if len(frame.columns):
                    sheet.auto_filter.ref = sheet.dimensions
                for i, column in enumerate(frame.columns, start=1):
                    texts = [_cell_text(v) if not isinstance(v, pd.Timestamp) else "YYYY-MM-DD"
                             for v in frame[column].head(500)]
                    width = max([len(column)] + [len(t) for t in texts]) + 2
                    sheet.column_dimensions[get_column_letter(i)].width = min(width, 60)
                    if name == "Discharges" or column in _TEXT_COLUMNS:
                        continue
                    # Summaries mix numbers and "<5": align them alike, shares with one decimal.
                    one_decimal = column in _SHARES or column == "median_days_to_follow_up"
                    for cell in sheet[get_column_letter(i)][1:]:
                        cell.alignment = Alignment(horizontal="right")
                        if one_decimal and isinstance(cell.value, (int, float)):
                            cell.number_format = "0.0"
                for cell in sheet[1]:
                    cell.font = Font(bold=True)
            about.to_excel(writer, sheet_name="About", index=False, header=False)
            sheet = writer.sheets["About"]
            sheet.column_dimensions["A"].width = 110
            for row in sheet.iter_rows():
                for cell in row:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            sheet["A1"].font = Font(bold=True, size=13)


# --- the page -------------------------------------------------------------------------


def _measure_explanations(follow_up_by: str, max_days: int) -> list[tuple[str, str]]:
    window = ("" if max_days >= 30 else
              f" (this run counts follow-up only up to day {max_days}, so the 30-day measure stops there)")
    return [
        ("Discharges",
         "Discharges from a stay (inpatient, residential or detox). When another stay starts on the day "
         "of discharge or the day after, the stays form a chain that counts once, at its last discharge. "
         "Discharges by death are left out."),
        ("Coordinator at discharge",
         "Someone held the coordinator role for the user, at any agency, on the day of discharge."),
        ("Follow-up within 7 and 30 days",
         f"A contact with, or the start of an episode at, {_WHO_FOLLOWS_UP.get(follow_up_by, follow_up_by)}, "
         f"dated 1 to 7 (or 1 to 30) days after the discharge{window}. The discharge day itself never "
         "counts, as in the international HEDIS measures of follow-up after hospitalisation (FUH, FUI); "
         "Norwegian reports on care after inpatient treatment also look at the first 30 days."),
        ("Median days to follow-up",
         f"Among the discharges followed up within {max_days} days, the middle value of the days from "
         "discharge to the first follow-up (half were seen sooner, half later)."),
        ("Readmitted within 30 days",
         "Another stay started 2 to 30 days after the discharge (a stay starting within a day continues "
         "the chain instead)."),
        ("Shares",
         "Percent of the discharges in the row, rounded to one decimal."),
    ]


def _suppression_text(suppress: bool) -> str:
    if suppress:
        return (f"Small-cell suppression is on. Counts from 1 to 4 are shown as {SMALL}, and so are shares "
                f"and medians computed from such a count; zero is shown as 0. Numbers that are shown "
                "can still be subtracted from each other (e.g. the overall row minus the other agencies), "
                "so check the tables before publishing them.")
    return ("Small-cell suppression is OFF (--no-suppress): every number is shown, including counts of "
            "1 to 4 that may identify people. For internal use only; do not share this page.")


def _about_lines(suppress: bool, options: dict) -> list[str]:
    lines = ["Follow-up after discharge (handover transition audit)", _suppression_text(suppress),
             "The Discharges sheet lists every discharge with pseudonymous ids and is never suppressed: "
             "it is for internal follow-up, not for sharing."]
    lines += [f"{name}: {text}" for name, text in _measure_explanations(options["follow_up_by"], options["max_days"])]
    return lines


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
    esc = html.escape
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
        f'<div class="card"><span class="label">{esc(label)}</span><span class="n">{esc(value)}</span>'
        f'<span class="sub">{esc(sub)}</span></div>' for label, value, sub in cards)


# Table columns: (heading, count column, share column); the share is shown beside its count.
_GROUPS = (
    ("Coordinator at discharge", "with_coordinator", "share_with_coordinator"),
    ("Followed up ≤ 7 days", "followed_up_7d", "share_7d"),
    ("Followed up ≤ 30 days", "followed_up_30d", "share_30d"),
    ("Readmitted ≤ 30 days", "readmitted_30d", "share_readmitted"),
)


def _cell(value, **how) -> str:
    text = _shown(value, **how)
    return f'<td class="{"hid" if text == SMALL else "v"}">{html.escape(text)}</td>'


def _table(frame: pd.DataFrame, key: str, caption: str) -> str:
    """A summary as an HTML table: each count beside its share, under a two-row header."""
    esc = html.escape
    if frame.empty:
        return f'<p class="note">{esc(caption)}: no discharges.</p>'
    heading = "Agency" if key == "agency_id" else "Month"
    top = (f'<th rowspan="2" class="k">{heading}</th><th rowspan="2" class="v">Discharges</th>'
           + "".join(f'<th colspan="2" class="g">{esc(name)}</th>' for name, _, _ in _GROUPS[:3])
           + '<th rowspan="2" class="v">Median days<br>to follow-up</th>'
           + f'<th colspan="2" class="g">{esc(_GROUPS[3][0])}</th>')
    sub = '<th class="v">n</th><th class="v">%</th>' * 4
    body = []
    for _, row in frame.iterrows():
        if key == "agency_id":
            name = row["agency_name"] or row["agency_id"]
            label = (f'{esc(str(name))} <span class="id">{esc(str(row["agency_id"]))}</span>'
                     if row["agency_name"] else esc(str(name)))
        else:
            label = esc(str(row["month"]))
        cells = [f'<td class="k">{label}</td>', _cell(row["discharges"])]
        for n, (_, count, share) in enumerate(_GROUPS):
            if n == 3:
                cells.append(_cell(row["median_days_to_follow_up"], days=True))
            cells += [_cell(row[count]), _cell(row[share], percent=True)]
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<div class="scroll"><table><caption>{esc(caption)}</caption>'
            f'<thead><tr>{top}</tr><tr>{sub}</tr></thead><tbody>{"".join(body)}</tbody></table></div>')


def _rate_values(column: pd.Series) -> list[float | str | None]:
    return [value if isinstance(value, str) else _number(value) for value in column]


def _charts(tables: AuditTables, max_days: int) -> str:
    esc = html.escape
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
            below = f'<p class="chart-note">{esc(text)}</p>' if text else ""
            figures.append(f"<figure><figcaption>{esc(caption)}</figcaption>{svg}{below}</figure>")
    return "\n".join(figures) or '<p class="note">No discharges: nothing to draw.</p>'


def _late_note(tables: AuditTables, as_of) -> str:
    """Discharges whose 30-day window runs past the end of the data."""
    if as_of is None or tables.worklist.empty:
        return ""
    late = int((pd.to_datetime(tables.worklist["discharge_date"]) > as_of - pd.Timedelta(days=30)).sum())
    if not late:
        return ""
    count = SMALL if tables.suppressed and late <= 4 else str(late)
    return (f'<p class="note">{html.escape(count)} discharge{"s" if count != "1" else ""} came less than '
            f'30 days before {as_of:%Y-%m-%d}, the end of the data: their follow-up may not be recorded yet.</p>')


def audit_html(tables: AuditTables, *, as_of, source: str = "", since=None, until=None,
               follow_up_by: str = "municipal", max_days: int = 30) -> str:
    """The audit page for ``tables``: one HTML document with inline CSS and SVG only.

    Examples
    --------
    >>> from handover.reports.audit_tables import audit_tables
    >>> from handover.findings import SCHEMAS
    >>> page = audit_html(audit_tables(SCHEMAS["discharge_follow_up"].empty()), as_of=None)
    >>> "suppression is on" in page, "<script" in page, "http" in page
    (True, False, False)
    """
    esc = html.escape
    period = ("all discharges" if since is None and until is None else
              f"discharges {since:%Y-%m-%d} to {until:%Y-%m-%d}" if since is not None and until is not None else
              f"discharges from {since:%Y-%m-%d}" if since is not None else f"discharges until {until:%Y-%m-%d}")
    meta = " · ".join(part for part in (
        f"Dataset: {source}" if source else "", period,
        f"as of {as_of:%Y-%m-%d}" if as_of is not None else "",
        f"follow-up by: {follow_up_by}", f"handover {__version__}") if part)
    definitions = "\n".join(f"<dt>{esc(name)}</dt><dd>{esc(text)}</dd>"
                            for name, text in _measure_explanations(follow_up_by, max_days))
    state = "on" if tables.suppressed else "off"
    agency_table = _table(tables.by_agency, "agency_id", "By discharging agency")
    month_table = _table(tables.by_month, "month", "By month of discharge")
    overall = tables.overall.iloc[0]
    return _PAGE.format(
        css=_CSS, meta=esc(meta), state=state, suppression=esc(_suppression_text(tables.suppressed)),
        cards=_cards(overall), late=_late_note(tables, as_of), charts=_charts(tables, max_days),
        definitions=definitions, agency_table=agency_table, month_table=month_table,
    )


_CSS = """
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1b1f24;background:#fff;line-height:1.45}
main{max-width:74rem;margin:0 auto;padding:1.6rem 1.4rem 3rem}
h1{font-size:1.8rem;margin:0 0 .2rem} h2{font-size:1.25rem;margin:2.2rem 0 .6rem;border-bottom:2px solid #e3e8ee;padding-bottom:.3rem}
.meta{color:#57606a;margin:0 0 1rem}
.banner{padding:.7rem 1rem;border-radius:.4rem;margin:1rem 0;border-left:5px solid}
.banner.on{background:#eef6ee;border-color:#2f7d32} .banner.off{background:#fdecea;border-color:#b3261e;font-weight:600}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(8.5rem,1fr));gap:.8rem;margin:1.2rem 0}
.card{display:flex;flex-direction:column;padding:.8rem 1rem;border-radius:.5rem;background:#f3f6f9;border:1px solid #e3e8ee}
.card .label{font-size:.85rem;color:#3d4650} .card .n{font-size:1.75rem;white-space:nowrap;font-weight:700;color:#12355b;line-height:1.2}
.card .sub{font-size:.8rem;color:#57606a}
.charts{display:grid;grid-template-columns:1fr;gap:1.4rem}
figure{margin:0;padding:.8rem;border:1px solid #e3e8ee;border-radius:.5rem;overflow-x:auto}
figcaption{font-size:1rem;font-weight:600;margin:0 0 .4rem} .chart-note{font-size:.85rem;color:#57606a;margin:.3rem 0 0}
dl{display:grid;grid-template-columns:14rem 1fr;gap:.5rem 1.2rem;margin:0} dt{font-weight:600} dd{margin:0}
.scroll{overflow-x:auto} table{border-collapse:collapse;font-size:.88rem;margin:.4rem 0 1.2rem}
caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border-bottom:1px solid #e3e8ee;padding:.3rem .55rem;white-space:nowrap} td+td,th+th{padding-left:.4rem}
th{background:#f3f6f9;font-weight:600;vertical-align:bottom} th.v,td.v,td.hid{text-align:right} th.g{text-align:center;border-bottom:1px solid #cfd6dd;white-space:normal}
tbody tr:nth-child(even){background:#fafbfc} .id{color:#6b7580;font-size:.8rem}
td.hid{color:#6b7580;font-style:italic} th.k,td.k{text-align:left} td.k{white-space:normal;min-width:8rem;max-width:20rem}
.note{color:#57606a;font-style:italic} code{background:#f3f6f9;padding:0 .25rem;border-radius:.2rem}
@media print{figure,table{break-inside:avoid}}
"""

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Follow-up after discharge — transition audit</title><style>{css}</style></head>
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
