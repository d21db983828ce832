"""``handover import fhir``: FHIR R4 resources read once and written as a contract dataset.

A FHIR server's export (a Bundle, an NDJSON Bulk Data export, or a folder of them) is
streamed once (:mod:`handover.datasets.fhir_read`), its references are resolved here,
and the nine contract tables are built from nine resource types (docs/data.md, "From
FHIR R4"):

============================  =========================================================
resource                      table
============================  =========================================================
Organization                  agencies (kind and level from ``type``; ENH, RESH, partOf
                              kept as the extra columns ``org_number``, ``resh_id``,
                              ``part_of``)
HealthcareService             services (kind from ``type``, else ``specialty``, else
                              ``category``)
Practitioner                  staff (profession from the first qualification)
PractitionerRole              employments
Patient                       users (birth year only)
CareTeam                      responsibilities: one per participant who is a
                              Practitioner or PractitionerRole
EpisodeOfCare                 responsibilities (``careManager`` as ``coordinator``), and
                              episodes when its ``type`` names a HealthcareService of its
                              ``managingOrganization`` (a period of follow-up)
CarePlan                      plans
Encounter                     episodes (stay classes) and contacts (every other class)
============================  =========================================================

The tables then pass the contract's own checks (:func:`handover.io.checks.check_table`,
as every dataset read from files does) and the national-id guard, and are written all
at once with ``import-report.md`` (:func:`handover.io.write.write_dataset_folder`).
Anything refused is refused before a file is written, with the file and line (or Bundle
entry), the resource and the element.

What "unresolved" means: a reference handover follows (a Patient, an Organization, a
Practitioner, a PractitionerRole, a CareTeam, a HealthcareService named by its type)
that names no resource of the export. One a contract row needs (the user of a
responsibility, the agency of a plan, the service of a stay, ...) refuses the import;
one a row can do without (a contact's service or staff member, an agency's parent) is
left empty. Both kinds are counted in the report.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from handover.datasets.fhir_codes import Codes
from handover.datasets.fhir_read import MAX_LISTED, FhirReader, decode_place
from handover.datasets.fhir_report import fhir_report
from handover.datasets.fhir_tables import AGENCY_PROPERTIES, Columns, TableBuilder
from handover.errors import InputError, Violation
from handover.io.checks import check_table
from handover.io.fhir_source import FhirSource
from handover.io.mapping import FhirMapping, Mapping, read_mapping
from handover.io.raw import RawTable
from handover.io.write import write_dataset_folder
from handover.model import TABLES, Dataset
from handover.privacy.identifiers import refuse_identifiers

__all__ = ["FhirImport", "FhirImportSummary", "read_fhir", "import_fhir", "validated", "REPORT"]

REPORT = "import-report.md"

@dataclass
class FhirImport:
    """A FHIR export read and checked: the dataset, and what the report says about the reading."""

    dataset: Dataset
    reader: FhirReader
    used: Counter
    unresolved: Counter  # (element, target, what was done) -> references
    unresolved_first: dict
    codes: Counter  # (vocabulary, element, shown code, value, how) -> rows
    made_from: dict[str, Counter]
    notes: list[str]
    mapping_name: str | None
    period_end: str


@dataclass(frozen=True)
class FhirImportSummary:
    """What :func:`import_fhir` wrote."""

    folder: Path
    rows: dict[str, int]
    resources: int
    skipped: int
    other_codes: int
    report: str


def _fhir_mapping(mapping) -> tuple[FhirMapping, str | None]:
    if mapping is None:
        return FhirMapping(), None
    if not isinstance(mapping, Mapping):
        mapping = read_mapping(mapping)
    return mapping.fhir or FhirMapping(), mapping.name


def import_fhir(source: str | Path, out_dir: str | Path, *, mapping: Mapping | str | Path | None = None,
                fmt: str = "csv", allow_identifiers: bool = False) -> FhirImportSummary:
    """Read a FHIR R4 export and write it as a contract dataset with ``import-report.md``.

    Parameters
    ----------
    source : path
        A Bundle (``.json``), an NDJSON file (``.ndjson``, ``.ndjson.gz``), or a folder of them.
    out_dir : path
        A new folder, or one holding only a dataset (replaced).
    mapping : Mapping or path, optional
        A mapping file whose ``[fhir]`` section maps codes (``[fhir.values.role]`` ...).
    fmt : {"csv", "parquet"}
    allow_identifiers : bool
        Accept Patients carrying national identity numbers (never read nor written), and
        ids that look like national identity numbers.

    Returns
    -------
    FhirImportSummary

    Raises
    ------
    InputError
        For R5 data, malformed JSON, partial dates in periods, references a row needs that
        resolve to nothing, contract violations and national ids, each with its place;
        nothing is written then.

    Examples
    --------
    >>> import json, tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> bundle = {"resourceType": "Bundle", "type": "collection", "entry": [
    ...     {"resource": {"resourceType": "Organization", "id": "nav", "name": "NAV Testby",
    ...                   "type": [{"text": "NAV-kontor"}]}},
    ...     {"resource": {"resourceType": "Patient", "id": "u1", "birthDate": "1980-05-01"}},
    ...     {"resource": {"resourceType": "Practitioner", "id": "s1"}},
    ...     {"resource": {"resourceType": "CareTeam", "id": "t1", "status": "active",
    ...                   "subject": {"reference": "Patient/u1"},
    ...                   "managingOrganization": [{"reference": "Organization/nav"}],
    ...                   "participant": [{"role": [{"text": "Koordinator"}],
    ...                                    "member": {"reference": "Practitioner/s1"},
    ...                                    "period": {"start": "2024-01-05"}}]}}]}
    >>> _ = (root / "bundle.json").write_text(json.dumps(bundle))
    >>> summary = import_fhir(root / "bundle.json", root / "dataset")
    >>> summary.rows["responsibilities"], (root / "dataset" / "responsibilities.csv").read_text().splitlines()
    (1, ['user_id,staff_id,agency_id,role,start,end,reason', 'u1,s1,nav,coordinator,2024-01-05,,'])
    """
    out_dir = Path(out_dir)
    imported = read_fhir(source, mapping=mapping, allow_identifiers=allow_identifiers)
    text = fhir_report(imported, Path(source), out_dir, fmt)
    folder = write_dataset_folder(imported.dataset, out_dir, fmt=fmt, extra={REPORT: text})
    skipped = sum(imported.reader.skipped.values())
    others = sum(n for (_, _, _, _, how), n in imported.codes.items() if how == "not recognised")
    return FhirImportSummary(folder, {name: len(frame) for name, frame in imported.dataset.tables.items()},
                             sum(imported.reader.read.values()), skipped, others, text)


def read_fhir(source: str | Path, *, mapping: Mapping | str | Path | None = None,
              allow_identifiers: bool = False) -> FhirImport:
    """Read a FHIR R4 export into a checked contract dataset (nothing is written).

    See :func:`import_fhir` for the parameters and the errors.
    """
    fhir_mapping, mapping_name = _fhir_mapping(mapping)
    reader = FhirReader(FhirSource.open(source), fhir_mapping).run()
    if reader.national_ids and not allow_identifiers:
        count = reader.national_id_count
        raise InputError(
            f"{count} Patient{'s' if count != 1 else ''} carr{'y' if count != 1 else 'ies'} a national identity "
            f"number (fødselsnummer, D-, H- or DUF-number): " + "; ".join(reader.national_ids)
            + ("; ..." if count > len(reader.national_ids) else "")
            + ". handover never reads or writes these numbers (a user is the Patient's id), but an export that "
              "holds them is refused unless you pass --allow-identifiers, saying you may process them here; "
              "better, export pseudonymous Patients")
    built = TableBuilder(reader, Codes(fhir_mapping))
    tables = built.tables()
    dataset = validated(tables, reader)

    def locate(table: str, position: int) -> tuple[str, str]:
        file_index, place = decode_place(tables[table][1][position])
        file = reader.source.files[file_index]
        return file.name, f"{file.unit} {place}"

    refuse_identifiers(dataset, allow_identifiers, locate=locate)
    return FhirImport(dataset, reader, built.used, built.unresolved, built.unresolved_first, built.codes,
                      built.made_from, reader.notes + built.notes, mapping_name, fhir_mapping.period_end)


def validated(tables: dict[str, Columns], reader: FhirReader) -> Dataset:
    """The tables through the contract's checks (the same as for files), as a Dataset."""
    raws: dict[str, RawTable] = {}
    extras = {}
    for name in TABLES:
        if name not in tables:
            continue
        columns, _ = tables[name]
        if name == "agencies":
            extras = {c: columns.pop(c) for c in AGENCY_PROPERTIES}
        raws[name] = _raw_table(name, columns)
    violations: list[Violation] = []
    sources = {name: None for name in raws}
    frames = {name: check_table(raw, raws, sources, violations) for name, raw in raws.items()}
    if violations:
        lines = []
        for v in violations[:MAX_LISTED * 3]:
            file_index, position = decode_place(tables[v.file][1][v.line - 1]) if v.line else (None, None)
            where = reader.source.place(file_index, position) if file_index is not None else v.file
            value = "" if v.value is None else f"{v.value} is "
            lines.append(f"{where}, {v.file}.{v.column}: {value}{v.rule}")
        if len(violations) > len(lines):
            lines.append(f"... and {len(violations) - len(lines)} more")
        raise InputError(f"{len(violations)} problem{'s' if len(violations) != 1 else ''} with the tables made "
                         "from the FHIR data (nothing was written):\n" + "\n".join(f"  {x}" for x in lines))
    if "agencies" in frames:
        for column, values in extras.items():
            frames["agencies"][column] = pd.Series(values, dtype=object)
    return Dataset(frames, source=str(reader.source.root))


def _raw_table(name: str, columns: dict[str, list]) -> RawTable:
    table = TABLES[name]
    cells, missing = {}, {}
    n = len(next(iter(columns.values()))) if columns else 0
    for column, values in columns.items():
        arrow = pa.chunked_array([pa.array(values, pa.string())])
        cells[column] = arrow
        missing[column] = pc.is_null(arrow).to_numpy(zero_copy_only=False)
    return RawTable(name, table, cells, missing, np.arange(1, n + 1), "row")
