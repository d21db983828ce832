"""What the data contract means, in English and Norwegian bokmål (docs/data.md).

:mod:`handover.model` says which tables, columns and values exist; this module says
what each of them *means*, in words an analyst or a quality adviser in a Norwegian
municipality or health trust uses. It is the one source of those words: docs/data.md
repeats them (a test holds the two equal), ``handover vocabulary`` prints them, and a
mapping drafted from an export shows them beside each guess.

Every meaning is a :class:`Meaning`, a pair ``(en, nb)`` of one line each:

- :data:`VOCABULARY_TITLES`: vocabulary → its title;
- :data:`MEANINGS`: vocabulary → value → what the value means;
- :data:`TABLE_MEANINGS`: table → what one row of it is about;
- :data:`COLUMN_MEANINGS`: table → column → what the column holds.

Examples
--------
>>> VOCABULARY_TITLES["role"]
Meaning(en='Responsibility role', nb='Ansvarsrolle')
>>> MEANINGS["discharge_kind"]["death"].nb
'Brukeren døde'
>>> vocabulary_rows("plan_kind")[0][:2]
('plan_kind', 'individual_plan')
"""

from __future__ import annotations

from typing import NamedTuple

from handover.model import VOCABULARIES

__all__ = [
    "Meaning",
    "VOCABULARY_TITLES",
    "MEANINGS",
    "TABLE_MEANINGS",
    "COLUMN_MEANINGS",
    "vocabulary_rows",
]


class Meaning(NamedTuple):
    """One meaning in two languages: English (``en``) and Norwegian bokmål (``nb``)."""

    en: str
    nb: str


def _meanings(pairs: dict[str, tuple[str, str]]) -> dict[str, Meaning]:
    return {key: Meaning(*pair) for key, pair in pairs.items()}


VOCABULARY_TITLES: dict[str, Meaning] = _meanings({
    "agency_kind": ("Kind of agency", "Virksomhetstype"),
    "agency_level": ("Level of the agency", "Forvaltningsnivå"),
    "service_kind": ("Kind of service", "Tjenestetype"),
    "role": ("Responsibility role", "Ansvarsrolle"),
    "plan_kind": ("Kind of plan", "Plantype"),
    "discharge_kind": ("How an episode ended", "Hvordan forløpet ble avsluttet"),
    "contact_kind": ("Kind of contact", "Kontakttype"),
})

MEANINGS: dict[str, dict[str, Meaning]] = {
    "agency_kind": _meanings({
        "nav_office": (
            "NAV office: the municipal social services and the state Labour and Welfare Administration",
            "NAV-kontor: kommunens sosialtjeneste og den statlige Arbeids- og velferdsetaten"),
        "municipal_health": (
            "The municipal substance-use and mental-health service",
            "Kommunens rus- og psykisk helsetjeneste"),
        "allocation_office": (
            "Allocation office (purchaser): decides on municipal services and orders them from providers",
            "Tildelingskontor (bestiller): fatter vedtak om kommunale tjenester og bestiller dem fra utførerne"),
        "housing": (
            "Housing office: municipal dwellings and help to find a home",
            "Boligkontor: kommunale boliger og hjelp til å skaffe seg bolig"),
        "gp": (
            "GP surgery: the user's regular general practitioner",
            "Fastlegekontor: brukerens fastlege"),
        "dps": (
            "District psychiatric centre (DPS): specialist mental-health care, outpatient and inpatient",
            "Distriktspsykiatrisk senter (DPS): psykisk helsevern i spesialisthelsetjenesten, "
            "poliklinisk og døgn"),
        "tsb": (
            "Specialised addiction treatment (TSB) in a health trust: detox, inpatient, outpatient, LAR",
            "Tverrfaglig spesialisert rusbehandling (TSB) i et helseforetak: avrusning, døgn, poliklinikk, LAR"),
        "hospital": (
            "Hospital: specialist care in a health trust that is neither DPS nor TSB",
            "Sykehus: spesialisthelsetjeneste i et helseforetak som verken er DPS eller TSB"),
        "private_institution": (
            "Private or non-profit treatment institution, often under contract with a regional health authority",
            "Privat eller ideell behandlingsinstitusjon, ofte med avtale med det regionale helseforetaket"),
        "ngo": (
            "Voluntary or non-profit organisation: drop-in centres, user organisations",
            "Frivillig eller ideell organisasjon: værested, brukerorganisasjon"),
        "other": (
            "Any other agency, such as child welfare or the correctional service",
            "Annen virksomhet, for eksempel barnevernet eller kriminalomsorgen"),
    }),
    "agency_level": _meanings({
        "municipal": (
            "Municipal services, the NAV office and the GP included",
            "Kommunale tjenester, også NAV-kontoret og fastlegen"),
        "specialist": (
            "The specialist health service: the health trusts (DPS, TSB, hospitals)",
            "Spesialisthelsetjenesten: helseforetakene (DPS, TSB, sykehus)"),
        "state": (
            "State agencies other than the health trusts",
            "Statlige virksomheter utenom helseforetakene"),
        "private": (
            "Private and non-profit providers and voluntary organisations",
            "Private og ideelle aktører og frivillige organisasjoner"),
    }),
    "service_kind": _meanings({
        "inpatient": (
            "Inpatient treatment in TSB, DPS, a hospital or a private institution; a stay",
            "Døgnbehandling i TSB, DPS, sykehus eller privat institusjon; et opphold"),
        "residential": (
            "Treatment or care while living at an institution or collective; a stay",
            "Behandling eller omsorg mens brukeren bor i institusjon eller kollektiv; et opphold"),
        "detox": (
            "Detoxification and withdrawal treatment; a stay",
            "Avrusning og abstinensbehandling; et opphold"),
        "outpatient": (
            "Outpatient treatment: consultations without staying",
            "Poliklinisk behandling: konsultasjoner uten innleggelse"),
        "ost": (
            "Opioid substitution treatment (LAR)",
            "Legemiddelassistert rehabilitering (LAR)"),
        "housing_support": (
            "Follow-up in the user's home",
            "Booppfølging: oppfølging i brukerens bolig"),
        "low_threshold": (
            "Low-threshold services open without referral, such as drop-in centres",
            "Lavterskeltilbud uten henvisning, for eksempel værested"),
        "day_activity": (
            "Day activities, day centres and work training",
            "Dagaktivitet, dagsenter og arbeidstrening"),
        "social_services": (
            "Social services: financial assistance, advice, temporary accommodation, qualification",
            "Sosiale tjenester: økonomisk stønad, råd og veiledning, midlertidig botilbud, "
            "kvalifiseringsprogram"),
        "other": (
            "Any other service, such as a municipal dwelling",
            "Annen tjeneste, for eksempel kommunal bolig"),
    }),
    "role": _meanings({
        "coordinator": (
            "Coordinator: the one person with overall responsibility for the user and the individual plan",
            "Koordinator: den ene personen med hovedansvar for oppfølgingen og den individuelle planen"),
        "caseworker": (
            "Caseworker: handles the user's case at NAV or another agency",
            "Saksbehandler: behandler brukerens sak ved NAV-kontoret eller en annen virksomhet"),
        "contact": (
            "Contact person: the user's fixed point of contact at the agency",
            "Kontaktperson: brukerens faste kontakt i virksomheten"),
        "therapist": (
            "Therapist: the clinician responsible for the user's treatment",
            "Behandler: den som har ansvar for brukerens behandling"),
        "gp": (
            "The user's regular general practitioner",
            "Brukerens fastlege"),
        "housing_support": (
            "Housing-support worker who follows the user up at home",
            "Booppfølger som følger opp brukeren i boligen"),
        "other": (
            "Any other responsibility",
            "Annet ansvar"),
    }),
    "plan_kind": _meanings({
        "individual_plan": (
            "Individual plan (IP): a right for users with long-term, coordinated needs; one plan, one coordinator",
            "Individuell plan (IP): en rett for den som trenger langvarige og koordinerte tjenester; "
            "én plan, én koordinator"),
        "treatment_plan": (
            "Treatment plan: the specialist service's own plan for the treatment",
            "Behandlingsplan: spesialisthelsetjenestens egen plan for behandlingen"),
        "activity_plan": (
            "Activity plan: NAV's plan for work and activity",
            "Aktivitetsplan: NAVs plan for arbeid og aktivitet"),
        "crisis_plan": (
            "Crisis plan: what the user and the services do when a crisis comes",
            "Kriseplan: hva brukeren og tjenestene gjør når en krise oppstår"),
        "other": (
            "Any other plan",
            "Annen plan"),
    }),
    "discharge_kind": _meanings({
        "planned": (
            "Planned discharge: the episode ended as agreed",
            "Planlagt utskrivning: forløpet ble avsluttet som avtalt"),
        "unplanned": (
            "Unplanned: broken off by the user, against advice or after a breach of rules",
            "Ikke planlagt: avbrutt av brukeren, utskrevet mot råd eller etter regelbrudd"),
        "transfer": (
            "Transfer to another service or institution",
            "Overført til en annen tjeneste eller institusjon"),
        "death": (
            "The user died",
            "Brukeren døde"),
        "other": (
            "Any other ending",
            "Annen avslutning"),
    }),
    "contact_kind": _meanings({
        "visit": (
            "The user came in person: a consultation or conversation at the agency",
            "Oppmøte: konsultasjon eller samtale hos virksomheten"),
        "home_visit": (
            "Home visit: staff met the user where the user lives",
            "Hjemmebesøk: den ansatte møtte brukeren der brukeren bor"),
        "phone": (
            "Phone call",
            "Telefonsamtale"),
        "digital": (
            "Video consultation or other digital contact",
            "Videokonsultasjon eller annen digital kontakt"),
        "meeting": (
            "Meeting about the user, such as a responsibility group meeting",
            "Møte om brukeren, for eksempel ansvarsgruppemøte"),
        "other": (
            "Any other contact",
            "Annen kontakt"),
    }),
}

TABLE_MEANINGS: dict[str, Meaning] = _meanings({
    "agencies": (
        "The agencies serving the users: NAV offices, municipal services, GPs, DPS, TSB, institutions",
        "Virksomhetene som yter tjenester: NAV-kontor, kommunale tjenester, fastleger, DPS, TSB, "
        "institusjoner"),
    "services": (
        "The services each agency provides, such as detox, an outpatient clinic or housing follow-up",
        "Tjenestene hver virksomhet yter, for eksempel avrusning, poliklinikk eller booppfølging"),
    "staff": (
        "The staff members who can be responsible for a user",
        "De ansatte som kan ha ansvar for en bruker"),
    "employments": (
        "Which agency each staff member worked at, and when",
        "Hvilken virksomhet hver ansatt arbeidet i, og når"),
    "users": (
        "The service users",
        "Brukerne av tjenestene"),
    "responsibilities": (
        "Who was responsible for a user, in which role, for which agency, and when",
        "Hvem som hadde ansvar for en bruker, i hvilken rolle, for hvilken virksomhet og når"),
    "plans": (
        "The users' plans and the agency holding each",
        "Brukernes planer og virksomheten som har hver av dem"),
    "episodes": (
        "A user's time in a service: stays (inpatient, residential, detox) and periods of follow-up",
        "Brukerens forløp i en tjeneste: opphold (døgn, institusjon, avrusning) og perioder med oppfølging"),
    "contacts": (
        "Single contacts between a user and an agency: consultations, visits, calls, meetings",
        "Enkeltkontakter mellom en bruker og en virksomhet: konsultasjoner, besøk, samtaler, møter"),
})

# The end of every interval is the first day *not* included (half-open, docs/data.md):
# the wording says so each time, since "til" in a Norwegian export often means the last day.
COLUMN_MEANINGS: dict[str, dict[str, Meaning]] = {
    "agencies": _meanings({
        "agency_id": ("The agency's id", "Virksomhetens id"),
        "name": ("The agency's name", "Virksomhetens navn"),
        "kind": ("What kind of agency it is", "Hva slags virksomhet det er"),
        "level": ("The level the agency belongs to", "Forvaltningsnivået virksomheten hører til"),
        "municipality": ("The municipality the agency is in", "Kommunen virksomheten ligger i"),
    }),
    "services": _meanings({
        "service_id": ("The service's id", "Tjenestens id"),
        "agency_id": ("The agency providing the service", "Virksomheten som yter tjenesten"),
        "name": ("The service's name", "Tjenestens navn"),
        "kind": ("What kind of service it is", "Hva slags tjeneste det er"),
    }),
    "staff": _meanings({
        "staff_id": ("The staff member's id, never a national identity number",
                     "Den ansattes id, aldri et fødselsnummer"),
        "profession": ("Profession or position, as free text", "Yrke eller stilling, som fritekst"),
    }),
    "employments": _meanings({
        "staff_id": ("The staff member employed", "Den ansatte"),
        "agency_id": ("The agency employing the staff member", "Virksomheten den ansatte arbeider i"),
        "start": ("First day of the employment", "Første dag i arbeidsforholdet"),
        "end": ("First day after the employment; empty while it lasts",
                "Første dag etter arbeidsforholdet; tom mens det varer"),
    }),
    "users": _meanings({
        "user_id": ("The user's id, a pseudonym and never a national identity number",
                    "Brukerens id, et pseudonym og aldri et fødselsnummer"),
        "birth_year": ("Year of birth", "Fødselsår"),
        "municipality": ("Municipality of residence", "Bostedskommune"),
    }),
    "responsibilities": _meanings({
        "user_id": ("The user someone is responsible for", "Brukeren ansvaret gjelder"),
        "staff_id": ("The staff member holding the responsibility", "Den ansatte som har ansvaret"),
        "agency_id": ("The agency the responsibility is held for", "Virksomheten ansvaret hører til"),
        "role": ("The role held", "Rollen den ansatte har"),
        "start": ("First day of the responsibility", "Første dag med ansvaret"),
        "end": ("First day without the responsibility; empty while it lasts",
                "Første dag uten ansvaret; tom mens det varer"),
        "reason": ("Why the responsibility began or changed, as free text",
                   "Hvorfor ansvaret begynte eller ble endret, som fritekst"),
    }),
    "plans": _meanings({
        "plan_id": ("The plan's id", "Planens id"),
        "user_id": ("The user the plan is for", "Brukeren planen gjelder"),
        "agency_id": ("The agency holding the plan", "Virksomheten som har planen"),
        "kind": ("What kind of plan it is", "Hva slags plan det er"),
        "start": ("The day the plan was opened", "Dagen planen ble opprettet"),
        "end": ("The day the plan was closed, which is not counted in it; empty while open",
                "Dagen planen ble avsluttet, som ikke regnes med i planen; tom mens den er åpen"),
        "last_revised": ("The day the plan was last revised; empty when never revised",
                         "Dagen planen sist ble revidert; tom når den aldri er revidert"),
    }),
    "episodes": _meanings({
        "episode_id": ("The episode's id", "Forløpets id"),
        "user_id": ("The user", "Brukeren"),
        "service_id": ("The service the episode was at", "Tjenesten forløpet var i"),
        "start": ("Admission: the first day of the episode", "Innskrivning: forløpets første dag"),
        "end": ("The discharge day, which is not counted in the episode; empty while ongoing",
                "Utskrivningsdagen, som ikke regnes med i forløpet; tom mens forløpet pågår"),
        "discharge_kind": ("How the episode ended", "Hvordan forløpet ble avsluttet"),
    }),
    "contacts": _meanings({
        "contact_id": ("The contact's id", "Kontaktens id"),
        "user_id": ("The user", "Brukeren"),
        "agency_id": ("The agency the user had contact with", "Virksomheten brukeren hadde kontakt med"),
        "date": ("The day of the contact", "Datoen for kontakten"),
        "kind": ("What kind of contact it was", "Hva slags kontakt det var"),
        "service_id": ("The service the contact belonged to, when known",
                       "Tjenesten kontakten hørte til, når den er kjent"),
        "staff_id": ("The staff member the user met, when known",
                     "Den ansatte brukeren hadde kontakt med, når det er kjent"),
    }),
}


def vocabulary_rows(name: str | None = None) -> list[tuple[str, str, str, str]]:
    """Every value of every vocabulary (or of vocabulary ``name``) with its two meanings.

    Rows are ``(vocabulary, value, meaning_en, meaning_nb)``, vocabularies and values in
    the order of :data:`handover.model.VOCABULARIES`.

    Parameters
    ----------
    name : str, optional
        One vocabulary, such as ``"role"``; all of them when omitted.

    Returns
    -------
    list of tuple of str

    Raises
    ------
    KeyError
        When ``name`` is not a vocabulary of the contract.

    Examples
    --------
    >>> for row in vocabulary_rows("agency_level"):
    ...     print(row[1], "|", row[3])
    municipal | Kommunale tjenester, også NAV-kontoret og fastlegen
    specialist | Spesialisthelsetjenesten: helseforetakene (DPS, TSB, sykehus)
    state | Statlige virksomheter utenom helseforetakene
    private | Private og ideelle aktører og frivillige organisasjoner
    >>> len(vocabulary_rows()) == sum(len(values) for values in VOCABULARIES.values())
    True
    """
    names = list(VOCABULARIES) if name is None else [name]
    if name is not None and name not in VOCABULARIES:
        raise KeyError(f"{name} is not one of: {', '.join(VOCABULARIES)}")
    return [(vocabulary, value, *MEANINGS[vocabulary][value])
            for vocabulary in names for value in VOCABULARIES[vocabulary]]
