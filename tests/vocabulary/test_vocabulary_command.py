"""``handover vocabulary``: every value with its meanings, as tables to read and CSV for scripts."""

from __future__ import annotations

import csv
import io

from typer.testing import CliRunner

from handover.cli import app
from handover.meanings import VOCABULARY_TITLES, vocabulary_rows
from handover.model import VOCABULARIES

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, ["vocabulary", *args])


def test_the_tables_list_every_value_of_every_vocabulary_within_100_columns():
    result = invoke()
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    first_cells = {line.strip("│ ").split(" │")[0].strip() for line in lines if line.startswith("│")}
    for vocabulary, values in VOCABULARIES.items():
        assert f"{vocabulary}: {VOCABULARY_TITLES[vocabulary].en}" in result.stdout
        assert set(values) <= first_cells, vocabulary
    assert max(len(line.rstrip()) for line in lines) <= 100
    # Meanings are wrapped, not cut: every word of each meaning is there.
    shown = set(result.stdout.replace("│", " ").split())
    for _, _, meaning_en, meaning_nb in vocabulary_rows():
        assert set(meaning_en.split()) | set(meaning_nb.split()) <= shown, meaning_en


def test_csv_gives_exactly_the_rows_of_the_meanings():
    result = invoke("--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["vocabulary", "value", "meaning_en", "meaning_nb"]
    assert [tuple(row) for row in rows[1:]] == vocabulary_rows()


def test_a_name_shows_one_vocabulary():
    result = invoke("discharge_kind", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))[1:]
    assert [row[1] for row in rows] == list(VOCABULARIES["discharge_kind"])
    table = invoke("role")
    assert "role: Responsibility role (Ansvarsrolle)" in table.stdout
    assert "agency_kind" not in table.stdout


def test_an_unknown_name_or_format_is_refused_with_the_allowed_values():
    result = invoke("colour")
    assert result.exit_code == 2
    assert "NAME: colour is not one of: agency_kind, agency_level" in result.output
    result = invoke("--format", "json")
    assert result.exit_code == 2
    assert "--format: json is not one of: table, csv" in result.output


def test_lang_shows_the_table_in_one_language():
    nb = invoke("role", "--lang", "nb")
    assert nb.exit_code == 0, nb.output
    assert "role: Ansvarsrolle" in nb.output and "verdi" in nb.output and "betydning" in nb.output
    assert "Koordinator: den ene personen" in nb.output and "Coordinator: the one person" not in nb.output
    en = invoke("role", "--lang", "en")
    assert "role: Responsibility role" in en.output and "Ansvarsrolle" not in en.output
    assert "Coordinator: the one person" in " ".join(en.output.replace("│", " ").split())
    both = invoke("role")
    assert "Ansvarsrolle" in both.output and "Responsibility role" in both.output


def test_the_csv_keeps_both_meanings_whatever_the_language():
    assert invoke("--format", "csv", "--lang", "nb").output == invoke("--format", "csv").output
