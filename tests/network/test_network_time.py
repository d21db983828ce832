"""The networks in time: `--as-of`, `--between`, monthly frames and GEXF spells."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import networkx as nx
import pandas as pd
import pytest
from typer.testing import CliRunner

from handover import network as nw
from handover.cli import app
from handover.render.results import frame_csv
from handover.io import read_dataset
from handover.network.time import (
    add_spells, handover_of_work_in_period, monthly_networks, network_in_period,
)
from handover.timeline import DAY
from tests.datasets import FIXTURES

TINY = FIXTURES / "tiny"
OSLO = FIXTURES / "oslo-nav-district"
KINDS = ("handover-flows", "shared-users", "handover-of-work")
GEXF = "{http://www.gexf.net/1.2draft}"
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def edge_counts(graph: nx.Graph) -> dict:
    return {(s, t) if graph.is_directed() else tuple(sorted((s, t))): d["count"] for s, t, d in graph.edges(data=True)}


@pytest.fixture(scope="module", params=["tiny", "oslo-nav-district"])
def dataset(request):
    return read_dataset(FIXTURES / request.param)


def test_without_a_period_the_networks_are_those_of_handover_network(dataset):
    assert edge_counts(network_in_period("handover-flows", dataset)) == edge_counts(nw.handover_flows(dataset))
    assert edge_counts(network_in_period("shared-users", dataset)) == edge_counts(nw.shared_users(dataset))
    work = network_in_period("handover-of-work", dataset, roles=["caseworker"])
    reference = nw.handover_of_work(dataset, roles=["caseworker"])
    assert nw.edges_frame(work).equals(nw.edges_frame(reference))
    assert set(work) == set(reference)
    for node, data in reference.nodes(data=True):     # the same nodes, and where each works
        assert {k: v for k, v in work.nodes[node].items() if k != "agency_id"} == data
        assert work.nodes[node]["agency_id"] in set(dataset["agencies"]["agency_id"])


@pytest.mark.parametrize("kind", ["handover-flows", "handover-of-work"])
def test_months_add_up_to_all_time(dataset, kind):
    """A handover, or a handover of work, belongs to one day, so the months partition the total."""
    frames = monthly_networks(kind, dataset)
    summed: dict = {}
    for _, graph in frames:
        for key, count in edge_counts(graph).items():
            summed[key] = summed.get(key, 0) + count
    assert summed == edge_counts(network_in_period(kind, dataset))
    assert [m for m, _ in frames] == sorted(m for m, _ in frames)


@pytest.mark.parametrize("kind", KINDS)
def test_each_month_is_the_between_slice_of_that_month(kind):
    dataset = read_dataset(TINY)
    for month, graph in monthly_networks(kind, dataset)[::4]:
        start = pd.Timestamp(f"{month}-01")
        end = start + pd.offsets.MonthEnd(0)
        result = invoke("network", kind, TINY, "--between", start.date(), end.date())
        assert result.exit_code == 0, result.output
        assert result.stdout == frame_csv(nw.edges_frame(graph))


def test_handover_of_work_in_a_period_counts_the_handovers_made_in_it():
    dataset = read_dataset(TINY)
    pairs = handover_of_work_in_period(dataset, roles=["caseworker"], since=pd.Timestamp("2024-01-01"),
                                       until=pd.Timestamp("2024-12-31"))
    total = sum(d["count"] for _, _, d in pairs.edges(data=True))
    assert total > 0
    assert sum(d["weight"] for _, _, d in pairs.edges(data=True)) == pytest.approx(1.0)


def _active(spells, day: str) -> bool:
    return any(start <= day and (end is None or day < end) for start, end in spells)


@pytest.mark.parametrize("kind", KINDS)
def test_spells_say_exactly_when_as_of_shows_a_node_or_edge(dataset, kind):
    """An edge is active in GEXF on day d iff `--as-of d` has it; a node iff it has users on d."""
    graph = add_spells(network_in_period(kind, dataset), dataset)
    days = set(pd.date_range("2022-01-01", dataset.latest_date() + DAY, freq="9D"))
    for _, _, data in graph.edges(data=True):   # every start and end of an edge's spells, and the day before
        for start, end in data["spells"]:
            for day in (start, end):
                if day is not None:
                    days |= {pd.Timestamp(day), pd.Timestamp(day) - DAY}
    for day in sorted(days)[::max(1, len(days) // 150)]:
        text = f"{day:%Y-%m-%d}"
        sliced = network_in_period(kind, dataset, since=day, until=day)
        active = {(s, t) if graph.is_directed() else tuple(sorted((s, t)))
                  for s, t, d in graph.edges(data=True) if _active(d["spells"], text)}
        assert set(edge_counts(sliced)) == active, text
        assert {n for n, d in sliced.nodes(data=True) if d.get("users_served")} == \
               {n for n, d in graph.nodes(data=True) if _active(d["spells"], text)}, text


@pytest.mark.parametrize("kind", KINDS)
def test_gexf_holds_time_intervals_for_gephi(kind, tmp_path):
    out = tmp_path / f"{kind}.gexf"
    result = invoke("network", kind, OSLO, "--format", "gexf", "--out", out)
    assert result.exit_code == 0, result.output
    root = ET.parse(out).getroot()
    graph = root.find(f"{GEXF}graph")
    assert graph.get("mode") == "dynamic" and graph.get("timeformat") == "date"
    spells = root.findall(f".//{GEXF}spell")
    node_spells = root.findall(f"{GEXF}graph/{GEXF}nodes/{GEXF}node/{GEXF}spells/{GEXF}spell")
    edge_spells = root.findall(f"{GEXF}graph/{GEXF}edges/{GEXF}edge/{GEXF}spells/{GEXF}spell")
    assert node_spells and edge_spells and len(spells) == len(node_spells) + len(edge_spells)
    for spell in spells:
        assert ISO.match(spell.get("start")), spell.attrib
        assert spell.get("end") is None or (ISO.match(spell.get("end")) and spell.get("start") < spell.get("end"))
    open_spells = [s for s in node_spells if s.get("end") is None]
    assert open_spells          # staff and agencies still at work on the last day: no end
    back = nx.read_gexf(out)   # and networkx (like Gephi) reads it back, spells and all
    assert any(d.get("spells") for _, d in back.nodes(data=True))


def test_an_ongoing_interval_has_no_end_and_an_ended_one_ends_on_its_end_day():
    dataset = read_dataset(TINY)
    graph = add_spells(network_in_period("handover-of-work", dataset), dataset)
    responsibilities = dataset["responsibilities"]
    ongoing = responsibilities[responsibilities["end"].isna()]["staff_id"].iloc[0]
    assert graph.nodes[ongoing]["spells"][-1][1] is None
    flows = add_spells(network_in_period("handover-flows", dataset), dataset)
    for _, _, data in flows.edges(data=True):   # a handover is a day: [d, d + 1)
        for start, end in data["spells"]:
            assert end is not None and pd.Timestamp(end) > pd.Timestamp(start)


def test_a_sliced_gexf_keeps_its_spells_inside_the_period(tmp_path):
    out = tmp_path / "slice.gexf"
    result = invoke("network", "shared-users", OSLO, "--between", "2023-01-01", "2023-06-30", "--format", "gexf",
                    "--out", out)
    assert result.exit_code == 0, result.output
    for spell in ET.parse(out).getroot().iter(f"{GEXF}spell"):
        assert "2023-01-01" <= spell.get("start") and spell.get("end") is not None
        assert spell.get("end") <= "2023-07-01"


def test_on_is_one_day_and_between_a_period():
    day = invoke("network", "shared-users", TINY, "--on", "2024-03-05")
    assert day.exit_code == 0, day.output
    # the same day as --since/--until (tests/network/test_cli_network.py checks those rows by hand)
    assert day.stdout == invoke("network", "shared-users", TINY, "--since", "2024-03-05", "--until",
                                "2024-03-05").stdout
    work = invoke("network", "handover-of-work", TINY, "--between", "2024-01-01", "2024-06-30")
    assert work.exit_code == 0, work.output
    assert work.stdout.startswith("source,target,count,weight\n")
    assert work.stdout != invoke("network", "handover-of-work", TINY).stdout


@pytest.mark.parametrize("args, message", [
    (("--on", "2024-01-01", "--between", "2024-01-01", "2024-02-01"), "cannot be combined"),
    (("--on", "2024-01-01", "--since", "2024-01-01"), "cannot be combined"),
    (("--between", "2024-03-01", "2024-02-01"), "--between: 2024-03-01 is after 2024-02-01"),
    (("--on", "1.1.2024"), "--on: 1.1.2024 is not a date"),
    (("--timeline", "--format", "csv"), "--timeline writes an HTML page"),
])
def test_bad_time_options_exit_2(args, message):
    result = invoke("network", "handover-flows", TINY, *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_timeline_command_writes_one_page(tmp_path):
    out = tmp_path / "timeline.html"
    result = invoke("network", "handover-of-work", OSLO, "--timeline", "--role", "caseworker", "--out", out)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "month by month" in text and 'id="month"' in text and "<script src" not in text
    assert "timeline of" in result.stderr
