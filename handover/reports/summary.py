"""The main job: every finding as CSV plus one HTML summary page that opens offline.

:func:`write_report` runs the findings and writes the files; the page is drawn by
:func:`handover.render.summary_page.report_html` (a single file with inline CSS and
inline SVG charts: no scripts, no fonts or styles from the network, since health
networks are closed).

The CSVs beside it are meant to be opened in a spreadsheet, so text cells that a
spreadsheet would run as a formula get a leading ``'`` (:mod:`handover.privacy.spreadsheet`);
``handover find --format csv`` is the exact, script-facing form of the same rows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pandas as pd

from handover.engines import Engine
from handover.errors import InputError
from handover.findings import FINDINGS, find
from handover.findings.schema import ResultSchema, to_text_frame
from handover.io.atomic import write_text_atomic
from handover.privacy.spreadsheet import neutralise_frame
from handover.render.summary_page import report_html

__all__ = ["write_report", "spreadsheet_csv"]


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
    out_dir = Path(out_dir)
    as_of = as_of if as_of is not None else engine.latest_date()
    results: dict[str, pd.DataFrame | str] = {}
    for name in FINDINGS:  # every finding, in the order of docs/findings.md
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

