"""Reading NDJSON in worker processes gives exactly what one process reads, and the same messages.

Large exports are read in byte ranges by several processes (``FhirReader.run(workers=...)``);
here the ranges are made a few kilobytes long so that the oslo files are cut in many places,
in the middle of CareTeams, Encounters and the rest.
"""

from __future__ import annotations

import pytest

import handover.datasets.fhir_read as fhir_read
from handover.datasets.fhir_read import FhirReader
from handover.errors import InputError
from handover.io.fhir_source import FhirSource
from tests.datasets import FIXTURES

OSLO = FIXTURES / "fhir" / "oslo-ndjson"


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(fhir_read, "CHUNK_BYTES", 4096)


def _read(folder, workers):
    return FhirReader(FhirSource.open(folder)).run(workers=workers)


def test_workers_read_what_one_process_reads(small_chunks):
    one, two = _read(OSLO, 1), _read(OSLO, 2)
    for name in fhir_read._ROW_SETS:
        mine, theirs = getattr(one, name), getattr(two, name)
        assert list(mine.where) == list(theirs.where), name
        for column in mine.columns:
            assert getattr(mine, column) == getattr(theirs, column), (name, column)
    assert one.read == two.read and one.skipped == two.skipped
    assert one.source.counts == two.source.counts and one.source.blank == two.source.blank
    assert len(list(FhirSource.open(OSLO).chunks(2, 4096))) > 10  # Encounter.ndjson is cut many times


def test_a_worker_names_the_line_of_a_bad_resource(small_chunks, tmp_path):
    lines = (OSLO / "Encounter.ndjson").read_text(encoding="utf-8").splitlines()
    lines[100] = lines[100][:-1]  # a line cut short, far into the file
    lines.insert(50, "")
    (tmp_path / "Encounter.ndjson").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"^Encounter.ndjson line 102: not valid JSON"):
        _read(tmp_path, 2)
    lines[101] = lines[101] + "}"
    lines[80] = lines[80].replace('"period":{"start":"', '"period":{"start":"20')
    (tmp_path / "Encounter.ndjson").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"Encounter.ndjson line 81 \(Encounter c\d+\), period.start"):
        _read(tmp_path, 2)
    blank = FhirSource.open(tmp_path)
    assert [f.name for f in blank.files] == ["Encounter.ndjson"]
