"""`handover generate`: valid, reproducible, and looking like the field (DOMAIN.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from handover.cli import app
from handover.engines import MemoryEngine
from handover.errors import InputError
from handover.findings import FINDINGS, find
from handover.generate import generate_dataset
from handover.generate.realism import measure
from handover.io import read_dataset
from handover.model import TABLES

USERS = 2_000
runner = CliRunner()


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("generated")
    generate_dataset(folder, users=USERS, seed=11)
    return folder


@pytest.fixture(scope="module")
def dataset(generated):
    return read_dataset(generated)  # validates every rule of the contract


@pytest.fixture(scope="module")
def figures(dataset):
    return measure(dataset)


def _bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# --- validity ---------------------------------------------------------------------------


def test_all_nine_tables_are_written_and_read_back_valid(generated, dataset):
    assert sorted(p.name for p in generated.iterdir()) == sorted(f"{t}.csv" for t in TABLES)
    assert set(dataset.tables) == set(TABLES)
    assert len(dataset["users"]) == USERS
    for table in ("responsibilities", "plans", "episodes", "contacts"):
        assert len(dataset[table]) > USERS, table
    assert set(dataset["employments"]["staff_id"]) == set(dataset["staff"]["staff_id"])


def test_every_vocabulary_value_that_matters_occurs(dataset):
    agencies = set(dataset["agencies"]["kind"])
    assert {"nav_office", "municipal_health", "allocation_office", "housing", "gp", "dps", "tsb",
            "private_institution", "ngo"} <= agencies
    assert {"detox", "inpatient", "residential", "outpatient", "ost", "social_services"} <= set(
        dataset["services"]["kind"])
    assert {"coordinator", "caseworker", "gp", "therapist", "housing_support", "contact"} <= set(
        dataset["responsibilities"]["role"])
    assert {"individual_plan", "treatment_plan", "activity_plan"} <= set(dataset["plans"]["kind"])
    assert {"planned", "unplanned", "transfer", "death"} <= set(dataset["episodes"]["discharge_kind"].dropna())


def test_ids_are_pseudonymous_and_sort_as_numbers(dataset):
    patterns = {"users": ("user_id", r"u\d{6}"), "staff": ("staff_id", r"st\d{5}"),
                "agencies": ("agency_id", r"ag\d{3,}"), "episodes": ("episode_id", r"e\d{7}"),
                "contacts": ("contact_id", r"c\d{8}")}
    for table, (column, pattern) in patterns.items():
        ids = dataset[table][column]
        assert ids.str.fullmatch(pattern).all(), table
        assert ids.is_monotonic_increasing, table
    # Staff and users carry nothing but ids, a profession, a birth year and a place.
    assert list(dataset["staff"].columns) == ["staff_id", "profession"]
    assert list(dataset["users"].columns) == ["user_id", "birth_year", "municipality"]


def test_the_reason_for_caseworker_changes_is_given(dataset):
    reasons = set(dataset["responsibilities"]["reason"].dropna())
    assert {"reorganisation", "sick leave cover", "project post ended", "caseworker left NAV",
            "caseload redistributed"} <= reasons


def test_chunks_number_ids_across_the_whole_dataset(tmp_path):
    generate_dataset(tmp_path, users=350, seed=2, chunk_users=100)
    dataset = read_dataset(tmp_path)  # duplicate ids across chunks would be refused
    assert dataset["users"]["user_id"].iloc[-1] == "u000350"


@pytest.mark.parametrize("years, start", [(1, "2020-02-29"), (5, "2019-06-15")])
def test_other_periods_are_valid_too(tmp_path, years, start):
    summary = generate_dataset(tmp_path, users=300, seed=5, years=years, start=start)
    dataset = read_dataset(tmp_path)
    assert dataset.latest_date() < pd.Timestamp(summary.end)
    assert dataset["contacts"]["date"].min() < pd.Timestamp(start)  # histories reach back


def test_parquet_is_valid_and_replaces_the_csv_files(tmp_path):
    generate_dataset(tmp_path, users=300, seed=4)
    generate_dataset(tmp_path, users=300, seed=4, fmt="parquet")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{t}.parquet" for t in TABLES)
    assert len(read_dataset(tmp_path)["users"]) == 300


# --- reproducibility --------------------------------------------------------------------


def test_the_same_seed_gives_byte_identical_files(generated, tmp_path):
    generate_dataset(tmp_path, users=USERS, seed=11)
    assert _bytes(tmp_path) == _bytes(generated)


def test_the_same_seed_gives_identical_parquet(tmp_path):
    generate_dataset(tmp_path / "a", users=300, seed=8, fmt="parquet")
    generate_dataset(tmp_path / "b", users=300, seed=8, fmt="parquet")
    assert _bytes(tmp_path / "a") == _bytes(tmp_path / "b")


def test_another_seed_gives_another_dataset(generated, tmp_path):
    generate_dataset(tmp_path, users=USERS, seed=12)
    ours, theirs = _bytes(tmp_path), _bytes(generated)
    assert ours["contacts.csv"] != theirs["contacts.csv"]
    assert ours["responsibilities.csv"] != theirs["responsibilities.csv"]


# --- realism ----------------------------------------------------------------------------


def test_caseworkers_change_two_to_three_times_a_year(figures):
    assert 1.5 <= figures["caseworker_changes_per_user_year"] <= 3.5


def test_about_one_in_six_nav_users_has_an_individual_plan(figures):
    assert 0.10 <= figures["nav_users_with_individual_plan"] <= 0.25


def test_most_tsb_inpatients_have_an_individual_plan(figures):
    assert 0.75 <= figures["tsb_inpatient_stays_with_individual_plan"] <= 0.95


def test_inpatient_stays_last_about_three_months(figures):
    assert 60 <= figures["median_inpatient_stay_days"] <= 120


def test_follow_up_after_discharge_is_late_or_missing_for_many(figures):
    assert 0.3 <= figures["follow_up_7d"] < figures["follow_up_30d"] <= 0.95
    assert 0.02 <= figures["readmitted_30d"] <= 0.4


def test_follow_up_delays_cover_same_day_week_month_and_never(dataset):
    discharges = find(MemoryEngine(dataset), "discharge_follow_up", follow_up_by="any")
    days = discharges["days_to_follow_up"]
    assert (days <= 7).any() and days.between(8, 30).any() and days.isna().any()


@pytest.mark.parametrize("name", sorted(FINDINGS))
def test_every_finding_finds_something(dataset, name):
    rows = find(MemoryEngine(dataset), name)
    # Rows for many users, not one odd case: the pattern is in the simulated region.
    assert rows["user_id"].nunique() >= 5, f"{name}: {len(rows)} rows for {rows['user_id'].nunique()} users"


# --- arguments and the command line -----------------------------------------------------


@pytest.mark.parametrize("arguments, message", [
    ({"users": 0}, "--users: 0"),
    ({"years": 0}, "--years: 0"),
    ({"seed": -1}, "--seed: -1"),
    ({"start": "2024-02-30"}, "--start-date: 2024-02-30 is not a date"),
    ({"fmt": "xlsx"}, "--format: xlsx is not one of: csv, parquet"),
])
def test_invalid_arguments_are_input_errors(tmp_path, arguments, message):
    given = {"users": 10, "seed": 1, **arguments}
    with pytest.raises(InputError, match=re.escape(message)):
        generate_dataset(tmp_path, **given)
    assert list(tmp_path.iterdir()) == []


def test_cli_writes_a_dataset_and_reports_its_rows(tmp_path):
    result = runner.invoke(app, ["generate", str(tmp_path / "out"), "--users", "120", "--seed", "3",
                                 "--years", "2", "--start-date", "2023-01-01"])
    assert result.exit_code == 0, result.output
    assert "120 users, 2023-01-01 to 2025-01-01" in result.stdout
    assert "contacts" in result.stdout
    assert len(read_dataset(tmp_path / "out")["users"]) == 120


@pytest.mark.parametrize("option", [["--users", "0"], ["--years", "0"], ["--start-date", "01.01.2024"]])
def test_cli_refuses_bad_arguments_with_exit_code_2(tmp_path, option):
    arguments = {"--users": "10", "--seed": "1"}
    arguments.update(dict([option]))
    flat = [part for pair in arguments.items() for part in pair]
    result = runner.invoke(app, ["generate", str(tmp_path / "out"), *flat])
    assert result.exit_code == 2
    assert f"error: {option[0]}" in result.output
