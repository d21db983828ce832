"""Readers with bounds (issue 17 item 3): past a documented limit, a quick exit 2 naming the place and the limit.

The hostile files are made here, in ``tmp_path``; the limits are those of
:mod:`handover.io.limits`, which ``docs/data.md`` states to users.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from handover.cli import app
from handover.io import limits
from handover.model import TABLES, ColumnKind
from handover.privacy.pseudonyms import KEY_BYTES, KEY_FILE_BYTES
from tests.badinput.corpus import base_dataset, write_base
from tests.datasets import write_dataset

runner = CliRunner()


def validate(folder: Path, *options: str):
    return runner.invoke(app, ["validate", str(folder), *options])


def assert_refused(result, *fragments: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.stderr[:2000], result.exception)
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, (fragment, result.stderr[:2000])
    assert len(result.stderr) < 5000


# --- the header ---------------------------------------------------------------------------


def test_a_header_of_20000_repeated_names_is_refused_as_too_long(tmp_path):
    # 20,000 x "staff_id," is 180,000 characters: past the 64 KiB a header line may have.
    folder = write_base(tmp_path / "data")
    (folder / "staff.csv").write_text(",".join(["staff_id"] * 20_000) + "\n", encoding="utf-8")
    result = validate(folder)
    assert_refused(result, "staff.csv line 1: a header line longer than 64 KiB (65,536 characters), "
                           "the limit for a header")
    assert "staff_id,staff_id" not in result.stderr


def test_a_header_of_more_than_1000_columns_is_refused_with_their_number(tmp_path):
    folder = write_base(tmp_path / "data")
    names = ["staff_id", "profession"] + [f"c{i}" for i in range(1_499)]  # 1,501 columns, 8 KB
    (folder / "staff.csv").write_text(",".join(names) + "\n" + ",".join(["st1"] * 1_501) + "\n",
                                      encoding="utf-8")
    assert_refused(validate(folder), "staff.csv line 1: a header of 1,501 columns, more than 1,000, "
                                     "the limit for a header")


def test_the_header_line_is_the_one_named_below_blank_lines(tmp_path):
    folder = write_base(tmp_path / "data")
    (folder / "staff.csv").write_text(",,,\n\n" + ",".join(["staff_id"] * 20_000) + "\n", encoding="utf-8")
    assert_refused(validate(folder), "staff.csv line 3: a header line longer than 64 KiB")


def test_a_header_at_the_column_limit_is_read_and_its_repeated_name_reported(tmp_path):
    # 1,000 columns all named staff_id, one data row that Arrow reads and one short row
    # that only pandas reads: both parsers take the wide header.
    folder = write_base(tmp_path / "data")
    (folder / "staff.csv").write_text(",".join(["staff_id"] * 1_000) + "\n" + ",".join(["st1"] * 1_000)
                                      + "\n" + ",".join(["st2"] * 999) + "\n", encoding="utf-8")
    result = validate(folder)
    assert_refused(result, "staff.csv line 1, column staff_id: named 1000 times in the header")
    assert "limit" not in result.stderr
    # st1 and st2 were read as staff: only st3 (in responsibilities) is unknown.
    assert "st3 is not a known staff_id" in result.stderr
    assert "st1 is not a known" not in result.stderr and "st2 is not a known" not in result.stderr


# --- what users read ----------------------------------------------------------------------


def limits_section() -> str:
    text = (Path(__file__).parents[2] / "docs" / "data.md").read_text(encoding="utf-8")
    return text.split("## Limits", 1)[1].split("\n## ", 1)[0]


def test_docs_data_states_the_limits_the_code_holds():
    section = limits_section()
    assert f"{limits.HEADER_COLUMNS:,} columns" in section
    assert f"{limits.size_text(limits.HEADER_CHARS)} ({limits.HEADER_CHARS:,} characters)" in section
    assert f"| a line of a CSV file | {limits.size_text(limits.LINE_BYTES)} between two line breaks" in section
    assert f"| a value (a field) | {limits.FIELD_CHARS:,} characters" in section
    assert f"| an id (a primary key or a reference) | {limits.ID_CHARS} characters" in section
    assert f"a regular file of at most 4 KiB ({KEY_FILE_BYTES} bytes; a key is {KEY_BYTES})" in section


# --- lines and fields ---------------------------------------------------------------------

MIB = 1 << 20

# Runs the command line in a child of a fresh process, which then prints the child's peak
# resident memory in KiB (Linux counts ru_maxrss in KiB).
_PEAK = """
import resource, subprocess, sys
done = subprocess.run([sys.executable, "-m", "handover.cli", *sys.argv[1:]], capture_output=True, text=True)
sys.stderr.write(done.stderr)
print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def run_measured(*args: str) -> tuple[int, int, str]:
    """``handover ARGS`` in a real process: its exit code, its peak memory in bytes and its stderr."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    done = subprocess.run([sys.executable, "-c", _PEAK, *args], capture_output=True, text=True,
                          env=env, check=True)
    code, peak_kib = map(int, done.stdout.split())
    return code, peak_kib * 1024, done.stderr


def test_a_200_mb_line_without_a_line_break_is_refused_within_the_memory_of_the_file(tmp_path):
    # The file: one line of 200 MB. It grew past 23 GB before it was killed.
    folder = write_base(tmp_path / "data")
    size = 200 * MIB
    with open(folder / "plans.csv", "ab") as plans:
        plans.write(b"p99,u1,a1," + b"x" * size)
    code, peak, stderr = run_measured("validate", str(folder))
    assert code == 2
    assert "plans.csv line 4: a line longer than 32 MiB, the limit for a line" in stderr
    assert "xxxx" not in stderr and "Traceback" not in stderr
    _, baseline, _ = run_measured("validate", str(write_base(tmp_path / "valid")))
    # The file is read once as it is, never decoded or parsed.
    assert peak - baseline < 1.5 * size, (peak // MIB, baseline // MIB)


def test_a_200_mb_header_line_of_repeated_names_is_refused_within_the_memory_of_the_file(tmp_path):
    folder = write_base(tmp_path / "data")
    (folder / "staff.csv").write_bytes(b"staff_id," * (22 * MIB))  # 198 MiB, no line break
    code, peak, stderr = run_measured("validate", str(folder))
    assert code == 2
    assert "staff.csv line 1: a line longer than 32 MiB, the limit for a line" in stderr
    _, baseline, _ = run_measured("validate", str(write_base(tmp_path / "valid")))
    assert peak - baseline < 1.5 * 198 * MIB, (peak // MIB, baseline // MIB)


def test_a_value_past_the_field_limit_is_refused_even_when_its_lines_are_short(tmp_path):
    # A quoted value of 20 MiB with a line break every MiB: every line is short, the value is not.
    folder = write_base(tmp_path / "data")
    value = ("k" * (MIB - 1) + "\n") * 20
    with open(folder / "plans.csv", "a", encoding="utf-8", newline="") as plans:
        plans.write(f'p99,u1,a1,"{value}",2024-01-01,,\n')
    code, peak, stderr = run_measured("validate", str(folder))
    assert code == 2
    assert "plans.csv line 4, column kind: a value longer than 16,777,216 characters (16 Mi), the limit for a field" in stderr
    assert "kkkk" not in stderr
    _, baseline, _ = run_measured("validate", str(write_base(tmp_path / "valid")))
    assert peak - baseline < 8 * 20 * MIB, (peak // MIB, baseline // MIB)


def test_a_value_just_within_the_field_limit_is_read(tmp_path):
    folder = write_base(tmp_path / "data")
    (folder / "agencies.csv").write_text((folder / "agencies.csv").read_text(encoding="utf-8").replace(
        "NAV Sentrum", "n" * limits.FIELD_CHARS), encoding="utf-8")
    result = validate(folder)
    assert result.exit_code == 0, result.stderr[:2000]


def test_a_long_line_is_found_whatever_its_line_breaks():
    long = b"x" * 11
    for newline in (b"\n", b"\r\n", b"\r"):
        data = newline.join([b"a" * 10, b"b" * 10, long, b"c"])
        assert limits.first_long_line(data, 10) == data.index(long)
        assert limits.line_of(data, data.index(long)) == 3
        assert limits.first_long_line(newline.join([b"a" * 10] * 50), 10) is None
    assert limits.first_long_line(b"a" * 10, 10) is None
    assert limits.first_long_line(b"a" * 11, 10) == 0


# --- ids ----------------------------------------------------------------------------------

ID_COLUMNS = [(table.name, column.name) for table in TABLES.values() for column in table.columns
              if column.kind is ColumnKind.ID]


def test_every_id_column_is_checked():
    # 7 primary keys (employments and responsibilities have none) and 14 references.
    assert ("users", "user_id") in ID_COLUMNS and ("contacts", "staff_id") in ID_COLUMNS
    assert len(ID_COLUMNS) == 21


@pytest.mark.parametrize(("table", "column"), ID_COLUMNS, ids=[f"{t}.{c}" for t, c in ID_COLUMNS])
def test_an_id_one_character_past_the_limit_is_refused_with_its_place(tmp_path, table, column):
    dataset = base_dataset()
    dataset.tables["employments"] = pd.DataFrame({  # the one table the base lacks
        "staff_id": ["st1"], "agency_id": ["a1"], "start": pd.to_datetime(["2024-01-01"]), "end": [pd.NaT]})
    frame = dataset.tables[table]
    frame[column] = frame[column].astype(object)
    frame.loc[frame.index[0], column] = "i" * 257
    folder = write_dataset(dataset, tmp_path / "data")
    result = validate(folder)
    assert_refused(result, f"{table}.csv line 2, column {column}: {'i' * 59}… is longer than 256 "
                           "characters (it has 257), the limit for an id")
    assert "i" * 61 not in result.stderr


def test_an_id_at_the_limit_is_valid(tmp_path):
    dataset = base_dataset()
    dataset.tables["plans"].loc[1, "plan_id"] = "p" * 256
    result = validate(write_dataset(dataset, tmp_path / "data"))
    assert result.exit_code == 0, result.stderr[:2000]


# --- the key file -------------------------------------------------------------------------


def pseudonymize(tmp_path: Path, key_file: Path):
    data = write_base(tmp_path / "data")
    return runner.invoke(app, ["pseudonymize", str(data), str(tmp_path / "out"), "--key-file", str(key_file)])


@pytest.mark.parametrize("device", ["/dev/urandom", "/dev/zero"])
def test_a_device_as_key_file_is_refused_without_reading_it(tmp_path, device):
    # /dev/urandom never ends: it was read until memory ran out.
    result = pseudonymize(tmp_path, Path(device))
    assert_refused(result, f"--key-file {device} is not a regular file (a device)", "at most 4096 bytes")
    assert not (tmp_path / "out").exists()


def test_a_link_to_a_device_as_key_file_is_refused(tmp_path):
    (tmp_path / "handover.key").symlink_to("/dev/urandom")
    assert_refused(pseudonymize(tmp_path, tmp_path / "handover.key"),
                   f"--key-file {tmp_path / 'handover.key'} is not a regular file (a device)")


def test_a_named_pipe_as_key_file_is_refused_without_waiting_for_a_writer(tmp_path):
    os.mkfifo(tmp_path / "handover.key")
    assert_refused(pseudonymize(tmp_path, tmp_path / "handover.key"), "is not a regular file (a named pipe)")


def test_a_key_file_past_4_kib_is_refused_with_the_limit(tmp_path):
    key_file = tmp_path / "handover.key"
    key_file.write_bytes(os.urandom(4097))
    result = pseudonymize(tmp_path, key_file)
    assert_refused(result, f"--key-file {key_file} is larger than 4096 bytes (4 KiB), the limit for a key file")
    assert not (tmp_path / "out").exists()


def test_a_key_file_of_4_kib_is_a_key(tmp_path):
    key_file = tmp_path / "handover.key"
    key_file.write_bytes(os.urandom(4096))
    key_file.chmod(0o600)
    result = pseudonymize(tmp_path, key_file)
    assert result.exit_code == 0, result.stderr[:2000]
    assert (tmp_path / "out" / "users.csv").is_file()
