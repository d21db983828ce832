"""HL7's R4 examples of the nine resource types, imported: exactly which contract rows come out.

The examples (re-created in ``hl7_examples.py``) are the ones the FHIR specification
publishes, so they show how handover reads FHIR written by people who are not handover:
what becomes a row, what is skipped and why, and that names, telecom, addresses and free
text never reach a table. One mapping file gives the Dutch hospital type code and SNOMED's
academic medical centre a kind, and HL7 (an organisation without any type) a level.
"""

from __future__ import annotations

import copy

import pytest

from handover.datasets.fhir import import_fhir, read_fhir
from handover.errors import InputError
from tests.fhir import hl7_examples as hl7
from tests.fhir.helpers import rows, write_bundle, write_ndjson

MAPPING = """\
[fhir]
agency_level = "private"          # HL7 itself has no type that tells its level

[fhir.values.agency_kind]
"V6" = "hospital"                 # University Medical Hospital (a Dutch code system)
"405608006" = "hospital"          # SNOMED CT: Academic Medical Center
"""


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    root = tmp_path_factory.mktemp("hl7")
    (root / "mapping.toml").write_text(MAPPING, encoding="utf-8")
    return read_fhir(write_bundle(root / "examples.json", hl7.R4), mapping=root / "mapping.toml")


def test_organizations_are_agencies_with_kind_from_the_mapping_and_the_department_from_its_parent(imported):
    assert rows(imported.dataset, "agencies") == [
        ("f001", "Burgers University Medical Center", "hospital", "specialist", None),
        ("f002", "Burgers UMC Cardiology unit", "hospital", "specialist", None),  # partOf f001
        ("hl7", "Health Level Seven International", "other", "private", None),    # [fhir] agency_level
        ("f201", "Artis University Medical Center (AUMC)", "hospital", "specialist", None),
    ]
    assert imported.dataset["agencies"]["part_of"].tolist() == [None, "f001", None, None]


def test_the_healthcare_service_is_a_service_of_kind_other(imported):
    # Psychotherapy, Psychiatry, PTSD, Counselling: no service kind of the contract.
    assert rows(imported.dataset, "services") == [
        ("example", "f001", "Consulting psychologists and/or psychology services", "other")]
    assert ("service_kind", "HealthcareService.type, specialty or category",
            "394913002 (Psychotherapy) [http://snomed.info/sct]", "other", "not recognised") in imported.codes


def test_practitioners_are_staff_with_their_first_qualification_as_profession(imported):
    assert rows(imported.dataset, "staff") == [
        ("example", "Bachelor of Science"), ("f201", "Pulmonologist"), ("14", None)]


def test_the_practitioner_role_is_an_employment_with_its_period(imported):
    assert rows(imported.dataset, "employments") == [("example", "f001", "2012-01-01", "2012-03-31")]


def test_patients_are_users_with_a_birth_year_only(imported):
    assert rows(imported.dataset, "users") == [("example", "1974", None), ("f001", "1944", None),
                                               ("f201", "1960", None)]


def test_the_care_team_makes_no_responsibility_and_the_episode_of_care_makes_its_coordinator(imported):
    # CareTeam/example: the patient and a contained dietician are no agency's staff.
    assert rows(imported.dataset, "responsibilities") == [
        ("example", "14", "hl7", "coordinator", "2014-09-01", None, None)]
    assert imported.reader.participants_skipped == {
        "member is a Patient, not a Practitioner or PractitionerRole": 1,
        "member is a contained resource (no id of its own)": 1}
    assert imported.reader.skipped["CareTeam", "no participant made a responsibility (see participants skipped)"] == 1
    assert imported.used["EpisodeOfCare"] == 1 and imported.used["CareTeam"] == 0


def test_the_care_plan_is_held_by_its_authors_organisation_from_its_creation_day(imported):
    # No period.start: created 2016-01-01. Dr Careful's only PractitionerRole is at f001.
    assert rows(imported.dataset, "plans") == [
        ("example", "example", "f001", "other", "2016-01-01", "2017-06-01", None)]
    assert imported.reader.skipped["CarePlan", "status draft"] == 1  # careplan-example-f201-renal


def test_the_home_visit_is_a_contact_and_encounters_without_a_period_are_skipped(imported):
    # No serviceProvider: the agency is the participant's (Dr Careful at f001).
    assert rows(imported.dataset, "contacts") == [
        ("home", "example", "f001", "2015-01-17", "home_visit", None, "example")]
    assert "episodes" not in imported.dataset.tables
    assert imported.reader.skipped["Encounter", "no period.start"] == 2  # f001 and example


def test_nothing_handover_must_not_read_reaches_the_written_files(tmp_path):
    (tmp_path / "mapping.toml").write_text(MAPPING, encoding="utf-8")
    summary = import_fhir(write_ndjson(tmp_path / "ndjson", hl7.R4), tmp_path / "out",
                          mapping=tmp_path / "mapping.toml")
    written = "".join(p.read_text(encoding="utf-8") for p in summary.folder.iterdir())
    assert [word for word in hl7.NEVER_READ if word in written] == []


def test_a_stay_at_an_organisation_without_its_service_is_refused(tmp_path):
    with pytest.raises(InputError) as refused:
        read_fhir(write_bundle(tmp_path / "b.json", [*hl7.R4, hl7.ENCOUNTER_F203]),
                  mapping=_mapping(tmp_path))
    message = str(refused.value)
    assert "b.json entry 20, Encounter.serviceProvider: Organization/2 is not in the export" in message
    assert "b.json entry 20, Encounter f203: a stay whose serviceType names no HealthcareService" in message


def test_a_stay_is_an_episode_at_its_organisations_only_service(tmp_path):
    ward = {"resourceType": "Organization", "id": "2", "name": "Ward 2", "type": [{"text": "hospital"}]}
    service = {"resourceType": "HealthcareService", "id": "ward-2", "providedBy": {"reference": "Organization/2"},
               "name": "Inpatient ward", "type": [{"text": "Inpatient care"}]}
    imported = read_fhir(write_bundle(tmp_path / "b.json", [*hl7.R4, ward, service, hl7.ENCOUNTER_F203]),
                         mapping=_mapping(tmp_path))
    assert rows(imported.dataset, "episodes") == [("f203", "f201", "ward-2", "2013-03-11", "2013-03-20", None)]
    assert ("ward-2", "2", "Inpatient ward", "inpatient") in rows(imported.dataset, "services")


def test_the_examples_read_the_same_from_ndjson_as_from_a_bundle(tmp_path, imported):
    again = read_fhir(write_ndjson(tmp_path / "ndjson", copy.deepcopy(hl7.R4)), mapping=_mapping(tmp_path))
    for table in imported.dataset.tables:
        assert sorted(rows(again.dataset, table)) == sorted(rows(imported.dataset, table)), table


def _mapping(folder):
    path = folder / "mapping.toml"
    path.write_text(MAPPING, encoding="utf-8")
    return path
