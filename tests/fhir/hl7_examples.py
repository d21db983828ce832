"""HL7's published FHIR R4 (4.0.1) examples of the nine resource types, re-created as test data.

The examples of the FHIR specification are CC0 (public domain). Each one below is written
again field by field from the example of that id in the R4 specification
(``hl7.org/fhir/R4/<type>-example*.json``), keeping every element that ``handover import
fhir`` reads and the elements it must *not* read (names, telecom, addresses, narrative,
free text), and leaving out the rest (diagnoses, accounts, activities...). Where an
example points at a resource of another example, that one is here too; ``Practitioner/14``
is the stand-in HL7's ``practitioner-examples-general`` gives for the EpisodeOfCare's care
manager.
"""

from __future__ import annotations

ACT = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
SCT = "http://snomed.info/sct"
TAG = {"tag": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": "HTEST",
                "display": "test health data"}]}

# organization-example-f001-burgers
ORGANIZATION_F001 = {
    "resourceType": "Organization", "id": "f001",
    "identifier": [{"use": "official", "system": "urn:oid:2.16.528.1", "value": "91654"},
                   {"use": "usual", "system": "urn:oid:2.16.840.1.113883.2.4.6.1", "value": "17-0112278"}],
    "type": [{"coding": [{"system": "urn:oid:2.16.840.1.113883.2.4.15.1060", "code": "V6",
                          "display": "University Medical Hospital"},
                         {"system": "http://terminology.hl7.org/CodeSystem/organization-type", "code": "prov",
                          "display": "Healthcare Provider"}]}],
    "name": "Burgers University Medical Center",
    "telecom": [{"system": "phone", "value": "022-655 2300", "use": "work"}],
    "address": [{"use": "work", "line": ["Galapagosweg 91"], "city": "Den Burg", "postalCode": "9105 PZ",
                 "country": "NLD"}],
    "meta": TAG,
}
# organization-example-f002-burgers-card: a department, partOf f001
ORGANIZATION_F002 = {
    "resourceType": "Organization", "id": "f002", "active": True,
    "type": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/organization-type", "code": "dept",
                          "display": "Hospital Department"}]}],
    "name": "Burgers UMC Cardiology unit",
    "telecom": [{"system": "phone", "value": "022-655 2320"}],
    "address": [{"line": ["South Wing, floor 2"]}],
    "partOf": {"reference": "Organization/f001"},
    "contact": [{"name": {"text": "mevr. D. de Haan"}, "telecom": [{"system": "email",
                                                                  "value": "cardio@burgersumc.nl"}]}],
}
# organization-example (HL7 itself): no type at all
ORGANIZATION_HL7 = {
    "resourceType": "Organization", "id": "hl7", "name": "Health Level Seven International",
    "alias": ["HL7 International"],
    "telecom": [{"system": "phone", "value": "(+1) 734-677-7777"}, {"system": "email", "value": "hq@HL7.org"}],
    "address": [{"line": ["3300 Washtenaw Avenue, Suite 227"], "city": "Ann Arbor", "state": "MI",
                 "postalCode": "48104", "country": "USA"}],
    "endpoint": [{"reference": "Endpoint/example"}],
}
# organization-example-f201-aumc (only what Encounter f201 needs of it)
ORGANIZATION_F201 = {
    "resourceType": "Organization", "id": "f201", "active": True, "name": "Artis University Medical Center (AUMC)",
    "type": [{"coding": [{"system": SCT, "code": "405608006", "display": "Academic Medical Center"},
                         {"system": "http://terminology.hl7.org/CodeSystem/organization-type", "code": "prov"}]}],
}

# healthcareservice-example
HEALTHCARE_SERVICE = {
    "resourceType": "HealthcareService", "id": "example",
    "contained": [{"resourceType": "Location", "id": "DenBurg", "description": "Greater Denburg area",
                   "mode": "instance"}],
    "identifier": [{"system": "http://example.org/shared-ids", "value": "HS-12"}],
    "active": True,
    "providedBy": {"reference": "Organization/f001", "display": "Burgers University Medical Center"},
    "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/service-category", "code": "8",
                              "display": "Counselling"}], "text": "Counselling"}],
    "type": [{"coding": [{"system": SCT, "code": "394913002", "display": "Psychotherapy"}]},
             {"coding": [{"system": SCT, "code": "394587001", "display": "Psychiatry"}]}],
    "specialty": [{"coding": [{"system": SCT, "code": "47505003", "display": "Posttraumatic stress disorder"}]}],
    "location": [{"reference": "Location/1"}],
    "name": "Consulting psychologists and/or psychology services",
    "comment": "Providing Specialist psychology services to the greater Den Burg area",
    "telecom": [{"system": "phone", "value": "(555) silent", "use": "work"}],
    "availableTime": [{"daysOfWeek": ["wed"], "allDay": True}],
}

# practitioner-example
PRACTITIONER_EXAMPLE = {
    "resourceType": "Practitioner", "id": "example",
    "identifier": [{"system": "http://www.acme.org/practitioners", "value": "23"}],
    "active": True,
    "name": [{"family": "Careful", "given": ["Adam"], "prefix": ["Dr"]}],
    "address": [{"use": "home", "line": ["534 Erewhon St"], "city": "PleasantVille", "state": "Vic",
                 "postalCode": "3999"}],
    "qualification": [{"identifier": [{"system": "http://example.org/UniversityIdentifier", "value": "12345"}],
                       "code": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0360/2.7",
                                            "code": "BS", "display": "Bachelor of Science"}],
                                "text": "Bachelor of Science"},
                       "period": {"start": "1995"}, "issuer": {"display": "Example University"}}],
}
# practitioner-example-f201-ab
PRACTITIONER_F201 = {
    "resourceType": "Practitioner", "id": "f201",
    "identifier": [{"use": "official", "type": {"text": "UZI-nummer"}, "system": "urn:oid:2.16.528.1.1007.3.1",
                    "value": "12345678901"}],
    "active": True,
    "name": [{"use": "official", "text": "Dokter Bronsig", "family": "Bronsig", "given": ["Arend"]}],
    "telecom": [{"system": "phone", "value": "+31715269111", "use": "work"}],
    "gender": "male", "birthDate": "1956-12-24",
    "qualification": [{"code": {"coding": [{"system": SCT, "code": "41672002", "display": "Pulmonologist"}]}}],
}
# practitioner-examples-general, entry 14 (the EpisodeOfCare's "Amanda Assigned")
PRACTITIONER_14 = {"resourceType": "Practitioner", "id": "14", "name": [{"family": "Assigned", "given": ["Amanda"]}]}

# practitionerrole-example: Dr Adam Careful at f001 from 1 January to 31 March 2012
PRACTITIONER_ROLE = {
    "resourceType": "PractitionerRole", "id": "example",
    "identifier": [{"system": "http://www.acme.org/practitioners", "value": "23"}],
    "active": True, "period": {"start": "2012-01-01", "end": "2012-03-31"},
    "practitioner": {"reference": "Practitioner/example", "display": "Dr Adam Careful"},
    "organization": {"reference": "Organization/f001"},
    "code": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0286", "code": "RP"}]}],
    "specialty": [{"coding": [{"system": SCT, "code": "408443003", "display": "General medical practice"}]}],
    "healthcareService": [{"reference": "HealthcareService/example"}],
    "telecom": [{"system": "email", "value": "adam.southern@example.org", "use": "work"}],
    "notAvailable": [{"description": "Adam will be on extended leave during May 2017",
                      "during": {"start": "2017-05-01", "end": "2017-05-20"}}],
}

# patient-example: Peter James Chalmers (partial dates in elements handover never reads)
PATIENT_EXAMPLE = {
    "resourceType": "Patient", "id": "example",
    "identifier": [{"use": "usual", "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203",
                                                         "code": "MR"}]},
                    "system": "urn:oid:1.2.36.146.595.217.0.1", "value": "12345", "period": {"start": "2001-05-06"},
                    "assigner": {"display": "Acme Healthcare"}}],
    "active": True,
    "name": [{"use": "official", "family": "Chalmers", "given": ["Peter", "James"]},
             {"use": "maiden", "family": "Windsor", "given": ["Peter", "James"], "period": {"end": "2002"}}],
    "telecom": [{"system": "phone", "value": "(03) 5555 6473", "use": "work", "rank": 1},
                {"system": "phone", "value": "(03) 5555 8834", "use": "old", "period": {"end": "2014"}}],
    "gender": "male", "birthDate": "1974-12-25",
    "_birthDate": {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/patient-birthTime",
                                  "valueDateTime": "1974-12-25T14:35:45-05:00"}]},
    "deceasedBoolean": False,
    "address": [{"use": "home", "type": "both", "text": "534 Erewhon St PeasantVille, Rainbow, Vic  3999",
                 "city": "PleasantVille", "district": "Rainbow", "postalCode": "3999"}],
    "contact": [{"name": {"family": "du Marché", "given": ["Bénédicte"]},
                 "telecom": [{"system": "phone", "value": "+33 (237) 998327"}], "period": {"start": "2012"}}],
    "managingOrganization": {"reference": "Organization/1"},
}
# patient-example-f001-pieter
PATIENT_F001 = {
    "resourceType": "Patient", "id": "f001",
    "identifier": [{"use": "usual", "system": "urn:oid:2.16.840.1.113883.2.4.6.3", "value": "738472983"}],
    "name": [{"use": "usual", "family": "van de Heuvel", "given": ["Pieter"], "suffix": ["MSc"]}],
    "telecom": [{"system": "email", "value": "p.heuvel@gmail.com", "use": "home"}],
    "gender": "male", "birthDate": "1944-11-17",
}
# patient-example-f201-roel
PATIENT_F201 = {
    "resourceType": "Patient", "id": "f201",
    "identifier": [{"use": "official", "type": {"text": "BSN"}, "system": "urn:oid:2.16.840.1.113883.2.4.6.3",
                    "value": "123456789"}],
    "name": [{"use": "official", "text": "Roel", "family": "Bor", "given": ["Roelof Olaf"]}],
    "telecom": [{"system": "phone", "value": "+31612345678", "use": "mobile"}],
    "gender": "male", "birthDate": "1960-03-13",
    "address": [{"use": "home", "line": ["Bos en Lommerplein 280"], "city": "Amsterdam", "postalCode": "1055RW"}],
}

# careteam-example: the patient and a contained dietician; neither is staff of an agency
CARE_TEAM = {
    "resourceType": "CareTeam", "id": "example",
    "text": {"status": "generated", "div": "<div xmlns=\"http://www.w3.org/1999/xhtml\">Care Team</div>"},
    "contained": [{"resourceType": "Practitioner", "id": "pr1", "name": [{"family": "Dietician",
                                                                          "given": ["Dorothy"]}]}],
    "identifier": [{"value": "12345"}], "status": "active",
    "category": [{"coding": [{"system": "http://loinc.org", "code": "LA27976-2",
                              "display": "Encounter-focused care team"}]}],
    "name": "Peter James Charlmers Care Plan for Inpatient Encounter",
    "subject": {"reference": "Patient/example", "display": "Peter James Chalmers"},
    "encounter": {"reference": "Encounter/example"},
    "period": {"end": "2013-01-01"},
    "participant": [{"role": [{"text": "responsiblePerson"}],
                     "member": {"reference": "Patient/example", "display": "Peter James Chalmers"}},
                    {"role": [{"text": "adviser"}], "member": {"reference": "#pr1", "display": "Dorothy Dietition"},
                     "onBehalfOf": {"reference": "Organization/f001"}, "period": {"end": "2013-01-01"}}],
    "managingOrganization": [{"reference": "Organization/f001"}],
}

# episodeofcare-example: a HACC programme at HL7 since 15 September 2014, careManager Amanda Assigned
EPISODE_OF_CARE = {
    "resourceType": "EpisodeOfCare", "id": "example",
    "identifier": [{"system": "http://example.org/sampleepisodeofcare-identifier", "value": "123"}],
    "status": "active",
    "statusHistory": [{"status": "planned", "period": {"start": "2014-09-01", "end": "2014-09-14"}},
                      {"status": "active", "period": {"start": "2014-09-15", "end": "2014-09-21"}}],
    "type": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/episodeofcare-type", "code": "hacc",
                          "display": "Home and Community Care"}]}],
    "diagnosis": [{"condition": {"reference": "Condition/stroke"}, "rank": 1}],
    "patient": {"reference": "Patient/example"},
    "managingOrganization": {"reference": "Organization/hl7"},
    "period": {"start": "2014-09-01"},
    "referralRequest": [{"display": "Referral from Example Aged Care Services"}],
    "careManager": {"reference": "Practitioner/14", "display": "Amanda Assigned"},
    "team": [{"reference": "CareTeam/example", "display": "example care team"}],
    "account": [{"reference": "Account/example", "display": "example account"}],
}

# careplan-example: weight management, no period start (created 2016-01-01), author Dr Adam Careful
CARE_PLAN = {
    "resourceType": "CarePlan", "id": "example",
    "contained": [{"resourceType": "Condition", "id": "p1", "code": {"text": "Obesity"},
                   "subject": {"reference": "Patient/example"}}],
    "identifier": [{"value": "12345"}],
    "instantiatesUri": ["http://example.org/protocol-for-obesity"],
    "status": "active", "intent": "plan",
    "category": [{"text": "Weight management plan"}],
    "description": "Manage obesity and weight loss",
    "subject": {"reference": "Patient/example", "display": "Peter James Chalmers"},
    "encounter": {"reference": "Encounter/home"},
    "period": {"end": "2017-06-01"}, "created": "2016-01-01",
    "author": {"reference": "Practitioner/example", "display": "Dr Adam Careful"},
    "careTeam": [{"reference": "CareTeam/example"}],
    "addresses": [{"reference": "#p1", "display": "obesity"}],
    "meta": TAG,
}
# careplan-example-f201-renal: a draft (a proposal), not a plan yet
CARE_PLAN_F201 = {
    "resourceType": "CarePlan", "id": "f201", "status": "draft", "intent": "proposal",
    "subject": {"reference": "Patient/f201", "display": "Roel"},
    "period": {"start": "2013-03-11", "end": "2013-03-13"},
    "careTeam": [{"reference": "#careteam"}],
}

# encounter-example-home: a home visit by Dr Adam Careful, no serviceProvider
ENCOUNTER_HOME = {
    "resourceType": "Encounter", "id": "home",
    "contained": [{"resourceType": "Location", "id": "home", "description": "Client's home", "mode": "kind"}],
    "status": "finished", "class": {"system": ACT, "code": "HH", "display": "home health"},
    "subject": {"reference": "Patient/example"},
    "participant": [{"period": {"start": "2015-01-17T16:00:00+10:00", "end": "2015-01-17T16:30:00+10:00"},
                     "individual": {"reference": "Practitioner/example", "display": "Dr Adam Careful"}}],
    "period": {"start": "2015-01-17T16:00:00+10:00", "end": "2015-01-17T16:30:00+10:00"},
    "location": [{"location": {"reference": "#home", "display": "Client's home"}, "status": "completed"}],
}
# encounter-example-f001-heart: ambulatory, but the example gives no period
ENCOUNTER_F001 = {
    "resourceType": "Encounter", "id": "f001",
    "identifier": [{"use": "official", "system": "http://www.amc.nl/zorgportal/identifiers/visits",
                    "value": "v1451"}],
    "status": "finished", "class": {"system": ACT, "code": "AMB", "display": "ambulatory"},
    "type": [{"coding": [{"system": SCT, "code": "270427003", "display": "Patient-initiated encounter"}]}],
    "subject": {"reference": "Patient/f001", "display": "P. van de Heuvel"},
    "participant": [{"individual": {"reference": "Practitioner/f002", "display": "P. Voigt"}}],
    "length": {"value": 140, "unit": "min", "system": "http://unitsofmeasure.org", "code": "min"},
    "reasonCode": [{"coding": [{"system": SCT, "code": "34068001", "display": "Heart valve replacement"}]}],
    "hospitalization": {"dischargeDisposition": {"coding": [{"system": SCT, "code": "306689006",
                                                             "display": "Discharge to home"}]}},
    "serviceProvider": {"reference": "Organization/f001"},
}
# encounter-example-f203-20130311: an inpatient stay of nine days at Organization/2
ENCOUNTER_F203 = {
    "resourceType": "Encounter", "id": "f203",
    "identifier": [{"use": "temp", "value": "Encounter_Roel_20130311"}],
    "status": "finished", "statusHistory": [{"status": "arrived", "period": {"start": "2013-03-08"}}],
    "class": {"system": ACT, "code": "IMP", "display": "inpatient encounter"},
    "type": [{"coding": [{"system": SCT, "code": "183807002", "display": "Inpatient stay for nine days"}]}],
    "subject": {"reference": "Patient/f201", "display": "Roel"},
    "episodeOfCare": [{"reference": "EpisodeOfCare/example"}],
    "participant": [{"type": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                                           "code": "PART"}]}], "individual": {"reference": "Practitioner/f201"}}],
    "period": {"start": "2013-03-11", "end": "2013-03-20"},
    "reasonCode": [{"text": "The patient seems to suffer from bilateral pneumonia and renal insufficiency"}],
    "hospitalization": {"admitSource": {"coding": [{"system": SCT, "code": "309902002",
                                                    "display": "Clinical Oncology Department"}]},
                        "reAdmission": {"coding": [{"display": "readmitted"}]}},
    "serviceProvider": {"reference": "Organization/2"},
    "partOf": {"reference": "Encounter/f203"},
}
# encounter-example: in progress, no period
ENCOUNTER_EXAMPLE = {
    "resourceType": "Encounter", "id": "example", "status": "in-progress",
    "class": {"system": ACT, "code": "IMP", "display": "inpatient encounter"},
    "subject": {"reference": "Patient/example"},
}

# R5 (build.fhir.org, encounter-example-f202-20130128): class is a list, participant.actor, status completed
ENCOUNTER_F202_R5 = {
    "resourceType": "Encounter", "id": "f202",
    "identifier": [{"use": "temp", "value": "Encounter_Roel_20130128"}],
    "status": "completed",
    "class": [{"coding": [{"system": ACT, "code": "AMB", "display": "ambulatory"}]}],
    "type": [{"coding": [{"system": SCT, "code": "367336001", "display": "Chemotherapy"}]}],
    "subject": {"reference": "Patient/f201", "display": "Roel"},
    "serviceProvider": {"reference": "Organization/f201"},
    "participant": [{"actor": {"reference": "Practitioner/f201"}}],
}

#: What the examples hold that must never reach an imported table.
NEVER_READ = ("Chalmers", "Windsor", "Careful", "Bronsig", "Heuvel", "Roelof", "Dietician", "Assigned",
              "Erewhon", "5555", "p.heuvel@gmail.com", "Galapagosweg", "Washtenaw", "Marché", "Obesity",
              "12345678901", "738472983", "pneumonia")

#: Every example that imports (the R4 ones).
R4 = (ORGANIZATION_F001, ORGANIZATION_F002, ORGANIZATION_HL7, ORGANIZATION_F201, HEALTHCARE_SERVICE,
      PRACTITIONER_EXAMPLE, PRACTITIONER_F201, PRACTITIONER_14, PRACTITIONER_ROLE, PATIENT_EXAMPLE, PATIENT_F001,
      PATIENT_F201, CARE_TEAM, EPISODE_OF_CARE, CARE_PLAN, CARE_PLAN_F201, ENCOUNTER_HOME, ENCOUNTER_F001,
      ENCOUNTER_EXAMPLE)
