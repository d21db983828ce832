"""What the network pages draw at region scale: staff grouped by agency, isolated nodes left out,
the timeline from its first month with a link, each said in a note (issue 14, item 10).

The expected numbers are worked out by hand from fixtures/tiny and fixtures/oslo-nav-district
(their README and CSVs); the region is generated, and checked against the default limit.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from handover.cli import app
from handover.generate import generate_dataset
from handover.io import read_dataset
from handover.network.time import handover_of_work_pairs, network_in_period
from handover.reports.networks import DEFAULT_MAX_NODES
from tests.datasets import FIXTURES
from tests.pageprobe import probe

TINY = FIXTURES / "tiny"
OSLO = FIXTURES / "oslo-nav-district"
REGION_USERS = 5_000
runner = CliRunner()

# fixtures/tiny, --role coordinator: each user's coordinators in (start, staff_id) order, each
# consecutive pair counted between the agencies of its two responsibilities (responsibilities.csv):
#   u02  s01 a-tsb → s04 a-mh                      a-tsb → a-mh   1
#   u03  s03 a-dps → s05 a-nav                     a-dps → a-nav  1
#   u13  s05 nav → s04 mh → s05 nav → s04 mh       a-nav → a-mh   2, a-mh → a-nav 1
#   u35  s9 a-mh → s10 a-nav                       a-mh → a-nav   1 (so 2 in all)
#   u41, u42, u45  s05 → s06, all a-nav;  u46  s05 → s06 → s07, a-nav     a-nav → a-nav 5
# 11 pairs; the other users have one coordinator each. Eight staff hold a coordinator
# responsibility: s01, s03, s04, s05, s06, s07, s9, s10.
COORDINATOR_AGENCY_COUNTS = {("a-tsb", "a-mh"): 1, ("a-dps", "a-nav"): 1, ("a-nav", "a-mh"): 2,
                             ("a-mh", "a-nav"): 2, ("a-nav", "a-nav"): 5}
COORDINATOR_STAFF = {"s01", "s03", "s04", "s05", "s06", "s07", "s9", "s10"}
GROUPED_NOTE = ("8 staff are more than --max-nodes 7, so each circle is an agency (4 here) and each arrow adds up "
                "the handovers of work from the staff of one agency to those of another, counted between the "
                "agencies of the two responsibilities. --max-nodes 0 draws the staff; --role, --between or "
                "--agency give fewer. The csv and gexf files always hold the staff.")
# fixtures/oslo-nav-district: the GP practice gp-gl has contacts and responsibilities but no
# episode (episodes.csv), so no handover starts or ends there: the one agency without a link.
ISOLATED_NOTE = "1 agency without any link in the period is not drawn; --keep-isolated draws them."


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def page_data(page: Path) -> dict:
    text = page.read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json" id="network-data">(.*?)</script>', text, re.S)
    return json.loads(found.group(1))


def notes(page: Path) -> list[str]:
    text = page.read_text(encoding="utf-8")
    return [html.unescape(n) for n in re.findall(r'<p class="note" role="note">(.*?)</p>', text, re.S)]


def drawn(page: Path) -> set[str]:
    return {node["id"] for node in page_data(page)["nodes"]}


def write_page(tmp_path: Path, *args) -> tuple[Path, str]:
    out = tmp_path / "page.html"
    result = invoke("network", *args, "--out", out)
    assert result.exit_code == 0, result.output
    return out, result.stderr


# --- grouped by agency -------------------------------------------------------------------


def test_grouped_handover_of_work_is_the_hand_worked_agency_counts():
    graph = network_in_period("handover-of-work", read_dataset(TINY), roles=["coordinator"], by_agency=True)
    assert {(s, t): d["count"] for s, t, d in graph.edges(data=True)} == COORDINATOR_AGENCY_COUNTS
    assert graph.edges["a-nav", "a-nav"]["weight"] == pytest.approx(5 / 11)
    # users and staff with a coordinator responsibility at each agency (u03's s05 row, empty, counts)
    assert {n: (d["users_served"], d["staff"]) for n, d in graph.nodes(data=True)} == {
        "a-dps": (1, 1), "a-mh": (5, 2), "a-tsb": (3, 1), "a-nav": (17, 4)}
    assert graph.nodes["a-mh"]["name"] == "Testby kommune rus- og psykisk helsetjeneste"


def test_grouping_keeps_every_handover_of_work():
    dataset = read_dataset(OSLO)
    last_year = {"since": dataset.latest_date() - pd.Timedelta(days=365), "until": dataset.latest_date()}
    for period in ({}, last_year):
        staff = network_in_period("handover-of-work", dataset, **period)
        grouped = network_in_period("handover-of-work", dataset, by_agency=True, **period)
        assert sum(d["count"] for *_, d in grouped.edges(data=True)) == sum(
            d["count"] for *_, d in staff.edges(data=True)) > 0
    pairs = handover_of_work_pairs(dataset)
    assert {"source_agency_id", "target_agency_id"} <= set(pairs.columns)


def test_a_page_of_more_staff_than_max_nodes_draws_their_agencies_and_says_so(tmp_path):
    page, said = write_page(tmp_path, "handover-of-work", TINY, "--role", "coordinator", "--format", "html",
                            "--max-nodes", "7")
    assert drawn(page) == {"a-tsb", "a-mh", "a-dps", "a-nav"}
    edges = {(e["from"], e["to"]): e["count"] for e in page_data(page)["edges"]}
    assert edges == COORDINATOR_AGENCY_COUNTS
    assert notes(page) == [GROUPED_NOTE]
    assert "Handover of work between agencies (staff grouped by agency)" in page.read_text(encoding="utf-8")
    assert "4 agencies (grouping 8 staff)" in said


def test_at_the_limit_or_with_max_nodes_0_the_staff_are_drawn(tmp_path):
    for limit in ("8", "0"):
        page, _ = write_page(tmp_path, "handover-of-work", TINY, "--role", "coordinator", "--format", "html",
                             "--max-nodes", limit)
        assert drawn(page) == COORDINATOR_STAFF and notes(page) == []


def test_data_formats_stay_whole_and_refuse_the_page_options(tmp_path):
    csv = invoke("network", "handover-of-work", TINY, "--role", "coordinator")
    assert {line.split(",")[0] for line in csv.stdout.splitlines()[1:]} <= COORDINATOR_STAFF
    for args, message in [
        (("--max-nodes", "3"), "--max-nodes shape the html page; csv is data"),
        (("--format", "gexf", "--keep-isolated"), "--keep-isolated shape the html page; gexf is data"),
        (("--format", "html", "--max-nodes", "-1"), "--max-nodes: -1 must not be negative"),
    ]:
        result = invoke("network", "handover-of-work", TINY, *args)
        assert result.exit_code == 2 and message in result.stderr, result.output
    agencies = invoke("network", "shared-users", TINY, "--format", "html", "--max-nodes", "3")
    assert agencies.exit_code == 2 and "--max-nodes applies to handover-of-work only" in agencies.stderr


# --- isolated nodes ----------------------------------------------------------------------


def test_isolated_nodes_are_left_out_unless_asked(tmp_path):
    page, said = write_page(tmp_path, "handover-flows", OSLO, "--format", "html")
    assert drawn(page) == {"nav-gl", "rus-gl", "bolig-gl", "tsb-ous", "dps-lov", "tyrili"}
    assert notes(page) == [ISOLATED_NOTE] and "6 of 7 nodes" in said
    kept, _ = write_page(tmp_path, "handover-flows", OSLO, "--format", "html", "--keep-isolated")
    assert "gp-gl" in drawn(kept) and len(drawn(kept)) == 7 and notes(kept) == []
    gexf = invoke("network", "handover-flows", OSLO, "--format", "gexf")
    assert 'id="gp-gl"' in gexf.stdout          # the data keeps it


# --- the timeline ------------------------------------------------------------------------


def months(page: Path) -> list[str]:
    return page_data(page)["months"]


def test_the_timeline_starts_at_the_first_month_with_a_link(tmp_path):
    # tiny's first record is u17's caseworker from 2023-01-10; its first handover is u02's
    # e03 (a-tsb) ending 2024-02-08 with e04 (a-mh) starting 2024-02-15, and its first
    # handover of work u17's s06 → s07 on 2023-06-01. The data run to 2025-09-30.
    page, said = write_page(tmp_path, "handover-flows", TINY, "--timeline")
    assert months(page)[0] == "2024-02" and months(page)[-1] == "2025-09"
    assert "timeline of 20 months" in said
    page, _ = write_page(tmp_path, "handover-of-work", TINY, "--timeline")
    assert months(page)[0] == "2023-06"
    # a period asked for is kept whole, its empty months too
    page, _ = write_page(tmp_path, "handover-flows", TINY, "--timeline", "--between", "2023-01-01", "2024-12-31")
    assert months(page)[0] == "2023-01" and len(months(page)) == 24


def test_a_grouped_timeline_steps_through_the_agencies(tmp_path):
    # the first coordinator pair is u13's s05 → s04 on 2024-02-01
    page, said = write_page(tmp_path, "handover-of-work", TINY, "--timeline", "--role", "coordinator",
                            "--max-nodes", "7")
    data = page_data(page)
    assert data["months"][0] == "2024-02"
    assert drawn(page) == {"a-tsb", "a-mh", "a-dps", "a-nav"} and notes(page) == [GROUPED_NOTE]
    assert sum(data["totals"]) == 11 and "4 agencies" in said


# --- a region ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def region(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("region")
    generate_dataset(folder, users=REGION_USERS, seed=7)
    return folder


def test_a_region_s_handover_of_work_page_is_drawn_by_agency(region, tmp_path):
    page, said = write_page(tmp_path, "handover-of-work", region, "--format", "html")
    agencies = set(pd.read_csv(region / "agencies.csv")["agency_id"])
    nodes = drawn(page)
    assert nodes <= agencies and 0 < len(nodes) <= DEFAULT_MAX_NODES
    staff = int(re.search(r"grouping (\d+) staff", said).group(1))
    assert staff > DEFAULT_MAX_NODES            # about a thousand staff: a tangle when drawn one by one
    assert notes(page)[0].startswith(f"{staff:,} staff are more than --max-nodes {DEFAULT_MAX_NODES}, so each "
                                     f"circle is an agency ({len(nodes)} here)")
    record = probe(page, budget_ms=20000)
    assert record["errors"] == [] and record["resources"] == [] and record["drawn"] == "yes"
    csv = invoke("network", "handover-of-work", region)
    assert len({line.split(",")[0] for line in csv.stdout.splitlines()[1:]}) > DEFAULT_MAX_NODES


def test_a_region_s_timeline_is_grouped_too(region, tmp_path):
    page, said = write_page(tmp_path, "handover-of-work", region, "--timeline")
    data = page_data(page)
    assert len(data["nodes"]) <= DEFAULT_MAX_NODES and notes(page)
    assert data["totals"][0] > 0                # the first month drawn has handovers of work
