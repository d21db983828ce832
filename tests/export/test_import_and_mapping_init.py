"""`handover mapping init` drafts the mapping, `handover import tables` writes the dataset once.

The three commands an analyst types (docs/data.md, README "From your export to answers"):
draft a mapping from the export, check the export with it, import it as a contract
dataset. On the Norwegian export fixture the drafted mapping needs no edit for the
findings (only the municipality constant is not guessable), and the imported dataset is
the oslo dataset.
"""

from __future__ import annotations

import shutil

import pandas as pd
from typer.testing import CliRunner

from handover.cli import app
from handover.engines import MemoryEngine
from handover.findings import FINDINGS, find
from handover.io import read_dataset
from handover.io.mapping import read_mapping
from handover.render.results import render
from tests.datasets import FIXTURES

EXPORT = FIXTURES / "norwegian-export"
OSLO = FIXTURES / "oslo-nav-district"
runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_the_drafted_mapping_reads_the_export_to_the_hand_worked_findings(tmp_path):
    drafted = tmp_path / "mapping.toml"
    made = invoke("mapping", "init", EXPORT / "eksport.xlsx", "--out", drafted)
    assert made.exit_code == 0, made.output
    assert "guesses to check" in made.stderr
    text = drafted.read_text(encoding="utf-8")
    assert 'source = "Ansvar"  # guess' in text and '"Koordinator" = "coordinator"  # guess' in text
    assert 'date_format = "DD.MM.YYYY"' in text
    assert "# not used: Kommentar, Registrert av" in text
    read_mapping(drafted)  # a valid mapping file as it stands
    dataset = read_dataset(EXPORT / "eksport.xlsx", mapping=drafted)
    for name, finding in FINDINGS.items():
        got = render(find(MemoryEngine(dataset), name), finding.schema, "csv")
        assert got == (OSLO / "expected" / f"{name}.csv").read_text(encoding="utf-8"), name


def test_mapping_init_reads_no_names_or_free_text(tmp_path):
    text = invoke("mapping", "init", EXPORT / "csv", "--sep", ";", "--encoding", "cp1252").stdout
    oslo = read_dataset(OSLO)
    # People's ids and the free text about them (organisations' names may equal a code: "LAR").
    private = set(oslo["users"]["user_id"]) | set(oslo["staff"]["staff_id"]) | set(
        oslo["responsibilities"]["reason"].dropna())
    assert [value for value in private if f'"{value}"' in text or f" {value} " in text] == []
    assert "Avrusning" in text  # a code of a vocabulary column is read, as it must be


def test_mapping_init_never_overwrites_a_mapping(tmp_path):
    existing = tmp_path / "mapping.toml"
    existing.write_text("# edited by hand\n", encoding="utf-8")
    refused = invoke("mapping", "init", EXPORT / "eksport.xlsx", "--out", existing)
    assert refused.exit_code == 2 and "exists" in refused.stderr
    assert existing.read_text(encoding="utf-8") == "# edited by hand\n"


def test_import_writes_the_contract_dataset_and_its_report(tmp_path):
    out = tmp_path / "dataset"
    done = invoke("import", "tables", EXPORT / "eksport.xlsx", out, "--mapping", EXPORT / "mapping.toml")
    assert done.exit_code == 0, done.output
    assert done.stdout.startswith(f"{out}: imported agencies 7, services 11, staff 24")
    imported, oslo = read_dataset(out), read_dataset(OSLO)
    for name, frame in oslo.tables.items():
        key = list(frame.columns)
        pd.testing.assert_frame_equal(imported[name].sort_values(key, ignore_index=True),
                                      frame.sort_values(key, ignore_index=True), obj=name)
    report = (out / "import-report.md").read_text(encoding="utf-8")
    assert "| responsibilities | eksport.xlsx, sheet Ansvar | 99 | 1 | Kommentar, Registrert av |" in report
    assert "| responsibilities.role | Koordinator | coordinator | 25 |" in report
    assert "Found and not used: `sheet Om eksporten`." in report
    assert "- Text dates: DD.MM.YYYY" in report


def test_import_to_parquet_keeps_the_types(tmp_path):
    out = tmp_path / "dataset"
    done = invoke("import", "tables", EXPORT / "csv", out, "--mapping", EXPORT / "mapping.toml",
                  "--sep", ";", "--encoding", "cp1252", "--format", "parquet")
    assert done.exit_code == 0, done.output
    assert sorted(p.suffix for p in out.iterdir()) == [".md"] + [".parquet"] * 9
    assert read_dataset(out)["plans"]["start"].dtype == "datetime64[ns]"


def test_a_refused_import_writes_nothing_and_keeps_a_previous_dataset(tmp_path):
    out = tmp_path / "dataset"
    assert invoke("import", "tables", EXPORT / "eksport.xlsx", out, "--mapping", EXPORT / "mapping.toml").exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    broken = tmp_path / "export"
    shutil.copytree(EXPORT / "csv", broken)
    text = (broken / "Ansvar.csv").read_text(encoding="cp1252").replace(";Koordinator;", ";Sjef;", 1)
    (broken / "Ansvar.csv").write_text(text, encoding="cp1252", newline="")
    refused = invoke("import", "tables", broken, out, "--mapping", EXPORT / "mapping.toml", "--sep", ";",
                     "--encoding", "cp1252")
    assert refused.exit_code == 2 and "column Rolle: Sjef is not one of" in refused.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
