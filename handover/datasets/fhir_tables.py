"""The contract's nine tables built from the columns :mod:`handover.datasets.fhir_read` made.

References are resolved here, codes translated (:class:`~handover.datasets.fhir_codes.Codes`),
and every row given its place (the file and line or entry of the resource it came from).
A reference a row needs that names nothing in the export is a problem (all problems are
raised at once, nothing is written); one a row can do without is left empty. Both are
counted for the report, as are the codes read and the rows made from each resource type.

Distinct values are resolved once: a contact table of millions of rows has a few
thousand distinct organisations, services, staff members and codes.
"""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict

from handover.datasets.fhir_codes import CLASS_CONTACT_KINDS, Codes, level_of_kind, shown_code
from handover.datasets.fhir_read import ENH_SYSTEMS, MAX_LISTED, RESH_SYSTEMS, FhirReader
from handover.errors import InputError
from handover.io.fhir_source import CONTAINED

__all__ = ["TableBuilder", "TABLE_SOURCES", "AGENCY_PROPERTIES", "Columns"]

#: A table as built: its columns (lists of text, ``None`` when empty) and each row's place.
Columns = tuple[dict[str, list], array]

#: Which resource types each table is made from.
TABLE_SOURCES: dict[str, tuple[str, ...]] = {
    "agencies": ("Organization",), "services": ("HealthcareService",), "staff": ("Practitioner",),
    "employments": ("PractitionerRole",), "users": ("Patient",),
    "responsibilities": ("CareTeam", "EpisodeOfCare"), "plans": ("CarePlan",),
    "episodes": ("Encounter", "EpisodeOfCare"), "contacts": ("Encounter",),
}
#: Extra columns of agencies, beside the contract's: kept in the files, ignored by the findings.
AGENCY_PROPERTIES = ("org_number", "resh_id", "part_of")

_ENH, _RESH = "ENH", "RESH"


class TableBuilder:
    """References resolved, codes translated, and the nine tables built from a reader's rows.

    Use :meth:`tables`; afterwards ``used`` (resources per type that made rows),
    ``unresolved`` and ``unresolved_first``, ``codes`` (codes read, with how), ``made_from``
    (rows per table and source) and ``notes`` describe the reading for the report.
    """

    def __init__(self, reader: FhirReader, codes: Codes):
        self.reader = reader
        self.codes_of = codes
        self.problems: dict[str, list[str]] = {}
        self.problem_counts: Counter = Counter()
        self.unresolved: Counter = Counter()
        self.unresolved_first: dict = {}
        self.codes: Counter = Counter()
        self.used: Counter = Counter()
        self.made_from: dict[str, Counter] = defaultdict(Counter)
        self.notes: list[str] = []

    # -- bookkeeping ---------------------------------------------------------------------------

    def where(self, code: int) -> str:
        return self.reader.where(code)

    def problem(self, kind: str, text: str) -> None:
        self.problem_counts[kind] += 1
        listed = self.problems.setdefault(kind, [])
        if len(listed) < MAX_LISTED:
            listed.append(text)

    def missing(self, element: str, target: tuple, where: int, needed: bool) -> None:
        """A reference that resolved to nothing: counted; a problem when a row needs it."""
        shown = _shown_reference(target)
        kind = target[0] if target[0] not in ("=", "?", "#") else {"=": "identifier", "?": "reference",
                                                                  "#": "contained"}[target[0]]
        action = "refused: a row needs it" if needed else "left empty"
        key = (element, kind, action)
        self.unresolved[key] += 1
        self.unresolved_first.setdefault(key, f"{self.where(where)}: {shown}")
        if needed:
            self.problem(f"{element} resolving to nothing",
                         f"{self.where(where)}, {element}: {shown} is not in the export, and the row needs it")

    def count_codes(self, vocabulary: str, element: str, keys: list, values: list) -> None:
        for (key, value), n in Counter(zip(keys, values)).items():
            if key is None:
                continue
            self.codes[vocabulary, element, shown_code(key), value, self._how(vocabulary, key)] += n

    def _how(self, vocabulary: str, key: tuple) -> str:
        """How a key got its value, with the code or display that decided it: ``default: Kommunal``."""
        how = self.codes_of.how(vocabulary, key)
        matched = self.codes_of.matched(vocabulary, key)
        if matched is None:
            return how
        return f"{how}: {matched.split('|', 1)[1] if '|' in matched else matched}"

    # -- the tables ----------------------------------------------------------------------------

    def tables(self) -> dict[str, Columns]:
        """The tables with rows (and the three required ones), or an InputError listing every problem."""
        r = self.reader
        tables: dict[str, Columns] = {}
        tables["agencies"] = self._agencies()
        tables["services"] = self._services()
        self.staff_present = len(r.practitioners) > 0
        self.staff_ids = self._unique("Practitioner", r.practitioners)
        if self.staff_present:
            tables["staff"] = ({"staff_id": list(r.practitioners.id), "profession": list(r.practitioners.profession)},
                               r.practitioners.where)
            self.used["Practitioner"] = len(r.practitioners)
        tables["employments"] = self._employments()
        tables["users"] = self._users()
        tables["responsibilities"] = self._responsibilities()
        tables["plans"] = self._plans()
        tables["episodes"] = self._episodes()
        tables["contacts"] = self._contacts()
        lines = []
        for kind, listed in self.problems.items():
            lines += listed
            rest = self.problem_counts[kind] - len(listed)
            if rest > 0:
                lines.append(f"... and {rest} more: {kind}")
        if lines:
            count = sum(self.problem_counts.values())
            raise InputError(f"{count} problem{'s' if count != 1 else ''} in the FHIR data (nothing was written):\n"
                             + "\n".join(f"  {line}" for line in lines))
        required = {"agencies", "users", "responsibilities"}
        return {name: table for name, table in tables.items()
                if table is not None and (len(table[1]) or name in required)}

    def _unique(self, kind: str, rows) -> dict[str, int]:
        """``id -> row`` of one resource type; a problem for each id given twice."""
        index: dict[str, int] = {}
        for position, rid in enumerate(rows.id):
            first = index.setdefault(rid, position)
            if first != position:
                self.problem(f"duplicate {kind} ids", f"{self.where(rows.where[position])}: {kind} {rid} again "
                                                      f"(first at {self.where(rows.where[first])})")
        return index

    def _org_lookup(self, target) -> str | None:
        """The agency id an Organization reference (or an ENH or RESH identifier) names, or None."""
        if target[0] == "Organization":
            return target[1] if target[1] in self.org_index else None
        if target[0] == "=":
            system, _, value = target[1].partition("|")
            group = _ENH if system in ENH_SYSTEMS else _RESH if system in RESH_SYSTEMS else None
            return self.org_identifiers.get((group, value)) if group else None
        return None

    def _org(self, target, where: int, element: str, needed: bool) -> str | None:
        """The agency id an Organization reference names, or None (counted when it names nothing)."""
        if target is None:
            return None
        found = self._org_lookup(target)
        if found is None:
            self.missing(element, target, where, needed)
        return found

    def _agencies(self):
        r, codes = self.reader, self.codes_of
        rows = r.organizations
        self.org_index = self._unique("Organization", rows)
        self.org_identifiers = {}
        for position, (enh, resh) in enumerate(zip(rows.enh, rows.resh)):
            if enh:
                self.org_identifiers.setdefault((_ENH, enh), rows.id[position])
            if resh:
                self.org_identifiers.setdefault((_RESH, resh), rows.id[position])
        parents = [self._org(part, where, "Organization.partOf", False) if part is not None else None
                   for part, where in zip(rows.part_of, rows.where)]
        own_kind = [codes.find("agency_kind", key) for key in rows.type]
        own_level = [codes.find("agency_level", key) for key in rows.type]

        def inherited(values: list, position: int, seen: set) -> str | None:
            parent = parents[position]
            while parent is not None and parent not in seen:
                seen.add(parent)
                at = self.org_index[parent]
                if values[at] is not None:
                    return values[at]
                parent = parents[at]
            return None

        kinds, levels = [], []
        default_level = codes.mapping.agency_level
        for position, rid in enumerate(rows.id):
            shown = shown_code(rows.type[position])
            kind, how = own_kind[position], None
            if kind is not None:
                how = self._how("agency_kind", rows.type[position])
            else:
                kind = inherited(own_kind, position, {rid})
                how = "partOf" if kind is not None else "not recognised"
            self.codes["agency_kind", "Organization.type", shown, kind or "other", how] += 1
            level, how = own_level[position], None
            if level is not None:
                how = self._how("agency_level", rows.type[position])
            elif level_of_kind(kind) is not None:
                level, how = level_of_kind(kind), "from the kind"
            elif (level := inherited(own_level, position, {rid})) is not None:
                how = "partOf"
            elif default_level is not None:
                level, how = default_level, "[fhir] agency_level"
            if level is None:
                self.problem("organisations whose level cannot be told",
                             f"{self.where(rows.where[position])} (Organization {rid}): its level (municipal, "
                             f"specialist, state, private) cannot be told from its type ({shown}), its kind "
                             f"({kind or 'other'}) nor its partOf; map the code under [fhir.values.agency_level] "
                             "(or [fhir.values.agency_kind]) in a mapping file, or give [fhir] agency_level")
            else:
                self.codes["agency_level", "Organization.type", shown, level, how] += 1
            kinds.append(kind or "other")
            levels.append(level)
        unnamed = sum(1 for name in rows.name if name is None)
        if unnamed:
            self.notes.append(f"{unnamed} Organization{'s' if unnamed != 1 else ''} without a name: the id is "
                              "used as the name")
        self.used["Organization"] = len(rows)
        return ({"agency_id": list(rows.id), "name": [n or i for n, i in zip(rows.name, rows.id)],
                 "kind": kinds, "level": levels, "municipality": [None] * len(rows),
                 "org_number": list(rows.enh), "resh_id": list(rows.resh), "part_of": parents}, rows.where)

    def _services(self):
        r, codes = self.reader, self.codes_of
        rows = r.services
        self.service_index = self._unique("HealthcareService", rows)
        ids, agencies, names, kinds, wheres = [], [], [], [], array("q")
        keys, values = [], []
        self.services_by_code: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.services_by_agency: dict[str, list[str]] = defaultdict(list)
        self.service_agency: dict[str, str] = {}
        for position, rid in enumerate(rows.id):
            where = rows.where[position]
            provider = rows.provided_by[position]
            if provider is None or provider[0] not in ("Organization", "=", "?"):
                r.skipped["HealthcareService", "no providedBy Organization"] += 1
                continue
            agency = self._org(provider, where, "HealthcareService.providedBy", True)
            if agency is None:
                continue
            kind, key = None, None
            for candidate in (rows.type[position], rows.specialty[position], rows.category[position]):
                kind = codes.find("service_kind", candidate)
                if kind is not None:
                    key = candidate
                    break
            if kind is None:
                key = rows.type[position] or rows.specialty[position] or rows.category[position]
            keys.append(key)
            values.append(kind or "other")
            name = names_of(rows.name[position], rows.type[position]) or rid
            ids.append(rid)
            agencies.append(agency)
            names.append(name)
            kinds.append(kind or "other")
            wheres.append(where)
            self.service_agency[rid] = agency
            self.services_by_agency[agency].append(rid)
            for code in rows.codes[position]:
                self.services_by_code[agency, code].append(rid)
                self.services_by_code["*", code].append(rid)
        self.count_codes("service_kind", "HealthcareService.type, specialty or category", keys, values)
        self.used["HealthcareService"] = len(ids)
        return ({"service_id": ids, "agency_id": agencies, "name": names, "kind": kinds}, wheres)

    def _staff_lookup(self, member) -> str | None:
        """The staff id a Practitioner or PractitionerRole reference names, or None (nothing counted)."""
        if member[0] == "Practitioner":
            return member[1] if not self.staff_present or member[1] in self.staff_ids else None
        if member[0] == "PractitionerRole":
            at = self.role_index.get(member[1])
            return self.role_practitioner[at] if at is not None else None
        return None

    def _staff(self, member, where: int, element: str, needed: bool) -> tuple[str | None, str | None]:
        """``(staff id, the PractitionerRole's agency or None)`` of a Practitioner or PractitionerRole reference."""
        if member[0] == "Practitioner":
            if not self.staff_present or member[1] in self.staff_ids:
                return member[1], None
        elif member[0] == "PractitionerRole":
            at = self.role_index.get(member[1])
            if at is not None:
                practitioner = self.role_practitioner[at]
                if practitioner is not None:
                    return practitioner, self.role_agency[at]
                self.missing(f"{element} (its PractitionerRole.practitioner)", member, where, needed)
                return None, None
        self.missing(element, member, where, needed)
        return None, None

    def _employments(self):
        r = self.reader
        rows = r.roles
        self.role_index = self._unique("PractitionerRole", rows)
        self.role_practitioner: list[str | None] = []
        self.role_agency: list[str | None] = []
        self.practitioner_agencies: dict[str, set] = defaultdict(set)
        staff, agencies, starts, ends, wheres = [], [], [], [], array("q")
        for position in range(len(rows)):
            where = rows.where[position]
            practitioner, organization = rows.practitioner[position], rows.organization[position]
            person = None
            if practitioner is not None and practitioner[0] == "Practitioner":
                if not self.staff_present or practitioner[1] in self.staff_ids:
                    person = practitioner[1]
                else:
                    self.missing("PractitionerRole.practitioner", practitioner, where, True)
            elif practitioner is not None:
                self.missing("PractitionerRole.practitioner", practitioner, where, True)
            agency = self._org(organization, where, "PractitionerRole.organization", True) \
                if organization is not None else None
            self.role_practitioner.append(person)
            self.role_agency.append(agency)
            if person is not None and agency is not None:
                self.practitioner_agencies[person].add(agency)
            if practitioner is None or organization is None:
                r.skipped["PractitionerRole", "no practitioner or no organization"] += 1
                continue
            if rows.start[position] is None:
                r.skipped["PractitionerRole", "no period.start (no employment; still used to resolve "
                                              "references)"] += 1
                continue
            if person is None or agency is None:
                continue
            staff.append(person)
            agencies.append(agency)
            starts.append(rows.start[position])
            ends.append(rows.end[position])
            wheres.append(where)
        self.used["PractitionerRole"] = len(staff)
        return ({"staff_id": staff, "agency_id": agencies, "start": starts, "end": ends}, wheres)

    def _users(self):
        rows = self.reader.patients
        self.user_index = self._unique("Patient", rows)
        self.used["Patient"] = len(rows)
        return ({"user_id": list(rows.id), "birth_year": [None if y is None else str(y) for y in rows.birth_year],
                 "municipality": [None] * len(rows)}, rows.where)

    def _user(self, subject, where: int, element: str) -> str | None:
        if subject[1] in self.user_index:
            return subject[1]
        self.missing(element, subject, where, True)
        return None

    def _responsibilities(self):
        r, codes = self.reader, self.codes_of
        users, staff, agencies, roles, starts, ends, wheres = [], [], [], [], [], [], array("q")
        role_keys = []
        used_teams = set()
        rows = r.participants
        for position in range(len(rows)):
            where = rows.where[position]
            user = self._user(rows.user[position], where, "CareTeam.subject")
            person, role_agency = self._staff(rows.member[position], where, "CareTeam.participant.member", True)
            behalf = rows.on_behalf_of[position]
            agency = None
            if behalf is not None:
                agency = self._org(behalf, where, "CareTeam.participant.onBehalfOf", True)
            elif role_agency is not None:
                agency = role_agency
            elif rows.team_organization[position] is not None:
                agency = self._org(rows.team_organization[position], where, "CareTeam.managingOrganization", True)
            else:
                r.participants_skipped["no organisation (onBehalfOf, the member's PractitionerRole, or the "
                                       "team's managingOrganization)"] += 1
                continue
            if user is None or person is None or agency is None:
                continue
            key = rows.role[position]
            users.append(user)
            staff.append(person)
            agencies.append(agency)
            roles.append(codes.value("role", key))
            role_keys.append(key)
            starts.append(rows.start[position])
            ends.append(rows.end[position])
            wheres.append(where)
            used_teams.add(where)
        self.count_codes("role", "CareTeam.participant.role", role_keys, roles)
        self.made_from["responsibilities"]["CareTeam"] = len(users)
        self.used["CareTeam"] = len(used_teams)
        rows = r.care_managers
        made = 0
        self.manager_used: set[int] = set()
        for position in range(len(rows)):
            if not rows.has_manager[position]:
                continue
            where = rows.where[position]
            user = self._user(rows.user[position], where, "EpisodeOfCare.patient")
            person, role_agency = self._staff(rows.member[position], where, "EpisodeOfCare.careManager", True)
            organization = rows.organization[position]
            agency = self._org(organization, where, "EpisodeOfCare.managingOrganization", True) \
                if organization is not None else role_agency
            if organization is None and role_agency is None:
                r.skipped["EpisodeOfCare", "careManager without an organisation (managingOrganization or the "
                                           "PractitionerRole's)"] += 1
                continue
            if user is None or person is None or agency is None:
                continue
            users.append(user)
            staff.append(person)
            agencies.append(agency)
            roles.append("coordinator")
            starts.append(rows.start[position])
            ends.append(rows.end[position])
            wheres.append(where)
            self.manager_used.add(where)
            made += 1
        self.made_from["responsibilities"]["EpisodeOfCare (careManager)"] = made
        return ({"user_id": users, "staff_id": staff, "agency_id": agencies, "role": roles, "start": starts,
                 "end": ends, "reason": [None] * len(users)}, wheres)

    def _plan_agency(self, authors: tuple, where: int) -> tuple[str | None, str | None]:
        """The agency holding a plan, from its author and contributors: (agency, None) or (None, why)."""
        missing = None
        why = "no author or contributor names an organisation"
        for author in authors:
            kind = author[0]
            if kind in ("Organization", "=", "?"):
                found = self._org_lookup(author)
                if found is not None:
                    return found, None
                missing = missing or author
            elif kind == "PractitionerRole":
                at = self.role_index.get(author[1])
                if at is None:
                    missing = missing or author
                elif self.role_agency[at] is not None:
                    return self.role_agency[at], None
            elif kind == "CareTeam":
                if author[1] not in self.reader.care_teams:
                    missing = missing or author
                else:
                    team = self.reader.care_teams[author[1]]
                    found = self._org(team, where, "CarePlan.author (its CareTeam.managingOrganization)", False) \
                        if team is not None else None
                    if found is not None:
                        return found, None
            elif kind == "Practitioner":
                agencies = self.practitioner_agencies.get(author[1], set())
                if len(agencies) == 1:
                    return next(iter(agencies)), None
                why = ("the author is a Practitioner with PractitionerRoles at several organisations"
                       if agencies else "the author is a Practitioner without a PractitionerRole")
        if missing is not None:
            self.missing("CarePlan.author", missing, where, True)
            return None, None
        return None, why

    def _plans(self):
        r, codes = self.reader, self.codes_of
        rows = r.plans
        self._unique("CarePlan", rows)
        ids, users, agencies, kinds, starts, ends, revised, wheres = [], [], [], [], [], [], [], array("q")
        keys = []
        for position in range(len(rows)):
            where = rows.where[position]
            user = self._user(rows.user[position], where, "CarePlan.subject")
            agency, why = self._plan_agency(rows.authors[position], where)
            if agency is None:
                if why is not None:
                    r.skipped["CarePlan", why] += 1
                continue
            if user is None:
                continue
            key = rows.category[position]
            ids.append(rows.id[position])
            users.append(user)
            agencies.append(agency)
            kinds.append(codes.value("plan_kind", key))
            keys.append(key)
            starts.append(rows.start[position])
            ends.append(rows.end[position])
            revised.append(rows.last_revised[position])
            wheres.append(where)
        self.count_codes("plan_kind", "CarePlan.category", keys, kinds)
        self.used["CarePlan"] = len(ids)
        return ({"plan_id": ids, "user_id": users, "agency_id": agencies, "kind": kinds, "start": starts,
                 "end": ends, "last_revised": revised}, wheres)

    def _service_of(self, codes: tuple, agency: str | None, fallback: bool) -> str | None:
        """The HealthcareService ``codes`` (system|code of a serviceType or type) name at ``agency``.

        The first code that names exactly one service wins; without a match, a stay at an
        organisation with a single service is at that service (``fallback``).
        """
        scope = agency if agency is not None else "*"
        for code in codes:
            found = self.services_by_code.get((scope, code))
            if found is not None and len(found) == 1:
                return found[0]
        if fallback and agency is not None:
            only = self.services_by_agency.get(agency)
            if only is not None and len(only) == 1:
                return only[0]
        return None

    def _episodes(self):
        r, codes = self.reader, self.codes_of
        rows = r.stays
        ids, users, services, starts, ends, discharges, wheres = [], [], [], [], [], [], array("q")
        keys = []
        services_cache: dict[tuple, str | None] = {}
        users_ok = self.user_index
        for position in range(len(rows)):
            where = rows.where[position]
            subject = rows.user[position]
            user = subject[1] if subject[1] in users_ok else self._user(subject, where, "Encounter.subject")
            provider = rows.provider[position]
            agency = None
            if provider is not None:
                agency = self.org_cache(provider, where, "Encounter.serviceProvider")
            key = (rows.service_codes[position], agency)
            service = services_cache.get(key, False)
            if service is False:
                service = services_cache[key] = self._service_of(key[0], agency, True)
            if service is None:
                self.problem("stays at no service",
                             f"{self.where(where)}, Encounter {rows.id[position]}: a stay whose serviceType names "
                             "no HealthcareService" + (f" of Organization {agency}" if agency else "")
                             + " (an episode is at a service: the export needs the HealthcareService, with the "
                               "serviceType's code among its type codes)")
                continue
            if user is None:
                continue
            discharge = rows.discharge[position]
            ids.append(rows.id[position])
            users.append(user)
            services.append(service)
            starts.append(rows.start[position])
            ends.append(rows.end[position])
            discharges.append(None if discharge is None else codes.value("discharge_kind", discharge))
            keys.append(discharge)
            wheres.append(where)
        self.count_codes("discharge_kind", "Encounter.hospitalization.dischargeDisposition", keys, discharges)
        stays = len(ids)
        self.made_from["episodes"]["Encounter (stay classes)"] = stays
        rows = r.care_managers
        made = 0
        for position in range(len(rows)):
            where = rows.where[position]
            organization = rows.organization[position]
            agency = self._org(organization, where, "EpisodeOfCare.managingOrganization", False) \
                if organization is not None and organization[0] in ("Organization", "=") else None
            service = self._service_of(rows.type_codes[position], agency, False) if agency is not None else None
            if service is None:
                if where not in self.manager_used:
                    r.skipped["EpisodeOfCare", "no careManager, and its type names no HealthcareService of its "
                                               "managingOrganization"] += 1
                continue
            user = self._user(rows.user[position], where, "EpisodeOfCare.patient")
            if user is None:
                continue
            ids.append(rows.id[position])
            users.append(user)
            services.append(service)
            starts.append(rows.start[position])
            ends.append(rows.end[position])
            discharges.append(None)
            wheres.append(where)
            self.manager_used.add(where)
            made += 1
        self.made_from["episodes"]["EpisodeOfCare (a service's type)"] = made
        self.used["EpisodeOfCare"] = len(self.manager_used)
        return ({"episode_id": ids, "user_id": users, "service_id": services, "start": starts, "end": ends,
                 "discharge_kind": discharges}, wheres)

    def org_cache(self, target, where: int, element: str, needed: bool = True) -> str | None:
        cache = self.__dict__.setdefault("_org_cache", {})
        got = cache.get(target, False)
        if got is False:
            got = self._org(target, where, element, needed)
            if target[0] not in ("Organization", "=", "?", "#"):
                self.missing(element, target, where, needed)
            if got is not None:
                cache[target] = got
        return got

    def _contacts(self):
        r = self.reader
        rows = r.contacts
        n = len(rows)
        # A contact table has millions of rows and a few thousand distinct values per column:
        # each distinct value is resolved once, the rows mapped at C speed, and only the rows of
        # values that resolve to nothing are looked at one by one (to count and place them).
        users = [subject[1] for subject in rows.user]
        missing_users = set(users) - self.user_index.keys()
        if missing_users:
            for i in (i for i, user in enumerate(users) if user in missing_users):
                users[i] = self._user(rows.user[i], rows.where[i], "Encounter.subject")
        distinct = set(rows.provider)
        providers = {p: self._org_lookup(p) for p in distinct if p is not None}
        agencies = list(map(providers.get, rows.provider))
        if None in providers.values() or None in distinct:
            for i, provider in enumerate(rows.provider):
                if provider is None:
                    agencies[i] = self._contact_agency(rows.service_codes[i], rows.staff[i])
                elif agencies[i] is None:
                    self.org_cache(provider, rows.where[i], "Encounter.serviceProvider")
        pairs = list(zip(rows.service_codes, agencies))
        found = {pair: (self._service_of(pair[0], pair[1], False) if pair[0] else None) for pair in set(pairs)}
        services = list(map(found.get, pairs))
        unresolved = {pair for pair, service in found.items() if service is None and pair[0]}
        if unresolved:
            counts = Counter(pairs)
            key = ("Encounter.serviceType", "HealthcareService", "left empty")
            self.unresolved[key] += sum(counts[pair] for pair in unresolved)
            first = next(i for i, pair in enumerate(pairs) if pair in unresolved)
            self.unresolved_first.setdefault(key, f"{self.where(rows.where[first])}: {', '.join(pairs[first][0])}")
        members = {m: self._staff_lookup(m) for m in set(rows.staff) if m is not None}
        staff = list(map(members.get, rows.staff))
        if None in members.values():
            for i, member in enumerate(rows.staff):
                if member is not None and staff[i] is None:
                    self._staff(member, rows.where[i], "Encounter.participant.individual", False)
        kind_pairs = list(zip(rows.type, rows.class_code))
        kind_of = {pair: self._contact_kind(*pair) for pair in set(kind_pairs)}
        kinds = [kind_of[pair][0] for pair in kind_pairs]
        self._count_contact_kinds(Counter(kind_pairs), kind_of)
        keep = [i for i in range(n) if users[i] is not None and agencies[i] is not None]
        no_agency = sum(1 for i in range(n) if agencies[i] is None and rows.provider[i] is None)
        if no_agency:
            r.skipped["Encounter", "a contact without serviceProvider (nor a service or a staff member telling "
                                   "the agency)"] += no_agency
        if len(keep) < n:
            def take(column: list) -> list:
                return [column[i] for i in keep]

            columns = {"contact_id": take(rows.id), "user_id": take(users), "agency_id": take(agencies),
                       "date": take(rows.date), "kind": take(kinds), "service_id": take(services),
                       "staff_id": take(staff)}
            wheres = array("q", (rows.where[i] for i in keep))
        else:
            columns = {"contact_id": rows.id, "user_id": users, "agency_id": agencies, "date": rows.date,
                       "kind": kinds, "service_id": services, "staff_id": staff}
            wheres = rows.where
        self.made_from["contacts"]["Encounter (every other class)"] = len(wheres)
        self.used["Encounter"] = self.made_from["episodes"]["Encounter (stay classes)"] + len(wheres)
        return columns, wheres

    def _contact_agency(self, codes: tuple, member) -> str | None:
        """A contact's agency without serviceProvider: its service's, else its staff member's only one."""
        service = self._service_of(codes, None, False)
        if service is not None:
            return self.service_agency.get(service)
        if member is None:
            return None
        if member[0] == "PractitionerRole":
            at = self.role_index.get(member[1])
            return self.role_agency[at] if at is not None else None
        agencies = self.practitioner_agencies.get(member[1], ())
        return next(iter(agencies)) if len(agencies) == 1 else None

    def _contact_kind(self, type_key: tuple, class_key: tuple) -> tuple[str, tuple]:
        """``(contact kind, the key that told it)``: Encounter.type, else Encounter.class."""
        kind = self.codes_of.find("contact_kind", type_key)
        if kind is not None:
            return kind, type_key
        kind = next((CLASS_CONTACT_KINDS[c.lower()] for c in class_key if c.lower() in CLASS_CONTACT_KINDS), None)
        return kind or self.codes_of.value("contact_kind", class_key), class_key

    def _count_contact_kinds(self, counts: Counter, kind_of: dict) -> None:
        told = Counter()
        for pair, n in counts.items():
            kind, key = kind_of[pair]
            told[key, kind] += n
        for (key, kind), n in told.items():
            if key in ((), None):
                continue
            how = self._how("contact_kind", key)
            if how == "not recognised":
                matched = next((c for c in key if c.lower() in CLASS_CONTACT_KINDS), None)
                if matched is not None:
                    how = f"default: Encounter.class {matched}"
            self.codes["contact_kind", "Encounter.type, else Encounter.class", shown_code(key), kind, how] += n


def names_of(name: str | None, type_key: tuple) -> str | None:
    """A service's name: its ``name``, else the display or text of its type."""
    if name:
        return name
    for candidate in type_key:
        if "|" not in candidate and not candidate.isupper():
            return candidate
    return None

def _shown_reference(target: tuple) -> str:
    if target == CONTAINED:
        return "a contained resource"
    if target[0] == "=":
        return f"identifier {target[1]}"
    if target[0] == "?":
        return f"reference {target[1]!r}"
    return f"{target[0]}/{target[1]}"
