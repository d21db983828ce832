"""From simulated rows to the contract's tables: pseudonymous ids, vocabulary words, dates.

Ids are a prefix and a zero-padded number (``u000001``, ``st00042``, ``ag017``,
``sv005``, ``e0000001``, ``p0000001``, ``c00000001``), wide enough for the dataset
so that string order is numeric order. Users, episodes, plans and contacts are
numbered across chunks in the order they are written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from handover.generate.reasons import REASONS
from handover.generate.region import Region
from handover.generate.sampling import OPEN, Rows
from handover.generate.writer import date_array, id_array, lookup_array
from handover.model import VOCABULARIES

__all__ = ["Numbering", "region_tables", "chunk_tables"]


def _width(count: int, least: int) -> int:
    return max(least, len(str(max(count, 1))))


@dataclass
class Numbering:
    """Id widths for a dataset, and the next number of each running id."""

    users: int
    agencies: int
    services: int
    staff: int
    next_id: dict[str, int] = field(default_factory=lambda: {"episodes": 1, "plans": 1, "contacts": 1})

    @property
    def widths(self) -> dict[str, int]:
        return {
            "users": _width(self.users, 6), "agencies": _width(self.agencies, 3),
            "services": _width(self.services, 3), "staff": _width(self.staff, 5),
            "episodes": _width(self.users * 100, 7), "plans": _width(self.users * 100, 7),
            "contacts": _width(self.users * 1000, 8),
        }

    def take(self, table: str, count: int) -> np.ndarray:
        """The next ``count`` numbers of ``table``'s running id."""
        first = self.next_id[table]
        self.next_id[table] = first + count
        return np.arange(first, first + count, dtype=np.int64)


def _vocabulary(name: str) -> pa.Array:
    return pa.array(list(VOCABULARIES[name]), pa.string())


def region_tables(region: Region, numbering: Numbering) -> dict[str, dict[str, pa.Array]]:
    """``agencies``, ``services``, ``staff`` and ``employments`` of the region."""
    w = numbering.widths
    n_agencies, n_services = region.n_agencies, len(region.service_kind)
    st = region.staffing
    jobs = st.employments
    return {
        "agencies": {
            "agency_id": id_array("ag", np.arange(1, n_agencies + 1), w["agencies"]),
            "name": pa.array(region.agency_name, pa.string()),
            "kind": pa.array(region.agency_kind, pa.string()),
            "level": pa.array(region.agency_level, pa.string()),
            "municipality": pa.array(region.agency_municipality, pa.string()),
        },
        "services": {
            "service_id": id_array("sv", np.arange(1, n_services + 1), w["services"]),
            "agency_id": id_array("ag", region.service_agency_index + 1, w["agencies"]),
            "name": pa.array(region.service_name, pa.string()),
            "kind": pa.array(region.service_kind, pa.string()),
        },
        "staff": {
            "staff_id": id_array("st", np.arange(1, st.n_staff + 1), w["staff"]),
            "profession": pa.array(region.staff_professions(), pa.string()),
        },
        "employments": {
            "staff_id": id_array("st", jobs["staff"] + 1, w["staff"]),
            "agency_id": id_array("ag", jobs["agency"] + 1, w["agencies"]),
            "start": date_array(jobs["start"]),
            "end": date_array(np.where(jobs["end"] >= region.t1, OPEN, jobs["end"])),
        },
    }


def chunk_tables(region: Region, rows: dict[str, Rows], first_user: int,
                 numbering: Numbering) -> dict[str, dict[str, pa.Array]]:
    """``users``, ``responsibilities``, ``plans``, ``episodes`` and ``contacts`` of one chunk.

    ``first_user`` is the number of the chunk's first user (1-based).
    """
    w = numbering.widths

    def user_ids(owner):
        return id_array("u", np.asarray(owner) + first_user, w["users"])

    def agency_ids(agency):
        return id_array("ag", np.asarray(agency) + 1, w["agencies"])

    def staff_ids(staff):
        staff = np.asarray(staff)
        return id_array("st", np.where(staff >= 0, staff + 1, -1), w["staff"])

    def service_ids(service):
        service = np.asarray(service)
        return id_array("sv", np.where(service >= 0, service + 1, -1), w["services"])

    users, resp, plans = rows["users"], rows["responsibilities"], rows["plans"]
    episodes, contacts = rows["episodes"], rows["contacts"]
    municipality = lookup_array(region.agency_municipality, region.units["nav_agency"][users["unit"]])
    return {
        "users": {
            "user_id": user_ids(np.arange(len(users["unit"]))),
            "birth_year": pa.array(users["birth_year"].astype(np.int16)),
            "municipality": municipality,
        },
        "responsibilities": {
            "user_id": user_ids(resp["owner"]), "staff_id": staff_ids(resp["staff"]),
            "agency_id": agency_ids(resp["agency"]),
            "role": lookup_array(_vocabulary("role"), resp["role"]),
            "start": date_array(resp["start"]), "end": date_array(resp["end"]),
            "reason": lookup_array(list(REASONS), resp["reason"]),
        },
        "plans": {
            "plan_id": id_array("p", numbering.take("plans", len(plans["owner"])), w["plans"]),
            "user_id": user_ids(plans["owner"]), "agency_id": agency_ids(plans["agency"]),
            "kind": lookup_array(_vocabulary("plan_kind"), plans["kind"]),
            "start": date_array(plans["start"]), "end": date_array(plans["end"]),
            "last_revised": date_array(plans["last_revised"]),
        },
        "episodes": {
            "episode_id": id_array("e", numbering.take("episodes", len(episodes["owner"])), w["episodes"]),
            "user_id": user_ids(episodes["owner"]), "service_id": service_ids(episodes["service"]),
            "start": date_array(episodes["start"]), "end": date_array(episodes["end"]),
            "discharge_kind": lookup_array(_vocabulary("discharge_kind"), episodes["discharge"]),
        },
        "contacts": {
            "contact_id": id_array("c", numbering.take("contacts", len(contacts["owner"])), w["contacts"]),
            "user_id": user_ids(contacts["owner"]), "agency_id": agency_ids(contacts["agency"]),
            "date": date_array(contacts["date"]),
            "kind": lookup_array(_vocabulary("contact_kind"), contacts["kind"]),
            "service_id": service_ids(contacts["service"]), "staff_id": staff_ids(contacts["staff"]),
        },
    }
