"""The report's site in headless Chromium with the network off: it loads nothing from outside,
raises no error, and its tables sort, filter and page through every row."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from handover.cli import app
from handover.findings import FINDINGS
from tests.datasets import FIXTURES
from tests.pageprobe import probe

runner = CliRunner()


def _report(data: Path, out: Path, *args) -> Path:
    result = runner.invoke(app, ["report", str(data), "--out", str(out), *map(str, args)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def tiny_site(tmp_path_factory):
    return _report(FIXTURES / "tiny", tmp_path_factory.mktemp("site") / "report", "--lang", "nb")


@pytest.fixture(scope="module")
def region_site(tmp_path_factory):
    """A generated region of 400 users: tables of more rows than a page holds."""
    data = tmp_path_factory.mktemp("region") / "data"
    made = runner.invoke(app, ["generate", str(data), "--users", "400", "--seed", "3"])
    assert made.exit_code == 0, made.output
    return _report(data, tmp_path_factory.mktemp("site") / "report")


def _rows(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def _only_the_site(record: dict, site: Path) -> None:
    assert record["errors"] == [] and record["alerts"] == 0, record["errors"]
    outside = [url for url in record["resources"] if not url.startswith(site.resolve().as_uri())]
    assert outside == []


@pytest.mark.parametrize("page", ["index.html", "worklist.html", *(f"findings/{n}.html" for n in FINDINGS),
                                  "users/u25.html"])
def test_every_page_opens_offline_without_errors(tiny_site, page):
    _only_the_site(probe(tiny_site / page, "window.__probe.result = document.documentElement.lang;"), tiny_site)


# The table whose first column is the user id, on a finding's page.
_ROWS_TABLE = """
var boxes = Array.prototype.filter.call(document.querySelectorAll('[data-table]'), function (box) {
  return JSON.parse(box.querySelector('script.dt-data').textContent).columns[0] === 'user_id';
});
var box = boxes[0];
function cells(col) {
  return Array.prototype.map.call(box.querySelectorAll('tbody tr'), function (tr) { return tr.children[col].textContent; });
}
"""


def test_a_table_sorts_by_a_column_and_back(tiny_site):
    script = _ROWS_TABLE + """
    var th = box.querySelectorAll('th[data-col]')[9];  // overlap_days
    th.querySelector('button').click();
    var up = cells(9);
    th.querySelector('button').click();
    window.__probe.result = {up: up, down: cells(9), users: cells(0), sort: th.getAttribute('aria-sort')};
    """
    record = probe(tiny_site / "findings" / "parallel_plans.html", script)
    _only_the_site(record, tiny_site)
    days = sorted(int(r["overlap_days"]) for r in _rows(tiny_site / "parallel_plans.csv"))
    assert [int(d) for d in record["result"]["up"]] == days
    assert [int(d) for d in record["result"]["down"]] == days[::-1]
    assert record["result"]["sort"] == "descending"
    # the longest overlap is u23's, still running: 2025-01-15 to the as-of day 2025-09-30, 258 days
    assert record["result"]["users"][0] == "u23"


def test_a_table_filters_on_every_word_typed(tiny_site):
    script = _ROWS_TABLE + """
    var input = box.querySelector('.dt-filter');
    input.value = 'u25 krise';
    input.dispatchEvent(new Event('input'));
    var both = cells(0).length;
    input.value = 'u25';
    input.dispatchEvent(new Event('input'));
    var links = Array.prototype.map.call(box.querySelectorAll('tbody a'), function (a) { return a.getAttribute('href'); });
    window.__probe.result = {both: both, u25: cells(0), links: links, count: box.querySelector('.dt-count').textContent};
    """
    record = probe(tiny_site / "findings" / "parallel_plans.html", script)
    _only_the_site(record, tiny_site)
    result = record["result"]
    assert result["u25"] == ["u25"] * 3  # u25's three pairs (fixtures/tiny/expected/parallel_plans.csv)
    assert result["both"] == 2  # of them, those with the crisis plan p14 (shown as "Kriseplan")
    assert result["links"] == ["../users/u25.html"] * 3 and (tiny_site / "users" / "u25.html").is_file()
    assert "3" in result["count"]


def test_every_row_is_in_the_table_page_after_page(region_site):
    written = _rows(region_site / "discharge_follow_up.csv")
    assert len(written) > 100, "the region should have more discharges than a page shows"
    script = _ROWS_TABLE + """
    var seen = [];
    var next = box.querySelector('.dt-next');
    for (var i = 0; i < 100 && true; i++) {
      seen = seen.concat(cells(0).map(function (u, n) { return u + '|' + cells(1)[n]; }));
      if (next.disabled) break;
      next.click();
    }
    window.__probe.result = {seen: seen, count: box.querySelector('.dt-count').textContent};
    """
    record = probe(region_site / "findings" / "discharge_follow_up.html", script, budget_ms=20000)
    _only_the_site(record, region_site)
    assert record["result"]["seen"] == [f"{r['user_id']}|{r['episode_id']}" for r in written]
    assert f"{len(written)}".replace(",", "") in record["result"]["count"].replace(",", "").replace("\u00a0", "")


def test_the_user_links_of_the_worklist_open_pages_that_exist(region_site):
    script = """
    window.__probe.result = Array.prototype.map.call(document.querySelectorAll('tbody a'),
        function (a) { return a.getAttribute('href'); });
    """
    record = probe(region_site / "worklist.html", script)
    _only_the_site(record, region_site)
    links = record["result"]
    assert links
    assert all((region_site / link).is_file() for link in links)


def test_json_rows_of_every_table_match_its_csv(region_site):
    """Complete tables: the page holds every row of the finding, not the first hundred."""
    import re

    for name in FINDINGS:
        page = (region_site / "findings" / f"{name}.html").read_text(encoding="utf-8")
        tables = [json.loads(t) for t in re.findall(r'class="dt-data">(.*?)</script>', page, re.S)]
        listed = [t for t in tables if t["columns"][0] == "user_id"]
        assert len(listed) == 1 and len(listed[0]["rows"]) == len(_rows(region_site / f"{name}.csv")), name
