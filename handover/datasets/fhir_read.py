"""Reading the nine FHIR R4 resource types ``handover import fhir`` uses into compact columns.

One pass over the resources of a :class:`~handover.io.fhir_source.FhirSource`: each
resource is turned, as soon as :func:`json.loads` has made it, into the few values the
contract needs, appended to plain Python lists (one per field and resource type), and
dropped. Names, addresses, telecom, narrative and free text are never touched, so they
live no longer than the parsed line. Repeated values (references, codes, days) are
shared: a reference is parsed once per distinct text, a date once per distinct day, a
code once per distinct concept (:func:`~handover.datasets.fhir_codes.concept_key`).

What this module checks as it reads (:class:`FhirReader`):

- **FHIR R5** (and STU3) is refused at the first resource that shows it: an element R4
  does not have or a shape R4 does not use (:data:`R5_SIGNS`); the message names the
  place, the resource and the element.
- Dates: a period's start or end must be a full day (``YYYY-MM-DD``, or a dateTime);
  partial dates in periods and impossible dates are collected as problems, each with its
  place, resource, element and value.
- Patient identifiers whose system is a national identity number (fødselsnummer,
  D-number, felles hjelpenummer, DUF-number: :data:`NATIONAL_ID_SYSTEMS`) are collected;
  their values are never read.

What it skips, it counts by resource type and reason (``skipped``); references are
resolved later (:mod:`handover.datasets.fhir`).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from array import array
from collections import Counter, deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from handover.datasets.fhir_codes import EPISODE_CLASSES, concept_key, concept_keyer
from handover.errors import InputError
from handover.io.fhir_source import CONTAINED, FhirSource, fhir_day, parse_reference
from handover.io.mapping import FhirMapping
from handover.io.raw import holds_words, shown_value

__all__ = ["FhirReader", "Rows", "NATIONAL_ID_SYSTEMS", "ENH_SYSTEMS", "RESH_SYSTEMS", "R5_SIGNS", "USED_TYPES",
           "encode_place", "decode_place"]

#: Identifier systems of Norwegian national identity numbers (HL7 Norway, no-basis), OIDs and URIs.
NATIONAL_ID_SYSTEMS = frozenset({
    "urn:oid:2.16.578.1.12.4.1.4.1", "http://hl7.no/fhir/NamingSystem/FNR",    # fødselsnummer
    "urn:oid:2.16.578.1.12.4.1.4.2", "http://hl7.no/fhir/NamingSystem/DNR",    # D-nummer
    "urn:oid:2.16.578.1.12.4.1.4.3", "http://hl7.no/fhir/NamingSystem/FHNR",   # felles hjelpenummer
    "http://hl7.no/fhir/NamingSystem/HNR",                                      # hjelpenummer
    "urn:oid:2.16.578.1.12.4.1.4.5", "http://hl7.no/fhir/NamingSystem/DUF",    # DUF-nummer
})
#: Organisation numbers in Enhetsregisteret (ENH) and RESH ids: kept as the agency's properties.
ENH_SYSTEMS = frozenset({"urn:oid:2.16.578.1.12.4.1.4.101", "http://hl7.no/fhir/NamingSystem/ENH"})
RESH_SYSTEMS = frozenset({"urn:oid:2.16.578.1.12.4.1.4.102", "http://hl7.no/fhir/NamingSystem/RESH"})

#: The resource types read; every other type is counted as not used.
USED_TYPES = ("Organization", "HealthcareService", "Practitioner", "PractitionerRole", "Patient", "CareTeam",
              "EpisodeOfCare", "CarePlan", "Encounter")

#: How R5 (or STU3) shows, per resource type: ``element -> what R4 has instead``.
R5_SIGNS: dict[str, dict[str, str]] = {
    "Encounter": {"actualPeriod": "R4 has period", "class": "R4 has one Coding, R5 a list",
                  "admission": "R4 has hospitalization", "virtualService": "R5 only",
                  "plannedStartDate": "R5 only", "status": "completed, discharged, discontinued and on-hold are R5",
                  "participant.actor": "R4 has participant.individual"},
    "EpisodeOfCare": {"careTeam": "R4 has team", "reason": "R5 only"},
    "CarePlan": {"custodian": "R5 only", "author": "a list in STU3, one Reference in R4"},
    "CareTeam": {"participant.role": "one CodeableConcept in R5 and STU3, a list in R4",
                 "participant.coveragePeriod": "R4 has participant.period", "reason": "R4 has reasonCode"},
    "HealthcareService": {"offeredIn": "R5 only", "availability": "R4 has availableTime"},
    "PractitionerRole": {"availability": "R4 has availableTime"},
    "Organization": {"qualification": "R5 only"},
}
_R5_ONLY_TYPES = frozenset({"ActorDefinition", "ArtifactAssessment", "ConditionDefinition", "DeviceDispense",
                            "DeviceUsage", "EncounterHistory", "FormularyItem", "GenomicStudy", "ImagingSelection",
                            "InventoryItem", "InventoryReport", "NutritionIntake", "Permission", "Requirements",
                            "TestPlan", "Transport"})
_R5_STATUSES = frozenset({"completed", "discharged", "discontinued", "on-hold"})

_SKIP_STATUS = {
    "Encounter": frozenset({"planned", "cancelled", "entered-in-error"}),
    "EpisodeOfCare": frozenset({"planned", "waitlist", "cancelled", "entered-in-error"}),
    "CareTeam": frozenset({"proposed", "entered-in-error"}),
    "CarePlan": frozenset({"draft", "entered-in-error"}),
}
_STAFF_TYPES = frozenset({"Practitioner", "PractitionerRole"})
_PLACE_BITS = 40
#: Problems listed per kind before one line counts the rest.
MAX_LISTED = 20


#: Uncompressed NDJSON from which a read uses worker processes, and the bytes each one reads at a time.
PARALLEL_BYTES = 64 * 2**20
CHUNK_BYTES = 16 * 2**20
_ROW_SETS = ("organizations", "services", "practitioners", "roles", "patients", "participants", "care_managers",
             "plans", "stays", "contacts")


def _workers(source: FhirSource, workers: int | None) -> int:
    if workers is not None:
        return workers
    chunkable = sum(f.path.stat().st_size for i, f in enumerate(source.files) if source.chunkable(i))
    return min(os.cpu_count() or 1, 4) if chunkable >= PARALLEL_BYTES else 1


def _read_range(root, files, mapping, index: int, start: int, end: int, first_line: int) -> "FhirReader":
    """A worker's part: the resources of one byte range of one NDJSON file, read into a fresh reader."""
    source = FhirSource(root, files)
    source.reset()
    reader = FhirReader(source, mapping)
    reader._handlers_ = reader._handlers()
    reader._consume(source.ndjson_range(index, start, end, first_line))
    # What goes back is the columns and counts; the reading's closures and caches stay here.
    for name, value in list(vars(reader).items()):
        if name.startswith("_") and (callable(value) or isinstance(value, dict)):
            setattr(reader, name, None)
    return reader


def _member_skip(member: tuple[str, str]) -> str:
    if member == CONTAINED:
        return "member is a contained resource (no id of its own)"
    if member[0] == "=":
        return "member is named by an identifier only"
    if member[0] == "?":
        return "member is a reference handover cannot follow"
    return f"member is a {member[0]}, not a Practitioner or PractitionerRole"


def encode_place(file_index: int, position: int) -> int:
    """One integer for a place (file, line or entry): rows keep it in an ``array('q')``."""
    return (file_index << _PLACE_BITS) | position


def decode_place(code: int) -> tuple[int, int]:
    """``(file index, position)`` of :func:`encode_place`."""
    return code >> _PLACE_BITS, code & ((1 << _PLACE_BITS) - 1)


class Rows:
    """Columns of values as plain lists, plus each row's place.

    Examples
    --------
    >>> rows = Rows("id", "name")
    >>> rows.add(7, "o1", "NAV")
    >>> rows.id, rows.name, len(rows)
    (['o1'], ['NAV'], 1)
    """

    def __init__(self, *columns: str):
        self.columns = columns
        for column in columns:
            setattr(self, column, [])
        self.where = array("q")

    def appenders(self) -> tuple:
        """The bound ``append`` of ``where`` and of each column, in order (for hot loops)."""
        return (self.where.append, *(getattr(self, column).append for column in self.columns))

    def add(self, where: int, *values) -> None:
        self.where.append(where)
        for column, value in zip(self.columns, values):
            getattr(self, column).append(value)

    def __len__(self) -> int:
        return len(self.where)


@dataclass
class FhirReader:
    """Reads a :class:`FhirSource` into :class:`Rows`, one pass, nothing held but the values used.

    Parameters
    ----------
    source : FhirSource
    mapping : FhirMapping, optional
        Its ``episode_classes``, ``plan_last_revised`` and ``period_end``.
    """

    source: FhirSource
    mapping: FhirMapping = field(default_factory=FhirMapping)
    read: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)  # (resource type, reason) -> resources
    participants_skipped: Counter = field(default_factory=Counter)  # reason -> CareTeam participants
    problems: dict[str, list[str]] = field(default_factory=dict)
    problem_counts: Counter = field(default_factory=Counter)
    national_ids: list[str] = field(default_factory=list)
    national_id_count: int = 0
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.organizations = Rows("id", "name", "type", "part_of", "enh", "resh")
        self.services = Rows("id", "provided_by", "name", "type", "specialty", "category", "codes")
        self.practitioners = Rows("id", "profession")
        self.roles = Rows("id", "practitioner", "organization", "start", "end")
        self.patients = Rows("id", "birth_year")
        self.participants = Rows("user", "member", "role", "start", "end", "on_behalf_of", "team_organization")
        self.care_managers = Rows("id", "user", "member", "organization", "start", "end", "type_codes",
                                  "has_manager")
        self.plans = Rows("id", "user", "start", "end", "category", "authors", "last_revised")
        self.stays = Rows("id", "user", "service_codes", "provider", "start", "end", "discharge")
        self.contacts = Rows("id", "user", "service_codes", "provider", "date", "type", "class_code", "staff")
        self.care_teams: dict[str, object] = {}  # CareTeam id -> its first managingOrganization reference
        self.files_r4b: list[str] = []

    # -- problems ----------------------------------------------------------------------------

    def problem(self, kind: str, text: str) -> None:
        self.problem_counts[kind] += 1
        listed = self.problems.setdefault(kind, [])
        if len(listed) < MAX_LISTED:
            listed.append(text)

    def problem_lines(self) -> list[str]:
        lines = []
        for kind, listed in self.problems.items():
            lines += listed
            rest = self.problem_counts[kind] - len(listed)
            if rest > 0:
                lines.append(f"... and {rest} more: {kind}")
        return lines

    # -- the pass ------------------------------------------------------------------------------

    def run(self, workers: int | None = None) -> "FhirReader":
        """Read every resource; raise for R5, then for every problem found (all at once).

        With ``workers`` > 1 (default: the machine's cores, for exports of at least
        :data:`PARALLEL_BYTES` of uncompressed NDJSON), byte ranges of the NDJSON files are
        parsed and read in worker processes, and their columns joined in file order: the
        result is the same as reading in one process.
        """
        source = self.source
        source.reset()
        self._handlers_ = self._handlers()
        workers = _workers(source, workers)
        if workers <= 1:
            for index in range(len(source.files)):
                self._consume(source.resources_of(index))
        else:
            self._run_parallel(workers)
        lines = self.problem_lines()
        if lines:
            count = sum(self.problem_counts.values())
            raise InputError(f"{count} problem{'s' if count != 1 else ''} in the FHIR data (nothing was written):\n"
                             + "\n".join(f"  {line}" for line in lines))
        return self

    def _consume(self, resources) -> None:
        handlers = self._handlers_
        read = self.read
        place_of = self.source.place
        current_file = -1
        for file_index, position, resource in resources:
            if file_index != current_file:
                current_file = file_index
                self._start_file(file_index)
            kind = resource["resourceType"]
            read[kind] += 1
            handler = handlers.get(kind)
            meta = resource.get("meta")
            if meta and "profile" in meta:
                self._check_profiles(meta["profile"], kind, resource, place_of(file_index, position))
            if handler is not None:
                handler(resource, (file_index << _PLACE_BITS) | position)
            elif kind in _R5_ONLY_TYPES:
                self._r5(encode_place(file_index, position), kind, resource, "resourceType", "a type R4 does not have")
            elif kind == "CapabilityStatement":
                self._capability(resource, place_of(file_index, position))

    def _run_parallel(self, workers: int) -> None:
        source = self.source
        jobs = []  # in file order: (file, None) read here, or (file, (start, end, first line)) by a worker
        for index in range(len(source.files)):
            if source.chunkable(index):
                jobs += [(index, chunk) for chunk in source.chunks(index, CHUNK_BYTES)]
            else:
                jobs.append((index, None))
        window = 2 * workers  # chunks in flight: bounds the memory results wait in
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            pending: deque = deque()
            upcoming = iter(jobs)
            while True:
                while sum(1 for _, future in pending if future is not None) < window:
                    job = next(upcoming, None)
                    if job is None:
                        break
                    index, chunk = job
                    future = None if chunk is None else pool.submit(
                        _read_range, source.root, source.files, self.mapping, index, *chunk)
                    pending.append((index, future))
                if not pending:
                    break
                index, future = pending.popleft()
                if future is None:
                    self._consume(source.resources_of(index))
                else:
                    self._merge(future.result(), index)

    def _merge(self, other: "FhirReader", index: int) -> None:
        """Add the columns and counts another reader made from a byte range of file ``index``."""
        for name in _ROW_SETS:
            mine, theirs = getattr(self, name), getattr(other, name)
            mine.where.extend(theirs.where)
            for column in mine.columns:
                getattr(mine, column).extend(getattr(theirs, column))
        self.read.update(other.read)
        self.skipped.update(other.skipped)
        self.participants_skipped.update(other.participants_skipped)
        for kind, listed in other.problems.items():
            for text in listed:
                self.problem(kind, text)
            self.problem_counts[kind] += other.problem_counts[kind] - len(listed)
        room = MAX_LISTED - len(self.national_ids)
        self.national_ids += other.national_ids[:max(room, 0)]
        self.national_id_count += other.national_id_count
        self.care_teams.update(other.care_teams)
        self.notes += other.notes
        self.source.counts[index] += other.source.counts[index]
        self.source.blank[index] += other.source.blank[index]

    def _start_file(self, file_index: int) -> None:
        self._full_urls = self.source.full_urls.get(file_index) or None
        self._refs.clear()

    def where(self, code: int) -> str:
        file_index, position = decode_place(code)
        return self.source.place(file_index, position)

    def _r5(self, where: int, kind: str, resource: dict, element: str, why: str) -> None:
        raise InputError(f"this looks like FHIR R5 ({self.where(where)}, {kind} {resource.get('id', '(no id)')}, "
                         f"{element}: {why}): handover reads R4 (4.0.1). Export the data as R4, or convert it "
                         "first (such as with HL7's FHIR version converters)")

    def _check_profiles(self, profiles, kind: str, resource: dict, place: str) -> None:
        for profile in profiles if type(profiles) is list else ():
            if type(profile) is str and ("/R5/" in profile or "|5." in profile or "/5.0" in profile):
                raise InputError(f"this looks like FHIR R5 ({place}, {kind} {resource.get('id', '(no id)')}, "
                                 f"meta.profile {profile}): handover reads R4 (4.0.1)")

    def _capability(self, resource: dict, place: str) -> None:
        version = resource.get("fhirVersion")
        if type(version) is not str:
            return
        if version.startswith(("4.1", "4.3")):
            self.notes.append(f"{place} says fhirVersion {version} (R4B): read as R4, which the nine resource "
                              "types read here are in R4B too")
        elif not version.startswith("4.0"):
            release = "R5" if version.startswith(("4.2", "4.4", "4.5", "4.6", "5")) else f"FHIR {version}"
            raise InputError(f"this looks like FHIR {release} ({place}, CapabilityStatement, fhirVersion "
                             f"{version}): handover reads R4 (4.0.1)")

    # -- shared readers ------------------------------------------------------------------------

    def _handlers(self):
        self._refs: dict[str, tuple[str, str]] = {}
        self._days: dict[str, str] = {}
        refs, days = self._refs, self._days
        problem = self.problem
        skipped = self.skipped
        where_of = self.where
        inclusive = self.mapping.period_end == "inclusive"
        ends_inclusive: dict[str, str] = {}

        def ref(value):
            """A Reference as ``(type, id)``; ``("=", system|value)`` when it names an identifier only;
            ``("?", text)`` when it names nothing handover can follow; ``None`` when absent."""
            if type(value) is not dict:
                return None
            text = value.get("reference")
            if type(text) is not str:
                identifier = value.get("identifier")
                if type(identifier) is dict and type(identifier.get("value")) is str:
                    return ("=", f"{identifier.get('system') or ''}|{identifier['value']}")
                return None
            got = refs.get(text)
            if got is None:
                got = parse_reference(text, self._full_urls) or ("?", text)
                refs[text] = got
            return got

        def day(text, where, kind, rid, element):
            """The contract day of a FHIR date or dateTime, or None (a problem then)."""
            if type(text) is str:
                got = days.get(text[:10])
                if got is not None and (len(text) == 10 or text[10] == "T"):
                    return got
            got, why = fhir_day(text)
            if why is not None:
                problem(f"dates ({why.split(',')[0]})",
                        f"{where_of(where)} ({kind} {rid}), {element}: {shown_date(text)} is {why}")
                return None
            days[got] = got
            return got

        def next_day(got):
            after = ends_inclusive.get(got)
            if after is None:
                after = ends_inclusive[got] = (dt.date.fromisoformat(got) + dt.timedelta(days=1)).isoformat()
            return after

        def period(value, where, kind, rid, element):
            """``(start, end)`` days of a Period; the days parsed once each (most are seen before)."""
            if type(value) is not dict:
                return None, None
            start, end = value.get("start"), value.get("end")
            if start is not None:
                got = days.get(start[:10]) if type(start) is str else None
                if got is None or (len(start) > 10 and start[10] != "T"):
                    got = day(start, where, kind, rid, f"{element}.start")
                start = got
            if end is not None:
                got = days.get(end[:10]) if type(end) is str else None
                if got is None or (len(end) > 10 and end[10] != "T"):
                    got = day(end, where, kind, rid, f"{element}.end")
                if got is not None and inclusive and len(end) == 10:
                    got = next_day(got)
                end = got
                if start is not None and end is not None and end < start:
                    problem("periods that end before they start",
                            f"{where_of(where)} ({kind} {rid}), {element}: ends {end}, before it starts {start}")
            return start, end

        def quick_period(value):
            """``(start, end)`` of a Period whose days were all seen before, else None (then use period())."""
            if type(value) is not dict:
                return None
            text = value.get("start")
            if type(text) is not str or not (len(text) == 10 or len(text) > 10 and text[10] == "T"):
                return None
            start = days.get(text[:10])
            last = value.get("end")
            if start is None:
                return None
            if last is None:
                return start, None
            if type(last) is not str or not (len(last) > 10 and last[10] == "T" or len(last) == 10
                                             and not inclusive):
                return None
            end = days.get(last[:10])
            return (start, end) if end is not None and end >= start else None

        def identify(resource, where, kind):
            rid = resource.get("id")
            if type(rid) is not str or not rid:
                problem(f"{kind} without id", f"{where_of(where)}: a {kind} without id (handover keys rows by "
                                              "the resources' ids)")
                return None
            return rid

        def status_skip(resource, kind):
            status = resource.get("status")
            if type(status) is not str:
                return False
            if status in _SKIP_STATUS[kind]:
                skipped[kind, f"status {status}"] += 1
                return True
            return False

        self._ref, self._period, self._day, self._identify = ref, period, day, identify
        self._quick_period = quick_period
        self._key = concept_keyer()
        return {
            "Organization": self._organization(), "HealthcareService": self._healthcare_service(),
            "Practitioner": self._practitioner(), "PractitionerRole": self._practitioner_role(),
            "Patient": self._patient(), "CareTeam": self._care_team(status_skip),
            "EpisodeOfCare": self._episode_of_care(status_skip), "CarePlan": self._care_plan(status_skip),
            "Encounter": self._encounter(status_skip),
        }

    def _signs(self, kind: str, resource: dict, where: int) -> None:
        for element in R5_SIGNS[kind]:
            if "." not in element and element != "status" and element in resource:
                if kind == "CarePlan" and element == "author":
                    if type(resource["author"]) is list:
                        self._r5(where, kind, resource, element, R5_SIGNS[kind][element])
                    continue
                if kind == "Encounter" and element == "class":
                    if type(resource["class"]) is list:
                        self._r5(where, kind, resource, element, R5_SIGNS[kind][element])
                    continue
                self._r5(where, kind, resource, element, R5_SIGNS[kind][element])

    # -- one function per resource type --------------------------------------------------------

    def _organization(self):
        rows, ref, identify, signs = self.organizations, self._ref, self._identify, self._signs
        append_where = rows.where.append
        ids, names, types, parts, enhs, reshs = rows.id, rows.name, rows.type, rows.part_of, rows.enh, rows.resh

        def organization(r, where):
            if "qualification" in r:
                signs("Organization", r, where)
            rid = identify(r, where, "Organization")
            if rid is None:
                return
            enh = resh = None
            for identifier in r.get("identifier") or ():
                if type(identifier) is dict:
                    system = identifier.get("system")
                    if type(system) is not str:
                        continue
                    if system in ENH_SYSTEMS:
                        enh = identifier.get("value")
                    elif system in RESH_SYSTEMS:
                        resh = identifier.get("value")
            name = r.get("name")
            append_where(where)
            ids.append(rid)
            names.append(name if type(name) is str and name.strip() else None)
            types.append(concept_key(r.get("type")))
            parts.append(ref(r.get("partOf")))
            enhs.append(enh if type(enh) is str else None)
            reshs.append(resh if type(resh) is str else None)
        return organization

    def _healthcare_service(self):
        rows, ref, identify, signs = self.services, self._ref, self._identify, self._signs

        def healthcare_service(r, where):
            if "offeredIn" in r or "availability" in r:
                signs("HealthcareService", r, where)
            rid = identify(r, where, "HealthcareService")
            if rid is None:
                return
            name = r.get("name")
            types = r.get("type")
            codes = frozenset(c for c in concept_key(types) if "|" in c)
            rows.add(where, rid, ref(r.get("providedBy")), name if type(name) is str and name.strip() else None,
                     concept_key(types), concept_key(r.get("specialty")), concept_key(r.get("category")), codes)
        return healthcare_service

    def _practitioner(self):
        rows, identify = self.practitioners, self._identify

        def practitioner(r, where):
            communication = r.get("communication")
            if type(communication) is list and communication and type(communication[0]) is dict \
                    and "language" in communication[0]:
                self._r5(where, "Practitioner", r, "communication", "a list of CodeableConcept in R4")
            rid = identify(r, where, "Practitioner")
            if rid is None:
                return
            profession = None
            qualifications = r.get("qualification")
            if type(qualifications) is list and qualifications and type(qualifications[0]) is dict:
                code = qualifications[0].get("code")
                if type(code) is dict:
                    profession = code.get("text")
                    if not (type(profession) is str and profession):
                        codings = code.get("coding")
                        first = codings[0] if type(codings) is list and codings else None
                        if type(first) is dict:
                            profession = first.get("display") or first.get("code")
            rows.add(where, rid, profession if type(profession) is str and profession else None)
        return practitioner

    def _practitioner_role(self):
        rows, ref, period, identify, signs = self.roles, self._ref, self._period, self._identify, self._signs

        def practitioner_role(r, where):
            if "availability" in r:
                signs("PractitionerRole", r, where)
            rid = identify(r, where, "PractitionerRole")
            if rid is None:
                return
            start, end = period(r.get("period"), where, "PractitionerRole", rid, "period")
            rows.add(where, rid, ref(r.get("practitioner")), ref(r.get("organization")), start, end)
        return practitioner_role

    def _patient(self):
        rows, identify = self.patients, self._identify
        national = NATIONAL_ID_SYSTEMS
        years: dict[str, int] = {}

        def patient(r, where):
            rid = identify(r, where, "Patient")
            if rid is None:
                return
            for identifier in r.get("identifier") or ():
                if type(identifier) is dict and type(identifier.get("system")) is str \
                        and identifier["system"] in national:
                    self.national_id_count += 1
                    if len(self.national_ids) < MAX_LISTED:
                        self.national_ids.append(f"{self.where(where)} (Patient {rid}), identifier with system "
                                                 f"{identifier.get('system')}")
                    break
            born = r.get("birthDate")
            year = None
            if type(born) is str:
                year = years.get(born[:4])
                if year is None and len(born) >= 4 and born[:4].isdigit():
                    year = years.setdefault(born[:4], int(born[:4]))
                if year is None:
                    self.problem("birth dates", f"{self.where(where)} (Patient {rid}), birthDate: {shown_date(born)} is not "
                                                "a date (YYYY, YYYY-MM or YYYY-MM-DD)")
            rows.add(where, rid, year)
        return patient

    def _care_team(self, status_skip):
        rows, ref, period, identify = self.participants, self._ref, self._period, self._identify
        skipped, participants_skipped = self.skipped, self.participants_skipped
        signs = self._participant_signs
        care_teams = self.care_teams
        key = self._key
        w_, user_, member_, role_, start_, end_, behalf_, team_ = rows.appenders()
        quick_period = self._quick_period

        def care_team(r, where):
            if "reason" in r:
                self._r5(where, "CareTeam", r, "reason", R5_SIGNS["CareTeam"]["reason"])
            rid = identify(r, where, "CareTeam")
            if rid is None:
                return
            organizations = r.get("managingOrganization")
            team_organization = ref(organizations[0]) if type(organizations) is list and organizations else None
            care_teams[rid] = team_organization
            if status_skip(r, "CareTeam"):
                return
            subject = ref(r.get("subject"))
            if subject is None or subject[0] != "Patient":
                skipped["CareTeam", "subject is not a Patient" if subject else "no subject"] += 1
                return
            team_start, team_end = period(r.get("period"), where, "CareTeam", rid, "period")
            made = 0
            for index, participant in enumerate(r.get("participant") or ()):
                if type(participant) is not dict:
                    continue
                if "coveragePeriod" in participant or "coverageTiming" in participant \
                        or type(participant.get("role")) is dict:
                    signs(participant, r, where)
                member = ref(participant.get("member"))
                if member is None:
                    participants_skipped["no member"] += 1
                    continue
                if member[0] not in _STAFF_TYPES:
                    participants_skipped[_member_skip(member)] += 1
                    continue
                value = participant.get("period")
                quick = quick_period(value) if value is not None else (None, None)
                start, end = quick or period(value, where, "CareTeam", rid, f"participant[{index}].period")
                start = start or team_start
                end = end or team_end
                if start is None:
                    participants_skipped["no start (neither the participant's period nor the team's)"] += 1
                    continue
                w_(where)
                user_(subject)
                member_(member)
                role_(key(participant.get("role")))
                start_(start)
                end_(end)
                behalf_(ref(participant.get("onBehalfOf")))
                team_(team_organization)
                made += 1
            if not made:
                skipped["CareTeam", "no participant made a responsibility (see participants skipped)"] += 1
        return care_team

    def _participant_signs(self, participant: dict, resource: dict, where: int) -> None:
        if type(participant.get("role")) is dict:
            self._r5(where, "CareTeam", resource, "participant.role", R5_SIGNS["CareTeam"]["participant.role"])
        if "coveragePeriod" in participant or "coverageTiming" in participant:
            self._r5(where, "CareTeam", resource, "participant.coveragePeriod",
                     R5_SIGNS["CareTeam"]["participant.coveragePeriod"])

    def _episode_of_care(self, status_skip):
        rows, ref, period, identify = self.care_managers, self._ref, self._period, self._identify
        skipped = self.skipped

        def episode_of_care(r, where):
            if "careTeam" in r or "reason" in r:
                self._signs("EpisodeOfCare", r, where)
            rid = identify(r, where, "EpisodeOfCare")
            if rid is None or status_skip(r, "EpisodeOfCare"):
                return
            patient = ref(r.get("patient"))
            if patient is None or patient[0] != "Patient":
                skipped["EpisodeOfCare", "no patient"] += 1
                return
            value = r.get("period")
            start, end = self._quick_period(value) or period(value, where, "EpisodeOfCare", rid, "period")
            if start is None:
                skipped["EpisodeOfCare", "no period.start"] += 1
                return
            manager = ref(r.get("careManager"))
            codes = tuple(c for c in self._key(r.get("type")) if "|" in c)
            if manager is not None and manager[0] not in _STAFF_TYPES:
                manager = None
            rows.add(where, rid, patient, manager, ref(r.get("managingOrganization")), start, end, codes,
                     manager is not None)
        return episode_of_care

    def _care_plan(self, status_skip):
        rows, ref, period, identify, day = self.plans, self._ref, self._period, self._identify, self._day
        skipped = self.skipped
        revised = self.mapping.plan_last_revised

        def care_plan(r, where):
            if "custodian" in r or type(r.get("author")) is list:
                self._signs("CarePlan", r, where)
            rid = identify(r, where, "CarePlan")
            if rid is None or status_skip(r, "CarePlan"):
                return
            subject = ref(r.get("subject"))
            if subject is None or subject[0] != "Patient":
                skipped["CarePlan", "subject is not a Patient" if subject else "no subject"] += 1
                return
            value = r.get("period")
            start, end = self._quick_period(value) or period(value, where, "CarePlan", rid, "period")
            if start is None and r.get("created") is not None:
                start = day(r["created"], where, "CarePlan", rid, "created")
            if start is None:
                skipped["CarePlan", "no period.start or created"] += 1
                return
            authors = [ref(r.get("author"))] + [ref(c) for c in r.get("contributor") or ()]
            authors = tuple(a for a in authors if a is not None)
            last = None
            if revised == "meta.lastUpdated":
                meta = r.get("meta")
                if type(meta) is dict and meta.get("lastUpdated") is not None:
                    last = day(meta["lastUpdated"], where, "CarePlan", rid, "meta.lastUpdated")
            elif revised != "none":
                for extension in r.get("extension") or ():
                    if type(extension) is dict and extension.get("url") == revised:
                        value = extension.get("valueDate") or extension.get("valueDateTime")
                        if value is not None:
                            last = day(value, where, "CarePlan", rid, f"extension {revised}")
            rows.add(where, rid, subject, start, end, self._key(r.get("category")), authors, last)
        return care_plan

    def _encounter(self, status_skip):
        ref, period, identify, r5 = self._ref, self._period, self._identify, self._r5
        skipped = self.skipped
        episode_classes = frozenset(c.upper() for c in (self.mapping.episode_classes or EPISODE_CLASSES))
        stays, contacts = self.stays, self.contacts
        stay_where, stay_id, stay_user, stay_codes, stay_provider, stay_start, stay_end, stay_discharge = (
            stays.where.append, stays.id.append, stays.user.append, stays.service_codes.append,
            stays.provider.append, stays.start.append, stays.end.append, stays.discharge.append)
        c_where, c_id, c_user, c_codes, c_provider, c_date, c_type, c_class, c_staff = (
            contacts.where.append, contacts.id.append, contacts.user.append, contacts.service_codes.append,
            contacts.provider.append, contacts.date.append, contacts.type.append, contacts.class_code.append,
            contacts.staff.append)
        skip_status = _SKIP_STATUS["Encounter"]
        codes_cache: dict[tuple, tuple] = {}
        empty = ()
        key = self._key

        def service_codes(value):
            # R4: one CodeableConcept; its codings as system|code, shared between encounters.
            if type(value) is not dict:
                if type(value) is list:
                    return None  # R5
                return empty
            concept = key(value)
            got = codes_cache.get(concept)
            if got is None:
                got = codes_cache.setdefault(concept, tuple(c for c in concept if "|" in c))
            return got

        refs, days = self._refs, self._days
        inclusive = self.mapping.period_end == "inclusive"
        classes: dict[tuple, tuple[bool, tuple]] = {}  # (system, code) -> (a stay?, concept key)

        def fast_ref(value):
            # The common case, a reference seen before, without a call; else ref().
            text = value.get("reference") if type(value) is dict else None
            got = refs.get(text) if type(text) is str else None
            return got if got is not None else ref(value)

        def encounter(r, where):
            klass = r.get("class")
            status = r.get("status")
            if type(status) is not str:
                status = None
            if type(klass) is not dict or "actualPeriod" in r or "admission" in r or status in _R5_STATUSES:
                if type(klass) is list:
                    r5(where, "Encounter", r, "class", R5_SIGNS["Encounter"]["class"])
                for element in ("actualPeriod", "admission", "virtualService", "plannedStartDate"):
                    if element in r:
                        r5(where, "Encounter", r, element, R5_SIGNS["Encounter"][element])
                if status in _R5_STATUSES:
                    r5(where, "Encounter", r, f"status {status}", R5_SIGNS["Encounter"]["status"])
            rid = r.get("id")
            if type(rid) is not str or not rid:
                identify(r, where, "Encounter")
                return
            if status in skip_status:
                skipped["Encounter", f"status {status}"] += 1
                return
            subject = fast_ref(r.get("subject"))
            if subject is None or subject[0] != "Patient":
                skipped["Encounter", "subject is not a Patient" if subject else "no subject"] += 1
                return
            # The period's days: seen before (the common case) without a call; else period().
            value = r.get("period")
            start = end = None
            if type(value) is dict:
                text = value.get("start")
                if type(text) is str and (len(text) == 10 or (len(text) > 10 and text[10] == "T")):
                    start = days.get(text[:10])
                last = value.get("end")
                if last is None:
                    if start is None:
                        start, end = period(value, where, "Encounter", rid, "period")
                else:
                    if type(last) is str and (len(last) > 10 and last[10] == "T" or len(last) == 10
                                              and not inclusive):
                        end = days.get(last[:10])
                    if start is None or end is None or end < start:
                        start, end = period(value, where, "Encounter", rid, "period")
            if start is None:
                skipped["Encounter", "no period.start"] += 1
                return
            codes = service_codes(r.get("serviceType"))
            if codes is None:
                r5(where, "Encounter", r, "serviceType", "one CodeableConcept in R4, a list in R5")
            if type(klass) is dict:
                signature = (klass.get("system"), klass.get("code"))
                found = classes.get(signature)
                if found is None:
                    code = signature[1]
                    found = classes[signature] = (type(code) is str and code.upper() in episode_classes, key(klass))
                stay, class_key = found
            else:
                stay, class_key = False, empty
            if stay:
                hospitalization = r.get("hospitalization")
                stay_where(where)
                stay_id(rid)
                stay_user(subject)
                stay_codes(codes)
                stay_provider(fast_ref(r.get("serviceProvider")))
                stay_start(start)
                stay_end(end)
                stay_discharge(key(hospitalization.get("dischargeDisposition"))
                               if type(hospitalization) is dict and "dischargeDisposition" in hospitalization
                               else None)
                return
            staff = None
            for participant in r.get("participant") or ():
                if type(participant) is dict:
                    if "actor" in participant:
                        r5(where, "Encounter", r, "participant.actor", R5_SIGNS["Encounter"]["participant.actor"])
                    individual = fast_ref(participant.get("individual"))
                    if individual is not None and individual[0] in _STAFF_TYPES:
                        staff = individual
                        break
            c_where(where)
            c_id(rid)
            c_user(subject)
            c_codes(codes)
            c_provider(fast_ref(r.get("serviceProvider")))
            c_date(start)
            c_type(key(r["type"]) if "type" in r else empty)
            c_class(class_key)
            c_staff(staff)
        return encounter




def shown_date(value) -> str:
    """A date element's value as a message shows it: quoted and shortened, but not when it
    holds words (free text, perhaps a name) or is not text at all.

    Examples
    --------
    >>> shown_date("2024-13-45"), shown_date("nitten åtti"), shown_date({"start": 1})
    ("'2024-13-45'", 'a value holding words (not shown)', 'a JSON object')
    """
    if type(value) is not str:
        return {dict: "a JSON object", list: "a JSON array", bool: "true or false"}.get(
            type(value), "a JSON number" if isinstance(value, (int, float)) else "null")
    if holds_words(value):
        return "a value holding words (not shown)"
    return repr(shown_value(value))
