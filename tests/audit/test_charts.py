"""The inline-SVG chart helpers, and the report's monthly chart that uses them."""

from __future__ import annotations

import xml.etree.ElementTree as ET


from handover.render.charts import Bar, Series, bar_chart, histogram, line_chart


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)   # well-formed XML: every text escaped, every element closed


def test_labels_from_agency_systems_are_escaped():
    name = 'Bydel <Øst> & "Vest"'
    svg = bar_chart([Bar(name, 3)], title="Coverage <by> agency", horizontal=True)
    root = parse(svg)
    assert name in [t.text for t in root.iter("text")]
    assert "<Øst>" not in svg and "&lt;Øst&gt;" in svg
    assert root.find("title").text == "Coverage <by> agency"


def test_charts_are_labelled_for_screen_readers():
    root = parse(bar_chart([Bar("a", 1)], title="Counts", desc="One bar", ident="c1"))
    assert root.get("role") == "img" and root.get("aria-labelledby") == "c1-t c1-d"
    assert root.find("title").get("id") == "c1-t" and root.find("desc").text == "One bar"


def test_every_bar_has_a_tooltip_and_hidden_bars_show_the_marker():
    svg = bar_chart([Bar("jan", 7), Bar("feb", None, text="<5", hidden=True)], title="t")
    bars = parse(svg).findall("rect")
    assert [b.get("class") for b in bars] == ["bar", "bar hidden"]
    assert [b.find("title").text for b in bars] == ["jan: 7", "feb: <5"]
    assert bars[1].get("stroke-dasharray")


def test_histogram_counts_each_whole_number_in_range():
    svg = histogram([2, 2, 2, 2, 2, 3, 40], low=1, high=4, title="Days", unit="days", hide_small=True)
    tips = [r.find("title").text for r in parse(svg).findall("rect")]
    assert tips == ["1 days: 0", "2 days: 5", "3 days: <5 (small number, hidden)", "4 days: 0"]


def test_line_chart_breaks_at_missing_values_and_marks_hidden_ones():
    svg = line_chart(["m1", "m2", "m3", "m4"], [Series("7 days", [10.0, 20.0, None, "<5"])], title="Rates")
    root = parse(svg)
    assert len(root.findall("polyline")) == 1                      # m1-m2; m3 missing breaks the line
    points = root.findall("circle")
    assert [p.get("class") for p in points] == ["point", "point", "point hidden", None]   # last: legend
    assert points[1].find("title").text == "m2 · 7 days: 20.0 %"


def test_charts_carry_their_own_colours_and_nothing_external():
    svg = histogram([1, 2], low=1, high=2, title="x") + line_chart(["a"], [Series("s", [1.0])], title="y")
    assert "http" not in svg and "<script" not in svg and "style=\"max-width:100%" in svg
    assert 'fill="#0b4f8a"' in svg
