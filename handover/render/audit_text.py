"""The words of the transition audit: what each measure means and what suppression hides.

The audit page (:mod:`handover.render.audit_page`) and the About sheet of the audit's
workbook (:func:`handover.reports.audit.write_audit`) say the same, from here.
"""

from __future__ import annotations

from handover.privacy.suppression import SMALL

__all__ = ["measure_explanations", "suppression_text"]

_WHO_FOLLOWS_UP = {
    "municipal": "an agency of level municipal (NAV office, municipal substance-use and mental-health "
                 "service, housing office, GP, allocation office, …)",
    "other-agency": "any agency other than the one that discharged the user",
    "any": "any agency, the discharging one included",
}


def measure_explanations(follow_up_by: str, max_days: int) -> list[tuple[str, str]]:
    """Each measure of the audit and what it means, for the options of the run.

    Parameters
    ----------
    follow_up_by : str
        Who counts as following up: ``municipal``, ``other-agency`` or ``any``.
    max_days : int
        The last day after discharge on which a follow-up counts.

    Returns
    -------
    list of (str, str)
        ``(measure, explanation)`` in the order of the page's columns.

    Examples
    --------
    >>> [name for name, _ in measure_explanations("municipal", 30)][:3]
    ['Discharges', 'Coordinator at discharge', 'Follow-up within 7 and 30 days']
    >>> "up to day 14" in dict(measure_explanations("any", 14))["Follow-up within 7 and 30 days"]
    True
    """
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


def suppression_text(suppress: bool) -> str:
    """What small-cell suppression does to the numbers, or a warning that it is off.

    Examples
    --------
    >>> suppression_text(True)[:60]
    'Small-cell suppression is on. Counts from 1 to 4 are shown a'
    >>> "internal use only" in suppression_text(False)
    True
    """
    if suppress:
        return (f"Small-cell suppression is on. Counts from 1 to 4 are shown as {SMALL}, and so are shares "
                f"and medians computed from such a count; zero is shown as 0. Numbers that are shown "
                "can still be subtracted from each other (e.g. the overall row minus the other agencies), "
                "so check the tables before publishing them.")
    return ("Small-cell suppression is OFF (--no-suppress): every number is shown, including counts of "
            "1 to 4 that may identify people. For internal use only; do not share this page.")
