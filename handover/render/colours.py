"""The colours every page and chart shares, so that one agency level looks the same everywhere.

A municipal agency is the same blue on the network page, the user's timeline and the
audit's charts; an unknown value and a hidden (suppressed) small number are grey; the
outcomes of the user's timeline (a handover with a coordinator, follow-up in time) are
green, amber and red. Each page keeps its own colours of text and grid lines.

Examples
--------
>>> LEVEL_COLOURS["municipal"] == PALETTE[0]
True
"""

from __future__ import annotations

__all__ = [
    "PALETTE", "LEVEL_COLOURS", "CATEGORY_COLOURS", "UNKNOWN", "FADED",
    "HIDDEN_FILL", "HIDDEN_STROKE", "GOOD", "LATE", "BAD",
]

#: Series colours, chosen to stay apart for colour-blind readers (blue, orange, teal, purple).
PALETTE = ("#0b4f8a", "#c2570c", "#0f766e", "#6d28d9")
#: Agency colours by ``level``, from :data:`PALETTE`.
LEVEL_COLOURS = {"municipal": PALETTE[0], "specialist": PALETTE[1], "state": PALETTE[2], "private": PALETTE[3]}
#: Colours of other categories (staff professions), in order of frequency ("Tableau 10").
CATEGORY_COLOURS = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2",
                    "#b07aa1", "#edc948", "#9c755f", "#ff9da7")
#: What has no colour of its own: an unknown level, the professions beyond the last category colour.
UNKNOWN = "#8a94a0"
#: A node with nothing in the month shown (network timeline).
FADED = "rgba(190,197,205,0.55)"
#: Fill of a hidden (suppressed) mark; its outline is dashed grey.
HIDDEN_FILL = "#f1f3f5"
#: Outline of a hidden mark: the grey of :data:`UNKNOWN`, as neither shows a known value.
HIDDEN_STROKE = UNKNOWN
#: In time: a handover with a coordinator, follow-up within 7 days.
GOOD = "#2f7d32"
#: Follow-up on day 8 to 30.
LATE = "#b7791f"
#: Broken: a handover without a coordinator, no follow-up, a coordinator gap.
BAD = "#b3261e"
