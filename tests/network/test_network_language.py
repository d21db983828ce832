"""The network pages in bokmål (`handover network KIND DATA --format html | --timeline --lang nb`).

A Norwegian page says everything in Norwegian (headings, notes, legend, tooltips, table,
filter menu, player) and none of the English page's words, yet draws the same nodes and
edges with the same numbers; numbers are written the Norwegian way. The language follows
the locale, and --lang wins; csv and gexf are data and take no language.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from handover.cli import app
from handover.locale import catalogue
from handover.render.network_page import network_html
from tests.datasets import FIXTURES
from tests.pageprobe import probe

OSLO = FIXTURES / "oslo-nav-district"
TINY = FIXTURES / "tiny"
KINDS = ("handover-flows", "shared-users", "handover-of-work")
SHAPES = ("page", "timeline")
ENGLISH_LOCALE = {"LANG": "C.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
NORWEGIAN_LOCALE = {"LANG": "nb_NO.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
runner = CliRunner()

HEADINGS = {
    "handover-flows": "Overganger mellom virksomheter",
    "shared-users": "Felles brukere mellom virksomheter",
    "handover-of-work": "Ansvarsoverføring mellom ansatte",
}


def network(*args, env=ENGLISH_LOCALE):
    return runner.invoke(app, ["network", *map(str, args)], env=env)


def write(out: Path, kind: str, shape: str, *args, data: Path = OSLO, env=ENGLISH_LOCALE) -> Path:
    how = ("--timeline",) if shape == "timeline" else ("--format", "html")
    result = network(kind, data, *how, *args, "--out", out, env=env)
    assert result.exit_code == 0, result.output
    return out


def page_data(page: Path | str) -> dict:
    """The page's graph data (nodes, edges, months) and its scripts' words."""
    text = page if isinstance(page, str) else page.read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json" id="network-data">(.*?)</script>', text, re.S)
    return json.loads(found.group(1))


def visible_text(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", text).split()))


def everything_said(page: Path) -> str:
    """What a reader can meet: the text, the labels read aloud, every tooltip and the scripts' words."""
    text = page.read_text(encoding="utf-8")
    frame = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
    labels = [html.unescape(v) for v in re.findall(r'(?:aria-label|title)="([^"]*)"', frame)]
    data = page_data(page)
    tips = [item.get("title", "") for item in data["nodes"] + data["edges"]]
    tips += [row[3] for step in data.get("steps", []) for part in ("n", "e") for row in step[part]]
    words = json.dumps(data["words"], ensure_ascii=False)
    return "\n".join([visible_text(page), *labels, *tips, words])


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[tuple[str, str, str], Path]:
    folder = tmp_path_factory.mktemp("languages")
    return {(kind, shape, lang): write(folder / f"{kind}-{shape}-{lang}.html", kind, shape, "--lang", lang)
            for kind in KINDS for shape in SHAPES for lang in ("en", "nb")}


# --- what a Norwegian page says ---------------------------------------------------------------


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("kind", KINDS)
def test_the_norwegian_page_is_in_norwegian(pages, kind, shape):
    page = pages[kind, shape, "nb"]
    text = page.read_text(encoding="utf-8")
    said = visible_text(page)
    assert '<html lang="nb">' in text
    heading = HEADINGS[kind] + (", måned for måned" if shape == "timeline" else "")
    assert f"<h1>{heading}</h1>" in text and f"<title>{heading}</title>" in text
    for phrase in ("Datasett: oslo-nav-district", "Farge: forvaltningsnivå" if kind != "handover-of-work"
                   else "Farge: yrke", "Størrelse", "Linjer", "Arealet øker med", "Filtrer på …", "Nullstill",
                   "Hold musen over en sirkel eller en linje for å se tallene."):
        assert phrase in said, phrase
    if shape == "page":
        assert "Sterkeste koblinger (" in said and "periode: alle datoer" in said
    else:
        assert "Spill av" in said and "sakte normal rask" in said and "per måned (hold musen over" in said
        assert re.search(r"periode: \d{4}-\d\d til \d{4}-\d\d, måned for måned", said)
    if kind == "handover-flows":
        assert "tidsvindu: 30 dager" in said and "virksomheter med brukere" in said
        assert "En pil går fra virksomheten der et forløp ble avsluttet" in said
    if kind == "shared-users":
        assert "felles brukere, summert over koblingene" in said
    if kind == "handover-of-work":
        assert "roller: alle" in said and "ansatte med brukere" in said


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("kind", KINDS)
def test_no_english_text_of_the_catalogue_is_left_on_the_norwegian_page(pages, kind, shape):
    """Every English text of the network pages (and each part of three words or more between
    its blanks) is absent from the Norwegian page, tooltips and scripts' words included."""
    en, nb = catalogue("en"), catalogue("nb")
    english = set()
    for key, text in en.items():
        if key.startswith("network.") and text != nb[key]:
            english |= {part.strip(" .,:;()") for part in re.split(r"\{[^}]*\}", text)
                        if len(part.split()) >= 3 or ("{" not in text and len(part.split()) >= 2)}
    assert len(english) > 40                      # the check has something to look for
    said = everything_said(pages[kind, shape, "nb"])
    left = sorted(text for text in english if text in said)
    assert not left, left[:5]
    # and the English page does say them: the check would see them if they were left
    assert sum(text in everything_said(pages[kind, shape, "en"]) for text in english) > 15


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("kind", KINDS)
def test_both_languages_draw_the_same_nodes_and_edges(pages, kind, shape):
    def drawn(page):
        data = page_data(page)
        nodes = [{k: v for k, v in n.items() if k != "title"} for n in data["nodes"]]
        edges = [{k: v for k, v in e.items() if k != "title"} for e in data["edges"]]
        steps = [[[row[:3] for row in step[part]] for part in ("n", "e")] for step in data.get("steps", [])]
        return nodes, edges, steps, data.get("months"), data.get("totals"), data["filterable"]

    en, nb = drawn(pages[kind, shape, "en"]), drawn(pages[kind, shape, "nb"])
    assert en == nb and en[0] and en[1]


def test_tooltips_speak_norwegian(pages):
    data = page_data(pages["handover-flows", "page", "nb"])
    tip = next(n["title"] for n in data["nodes"] if n["id"] == "tsb-ous").splitlines()
    assert tip[1] == "tsb-ous · TSB · spesialisthelsetjenesten · Oslo"
    assert re.fullmatch(r"brukere med tjenester: \d+", tip[2]) and re.fullmatch(r"overganger ut: \d+ · inn: \d+", tip[3])
    work = page_data(pages["handover-of-work", "page", "nb"])
    edge = work["edges"][0]["title"].splitlines()
    assert re.fullmatch(r".+ → .+: \d+ ansvarsoverføringer", edge[0])
    assert re.fullmatch(r"\d+,\d\u00a0% av alle ansvarsoverføringer \(vekt 0,\d{4}\)", edge[1])


def test_numbers_are_written_the_norwegian_way():
    graph = nx.Graph(name="shared users")
    graph.add_node("a", name="NAV A", level="municipal", users_served=1234)
    graph.add_node("b", name="DPS B", level="specialist", users_served=2000)
    graph.add_edge("a", "b", count=1500, weight=1500)
    nb, en = network_html(graph, lang="nb"), network_html(graph, lang="en")
    assert "Størst: <b>2\u00a0000</b>" in nb and "Tykkest: <b>1\u00a0500</b>" in nb
    assert "brukere med tjenester: 1\u00a0234" in page_data(nb)["nodes"][0]["title"]
    assert "Largest: <b>2,000</b>" in en and "users served: 1,234" in page_data(en)["nodes"][0]["title"]
    assert page_data(nb)["edges"][0]["count"] == page_data(en)["edges"][0]["count"] == 1500


def test_the_notes_are_in_norwegian(tmp_path):
    grouped = write(tmp_path / "grouped.html", "handover-of-work", "page", "--role", "coordinator",
                    "--max-nodes", "7", "--lang", "nb", data=TINY)
    said = visible_text(grouped)
    assert ("8 ansatte er flere enn --max-nodes 7, så hver sirkel er en virksomhet (4 her), og hver pil summerer "
            "ansvarsoverføringene fra de ansatte i én virksomhet til de ansatte i en annen") in said
    assert "roller: koordinator" in said
    lonely = write(tmp_path / "lonely.html", "handover-flows", "timeline", "--lang", "nb")
    assert "1 virksomhet uten koblinger i perioden er ikke tegnet; med --keep-isolated kommer den med." \
        in visible_text(lonely)


# --- which language -----------------------------------------------------------------------------


@pytest.mark.parametrize("shape", SHAPES)
def test_the_language_follows_a_norwegian_locale_and_the_option_wins(tmp_path, shape):
    from_locale = write(tmp_path / "a.html", "shared-users", shape, data=TINY, env=NORWEGIAN_LOCALE)
    assert '<html lang="nb">' in from_locale.read_text(encoding="utf-8")
    assert HEADINGS["shared-users"] in visible_text(from_locale)
    chosen = write(tmp_path / "b.html", "shared-users", shape, "--lang", "en", data=TINY, env=NORWEGIAN_LOCALE)
    assert '<html lang="en">' in chosen.read_text(encoding="utf-8")
    assert "Users shared between agencies" in visible_text(chosen)
    english = write(tmp_path / "c.html", "shared-users", shape, data=TINY)
    assert '<html lang="en">' in english.read_text(encoding="utf-8")


def test_csv_and_gexf_are_data_and_take_no_language():
    for fmt in ("csv", "gexf"):
        refused = network("shared-users", TINY, "--format", fmt, "--lang", "nb")
        assert refused.exit_code == 2 and f"--lang shape the html page; {fmt} is data" in refused.stderr
        assert network("shared-users", TINY, "--format", fmt, env=NORWEGIAN_LOCALE).stdout == \
            network("shared-users", TINY, "--format", fmt).stdout


# --- in a browser -------------------------------------------------------------------------------


def test_chromium_draws_the_norwegian_page_and_its_filter_menu_speaks_norwegian(pages):
    script = """
      itemControl.addItem('node'); propControl.addItem('agency_level');
      var properties = Object.keys(propControl.options).map(function (k) { return propControl.options[k].title; });
      var values = Object.keys(valueControl.options).map(function (k) { return valueControl.options[k].title; });
      valueControl.addItem('specialist'); highlightFilter(filter);
      var kept = nodes.get({filter: function (n) { return !n.hidden; }}).map(function (n) { return n.id; }).sort();
      valueControl.setTextboxValue('zzz'); valueControl.refreshOptions(true);
      setTimeout(function () {
        var none = document.querySelector('.ts-dropdown .no-results');
        window.__probe.result = {properties: properties.sort(), values: values.sort(), kept: kept,
                                 none: none ? none.textContent : null, lang: document.documentElement.lang};
      }, 200);"""
    record = probe(pages["shared-users", "page", "nb"], script)
    assert record["errors"] == [] and record["alerts"] == 0 and record["resources"] == []
    assert record["drawn"] == "yes" and record["title"] == HEADINGS["shared-users"]
    result = record["result"]
    assert result["lang"] == "nb"
    assert result["properties"] == ["brukere", "forvaltningsnivå", "kommune", "navn", "virksomhetstype"]
    assert result["values"] == ["kommunal", "privat eller ideell", "spesialisthelsetjenesten"]
    assert result["kept"] == ["dps-lov", "tsb-ous"]      # the filter keeps the same nodes as in English
    assert result["none"] == "Ingen treff"


def test_chromium_plays_the_norwegian_timeline(pages):
    page = pages["handover-flows", "timeline", "nb"]
    data = page_data(page)
    months = data["months"]
    quiet = next(i for i, step in enumerate(data["steps"]) if len(step["n"]) < len(data["nodes"]))
    record = probe(page, """handoverTimeline.show(0);
      var button = document.getElementById('play'), before = [button.textContent, button.getAttribute('aria-label')];
      button.click();
      setTimeout(function () {
        var playing = [button.textContent, button.getAttribute('aria-label')], at = handoverTimeline.current();
        button.click();
        handoverTimeline.show(%d);
        var faded = nodes.get({filter: function (n) { return n.users_served === 0; }}).map(function (n) { return n.title; });
        window.__probe.result = {before: before, playing: playing, at: at,
                                 paused: [button.textContent, button.getAttribute('aria-label')], faded: faded,
                                 player: document.querySelector('.player').getAttribute('aria-label')};
      }, 3000);""" % quiet, wait_ms=3500, budget_ms=12000)
    assert record["errors"] == [] and record["resources"] == [] and record["drawn"] == "yes"
    result = record["result"]
    assert result["faded"]                                  # a month in which some agency has no users
    assert result["before"] == result["paused"] == ["▶ Spill av", "Spill av"]
    assert result["playing"] == ["❚❚ Pause", "Pause"]
    assert 3 <= result["at"] < len(months)                 # about one month per 800 ms
    assert result["player"] == "Velg måned"
    assert all(title.endswith("\ningen brukere denne måneden") for title in result["faded"])
