"""The Norwegian words an export uses for the contract's tables, columns and values.

Norwegian systems (NAV's, the municipalities' case systems, the health trusts'
patient records) export sheets called *Ansvar* or *Opphold*, headers such as
*BrukerID* or *Fra dato*, and codes such as *Koordinator* or *Døgnbehandling*. This
module holds the built-in vocabulary that guesses which contract name each of them
is (docs/data.md), for drafting a mapping from an export:

- :func:`guess_table`: a sheet or file name → a contract table;
- :func:`guess_column`: a header of a table → a contract column;
- :func:`guess_value`: a code or display text → a value of a closed vocabulary.

A guess is a suggestion for the analyst to confirm, never applied silently. Text is
matched as :func:`normalise` makes it: case, surrounding space and runs of spaces, ``_``,
``-`` and ``/`` do not matter, and the spellings without æ, ø, å that older systems
and database columns use (*dogn*, *fodselsar*, *foedselsaar*) match too. The English
contract names match themselves (a header ``user_id`` is ``user_id``). Anything else
guesses ``None``.

Examples
--------
>>> guess_table("Ansvar"), guess_column("responsibilities", "BrukerID")
('responsibilities', 'user_id')
>>> guess_value("role", "Koordinator"), guess_value("service_kind", "Døgnbehandling")
('coordinator', 'inpatient')
"""

from __future__ import annotations

import re
from typing import Iterable, Mapping

from handover.model import TABLES, VOCABULARIES

__all__ = [
    "TABLE_NAMES",
    "COLUMN_HEADERS",
    "TABLE_COLUMN_HEADERS",
    "VALUE_CODES",
    "normalise",
    "guess_table",
    "guess_column",
    "guess_value",
]

# Hyphens and dashes of every width: word processors and Excel turn "-" into "–".
_SEPARATORS = re.compile(r"[\s_/\-\u2010-\u2015]+")
_FILE_SUFFIX = re.compile(r"\.(csv|tsv|txt|xlsx|xlsm|xls|parquet)$", re.IGNORECASE)


def normalise(text: str) -> str:
    """``text`` as it is matched: lower-case, stripped, separators as one space.

    Runs of white space, ``_``, ``-`` (and the other dashes) and ``/`` all become one
    space, so ``Bruker_ID``, ``bruker-id`` and ``Bruker  ID`` are the same text.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> normalise("  Bruker_ID ")
    'bruker id'
    >>> normalise("Rus- og psykisk helsetjeneste") == normalise("rus og psykisk helsetjeneste")
    True
    >>> normalise("Dato/Fra")
    'dato fra'
    """
    return _SEPARATORS.sub(" ", str(text).lower()).strip()


def _spellings(word: str) -> set[str]:
    """``word`` normalised, and as systems without æ, ø, å spell it (ae/o/a and ae/oe/aa)."""
    word = normalise(word)
    return {word,
            word.replace("æ", "ae").replace("ø", "o").replace("å", "a"),
            word.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")}


def _ids(*stems: str) -> tuple[str, ...]:
    """The ways an id column is headed: ``brukerid``, ``bruker id``, ``brukernr``, ..."""
    return tuple(f"{stem}{sep}{suffix}" for stem in stems for sep in ("", " ")
                 for suffix in ("id", "nr", "nummer"))


def _index(entries: Iterable[tuple[str, str]], what: str) -> dict[str, str]:
    """``normalised word -> contract name``, refusing a word that would mean two names."""
    index: dict[str, str] = {}
    for word, name in entries:
        for spelling in _spellings(word):
            if index.setdefault(spelling, name) != name:
                raise ValueError(f"{what}: {spelling!r} would mean both {index[spelling]} and {name}")
    return index


# --- tables -------------------------------------------------------------------------------

#: Contract table → the sheet and file names Norwegian exports give it.
TABLE_NAMES: dict[str, tuple[str, ...]] = {
    "agencies": ("virksomheter", "virksomhet", "enheter", "enhet", "tjenestesteder", "tjenestested",
                 "kontorer", "kontor", "avdelinger", "organisasjoner"),
    "services": ("tjenester", "tjeneste", "tjenestetilbud", "tilbud", "tiltak"),
    "staff": ("ansatte", "ansatt", "medarbeidere", "medarbeider", "personale", "saksbehandlere"),
    "employments": ("arbeidsforhold", "ansettelser", "ansettelse", "stillinger"),
    "users": ("brukere", "bruker", "klienter", "klient", "pasienter", "pasient", "tjenestemottakere"),
    "responsibilities": ("ansvar", "ansvarsforhold", "saksansvar", "ansvarlige"),
    "plans": ("planer", "plan", "individuelle planer"),
    "episodes": ("opphold", "episoder", "episode", "innleggelser", "innleggelse", "forløp",
                 "behandlingsforløp", "innskrivninger"),
    "contacts": ("kontakter", "kontakt", "konsultasjoner", "konsultasjon", "samtaler", "samtale"),
}

# --- columns ------------------------------------------------------------------------------

#: Contract column → headers that name it in any table that has the column.
COLUMN_HEADERS: dict[str, tuple[str, ...]] = {
    # A unit, office or place of service in an export is the agency row it points to.
    "agency_id": _ids("virksomhet", "virksomhets", "enhet", "enhets", "kontor", "avdeling",
                      "tjenestested")
                 + ("virksomhet", "enhet", "kontor", "tjenestested", "enhetskode", "orgnr",
                    "organisasjonsnummer"),
    # Never fødselsnummer / personnummer: a national id must not become a user id by a guess
    # (`handover pseudonymize` replaces such ids first).
    "user_id": _ids("bruker", "klient", "pasient") + ("bruker", "klient", "pasient"),
    "staff_id": _ids("ansatt", "saksbehandler", "medarbeider", "behandler")
                + ("ansatt", "saksbehandler", "medarbeider"),
    "service_id": _ids("tjeneste", "tiltak") + ("tjenestekode",),
    "plan_id": _ids("plan"),
    "episode_id": _ids("opphold", "episode", "innleggelse", "forløp"),
    "contact_id": _ids("kontakt", "konsultasjon", "samtale"),
    "start": ("fra", "fra dato", "fradato", "dato fra", "fra og med", "fom", "startdato", "start",
              "startet", "gyldig fra", "innskrevet", "innskrivning", "innskrivningsdato",
              "innlagt", "innleggelsesdato"),
    # Not "til og med" / "tom" / "t.o.m.": such a date is the last day *included*, one day
    # before the contract's end, so guessing it as `end` would shift every interval by a day.
    "end": ("til", "til dato", "tildato", "dato til", "sluttdato", "slutt", "sluttet", "gyldig til",
            "avsluttet", "avslutningsdato", "utskrevet", "utskrivning", "utskrivningsdato"),
    "role": ("rolle", "ansvarstype", "ansvarsrolle", "type ansvar"),
    "kind": ("type",),
    "last_revised": ("sist revidert", "revidert", "revidert dato", "revisjonsdato", "sist oppdatert",
                     "sist evaluert", "evaluert"),
    "discharge_kind": ("utskrivningsårsak", "utskrivningstype", "utskrivningsmåte",
                       "årsak til utskrivning", "avslutningsårsak", "avslutningstype", "avslutningsmåte"),
    "date": ("dato", "kontaktdato", "konsultasjonsdato", "møtedato", "tidspunkt"),
    "name": ("navn",),
    "level": ("nivå", "forvaltningsnivå", "tjenestenivå"),
    "municipality": ("kommune", "kommunenavn", "kommunenummer", "kommunenr", "bostedskommune",
                     "hjemkommune"),
    "birth_year": ("fødselsår", "fødeår", "født", "født år"),
    "profession": ("yrke", "yrkesgruppe", "profesjon", "stilling", "stillingstittel", "fagbakgrunn"),
    "reason": ("årsak", "begrunnelse", "grunn", "endringsårsak", "årsak til endring"),
}

#: Headers that name a column in one table only: "plantype" is a plan's kind, not a service's.
TABLE_COLUMN_HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "agencies": {
        # In the agencies table itself a "Virksomhet" column beside "VirksomhetID" is the
        # agency's name; elsewhere the same word points to an agency (agency_id).
        "name": ("virksomhetsnavn", "enhetsnavn", "kontornavn", "avdelingsnavn", "virksomhet", "enhet",
                 "kontor", "tjenestested"),
        "kind": ("virksomhetstype", "enhetstype", "kontortype"),
    },
    "services": {
        "name": ("tjenestenavn", "tiltaksnavn", "tjeneste"),
        "kind": ("tjenestetype", "tiltakstype"),
    },
    "employments": {
        "start": ("ansatt fra", "ansettelsesdato", "tiltredelsesdato"),
        "end": ("ansatt til", "fratredelsesdato"),
    },
    "responsibilities": {
        "start": ("ansvar fra", "ansvarlig fra"),
        "end": ("ansvar til", "ansvarlig til"),
    },
    "plans": {
        "kind": ("plantype", "type plan"),
        "start": ("opprettet", "opprettet dato", "plan opprettet"),
    },
    "episodes": {
        "service_id": ("tjeneste", "tiltak"),
    },
    "contacts": {
        "kind": ("kontakttype", "kontaktform", "type kontakt"),
        "service_id": ("tjeneste", "tiltak"),
        "staff_id": ("behandler",),
    },
}

# --- values -------------------------------------------------------------------------------

# Every vocabulary has `other`; these words mean it in every one of them.
_OTHER = ("annet", "annen", "andre", "øvrig", "øvrige")

#: Vocabulary → contract value → the codes and display texts Norwegian systems use for it.
VALUE_CODES: dict[str, dict[str, tuple[str, ...]]] = {
    "agency_kind": {
        # The NAV office is where the municipal social services are delivered.
        "nav_office": ("nav", "nav kontor", "navkontor", "nav kontoret", "nav lokalt", "sosialtjenesten",
                       "sosialkontor", "sosialkontoret"),
        "municipal_health": ("rus og psykisk helsetjeneste", "kommunal rus og psykisk helsetjeneste",
                             "rus og psykisk helse", "kommunal rus og psykisk helse", "psykisk helse og rus",
                             "enhet for rus og psykisk helse", "rustjeneste", "rustjenesten",
                             "kommunal rustjeneste", "psykisk helsetjeneste", "kommunal psykisk helsetjeneste",
                             "psykisk helse og rusarbeid"),
        # Trondheim's purchasers are its helse- og velferdskontor (DOMAIN.md, 002).
        "allocation_office": ("tildelingskontor", "tildelingskontoret", "tildeling", "tildelingsenhet",
                              "bestillerkontor", "bestillerkontoret", "bestiller", "bestillerenhet",
                              "forvaltningskontor", "forvaltningsenhet", "tjenestekontor",
                              "helse og velferdskontor"),
        "housing": ("boligkontor", "boligkontoret", "bolig", "boligtjeneste", "boligtjenesten", "boligetat",
                    "boligetaten", "boligavdeling", "boligsosial tjeneste"),
        "gp": ("fastlege", "fastlegekontor", "fastlegepraksis", "legekontor", "legesenter", "allmennlege",
               "allmennpraksis", "allmennlegekontor"),
        "dps": ("dps", "distriktspsykiatrisk senter", "distriktspsykiatrisk senter (dps)",
                "distriktspsykiatrisk"),
        "tsb": ("tsb", "tverrfaglig spesialisert rusbehandling", "tverrfaglig spesialisert rusbehandling (tsb)",
                "tverrfaglig spesialisert behandling for rusmiddelavhengighet", "rusbehandling",
                "avdeling for rusbehandling", "avdeling for rus og avhengighet", "rus og avhengighet",
                "avhengighetsbehandling", "rusklinikk", "rusmedisin"),
        # "helseforetak", "hf" and "psykisk helsevern" are left out on purpose: a health trust
        # runs DPS, TSB and hospitals alike, and which of them an agency is decides how its
        # episodes read. The level is clear (see agency_level); the kind the analyst must say.
        "hospital": ("sykehus", "sykehuset", "lokalsykehus", "somatikk", "somatisk sykehus",
                     "somatisk avdeling"),
        # An agency an export calls just "institusjon" is, beside the health trusts' own units
        # (named by their department: DPS, TSB), the private or non-profit treatment
        # institution under contract with the health region. As a *service* kind the same
        # word is a residential stay (service_kind below).
        "private_institution": ("institusjon", "privat institusjon", "private institusjoner",
                                "privat behandlingsinstitusjon", "privat rusinstitusjon", "ideell institusjon",
                                "privat ideell institusjon", "avtaleinstitusjon"),
        "ngo": ("frivillig", "frivillig organisasjon", "frivillig sektor", "ideell", "ideell organisasjon",
                "brukerorganisasjon", "humanitær organisasjon"),
        # Emergency primary care (legevakt) is not the user's own GP.
        "other": _OTHER + ("legevakt", "barnevern", "barneverntjeneste", "barneverntjenesten",
                           "kriminalomsorg", "kriminalomsorgen", "fengsel"),
    },
    "agency_level": {
        "municipal": ("kommunal", "kommunalt", "kommune", "kommunen", "primærhelsetjeneste",
                      "primærhelsetjenesten", "førstelinje", "førstelinjetjeneste"),
        # Whichever unit of a health trust an agency is, its level is the specialist service.
        "specialist": ("spesialisthelsetjeneste", "spesialisthelsetjenesten", "spesialist", "spesialisert",
                       "helseforetak", "hf", "regionalt helseforetak", "rhf", "andrelinje",
                       "andrelinjetjeneste"),
        "state": ("statlig", "statlige", "stat", "staten"),
        "private": ("privat", "private", "ideell", "frivillig", "privat ideell"),
    },
    "service_kind": {
        "inpatient": ("døgn", "døgnbehandling", "døgnopphold", "døgnpost", "døgnplass", "døgnavdeling",
                      "døgnbehandling rus", "innleggelse"),
        # As a service, "institusjon" is living at the institution: a residential stay. So is
        # a dwelling given together with its follow-up (staffed housing); follow-up in the
        # user's own home is booppfølging (housing_support).
        "residential": ("institusjon", "institusjonsopphold", "rusinstitusjon", "omsorgsinstitusjon",
                        "behandlingsinstitusjon", "kollektiv", "behandlingskollektiv", "langtidsbehandling",
                        "langtidsopphold", "korttidsopphold", "bolig med oppfølging", "bemannet bolig"),
        "detox": ("avrusning", "akuttavrusning", "akutt avrusning", "avrusningsopphold", "avgiftning",
                  "abstinensbehandling"),
        # Day treatment in the specialist service is treatment while living at home.
        "outpatient": ("poliklinikk", "poliklinisk", "poliklinisk behandling", "poli", "dagbehandling",
                       "ambulant behandling"),
        "ost": ("lar", "legemiddelassistert rehabilitering", "legemiddelassistert rehabilitering (lar)",
                "lar behandling", "substitusjonsbehandling"),
        "housing_support": ("booppfølging", "bo oppfølging", "boligoppfølging", "oppfølging i bolig",
                            "bo og miljøoppfølging", "botrening", "housing first"),
        "low_threshold": ("lavterskel", "lavterskeltilbud", "lavterskeltjeneste", "lavterskel helsetilbud",
                          "lavterskeltilbud rus", "værested", "feltpleie", "brukerrom", "sprøyterom"),
        "day_activity": ("dagaktivitet", "dagaktiviteter", "dagtilbud", "dagsenter", "aktivitetstilbud",
                         "aktivitetssenter", "arbeidstrening"),
        # Temporary accommodation (a hostel) is a social service, not a stay: discharge to a
        # hostel is discharge to the street (DOMAIN.md).
        "social_services": ("sosialtjeneste", "sosialtjenesten", "sosialtjenester", "sosiale tjenester",
                            "sosialhjelp", "økonomisk sosialhjelp", "økonomisk stønad", "råd og veiledning",
                            "opplysning råd og veiledning", "midlertidig botilbud", "kvalifiseringsprogram",
                            "kvalifiseringsprogrammet", "kvp"),
        "other": _OTHER,
    },
    "role": {
        "coordinator": ("koordinator", "ip koordinator", "koordinator ip", "koordinator for individuell plan",
                        "kommunal koordinator", "midlertidig koordinator"),
        # LAR and substance-use consultants at NAV carry caseloads like other caseworkers (DOMAIN.md).
        "caseworker": ("saksbehandler", "sosialkonsulent", "ruskonsulent", "lar konsulent", "veileder",
                       "nav veileder", "saksansvarlig"),
        # In a ward or a municipal service the primærkontakt is the user's fixed contact among
        # the staff; the one responsible for treatment is the behandler (therapist).
        "contact": ("kontaktperson", "fast kontaktperson", "kontakt", "primærkontakt"),
        "therapist": ("behandler", "terapeut", "hovedbehandler", "behandlingsansvarlig"),
        "gp": ("fastlege", "fastlegen", "allmennlege"),
        "housing_support": ("booppfølger", "bo oppfølger", "boligoppfølger", "boveileder"),
        "other": _OTHER,
    },
    "plan_kind": {
        "individual_plan": ("individuell plan", "individuell plan (ip)", "ip"),
        "treatment_plan": ("behandlingsplan",),
        "activity_plan": ("aktivitetsplan", "nav aktivitetsplan"),
        "crisis_plan": ("kriseplan",),
        "other": _OTHER + ("annen plan",),
    },
    "discharge_kind": {
        "planned": ("planlagt", "planlagt utskrivning", "planlagt avslutning", "etter plan",
                    "avsluttet etter plan", "fullført", "fullført behandling", "ferdigbehandlet"),
        "unplanned": ("ikke planlagt", "ikke planlagt utskrivning", "uplanlagt", "avbrudd", "avbrutt",
                      "avbrutt behandling", "brudd", "utskrevet mot råd", "mot råd", "selvutskrevet",
                      "selvutskrivning", "regelbrudd", "utskrevet etter regelbrudd", "rømt", "rømning"),
        "transfer": ("overført", "overføring", "overflyttet", "overflytting", "overført til annen institusjon",
                     "overført til annen enhet"),
        "death": ("død", "døde", "dødsfall", "avdød"),
        "other": _OTHER,
    },
    "contact_kind": {
        # A "samtale" without a channel is a conversation in person; calls and video say so.
        "visit": ("samtale", "oppmøte", "fremmøte", "personlig oppmøte", "konsultasjon", "individuell samtale",
                  "poliklinisk konsultasjon"),
        "home_visit": ("hjemmebesøk", "besøk i hjemmet", "besøk hjemme"),
        "phone": ("telefon", "telefonsamtale", "telefonkonsultasjon", "telefonkontakt", "tlf"),
        "digital": ("digital", "digitalt", "video", "videosamtale", "videokonsultasjon", "skjermkonsultasjon",
                    "e konsultasjon", "ekonsultasjon"),
        "meeting": ("møte", "ansvarsgruppemøte", "ansvarsgruppe", "samarbeidsmøte", "nettverksmøte",
                    "dialogmøte"),
        "other": _OTHER,
    },
}


def _table_index() -> dict[str, str]:
    return _index([(table, table) for table in TABLES]
                  + [(word, table) for table, words in TABLE_NAMES.items() for word in words], "tables")


def _column_index(table: str) -> dict[str, str]:
    specific: Mapping[str, tuple[str, ...]] = TABLE_COLUMN_HEADERS.get(table, {})
    # A table's own words win over the general ones ("virksomhet" is a name in agencies).
    claimed = {spelling for words in specific.values() for word in words for spelling in _spellings(word)}
    entries = []
    for column in TABLES[table].column_names:
        general = [word for word in COLUMN_HEADERS.get(column, ()) if normalise(word) not in claimed]
        entries += [(word, column) for word in (column, *general, *specific.get(column, ()))]
    return _index(entries, f"{table} columns")


def _value_index(vocabulary: str) -> dict[str, str]:
    entries = []
    for value in VOCABULARIES[vocabulary]:
        entries += [(word, value) for word in (value,) + VALUE_CODES[vocabulary].get(value, ())]
    return _index(entries, vocabulary)


# Built once, at import: a word that would mean two names stops the import (and the tests).
_TABLES = _table_index()
_COLUMNS = {table: _column_index(table) for table in TABLES}
_VALUES = {vocabulary: _value_index(vocabulary) for vocabulary in VOCABULARIES}


def guess_table(name: str) -> str | None:
    """The contract table a sheet or file called ``name`` most likely holds, or ``None``.

    A file suffix (``.csv``, ``.xlsx``, ``.parquet``, ...) is ignored.

    Parameters
    ----------
    name : str
        A sheet name or a file name, such as ``"Ansvar"`` or ``"brukere.csv"``.

    Returns
    -------
    str or None
        A key of :data:`handover.model.TABLES`.

    Examples
    --------
    >>> guess_table("Ansvar"), guess_table("brukere.csv"), guess_table("Episodes")
    ('responsibilities', 'users', 'episodes')
    >>> guess_table("Budsjett") is None
    True
    """
    return _TABLES.get(normalise(_FILE_SUFFIX.sub("", str(name).strip())))


def guess_column(table: str, header: str) -> str | None:
    """The column of contract ``table`` that ``header`` most likely is, or ``None``.

    Only columns of ``table`` are guessed: ``Dato`` is the ``date`` of a contact but
    nothing in ``episodes``, and ``Plantype`` is a plan's ``kind`` only. A table's own
    words (:data:`TABLE_COLUMN_HEADERS`) win over the general ones (:data:`COLUMN_HEADERS`).

    Parameters
    ----------
    table : str
        A contract table, such as ``"responsibilities"``.
    header : str
        A column header of the export.

    Returns
    -------
    str or None

    Raises
    ------
    KeyError
        When ``table`` is not a table of the contract.

    Examples
    --------
    >>> guess_column("responsibilities", "BrukerID"), guess_column("responsibilities", "Fra dato")
    ('user_id', 'start')
    >>> guess_column("episodes", "Utskrivningsårsak"), guess_column("users", "fodselsar")
    ('discharge_kind', 'birth_year')
    >>> guess_column("agencies", "Virksomhet"), guess_column("services", "Virksomhet")
    ('name', 'agency_id')
    >>> guess_column("episodes", "Dato") is None
    True
    """
    return _COLUMNS[table].get(normalise(header))


def guess_value(vocabulary: str, text: str) -> str | None:
    """The value of ``vocabulary`` that the code or display ``text`` most likely is, or ``None``.

    Parameters
    ----------
    vocabulary : str
        A key of :data:`handover.model.VOCABULARIES`, such as ``"role"``.
    text : str
        A code or display text from the export.

    Returns
    -------
    str or None

    Raises
    ------
    KeyError
        When ``vocabulary`` is not a vocabulary of the contract.

    Examples
    --------
    >>> guess_value("role", "Koordinator"), guess_value("agency_kind", "NAV-kontor")
    ('coordinator', 'nav_office')
    >>> guess_value("service_kind", "Institusjon"), guess_value("agency_kind", "Institusjon")
    ('residential', 'private_institution')
    >>> guess_value("discharge_kind", "Utskrevet mot råd"), guess_value("plan_kind", "IP")
    ('unplanned', 'individual_plan')
    >>> guess_value("role", "Sjef") is None
    True
    """
    return _VALUES[vocabulary].get(normalise(text))
