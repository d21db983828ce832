"""The national-identity-number guard: recognised forms, and every analysing command refusing them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from handover.cli import app
from handover.errors import InputError
from handover.io.guarded import file_locator
from handover.privacy.identifiers import find_identifiers, looks_like_national_id, national_id_mask, refuse_identifiers
from handover.io import read_dataset
from tests.badinput.corpus import write_base
from tests.privacy.synthetic import impossible_numbers, with_check_digits

runner = CliRunner()
FNR = impossible_numbers(3)
D_NUMBERS = impossible_numbers(2, "d")
H_NUMBERS = impossible_numbers(2, "h")


@pytest.mark.parametrize("number", FNR + D_NUMBERS + H_NUMBERS)
def test_fodselsnummer_d_and_h_numbers_are_recognised(number):
    assert looks_like_national_id(number)
    assert looks_like_national_id(f" {number[:6]} {number[6:]} ")
    assert looks_like_national_id(f"{number[:6]}-{number[6:]}")


def test_synthetic_test_numbers_are_recognised():
    number = with_check_digits("318290001")  # month + 80, as in the Tax Administration's Tenor
    assert number is not None and looks_like_national_id(number)


@pytest.mark.parametrize("value", [
    "u000123", "st1", "", "1234567890", "123456789012", "0000000000O", "00000000000",
    "31329000177",  # month 32 is no month
    "00029000177",  # day 0 is no day
    31029000177,  # a number, not a string as read
    None,
])
def test_other_values_are_not(value):
    assert not looks_like_national_id(value)


def test_a_wrong_check_digit_is_not_a_number():
    number = FNR[0]
    for position in (9, 10):
        wrong = number[:position] + str((int(number[position]) + 1) % 10) + number[position + 1:]
        assert not looks_like_national_id(wrong)


def test_the_mask_agrees_with_the_scalar_test():
    values = FNR + D_NUMBERS + ["u1", None, "12345678901", "31029000178", FNR[0][:10]]
    expected = [looks_like_national_id(v) for v in values]
    assert national_id_mask(pd.Series(values, dtype=object)).tolist() == expected
    assert national_id_mask(pd.Series([], dtype=object)).tolist() == []


# --- the guard ------------------------------------------------------------------------------


@pytest.fixture
def identified(tmp_path) -> Path:
    """The base dataset with user u2 (line 3 of users.csv) keyed by a national identity number."""
    folder = write_base(tmp_path / "data")
    for path in folder.glob("*.csv"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("u2,", f"{FNR[0]},"), encoding="utf-8")
    return folder


def test_the_guard_names_file_column_line_and_count_but_not_the_value(identified):
    dataset = read_dataset(identified)
    assert [(h.table, h.column, h.count) for h in find_identifiers(dataset)] == [
        ("users", "user_id", 1), ("responsibilities", "user_id", 4)]
    with pytest.raises(InputError) as refused:
        refuse_identifiers(dataset, allow=False, locate=file_locator(identified))
    message = str(refused.value)
    assert "users.csv column user_id: 1 value looks like a national identity number (first on line 3)" \
        in message
    assert "responsibilities.csv column user_id: 4 values look like national identity numbers " \
           "(first on line 2)" in message
    assert "handover pseudonymize" in message and "--allow-identifiers" in message
    assert FNR[0] not in message and FNR[0][:6] not in message
    refuse_identifiers(dataset, allow=True)


def test_lines_are_those_of_the_file_even_with_blank_lines_and_line_breaks(tmp_path):
    folder = write_base(tmp_path / "data")
    (folder / "users.csv").write_text(
        f'user_id,birth_year,municipality\nu1,1980,"Vard\nø"\n\nu2,1975,\nu3,1990,\n{D_NUMBERS[0]},,\n',
        encoding="utf-8")
    with pytest.raises(InputError, match=r"users.csv column user_id: 1 value .* \(first on line 7\)"):
        refuse_identifiers(read_dataset(folder), allow=False, locate=file_locator(folder))


def test_staff_ids_are_checked_too(tmp_path):
    folder = write_base(tmp_path / "data")
    for path in folder.glob("*.csv"):
        path.write_text(path.read_text(encoding="utf-8").replace("st3", H_NUMBERS[0]), encoding="utf-8")
    with pytest.raises(InputError, match="staff.csv column staff_id: 1 value"):
        refuse_identifiers(read_dataset(folder), allow=False, locate=file_locator(folder))


ANALYSING = [
    ["find", "parallel-plans", "{data}"],
    ["find", "caseworker-turnover", "{data}", "--format", "json"],
    ["report", "{data}", "--out", "{out}"],
    ["audit", "{data}", "--out", "{out}"],
    ["network", "shared-users", "{data}"],
    ["network", "handover-of-work", "{data}", "--out", "{out}/net.csv"],
    ["metrics", "{data}", "--out", "{out}"],
    ["caseload", "{data}"],
    ["user", "u1", "{data}", "--out", "{out}/u1.html"],
    ["load", "{data}", "--neo4j-uri", "bolt://127.0.0.1:9"],
]


@pytest.mark.parametrize("command", ANALYSING, ids=lambda c: " ".join(c[:2]))
def test_every_analysing_command_refuses_and_allows_on_request(identified, tmp_path, command):
    args = [a.format(data=identified, out=tmp_path / "out") for a in command]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 2, (refused.stderr, refused.exception)
    assert "look like national identity numbers" in refused.stderr
    assert "handover pseudonymize" in refused.stderr
    assert FNR[0] not in refused.stderr + refused.stdout
    assert not (tmp_path / "out").exists()
    if command[0] == "load":
        return  # passing the guard, load goes on to a server: tests/neo4j covers that
    allowed = runner.invoke(app, args + ["--allow-identifiers"])
    assert allowed.exit_code == 0, (allowed.stderr, allowed.exception)


def test_validate_runs_the_guard_every_analysis_command_runs(identified):
    # "valid" means usable: a dataset every analysis command would refuse is not valid.
    result = runner.invoke(app, ["validate", str(identified)])
    assert result.exit_code == 2 and FNR[0] not in result.output
    assert "users.csv column user_id: 1 value looks like a national identity number (first on line 3)" \
        in result.stderr and "handover pseudonymize" in result.stderr
    allowed = runner.invoke(app, ["validate", str(identified), "--allow-identifiers"])
    assert allowed.exit_code == 0 and allowed.stdout.startswith(f"{identified}: valid")
    assert FNR[0] not in allowed.output


def test_contract_messages_never_show_a_national_identity_number(identified):
    with open(identified / "users.csv", "a", encoding="utf-8") as users:
        users.write(f"{FNR[0]},1970,\n")
    result = runner.invoke(app, ["validate", str(identified)])
    assert result.exit_code == 2
    assert "users.csv line 5, column user_id: a duplicate user_id (first on line 3); the value " \
           "looks like a national identity number and is not shown" in result.stderr
    assert FNR[0] not in result.stderr
