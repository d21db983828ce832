"""``handover pseudonymize``: keyed pseudonyms, consistent everywhere, findings unchanged."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from handover.io import write as dataset_writer
from handover.privacy import pseudonyms as pz
from handover.cli import app
from handover.engines import MemoryEngine
from handover.errors import HandoverError
from handover.findings import FINDINGS, find
from handover.io import read_dataset
from tests.badinput.corpus import write_base
from tests.datasets import FIXTURES
from tests.privacy.synthetic import impossible_numbers

runner = CliRunner()
PSEUDONYM = re.compile(r"u_[0-9a-f]{16}")


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def data(tmp_path) -> Path:
    return write_base(tmp_path / "data")


def pseudonymise(data: Path, out: Path, key: Path, *options: str):
    result = invoke("pseudonymize", data, out, "--key-file", key, *options)
    assert result.exit_code == 0, (result.stderr, result.exception)
    return result


def user_ids(dataset) -> set[str]:
    return {v for frame in dataset.tables.values() if "user_id" in frame for v in frame["user_id"].dropna()}


def test_every_table_gets_the_same_pseudonym_for_a_user(data, tmp_path):
    pseudonymise(data, tmp_path / "out", tmp_path / "key")
    original, copy = read_dataset(data), read_dataset(tmp_path / "out")
    key = (tmp_path / "key").read_bytes()
    mapping = {u: pz.pseudonym(key, "user", u) for u in user_ids(original)}
    assert all(PSEUDONYM.fullmatch(p) for p in mapping.values())
    for name, frame in original.tables.items():
        if "user_id" in frame:
            assert copy[name]["user_id"].tolist() == frame["user_id"].map(mapping).tolist(), name
    assert copy["responsibilities"]["staff_id"].tolist() == original["responsibilities"]["staff_id"].tolist()
    assert copy["agencies"].equals(original["agencies"])  # organisations stay as they are


def test_the_same_key_gives_the_same_pseudonyms_and_another_key_others(data, tmp_path):
    pseudonymise(data, tmp_path / "one", tmp_path / "key")
    pseudonymise(data, tmp_path / "two", tmp_path / "key")
    pseudonymise(data, tmp_path / "three", tmp_path / "other-key")
    for table in ("users.csv", "responsibilities.csv", "episodes.csv"):
        assert (tmp_path / "one" / table).read_bytes() == (tmp_path / "two" / table).read_bytes()
    one = set(read_dataset(tmp_path / "one")["users"]["user_id"])
    three = set(read_dataset(tmp_path / "three")["users"]["user_id"])
    assert len(one) == len(three) == 3 and not one & three


def test_staff_are_pseudonymised_on_request_and_users_and_staff_never_share_a_pseudonym(data, tmp_path):
    for path in data.glob("*.csv"):  # a staff member whose id equals a user's
        path.write_text(path.read_text(encoding="utf-8").replace("st1", "u1"), encoding="utf-8")
    result = pseudonymise(data, tmp_path / "out", tmp_path / "key", "--staff")
    assert "3 user ids and 3 staff ids" in result.stdout
    copy = read_dataset(tmp_path / "out")
    staff = set(copy["staff"]["staff_id"])
    assert all(re.fullmatch(r"s_[0-9a-f]{16}", s) for s in staff)
    assert set(copy["responsibilities"]["staff_id"]) <= staff
    assert set(copy["contacts"]["staff_id"].dropna()) <= staff
    assert not staff & set(copy["users"]["user_id"])
    assert "profession" not in (tmp_path / "out" / "staff.csv").read_text().splitlines()[0]


def test_person_level_text_is_dropped_unless_kept(data, tmp_path):
    result = pseudonymise(data, tmp_path / "out", tmp_path / "key")
    assert "dropped responsibilities.reason, users.municipality" in result.stdout
    text = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "out").glob("*.csv"))
    for private in ("flyttet til Bodø", "sykemeldt", "Vardø", "Røros"):
        assert private not in text
    assert "NAV Sentrum" in text and "Døgnbehandling" in text and "social worker" in text
    assert read_dataset(tmp_path / "out")["users"]["municipality"].isna().all()
    pseudonymise(data, tmp_path / "kept", tmp_path / "key", "--keep-text")
    kept = read_dataset(tmp_path / "kept")
    assert "flyttet til Bodø" in kept["responsibilities"]["reason"].tolist()
    assert kept["users"]["municipality"].tolist()[:2] == ["Vardø", "Røros"]


@pytest.mark.parametrize("scenario", ["oslo-nav-district", "trondheim-purchaser-provider"])
def test_findings_on_the_copy_are_the_findings_with_ids_mapped(tmp_path, scenario):
    data = FIXTURES / scenario
    pseudonymise(data, tmp_path / "out", tmp_path / "key", "--staff")
    key = (tmp_path / "key").read_bytes()
    original, copy = read_dataset(data), read_dataset(tmp_path / "out")
    as_user = lambda v: None if v is None or pd.isna(v) else pz.pseudonym(key, "user", v)  # noqa: E731
    as_staff = lambda v: None if v is None or pd.isna(v) else pz.pseudonym(key, "staff", v)  # noqa: E731
    with MemoryEngine(original) as before, MemoryEngine(copy) as after:
        for name, finding in FINDINGS.items():
            try:
                expected = find(before, name)
            except Exception as missing:  # a finding the scenario lacks tables for
                with pytest.raises(type(missing)):
                    find(after, name)
                continue
            got = find(after, name)
            for column in expected.columns:
                if column == "user_id":
                    expected[column] = expected[column].map(as_user)
                elif column.endswith("staff_id"):
                    expected[column] = expected[column].map(as_staff)
            keys = list(finding.schema.sort_key)
            expected = expected.sort_values(keys, kind="stable").reset_index(drop=True)
            got = got.sort_values(keys, kind="stable").reset_index(drop=True)
            pd.testing.assert_frame_equal(got, expected, check_dtype=False, obj=name)
            assert len(got) == len(expected)


def test_the_copy_is_valid_and_written_all_at_once(data, tmp_path):
    pseudonymise(data, tmp_path / "out", tmp_path / "key")
    assert invoke("validate", tmp_path / "out").exit_code == 0
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no staging left
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == 0o700


def test_an_interrupted_run_leaves_no_output(data, tmp_path, monkeypatch):
    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(dataset_writer, "_table_csv", fail)
    result = invoke("pseudonymize", data, tmp_path / "out", "--key-file", tmp_path / "key")
    assert result.exit_code == 1
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_previous_copy_is_replaced_but_no_other_folder(data, tmp_path):
    pseudonymise(data, tmp_path / "out", tmp_path / "key")
    pseudonymise(data, tmp_path / "out", tmp_path / "other-key")
    assert len(read_dataset(tmp_path / "out")["users"]) == 3
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "notes.txt").write_text("mine")
    refused = invoke("pseudonymize", data, tmp_path / "home", "--key-file", tmp_path / "key")
    assert refused.exit_code == 2 and "holds files other than dataset tables" in refused.stderr
    assert (tmp_path / "home" / "notes.txt").read_text() == "mine"


@pytest.mark.parametrize("where", ["same", "inside"])
def test_the_output_never_lands_in_the_input(data, tmp_path, where):
    out = data if where == "same" else data / "copy"
    refused = invoke("pseudonymize", data, out, "--key-file", tmp_path / "key")
    assert refused.exit_code == 2 and "apart from DATA_DIR" in refused.stderr
    assert sorted(p.name for p in data.iterdir()) == sorted(p.name for p in write_base(tmp_path / "again").iterdir())


def test_a_key_inside_the_output_is_refused(data, tmp_path):
    refused = invoke("pseudonymize", data, tmp_path / "out", "--key-file", tmp_path / "out" / "key")
    assert refused.exit_code == 2 and "inside OUT_DIR" in refused.stderr
    assert not (tmp_path / "out").exists()


def test_a_new_key_is_made_private_and_announced_but_never_shown(data, tmp_path):
    key_file = tmp_path / "keys" / "handover.key"
    key_file.parent.mkdir()
    first = pseudonymise(data, tmp_path / "out", key_file)
    assert "made a new key in" in first.stderr
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600 and len(key_file.read_bytes()) == 32
    second = pseudonymise(data, tmp_path / "out", key_file)
    assert "made a new key" not in second.stderr
    key = key_file.read_bytes()
    shown = first.output + second.output + "".join(
        p.read_bytes().hex() + p.read_text(encoding="utf-8", errors="replace")
        for p in (tmp_path / "out").glob("*.csv"))
    assert key.hex() not in shown and key.hex()[:16] not in shown
    assert key.decode("latin-1") not in shown


def test_a_readable_key_file_is_warned_about(data, tmp_path):
    key_file = tmp_path / "key"
    key_file.write_bytes(os.urandom(32))
    key_file.chmod(0o644)
    result = pseudonymise(data, tmp_path / "out", key_file)
    assert "readable by other users" in result.stderr and "chmod 600" in result.stderr


def test_a_short_key_is_refused(data, tmp_path):
    (tmp_path / "key").write_bytes(b"secret")
    refused = invoke("pseudonymize", data, tmp_path / "out", "--key-file", tmp_path / "key")
    assert refused.exit_code == 2 and "holds 6 bytes; a key needs at least 16" in refused.stderr
    assert "secret" not in refused.stderr


def test_a_broken_dataset_is_refused_before_a_key_is_made(data, tmp_path):
    (data / "users.csv").unlink()
    refused = invoke("pseudonymize", data, tmp_path / "out", "--key-file", tmp_path / "key")
    assert refused.exit_code == 2 and "users.csv: not found" in refused.stderr
    assert not (tmp_path / "key").exists() and not (tmp_path / "out").exists()


def test_collisions_are_detected_not_merged():
    from handover.examples import tiny_dataset

    many = tiny_dataset()
    many.tables["users"] = pd.DataFrame({"user_id": [f"u{i}" for i in range(40)],
                                         "birth_year": pd.array([None] * 40, dtype="Int64"),
                                         "municipality": [None] * 40})
    with pytest.raises(HandoverError, match="got the same pseudonym"):
        pz.pseudonymize_dataset(many, bytes(32), digits=1)  # 16 pseudonyms for 40 ids
    copy, counts, _ = pz.pseudonymize_dataset(many, bytes(32))
    assert counts["user"] == copy["users"]["user_id"].nunique() == 40


def test_national_identity_numbers_go_and_the_copy_passes_the_guard(data, tmp_path):
    users, staff = impossible_numbers(3), impossible_numbers(1, "d")
    for path in data.glob("*.csv"):
        text = path.read_text(encoding="utf-8")
        for old, new in zip(["u1", "u2", "u3", "st2"], users + staff):
            text = text.replace(f"{old},", f"{new},").replace(f",{old}\n", f",{new}\n")
        path.write_text(text, encoding="utf-8")
    refused = invoke("pseudonymize", data, tmp_path / "out", "--key-file", tmp_path / "key")
    assert refused.exit_code == 2 and "add --staff" in refused.stderr
    assert not (tmp_path / "out").exists()
    pseudonymise(data, tmp_path / "out", tmp_path / "key", "--staff")
    written = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "out").glob("*.csv"))
    assert not any(number in written for number in users + staff)
    assert invoke("find", "caseworker-turnover", tmp_path / "out").exit_code == 0
