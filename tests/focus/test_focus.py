"""``--agency``: a dataset focused on the users of some agencies, worked out by hand.

fixtures/tiny, focused on the municipal substance-use and mental-health service
(``a-mh``, services ``sv-mh-hs`` and ``sv-mh-low``, staff ``s04`` and ``s9`` employed
there). Reading its CSV files, the users with a row that refers to ``a-mh``:

- responsibilities held for a-mh: u02 (s04), u13 (s04, twice), u35 (s9), u39 (s04), u51 (s04);
- plans held by a-mh: u20 (p03), u21 (p04), u24 (p10), u25 (p14), u51 (p25);
- contacts with a-mh: u01 (c01), u02 (c02), u05 (c03), u10 (c06), u27 (c10), u32 (c15), u35 (c17);
- episodes at an a-mh service: u01 (e02), u02 (e04), u05 (e11), u10 (e22), u12 (e26), u39 (e46);
- through staff: every row of s04 or s9 is already for a-mh, so none is added.

That is 15 users: u01 u02 u05 u10 u12 u13 u20 u21 u24 u25 u27 u32 u35 u39 u51.
"""

from __future__ import annotations

import pandas as pd
import pytest

from handover.engines import MemoryEngine
from handover.errors import InputError
from handover.examples import typed_frame
from handover.findings import FINDINGS, find
from handover.io import read_dataset
from handover.io.focus import USER_TABLES, focus_on_agencies, users_of_agencies
from handover.io.guarded import read_guarded
from handover.io.options import ReadOptions
from handover.model import Dataset
from handover.render.results import render
from tests.datasets import FIXTURES

TINY = FIXTURES / "tiny"
MH_USERS = ["u01", "u02", "u05", "u10", "u12", "u13", "u20", "u21", "u24", "u25", "u27", "u32", "u35",
            "u39", "u51"]


@pytest.fixture(scope="module")
def tiny() -> Dataset:
    return read_dataset(TINY)


def _ids(frame: pd.DataFrame, column: str) -> list[str]:
    return sorted(frame[column].tolist())


def test_the_users_of_the_mental_health_service_are_the_hand_counted_ones(tiny):
    focused = focus_on_agencies(tiny, ["a-mh"])
    assert _ids(focused["users"], "user_id") == MH_USERS
    assert users_of_agencies(tiny, ["a-mh"]).tolist() == MH_USERS
    assert focused.focus == ("a-mh",)


def test_every_row_of_those_users_stays_also_at_other_agencies(tiny):
    focused = focus_on_agencies(tiny, ["a-mh"])
    # Hand-listed from the CSV files: all rows of the 15 users, whatever their agency.
    assert _ids(focused["episodes"], "episode_id") == sorted(
        ["e01", "e02", "e03", "e04", "e10", "e11", "e20", "e21", "e22", "e25", "e26", "e27", "e29", "e35",
         "e36", "e40", "e45", "e46"])
    assert _ids(focused["plans"], "plan_id") == sorted(
        ["p01", "p02", "p03", "p04", "p05", "p9", "p10", "p12", "p13", "p14", "p25"])
    # c07 is u12's phone call with NAV.
    assert _ids(focused["contacts"], "contact_id") == ["c01", "c02", "c03", "c06", "c07", "c10", "c15", "c17"]
    # u01 2 (TSB), u02 2, u05 1 (NAV caseworker), u12 1 (NAV), u13 8 (NAV caseworkers and
    # coordinators at NAV and a-mh), u25 1 (NAV), u35 2 (a-mh and NAV), u39 1, u51 1: 19 rows.
    kept = focused["responsibilities"]
    assert len(kept) == 19 and sorted(set(kept["user_id"])) == ["u01", "u02", "u05", "u12", "u13", "u25",
                                                                  "u35", "u39", "u51"]
    assert set(kept["agency_id"]) == {"a-mh", "a-nav", "a-tsb"}
    for table in USER_TABLES:  # and no row of anyone else
        assert set(focused[table]["user_id"]) <= set(MH_USERS)
        whole = tiny[table]
        assert len(focused[table]) == whole["user_id"].isin(MH_USERS).sum()


def test_the_tables_without_users_are_kept_whole(tiny):
    focused = focus_on_agencies(tiny, ["a-mh"])
    for table in ("agencies", "services", "staff", "employments"):
        pd.testing.assert_frame_equal(focused[table], tiny[table])


def test_a_finding_on_the_focused_data_gives_the_hand_expected_rows(tiny):
    engine = MemoryEngine(focus_on_agencies(tiny, ["a-mh"]))
    handovers = find(engine, "handover_without_coordinator")
    # u01, u05, u10 (twice) and u12 (twice) of the 9 rows; u12's e25 goes from TSB to NAV,
    # neither of them a-mh, and stays because u12 is an a-mh user.
    assert handovers[["user_id", "from_episode_id", "from_agency_id", "to_agency_id"]].values.tolist() == [
        ["u01", "e01", "a-tsb", "a-mh"], ["u05", "e10", "a-tsb", "a-mh"], ["u10", "e20", "a-nav", "a-tsb"],
        ["u10", "e21", "a-tsb", "a-mh"], ["u12", "e25", "a-tsb", "a-nav"], ["u12", "e26", "a-mh", "a-nav"]]
    plans = find(engine, "parallel_plans")
    assert plans[["user_id", "plan_a_id", "plan_b_id", "overlap_days"]].values.tolist() == [
        ["u20", "p02", "p03", 1], ["u24", "p10", "p9", 61], ["u25", "p12", "p13", 91],
        ["u25", "p12", "p14", 170], ["u25", "p13", "p14", 48]]


def test_the_default_as_of_stays_the_whole_datasets_latest_date(tiny):
    """The whole dataset describes 2025-09-30 (c08, u23's NAV meeting). The latest date among
    the a-mh users' own rows is 2025-03-20 (c15): measured to that day u51's plan p25 (opened
    2024-06-03, never revised) would be 290 days old and not dormant. Focusing chooses users,
    not the day: p25 is 484 days old on 2025-09-30 (2024-06-03 + 365 = 2025-06-03, + 119)."""
    focused = focus_on_agencies(tiny, ["a-mh"])
    assert focused.latest_date() == tiny.latest_date() == pd.Timestamp("2025-09-30")
    dormant = find(MemoryEngine(focused), "dormant_plans")
    assert dormant[["user_id", "plan_id", "days_since_revision"]].values.tolist() == [
        ["u25", "p12", 629], ["u51", "p25", 484]]
    assert focused.snapshot(pd.Timestamp("2024-06-01")).latest_date() <= pd.Timestamp("2024-06-01")


@pytest.mark.parametrize("name", sorted(FINDINGS))
def test_every_finding_on_the_focused_data_is_the_whole_datasets_rows_of_those_users(tiny, name):
    expected = (TINY / "expected" / f"{name}.csv").read_text(encoding="utf-8").strip("\n").splitlines()
    kept = [expected[0]] + [line for line in expected[1:] if line.split(",")[0] in MH_USERS]
    got = render(find(MemoryEngine(focus_on_agencies(tiny, ["a-mh"])), name), FINDINGS[name].schema, "csv")
    assert got.splitlines() == kept


def test_trondheim_users_of_the_provider_unit():
    """fixtures/trondheim-purchaser-provider, focused on the provider unit ``rus-tr``: its rows
    (contacts, episodes at sv-rus-bo/sv-rus-dag, plans p004 p009 p012 p016, responsibilities
    of s-rus-01..04) name u01 u02 u04 u05 u07 u08 u09 u10 u12 u15 u16; u03 u06 u11 u13 u14
    u17 u18 have none. Of the 5 handovers without a coordinator, u05's, u07's and u12's stay;
    u12's goes from Lade to the housing office, neither of them rus-tr."""
    focused = focus_on_agencies(read_dataset(FIXTURES / "trondheim-purchaser-provider"), ["rus-tr"])
    assert _ids(focused["users"], "user_id") == ["u01", "u02", "u04", "u05", "u07", "u08", "u09", "u10",
                                                 "u12", "u15", "u16"]
    rows = find(MemoryEngine(focused), "handover_without_coordinator")
    assert rows[["user_id", "from_agency_id", "to_agency_id"]].values.tolist() == [
        ["u05", "rus-tr", "nav-tr"], ["u07", "tsb-sto", "rus-tr"], ["u12", "lade", "bolig-tr"]]


def _staff_dataset() -> Dataset:
    """Staff member s1 works at A in [2024-01-01, 2024-07-01), then at B; services sA (A), sB (B)."""
    return Dataset({
        "agencies": typed_frame("agencies", [("A", "Agency A", "nav_office", "municipal", None),
                                             ("B", "Agency B", "tsb", "specialist", None)]),
        "services": typed_frame("services", [("sA", "A", "Service A", "outpatient"),
                                             ("sB", "B", "Service B", "inpatient")]),
        "staff": typed_frame("staff", [("s1", None), ("s2", None)]),
        "employments": typed_frame("employments", [("s1", "A", "2024-01-01", "2024-07-01"),
                                                   ("s1", "B", "2024-07-01", None),
                                                   ("s2", "A", "2024-03-01", "2024-03-01")]),
        "users": typed_frame("users", [(f"v{i}", None, None) for i in range(1, 13)]),
        "responsibilities": typed_frame("responsibilities", [
            ("v1", "s1", "B", "caseworker", "2024-03-01", "2024-05-01", None),  # while at A
            ("v2", "s1", "B", "caseworker", "2024-07-01", None, None),          # after A
            ("v3", "s1", "B", "caseworker", "2024-06-30", "2024-07-01", None),  # A's last day
            ("v4", "s1", "B", "caseworker", "2024-07-01", "2024-07-01", None),  # empty: day 07-01
            ("v5", "s1", "B", "caseworker", "2024-06-30", "2024-06-30", None),  # empty: day 06-30
            ("v8", "s1", "B", "caseworker", "2023-06-01", None, None),          # spans A's time
            ("v12", "s2", "B", "caseworker", "2024-03-01", None, None),         # s2's A time is empty
        ]),
        "contacts": typed_frame("contacts", [
            ("c1", "v6", "B", "2024-06-30", "visit", None, "s1"),   # A's last day
            ("c2", "v7", "B", "2024-07-01", "visit", None, "s1"),   # B's first day
            ("c3", "v9", "B", "2024-02-01", "visit", "sA", None),   # A's service
        ]),
        "episodes": typed_frame("episodes", [("e1", "v10", "sA", "2024-02-01", None, None)]),
        "plans": typed_frame("plans", [("p1", "v11", "B", "individual_plan", "2024-01-01", None, None)]),
    })


def test_a_staff_member_counts_for_the_agency_they_worked_at_when_the_row_ran():
    ds = _staff_dataset()
    # By hand: v1, v3 and v5 (responsibilities on days s1 worked at A), v6 (contact on such a
    # day), v8 (ongoing from before s1 came to A), v9 (A's service on a contact), v10 (an
    # episode at A's service). Not v2, v4, v7 (on or after 2024-07-01, when s1 was at B),
    # v11 (a plan at B), v12 (s2's employment at A is empty).
    assert users_of_agencies(ds, ["A"]).tolist() == ["v1", "v10", "v3", "v5", "v6", "v8", "v9"]
    # B directly: the responsibilities v1-v5, v8, v12, the contacts v6, v7, v9, the plan v11.
    assert users_of_agencies(ds, ["B"]).tolist() == ["v1", "v11", "v12", "v2", "v3", "v4", "v5", "v6", "v7",
                                                     "v8", "v9"]
    assert users_of_agencies(ds, ["A", "B"]).tolist() == sorted(f"v{i}" for i in range(1, 13))


def test_two_agencies_give_their_users_together(tiny):
    both = focus_on_agencies(tiny, ["a-mh", "a-dps"])
    dps = users_of_agencies(tiny, ["a-dps"]).tolist()
    # a-dps: u03 (e05, coordinator s03), u09 (e19), u29 (e31), and u38 (contact c21).
    assert dps == ["u03", "u09", "u29", "u38"]
    assert _ids(both["users"], "user_id") == sorted(MH_USERS + dps)
    assert both.focus == ("a-dps", "a-mh")


def test_an_unknown_agency_is_refused_in_the_users_terms(tiny):
    with pytest.raises(InputError) as refused:
        focus_on_agencies(tiny, ["a-mh", "ag999"])
    assert str(refused.value) == "--agency: ag999 is not an agency in agencies (known: a-dps, a-mh, a-nav, a-tsb)"
    many = Dataset({"agencies": typed_frame("agencies", [(f"a{i:02}", "x", "other", "municipal", None)
                                                         for i in range(1, 15)])})
    with pytest.raises(InputError, match=r"^--agency: x1, x2 are not agencies in agencies "
                                         r"\(known: a01, a02, a03, a04, a05, … 14 agencies\)$"):
        focus_on_agencies(many, ["x2", "x1"])


def test_no_agency_leaves_the_dataset_as_it_is(tiny):
    assert focus_on_agencies(tiny, []) is tiny
    assert read_guarded(TINY, reading=ReadOptions()).focus == ()


def test_read_guarded_focuses_after_validation(tiny):
    focused = read_guarded(TINY, reading=ReadOptions.of(agencies=["a-mh"]))
    assert _ids(focused["users"], "user_id") == MH_USERS
    assert ReadOptions.of(agencies=["a-mh"]).focus_text == "focused on agency a-mh"


def test_focus_is_vectorised_fast_on_a_hundred_thousand_users():
    import time

    from tests.neo4j.synthetic import synthetic_dataset

    ds = synthetic_dataset(400_000, n_users=100_000)  # 1.2 million user rows
    began = time.perf_counter()
    focused = focus_on_agencies(ds, ["a1"])
    seconds = time.perf_counter() - began
    assert seconds < 10, f"{seconds:.1f} s"  # about 0.5 s where it was written
    users = set(focused["users"]["user_id"])
    assert 0 < len(users) < 100_000
    assert set(focused["contacts"]["user_id"]) <= users
    direct = set(ds["plans"]["user_id"][ds["plans"]["agency_id"] == "a1"])
    assert direct <= users
