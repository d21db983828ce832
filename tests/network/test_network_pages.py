"""The network pages (`--format html`, `--timeline`) in headless Chromium with the network off.

Each page must draw without fetching anything, show agency and staff names as text
whatever they contain, offer pyvis' filter menu, and (the timeline) change what it draws
when the month changes.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from handover.cli import app
from handover.io import read_dataset
from handover.render.network_page import LEVEL_COLOURS, network_html, timeline_html
from handover.network.time import monthly_networks, network_in_period
from tests.audit.test_browser import count_colour, png_pixels
from tests.datasets import FIXTURES, write_dataset
from tests.pageprobe import probe, screenshot

OSLO = FIXTURES / "oslo-nav-district"
TINY = FIXTURES / "tiny"
KINDS = ("handover-flows", "shared-users", "handover-of-work")
PAYLOAD = '<img src=x onerror=alert(1)><a href="javascript:alert(2)">x</a>'
STAFF_PAYLOAD = "<img src=y onerror=alert(4)>"
runner = CliRunner()


def hexrgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def canvas_pixels(shot: Path) -> np.ndarray:
    """The pixels of the drawing area (the canvas sits left of the legend, below the filters)."""
    pixels = png_pixels(shot)
    return pixels[140:760, 30:900]


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pages")
    made = {}
    for kind in KINDS:
        out = folder / f"{kind}.html"
        result = runner.invoke(app, ["network", kind, str(OSLO), "--format", "html", "--out", str(out)])
        assert result.exit_code == 0, result.output
        made[kind] = out
    return made


def test_pages_link_to_nothing(pages):
    for page in pages.values():
        text = page.read_text(encoding="utf-8")
        assert "<script src" not in text and "<link" not in text and "<img" not in text
        assert "cdn.jsdelivr" not in text and "cdnjs" not in text and "url(http" not in text
        assert "vis.Network" in text and "new TomSelect" in text   # vis-network and the filter menu, inlined


@pytest.mark.parametrize("kind", KINDS)
def test_chromium_draws_each_network_offline(pages, kind, tmp_path):
    record = probe(pages[kind])
    assert record["errors"] == [] and record["alerts"] == 0
    assert record["resources"] == []           # nothing fetched: every script and style is inline
    assert record["drawn"] == "yes"
    shot = screenshot(pages[kind], tmp_path / f"{kind}.png")
    drawing = canvas_pixels(shot)
    assert (drawing < 235).any(axis=2).sum() > 20_000    # far from blank: circles, lines, labels
    if kind == "handover-of-work":
        assert count_colour(drawing, hexrgb("#4e79a7")) > 2_000   # social workers, the commonest profession
    else:
        assert count_colour(drawing, hexrgb(LEVEL_COLOURS["municipal"])) > 2_000
        assert count_colour(drawing, hexrgb(LEVEL_COLOURS["specialist"])) > 1_000


def test_tooltips_give_the_numbers(pages):
    script = """
      var net = window.handoverNetwork.network, canvas = document.querySelector('#mynetwork canvas');
      var box = canvas.getBoundingClientRect(), at = net.canvasToDOM(net.getPosition('tsb-ous'));
      canvas.dispatchEvent(new MouseEvent('mousemove', {clientX: box.left + at.x, clientY: box.top + at.y, bubbles: true}));
      setTimeout(function () {
        var tip = document.querySelector('div.vis-tooltip');
        window.__probe.result = {text: tip.innerText, visible: getComputedStyle(tip).visibility};
      }, 400);"""
    record = probe(pages["handover-flows"], script, wait_ms=800)
    tip = record["result"]
    graph = network_in_period("handover-flows", read_dataset(OSLO))
    out_count = sum(d["count"] for _, t, d in graph.out_edges("tsb-ous", data=True))
    in_count = sum(d["count"] for s, _, d in graph.in_edges("tsb-ous", data=True))
    assert tip["visible"] == "visible"
    assert tip["text"].splitlines() == [
        "Oslo universitetssykehus avdeling for rusbehandling", "tsb-ous · tsb · specialist · Oslo",
        f"users served: {graph.nodes['tsb-ous']['users_served']}", f"handovers out: {out_count} · in: {in_count}"]
    assert out_count > 0 and in_count > 0


def test_the_filter_menu_keeps_the_chosen_nodes(pages):
    script = """
      itemControl.addItem('node'); propControl.addItem('agency_level'); valueControl.addItem('specialist');
      highlightFilter(filter);
      window.__probe.result = nodes.get({filter: function (n) { return !n.hidden; }}).map(function (n) { return n.id; }).sort();"""
    record = probe(pages["shared-users"], script)
    assert record["errors"] == []
    assert record["result"] == ["dps-lov", "tsb-ous"]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict[str, Path]:
    """Pages of the tiny fixture with an agency named, and a staff id made of, HTML."""
    dataset = read_dataset(TINY)
    agencies = dataset["agencies"]
    agencies.loc[agencies["agency_id"] == "a-tsb", "name"] = PAYLOAD
    old = dataset["staff"]["staff_id"].iloc[1]
    dataset["staff"].loc[dataset["staff"].index[0], "profession"] = "<script>alert(3)</script>"
    for table in ("staff", "employments", "responsibilities", "contacts"):
        if dataset.has(table):
            dataset[table]["staff_id"] = dataset[table]["staff_id"].replace(old, STAFF_PAYLOAD)
    folder = write_dataset(dataset, tmp_path_factory.mktemp("hostile") / "data")
    made = {}
    for kind in ("handover-flows", "handover-of-work"):
        out = folder.parent / f"{kind}.html"
        result = runner.invoke(app, ["network", kind, str(folder), "--format", "html", "--out", str(out)])
        assert result.exit_code == 0, result.output
        made[kind] = out
    timeline = folder.parent / "timeline.html"
    assert runner.invoke(app, ["network", "handover-flows", str(folder), "--timeline", "--out",
                               str(timeline)]).exit_code == 0
    made["timeline"] = timeline
    return made


def _hover(node: str) -> str:
    return """
      var net = window.handoverNetwork.network, canvas = document.querySelector('#mynetwork canvas');
      var box = canvas.getBoundingClientRect(), at = net.canvasToDOM(net.getPosition(%r));
      canvas.dispatchEvent(new MouseEvent('mousemove', {clientX: box.left + at.x, clientY: box.top + at.y, bubbles: true}));
      itemControl.addItem('node'); propControl.addItem('label'); valueControl.open();
      setTimeout(function () {
        var tip = document.querySelector('div.vis-tooltip');
        var options = Array.prototype.map.call(document.querySelectorAll('.ts-dropdown .option'),
                                               function (o) { return o.textContent; });
        window.__probe.result = {tip: tip.innerText, tipElements: tip.querySelectorAll(':not(br)').length,
                                 options: options, scripts: document.scripts.length};
      }, 400);""" % node


def test_hostile_names_show_as_text_and_never_run(hostile):
    for page in hostile.values():
        text = page.read_text(encoding="utf-8")
        assert "<img src=x" not in text and "<img src=y" not in text and "<script>alert" not in text
    flows = probe(hostile["handover-flows"], _hover("a-tsb"), wait_ms=800)
    assert flows["alerts"] == 0 and flows["images"] == 0 and flows["errors"] == []
    assert flows["result"]["tip"].splitlines()[0] == PAYLOAD      # the tooltip shows the literal text
    assert flows["result"]["tipElements"] == 0                     # ... and holds no element made from it
    assert PAYLOAD in flows["result"]["options"]                  # the filter menu lists it as text
    work = probe(hostile["handover-of-work"], _hover(STAFF_PAYLOAD), wait_ms=800)
    assert work["alerts"] == 0 and work["images"] == 0 and work["errors"] == []
    assert work["result"]["tip"].startswith(STAFF_PAYLOAD)
    timeline = probe(hostile["timeline"], _hover("a-tsb"), wait_ms=800)
    assert timeline["alerts"] == 0 and timeline["images"] == 0 and timeline["errors"] == []
    assert timeline["result"]["tip"].splitlines()[0] == PAYLOAD


def test_a_title_with_html_is_escaped_in_the_page_title(tmp_path):
    dataset = read_dataset(TINY)
    graph = network_in_period("shared-users", dataset)
    page = tmp_path / "p.html"
    page.write_text(network_html(graph, title=PAYLOAD, source="</title><img src=z>"), encoding="utf-8")
    record = probe(page)
    assert record["title"] == PAYLOAD and record["images"] == 0 and record["alerts"] == 0


def test_staff_without_a_profession_are_coloured_by_their_agency():
    dataset = read_dataset(TINY)
    del dataset.tables["staff"]
    page = network_html(network_in_period("handover-of-work", dataset))
    legend = page[page.index("<h2>Colour: agency</h2>"):page.index("<h2>Size</h2>")]
    assert {"a-nav", "a-tsb"} <= set(re.findall(r"</span>([a-z-]+)<span", legend))


# --- the timeline ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def timeline(tmp_path_factory):
    dataset = read_dataset(TINY)
    frames = monthly_networks("handover-flows", dataset)
    page = tmp_path_factory.mktemp("timeline") / "timeline.html"
    page.write_text(timeline_html(frames, network_in_period("handover-flows", dataset)), encoding="utf-8")
    return page, frames


def test_timeline_shows_each_month_s_links(timeline):
    page, frames = timeline
    busy = max(range(len(frames)), key=lambda i: (frames[i][1].number_of_edges(), -i))
    quiet = next(i for i, (_, g) in enumerate(frames) if g.number_of_edges() == 1)
    script = """
      var seen = [];
      [%d, %d].forEach(function (i) {
        handoverTimeline.show(i);
        seen.push({month: document.body.getAttribute('data-month'),
                   label: document.getElementById('month-label').textContent,
                   slider: document.getElementById('month').value,
                   visible: edges.get({filter: function (e) { return !e.hidden; }}).length,
                   total: document.getElementById('n-total').textContent});
      });
      window.__probe.result = seen;""" % (busy, quiet)
    record = probe(page, script)
    assert record["errors"] == [] and record["resources"] == []
    for i, seen in zip((busy, quiet), record["result"]):
        month, graph = frames[i]
        assert seen["month"] == seen["label"] == month and seen["slider"] == str(i)
        assert seen["visible"] == graph.number_of_edges()
        assert seen["total"] == str(sum(d["count"] for _, _, d in graph.edges(data=True)))


def test_stepping_changes_the_drawing(timeline, tmp_path):
    page, frames = timeline
    busy = max(range(len(frames)), key=lambda i: frames[i][1].number_of_edges())
    empty = next(i for i, (_, g) in enumerate(frames) if g.number_of_edges() == 0)
    shots = [png_pixels(screenshot(page, tmp_path / f"{i}.png", f"handoverTimeline.show({i});"))
             for i in (busy, empty)]
    assert shots[0].shape == shots[1].shape
    changed = (np.abs(shots[0].astype(int) - shots[1].astype(int)).sum(axis=2) > 60).sum()
    assert changed > 3_000


def test_play_steps_through_the_months(timeline):
    page, frames = timeline
    record = probe(page, """handoverTimeline.show(0); document.getElementById('play').click();
      setTimeout(function () {
        window.__probe.result = {at: handoverTimeline.current(), button: document.getElementById('play').textContent};
      }, 3000);""", wait_ms=3500, budget_ms=12000)
    assert record["errors"] == []
    assert 3 <= record["result"]["at"] < len(frames)      # about one month per 800 ms
    assert "Pause" in record["result"]["button"]
