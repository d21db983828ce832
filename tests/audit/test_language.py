"""``handover audit --lang nb``: the page and the workbook as a Norwegian quality adviser reads them.

The English page is the reference: every text of the catalogue that the English page shows
must be gone from the Norwegian one, while the rows and numbers stay the same.
"""

from __future__ import annotations

import re
import string
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from handover.cli import app
from handover.engines import MemoryEngine
from handover.findings import find
from handover.io import read_dataset
from handover.locale import catalogue
from handover.render.audit_page import audit_html
from handover.reports.audit_tables import audit_tables
from tests.pageprobe import probe

OSLO = Path(__file__).resolve().parents[2] / "fixtures" / "oslo-nav-district"
CSV_FILES = ["discharges.csv", "summary_by_agency.csv", "summary_by_month.csv", "summary_overall.csv"]
# The runs compared: the default (suppressed; as_of makes the note on open follow-up windows
# appear), every number with other options, and a period without discharges.
SCENARIOS = {
    "suppressed": ["--as-of", "2024-08-20"],
    "internal": ["--as-of", "2024-08-20", "--no-suppress", "--follow-up-by", "any", "--max-days", "14",
                 "--since", "2023-06-01", "--until", "2024-08-20"],
    "empty": ["--since", "2030-01-01"],
}
NORWEGIAN_LOCALE = {"LC_ALL": None, "LC_MESSAGES": None, "LANG": "nb_NO.UTF-8"}

runner = CliRunner()


def audit(out: Path, *args, env=None) -> Path:
    result = runner.invoke(app, ["audit", str(OSLO), "--out", str(out), *map(str, args)], env=env)
    assert result.exit_code == 0, result.output
    return out


class _Visible(HTMLParser):
    """The text a reader sees (tooltips included), each text node apart; CSS left out."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._style = 0

    def handle_starttag(self, tag, attrs):
        self._style += tag in ("style", "script")

    def handle_endtag(self, tag):
        self._style -= tag in ("style", "script")

    def handle_data(self, data):
        if not self._style and data.strip():
            self.parts.append(re.sub(r"[ \t\r\n]+", " ", data).strip())   # no-break spaces kept


def visible(folder: Path) -> str:
    parser = _Visible()
    parser.feed((folder / "audit.html").read_text(encoding="utf-8"))
    return "\n".join(parser.parts)


def page(folder: Path) -> str:
    return (folder / "audit.html").read_text(encoding="utf-8")


def said(fragment: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(fragment)}(?!\w)", text) is not None


# English words that are Norwegian too, and may stand alone on a Norwegian page.
SAME_IN_BOTH = {"median", "Histogram", "handover"}  # handover: the program's name, in the meta line


def english_fragments() -> set[str]:
    """The literal pieces of every English text of the catalogue (the parts between its
    {fields}) that say something in words: a word of four letters or more, not all capitals
    (names such as HEDIS or FUH, FUI are the same in Norwegian)."""
    pieces = set()
    for text in catalogue("en").values():
        for literal, *_ in string.Formatter().parse(text):
            for piece in literal.split("\n"):
                piece = piece.strip(" :;,.()")
                if re.search(r"[A-Za-z]*[a-z]{4,}", piece) and piece not in SAME_IN_BOTH:
                    pieces.add(piece)
    return pieces


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[tuple[str, str], Path]:
    return {(name, lang): audit(tmp_path_factory.mktemp(f"{name}-{lang}"), *args, "--lang", lang)
            for name, args in SCENARIOS.items() for lang in ("en", "nb")}


def test_the_page_is_in_norwegian(runs):
    html = page(runs["suppressed", "nb"])
    assert '<html lang="nb">' in html
    assert "<title>Oppfølging etter utskrivning – gjennomgang av overganger</title>" in html
    assert re.findall(r"<h[12]>(.*?)</h[12]>", html) == [
        "Oppfølging etter utskrivning", "Diagrammer", "Hva målene betyr", "Tabeller", "Filer"]
    assert re.findall(r"<caption>(.*?)</caption>", html) == ["Per utskrivende virksomhet", "Per utskrivningsmåned"]
    agency_table = html[html.index("<caption>Per utskrivende virksomhet"):html.index("</thead>")]
    assert re.findall(r"<th\b[^>]*>(.*?)</th>", agency_table) == [
        "Virksomhet", "Utskrivninger", "Koordinator ved utskrivning", "Fulgt opp ≤ 7 dager",
        "Fulgt opp ≤ 30 dager", "Median dager<br>til oppfølging", "Reinnlagt ≤ 30 dager"] + ["n", "%"] * 4
    text = visible(runs["suppressed", "nb"])
    for phrase in ("Oppfølging innen 7 dager", "Median antall dager til oppfølging", "Reinnlagt innen 30 dager",
                   "Per utskrivningsmåned", "Prikking av små tall er slått på", "vises som <5 (færre enn 5)",
                   "Færre enn 5 utskrivninger skjedde mindre enn 30 dager før 2024-08-20",
                   "Noen hadde koordinatorrollen for brukeren", "kommunal rus- og psykisk helsetjeneste",
                   "Selve utskrivningsdagen teller aldri", "Stiplede grå merker er små tall som er skjult (<5).",
                   "Dager fra utskrivning til første oppfølging", "oppfølging fra: kommunale virksomheter"):
        assert phrase in text, phrase


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_no_english_text_is_left_on_the_norwegian_page(runs, scenario):
    # The links name the files, which are called the same in both languages.
    english, norwegian = (re.sub(r"\w+\.(csv|xlsx)", "", visible(runs[scenario, lang])) for lang in ("en", "nb"))
    shown = {piece for piece in english_fragments() if said(piece, english)}
    assert len(shown) >= (5 if scenario == "empty" else 40)      # the comparison has something to compare
    assert sorted(piece for piece in shown if said(piece, norwegian)) == []


def test_the_options_are_explained_in_norwegian(runs):
    text = visible(runs["internal", "nb"])
    assert "Prikking av små tall er slått AV (--no-suppress)" in text and "denne siden skal ikke deles" in text
    assert "utskrivninger 2023-06-01 til 2024-08-20" in text and "oppfølging fra: alle virksomheter" in text
    assert "også den som skrev ut brukeren" in text and "bare til og med dag 14" in text
    assert "1 utskrivning skjedde mindre enn 30 dager før 2024-08-20" in text
    empty = visible(runs["empty", "nb"])
    assert "Per utskrivende virksomhet: ingen utskrivninger." in empty
    assert "Per utskrivningsmåned: ingen utskrivninger." in empty


def test_numbers_are_written_the_norwegian_way(runs):
    text = visible(runs["suppressed", "nb"])
    assert "47,1\u00a0%" in text and "8 av 17" in text                  # the coordinator card
    assert "38,5\u00a0% (5 av 13)" in text                              # tsb-ous's coverage bar
    assert "6,5" in text                                                # the median days
    assert not re.search(r"\d\.\d", text.replace("handover 0.1.0", ""))  # no decimal point anywhere
    assert "38.5\u00a0% (5 of 13)" in visible(runs["suppressed", "en"])


def test_thousands_are_grouped_with_a_space():
    one = find(MemoryEngine(read_dataset(OSLO)), "discharge_follow_up")
    many = pd.concat([one] * 73, ignore_index=True)                    # 1,241 discharges
    tables = audit_tables(many, suppress=False)
    nb = audit_html(tables, title="Oppfølging etter utskrivning", as_of=None, lang="nb")
    en = audit_html(tables, title="Follow-up after discharge", as_of=None, lang="en")
    assert '<span class="n">1\u00a0241</span>' in nb and "584 av 1\u00a0241" in nb
    assert '<span class="n">1,241</span>' in en and "584 of 1,241" in en


def _cells(html: str) -> list[str]:
    return re.findall(r'<td class="(?:k|v|hid)">(.*?)</td>', html)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_both_languages_have_the_same_rows_and_numbers(runs, scenario):
    en, nb = runs[scenario, "en"], runs[scenario, "nb"]
    for name in CSV_FILES:                                  # the data contract: the very same files
        assert (en / name).read_bytes() == (nb / name).read_bytes(), name
    english_cells = _cells(page(en))
    assert [cell.replace(",", ".") for cell in _cells(page(nb))] == english_cells
    summary_rows = sum((en / name).read_text(encoding="utf-8").count("\n") - 1 for name in CSV_FILES[1:3])
    assert len(english_cells) == 11 * summary_rows               # 11 cells in each row of the two tables
    books = openpyxl.load_workbook(en / "discharges.xlsx"), openpyxl.load_workbook(nb / "discharges.xlsx")
    for sheet_en, sheet_nb in zip(*(book.worksheets[:4] for book in books)):
        rows_en = list(sheet_en.iter_rows(min_row=2, values_only=True))
        assert rows_en == list(sheet_nb.iter_rows(min_row=2, values_only=True))
        assert sheet_en.max_column == sheet_nb.max_column


def test_the_workbook_has_norwegian_sheets_and_headings(runs):
    book = openpyxl.load_workbook(runs["suppressed", "nb"] / "discharges.xlsx")
    assert book.sheetnames == ["Utskrivninger", "Per virksomhet", "Per måned", "Totalt", "Om"]
    header = [cell.value for cell in book["Utskrivninger"][1]]
    assert header[:5] == ["Bruker-ID", "Forløp", "Virksomhet", "Virksomhetsnavn", "Utskrivningsdato"]
    assert "Oppfølging innen 7 dager" in header and "Reinnlagt innen 30 dager" in header
    agencies = book["Per virksomhet"]
    header = [cell.value for cell in agencies[1]]
    assert header[2:5] == ["Utskrivninger", "Med koordinator", "Andel med koordinator (%)"]
    rows = {r[0]: r for r in agencies.iter_rows(min_row=2, values_only=True)}
    assert rows["tsb-ous"][2] == 13 and rows["tsb-ous"][4] == 38.5 and rows["dps-lov"][2] == "<5"
    about = " ".join(str(c.value) for c in book["Om"]["A"])
    assert about.startswith("Oppfølging etter utskrivning (handover – gjennomgang av overganger)")
    assert "Prikking av små tall er slått på" in about and "færre enn 5" in about
    assert "Arket Utskrivninger viser hver utskrivning" in about


def test_a_norwegian_locale_gives_norwegian_and_lang_en_overrides_it(tmp_path):
    by_locale = audit(tmp_path / "locale", env=NORWEGIAN_LOCALE)
    assert '<html lang="nb">' in page(by_locale)
    assert openpyxl.load_workbook(by_locale / "discharges.xlsx").sheetnames[0] == "Utskrivninger"
    asked = audit(tmp_path / "asked", "--lang", "en", env=NORWEGIAN_LOCALE)
    assert '<html lang="en">' in page(asked) and "<h1>Follow-up after discharge</h1>" in page(asked)
    english = audit(tmp_path / "english", env={"LC_ALL": None, "LC_MESSAGES": None, "LANG": "C.UTF-8"})
    assert '<html lang="en">' in page(english)


def test_an_unknown_language_is_refused(tmp_path):
    result = runner.invoke(app, ["audit", str(OSLO), "--out", str(tmp_path / "out"), "--lang", "sv"])
    assert result.exit_code == 2 and "--lang: sv is not one of: en, nb" in result.stderr
    assert not (tmp_path / "out" / "audit.html").exists()


def test_chromium_shows_the_norwegian_page_offline(runs):
    script = """window.__probe.result = {
      lang: document.documentElement.lang,
      headings: Array.prototype.map.call(document.querySelectorAll('h1, h2'), function (h) { return h.textContent; }),
      cards: Array.prototype.map.call(document.querySelectorAll('.card .label'), function (s) { return s.textContent; }),
      text: document.body.innerText};"""
    record = probe(runs["suppressed", "nb"] / "audit.html", script)
    assert record["errors"] == [] and record["resources"] == [] and record["alerts"] == 0
    assert record["title"] == "Oppfølging etter utskrivning – gjennomgang av overganger"
    result = record["result"]
    assert result["lang"] == "nb"
    assert result["headings"] == ["Oppfølging etter utskrivning", "Diagrammer", "Hva målene betyr", "Tabeller", "Filer"]
    assert result["cards"] == ["Utskrivninger", "Koordinator ved utskrivning", "Oppfølging innen 7 dager",
                               "Oppfølging innen 30 dager", "Median antall dager til oppfølging",
                               "Reinnlagt innen 30 dager"]
    assert "Prikking av små tall er slått på" in result["text"] and "47,1" in result["text"]


def test_the_help_offers_the_language():
    result = runner.invoke(app, ["audit", "--help"])
    assert result.exit_code == 0 and "--lang" in result.output and "Norwegian" in result.output
