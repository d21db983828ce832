"""The health region: municipalities, their agencies and services, and the specialist side.

One big city split into districts (each with a NAV district office, a substance-use
and mental-health service and a housing office; the city has an allocation
office), towns, and small municipalities whose substance-use service has one or two
posts. Every municipality has GP offices. The specialist side: health trusts, each
with a TSB department (detox, inpatient, outpatient, LAR) and district psychiatric
centres (DPS); private institutions for long stays; NGOs in the city and some towns.
The number of agencies and staff grows with the number of users, so caseloads
stay as the field reports them (DOMAIN: NAV 70-80, LAR 170-180, TSB about 7).

A *unit* is where a user lives: a city district or a municipality. Everything a
user's simulation needs about their agencies is one row of :attr:`Region.units`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from handover.generate.figures import (
    CASELOAD, CITY_SHARE, EARLIEST_YEARS, HISTORY_YEARS, LAR_SHARE, NAV_SHARE,
    REORGANISATION_CHANCE_PER_YEAR, TOWN_SHARE,
    USERS_PER_CITY_DISTRICT, USERS_PER_SMALL_MUNICIPALITY, USERS_PER_TOWN,
)
from handover.generate.names import DISTRICT_NAMES, SERVICE_NAMES, place_names
from handover.generate.sampling import NONE, YEAR, Rows, date_of, day_of
from handover.generate.staffing import Staffing, build_staffing
from handover.model import VOCABULARIES

__all__ = ["Region", "build_region", "TEAM_PROFESSIONS"]

#: Professions of each kind of team, drawn per staff member.
TEAM_PROFESSIONS: dict[str, tuple[str, ...]] = {
    "nav": ("social worker",),
    "nav_lar": ("LAR consultant",),
    "municipal_health": ("substance-use consultant", "psychiatric nurse",
                         "housing-support worker", "social worker"),
    "housing": ("housing officer",),
    "gp": ("GP",),
    "allocation": ("allocation officer",),
    "tsb_inpatient": ("social worker", "milieu therapist", "nurse"),
    "tsb_outpatient": ("psychologist", "clinical social worker"),
    "tsb_lar": ("LAR consultant", "nurse"),
    "dps": ("psychologist", "psychiatrist", "psychiatric nurse"),
    "private": ("milieu therapist", "social worker"),
    "ngo": ("peer worker", "social worker"),
}
_TEAM_KINDS = tuple(TEAM_PROFESSIONS)

#: Share of a unit's users a team serves at one time (sizes the team with CASELOAD).
_LOAD = {
    "nav": 0.70, "nav_lar": NAV_SHARE * LAR_SHARE * 0.82, "municipal_health": 0.10,
    "housing": 0.12, "gp": 0.85, "allocation": 0.01, "tsb_inpatient": 0.012,
    "tsb_outpatient": 0.025, "tsb_lar": LAR_SHARE * 0.85, "dps": 0.02, "private": 0.0075,
    "ngo": 0.008,
}
_GPS_PER_OFFICE = 4


@dataclass
class Region:
    """Agencies, services, teams and staff of the region, and the period simulated.

    Days are day numbers (:func:`~handover.generate.sampling.day_of`): the period is
    ``[t0, t1)``; prevalent users' histories start at ``history_start``; nothing
    starts before ``earliest``.
    """

    t0: int
    t1: int
    history_start: int
    earliest: int
    agency_name: list[str]
    agency_kind: list[str]
    agency_level: list[str]
    agency_municipality: list[str | None]
    service_agency: list[int]
    service_kind: list[str]
    service_name: list[str]
    team_kind: np.ndarray  # index into TEAM_PROFESSIONS' keys
    team_reorganised: np.ndarray  # the day a NAV team is reorganised, or -1
    units: Rows
    trusts: Rows
    dps: Rows
    private: Rows
    staffing: Staffing = field(repr=False)

    def __post_init__(self) -> None:
        # Codes for the vectorised simulation: vocabulary positions in handover.model.
        self.service_agency_index = np.asarray(self.service_agency, dtype=np.int64)
        self.service_kind_code = _codes(self.service_kind, "service_kind")
        self.agency_kind_code = _codes(self.agency_kind, "agency_kind")
        self.agency_level_code = _codes(self.agency_level, "agency_level")

    @property
    def n_agencies(self) -> int:
        return len(self.agency_name)

    def staff_professions(self) -> list[str]:
        """The profession of every staff member, by staff number."""
        kinds = self.team_kind[self.staffing.staff_team]
        codes = self.staffing.staff_profession
        return [TEAM_PROFESSIONS[_TEAM_KINDS[k]][c % len(TEAM_PROFESSIONS[_TEAM_KINDS[k]])]
                for k, c in zip(kinds.tolist(), codes.tolist())]


def _arrays(rows: dict[str, list]) -> Rows:
    return {name: np.asarray(values) for name, values in rows.items()}


def _codes(values: list[str], vocabulary: str) -> np.ndarray:
    allowed = VOCABULARIES[vocabulary]
    return np.asarray([allowed.index(v) for v in values], dtype=np.int64)


class _Builder:
    def __init__(self, rng: np.random.Generator):
        self.rng = rng
        self.agency_name, self.agency_kind, self.agency_level, self.agency_municipality = [], [], [], []
        self.service_agency, self.service_kind, self.service_name = [], [], []
        self.team_agency, self.team_kind, self.team_posts, self.team_project = [], [], [], []

    def agency(self, name: str, kind: str, level: str, municipality: str | None) -> int:
        self.agency_name.append(name)
        self.agency_kind.append(kind)
        self.agency_level.append(level)
        self.agency_municipality.append(municipality)
        return len(self.agency_name) - 1

    def service(self, agency: int, kind: str) -> int:
        self.service_agency.append(agency)
        self.service_kind.append(kind)
        self.service_name.append(SERVICE_NAMES[(self.agency_kind[agency], kind)])
        return len(self.service_agency) - 1

    def team(self, agency: int, kind: str, users: float, posts: int | None = None) -> int:
        if posts is None:
            posts = max(1, int(round(users * _LOAD[kind] / CASELOAD[kind])))
        self.team_agency.append(agency)
        self.team_kind.append(_TEAM_KINDS.index(kind))
        self.team_posts.append(posts)
        self.team_project.append(kind in ("nav", "nav_lar"))
        return len(self.team_agency) - 1


def _sizes(rng: np.random.Generator, count: int, total: float, spread: float) -> np.ndarray:
    """``count`` unit sizes summing to ``total``, varying lognormally by ``spread``."""
    weights = rng.lognormal(0.0, spread, count)
    return total * weights / weights.sum()


def build_region(rng: np.random.Generator, users: int, t0: int, years: int) -> Region:
    """Lay out a region sized for ``users`` users over ``years`` years from day ``t0``.

    Examples
    --------
    >>> from handover.generate.sampling import day_of
    >>> import datetime as dt
    >>> region = build_region(np.random.default_rng(0), 2000, day_of(dt.date(2022, 1, 1)), 3)
    >>> kinds = set(region.agency_kind)
    >>> {"nav_office", "tsb", "dps", "private_institution", "ngo", "allocation_office"} <= kinds
    True
    >>> round(float(region.units["share"].sum()), 9)
    1.0
    """
    b = _Builder(rng)
    first = date_of(t0)
    last = first.replace(year=first.year + years, day=28) if (first.month, first.day) == (2, 29) \
        else first.replace(year=first.year + years)
    t1 = day_of(last)
    city_users, town_users = users * CITY_SHARE, users * TOWN_SHARE
    small_users = users - city_users - town_users
    n_districts = int(np.clip(round(city_users / USERS_PER_CITY_DISTRICT), 2, 60))
    n_towns = int(np.clip(round(town_users / USERS_PER_TOWN), 2, 150))
    n_small = int(np.clip(round(small_users / USERS_PER_SMALL_MUNICIPALITY), 3, 600))
    n_trusts = int(np.clip(round(users / 25_000), 1, 6))
    n_private = int(np.clip(round(users / 10_000), 1, 10))
    n_city_ngos = int(np.clip(round(city_users / 4_000), 1, 15))
    names = place_names(rng, 1 + n_towns + n_small + n_trusts)
    city, towns = names[0], names[1:1 + n_towns]
    smalls, trust_names = names[1 + n_towns:1 + n_towns + n_small], names[1 + n_towns + n_small:]

    unit_size = np.concatenate([
        _sizes(rng, n_districts, city_users, 0.25), _sizes(rng, n_towns, town_users, 0.6),
        _sizes(rng, n_small, small_users, 0.6)])
    unit_class = np.repeat([0, 1, 2], [n_districts, n_towns, n_small])  # city, town, small
    unit_trust = np.where(unit_class == 0, 0, rng.integers(0, n_trusts, len(unit_size)))
    trust_users = np.bincount(unit_trust, weights=unit_size, minlength=n_trusts)

    allocation = b.agency(f"{city} kommune tildelingskontor", "allocation_office", "municipal", city)
    allocation_team = b.team(allocation, "allocation", city_users)
    city_ngos = []
    for i in range(n_city_ngos):
        ngo = b.agency(f"Gatehjelpa {city} {i + 1}" if n_city_ngos > 1 else f"Gatehjelpa {city}",
                       "ngo", "private", city)
        share = city_users / n_city_ngos
        city_ngos.append((ngo, b.service(ngo, "low_threshold"), b.service(ngo, "day_activity"),
                          b.team(ngo, "ngo", share)))

    # LAR consultants follow 170-180 users each (DOMAIN): neighbouring districts share them.
    district_lar = city_users / n_districts * _LOAD["nav_lar"]
    lar_group = max(1, min(n_districts, int(round(CASELOAD["nav_lar"] / district_lar))))
    lar_team = NONE
    columns = ("share", "kind", "trust", "nav_agency", "nav_team", "lar_team", "mh_agency", "mh_team",
               "housing_agency", "housing_team", "gp_team_first", "gp_teams", "ngo_agency", "ngo_team",
               "allocation_agency", "allocation_team", "svc_social", "svc_housing_support",
               "svc_low_threshold", "svc_housing", "svc_ngo_low", "svc_ngo_day", "dps")
    units: dict[str, list] = {name: [] for name in columns}
    for u, size in enumerate(unit_size):
        kind = int(unit_class[u])
        if kind == 0:
            district = DISTRICT_NAMES[u % len(DISTRICT_NAMES)]
            if u >= len(DISTRICT_NAMES):
                district += f" {u // len(DISTRICT_NAMES) + 1}"
            where, place = city, district
            nav = b.agency(f"NAV {district}", "nav_office", "municipal", city)
            mh = b.agency(f"Bydel {district} rus- og psykisk helsetjeneste", "municipal_health",
                          "municipal", city)
            housing = b.agency(f"Bydel {district} boligkontor", "housing", "municipal", city)
        else:
            where = place = towns[u - n_districts] if kind == 1 else smalls[u - n_districts - n_towns]
            nav = b.agency(f"NAV {place}", "nav_office", "municipal", where)
            mh = b.agency(f"{place} kommune rus- og psykisk helsetjeneste", "municipal_health",
                          "municipal", where)
            housing = b.agency(f"{place} kommune boligkontor", "housing", "municipal", where)
        units["share"].append(size / users)
        units["kind"].append(kind)
        units["trust"].append(int(unit_trust[u]))
        units["nav_agency"].append(nav)
        nav_users = size * (1 - LAR_SHARE) if kind == 0 else size
        units["nav_team"].append(b.team(nav, "nav", nav_users))
        if kind == 0 and u % lar_group == 0:  # the LAR consultants of a few districts
            lar_team = b.team(nav, "nav_lar", unit_size[u:min(u + lar_group, n_districts)].sum())
        units["lar_team"].append(lar_team if kind == 0 else NONE)
        units["mh_agency"].append(mh)
        small_posts = int(rng.integers(1, 3)) if kind == 2 else None  # a one/two-person service
        units["mh_team"].append(b.team(mh, "municipal_health", size, posts=small_posts))
        units["housing_agency"].append(housing)
        units["housing_team"].append(b.team(housing, "housing", size))
        units["svc_social"].append(b.service(nav, "social_services"))
        units["svc_housing_support"].append(b.service(mh, "housing_support"))
        units["svc_low_threshold"].append(b.service(mh, "low_threshold") if kind != 2 else NONE)
        units["svc_housing"].append(b.service(housing, "other"))

        n_gps = max(1, int(np.ceil(size * _LOAD["gp"] / CASELOAD["gp"])))
        n_offices = int(np.ceil(n_gps / _GPS_PER_OFFICE))
        first_gp_team = None
        for k in range(n_offices):
            suffix = f" {k + 1}" if n_offices > 1 else ""
            office = b.agency(f"{place} legesenter{suffix}", "gp", "municipal", where)
            posts = min(_GPS_PER_OFFICE, n_gps - k * _GPS_PER_OFFICE)
            team = b.team(office, "gp", 0, posts=posts)
            first_gp_team = team if first_gp_team is None else first_gp_team
        units["gp_team_first"].append(first_gp_team)
        units["gp_teams"].append(n_offices)

        if kind == 0:
            ngo, low, day, team = city_ngos[u % n_city_ngos]
        elif kind == 1 and rng.random() < 0.5:
            ngo = b.agency(f"Værestedet {place}", "ngo", "private", where)
            low, day, team = b.service(ngo, "low_threshold"), b.service(ngo, "day_activity"), b.team(ngo, "ngo", size)
        else:
            ngo = low = day = team = NONE
        units["ngo_agency"].append(ngo)
        units["ngo_team"].append(team)
        units["svc_ngo_low"].append(low)
        units["svc_ngo_day"].append(day)
        units["allocation_agency"].append(allocation if kind == 0 else NONE)
        units["allocation_team"].append(allocation_team if kind == 0 else NONE)

    trusts: dict[str, list] = {name: [] for name in (
        "tsb_agency", "svc_detox", "svc_inpatient", "svc_outpatient", "svc_ost",
        "inpatient_team", "outpatient_team", "lar_team", "dps_first", "dps_count")}
    dps: dict[str, list] = {name: [] for name in ("agency", "svc_inpatient", "svc_outpatient", "team")}
    for t in range(n_trusts):
        host = city if t == 0 else trust_names[t]
        served = float(trust_users[t])
        tsb = b.agency(f"Helse {trust_names[t]} HF avdeling for rusbehandling", "tsb", "specialist", host)
        trusts["tsb_agency"].append(tsb)
        for kind in ("detox", "inpatient", "outpatient", "ost"):
            trusts[f"svc_{kind}"].append(b.service(tsb, kind))
        trusts["inpatient_team"].append(b.team(tsb, "tsb_inpatient", served))
        trusts["outpatient_team"].append(b.team(tsb, "tsb_outpatient", served))
        trusts["lar_team"].append(b.team(tsb, "tsb_lar", served))
        n_dps = int(np.clip(round(served / 8_000), 1, 6))
        trusts["dps_first"].append(len(dps["agency"]))
        trusts["dps_count"].append(n_dps)
        for k in range(n_dps):
            place = towns[(t * 7 + k) % n_towns] if k else host
            centre = b.agency(f"{place} DPS", "dps", "specialist", place)
            dps["agency"].append(centre)
            dps["svc_inpatient"].append(b.service(centre, "inpatient"))
            dps["svc_outpatient"].append(b.service(centre, "outpatient"))
            dps["team"].append(b.team(centre, "dps", served / n_dps))
    unit_dps = [trusts["dps_first"][t] + int(rng.integers(0, trusts["dps_count"][t])) for t in units["trust"]]
    units["dps"] = unit_dps

    private: dict[str, list] = {name: [] for name in ("agency", "svc_residential", "team")}
    for k in range(n_private):
        place = smalls[(k * 5) % n_small]
        home = b.agency(f"Stiftelsen {place}tunet", "private_institution", "private", place)
        private["agency"].append(home)
        private["svc_residential"].append(b.service(home, "residential"))
        private["team"].append(b.team(home, "private", users / n_private))

    earliest = t0 - int(EARLIEST_YEARS * YEAR)
    staffing = build_staffing(rng, b.team_agency, b.team_posts, b.team_project,
                              earliest=earliest, t0=t0, t1=t1)
    team_kind = np.asarray(b.team_kind)
    nav_team = np.isin(team_kind, [_TEAM_KINDS.index("nav"), _TEAM_KINDS.index("nav_lar")])
    reorganised = nav_team & (rng.random(len(team_kind)) < 1 - (1 - REORGANISATION_CHANCE_PER_YEAR) ** years)
    reorganisation_day = rng.integers(t0, t1, len(team_kind))
    return Region(
        t0=t0, t1=t1, history_start=t0 - int(HISTORY_YEARS * YEAR), earliest=earliest,
        agency_name=b.agency_name, agency_kind=b.agency_kind, agency_level=b.agency_level,
        agency_municipality=b.agency_municipality, service_agency=b.service_agency,
        service_kind=b.service_kind, service_name=b.service_name,
        team_kind=team_kind, team_reorganised=np.where(reorganised, reorganisation_day, NONE),
        units=_arrays(units), trusts=_arrays(trusts),
        dps=_arrays(dps), private=_arrays(private), staffing=staffing,
    )
