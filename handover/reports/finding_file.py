"""One finding's rows in the format asked for: the one library call of ``handover find``.

:func:`finding_output` runs the finding and renders its rows as a terminal table, CSV
(either dialect), JSON (:mod:`handover.render.results`) or an Excel workbook
(:mod:`handover.render.workbook`, with an ``About`` sheet saying what the rows are,
which options made them and on which day).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from handover import __version__
from handover.errors import InputError
from handover.findings import as_of_day, find, finding
from handover.render.results import FORMATS, render
from handover.render.workbook import finding_workbook

__all__ = ["OUTPUT_FORMATS", "FindingOutput", "finding_output", "about_lines"]

#: ``handover find --format``: the text formats and ``xlsx``.
OUTPUT_FORMATS = (*FORMATS, "xlsx")


@dataclass(frozen=True)
class FindingOutput:
    """What ``handover find`` writes: text (table, CSV, JSON) or bytes (a workbook), and the row count."""

    data: str | bytes
    rows: int


def _shown(option, value) -> str:
    if value is None:
        return "every value" if option.repeatable else "not set"
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, (tuple, list)):
        return ", ".join(str(v) for v in value)
    return str(value)


def about_lines(name: str, params: dict, as_of: pd.Timestamp, *, rows: int,
                source: str = "") -> list[tuple[str, str]]:
    """The ``About`` sheet of a finding's workbook: what, how (the options used), when, from what.

    Examples
    --------
    >>> lines = dict(about_lines("dormant_plans", {"max_age_days": 365, "as_of": pd.Timestamp("2024-06-30")},
    ...                          pd.Timestamp("2024-06-30"), rows=2, source="region"))
    >>> lines["option --max-age-days"], lines["As of"], lines["Rows"]
    ('365', '2024-06-30', '2')
    """
    declared = finding(name)
    lines = [("Finding", f"{declared.title} ({declared.name})"), ("What it shows", declared.explanation),
             ("Definition", f"docs/findings.md §{declared.section}"),
             ("Columns", ", ".join(declared.schema.column_names))]
    # "option --x", not "--x": a cell starting with "-" would be defused into "'--x".
    lines += [(f"option {option.flag}", _shown(option, params.get(option.name))) for option in declared.options]
    lines += [("As of", f"{as_of:%Y-%m-%d}"), ("Dataset", source or "(not named)"),
              ("Rows", str(rows)), ("Written by", f"handover {__version__}")]
    return lines


def finding_output(engine, name: str, *, fmt: str = "table", dialect: str = "standard", as_of=None,
                   source: str = "", width: int | None = None,
                   **options) -> FindingOutput:
    """Run finding ``name`` on ``engine`` and render its rows as ``fmt``.

    Parameters
    ----------
    engine : handover.engines.Engine
    name : str
        The finding (dashes accepted).
    fmt : str
        One of :data:`OUTPUT_FORMATS`.
    dialect : str
        ``csv``: ``standard`` or ``excel-nb`` (:mod:`handover.render.results`).
    as_of : date-like, optional
        Default: the latest date in the data.
    source, engine_name : str
        Named in the workbook's ``About`` sheet.
    width : int, optional
        ``table``: the columns available (default: the terminal's).
    **options
        The finding's options, as for :func:`handover.findings.find`.

    Raises
    ------
    InputError
        For an unknown format or a bad option.

    Examples
    --------
    >>> from handover.engines import MemoryEngine
    >>> from handover.examples import tiny_dataset
    >>> out = finding_output(MemoryEngine(tiny_dataset()), "parallel-plans", fmt="csv", dialect="excel-nb")
    >>> out.rows, out.data.splitlines()[1]
    (1, 'u3;p10;a2;treatment_plan;p9;a1;individual_plan;2024-06-01;2024-07-02;31')
    """
    if fmt not in OUTPUT_FORMATS:
        raise InputError(f"--format: {fmt} is not one of: {', '.join(OUTPUT_FORMATS)}")
    declared = finding(name)
    day = as_of_day(engine, as_of)
    rows = find(engine, declared.name, as_of=day, **options)
    if fmt != "xlsx":
        return FindingOutput(render(rows, declared.schema, fmt, dialect=dialect, width=width), len(rows))
    params = declared.resolve(options, day)
    about = about_lines(declared.name, params, day, rows=len(rows), source=source)
    data = finding_workbook(rows, name=declared.name, columns=declared.schema.columns, about=about, as_of=day)
    return FindingOutput(data, len(rows))
