"""One user's story drawn on one page: who was responsible, when, and where it broke.

:func:`timeline_svg` draws the story of :func:`handover.reports.user_story.user_story` (a
``UserStory``, used by its attributes only) as a timeline in inline SVG, the picture a
quality adviser shows in a meeting: one lane per service, plan and role, handovers
marked, days without a coordinator shaded, follow-up after each discharge measured.
:func:`user_html` puts it on one self-contained page (inline CSS, ``assets/user.css``)
with cards of the main numbers, a legend and the rows of every finding for the user.

The page has no scripts and fetches nothing; every name is escaped. It shows ids and the
agencies' names, never a name or national id of a person.
"""

from __future__ import annotations

import collections
import functools

from dataclasses import dataclass, field

import pandas as pd

from handover import __version__
from handover.findings import FINDINGS
from handover.findings.schema import text_rows
from handover.locale import Words, words
from handover.model import STAY_SERVICE_KINDS, VOCABULARIES
from handover.render.colours import BAD, GOOD, LATE, LEVEL_COLOURS, UNKNOWN
from handover.render.html import asset, escape
from handover.timeline import DAY

__all__ = ["timeline_svg", "user_html"]

_INK, _MUTED, _GRID = "#1b1f24", "#57606a", "#e3e8ee"
_FONT = "system-ui,-apple-system,Segoe UI,Roboto,sans-serif"


# --- the timeline ------------------------------------------------------------------------

_W, _LABEL, _RIGHT = 1180.0, 280.0, 28.0
_PLOT = _W - _LABEL - _RIGHT
_LANE, _BAR, _THIN = 30.0, 16.0, 9.0
_HEAD = 28.0
_SHIFT = 20       # room for a second row of handover markers above the axis


@functools.lru_cache(maxsize=None)
def _row_type(columns: tuple[str, ...]):
    return collections.namedtuple("Row", columns, rename=True)


def _rows(frame: pd.DataFrame) -> list:
    """``frame.itertuples(index=False)`` for the few rows of one user, without its cost per call."""
    kind = _row_type(tuple(frame.columns))
    return [kind(*values) for values in zip(*(frame[c].tolist() for c in frame.columns))]


def _day(value) -> str:
    return "" if value is None or pd.isna(value) else f"{value:%Y-%m-%d}"


def _txt(value) -> str:
    """Text of a cell, empty when missing (None or NaN)."""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


# Text widths are estimated, not measured (the page has no scripts): per character, as a share
# of the font size, on the wide side of the fonts a browser falls back to (DejaVu Sans is the
# widest common one), so that an estimated fit is a real one.
_NARROW, _WIDE = frozenset("fijlrt.,:;'!|()[] -/"), frozenset("mwMWÆŒæœ…")
_TICK_GAP = 8.0   # the least room between two labels of the axis
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _text_width(text: str, size: float, *, bold: bool = False) -> float:
    """About how wide ``text`` is drawn at ``size`` px, never much less than it is.

    Examples
    --------
    >>> round(_text_width("2024", 13, bold=True)), round(_text_width("NAV Grünerløkka", 10))
    (40, 90)
    """
    em = sum(0.4 if c in _NARROW else 1.0 if c in _WIDE else 0.72 if c.isupper() else 0.7 if c.isdigit()
             else 0.64 for c in text)
    return em * size * (1.1 if bold else 1.0)


def _lane_text(text: str, *, x: float, y: float, size: float, fill: str, is_id: bool = False) -> str:
    """A lane's label in the label column: a name too long is cut with "…" and given in full on
    hover (its ``<title>``); an id is never cut, but squeezed to fit.

    Examples
    --------
    >>> cut = _lane_text("Oslo universitetssykehus HF, klinikk for psykisk helse og avhengighet",
    ...                  x=20, y=0, size=10, fill="#000")
    >>> cut.split("</title>")[1]
    'Oslo universitetssykehus HF, klinikk for ps…</text>'
    >>> 'textLength="252"' in _lane_text("agency-" + "x" * 60, x=20, y=0, size=10, fill="#000", is_id=True)
    True
    """
    room = _LABEL - 8 - x
    place = f'x="{x:g}" y="{y:.1f}" font-size="{size:g}" fill="{fill}"'
    if _text_width(text, size) <= room:
        return f'<text class="lane" {place}>{escape(text)}</text>'
    if is_id:
        return (f'<text class="lane squeezed" {place} textLength="{room:.0f}" lengthAdjust="spacingAndGlyphs">'
                f'<title>{escape(text)}</title>{escape(text)}</text>')
    # No character is narrower than 0.4 em: start from the most that could fit, so a name of
    # any length (a 10 MB one in the bad-input corpus) is cut in a few steps.
    kept = min(len(text), int(room / (0.4 * size)) + 1)
    while kept and _text_width(text[:kept].rstrip() + "…", size) > room:
        kept -= 1
    return f'<text class="lane cut" {place}><title>{escape(text)}</title>{escape(text[:kept].rstrip())}…</text>'


@dataclass
class _Bar:
    start: pd.Timestamp
    end: pd.Timestamp | None       # None: ongoing at as_of
    colour: str
    tooltip: str
    text: str = ""
    strong: bool = True            # full height (a stay, an individual plan) or thin
    css: str = "bar"
    end_mark: str = ""             # "unplanned", "death"
    key: str = ""                  # the episode's id, for its follow-up mark


@dataclass
class _Lane:
    label: str
    sublabel: str = ""
    bars: list = field(default_factory=list)
    dots: list = field(default_factory=list)   # (day, colour, tooltip)
    top: float = 0.0                            # where it was drawn
    ids: tuple = ()                             # "label", "sublabel": which of them is an id, never cut


def _packed(bars: list[_Bar], as_of) -> list[list[_Bar]]:
    """Bars in as few rows as possible so that none overlaps another in its row."""
    rows: list[list[_Bar]] = []
    ends: list[pd.Timestamp] = []
    for bar in sorted(bars, key=lambda b: (b.start, b.text)):
        stop = bar.end if bar.end is not None else as_of + DAY
        for i, end in enumerate(ends):
            if bar.start >= end:
                rows[i].append(bar)
                ends[i] = stop
                break
        else:
            rows.append([bar])
            ends.append(stop)
    return rows


def _sections(story, w: Words) -> list[tuple[str, list[_Lane]]]:
    as_of = story.as_of
    sections = []
    lanes: dict = {}
    for row in _rows(story.episodes):
        agency = _txt(row.agency_name) or _txt(row.agency_id) or w("user.unknown_agency")
        service = _txt(row.service_name) or _txt(row.service_id)
        ids = (("label",) if not _txt(row.service_name) else ()) + (("sublabel",) if not _txt(row.agency_name) else ())
        lane = lanes.setdefault((agency, service), _Lane(service, agency, ids=ids))
        stay = row.service_kind in STAY_SERVICE_KINDS
        ended = pd.notna(row.end)
        discharge = _txt(row.discharge_kind)
        shown = w.value("discharge_kind", discharge) if discharge else ""
        until = (_day(row.end) + (f" ({shown})" if discharge else "")) if ended else w("user.ongoing")
        kind = f" ({_txt(row.service_kind)})" if _txt(row.service_kind) else ""
        tip = w("user.tip.episode", id=row.episode_id, service=service, kind=kind, agency=agency,
                start=_day(row.start), until=until)
        lane.bars.append(_Bar(row.start, row.end if ended else None, LEVEL_COLOURS.get(row.level, UNKNOWN), tip,
                              strong=stay, css="bar episode", key=str(row.episode_id),
                              end_mark=discharge if ended and discharge in ("unplanned", "death") else ""))
    if lanes:
        sections.append((w("user.section.episodes"), list(lanes.values())))
    lanes = {}
    kinds = {kind: i for i, kind in enumerate(VOCABULARIES["plan_kind"])}
    dormant = story.findings.get("dormant_plans")
    dormant = set(dormant["plan_id"]) if isinstance(dormant, pd.DataFrame) else set()
    for row in sorted(_rows(story.plans), key=lambda r: (kinds.get(r.kind, 99), str(r.agency_id))):
        key = (row.kind, row.agency_id)
        agency = _txt(row.agency_name) or _txt(row.agency_id)
        lane = lanes.setdefault(key, _Lane(w.value("plan_kind", row.kind), agency,
                                           ids=() if _txt(row.agency_name) else ("sublabel",)))
        revised = row.last_revised if pd.notna(row.last_revised) else None
        tip = (w("user.tip.plan", id=row.plan_id, kind=w.value("plan_kind", row.kind), agency=agency,
                 start=_day(row.start), until=_day(row.end) if pd.notna(row.end) else w("user.ongoing"))
               + ("\n" + w("user.tip.last_revised", day=_day(revised)) if revised is not None else "")
               + ("\n" + w("user.tip.dormant") if row.plan_id in dormant else ""))
        lane.bars.append(_Bar(row.start, row.end if pd.notna(row.end) else None,
                              LEVEL_COLOURS.get(row.level, UNKNOWN), tip, strong=row.kind == "individual_plan",
                              css="bar plan" + (" dormant" if row.plan_id in dormant else "")))
        if revised is not None:
            lane.dots.append((revised, "#ffffff", w("user.tip.revised", id=row.plan_id, day=_day(revised))))
    if lanes:
        sections.append((w("user.section.plans"), list(lanes.values())))
    lanes = {}
    roles = {role: i for i, role in enumerate(VOCABULARIES["role"])}
    by_role: dict = {}
    for row in _rows(story.responsibilities):
        by_role.setdefault(row.role, []).append(row)
    for role in sorted(by_role, key=lambda r: roles.get(r, 99)):
        bars = []
        for row in by_role[role]:
            profession = _txt(getattr(row, "profession", None))
            who = f"{row.staff_id}" + (f" ({profession})" if profession else "")
            # The free-text reason is left out: it may hold personal details.
            tip = w("user.tip.responsibility", role=w.value("role", role), who=who,
                    agency=_txt(row.agency_name) or _txt(row.agency_id), start=_day(row.start),
                    until=_day(row.end) if pd.notna(row.end) else w("user.ongoing"))
            bars.append(_Bar(row.start, row.end if pd.notna(row.end) else None,
                             LEVEL_COLOURS.get(row.level, UNKNOWN), tip, text=str(row.staff_id),
                             css=f"bar responsibility {role}"))
        for i, packed in enumerate(_packed(bars, as_of)):
            staff = len({b.text for b in packed})
            label = w.value("role", role) if i == 0 else ""
            periods = len(by_role[role])
            people = len({r.staff_id for r in by_role[role]})
            lanes[(role, i)] = _Lane(label, w("user.lane.periods", periods=periods, people=people)
                                     if i == 0 else w("user.lane.overlapping", staff=staff), packed)
    if story.contacts is not None and len(story.contacts):
        lane = _Lane(w("user.lane.contacts"), w("user.lane.contacts_count", n=len(story.contacts)))
        for row in _rows(story.contacts):
            kind = _txt(getattr(row, "kind", None)) or w("user.lane.contact")
            lane.dots.append((row.date, LEVEL_COLOURS.get(row.level, UNKNOWN),
                              w("user.tip.contact", day=_day(row.date), kind=kind,
                                agency=_txt(row.agency_name) or _txt(row.agency_id))))
        lanes[("contacts",)] = lane
    if lanes:
        sections.append((w("user.section.responsibilities"), list(lanes.values())))
    return sections


def _ticks(first: pd.Timestamp, last: pd.Timestamp, x, months_named: tuple[str, ...] = _MONTHS) -> tuple[list[str], list[str]]:
    """Year and month labels along the top axis, and grid lines: as many labels as fit.

    Each year is labelled at its January (every 2nd, 5th or 10th year when even years would
    crowd), and the first month with its year when that fits before the next label. Months
    are labelled every 1, 2, 3 or 6 months, the most often that fits, and not at all when
    even half-years would crowd. Steps are chosen for the shortest month (February), so no
    two labels overlap at any span.

    Examples
    --------
    >>> def ticks(first, last):
    ...     first, last = pd.Timestamp(first), pd.Timestamp(last)
    ...     x = lambda d: _LABEL + _PLOT * (d - first).days / (last - first).days
    ...     marks, _ = _ticks(first, last, x)
    ...     return [m.split(">")[1].split("<")[0] for m in marks if "tick year" in m]
    >>> ticks("2016-10-01", "2026-11-01")   # ten years from October: no room for 2016 before 2017
    ['2017', '2018', '2019', '2020', '2021', '2022', '2023', '2024', '2025', '2026']
    >>> ticks("2024-03-01", "2024-05-01")
    ['2024']
    """
    months = pd.date_range(first, last, freq="MS")
    right = _W - 4
    shortest = min((x(b) - x(a) for a, b in zip(months, months[1:])), default=_PLOT)
    year_width = _text_width("2000", 13, bold=True)
    month_width = max(_text_width(name, 10.5) for name in months_named)
    year_step = next((s for s in (1, 2, 5, 10, 20, 50) if 12 * s * shortest >= year_width + _TICK_GAP), 100)
    month_step = next((s for s in (1, 2, 3, 6) if s * shortest >= month_width + _TICK_GAP), None)

    def fits(day, width: float) -> bool:
        return x(day) + 3 + width <= right

    years = [d for d in months if d.month == 1 and d.year % year_step == 0 and fits(d, year_width)]
    if months[0] not in years and fits(months[0], year_width) and (
            not years or x(months[0]) + 3 + year_width + _TICK_GAP <= x(years[0]) + 3):
        years.insert(0, months[0])
    labelled = set(years)
    marks, grid = [], []
    for day in months:
        px = x(day)
        if day in labelled:
            marks.append(f'<text class="tick year" x="{px + 3:.1f}" y="{_SHIFT + 44}" font-size="13" font-weight="700" '
                         f'fill="{_INK}">{day.year}</text>')
        if day in labelled or (day.month == 1 and year_step == 1):
            grid.append(f'<line x1="{px:.1f}" x2="{px:.1f}" y1="{_SHIFT + 50}" y2="{{bottom}}" stroke="#c9d1d9" stroke-width="1"/>')
        elif month_step and (day.month - 1) % month_step == 0:
            grid.append(f'<line x1="{px:.1f}" x2="{px:.1f}" y1="{_SHIFT + 56}" y2="{{bottom}}" stroke="{_GRID}" stroke-width="1"/>')
        if month_step and (day.month - 1) % month_step == 0 and fits(day, month_width):
            marks.append(f'<text class="tick month" x="{px + 3:.1f}" y="{_SHIFT + 62}" font-size="10.5" '
                         f'fill="{_MUTED}">{escape(months_named[day.month - 1])}</text>')
    return marks, grid


def _gap_bands(story, w: Words) -> list[tuple[pd.Timestamp, pd.Timestamp, list[str]]]:
    """The coordinator gaps merged into bands (gaps of two plans may overlap), with their texts."""
    gaps = story.findings.get("coordinator_gaps")
    if not isinstance(gaps, pd.DataFrame) or gaps.empty:
        return []
    bands: list = []
    for row in _rows(gaps.sort_values("gap_start")):
        end = row.gap_end if pd.notna(row.gap_end) else story.as_of + DAY
        tip = w("user.tip.gap", days=row.gap_days, plan=row.plan_id, agency=row.agency_id, start=_day(row.gap_start),
                end=_day(row.gap_end) or w("user.ongoing"))
        if bands and row.gap_start <= bands[-1][1]:
            bands[-1] = (bands[-1][0], max(bands[-1][1], end), bands[-1][2] + [tip])
        else:
            bands.append((row.gap_start, end, [tip]))
    return bands


def timeline_svg(story, lang: str = "en") -> str:
    """The user's timeline as one inline ``<svg>`` (see the module docstring).

    Parameters
    ----------
    story : handover.reports.user_story.UserStory
        Read through its attributes (``user_id``, ``as_of``, ``episodes``, ``plans``,
        ``responsibilities``, ``contacts``, ``handovers``, ``findings``) and ``first_day()``.

    Returns
    -------
    str
        The ``<svg>`` element, or a note when nothing is recorded for the user.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> from handover.reports.user_story import user_story
    >>> svg = timeline_svg(user_story(tiny_dataset(), "u1"))
    >>> svg.count('class="bar episode"'), svg.count('class="handover without"')
    (2, 1)
    """
    w = words(lang)
    first_day = story.first_day()
    if first_day is None:
        return f'<p class="note">{escape(w("user.nothing"))}</p>'
    first = first_day.to_period("M").start_time
    last = (story.as_of + pd.Timedelta(days=20)).to_period("M").end_time.normalize() + DAY
    span = max((last - first).days, 1)

    def x(day) -> float:
        return _LABEL + _PLOT * min(max((day - first).days, 0), span) / span

    sections = _sections(story, w)
    y = _SHIFT + 78.0
    body = []
    for title, lanes in sections:
        body.append(f'<text x="12" y="{y + 18:.1f}" font-size="12.5" font-weight="700" fill="{_MUTED}" '
                    f'letter-spacing=".04em">{escape(title.upper())}</text>')
        body.append(f'<line x1="12" x2="{_W - _RIGHT:.1f}" y1="{y + _HEAD - 4:.1f}" y2="{y + _HEAD - 4:.1f}" '
                    f'stroke="#c9d1d9" stroke-width="1"/>')
        y += _HEAD
        for n, lane in enumerate(lanes):
            if n % 2:
                body.append(f'<rect x="12" y="{y:.1f}" width="{_W - _RIGHT - 12:.1f}" height="{_LANE:.1f}" '
                            f'fill="#f6f8fa"/>')
            mid = y + _LANE / 2
            if lane.label:
                body.append(_lane_text(lane.label, x=20, y=mid - (2 if lane.sublabel else -4), size=12.5, fill=_INK,
                                       is_id="label" in lane.ids))
            if lane.sublabel:
                body.append(_lane_text(lane.sublabel, x=20, y=mid + 11, size=10, fill=_MUTED,
                                       is_id="sublabel" in lane.ids))
            above_end = -1.0  # where the last label above a narrow bar ends: labels never overlap
            for bar in sorted(lane.bars, key=lambda b: b.start):
                height = _BAR if bar.strong else _THIN
                top = mid - height / 2
                x0, x1 = x(bar.start), x(bar.end if bar.end is not None else story.as_of + DAY)
                width = max(x1 - x0, 2.0)
                opacity = "1" if bar.strong else "0.55"
                body.append(f'<rect class="{bar.css}" x="{x0:.1f}" y="{top:.1f}" width="{width:.1f}" '
                            f'height="{height:.1f}" rx="3" fill="{bar.colour}" fill-opacity="{opacity}">'
                            f'<title>{escape(bar.tooltip)}</title></rect>')
                if "dormant" in bar.css:
                    body.append(f'<rect x="{x0:.1f}" y="{top:.1f}" width="{width:.1f}" height="{height:.1f}" rx="3" '
                                f'fill="url(#dormant)" pointer-events="none"/>')
                if bar.end is None:
                    body.append(f'<path d="M{x1 + 1:.1f},{mid - 6:.1f} l7,6 l-7,6 z" fill="{bar.colour}" '
                                f'fill-opacity="{opacity}"><title>{escape(w("user.ongoing_at", day=_day(story.as_of)))}'
                                '</title></path>')
                if bar.text and width > 7.2 * len(bar.text) + 8:
                    body.append(f'<text x="{x0 + 5:.1f}" y="{mid + 4:.1f}" font-size="11" fill="#ffffff" '
                                f'pointer-events="none">{escape(bar.text)}</text>')
                elif bar.text and width > 3 and x0 + 2 >= above_end:
                    above_end = x0 + 2 + 5.6 * len(bar.text) + 4
                    body.append(f'<text x="{x0 + 2:.1f}" y="{top - 2:.1f}" font-size="9.5" fill="{_MUTED}" '
                                f'pointer-events="none">{escape(bar.text)}</text>')
                if bar.end_mark and bar.end is not None:
                    colour = BAD if bar.end_mark == "unplanned" else _INK
                    body.append(f'<rect x="{x1 - 1.5:.1f}" y="{top - 3:.1f}" width="3" height="{height + 6:.1f}" '
                                f'fill="{colour}"><title>{escape(w("user.tip.discharge", kind=w.value("discharge_kind", bar.end_mark), day=_day(bar.end)))}'
                                '</title></rect>')
            for day, colour, tip in lane.dots:
                stroke = _INK if colour == "#ffffff" else "#ffffff"
                body.append(f'<circle class="dot" cx="{x(day):.1f}" cy="{mid:.1f}" r="{3.2 if colour == "#ffffff" else 4:.1f}" '
                            f'fill="{colour}" stroke="{stroke}" stroke-width="1.2"><title>{escape(tip)}</title></circle>')
            lane.top = y
            y += _LANE
        y += 10
    bottom = y
    overlay, marks = [], []
    for start, end, tips in _gap_bands(story, w):
        x0, x1 = x(start), x(end)
        overlay.append(f'<rect class="gap" x="{x0:.1f}" y="{_SHIFT + 70}" width="{max(x1 - x0, 2):.1f}" '
                       f'height="{bottom - 70 - _SHIFT:.1f}" fill="url(#gap)"><title>{escape(chr(10).join(tips))}</title></rect>')
        if x1 - x0 > 70:
            overlay.append(f'<text class="gap-label" x="{(x0 + x1) / 2:.1f}" y="{bottom - 4:.1f}" font-size="10.5" '
                           f'text-anchor="middle" fill="{BAD}" font-weight="600">{escape(w("user.lane.gap"))}</text>')
    row_end = [-99.0, -99.0]  # markers close together go on a second row
    for row in _rows(story.handovers):
        px = x(row.handover_date)
        level = 0 if px - row_end[0] >= 19 else 1 if px - row_end[1] >= 19 else 0
        row_end[level] = px
        marker_y = 14 + 20 * level
        colour = GOOD if row.with_coordinator else BAD
        state = "with" if row.with_coordinator else "without"
        tip = w("user.tip.handover", day=_day(row.handover_date), source=row.from_agency_id, target=row.to_agency_id,
                days=row.gap_days, state=w("user.tip.with_coordinator" if row.with_coordinator
                                           else "user.tip.without_coordinator"))
        overlay.append(f'<line x1="{px:.1f}" x2="{px:.1f}" y1="{marker_y + 8}" y2="{bottom:.1f}" stroke="{colour}" '
                       f'stroke-width="1.5" stroke-dasharray="5 3" opacity=".8"/>')
        glyph = ("M-4,0 l3,3.5 l5.5,-7" if row.with_coordinator else "M-3.5,-3.5 l7,7 M3.5,-3.5 l-7,7")
        marks.append(f'<g class="handover {state}" transform="translate({px:.1f},{marker_y})"><title>{escape(tip)}</title>'
                     f'<circle r="8.5" fill="{colour}" stroke="#ffffff" stroke-width="1.5"/><path d="{glyph}" stroke="#fff" stroke-width="2.2" '
                     f'fill="none" stroke-linecap="round"/></g>')
    follow = story.findings.get("discharge_follow_up")
    episode_lane = {}
    for _, lanes in sections:
        for lane in lanes:
            for bar in lane.bars:
                if bar.key:
                    episode_lane[bar.key] = lane.top
    label_end: dict = {}  # per lane: where the last follow-up label ends, so labels never overlap

    def label(at: float, top: float, text: str, colour: str, base: float) -> str:
        if at < label_end.get(top, -1.0):
            return ""
        label_end[top] = at + 6.2 * len(text) + 4
        return (f'<text x="{at:.1f}" y="{base + 3.5:.1f}" font-size="10" font-weight="600" '
                f'fill="{colour}">{escape(text)}</text>')

    if isinstance(follow, pd.DataFrame):
        for row in _rows(follow.sort_values(["discharge_date", "episode_id"])):
            top = episode_lane.get(row.episode_id)
            if top is None:
                continue
            base = top + _LANE - 3
            x0 = x(row.discharge_date)
            if pd.notna(row.first_follow_up_date):
                colour = GOOD if row.follow_up_7d else LATE if row.follow_up_30d else BAD
                x1 = x(row.first_follow_up_date)
                tip = w("user.tip.follow_up", day=_day(row.discharge_date), episode=row.episode_id,
                        days=row.days_to_follow_up, follow=_day(row.first_follow_up_date))
                overlay.append(f'<g class="follow-up {"7d" if row.follow_up_7d else "30d"}"><title>{escape(tip)}</title>'
                               f'<path d="M{x0:.1f},{base - 5:.1f} V{base:.1f} H{x1:.1f}" fill="none" stroke="{colour}" '
                               f'stroke-width="2"/><circle cx="{x1:.1f}" cy="{base:.1f}" r="3.5" fill="{colour}"/>'
                               + label(x1 + 6, top, w("user.lane.days", days=row.days_to_follow_up), colour, base)
                               + '</g>')
            else:
                x1 = x(row.discharge_date + pd.Timedelta(days=30))
                tip = w("user.tip.no_follow_up", day=_day(row.discharge_date), episode=row.episode_id)
                overlay.append(f'<g class="follow-up none"><title>{escape(tip)}</title>'
                               f'<path d="M{x0:.1f},{base - 5:.1f} V{base:.1f} H{x1:.1f}" fill="none" stroke="{BAD}" '
                               f'stroke-width="2" stroke-dasharray="3 2"/><path d="M{x1 - 3.5:.1f},{base - 3.5:.1f} '
                               f'l7,7 M{x1 + 3.5:.1f},{base - 3.5:.1f} l-7,7" stroke="{BAD}" stroke-width="2"/>'
                               + label(x1 + 7, top, w("user.lane.none"), BAD, base) + '</g>')
    marks_axis, grid = _ticks(first, last, x, tuple(w("user.months").split()))
    grid = [g.replace("{bottom}", f"{bottom:.1f}") for g in grid]
    now = x(story.as_of)
    as_of_mark = (f'<line x1="{now:.1f}" x2="{now:.1f}" y1="{_SHIFT + 50}" y2="{bottom:.1f}" stroke="{_INK}" stroke-width="1" '
                  f'stroke-dasharray="2 3"/><text x="{now - 4:.1f}" y="{bottom + 14:.1f}" font-size="10.5" '
                  f'text-anchor="end" fill="{_MUTED}">{escape(w("user.as_of", day=_day(story.as_of)))}</text>')
    height = bottom + 22
    defs = (f'<defs><pattern id="gap" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
            f'<rect width="8" height="8" fill="{BAD}" fill-opacity=".07"/><line x1="0" y1="0" x2="0" y2="8" '
            f'stroke="{BAD}" stroke-opacity=".35" stroke-width="3"/></pattern>'
            f'<pattern id="dormant" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)">'
            f'<line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-opacity=".7" stroke-width="2"/></pattern></defs>')
    desc = w("user.desc", user=story.user_id, first=_day(first_day), last=_day(story.as_of),
             episodes=len(story.episodes), plans=len(story.plans), responsibilities=len(story.responsibilities),
             handovers=len(story.handovers), without=int((~story.handovers["with_coordinator"]).sum()))
    return (f'<svg class="story" role="img" aria-labelledby="story-t story-d" viewBox="0 0 {_W:.0f} {height:.0f}" '
            f'width="{_W:.0f}" height="{height:.0f}" font-family="{_FONT}" style="max-width:100%;height:auto">'
            f'<title id="story-t">{escape(w("user.svg_title", user=story.user_id))}</title>'
            f'<desc id="story-d">{escape(desc)}</desc>'
            f'{defs}{"".join(grid)}'
            + "".join(o for o in overlay if 'class="gap"' in o)
            + "".join(body)
            + "".join(o for o in overlay if 'class="gap"' not in o)
            + as_of_mark + "".join(marks_axis) + "".join(marks) + "</svg>")


# --- the page ----------------------------------------------------------------------------


def _cards(story, w: Words) -> str:
    found = story.handovers
    without = int((~found["with_coordinator"]).sum()) if len(found) else 0
    # Gaps of two plans can overlap: count each day once, open gaps up to as_of.
    gap_days = sum((min(end, story.as_of) - start).days for start, end, _ in _gap_bands(story, w))
    follow = story.findings.get("discharge_follow_up")
    discharges = len(follow) if isinstance(follow, pd.DataFrame) else 0
    seen_7 = int(follow["follow_up_7d"].sum()) if isinstance(follow, pd.DataFrame) and len(follow) else 0
    workers = story.responsibilities[story.responsibilities["role"] == "caseworker"]["staff_id"].nunique()
    coordinators = story.responsibilities[story.responsibilities["role"] == "coordinator"]["staff_id"].nunique()
    plans = story.plans
    cards = [
        (w("user.card.handovers"), w.count(len(found)), w("user.card.handovers_sub", n=without), "bad" if without else ""),
        (w("user.card.gaps"), w.count(gap_days), w("user.card.gaps_sub"), "bad" if gap_days else ""),
        (w("user.card.discharges"), w.count(discharges), w("user.card.discharges_sub", n=seen_7),
         "bad" if discharges > seen_7 else ""),
        (w("user.card.caseworkers"), w.count(workers), w("user.card.caseworkers_sub", n=coordinators), ""),
        (w("user.card.plans"), w.count(len(plans)), w("user.card.plans_sub", n=plans["agency_id"].nunique()), ""),
    ]
    return "\n".join(
        f'<div class="card {tone}"><span class="label">{escape(label)}</span><span class="n">{escape(value)}</span>'
        f'<span class="sub">{escape(sub)}</span></div>' for label, value, sub, tone in cards)


def _legend(story, w: Words) -> str:
    levels = sorted({lvl for frame in (story.episodes, story.plans, story.responsibilities, story.contacts)
                     for lvl in frame.get("level", pd.Series(dtype=object)).dropna()},
                    key=lambda v: list(LEVEL_COLOURS).index(v) if v in LEVEL_COLOURS else 9)
    items = [f'<li><span class="sw" style="background:{LEVEL_COLOURS.get(v, UNKNOWN)}"></span>'
             f'{escape(w("user.legend.level", level=w.value("agency_level", v)))}</li>' for v in levels]
    items += [
        f'<li><svg width="20" height="20" aria-hidden="true"><circle cx="10" cy="10" r="8" fill="{GOOD}"/>'
        f'<path d="M6,10 l3,3.5 l5.5,-7" stroke="#fff" stroke-width="2" fill="none"/></svg>{escape(w("user.legend.with"))}</li>',
        f'<li><svg width="20" height="20" aria-hidden="true"><circle cx="10" cy="10" r="8" fill="{BAD}"/>'
        f'<path d="M6.5,6.5 l7,7 M13.5,6.5 l-7,7" stroke="#fff" stroke-width="2"/></svg>{escape(w("user.legend.without"))}</li>',
        f'<li><span class="sw gap"></span>{escape(w("user.legend.gap"))}</li>',
        f'<li><svg width="30" height="14" aria-hidden="true"><path d="M2,2 V10 H26" stroke="{GOOD}" stroke-width="2" fill="none"/>'
        f'<circle cx="26" cy="10" r="3" fill="{GOOD}"/></svg>{escape(w("user.legend.follow_up"))} '
        f'<b style="color:{LATE}">{escape(w("user.legend.late"))}</b>, <b style="color:{BAD}">'
        f'{escape(w("user.legend.none"))}</b></li>',
        f'<li><span class="sw bar-end"></span>{escape(w("user.legend.unplanned"))}</li>',
        f'<li><span class="sw dot"></span>{escape(w("user.legend.revised"))}</li>',
        f'<li><span class="sw dormant"></span>{escape(w("user.legend.dormant"))}</li>',
        '<li><svg width="14" height="14" aria-hidden="true"><path d="M3,1 l8,6 l-8,6 z" fill="#8a94a0"/></svg>'
        f'{escape(w("user.legend.running"))}</li>',
    ]
    return f'<ul class="legend">{"".join(items)}</ul>'


def _finding_tables(story, w: Words) -> str:
    shown, empty, missing = [], [], []
    for name, rows in story.findings.items():
        finding = FINDINGS[name]
        if isinstance(rows, str):
            missing.append(f"{finding.text('title', w.lang)} ({rows})")
            continue
        if rows.empty:
            empty.append(finding.text("title", w.lang))
            continue
        names = finding.schema.column_names
        keep = [i for i, c in enumerate(names) if c != "user_id"]
        head = "".join(f"<th>{escape(w.column(names[i]))}</th>" for i in keep)
        body = "".join("<tr>" + "".join(f"<td>{escape(row[i])}</td>" for i in keep) + "</tr>"
                       for row in text_rows(rows, finding.schema))
        shown.append(f'<section class="finding"><h3>{escape(finding.text("title", w.lang))} <span class="count">'
                     f'{len(rows)}</span></h3><p class="explain">{escape(finding.text("explanation", w.lang))}</p>'
                     f'<div class="scroll"><table><thead><tr>{head}'
                     f'</tr></thead><tbody>{body}</tbody></table></div></section>')
    notes = []
    if empty:
        notes.append(f'<p class="note">{escape(w("user.no_rows", names=", ".join(empty)))}</p>')
    if missing:
        notes.append(f'<p class="note">{escape(w("user.not_run", names="; ".join(missing)))}</p>')
    return "\n".join(shown) + "\n".join(notes)


def user_html(story, lang: str = "en") -> str:
    """The user's page: cards, the timeline, its legend and the findings' rows.

    Parameters
    ----------
    story : handover.reports.user_story.UserStory
        As for :func:`timeline_svg`; ``source`` is shown too.

    Returns
    -------
    str
        One self-contained HTML page.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> from handover.reports.user_story import user_story
    >>> page = user_html(user_story(tiny_dataset(), "u1"))
    >>> "<script" in page, "http" in page, "Handovers without a coordinator" in page
    (False, False, True)
    """
    w = words(lang)
    first = story.first_day()
    since, until = getattr(story, "since", None), getattr(story, "until", None)
    meta = " · ".join(p for p in (
        w("report.meta.dataset", source=story.source) if story.source else "",
        w("user.span", first=_day(first), last=_day(story.as_of)) if first is not None else "",
        w("report.meta.as_of", day=_day(story.as_of)),
        w("report.meta.period", since=_day(since) or "…", until=_day(until) or "…")
        if since is not None or until is not None else "",
        f"handover {__version__}") if p)
    # The id goes in its own element: the words around it are escaped on their own.
    before, after = w("user.heading", id="\x00").split("\x00", 1)
    heading = f'{escape(before)}<span class="id">{escape(story.user_id)}</span>{escape(after)}'
    return _PAGE.format(
        lang=lang, title=escape(w("user.title", user=story.user_id)), heading=heading, meta=escape(meta),
        css=asset("user.css"), cards=_cards(story, w), svg=timeline_svg(story, lang), legend=_legend(story, w),
        findings_title=escape(w("user.findings")), findings=_finding_tables(story, w))


_PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><style>
{css}</style></head>
<body><main>
<h1>{heading}</h1>
<p class="meta">{meta}</p>
<div class="cards">
{cards}
</div>
<figure>
{svg}
{legend}
</figure>
<h2>{findings_title}</h2>
{findings}
</main></body></html>
"""
