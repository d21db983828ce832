"""The words of the transition audit: what each measure means and what suppression hides.

The audit page (:mod:`handover.render.audit_page`) and the About sheet of the audit's
workbook (:func:`handover.reports.audit.write_audit`) say the same, from here, in the
language asked for; the texts are the ``audit.measure``, ``audit.who`` and
``audit.suppression`` keys of the catalogue (``handover/locale/<lang>-audit.toml``).
"""

from __future__ import annotations

from handover.locale import words
from handover.privacy.suppression import SMALL

__all__ = ["measure_explanations", "suppression_text"]

# The measures in the order of the page's columns; each has a name and a ``_text`` in the catalogue.
_MEASURES = ("discharges", "coordinator", "follow_up", "median", "readmitted", "shares")


def measure_explanations(follow_up_by: str, max_days: int, lang: str = "en") -> list[tuple[str, str]]:
    """Each measure of the audit and what it means, for the options of the run.

    Parameters
    ----------
    follow_up_by : str
        Who counts as following up: ``municipal``, ``other-agency`` or ``any``.
    max_days : int
        The last day after discharge on which a follow-up counts.
    lang : {"en", "nb"}
        The language of the names and explanations.

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
    >>> dict(measure_explanations("municipal", 30, "nb"))["Koordinator ved utskrivning"][:40]
    'Noen hadde koordinatorrollen for brukere'
    """
    w = words(lang)
    window = "" if max_days >= 30 else w("audit.measure.follow_up_window", max_days=max_days)
    fields = {"who": w.get(f"audit.who.{follow_up_by}", follow_up_by), "window": window, "max_days": max_days}
    return [(w(f"audit.measure.{measure}"), w(f"audit.measure.{measure}_text", **fields))
            for measure in _MEASURES]


def suppression_text(suppress: bool, lang: str = "en") -> str:
    """What small-cell suppression does to the numbers, or a warning that it is off.

    Examples
    --------
    >>> suppression_text(True)[:60]
    'Small-cell suppression is on. Counts from 1 to 4 are shown a'
    >>> "internal use only" in suppression_text(False)
    True
    >>> "færre enn 5" in suppression_text(True, "nb")
    True
    """
    w = words(lang)
    return w("audit.suppression.on", small=SMALL) if suppress else w("audit.suppression.off")
