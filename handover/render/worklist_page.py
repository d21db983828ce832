"""Today's worklist page of the report: who needs someone to act, with agency and responsible staff.

:func:`worklist_page` draws ``worklist.html`` from the lists of
:func:`handover.findings.worklist.worklist`: each list explained, every row in a table that
sorts and filters, user ids linked to their pages. Worklists name pseudonymous users for
the service's own follow-up, so nothing in them is hidden; the page says so.
"""

from __future__ import annotations

from handover.locale import words
from handover.render.html import escape
from handover.render.report_parts import page_shell
from handover.render.tables import data_table
from handover.findings.worklist import TURNOVER_CHANGES, TURNOVER_DAYS, WORKLISTS

__all__ = ["worklist_page"]


def worklist_page(report) -> str:
    """``worklist.html`` for a report."""
    w = words(report.lang)
    parts = [f'<p>{escape(w("worklist.intro"))}</p>', f'<p class="note">{escape(w("worklist.not_suppressed"))}</p>']
    fields = {"changes": TURNOVER_CHANGES, "days": TURNOVER_DAYS}
    for name, rows in report.worklist.items():
        head = (f'<section id="{name}"><h2>{escape(w(f"worklist.{name}.title", **fields))}</h2>'
                f'<p>{escape(w(f"worklist.{name}.explanation", **fields))}</p>')
        if isinstance(rows, str):
            parts.append(head + f'<p class="note">{escape(w("report.finding.not_run", why=rows))}</p></section>')
            continue
        schema = WORKLISTS[name]
        columns = [(c, k) for c, k in schema.columns if c != "agency_name"]  # the name is shown for the id
        parts.append(head + data_table(rows, columns, ident=f"worklist-{name}", w=w, agencies=report.agencies,
                                       users=report.user_pages, base="users/", csv=f"worklist_{name}.csv")
                     + "</section>")
    return page_shell(report, w, title=w("worklist.title", day=f"{report.as_of:%Y-%m-%d}"), body="\n".join(parts),
                      current="worklist.html", tables=True)
