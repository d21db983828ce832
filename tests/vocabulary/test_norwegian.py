"""The built-in Norwegian vocabulary guesses the contract's tables, columns and values from an export."""

from __future__ import annotations

import pytest

from handover.io.norwegian import (
    COLUMN_HEADERS, TABLE_COLUMN_HEADERS, TABLE_NAMES, VALUE_CODES, guess_column, guess_table, guess_value,
    normalise,
)
from handover.model import TABLES, VOCABULARIES


def test_the_examples_an_analyst_meets_first():
    assert guess_table("Ansvar") == "responsibilities"
    assert guess_column("responsibilities", "BrukerID") == "user_id"
    assert guess_value("role", "Koordinator") == "coordinator"


@pytest.mark.parametrize("text", ["Bruker_ID", "bruker-id", "  BRUKER ID ", "Bruker / id", "bruker__-id"])
def test_case_spaces_underscores_dashes_and_slashes_do_not_matter(text):
    assert guess_column("users", text) == "user_id"


@pytest.mark.parametrize("vocabulary, text, value", [
    ("agency_kind", "NAV-kontor", "nav_office"),
    ("agency_kind", "Rus- og psykisk helsetjeneste", "municipal_health"),
    ("agency_kind", "rus – og psykisk helsetjeneste", "municipal_health"),  # an en dash from Excel
    ("agency_kind", "Tildelingskontor", "allocation_office"),
    ("agency_kind", "Distriktspsykiatrisk senter (DPS)", "dps"),
    ("agency_kind", "TSB", "tsb"),
    ("agency_kind", "Fastlege", "gp"),
    ("role", "Fastlege", "gp"),
    ("role", "PRIMÆRKONTAKT", "contact"),
    ("role", "Booppfølger", "housing_support"),
    ("service_kind", "Døgnbehandling", "inpatient"),
    ("service_kind", "dogn", "inpatient"),  # a system without æ, ø, å
    ("service_kind", "Institusjon", "residential"),
    ("agency_kind", "Institusjon", "private_institution"),
    ("service_kind", "LAR", "ost"),
    ("service_kind", "Bo-oppfølging", "housing_support"),
    ("agency_level", "Helseforetak", "specialist"),
    ("plan_kind", "Individuell plan", "individual_plan"),
    ("plan_kind", "IP", "individual_plan"),
    ("discharge_kind", "Ikke planlagt", "unplanned"),
    ("discharge_kind", "ikke_planlagt", "unplanned"),
    ("discharge_kind", "Utskrevet mot råd", "unplanned"),
    ("discharge_kind", "Død", "death"),
    ("contact_kind", "Ansvarsgruppemøte", "meeting"),
    ("contact_kind", "Telefon", "phone"),
])
def test_norwegian_codes_and_displays(vocabulary, text, value):
    assert guess_value(vocabulary, text) == value


@pytest.mark.parametrize("table, header, column", [
    ("agencies", "Enhetsnavn", "name"),
    ("agencies", "Virksomhet", "name"),
    ("agencies", "VirksomhetID", "agency_id"),
    ("services", "Virksomhet", "agency_id"),
    ("agencies", "Virksomhetstype", "kind"),
    ("agencies", "Forvaltningsnivå", "level"),
    ("services", "Tjenestetype", "kind"),
    ("plans", "Plantype", "kind"),
    ("plans", "Sist revidert", "last_revised"),
    ("episodes", "Innskrevet", "start"),
    ("episodes", "Utskrevet", "end"),
    ("episodes", "utskrivningsaarsak", "discharge_kind"),
    ("contacts", "Kontaktdato", "date"),
    ("users", "Fødselsår", "birth_year"),
    ("users", "Bostedskommune", "municipality"),
    ("staff", "Stilling", "profession"),
    ("employments", "Fra dato", "start"),
    ("employments", "Til dato", "end"),
])
def test_norwegian_headers(table, header, column):
    assert guess_column(table, header) == column


def test_a_header_names_only_columns_of_its_own_table():
    assert guess_column("services", "Plantype") is None
    assert guess_column("episodes", "Dato") is None
    assert guess_column("users", "Navn") is None  # a person's name is no column of the contract


def test_a_last_day_included_is_not_guessed_as_the_end():
    # "til og med" is the last day of the interval, one day before the contract's end.
    assert guess_column("responsibilities", "Til og med") is None
    assert guess_column("responsibilities", "t.o.m.") is None


def test_a_national_id_is_never_guessed_as_the_user_id():
    assert guess_column("users", "Fødselsnummer") is None
    assert guess_column("users", "personnummer") is None


def test_unknown_words_guess_nothing():
    assert guess_table("Budsjett") is None
    assert guess_column("responsibilities", "Farge") is None
    assert guess_value("role", "Sjef") is None
    assert guess_value("agency_kind", "Helseforetak") is None  # DPS, TSB or hospital: the analyst says


def test_the_english_contract_names_guess_themselves():
    for table in TABLES:
        assert guess_table(table) == table
        assert guess_table(table.upper() + ".csv") == table
        for column in TABLES[table].column_names:
            assert guess_column(table, column) == column
    for vocabulary, values in VOCABULARIES.items():
        for value in values:
            assert guess_value(vocabulary, value) == value
            assert guess_value(vocabulary, value.replace("_", " ").title()) == value


@pytest.mark.parametrize("table", list(TABLE_NAMES))
def test_every_norwegian_table_name_guesses_its_table(table):
    assert table in TABLES
    for name in TABLE_NAMES[table]:
        assert name == normalise(name) and guess_table(name) == table, name


def test_every_norwegian_header_guesses_a_column_of_its_table():
    assert set(COLUMN_HEADERS) <= {c for t in TABLES.values() for c in t.column_names}
    for table in TABLES:
        specific = TABLE_COLUMN_HEADERS.get(table, {})
        own = {header: column for column, headers in specific.items() for header in headers}
        for column in TABLES[table].column_names:
            for header in COLUMN_HEADERS.get(column, ()) + specific.get(column, ()):
                # A table's own words win: "virksomhet" is the name in agencies, an agency elsewhere.
                expected = own.get(header, column)
                assert header == normalise(header) and guess_column(table, header) == expected, (table, header)
    for table, columns in TABLE_COLUMN_HEADERS.items():
        assert set(columns) <= set(TABLES[table].column_names), table


@pytest.mark.parametrize("vocabulary", list(VOCABULARIES))
def test_every_norwegian_code_maps_to_a_value_of_the_contract(vocabulary):
    codes = VALUE_CODES[vocabulary]
    assert set(codes) <= set(VOCABULARIES[vocabulary])
    for value, words in codes.items():
        assert words, value
        for word in words:
            assert word == normalise(word), word  # the keys are written as they are matched
            assert guess_value(vocabulary, word) == value, word


def test_every_vocabulary_has_norwegian_codes_for_every_value():
    assert list(VALUE_CODES) == list(VOCABULARIES)
    for vocabulary, values in VOCABULARIES.items():
        assert set(VALUE_CODES[vocabulary]) == set(values), vocabulary


def test_unknown_tables_and_vocabularies_are_programming_errors():
    with pytest.raises(KeyError):
        guess_column("budget", "BrukerID")
    with pytest.raises(KeyError):
        guess_value("colour", "rød")


def test_the_bundled_norwegian_export_is_guessed_as_its_mapping_says():
    # fixtures/norwegian-export/mapping.toml was written by hand for a realistic export:
    # every sheet, header and code in it is guessed the same way.
    from pathlib import Path

    tomllib = pytest.importorskip("tomllib")  # Python 3.11 on

    path = Path(__file__).resolve().parents[2] / "fixtures" / "norwegian-export" / "mapping.toml"
    if not path.exists():
        pytest.skip("the norwegian-export fixture is not there")
    mapping = tomllib.loads(path.read_text(encoding="utf-8"))
    wrong = []
    for table, spec in ((t, s) for t, s in mapping.items() if t in TABLES):
        if guess_table(spec["source"]) != table:
            wrong.append((table, spec["source"]))
        for column, header in spec.get("columns", {}).items():
            if guess_column(table, header) != column:
                wrong.append((table, column, header))
        for column, codes in spec.get("values", {}).items():
            vocabulary = TABLES[table].column(column).vocabulary
            wrong += [(vocabulary, code) for code, value in codes.items() if guess_value(vocabulary, code) != value]
    assert wrong == []
