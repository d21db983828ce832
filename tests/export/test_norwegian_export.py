"""From the export an analyst is handed to answers: fixtures/norwegian-export read through its mapping.

The export (a workbook with Norwegian sheets, headers, codes and DD.MM.YYYY dates, and
the same as ;-separated cp1252 CSV files) holds the people of fixtures/oslo-nav-district;
read through mapping.toml, every finding must be oslo's hand-worked expected rows, on
the command line as in the library.
"""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from handover.cli import app
from handover.engines import MemoryEngine
from handover.findings import FINDINGS, find
from handover.io import read_dataset
from handover.render.results import render
from tests.datasets import FIXTURES

EXPORT = FIXTURES / "norwegian-export"
OSLO = FIXTURES / "oslo-nav-district"
MAPPING = EXPORT / "mapping.toml"
VARIANTS = {
    "workbook": (EXPORT / "eksport.xlsx", {}),
    "csv-cp1252": (EXPORT / "csv", {"sep": ";", "encoding": "cp1252"}),
}
runner = CliRunner()


@pytest.fixture(scope="module", params=sorted(VARIANTS))
def exported(request):
    source, options = VARIANTS[request.param]
    return request.param, read_dataset(source, mapping=MAPPING, **options)


def test_the_export_reads_as_the_oslo_dataset_table_for_table(exported):
    _, dataset = exported
    oslo = read_dataset(OSLO)
    assert sorted(dataset.tables) == sorted(oslo.tables)
    for name, frame in oslo.tables.items():
        key = list(frame.columns)
        got = dataset[name].sort_values(key, ignore_index=True, na_position="first")
        want = frame.sort_values(key, ignore_index=True, na_position="first")
        pd.testing.assert_frame_equal(got, want, check_dtype=True, obj=name)


@pytest.mark.parametrize("name", FINDINGS)
def test_every_finding_is_the_hand_worked_oslo_rows(exported, name):
    _, dataset = exported
    got = render(find(MemoryEngine(dataset), name), FINDINGS[name].schema, "csv")
    expected = (OSLO / "expected" / f"{name}.csv").read_text(encoding="utf-8")
    assert got.splitlines() == expected.strip("\n").splitlines()


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_the_command_line_reads_the_export(variant, tmp_path):
    source, options = VARIANTS[variant]
    flags = [f for key, value in options.items() for f in (f"--{key}", value)]
    checked = runner.invoke(app, ["validate", str(source), "--mapping", str(MAPPING), *flags])
    assert checked.exit_code == 0, checked.output
    assert checked.stdout.startswith(f"{source}: valid; every command can read it")
    found = runner.invoke(app, ["find", "handover-without-coordinator", str(source), "--mapping", str(MAPPING),
                                "--format", "csv", *flags])
    assert found.exit_code == 0, found.output
    assert found.stdout == (OSLO / "expected" / "handover_without_coordinator.csv").read_text(encoding="utf-8")
    report = runner.invoke(app, ["report", str(source), "--mapping", str(MAPPING), "--out", str(tmp_path / "r"),
                                 *flags])
    assert report.exit_code == 0, report.output
    assert (tmp_path / "r" / "index.html").is_file()


def test_without_the_mapping_the_export_is_refused_naming_what_was_found():
    result = runner.invoke(app, ["validate", str(EXPORT / "eksport.xlsx")])
    assert result.exit_code == 2
    assert "eksport.xlsx: has no sheet agencies, which every dataset needs" in result.stderr
    assert "found and not used: sheet Om eksporten, sheet Virksomheter" in result.stderr
