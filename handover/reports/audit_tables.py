"""The transition audit: follow-up after discharge, summarised for quality advisers.

:func:`audit_tables` turns the rows of ``discharge_follow_up`` (docs/findings.md §5.4, one
row per index discharge) into four tables: the per-discharge worklist, and summaries per
discharging agency, per month of discharge and overall. The summaries are meant to be
shared, so by default they apply small-cell suppression.

Small-cell suppression (the rule)
---------------------------------
With ``suppress=True`` (the default) in every summary row:

1. A **count** (``discharges``, ``with_coordinator``, ``followed_up_7d``,
   ``followed_up_30d``, ``readmitted_30d``) from 1 to 4 is shown as ``<5``.
   Zero is shown as ``0``; 5 and above as the number.
2. A **share** is shown as ``<5`` when its numerator (the count it is the share of)
   or its denominator (``discharges``) is from 1 to 4 — that is, whenever either
   count it is computed from is hidden. A share with denominator 0 is empty.
3. The **median** days to follow-up is shown as ``<5`` when the number of
   discharges it is computed from (those with a follow-up) is from 1 to 4, and is
   empty when that number is 0.

Otherwise the value is shown as is: counts as whole numbers, shares as percentages
rounded half up to one decimal, the median with one decimal. ``suppress=False``
shows every value (for internal use). The worklist is never suppressed: it is the
adviser's own list of discharges to check, with pseudonymous ids only.

The rule protects each cell on its own; it does not stop **complementary
disclosure**, in which a hidden or small number is worked out from shown ones:

- within a row, ``discharges - followed_up_7d`` (the discharges *not* followed up)
  may be 1 to 4: 10 discharges with 8 followed up shows that 2 were not;
- across rows, the overall row minus the shown agency (or month) rows gives a single
  hidden row back: agencies with 13 and ``<5`` discharges and 17 overall reveal 4;
- across tables, the per-agency and per-month tables can be combined the same way.

Before publishing, check these differences, or share one table only, or merge small
agencies and months into larger groups.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from handover.privacy.suppression import SMALL, is_small

__all__ = [
    "AuditTables", "SMALL", "SUMMARY_COLUMNS", "COUNT_COLUMNS", "SHARE_OF", "audit_tables", "share_percent",
]

#: Each share column and the count it is the share of (denominator: ``discharges``).
SHARE_OF = {
    "share_with_coordinator": "with_coordinator",
    "share_7d": "followed_up_7d",
    "share_30d": "followed_up_30d",
    "share_readmitted": "readmitted_30d",
}
#: The counts of a summary row.
COUNT_COLUMNS = ("discharges", "with_coordinator", "followed_up_7d", "followed_up_30d", "readmitted_30d")
#: The measure columns of every summary, in order (after the group's key columns).
SUMMARY_COLUMNS = (
    "discharges", "with_coordinator", "share_with_coordinator", "followed_up_7d", "share_7d",
    "followed_up_30d", "share_30d", "median_days_to_follow_up", "readmitted_30d", "share_readmitted",
)


@dataclass(frozen=True)
class AuditTables:
    """The four tables of a transition audit.

    Attributes
    ----------
    worklist : pandas.DataFrame
        One row per index discharge: the ``discharge_follow_up`` columns with
        ``agency_name`` after ``agency_id``. Never suppressed.
    by_agency : pandas.DataFrame
        ``agency_id, agency_name`` and the :data:`SUMMARY_COLUMNS`, one row per
        discharging agency, sorted by ``agency_id``.
    by_month : pandas.DataFrame
        ``month`` (``YYYY-MM``) and the :data:`SUMMARY_COLUMNS`, one row per month
        from the first to the last month with a discharge (months without one show 0).
    overall : pandas.DataFrame
        The :data:`SUMMARY_COLUMNS` over all discharges, one row.
    suppressed : bool
        Whether small-cell suppression was applied to the summaries.
    """

    worklist: pd.DataFrame
    by_agency: pd.DataFrame
    by_month: pd.DataFrame
    overall: pd.DataFrame
    suppressed: bool


def share_percent(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """``100 * numerator / denominator`` rounded half up to one decimal; empty when the denominator is 0.

    Integer arithmetic, so a share ending in 5 at the second decimal rounds up on
    every platform (1 of 8 is 12.5; 1 of 80 is 1.3, not the 1.2 of binary rounding).

    Examples
    --------
    >>> share_percent(pd.Series([1, 2, 0, 1]), pd.Series([80, 3, 5, 0])).tolist()
    [1.3, 66.7, 0.0, <NA>]
    """
    num = numerator.astype("Int64")
    den = denominator.astype("Int64")
    tenths = (2000 * num + den) // (2 * den).where(den > 0)
    return (tenths.astype("Float64") / 10).round(1)


def _counts(worklist: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The raw numbers of each group: counts, follow-ups and the median days."""
    frame = worklist.assign(
        _with_coordinator=worklist["coordinator_staff_id"].notna(),
        _days=pd.to_numeric(worklist["days_to_follow_up"]).astype("Float64"),
    )
    grouped = frame.groupby(keys, sort=True, dropna=False)
    counts = grouped.agg(
        discharges=("episode_id", "size"),
        with_coordinator=("_with_coordinator", "sum"),
        followed_up_7d=("follow_up_7d", "sum"),
        followed_up_30d=("follow_up_30d", "sum"),
        readmitted_30d=("readmitted_30d", "sum"),
        with_follow_up=("_days", "count"),
        median_days_to_follow_up=("_days", "median"),
    )
    return counts


def _finish(counts: pd.DataFrame, *, suppress: bool) -> pd.DataFrame:
    """Shares from the counts, then (optionally) the suppression rule of the module docstring."""
    out = pd.DataFrame(index=counts.index)
    for column in COUNT_COLUMNS + ("with_follow_up",):
        out[column] = counts[column].fillna(0).astype("Int64")
    for share, count in SHARE_OF.items():
        out[share] = share_percent(out[count], out["discharges"])
    median = pd.to_numeric(counts["median_days_to_follow_up"]).astype("Float64")
    out["median_days_to_follow_up"] = median.where(out["with_follow_up"] > 0).round(1)
    if suppress:
        small = is_small
        shown = out.astype(object).where(out.notna(), None)
        for column in COUNT_COLUMNS:
            shown[column] = shown[column].where(~small(out[column]), SMALL)
        for share, count in SHARE_OF.items():
            hide = small(out[count]) | small(out["discharges"])
            shown[share] = shown[share].where(~hide, SMALL)
        shown["median_days_to_follow_up"] = shown["median_days_to_follow_up"].where(
            ~small(out["with_follow_up"]), SMALL)
        out = shown
    return out[list(SUMMARY_COLUMNS)]


def audit_tables(
    discharges: pd.DataFrame,
    agencies: pd.DataFrame | None = None,
    *,
    suppress: bool = True,
) -> AuditTables:
    """The worklist and the summaries of a transition audit.

    Parameters
    ----------
    discharges : pandas.DataFrame
        The rows of the ``discharge_follow_up`` finding (docs/findings.md §5.4), e.g. from
        ``find(engine, "discharge_follow_up")``.
    agencies : pandas.DataFrame, optional
        The agencies table (``agency_id``, ``name``), for the agencies' names; without
        it ``agency_name`` is empty.
    suppress : bool, default True
        Apply small-cell suppression to the summaries (see the module docstring):
        counts from 1 to 4, and shares and medians resting on them, become ``"<5"``.

    Returns
    -------
    AuditTables
        With ``suppress`` the summary values are objects (a number, ``"<5"`` or
        ``None``); without it counts are ``Int64`` and shares and medians ``Float64``.

    Examples
    --------
    >>> from handover.engines import MemoryEngine
    >>> from handover.examples import tiny_dataset
    >>> from handover.findings import find
    >>> ds = tiny_dataset()
    >>> tables = audit_tables(find(MemoryEngine(ds), "discharge_follow_up"), ds.get("agencies"))
    >>> tables.worklist[["episode_id", "agency_id", "agency_name"]].values.tolist()
    [['e1', 'a2', 'TSB Helseforetak']]
    >>> tables.overall[["discharges", "share_7d", "median_days_to_follow_up"]].values.tolist()
    [['<5', '<5', '<5']]
    >>> audit_tables(tables.worklist, suppress=False).by_month[["month", "discharges", "share_7d"]].values.tolist()
    [['2024-03', 1, 100.0]]

    See Also
    --------
    handover.reports.audit.write_audit : writes these tables as CSV, Excel and one HTML page.
    """
    worklist = discharges.reset_index(drop=True).copy()
    if "agency_name" in worklist:
        worklist = worklist.drop(columns="agency_name")
    if agencies is not None and len(agencies):
        names = agencies.drop_duplicates("agency_id").set_index("agency_id")["name"]
        agency_name = worklist["agency_id"].map(names)
    else:
        agency_name = pd.Series(None, index=worklist.index, dtype=object)
    worklist.insert(worklist.columns.get_loc("agency_id") + 1, "agency_name",
                    agency_name.astype(object).where(agency_name.notna(), None))

    dates = pd.to_datetime(worklist["discharge_date"])
    by_agency = _counts(worklist, ["agency_id"])
    by_agency = _finish(by_agency, suppress=suppress)
    by_agency.insert(0, "agency_name", by_agency.index.map(
        worklist.drop_duplicates("agency_id").set_index("agency_id")["agency_name"]))
    by_agency = by_agency.rename_axis("agency_id").reset_index()

    months = dates.dt.strftime("%Y-%m")
    by_month = _counts(worklist.assign(month=months), ["month"])
    if len(by_month):
        span = pd.period_range(dates.min(), dates.max(), freq="M").strftime("%Y-%m")
        by_month = by_month.reindex(span)
    by_month = _finish(by_month, suppress=suppress).rename_axis("month").reset_index()

    overall = _counts(worklist.assign(_all=0), ["_all"]).reindex([0])
    overall = _finish(overall, suppress=suppress).reset_index(drop=True)
    return AuditTables(worklist, by_agency, by_month, overall, suppress)
