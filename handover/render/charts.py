"""Tiny inline-SVG charts for pages that must open offline.

Each helper returns one self-contained ``<svg>`` element as a string: colours and
fonts are presentation attributes (no stylesheet needed), every mark carries a
``<title>`` tooltip, and the chart is labelled for screen readers
(``role="img"``, ``aria-labelledby`` naming its ``<title>`` and ``<desc>``). Every
piece of text is escaped (:func:`handover.render.html.escape`), since labels come from
agency systems; the colours are those of :mod:`handover.render.colours`. There are no
scripts, no fonts and no links to anything outside the page; the ``xmlns`` attribute is
left out, as HTML pages embed SVG without it.

A value can be *hidden* (small-cell suppression): the chart then draws a dashed
outline instead of a bar or point, labelled with the marker (:data:`SMALL`, ``<5``), so the
reader sees that something is there without seeing how much.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from handover.locale import words
from handover.privacy.suppression import SMALL
from handover.render.colours import HIDDEN_FILL, HIDDEN_STROKE, PALETTE
from handover.render.html import escape

__all__ = ["Bar", "Series", "SMALL", "PALETTE", "HIDDEN_FILL", "bar_chart", "histogram", "line_chart"]

_INK = "#333333"
_GRID = "#d9dee3"
_FONT = "system-ui,-apple-system,Segoe UI,Roboto,sans-serif"


@dataclass(frozen=True)
class Bar:
    """One bar of a bar chart.

    Parameters
    ----------
    label : str
        The category, shown on the axis.
    value : float or None
        The bar's length; ``None`` draws no bar (no data).
    text : str, optional
        What is printed beside the bar; default the value itself. For a hidden bar,
        the marker (``<5``).
    tooltip : str, optional
        The hover text; default ``"label: text"``.
    hidden : bool
        Suppressed: drawn as a dashed outline of length ``value`` (the largest value
        it could have, e.g. 4) or of a small fixed length when ``value`` is ``None``.
    """

    label: str
    value: float | None
    text: str | None = None
    tooltip: str | None = None
    hidden: bool = False


@dataclass(frozen=True)
class Series:
    """One line of a line chart: a value per category (``None`` = no point, ``str`` = hidden).

    A string value is the marker of a hidden point (``"<5"``): it is drawn as a hollow
    grey circle on the baseline, with the marker in its tooltip.
    """

    name: str
    values: Sequence[float | str | None]
    colour: str | None = None


def _number(value: float) -> str:
    """A value as printed on a chart: integers plainly, others with one decimal."""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _ident(title: str, ident: str | None) -> str:
    if ident:
        return re.sub(r"[^A-Za-z0-9_-]", "-", ident)
    return "chart-" + (re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40] or "x")


def _open(ident: str, title: str, desc: str, width: float, height: float) -> str:
    return (
        f'<svg class="chart" role="img" aria-labelledby="{ident}-t {ident}-d" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" font-family="{_FONT}" '
        f'style="max-width:100%;height:auto">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc or title)}</desc>'
    )


def _text(x: float, y: float, text: str, *, size: float, anchor: str = "middle", fill: str = _INK,
          extra: str = "") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:g}" fill="{fill}" '
            f'text-anchor="{anchor}"{extra}>{escape(text)}</text>')


def _rect(x: float, y: float, w: float, h: float, *, fill: str, tooltip: str, hidden: bool, css: str) -> str:
    style = (f'fill="{HIDDEN_FILL}" stroke="{HIDDEN_STROKE}" stroke-dasharray="3 2"' if hidden
             else f'fill="{fill}"')
    return (f'<rect class="{css}" x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{max(h, 0):.1f}" '
            f'{style}><title>{escape(tooltip)}</title></rect>')


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    desc: str = "",
    colour: str = PALETTE[0],
    max_value: float | None = None,
    horizontal: bool = False,
    step: float = 28,
    height: float = 180,
    label_every: int | None = None,
    font_size: float = 10,
    width: float | None = None,
    divider_after: int | None = None,
    divider_label: str = "",
    ident: str | None = None,
    lang: str = "en",
) -> str:
    """A bar chart as an inline ``<svg>``, one ``<rect class="bar">`` per bar.

    Parameters
    ----------
    bars : sequence of Bar
    title : str
        The accessible name (the SVG ``<title>``); not drawn.
    desc : str, optional
        A longer accessible description.
    colour : str
        Fill of the visible bars.
    max_value : float, optional
        The value of a full-length bar; default the largest value (at least 1).
    horizontal : bool
        Bars run left to right, one row of ``step`` pixels per bar, labels on the
        left (for long labels such as agency names). Otherwise columns ``step``
        pixels wide in a chart ``height`` pixels high.
    label_every : int, optional
        Vertical charts label every n-th category; default as often as the labels fit.
    font_size : float
    width : float, optional
        The chart's width in pixels; vertical charts then share it among the bars.
        Default: ``step`` per bar (at least 320), or for horizontal charts what the
        labels need plus 430.
    divider_after : int, optional
        Vertical charts: draw a dashed line after the bar at this 0-based position,
        labelled ``divider_label`` (e.g. the 7-day limit of a follow-up measure).
    ident : str, optional
        Prefix of the element ids; default derived from ``title``.
    lang : {"en", "nb"}
        The language of the chart's own words (a bar without data).

    Returns
    -------
    str
        The ``<svg>`` element.

    Examples
    --------
    >>> svg = bar_chart([Bar("A & B", 3), Bar("C", 4, text="<5", hidden=True)], title="Counts")
    >>> svg.count('class="bar"'), svg.count('class="bar hidden"'), "A &amp; B" in svg, "&lt;5" in svg
    (1, 1, True, True)
    """
    if not bars:
        return ""
    ident = _ident(title, ident)
    no_data = words(lang)("chart.no_data")
    values = [b.value for b in bars if b.value is not None]
    top = max_value if max_value is not None else max(max(values, default=1), 1)
    top = top or 1
    marks = []
    if horizontal:
        label_width = min(8 + 0.6 * font_size * max(len(b.label) for b in bars), 420)
        right = 0.6 * font_size * max(len(b.text or "") for b in bars) + 16
        plot = max(width - label_width - right, 200.0) if width else 360.0
        width = label_width + plot + right
        total = step * len(bars) + 8
        for i, b in enumerate(bars):
            y = 4 + i * step
            text = b.text if b.text is not None else ("" if b.value is None else _number(b.value))
            tip = b.tooltip or f"{b.label}: {text or no_data}"
            length = plot * (min(b.value, top) / top) if b.value is not None else (12.0 if b.hidden else 0.0)
            marks.append(_text(label_width - 8, y + step / 2 + font_size * 0.35, b.label, size=font_size,
                               anchor="end"))
            if b.value is not None or b.hidden:
                marks.append(_rect(label_width, y + step * 0.15, length, step * 0.7, fill=colour, tooltip=tip,
                                   hidden=b.hidden, css="bar hidden" if b.hidden else "bar"))
            if text:
                marks.append(_text(label_width + length + 6, y + step / 2 + font_size * 0.35, text,
                                   size=font_size, anchor="start"))
        marks.append(f'<line x1="{label_width:.1f}" y1="2" x2="{label_width:.1f}" y2="{total - 2:.1f}" '
                     f'stroke="{_INK}" stroke-width="1"/>')
        return _open(ident, title, desc, width, total) + "".join(marks) + "</svg>"

    pad = 30.0
    width = width or max(320.0, 2 * pad + step * len(bars))
    slot = (width - 2 * pad) / len(bars)
    label_width = 0.62 * font_size * max(len(b.label) for b in bars) + 6
    every = label_every or max(1, math.ceil(label_width / slot))
    plot = height - 2 * pad
    for i, b in enumerate(bars):
        text = b.text if b.text is not None else ("" if b.value is None else _number(b.value))
        tip = b.tooltip or f"{b.label}: {text or no_data}"
        h = plot * (min(b.value, top) / top) if b.value is not None else (plot * 0.08 if b.hidden else 0.0)
        x, y = pad + i * slot, height - pad - h
        if b.value is not None or b.hidden:
            marks.append(_rect(x, y, slot * 0.8, h, fill=colour, tooltip=tip, hidden=b.hidden,
                               css="bar hidden" if b.hidden else "bar"))
        if i % every == 0:
            marks.append(_text(x + slot * 0.4, height - pad + 14, b.label, size=font_size))
        if text and (b.hidden or b.value):
            marks.append(_text(x + slot * 0.4, y - 3, text, size=font_size))
    marks.append(f'<line x1="{pad - 2:.1f}" y1="{height - pad:.1f}" x2="{width - pad:.1f}" y2="{height - pad:.1f}" '
                 f'stroke="{_GRID}" stroke-width="1"/>')
    if divider_after is not None and 0 <= divider_after < len(bars):
        x = pad + (divider_after + 1) * slot - slot * 0.1
        marks.append(f'<line class="divider" x1="{x:.1f}" y1="{pad - 14:.1f}" x2="{x:.1f}" y2="{height - pad:.1f}" '
                     f'stroke="{HIDDEN_STROKE}" stroke-width="1" stroke-dasharray="4 3"/>')
        if divider_label:
            marks.append(_text(x + 4, pad - 6, divider_label, size=font_size, anchor="start", fill=HIDDEN_STROKE))
    return _open(ident, title, desc, width, height) + "".join(marks) + "</svg>"


def histogram(
    values: Iterable[int],
    *,
    low: int,
    high: int,
    title: str,
    desc: str = "",
    hide_small: bool = False,
    unit: str = "",
    colour: str = PALETTE[0],
    ident: str | None = None,
    font_size: float = 10,
    width: float | None = None,
    mark_after: int | None = None,
    lang: str = "en",
) -> str:
    """Counts of whole numbers, one bar per value from ``low`` to ``high`` (both included).

    Values outside the range are left out. With ``hide_small`` a count of 1 to 4 is
    drawn as a short dashed outline marked ``<5``: the chart shows that there is
    something, not how much. ``mark_after`` draws a dashed line after that value
    (``mark_after=7``: the 7-day limit). ``lang`` sets the chart's own words (a hidden
    bar's tooltip, the divider's label) and how counts are written; ``unit`` comes in the
    caller's language.

    Examples
    --------
    >>> svg = histogram([1, 1, 3, 9], low=1, high=5, title="Days")
    >>> svg.count('class="bar"'), "1: 2" in svg
    (5, True)
    >>> svg = histogram([1, 1, 3], low=1, high=3, title="Days", hide_small=True)
    >>> svg.count('class="bar hidden"'), svg.count("&lt;5")
    (2, 4)
    """
    w = words(lang)
    counts = {v: 0 for v in range(low, high + 1)}
    for value in values:
        if low <= value <= high:
            counts[int(value)] += 1
    suffix = f" {unit}" if unit else ""
    bars = []
    for value, count in counts.items():
        if hide_small and 1 <= count <= 4:
            bars.append(Bar(str(value), None, text=SMALL, hidden=True,
                            tooltip=f"{value}{suffix}: {SMALL} ({w('chart.small_bar')})"))
        else:
            bars.append(Bar(str(value), count, text=w.count(count), tooltip=f"{value}{suffix}: {w.count(count)}"))
    shown = [b.value for b in bars if b.value is not None]
    every = 1 if len(bars) <= 31 else 5
    divider = mark_after - low if mark_after is not None and low <= mark_after < high else None
    label = f"≤ {mark_after}{suffix} | {w('chart.later')}" if divider is not None else ""
    return bar_chart(bars, title=title, desc=desc, colour=colour, max_value=max(max(shown, default=1), 1),
                     step=24, height=220, label_every=every, ident=ident, font_size=font_size, width=width,
                     divider_after=divider, divider_label=label, lang=lang)


def line_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    desc: str = "",
    max_value: float = 100.0,
    unit: str = "%",
    step: float = 44,
    height: float = 240,
    font_size: float = 11,
    width: float | None = None,
    ident: str | None = None,
    lang: str = "en",
) -> str:
    """Lines over categories (e.g. rates by month), one ``<circle class="point">`` per value.

    A line breaks where a value is missing (``None``). A hidden value (a string such as
    ``"<5"``) is drawn as a hollow grey ``<circle class="point hidden">`` on the baseline.
    The y axis runs from 0 to ``max_value`` with grid lines at quarters. The chart is
    ``width`` pixels wide, or ``step`` per category (at least 480). ``lang`` sets the
    chart's own words and its decimal mark.

    Examples
    --------
    >>> svg = line_chart(["2024-01", "2024-02", "2024-03"],
    ...                  [Series("within 7 days", [50.0, None, "<5"])], title="Rates")
    >>> svg.count('class="point"'), svg.count('class="point hidden"'), "2024-01 · within 7 days: 50.0 %" in svg
    (1, 1, True)
    """
    if not categories:
        return ""
    ident = _ident(title, ident)
    w = words(lang)
    left, right, top_pad, bottom = 44.0, 16.0, 34.0, 40.0
    width = width or max(480.0, left + right + step * len(categories))
    slot = (width - left - right) / len(categories)
    plot = height - top_pad - bottom
    base = height - bottom
    marks = []
    for q in range(5):
        y = base - plot * q / 4
        marks.append(f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{width - right:.1f}" y2="{y:.1f}" '
                     f'stroke="{_GRID}" stroke-width="1"/>')
        axis_unit = f"\u00a0{unit}" if unit == "%" and w.lang == "nb" else unit  # 25 % in Norwegian
        marks.append(_text(left - 6, y + font_size * 0.35, f"{_number(max_value * q / 4)}{axis_unit}",
                           size=font_size - 1, anchor="end"))
    every = max(1, int(-(-(font_size * 4.2) // slot)))
    for i, category in enumerate(categories):
        if i % every == 0:
            marks.append(_text(left + slot * (i + 0.5), base + 16, category, size=font_size - 1))
    space = f" {unit}" if unit == "%" else unit
    legend_x = left
    for n, s in enumerate(series):
        colour = s.colour or PALETTE[n % len(PALETTE)]
        marks.append(f'<rect class="key" x="{legend_x:.1f}" y="8" width="12" height="12" fill="{colour}"/>')
        marks.append(_text(legend_x + 16, 18, s.name, size=font_size, anchor="start"))
        legend_x += 36 + 0.6 * font_size * len(s.name)
        runs, run = [], []
        for i, value in enumerate(s.values):
            if isinstance(value, (int, float)) and value is not None:
                run.append((left + slot * (i + 0.5), base - plot * min(value, max_value) / max_value))
            elif run:
                runs.append(run)
                run = []
        if run:
            runs.append(run)
        for points in runs:
            if len(points) > 1:
                coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
                marks.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for i, value in enumerate(s.values):
            x = left + slot * (i + 0.5)
            label = f"{categories[i]} · {s.name}"
            if isinstance(value, str):
                marks.append(f'<circle class="point hidden" cx="{x:.1f}" cy="{base - 6 - 11 * n:.1f}" r="4.5" '
                             f'fill="{HIDDEN_FILL}" stroke="{colour}" stroke-dasharray="2 1.5">'
                             f'<title>{escape(label)}: {escape(value)} ({escape(w("chart.hidden_point"))})</title></circle>')
            elif value is not None:
                y = base - plot * min(value, max_value) / max_value
                marks.append(f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}">'
                             f'<title>{escape(label)}: {escape(w.number(value))}{escape(space)}</title></circle>')
    markers = sorted({v for s in series for v in s.values if isinstance(v, str)})
    if markers:
        marks.append(f'<circle cx="{legend_x + 6:.1f}" cy="14" r="4.5" fill="{HIDDEN_FILL}" '
                     f'stroke="{HIDDEN_STROKE}" stroke-dasharray="2 1.5"/>')
        marks.append(_text(legend_x + 16, 18, w("chart.hidden_key", markers=", ".join(markers)), size=font_size, anchor="start"))
    return _open(ident, title, desc, width, height) + "".join(marks) + "</svg>"
