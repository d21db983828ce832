"""import-report.md, and what a mapping's [fhir] section changes.

The report is how an analyst checks an import: resources read, used and skipped (by type
and reason), references that resolved to nothing, and every code read as ``other``.
"""

from __future__ import annotations

from handover.datasets.fhir import import_fhir, read_fhir
from tests.fhir import hl7_examples as hl7
from tests.fhir.helpers import rows, write_bundle, write_ndjson
from tests.fhir.test_bad_input import base
from tests.fhir.test_hl7_examples import MAPPING


def _export() -> list[dict]:
    resources = base()
    resources[3]["participant"] += [
        {"role": [{"coding": [{"system": "urn:local", "code": "SJEF", "display": "Sjef"}]}],
         "member": {"reference": "Practitioner/s1"}, "period": {"start": "2024-02-01"}},
        {"member": {"reference": "Practitioner/s1"}, "period": {"start": "2024-03-01"}},
        {"role": [{"text": "pårørende"}], "member": {"reference": "RelatedPerson/r1"}}]
    resources += [
        {"resourceType": "Observation", "id": "o1", "status": "final"},
        {"resourceType": "Encounter", "id": "x1", "status": "cancelled", "class": {"code": "AMB"},
         "subject": {"reference": "Patient/u1"}},
        {"resourceType": "CarePlan", "id": "p1", "status": "active", "subject": {"reference": "Patient/u1"},
         "period": {"start": "2024-01-10"}, "author": {"reference": "Organization/nav"},
         "category": [{"coding": [{"system": "urn:local", "code": "IP", "display": "Individuell plan"}]}],
         "meta": {"lastUpdated": "2024-06-01T08:00:00Z"},
         "extension": [{"url": "https://example.no/revidert", "valueDate": "2024-05-15"}]},
    ]
    return resources


def test_the_report_counts_read_used_and_skipped_by_type_and_reason(tmp_path):
    summary = import_fhir(write_ndjson(tmp_path / "in", _export()), tmp_path / "out")
    report = summary.report
    assert (tmp_path / "out" / "import-report.md").read_text() == report
    assert "- Source: `in`: 7 NDJSON files, 7 resources" in report
    assert "| CareTeam | 1 | 1 | 0 | responsibilities |" in report
    assert "| Encounter | 1 | 0 | 1 | episodes, contacts |" in report
    assert "| Observation | 1 | 0 | 1 | not used by handover |" in report
    assert "| Encounter | status cancelled | 1 |" in report
    assert "| CareTeam participant | member is a RelatedPerson, not a Practitioner or PractitionerRole | 1 |" in report
    assert "| responsibilities | 3 | CareTeam 3, EpisodeOfCare (careManager) 0 |" in report
    assert "None: every reference handover follows named a resource of the export." in report
    assert summary.resources == 7 and summary.skipped == 1


def test_codes_nothing_recognises_are_read_as_other_and_listed_per_code(tmp_path):
    summary = import_fhir(write_ndjson(tmp_path / "in", _export()), tmp_path / "out")
    roles = [r[3] for r in rows(read_fhir(tmp_path / "in").dataset, "responsibilities")]
    assert roles == ["coordinator", "other", "other"]
    section = summary.report.split("## Codes read as other")[1].split("## Codes read\n")[0]
    assert "| role | CareTeam.participant.role | SJEF (Sjef) [urn:local] | 1 |" in section
    assert "| role | CareTeam.participant.role | (none) | 1 |" in section
    assert summary.other_codes == 2
    assert "| role | CareTeam.participant.role | Koordinator | coordinator | default: Koordinator | 1 |" in summary.report
    assert ("| plan_kind | CarePlan.category | IP (Individuell plan) [urn:local] | individual_plan | "
            "default: IP | 1 |") in summary.report


def test_the_mapping_maps_codes_before_the_defaults(tmp_path):
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[fhir.values.role]\n"SJEF" = "caseworker"\n"koordinator" = "contact"\n')
    imported = read_fhir(write_ndjson(tmp_path / "in", _export()), mapping=mapping)
    assert [r[3] for r in rows(imported.dataset, "responsibilities")] == ["contact", "caseworker", "other"]
    assert ("role", "CareTeam.participant.role", "SJEF (Sjef) [urn:local]", "caseworker", "mapping: SJEF") \
        in imported.codes


def test_plan_last_revised_comes_from_meta_last_updated_an_extension_or_nowhere(tmp_path):
    folder = write_ndjson(tmp_path / "in", _export())
    assert rows(read_fhir(folder).dataset, "plans")[0][6] == "2024-06-01"
    for setting, expected in (('"https://example.no/revidert"', "2024-05-15"), ('"none"', None)):
        mapping = tmp_path / "mapping.toml"
        mapping.write_text(f"[fhir]\nplan_last_revised = {setting}\n")
        assert rows(read_fhir(folder, mapping=mapping).dataset, "plans")[0][6] == expected


def test_period_end_inclusive_moves_date_only_ends_to_the_day_after(tmp_path):
    resources = base()
    resources[3]["participant"][0]["period"] = {"start": "2024-01-05", "end": "2024-01-31"}
    resources.append({"resourceType": "PractitionerRole", "id": "r1", "practitioner": {"reference": "Practitioner/s1"},
                      "organization": {"reference": "Organization/nav"},
                      "period": {"start": "2020-01-01", "end": "2023-12-31T16:00:00+01:00"}})
    folder = write_ndjson(tmp_path / "in", resources)
    assert rows(read_fhir(folder).dataset, "responsibilities")[0][5] == "2024-01-31"
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[fhir]\nperiod_end = "inclusive"\n')
    imported = read_fhir(folder, mapping=mapping)
    assert rows(imported.dataset, "responsibilities")[0][5] == "2024-02-01"
    # A dateTime end is an instant on its day: that day is the first without, either way.
    assert rows(imported.dataset, "employments")[0][3] == "2023-12-31"


def test_episode_classes_say_which_encounters_are_stays(tmp_path):
    resources = [*base(),
                 {"resourceType": "HealthcareService", "id": "sv", "providedBy": {"reference": "Organization/nav"},
                  "name": "Akuttbolig", "category": [{"text": "Institusjonsopphold"}]},
                 {"resourceType": "Encounter", "id": "e1", "status": "finished",
                  "class": {"system": "urn:local", "code": "DOGN"}, "subject": {"reference": "Patient/u1"},
                  "serviceProvider": {"reference": "Organization/nav"},
                  "period": {"start": "2024-01-01", "end": "2024-01-09"}}]
    folder = write_ndjson(tmp_path / "in", resources)
    plain = read_fhir(folder)
    assert rows(plain.dataset, "contacts") == [("e1", "u1", "nav", "2024-01-01", "other", None, None)]
    assert ("contact_kind", "Encounter.type, else Encounter.class", "DOGN [urn:local]", "other", "not recognised") \
        in plain.codes
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[fhir]\nepisode_classes = ["IMP", "DOGN"]\n')
    assert rows(read_fhir(folder, mapping=mapping).dataset, "episodes") == [
        ("e1", "u1", "sv", "2024-01-01", "2024-01-09", None)]


def test_organisations_are_found_by_their_enh_number(tmp_path):
    resources = base()
    resources[0]["identifier"] = [{"system": "urn:oid:2.16.578.1.12.4.1.4.101", "value": "974778882"}]
    resources[3]["managingOrganization"] = [{"identifier": {"system": "urn:oid:2.16.578.1.12.4.1.4.101",
                                                            "value": "974778882"}}]
    imported = read_fhir(write_bundle(tmp_path / "b.json", resources))
    assert rows(imported.dataset, "responsibilities")[0][2] == "nav"
    assert imported.dataset["agencies"]["org_number"].tolist() == ["974778882"]


def test_a_bundle_resolves_references_by_full_url(tmp_path):
    resources = base()
    resources[3]["subject"] = {"reference": "https://fhir.example.org/Patient/u1"}
    resources[3]["participant"][0]["member"] = {"reference": "https://fhir.example.org/Practitioner/s1/_history/2"}
    imported = read_fhir(write_bundle(tmp_path / "b.json", resources, full_urls=True))
    assert rows(imported.dataset, "responsibilities") == [("u1", "s1", "nav", "coordinator", "2024-01-05", None, None)]


def test_the_hl7_report_lists_what_the_examples_lack(tmp_path):
    (tmp_path / "mapping.toml").write_text(MAPPING)
    summary = import_fhir(write_bundle(tmp_path / "b.json", hl7.R4), tmp_path / "out",
                          mapping=tmp_path / "mapping.toml")
    assert "| CarePlan | status draft | 1 |" in summary.report
    assert "| Encounter | no period.start | 2 |" in summary.report
    assert "| CareTeam participant | member is a contained resource (no id of its own) | 1 |" in summary.report
    assert "| agency_kind | Organization.type | V6 (University Medical Hospital) [urn:oid:2.16.840.1.113883.2.4.15.1060]" \
           " | hospital | mapping: V6 | 1 |" in summary.report
    assert "| agency_level | Organization.type | (none) | private | [fhir] agency_level | 1 |" in summary.report


def test_a_json_file_beside_the_export_that_is_no_resource_is_not_read_and_noted(tmp_path):
    folder = write_ndjson(tmp_path / "in", base())
    (folder / "manifest.json").write_text('{"transactionTime": "2024-11-29T08:00:00Z", "output": []}')
    summary = import_fhir(folder, tmp_path / "out")
    assert "- Not read: `manifest.json` (JSON, but no FHIR resource, such as a Bulk Data manifest)" in summary.report
