"""Readers with bounds (issue 17 item 3): past a documented limit, a quick exit 2 naming the place and the limit.

The hostile files are made here, in ``tmp_path``; the limits are those of
:mod:`handover.io.limits`, which ``docs/data.md`` states to users.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from handover.cli import app
from handover.io import limits
from tests.badinput.corpus import write_base

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
