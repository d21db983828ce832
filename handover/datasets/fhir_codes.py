"""How FHIR codes become the contract's vocabulary values in ``handover import fhir``.

A coded FHIR element (a ``Coding``, a ``CodeableConcept`` or a list of them) is read
as a *concept key*: the tuple of its candidate texts in order, for each coding its
``system|code``, its ``code`` and its ``display``, then each concept's ``text``
(:func:`concept_key`). A key is turned into a contract value by :class:`Codes`, once
per distinct key:

1. the mapping file's ``[fhir.values.<vocabulary>]`` table, tried on every candidate
   (codes and displays match after trimming, without regard to case);
2. handover's defaults, tried on every candidate: the standard FHIR and SNOMED CT codes
   of :data:`DEFAULT_CODES`, the English words in it, and handover's Norwegian vocabulary
   (:func:`handover.io.norwegian.guess_value`, which also knows the contract values
   themselves: a code ``coordinator`` is ``coordinator``);
3. otherwise ``other`` (every vocabulary read from FHIR has it, except the agency
   level, which is told from the kind: :func:`level_of_kind`), and the key is counted,
   so that ``import-report.md`` lists every code read as ``other``.

Examples
--------
>>> codes = Codes()
>>> key = concept_key([{"coding": [{"system": "urn:x", "code": "K1", "display": "Koordinator"}]}])
>>> key
('urn:x|K1', 'K1', 'Koordinator')
>>> codes.value("role", key), codes.how("role", key)
('coordinator', 'default')
>>> codes.value("role", concept_key({"text": "Sjef"})), codes.how("role", ("Sjef",))
('other', 'not recognised')
"""

from __future__ import annotations

from handover.io.mapping import FhirMapping, value_key
from handover.io.norwegian import guess_value, normalise

__all__ = ["concept_key", "concept_keyer", "shown_code", "Codes", "DEFAULT_CODES", "EPISODE_CLASSES", "CLASS_CONTACT_KINDS",
           "level_of_kind", "KIND_LEVELS"]

_DISCHARGE = "http://terminology.hl7.org/CodeSystem/discharge-disposition"
_SNOMED = "http://snomed.info/sct"
_ORG_TYPE = "http://terminology.hl7.org/CodeSystem/organization-type"
_MODE = "http://terminology.hl7.org/CodeSystem/v3-ParticipationMode"

#: The ``Encounter.class`` codes (v3 ActCode) that are stays, read as episodes; every other
#: class is a single contact. ``[fhir] episode_classes`` in a mapping file replaces the list.
EPISODE_CLASSES: tuple[str, ...] = ("IMP", "ACUTE", "NONAC", "SS", "OBSENC")

#: The contact kind an ``Encounter.class`` gives when ``Encounter.type`` tells none.
CLASS_CONTACT_KINDS: dict[str, str] = {
    "amb": "visit", "ambulatory": "visit", "prenc": "visit", "pre-admission": "visit",
    "hh": "home_visit", "home health": "home_visit",
    "vr": "digital", "virtual": "digital",
    "fld": "other", "field": "other", "emer": "other", "emergency": "other",
}

#: Per vocabulary, FHIR and SNOMED CT codes (``system|code``) and English words → contract value.
#: Norwegian words come from :mod:`handover.io.norwegian`.
DEFAULT_CODES: dict[str, dict[str, str]] = {
    "role": {
        "coordinator": "coordinator", "care coordinator": "coordinator", "care manager": "coordinator",
        "case manager": "coordinator", "individual plan coordinator": "coordinator",
        "case worker": "caseworker", "caseworker": "caseworker",
        "contact person": "contact", "primary contact": "contact", "key worker": "contact",
        "therapist": "therapist", "primary therapist": "therapist", "responsible clinician": "therapist",
        f"{_SNOMED}|62247001": "gp", "general practitioner": "gp", "family doctor": "gp",
        "family medicine specialist": "gp", "regular general practitioner": "gp",
        "housing support worker": "housing_support", "housing support": "housing_support",
    },
    "agency_kind": {
        f"{_ORG_TYPE}|cg": "ngo", "community group": "ngo", "non-profit organisation": "ngo",
        "non-profit organization": "ngo", "ngo": "ngo",
        "hospital": "hospital", "general practice": "gp", "gp surgery": "gp", "gp practice": "gp",
        "district psychiatric centre": "dps", "district psychiatric center": "dps",
        "housing office": "housing", "nav office": "nav_office",
    },
    "agency_level": {},
    "service_kind": {
        "inpatient": "inpatient", "inpatient care": "inpatient", "inpatient treatment": "inpatient",
        "residential": "residential", "residential treatment": "residential", "residential care": "residential",
        "detox": "detox", "detoxification": "detox", "withdrawal management": "detox",
        "outpatient": "outpatient", "outpatient clinic": "outpatient", "outpatient treatment": "outpatient",
        "opioid substitution treatment": "ost", "opioid agonist treatment": "ost",
        "housing support": "housing_support", "low threshold": "low_threshold", "drop-in centre": "low_threshold",
        "day centre": "day_activity", "day activity": "day_activity", "social services": "social_services",
    },
    "plan_kind": {
        "individual plan": "individual_plan", "treatment plan": "treatment_plan",
        "http://hl7.org/fhir/us/core/CodeSystem/careplan-category|assess-plan": "treatment_plan",
        "activity plan": "activity_plan", "crisis plan": "crisis_plan", "crisis management plan": "crisis_plan",
    },
    "discharge_kind": {
        f"{_DISCHARGE}|home": "planned", f"{_DISCHARGE}|alt-home": "planned",
        f"{_DISCHARGE}|other-hcf": "transfer", f"{_DISCHARGE}|hosp": "transfer", f"{_DISCHARGE}|long": "transfer",
        f"{_DISCHARGE}|psy": "transfer", f"{_DISCHARGE}|rehab": "transfer", f"{_DISCHARGE}|snf": "transfer",
        f"{_DISCHARGE}|aadvice": "unplanned", f"{_DISCHARGE}|exp": "death", f"{_DISCHARGE}|oth": "other",
        f"{_SNOMED}|306689006": "planned", "discharge to home": "planned", "discharged to home": "planned",
        "home": "planned", "left against advice": "unplanned", "against medical advice": "unplanned",
        "expired": "death", "died": "death", "deceased": "death", "transfer": "transfer",
        "transferred": "transfer",
    },
    "contact_kind": {
        f"{_SNOMED}|185317003": "phone", f"{_SNOMED}|439708006": "home_visit", f"{_SNOMED}|11429006": "visit",
        f"{_MODE}|PHONE": "phone", f"{_MODE}|VIDEOCONF": "digital",
        "phone": "phone", "telephone": "phone", "telephone encounter": "phone", "telephone consultation": "phone",
        "video": "digital", "video consultation": "digital", "virtual": "digital",
        "home visit": "home_visit", "meeting": "meeting", "case conference": "meeting",
        "consultation": "visit", "office visit": "visit",
    },
}
_DEFAULTS = {vocabulary: {(k if "|" in k else normalise(k)): v for k, v in codes.items()}
             for vocabulary, codes in DEFAULT_CODES.items()}

#: The level an agency's kind implies (an agency of kind ``other`` has none).
KIND_LEVELS: dict[str, str] = {
    "nav_office": "municipal", "municipal_health": "municipal", "allocation_office": "municipal",
    "housing": "municipal", "gp": "municipal", "dps": "specialist", "tsb": "specialist",
    "hospital": "specialist", "private_institution": "private", "ngo": "private",
}


def level_of_kind(kind: str | None) -> str | None:
    """The agency level ``kind`` implies, or ``None``.

    Examples
    --------
    >>> level_of_kind("tsb"), level_of_kind("gp"), level_of_kind("other")
    ('specialist', 'municipal', None)
    """
    return KIND_LEVELS.get(kind) if kind else None


def _coding_candidates(coding, out: list) -> None:
    if type(coding) is not dict:
        return
    system, code, display = coding.get("system"), coding.get("code"), coding.get("display")
    if type(code) is str and code:
        if type(system) is str and system:
            out.append(f"{system}|{code}")
        out.append(code)
    if type(display) is str and display:
        out.append(display)


def concept_key(value) -> tuple[str, ...]:
    """The candidate texts of a ``Coding``, a ``CodeableConcept`` or a list of them, in order.

    Examples
    --------
    >>> concept_key({"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "IMP"})
    ('http://terminology.hl7.org/CodeSystem/v3-ActCode|IMP', 'IMP')
    >>> concept_key([{"text": "a"}, {"coding": [{"code": "b"}]}])
    ('b', 'a')
    >>> concept_key(None)
    ()
    """
    if not value:
        return ()
    concepts = value if type(value) is list else (value,)
    out: list[str] = []
    texts = []
    for concept in concepts:
        if type(concept) is not dict:
            continue
        if "coding" in concept:
            codings = concept["coding"]
            if type(codings) is list:
                for coding in codings:
                    _coding_candidates(coding, out)
            text = concept.get("text")
            if type(text) is str and text:
                texts.append(text)
        elif "code" in concept or "display" in concept:
            _coding_candidates(concept, out)  # a Coding
        else:
            text = concept.get("text")
            if type(text) is str and text:
                texts.append(text)
    return tuple(out + texts)


def concept_keyer():
    """:func:`concept_key`, remembered for the common shapes of coded elements.

    Millions of encounters carry a few dozen distinct codes: a ``Coding``, a
    ``CodeableConcept`` with one coding (and maybe a text), or a list of one such, is
    recognised by its four strings, and its key made once.

    Examples
    --------
    >>> key = concept_keyer()
    >>> key([{"coding": [{"code": "AMB"}]}]) == concept_key([{"coding": [{"code": "AMB"}]}]) == ("AMB",)
    True
    >>> key({"text": "Telefon"}), key(None)
    (('Telefon',), ())
    """
    cache: dict[tuple, tuple[str, ...]] = {}

    def key(value) -> tuple[str, ...]:
        if not value:
            return ()
        concept = value
        if type(concept) is list:
            if len(concept) != 1 or type(concept[0]) is not dict:
                return concept_key(value)
            concept = concept[0]
        elif type(concept) is not dict:
            return ()
        codings = concept.get("coding")
        if codings is None:
            signature = (concept.get("system"), concept.get("code"), concept.get("display"), concept.get("text"))
        elif type(codings) is list and len(codings) == 1 and type(codings[0]) is dict:
            coding = codings[0]
            signature = (coding.get("system"), coding.get("code"), coding.get("display"), concept.get("text"), 1)
        else:
            return concept_key(value)
        got = cache.get(signature)
        if got is None:
            got = cache[signature] = concept_key(value)
        return got

    return key


def shown_code(key: tuple[str, ...]) -> str:
    """A concept key as the report shows it: its first code (and display), or its text.

    Examples
    --------
    >>> shown_code(("urn:x|K1", "K1", "Koordinator")), shown_code(("Sjef",)), shown_code(())
    ('K1 (Koordinator) [urn:x]', 'Sjef', '(none)')
    """
    if not key:
        return "(none)"
    first = key[0]
    if "|" in first:
        system, code = first.split("|", 1)
        display = key[2] if len(key) > 2 and key[1] == code and "|" not in key[2] else None
        return f"{code} ({display}) [{system}]" if display else f"{code} [{system}]"
    return first


class Codes:
    """Concept keys → contract values, through a mapping's ``[fhir.values]`` and the defaults.

    Parameters
    ----------
    mapping : FhirMapping, optional
        The ``[fhir]`` section of the mapping file.

    Each distinct key is translated once (:meth:`value`); :meth:`how` says how
    (``mapping``, ``default`` or ``not recognised``).
    """

    def __init__(self, mapping: FhirMapping | None = None):
        self.mapping = mapping or FhirMapping()
        self._tables = {vocabulary: self.mapping.translation(vocabulary) for vocabulary in DEFAULT_CODES}
        self._cache: dict[tuple[str, tuple[str, ...]], tuple[str | None, str, str | None]] = {}

    def _lookup(self, vocabulary: str, key: tuple[str, ...]) -> tuple[str | None, str, str | None]:
        found = self._cache.get((vocabulary, key))
        if found is not None:
            return found
        table = self._tables[vocabulary]
        result: tuple[str | None, str, str | None] = (None, "not recognised", None)
        for candidate in key:
            value = table.get(value_key(candidate))
            if value is not None:
                result = (value, "mapping", candidate)
                break
        else:
            defaults = _DEFAULTS[vocabulary]
            for candidate in key:
                value = defaults.get(candidate if "|" in candidate else normalise(candidate))
                if value is None and "|" not in candidate:
                    value = guess_value(vocabulary, candidate)
                if value is not None:
                    result = (value, "default", candidate)
                    break
        self._cache[vocabulary, key] = result
        return result

    def matched(self, vocabulary: str, key: tuple[str, ...]) -> str | None:
        """The code or display of ``key`` that decided its value (``None`` when none did)."""
        return self._lookup(vocabulary, key)[2]

    def find(self, vocabulary: str, key: tuple[str, ...]) -> str | None:
        """The contract value ``key`` stands for, or ``None`` when nothing recognises it."""
        return self._lookup(vocabulary, key)[0]

    def value(self, vocabulary: str, key: tuple[str, ...]) -> str:
        """The contract value ``key`` stands for; ``other`` when nothing recognises it."""
        return self._lookup(vocabulary, key)[0] or "other"

    def how(self, vocabulary: str, key: tuple[str, ...]) -> str:
        """``mapping``, ``default`` or ``not recognised``."""
        return self._lookup(vocabulary, key)[1]
