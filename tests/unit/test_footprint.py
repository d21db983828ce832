"""What a read dataset holds in memory (issue 16 item 3): keys without a Python object per row."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from handover.engines import MemoryEngine
from handover.errors import DatasetError
from handover.findings import find
from handover.generate import generate_dataset
from handover.io import read_dataset



@pytest.fixture(scope="module")
def region(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("region") / "data"
    generate_dataset(folder, users=300, seed=3)
    return folder


def test_unreferenced_keys_hold_their_text_not_an_object_a_row(region):
    contacts = read_dataset(region)["contacts"]
    ids = contacts["contact_id"]
    # "c000000001": 10 bytes of text and an 8-byte offset a row; a Python str is 59 bytes
    # and its pointer 8 more.
    assert ids.memory_usage(index=False, deep=True) / len(ids) <= 10 + 8 + 1
    assert contacts["user_id"].dtype == object  # the ids other tables refer to stay as they were


def test_arrow_backed_keys_read_compare_and_sort_as_text(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "agencies.csv").write_text("agency_id,name,kind,level\nA1,NAV,nav_office,municipal\n")
    (folder / "users.csv").write_text("user_id\nu1\n")
    (folder / "responsibilities.csv").write_text("user_id,staff_id,agency_id,role,start\n")
    (folder / "contacts.csv").write_text(
        "contact_id,user_id,agency_id,date\n 010 ,u1,A1,2024-01-02\n9,u1,A1,2024-01-01\n007,u1,A1,2024-01-01\n")
    ids = read_dataset(folder)["contacts"]["contact_id"]
    assert ids.tolist() == ["010", "9", "007"]  # stripped, never numbers
    assert ids.sort_values().tolist() == ["007", "010", "9"]  # code point order, as str sorts
    assert (ids == "9").tolist() == [False, True, False]
    assert ids.isin(["007"]).sum() == 1


def test_a_repeated_unreferenced_key_is_still_named_with_its_first_line(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "agencies.csv").write_text("agency_id,name,kind,level\nA1,NAV,nav_office,municipal\n")
    (folder / "users.csv").write_text("user_id\nu1\n")
    (folder / "responsibilities.csv").write_text("user_id,staff_id,agency_id,role,start\n")
    (folder / "contacts.csv").write_text(
        "contact_id,user_id,agency_id,date\nc2,u1,A1,2024-01-01\nc1,u1,A1,2024-01-01\nc2,u1,A1,2024-01-03\n")
    with pytest.raises(DatasetError) as err:
        read_dataset(folder)
    assert "contacts.csv line 4, column contact_id: c2 is a duplicate contact_id (first on line 2)" in str(err.value)


def test_findings_answer_plain_text_ids_from_a_read_dataset(region):
    rows = find(MemoryEngine(read_dataset(region)), "discharge_follow_up")
    assert len(rows) > 0
    assert rows["episode_id"].dtype == object
    assert all(isinstance(v, str) for v in rows["episode_id"])
    ordered = rows.sort_values(["user_id", "discharge_date", "episode_id"], kind="stable")
    pd.testing.assert_frame_equal(rows, ordered.reset_index(drop=True))
