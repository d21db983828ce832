"""The main job: a small offline site, a workbook and CSVs saying where responsibility breaks.

:func:`build_report` gathers on one engine everything the report shows (:class:`Report`):
every finding's rows, the indicators of docs/findings.md §6 (overall, by agency, per
period), today's worklist (:mod:`handover.findings.worklist`), two periods side by side
(``--compare``) and the users whose story pages are drawn. :func:`write_report` writes it
into a folder (:data:`REPORT_FILES`):

- ``index.html``: the rates with their numerators, denominators and thresholds, per period
  and compared, and links to everything else;
- ``findings/<finding>.html``: one page per finding: its rate by agency (names, ids on
  hover) and per period, and every row in a table that sorts and filters;
- ``worklist.html``: today's lists for team leaders;
- ``users/<user>.html``: the story of each user who appears in a finding (at most
  ``max_user_pages``, the users of the worklist first), linked from every table;
- ``<finding>.csv``, ``worklist_<list>.csv``, ``indicators.csv`` (and ``comparison.csv``)
  for spreadsheets, and ``report.xlsx`` with all of them.

Every page opens offline (inline CSS, SVG and script; nothing fetched), in English or
Norwegian (``lang``). Shared aggregates (rates, counts by agency and period, the
indicator sheet) hide counts from 1 to 4 (:mod:`handover.privacy.suppression`); rows of
pseudonymous ids are for the service itself and are never hidden. Everything is computed
before the first file is written, and the folder is written whole, beside its place, then
swapped in (:func:`handover.io.atomic.write_folder_atomic`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from handover import __version__
from handover.engines import Engine, MemoryEngine
from handover.errors import InputError
from handover.findings import FINDINGS, find
from handover.findings.indicators import PERIODS, indicators
from handover.findings.schema import ResultSchema, to_text_frame
from handover.io.atomic import write_folder_atomic
from handover.locale import words
from handover.model import Dataset
from handover.privacy.spreadsheet import neutralise_frame
from handover.reports.in_parallel import default_workers, run_parts
from handover.reports.periods import Period, comparison
from handover.findings.worklist import worklist

__all__ = ["Report", "build_report", "write_report", "spreadsheet_csv", "user_page_name", "REPORT_FILES",
           "MAX_USER_PAGES"]

#: The files every report has (besides one CSV and page per finding, and the user pages).
REPORT_FILES = ("index.html", "worklist.html", "indicators.csv", "report.xlsx")
#: How many user pages a report draws unless told otherwise.
MAX_USER_PAGES = 500
# Findings whose rows are not problems but a measure of every user: they do not earn a user a page.
_NOT_A_PROBLEM = ("continuity_of_care",)


@dataclass
class Report:
    """Everything a report shows, gathered on one engine (see the module docstring).

    Attributes
    ----------
    as_of : Timestamp
        The snapshot day.
    since, until : Timestamp or None
        The report's period.
    by : str or None
        ``month`` or ``quarter``: the indicators per period too.
    results : dict
        Finding → its rows, or why it was not run.
    indicators : pandas.DataFrame
        :func:`handover.findings.indicators.indicators` of the period.
    worklist : dict
        :func:`handover.findings.worklist.worklist` on ``as_of``.
    agencies : dict of str to str
        Agency id → name.
    compared : tuple of (Period, Period) or None
    comparison : pandas.DataFrame or None
        :func:`handover.reports.periods.comparison` of the two periods.
    params : dict
        Finding → the options it ran with (for the thresholds in the texts).
    user_pages : dict of str to str
        User id → file name under ``users/``, for the users who get a page.
    users_in_findings : int
        How many users appear in a finding (the pages are capped at ``max_user_pages``).
    """

    as_of: pd.Timestamp
    since: pd.Timestamp | None
    until: pd.Timestamp | None
    by: str | None
    results: dict
    indicators: pd.DataFrame
    worklist: dict
    agencies: dict
    params: dict
    compared: tuple[Period, Period] | None = None
    comparison: pd.DataFrame | None = None
    user_pages: dict = field(default_factory=dict)
    users_in_findings: int = 0
    source: str = ""
    lang: str = "en"
    suppress: bool = True
    focus: tuple[str, ...] = ()
    user_pages_note: str = ""
    version: str = __version__


def user_page_name(user_id: str) -> str:
    """The file name of a user's page: the id itself when it is a plain lower-case name, else
    a name made safe for every file system (``users/<name>.html``).

    Two ids differing only in case, or in characters a file name cannot hold, get different
    names (a short hash of the id is added).

    Examples
    --------
    >>> user_page_name("u17"), user_page_name("U17"), user_page_name("a/b")
    ('u17.html', 'u17-6df2ca20.html', 'a-b-3ec69c85.html')
    """
    if re.fullmatch(r"[a-z0-9_][a-z0-9_-]{0,63}", user_id):
        return f"{user_id}.html"
    stem = re.sub(r"[^a-z0-9_-]+", "-", user_id.lower()).strip("-")[:48] or "user"
    return f"{stem}-{hashlib.sha1(user_id.encode('utf-8')).hexdigest()[:8]}.html"


def _users_for_pages(results: dict, lists: dict, limit: int) -> tuple[list[str], int]:
    """The users who get a page: those in today's worklist first, then by how many finding rows
    they have (most first), then by id; and how many users appear in a finding at all."""
    counts: dict[str, int] = {}
    for name, rows in results.items():
        if isinstance(rows, pd.DataFrame) and name not in _NOT_A_PROBLEM:
            for user, n in rows["user_id"].value_counts().items():
                counts[user] = counts.get(user, 0) + int(n)
    urgent = set()
    for rows in lists.values():
        if isinstance(rows, pd.DataFrame):
            urgent |= set(rows["user_id"])
    everyone = set(counts) | urgent
    ordered = sorted(everyone, key=lambda user: (user not in urgent, -counts.get(user, 0), user))
    return ordered[:max(limit, 0)], len(everyone)


def build_report(
    engine: Engine,
    *,
    as_of=None,
    since=None,
    until=None,
    by: str | None = None,
    compare: tuple[Period, Period] | None = None,
    max_user_pages: int = MAX_USER_PAGES,
    with_user_pages: bool = True,
    lang: str = "en",
    suppress: bool = True,
    source: str = "",
    focus: tuple[str, ...] = (),
    progress: Callable[[str], None] | None = None,
    workers: int | None = None,
) -> Report:
    """Gather everything the report shows (:class:`Report`) on ``engine``.

    Parameters
    ----------
    engine : Engine
    as_of : date-like, optional
        The snapshot day; default the latest date in the data.
    since, until : date-like, optional
        The report's period: findings and indicators count what happened in it.
    by : {"month", "quarter"}, optional
        Also break the indicators down per period.
    compare : (Period, Period), optional
        Two periods whose indicators are set side by side.
    max_user_pages : int
        At most this many user pages.
    with_user_pages : bool
        Whether user pages can be drawn (the data are at hand).
    lang : {"en", "nb"}
    suppress : bool
        Hide small counts in shared aggregates.
    source : str
        The dataset's name, shown on the pages.
    focus : tuple of str
        The agencies the data were focused on (shown on the pages).
    progress : callable, optional
        Called with the name of each step.
    workers : int, optional
        On the memory engine, the processes the findings are made in (default: one per
        core; 1 makes them here). The report is the same either way.

    Examples
    --------
    >>> from handover.engines import MemoryEngine
    >>> from handover.examples import tiny_dataset
    >>> report = build_report(MemoryEngine(tiny_dataset()))
    >>> len(report.results["parallel_plans"]), sorted(report.user_pages)
    (1, ['u1', 'u2', 'u3'])
    """
    from handover.timeline import to_day

    if by is not None and by not in PERIODS:
        raise InputError(f"--by: {by} is not one of: {', '.join(PERIODS)}")
    words(lang)  # an unknown language is refused before any work
    day = to_day(as_of) if as_of is not None else engine.latest_date()
    if day is None:
        day = pd.Timestamp.today().normalize()
    since, until = to_day(since), to_day(until)
    step = progress or (lambda name: None)
    periods = {name: {k: v for k, v in (("since", since), ("until", until)) if any(o.name == k for o in f.options)}
               for name, f in FINDINGS.items()}
    params = {name: finding.resolve(periods[name], day) for name, finding in FINDINGS.items()}

    def found(name: str):
        def run():
            try:
                return find(engine, name, as_of=day, **periods[name])
            except InputError as missing_table:
                return str(missing_table)
        return run

    results: dict = {}
    if isinstance(engine, MemoryEngine) and (workers is None or workers > 1):
        # In memory the findings are independent computations: made on every core, then
        # kept by the engine as if found here, for the indicators and the worklist.
        step("findings")
        engine.snapshot(day)  # made once, before the workers are forked
        answers = run_parts([(name, found(name)) for name in FINDINGS], workers=workers)
        for name, answer in zip(FINDINGS, answers):
            results[name] = answer
            if isinstance(answer, pd.DataFrame):
                engine.remembered("finding", name, params[name], lambda a=answer: a)
    else:
        for name in FINDINGS:
            step(name)
            results[name] = found(name)()
    step("indicators")
    table, _ = indicators(engine, as_of=day, since=since, until=until, by=by)
    compared = None
    if compare is not None:
        step("comparison")
        first, _ = indicators(engine, as_of=day, since=compare[0].since, until=compare[0].until)
        second, _ = indicators(engine, as_of=day, since=compare[1].since, until=compare[1].until)
        compared = comparison(first, second)
    step("worklist")
    lists = worklist(engine, as_of=day)
    names = engine.agency_names()
    agencies = dict(zip(names["agency_id"], names["name"])) if names is not None else {}
    chosen, in_findings = _users_for_pages(results, lists, max_user_pages if with_user_pages else 0)
    return Report(as_of=day, since=since, until=until, by=by, results=results, indicators=table, worklist=lists,
                  agencies=agencies, params=params, compared=compare, comparison=compared,
                  user_pages={user: user_page_name(user) for user in chosen}, users_in_findings=in_findings,
                  source=source, lang=lang, suppress=suppress, focus=tuple(focus))


def write_report(
    engine: Engine,
    out_dir: Path,
    *,
    dataset: Dataset | None = None,
    progress: Callable[[str], None] | None = None,
    workers: int | None = None,
    **options,
) -> Path:
    """Build the report (:func:`build_report`, ``**options``) and write it into ``out_dir``.

    Parameters
    ----------
    engine : Engine
    out_dir : Path
        The folder: new, empty, or a report written before (replaced whole, never mixed
        with an earlier run's files; a failure leaves it as it was).
    dataset : Dataset, optional
        The data, for the user pages; default what the engine gives for the users drawn
        (:meth:`~handover.engines.base.Engine.users_dataset`: on Neo4j without a dataset
        folder, their rows read from the server). An engine that gives none draws no user
        pages, and the report says so.
    progress : callable, optional
        Called with the name of each step.
    workers : int, optional
        Processes that make the findings (on the memory engine), then the pages, the
        workbook and the user pages once the report is gathered (default: one per core; 1
        makes them here, one after another). The files are the same either way.

    Returns
    -------
    Path
        ``index.html``.

    Examples
    --------
    >>> import tempfile
    >>> from handover.engines import MemoryEngine
    >>> from handover.examples import tiny_dataset
    >>> page = write_report(MemoryEngine(tiny_dataset()), Path(tempfile.mkdtemp()))
    >>> sorted(p.name for p in page.parent.iterdir())[1:5]
    ['caseworker_turnover.csv', 'coordinator_gaps.csv', 'discharge_follow_up.csv', 'dormant_plans.csv']
    """
    from handover.findings.worklist import WORKLISTS
    from handover.render.report_site import site_pages
    from handover.render.report_workbook import report_workbook
    from handover.render.user_page import user_html
    from handover.reports.user_story import user_stories

    report = build_report(engine, with_user_pages=True, progress=progress, workers=workers, **options)
    # The users' own rows: the dataset, or (Neo4j without DATA_DIR) those users' rows read from the server.
    dataset = dataset if dataset is not None else engine.users_dataset(list(report.user_pages))
    if dataset is None:
        report.user_pages_note = words(report.lang)("report.users.no_data")
        report.user_pages = {}
    period = (report.since, report.until) if report.since is not None or report.until is not None else None

    def pages() -> dict:
        files: dict[str, str | bytes] = dict(site_pages(report))
        for name, rows in report.results.items():
            if isinstance(rows, pd.DataFrame):
                files[f"{name}.csv"] = spreadsheet_csv(rows, FINDINGS[name].schema)
        for name, rows in report.worklist.items():
            if isinstance(rows, pd.DataFrame):
                files[f"worklist_{name}.csv"] = spreadsheet_csv(rows, WORKLISTS[name])
        files["indicators.csv"] = indicator_csv(report)
        if report.comparison is not None:
            files["comparison.csv"] = comparison_csv(report)
        return files

    def user_pages(users: list[str]):
        def draw() -> dict:
            return {f"users/{report.user_pages[story.user_id]}": user_html(story, report.lang) for story in user_stories(
                dataset, users, as_of=report.as_of, results=report.results, source=report.source, period=period)}
        return draw

    # The parts are independent once the report is gathered: made on every core (in_parallel).
    workers = default_workers() if workers is None else workers
    users = list(report.user_pages)
    shares = max(1, min(workers, len(users) // 50))  # a few pages are not worth a process
    parts = [("pages", pages), ("workbook", lambda: {"report.xlsx": report_workbook(report)})]
    parts += [("user pages", user_pages(users[i::shares])) for i in range(shares) if users[i::shares]]
    (progress or (lambda name: None))("pages, workbook and user pages")
    files: dict[str, str | bytes] = {}
    for answer in run_parts(parts, workers=workers):
        files.update(answer)
    # The whole folder at once: an interrupted or failed report leaves the previous one as it was.
    return write_folder_atomic(Path(out_dir), files, kind="report") / "index.html"


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


def indicator_csv(report: Report) -> str:
    """``indicators.csv``: the indicator table as shared, small counts hidden (:func:`shared_indicators`)."""
    from handover.render.rates import shared_indicators

    table = shared_indicators(report.indicators, report.agencies, suppress=report.suppress)
    return neutralise_frame(table, columns=["key", "agency_name"]).to_csv(index=False, lineterminator="\n")


def comparison_csv(report: Report) -> str:
    """``comparison.csv``: the two periods side by side, small counts hidden."""
    from handover.render.rates import shared_comparison

    table = shared_comparison(report.comparison, report.agencies, report.compared, suppress=report.suppress)
    return neutralise_frame(table, columns=["key", "agency_name"]).to_csv(index=False, lineterminator="\n")
