"""Small-cell suppression in the audit summaries, on small hand-made discharge lists.

Each frame below is a list of discharges written out by hand, so the expected
counts, shares and medians can be checked by eye.
"""

from __future__ import annotations

import pandas as pd
import pytest

from handover.reports.audit_tables import SMALL, audit_tables, share_percent
from handover.findings import SCHEMAS
from handover.findings.schema import finalize

AGENCIES = pd.DataFrame({"agency_id": ["A", "B"], "name": ["DPS Alfa", "TSB Beta"]})


def discharges(*groups: tuple[str, str, int, dict]) -> pd.DataFrame:
    """Rows of ``discharge_follow_up``: per group ``(agency, date, how many, overrides)``.

    By default a discharge has no coordinator, no follow-up and no readmission.
    ``overrides`` maps a column to a list of values, one per discharge of the group.
    """
    rows = []
    for agency, date, count, overrides in groups:
        for i in range(count):
            days = overrides.get("days", [None] * count)[i]
            rows.append({
                "user_id": f"u-{agency}-{date}-{i}", "episode_id": f"e-{agency}-{date}-{i}",
                "agency_id": agency, "discharge_date": date, "discharge_kind": "planned",
                "coordinator_staff_id": overrides.get("coordinator", [None] * count)[i],
                "first_follow_up_date": None if days is None else pd.Timestamp(date) + pd.Timedelta(days=days),
                "days_to_follow_up": days,
                "follow_up_7d": days is not None and days <= 7,
                "follow_up_30d": days is not None and days <= 30,
                "readmitted_30d": overrides.get("readmitted", [False] * count)[i],
            })
    return finalize(pd.DataFrame(rows), SCHEMAS["discharge_follow_up"])


def row(frame: pd.DataFrame, column: str, key) -> dict:
    return frame.set_index(column).loc[key].to_dict()


def test_counts_of_one_to_four_are_hidden_and_zero_and_five_are_shown():
    rows = discharges(
        ("A", "2024-01-10", 1, {}),
        ("B", "2024-02-10", 4, {}),
        ("B", "2024-03-10", 5, {"coordinator": ["s1"] * 5, "readmitted": [True] + [False] * 4}),
    )
    tables = audit_tables(rows, AGENCIES)
    by_month = tables.by_month.set_index("month")
    assert by_month["discharges"].tolist() == [SMALL, SMALL, 5]    # 1, 4, 5
    assert by_month["with_coordinator"].tolist() == [0, 0, 5]
    assert by_month["readmitted_30d"].tolist() == [0, 0, SMALL]    # 1 readmission in March
    assert row(tables.by_agency, "agency_id", "A")["discharges"] == SMALL   # 1
    b = row(tables.by_agency, "agency_id", "B")
    assert b["discharges"] == 9 and b["with_coordinator"] == 5 and b["followed_up_7d"] == 0
    assert tables.overall.iloc[0]["discharges"] == 10


def test_a_share_is_hidden_when_its_count_or_its_denominator_is_small():
    rows = discharges(
        ("A", "2024-01-10", 4, {"coordinator": ["s1"] * 4}),        # 4 of 4: denominator small
        ("B", "2024-02-10", 5, {"coordinator": ["s1"] + [None] * 4}),  # 1 of 5: numerator small
        ("B", "2024-03-10", 5, {}),                                  # 0 of 5: shown
        ("B", "2024-04-10", 6, {"coordinator": ["s1"] * 5 + [None]}),  # 5 of 6: shown
    )
    tables = audit_tables(rows, AGENCIES)
    shares = tables.by_month.set_index("month")["share_with_coordinator"]
    assert shares.tolist() == [SMALL, SMALL, 0.0, 83.3]
    counts = tables.by_month.set_index("month")["with_coordinator"]
    assert counts.tolist() == [SMALL, SMALL, 0, 5]


def test_a_month_without_discharges_shows_zero_and_no_share():
    rows = discharges(("A", "2024-01-10", 5, {}), ("A", "2024-03-10", 5, {}))
    by_month = audit_tables(rows).by_month
    assert by_month["month"].tolist() == ["2024-01", "2024-02", "2024-03"]
    february = by_month.iloc[1]
    assert february["discharges"] == 0 and february["followed_up_30d"] == 0
    assert february["share_30d"] is None and february["median_days_to_follow_up"] is None


def test_the_median_is_hidden_when_fewer_than_five_were_followed_up():
    rows = discharges(
        ("A", "2024-01-10", 5, {"days": [1, 2, 3, 10, 20]}),          # 5 followed up: median 3
        ("A", "2024-02-10", 6, {"days": [1, 2, 3, 4, None, None]}),   # 4 followed up: hidden
        ("A", "2024-03-10", 5, {}),                                   # none followed up: empty
        ("A", "2024-04-10", 6, {"days": [2, 3, 4, 5, 8, 9]}),         # even count: 4.5
    )
    medians = audit_tables(rows).by_month["median_days_to_follow_up"].tolist()
    assert medians == [3.0, SMALL, None, 4.5]


def test_follow_up_counts_and_shares_on_the_7_and_30_day_boundaries():
    rows = discharges(("A", "2024-01-10", 10, {"days": [1, 7, 7, 7, 7, 8, 30, None, None, None]}))
    overall = audit_tables(rows, suppress=False).overall.iloc[0]
    assert overall["followed_up_7d"] == 5 and overall["share_7d"] == 50.0
    assert overall["followed_up_30d"] == 7 and overall["share_30d"] == 70.0
    assert overall["median_days_to_follow_up"] == 7.0


def test_no_suppress_shows_every_number():
    rows = discharges(
        ("A", "2024-01-10", 1, {"coordinator": ["s1"], "days": [3], "readmitted": [True]}),
        ("B", "2024-01-20", 4, {"days": [2, 9, None, None]}),
    )
    tables = audit_tables(rows, AGENCIES, suppress=False)
    a = row(tables.by_agency, "agency_id", "A")
    assert (a["discharges"], a["with_coordinator"], a["share_with_coordinator"]) == (1, 1, 100.0)
    assert (a["median_days_to_follow_up"], a["readmitted_30d"], a["share_readmitted"]) == (3.0, 1, 100.0)
    b = row(tables.by_agency, "agency_id", "B")
    assert (b["discharges"], b["followed_up_7d"], b["share_7d"], b["share_30d"]) == (4, 1, 25.0, 50.0)
    assert SMALL not in tables.by_month.astype(str).values
    assert str(tables.by_agency["discharges"].dtype) == "Int64"
    assert str(tables.by_agency["share_7d"].dtype) == "Float64"


def test_shares_round_half_up_to_one_decimal():
    rows = discharges(("A", "2024-01-10", 16, {"coordinator": ["s1"] + [None] * 15}))
    assert audit_tables(rows, suppress=False).overall.iloc[0]["share_with_coordinator"] == 6.3  # 6.25
    assert share_percent(pd.Series([2]), pd.Series([3])).tolist() == [66.7]


def test_the_worklist_is_never_suppressed_and_names_the_agency():
    rows = discharges(("A", "2024-01-10", 1, {"days": [2]}), ("X", "2024-01-11", 1, {}))
    worklist = audit_tables(rows, AGENCIES).worklist
    assert len(worklist) == 2
    assert worklist.columns.tolist()[:4] == ["user_id", "episode_id", "agency_id", "agency_name"]
    assert worklist["agency_name"].tolist() == ["DPS Alfa", None]   # X is not in the agencies table
    assert worklist["days_to_follow_up"].tolist()[0] == 2


def test_an_empty_discharge_list_gives_an_overall_row_of_zeros():
    tables = audit_tables(SCHEMAS["discharge_follow_up"].empty(), AGENCIES)
    assert tables.by_agency.empty and tables.by_month.empty
    overall = tables.overall.iloc[0]
    assert overall["discharges"] == 0 and overall["share_7d"] is None


@pytest.mark.parametrize("suppress", [True, False])
def test_the_summaries_have_the_documented_columns(suppress):
    tables = audit_tables(discharges(("A", "2024-01-10", 5, {})), AGENCIES, suppress=suppress)
    measures = ["discharges", "with_coordinator", "share_with_coordinator", "followed_up_7d", "share_7d",
                "followed_up_30d", "share_30d", "median_days_to_follow_up", "readmitted_30d",
                "share_readmitted"]
    assert tables.by_agency.columns.tolist() == ["agency_id", "agency_name"] + measures
    assert tables.by_month.columns.tolist() == ["month"] + measures
    assert tables.overall.columns.tolist() == measures
    assert tables.suppressed is suppress
