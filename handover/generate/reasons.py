"""Why a responsibility began: the text of the ``reason`` column, as codes.

The simulation carries small integer codes; the writer turns them into these texts.
"""

from __future__ import annotations

__all__ = ["REASONS", "REASON"]

#: Every reason a generated responsibility can give for its start.
REASONS: tuple[str, ...] = (
    "new user",
    "caseload redistributed",
    "reorganisation",
    "caseworker left NAV",
    "project post ended",
    "sick leave cover",
    "back from sick leave",
    "staff member left",
    "interim specialist coordinator",
    "municipal coordinator appointed",
    "new caseworker took over as coordinator",
    "GP listing",
    "changed GP",
    "start of treatment",
    "start of follow-up",
)

#: Code of each reason, for the simulation modules.
REASON: dict[str, int] = {text: code for code, text in enumerate(REASONS)}
