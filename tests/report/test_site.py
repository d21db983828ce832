"""``handover report``: the site it writes, its rates, its languages, its workbook, its periods.

Rates are checked against the hand-counted ``expected/indicators.csv`` of every fixture, with
the sharing rule applied here by hand: a count from 1 to 4 is shown as ``<5``, and so is a
share one of whose counts is hidden.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from handover.cli import app
from handover.findings import FINDINGS
from handover.locale import catalogue
from tests.datasets import FIXTURES

runner = CliRunner()
TINY = FIXTURES / "tiny"
CONTRACT_FIXTURES = sorted(p for p in FIXTURES.iterdir() if (p / "expected" / "indicators.csv").exists())


def report(data: Path, out: Path, *args, env=None):
    result = runner.invoke(app, ["report", str(data), "--out", str(out), *map(str, args)], env=env)
    assert result.exit_code == 0, result.output
    return out


def rows(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def visible_text(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", text).split()))


@pytest.fixture(scope="module")
def tiny_en(tmp_path_factory):
    return report(TINY, tmp_path_factory.mktemp("en") / "site")


@pytest.fixture(scope="module")
def tiny_nb(tmp_path_factory):
    return report(TINY, tmp_path_factory.mktemp("nb") / "site", "--lang", "nb")


# --- the site -------------------------------------------------------------------------------


def test_the_site_has_an_overview_a_page_per_finding_a_worklist_and_user_pages(tiny_en):
    names = {p.relative_to(tiny_en).as_posix() for p in tiny_en.rglob("*") if p.is_file()}
    assert {"index.html", "worklist.html", "report.xlsx", "indicators.csv"} <= names
    assert {f"findings/{name}.html" for name in FINDINGS} <= names
    assert {f"{name}.csv" for name in FINDINGS} <= names
    assert {f"worklist_{name}.csv" for name in ("no_coordinator", "turnover", "dormant")} <= names
    # u25 holds three parallel plans (fixtures/tiny/README.md): a user in a finding has a page
    assert "users/u25.html" in names


def test_every_link_of_every_page_resolves_inside_the_site(tiny_en):
    for page in tiny_en.rglob("*.html"):
        for target in re.findall(r'(?:href|src)="([^"#]+)', page.read_text(encoding="utf-8")):
            assert not re.match(r"[a-z]+:", target), f"{page.name} links out of the site: {target}"
            assert (page.parent / target).resolve().is_file(), f"{page.relative_to(tiny_en)}: {target}"


def test_every_row_of_a_finding_is_on_its_page_and_user_ids_link_to_their_story(tiny_en):
    page = (tiny_en / "findings" / "parallel_plans.html").read_text(encoding="utf-8")
    assert page.count('href="../users/u25.html"') == 3  # u25's three pairs (parallel_plans.csv)
    tables = [json.loads(found) for found in
              re.findall(r'<script type="application/json" class="dt-data">(.*?)</script>', page, re.S)]
    (listed,) = [table for table in tables if table["columns"][0] == "user_id"]
    written = rows(tiny_en / "parallel_plans.csv")
    assert [row[:3] for row in listed["rows"]] == [[r["user_id"], r["plan_a_id"], r["agency_a_id"]] for r in written]


def test_agencies_are_named_with_their_id_on_hover(tiny_en):
    page = (tiny_en / "findings" / "handover_without_coordinator.html").read_text(encoding="utf-8")
    assert 'title="a-nav">NAV Testby<' in page


# --- rates, hand-counted, with small cells hidden ---------------------------------------------


def _shared(numerator: int, denominator: int) -> tuple[str, str, str]:
    """The sharing rule, by hand: 1-4 hidden; a share hidden with either of its counts."""
    small = lambda n: 1 <= n <= 4  # noqa: E731
    num = "<5" if small(numerator) else str(numerator)
    den = "<5" if small(denominator) else str(denominator)
    if small(numerator) or small(denominator):
        share = "<5"
    else:
        share = "" if denominator == 0 else f"{100 * numerator / denominator:.1f}"
    return num, den, share


@pytest.mark.parametrize("fixture", CONTRACT_FIXTURES, ids=lambda p: p.name)
def test_overall_rates_are_the_hand_counted_ones_with_small_counts_hidden(fixture, tmp_path):
    site = report(fixture, tmp_path / "site")
    shown = {(r["finding"], r["measure"]): (r["numerator"], r["denominator"], r["value"])
             for r in rows(site / "indicators.csv") if r["scope"] == "overall"}
    for expected in rows(fixture / "expected" / "indicators.csv"):
        key = (expected["finding"], expected["measure"])
        assert shown[key] == _shared(int(expected["numerator"]), int(expected["denominator"])), key


@pytest.mark.parametrize("fixture", CONTRACT_FIXTURES, ids=lambda p: p.name)
def test_no_suppress_shows_the_hand_counted_numbers_themselves(fixture, tmp_path):
    site = report(fixture, tmp_path / "site", "--no-suppress")
    shown = {(r["finding"], r["measure"]): (r["numerator"], r["denominator"])
             for r in rows(site / "indicators.csv") if r["scope"] == "overall"}
    for expected in rows(fixture / "expected" / "indicators.csv"):
        assert shown[expected["finding"], expected["measure"]] == (expected["numerator"], expected["denominator"])


def test_no_shared_count_from_one_to_four_leaves_the_report(tiny_en):
    """Every indicator row (overall and by agency), and the overview page's numbers."""
    for row in rows(tiny_en / "indicators.csv"):
        for column in ("numerator", "denominator"):
            assert row[column] == "<5" or not 1 <= int(row[column]) <= 4, row
    index = visible_text(tiny_en / "index.html")
    assert "<5" in index


def test_the_overview_states_each_rate_with_its_denominator_and_threshold(tiny_en):
    index = visible_text(tiny_en / "index.html")
    # the hand counts of fixtures/tiny/expected/indicators.csv, with the threshold beside them
    assert "Handovers without a coordinator 81.8% 9 of 11 handovers" in index
    assert "another agency" in index and "within 30 days" in index
    assert "Followed up within 7 days 50.0% 12 of 24 discharges" in index
    assert "Users with caseworker turnover 62.5% 5 of 8 users" in index and "at least 3 times within 365 days" in index
    assert "Dormant individual plans <5 <5 of 8 plans" in index


# --- Norwegian ----------------------------------------------------------------------------------


def test_norwegian_pages_are_in_norwegian(tiny_nb):
    index = (tiny_nb / "index.html").read_text(encoding="utf-8")
    assert '<html lang="nb">' in index
    said = visible_text(tiny_nb / "index.html")
    for phrase in ("Oppfølging innen 7 dager", "koordinator", "81,8 %", "9 av 11"):
        assert phrase in said, phrase
    for page in ["worklist.html", *(f"findings/{name}.html" for name in FINDINGS), "users/u25.html"]:
        assert '<html lang="nb">' in (tiny_nb / page).read_text(encoding="utf-8"), page
    user = visible_text(tiny_nb / "users" / "u25.html")
    for phrase in ("Bruker u25 : hvem hadde ansvaret, og når", "Funn for denne brukeren", "Parallelle planer",
                   "individuell plan", "Overganger"):
        assert phrase in user, phrase


def test_no_english_text_of_the_catalogue_is_left_on_the_norwegian_pages(tiny_nb):
    en, nb = catalogue("en"), catalogue("nb")
    english = {text for key, text in en.items() if text != nb[key] and "{" not in text and len(text.split()) >= 3}
    users = sorted(p.relative_to(tiny_nb).as_posix() for p in (tiny_nb / "users").glob("*.html"))
    for page in ["index.html", "worklist.html", *(f"findings/{name}.html" for name in FINDINGS), *users]:
        said = visible_text(tiny_nb / page)
        left = sorted(text for text in english if text in said)
        assert not left, (page, left[:5])


def test_lang_follows_a_norwegian_locale_and_the_option_wins(tmp_path):
    from_locale = report(TINY, tmp_path / "a", env={"LANG": "nb_NO.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""})
    assert '<html lang="nb">' in (from_locale / "index.html").read_text(encoding="utf-8")
    chosen = report(TINY, tmp_path / "b", "--lang", "en", env={"LANG": "nb_NO.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""})
    assert '<html lang="en">' in (chosen / "index.html").read_text(encoding="utf-8")


def test_the_csv_files_keep_the_contract_column_names_in_both_languages(tiny_en, tiny_nb):
    for name in FINDINGS:
        assert (tiny_nb / f"{name}.csv").read_bytes() == (tiny_en / f"{name}.csv").read_bytes(), name
    assert (tiny_nb / "indicators.csv").read_bytes() == (tiny_en / "indicators.csv").read_bytes()


# --- the workbook --------------------------------------------------------------------------------


def test_the_norwegian_workbook_has_norwegian_sheets_headings_and_dates_as_dates(tiny_nb):
    book = openpyxl.load_workbook(tiny_nb / "report.xlsx")
    assert book.sheetnames[:2] == ["Om", "Indikatorer"]
    assert FINDINGS["parallel_plans"].text("sheet", "nb") in book.sheetnames
    sheet = book[FINDINGS["parallel_plans"].text("sheet", "nb")]
    headings = [c.value for c in sheet[1]]
    assert headings[0] == catalogue("nb")["column.user_id"]
    day = headings.index(catalogue("nb")["column.overlap_start"]) + 1
    cell = sheet.cell(row=2, column=day)
    assert cell.value.year == 2024 and cell.number_format == "yyyy-mm-dd"  # a date, shown without 00:00:00
    # hidden counts are the text <5, shown counts numbers
    indicators = book["Indikatorer"]
    values = {c.value for row in indicators.iter_rows(min_row=2) for c in row}
    assert "<5" in values and 9 in values and 11 in values


def test_the_workbook_is_the_same_file_for_the_same_data(tiny_en, tmp_path):
    again = report(TINY, tmp_path / "again")
    assert (again / "report.xlsx").read_bytes() == (tiny_en / "report.xlsx").read_bytes()


# --- periods ---------------------------------------------------------------------------------------


def test_compare_sets_two_periods_side_by_side_with_the_change(tmp_path):
    site = report(TINY, tmp_path / "site", "--compare", "2024-01-01:2024-06-30",
                  "2024-07-01:2024-12-31", "--no-suppress")
    compared = [r for r in rows(site / "comparison.csv") if r["scope"] == "overall"]
    assert compared
    for row in compared:
        a, b = row["share_a"], row["share_b"]
        if a and b:
            assert float(row["change_points"]) == pytest.approx(float(b) - float(a), abs=0.11)
    assert {r["period_a"] for r in compared} == {"2024-01-01 – 2024-06-30"}
    assert "2024-07-01 – 2024-12-31" in visible_text(site / "index.html")


def test_since_and_until_count_only_the_period(tmp_path):
    """Handovers without a coordinator are counted on their handover day (§5.1): the first half
    of 2024 counts those made in it, and the two halves add up to the year."""
    def overall(site):
        return {(r["finding"], r["measure"]): r for r in rows(site / "indicators.csv") if r["scope"] == "overall"}

    first = overall(report(TINY, tmp_path / "h1", "--since", "2024-01-01", "--until", "2024-06-30", "--no-suppress"))
    second = overall(report(TINY, tmp_path / "h2", "--since", "2024-07-01", "--until", "2024-12-31", "--no-suppress"))
    year = overall(report(TINY, tmp_path / "y", "--since", "2024-01-01", "--until", "2024-12-31", "--no-suppress"))
    key = ("handover_without_coordinator", "without_coordinator")
    for part in ("numerator", "denominator"):
        assert int(first[key][part]) + int(second[key][part]) == int(year[key][part])


def test_by_month_draws_a_chart_with_the_counts_under_it(tmp_path):
    site = report(TINY, tmp_path / "site", "--by", "quarter")
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "<svg" in index and "2024-Q1" in index
    assert {r["key"] for r in rows(site / "indicators.csv") if r["scope"] == "period"} >= {"2024-Q1", "2024-Q2"}


def test_max_user_pages_caps_the_pages_and_says_so(tmp_path):
    site = report(TINY, tmp_path / "site", "--max-user-pages", "3")
    assert len(list((site / "users").glob("*.html"))) == 3
    said = visible_text(site / "index.html")
    assert re.search(r"\b3\b", said) and "--max-user-pages" in said


# --- written whole ----------------------------------------------------------------------------------


def test_a_report_replaces_the_earlier_one_whole(tmp_path):
    """No file of an earlier report survives beside a new one (a user page of another dataset)."""
    out = report(TINY, tmp_path / "site")
    assert (out / "users" / "u25.html").exists()
    report(FIXTURES / "oslo-nav-district", out)
    assert not (out / "users" / "u25.html").exists()
    assert "oslo-nav-district" in (out / "index.html").read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # nothing left beside it


def test_a_failed_report_leaves_the_earlier_one_as_it_was(tmp_path, monkeypatch):
    out = report(TINY, tmp_path / "site")
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    import handover.render.report_workbook as workbook

    def broken(report):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(workbook, "report_workbook", broken)
    failed = runner.invoke(app, ["report", str(FIXTURES / "oslo-nav-district"), "--out", str(out)])
    assert failed.exit_code != 0
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_a_folder_of_other_files_is_not_written_over(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("my notes", encoding="utf-8")
    result = runner.invoke(app, ["report", str(TINY), "--out", str(mine)])
    assert result.exit_code == 2
    assert "holds files handover did not write as a report (notes.txt)" in " ".join(result.output.split())
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize("users", [0, 300])
def test_the_report_is_the_same_made_on_one_core_or_several(tmp_path, users):
    """The pages, the workbook and the user pages are made in worker processes: the same files
    as one after another (300 generated users: the user pages are split between the workers)."""
    from handover.engines import MemoryEngine
    from handover.io import read_dataset
    from handover.reports.summary import write_report

    data = TINY
    if users:
        data = tmp_path / "region"
        made = runner.invoke(app, ["generate", str(data), "--users", str(users), "--seed", "5"])
        assert made.exit_code == 0, made.output
    dataset = read_dataset(data)
    written = {}
    for workers in (1, 2):
        out = write_report(MemoryEngine(dataset), tmp_path / f"w{workers}", workers=workers, by="quarter").parent
        written[workers] = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert written[1] == written[2]
    assert len([name for name in written[2] if name.startswith("users/")]) >= (100 if users else 40)
