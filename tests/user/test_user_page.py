"""`handover user USER_ID DATA_DIR --out page.html`: one user's story, checked in Chromium."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from handover.cli import app
from handover.findings import FINDINGS
from handover.io import read_dataset
from handover.render.results import render
from handover.reports.user_story import user_story
from tests.audit.test_browser import count_colour, png_pixels, run_chromium
from tests.datasets import FIXTURES, write_dataset
from tests.pageprobe import probe, screenshot

OSLO = FIXTURES / "oslo-nav-district"
PAYLOAD = '<img src=x onerror=alert(1)>'
WITHOUT_RED = (0xB3, 0x26, 0x1E)
MUNICIPAL_BLUE = (0x0B, 0x4F, 0x8A)
runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    folder = tmp_path_factory.mktemp("users")
    made = {}
    for user in ("u09", "u12"):
        out = folder / f"{user}.html"
        result = invoke("user", user, OSLO, "--out", out)
        assert result.exit_code == 0, result.output
        made[user] = out
    return made


def test_the_page_opens_offline_and_says_who(pages):
    text = pages["u09"].read_text(encoding="utf-8")
    assert "<script" not in text and "http" not in text and "<link" not in text
    assert "<title>User u09: responsibility over time</title>" in text


def test_an_unknown_user_exits_2_naming_the_id(tmp_path):
    result = invoke("user", "u404", OSLO, "--out", tmp_path / "p.html")
    assert result.exit_code == 2
    assert "user u404 is not in the dataset's users (20 users" in result.stderr
    assert not (tmp_path / "p.html").exists()


@pytest.mark.parametrize("user", ["u02", "u09", "u12", "u14", "u18"])
def test_the_findings_are_the_hand_worked_rows_of_the_user(user):
    # Against the fixture's hand-worked expected rows (fixtures/oslo-nav-district/expected),
    # not against the code the page itself calls.
    story = user_story(read_dataset(OSLO), user)
    for name, finding in FINDINGS.items():
        lines = (OSLO / "expected" / f"{name}.csv").read_text(encoding="utf-8").splitlines()
        expected = [lines[0]] + [line for line in lines[1:] if line.split(",")[0] == user]
        assert render(story.findings[name], finding.schema, "csv").splitlines() == expected, name


def test_the_timeline_marks_handovers_gaps_and_follow_ups(pages):
    dom = run_chromium(pages["u09"], "--dump-dom").stdout
    # u09 (fixtures/oslo-nav-district/README.md): handovers on 2023-03-10 and 2023-06-05 without a
    # coordinator, on 2023-09-11 with one; six episodes; discharges e030 (no follow-up), e031 and e034.
    assert len(re.findall(r'<g class="handover without"', dom)) == 2
    assert len(re.findall(r'<g class="handover with"', dom)) == 1
    assert len(re.findall(r'<rect class="bar episode', dom)) == 6
    assert len(re.findall(r'<g class="follow-up', dom)) == 3
    assert 'class="follow-up none"' in dom
    assert "handover 2023-03-10: tsb-ous → rus-gl, next episode after 17 days, NO coordinator" in dom
    assert 'class="gap"' not in dom
    gaps = run_chromium(pages["u12"], "--dump-dom").stdout
    assert len(re.findall(r'<rect class="gap"', gaps)) == 1   # two plans' gaps overlap: one band
    assert "no coordinator for 295 days while individual plan p032" in gaps
    assert re.search(r'<span class="n">(\d+)</span><span class="sub">on an individual plan', gaps).group(1) == "295"


def test_chromium_draws_the_story(pages, tmp_path):
    shot = screenshot(pages["u09"], tmp_path / "u09.png", window="1280,1100")
    pixels = png_pixels(shot)
    assert count_colour(pixels, MUNICIPAL_BLUE) > 10_000   # the NAV plan, coordinator and caseworker bars
    assert count_colour(pixels, WITHOUT_RED) > 300         # the two red handover markers and their lines
    record = probe(pages["u09"])
    assert record["errors"] == [] and record["resources"] == [] and record["alerts"] == 0


def test_names_with_html_show_as_text(tmp_path):
    dataset = read_dataset(OSLO)
    agencies = dataset["agencies"]
    agencies.loc[agencies["agency_id"] == "tsb-ous", "name"] = PAYLOAD
    services = dataset["services"]
    services.loc[services["service_id"] == "sv-tsb-avr", "name"] = "</svg><script>alert(2)</script>"
    folder = write_dataset(dataset, tmp_path / "data")
    out = tmp_path / "u09.html"
    assert invoke("user", "u09", folder, "--out", out).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert PAYLOAD not in text and "<script>" not in text and "&lt;img src=x onerror=alert(1)&gt;" in text
    record = probe(out, "window.__probe.result = document.querySelector('svg.story').textContent;")
    assert record["alerts"] == 0 and record["images"] == 0 and record["errors"] == []
    assert PAYLOAD in record["result"] and "</svg><script>alert(2)</script>" in record["result"]


def test_help_explains_the_command():
    result = invoke("user", "--help")
    assert result.exit_code == 0
    assert "who was responsible" in result.output
