"""Bad FHIR input through the command line: exit 2, the place named, nothing written.

Every refusal names the file and line (NDJSON) or Bundle entry, the resource and the
element; a traceback or a half-written folder would be a bug.
"""

from __future__ import annotations

import json

import pytest

from tests.fhir import hl7_examples as hl7
from tests.fhir.helpers import invoke, write_bundle, write_ndjson

NATIONAL_ID = "31029000177"  # the form of a fødselsnummer, with a day that does not exist (31 February)


def base() -> list[dict]:
    """A small valid export: an agency, a user, a staff member and the user's coordinator."""
    return [
        {"resourceType": "Organization", "id": "nav", "name": "NAV Testby", "type": [{"text": "NAV-kontor"}]},
        {"resourceType": "Patient", "id": "u1", "birthDate": "1980"},
        {"resourceType": "Practitioner", "id": "s1"},
        {"resourceType": "CareTeam", "id": "t1", "status": "active", "subject": {"reference": "Patient/u1"},
         "managingOrganization": [{"reference": "Organization/nav"}],
         "participant": [{"role": [{"text": "Koordinator"}], "member": {"reference": "Practitioner/s1"},
                          "period": {"start": "2024-01-05"}}]},
    ]


def refused(args, *fragments, out=None):
    result = invoke("import", "fhir", *args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: "), result.stderr
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr
    if out is not None:
        assert not out.exists()
    return result.stderr


def test_the_base_export_imports(tmp_path):
    done = invoke("import", "fhir", write_ndjson(tmp_path / "in", base()), tmp_path / "out")
    assert done.exit_code == 0, done.output
    assert (tmp_path / "out" / "responsibilities.csv").read_text().splitlines()[1] == \
        "u1,s1,nav,coordinator,2024-01-05,,"


def test_a_malformed_ndjson_line_is_named_by_file_and_line(tmp_path):
    folder = write_ndjson(tmp_path / "in", base())
    lines = (folder / "Patient.ndjson").read_text().splitlines()
    (folder / "Patient.ndjson").write_text("\n".join(lines + ["", '{"resourceType": "Patient", "id": "u2",'])
                                           + "\n")
    refused([folder, tmp_path / "out"], "Patient.ndjson line 3: not valid JSON", "at column",
            out=tmp_path / "out")


def test_an_ndjson_line_that_is_no_resource_is_refused(tmp_path):
    folder = write_ndjson(tmp_path / "in", base())
    with open(folder / "Practitioner.ndjson", "a") as handle:
        handle.write('{"id": "s2"}\n[1, 2]\n')
    refused([folder, tmp_path / "out"], "Practitioner.ndjson line 2: a JSON object without resourceType")


def test_a_bundle_entry_without_resource_type_is_named_by_its_entry(tmp_path):
    resources = base()
    del resources[1]["resourceType"]
    path = tmp_path / "b.json"
    path.write_text(json.dumps({"resourceType": "Bundle", "type": "collection", "entry": [
        {"fullUrl": "urn:uuid:0001", "resource": resources[0]},
        {"fullUrl": "urn:uuid:0002", "resource": resources[1]}]}))
    refused([path, tmp_path / "out"], "b.json entry 2 (fullUrl urn:uuid:0002): the resource has no resourceType",
            "Bundle.entry[1].resource", out=tmp_path / "out")


def test_a_reference_a_row_needs_to_a_missing_resource_is_refused(tmp_path):
    resources = base()
    resources[3]["subject"] = {"reference": "Patient/u9"}
    resources[3]["participant"][0]["onBehalfOf"] = {"reference": "Organization/gone"}
    refused([write_ndjson(tmp_path / "in", resources), tmp_path / "out"],
            "CareTeam.ndjson line 1, CareTeam.subject: Patient/u9 is not in the export, and the row needs it",
            "CareTeam.ndjson line 1, CareTeam.participant.onBehalfOf: Organization/gone is not in the export",
            out=tmp_path / "out")


def test_references_no_row_needs_are_left_empty_and_counted(tmp_path):
    resources = base()
    resources[0]["partOf"] = {"reference": "Organization/kommune"}
    resources.append({"resourceType": "Encounter", "id": "c1", "status": "finished",
                      "class": {"system": hl7.ACT, "code": "AMB"}, "subject": {"reference": "Patient/u1"},
                      "serviceType": {"coding": [{"system": "urn:local", "code": "sosial"}]},
                      "participant": [{"individual": {"reference": "Practitioner/s7"}}],
                      "serviceProvider": {"reference": "Organization/nav"}, "period": {"start": "2024-02-01"}})
    done = invoke("import", "fhir", write_ndjson(tmp_path / "in", resources), tmp_path / "out")
    assert done.exit_code == 0, done.output
    assert (tmp_path / "out" / "contacts.csv").read_text().splitlines()[1] == "c1,u1,nav,2024-02-01,visit,,"
    report = (tmp_path / "out" / "import-report.md").read_text()
    assert "| Encounter.participant.individual | Practitioner | 1 | Encounter.ndjson line 1: Practitioner/s7 | " \
           "left empty |" in report
    assert "| Encounter.serviceType | HealthcareService | 1 | Encounter.ndjson line 1: urn:local\\|sosial | " \
           "left empty |" in report
    assert "| Organization.partOf | Organization | 1 | Organization.ndjson line 1: Organization/kommune | " \
           "left empty |" in report


def test_an_r5_file_is_refused_with_the_element_that_shows_it(tmp_path):
    folder = write_ndjson(tmp_path / "in", [*base(), hl7.ENCOUNTER_F202_R5])
    refused([folder, tmp_path / "out"], "this looks like FHIR R5 (Encounter.ndjson line 1, Encounter f202, class: "
            "R4 has one Coding, R5 a list): handover reads R4", out=tmp_path / "out")


@pytest.mark.parametrize("change, element", [
    ({"resourceType": "EpisodeOfCare", "id": "e1", "status": "active", "patient": {"reference": "Patient/u1"},
      "careTeam": [{"reference": "CareTeam/t1"}]}, "EpisodeOfCare e1, careTeam: R4 has team"),
    ({"resourceType": "Encounter", "id": "c1", "status": "finished", "class": {"code": "AMB"},
      "subject": {"reference": "Patient/u1"}, "actualPeriod": {"start": "2024-01-01"}},
     "Encounter c1, actualPeriod: R4 has period"),
    ({"resourceType": "CarePlan", "id": "p1", "status": "active", "subject": {"reference": "Patient/u1"},
      "custodian": {"reference": "Organization/nav"}}, "CarePlan p1, custodian: R5 only"),
    ({"resourceType": "Patient", "id": "u2", "meta": {"profile": ["http://hl7.org/fhir/StructureDefinition/Patient|5.0.0"]}},
     "Patient u2, meta.profile http://hl7.org/fhir/StructureDefinition/Patient|5.0.0"),
    ({"resourceType": "CapabilityStatement", "id": "cs", "fhirVersion": "5.0.0"},
     "CapabilityStatement, fhirVersion 5.0.0"),
])
def test_other_signs_of_r5_are_refused(tmp_path, change, element):
    path = write_bundle(tmp_path / "b.json", [*base(), change])
    stderr = refused([path, tmp_path / "out"], "this looks like FHIR R5 (b.json entry 5", element)
    assert "handover reads R4" in stderr


def test_a_patient_with_a_national_id_is_refused_and_accepted_with_allow_identifiers(tmp_path):
    resources = base()
    resources[1]["identifier"] = [{"system": "urn:oid:2.16.578.1.12.4.1.4.1", "value": NATIONAL_ID}]
    folder = write_ndjson(tmp_path / "in", resources)
    stderr = refused([folder, tmp_path / "out"], "1 Patient carries a national identity number",
                     "Patient.ndjson line 1 (Patient u1), identifier with system urn:oid:2.16.578.1.12.4.1.4.1",
                     "--allow-identifiers", out=tmp_path / "out")
    assert NATIONAL_ID not in stderr
    done = invoke("import", "fhir", folder, tmp_path / "out", "--allow-identifiers")
    assert done.exit_code == 0, done.output
    written = "".join(p.read_text() for p in (tmp_path / "out").iterdir())
    assert NATIONAL_ID not in written and "u1" in written


def test_a_patient_id_that_looks_like_a_national_id_is_refused_by_the_guard(tmp_path):
    resources = base()
    resources[1]["id"] = NATIONAL_ID
    resources[3]["subject"] = {"reference": f"Patient/{NATIONAL_ID}"}
    stderr = refused([write_ndjson(tmp_path / "in", resources), tmp_path / "out"],
                     "Patient.ndjson column user_id: 1 value looks like a national identity number (first on line 1)",
                     "handover pseudonymize", out=tmp_path / "out")
    assert NATIONAL_ID not in stderr


def test_a_partial_date_in_a_period_is_refused_with_resource_and_element(tmp_path):
    resources = base()
    resources[3]["participant"][0]["period"] = {"start": "2024-01", "end": "2024-02-30"}
    refused([write_ndjson(tmp_path / "in", resources), tmp_path / "out"],
            "CareTeam.ndjson line 1 (CareTeam t1), participant[0].period.start: '2024-01' is a partial date "
            "(YYYY-MM), but an interval needs a day (YYYY-MM-DD)",
            "participant[0].period.end: '2024-02-30' is not a date (YYYY-MM-DD)", out=tmp_path / "out")


def test_a_period_that_ends_before_it_starts_is_refused(tmp_path):
    resources = base()
    resources[3]["participant"][0]["period"] = {"start": "2024-03-01", "end": "2024-02-01"}
    refused([write_bundle(tmp_path / "b.json", resources), tmp_path / "out"],
            "b.json entry 4 (CareTeam t1), participant[0].period: ends 2024-02-01, before it starts 2024-03-01")


def test_duplicate_ids_are_refused_with_both_places(tmp_path):
    folder = write_ndjson(tmp_path / "in", [*base(), {"resourceType": "Patient", "id": "u1"}])
    refused([folder, tmp_path / "out"], "Patient.ndjson line 2: Patient u1 again (first at Patient.ndjson line 1)")


def test_an_organisation_whose_level_cannot_be_told_is_refused_with_what_to_do(tmp_path):
    resources = base()
    resources[0]["type"] = [{"coding": [{"system": "urn:local", "code": "X9"}]}]
    refused([write_ndjson(tmp_path / "in", resources), tmp_path / "out"],
            "Organization.ndjson line 1 (Organization nav): its level", "[fhir.values.agency_level]",
            "[fhir] agency_level")


def test_a_wrong_fhir_section_of_a_mapping_is_refused_with_every_problem(tmp_path):
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[fhir]\nperiod_end = "sometimes"\n[fhir.values.role]\n"KOORD" = "boss"\n'
                       '[fhir.values.colour]\n"x" = "y"\n')
    refused([write_ndjson(tmp_path / "in", base()), tmp_path / "out", "--mapping", mapping],
            "mapping.toml has 3 problems", "[fhir] period_end = 'sometimes' is not one of: as-written, inclusive",
            "[fhir.values.role] 'KOORD' = 'boss': boss is not one of: coordinator",
            "[fhir.values.colour]: not a vocabulary")


def test_a_source_that_is_no_fhir_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    refused([tmp_path, tmp_path / "out"], "no FHIR file in the folder")
    refused([tmp_path / "notes.txt", tmp_path / "out"], "notes.txt: not a FHIR file")
    refused([tmp_path / "nowhere", tmp_path / "out"], "not found")


def test_values_of_the_wrong_json_type_are_refused_or_skipped_without_a_traceback(tmp_path):
    resources = base()
    resources[1]["identifier"] = [{"system": ["not", "text"], "value": "x"}]
    resources[3]["status"] = ["active"]
    resources[0]["identifier"] = [{"system": {"a": 1}}]
    done = invoke("import", "fhir", write_ndjson(tmp_path / "in", resources), tmp_path / "out")
    assert done.exit_code == 0, done.output
    (tmp_path / "in" / "Patient.ndjson").write_text('{"resourceType": ["Patient"], "id": "u1"}\n')
    refused([tmp_path / "in", tmp_path / "out2"], "Patient.ndjson line 1: resourceType is not text")
