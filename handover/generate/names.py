"""Invented Norwegian-sounding place names, and the names agencies and services carry.

The places are made up (``Nordvik``, ``Sørdal``): no name in a generated dataset
belongs to a person, and none needs to match a real municipality.
"""

from __future__ import annotations

import numpy as np

__all__ = ["place_names", "DISTRICT_NAMES", "SERVICE_NAMES"]

_STEMS = (
    "Nord", "Sør", "Øst", "Vest", "Stor", "Lille", "Ny", "Gamle", "Fjell", "Li", "Bakke",
    "Strand", "Elve", "Skog", "Berg", "Sjø", "Holm", "Eike", "Furu", "Bjørke", "Rype",
    "Ørne", "Laks", "Sol", "Måne", "Stein", "Myr", "Hav", "Fos", "Kvern",
)
_ENDINGS = (
    "by", "vik", "dal", "nes", "øy", "berg", "fjord", "sund", "land", "heim", "stad", "mo",
    "rud", "haug", "voll", "bø", "eid", "set", "våg", "lia",
)
_PREFIXES = ("", "Indre ", "Ytre ", "Øvre ", "Nedre ")

#: Names of the big city's districts, reused with a number when there are more.
DISTRICT_NAMES = (
    "Sentrum", "Sagene", "Løkka", "Gamlebyen", "Nordstrand", "Bjerke", "Grorud", "Stovner",
    "Alna", "Østensjø", "Frogner", "Ullern", "Vestre Aker", "Nordre Aker", "Søndre",
    "Bryn", "Torshov", "Kampen", "Tøyen", "Vika",
)

#: Service name by (agency kind, service kind).
SERVICE_NAMES = {
    ("nav_office", "social_services"): "Økonomisk sosialhjelp og oppfølging",
    ("municipal_health", "housing_support"): "Bo-oppfølging",
    ("municipal_health", "low_threshold"): "Lavterskeltilbud rus",
    ("housing", "other"): "Kommunal bolig",
    ("tsb", "detox"): "Avrusning",
    ("tsb", "inpatient"): "Døgnbehandling rus",
    ("tsb", "outpatient"): "Poliklinikk rus",
    ("tsb", "ost"): "LAR",
    ("dps", "inpatient"): "DPS døgnpost",
    ("dps", "outpatient"): "DPS poliklinikk",
    ("private_institution", "residential"): "Langtidsbehandling",
    ("ngo", "low_threshold"): "Værested",
    ("ngo", "day_activity"): "Arbeidstrening og dagtilbud",
}


def place_names(rng: np.random.Generator, count: int) -> list[str]:
    """``count`` distinct invented place names, in a random but seeded order.

    Examples
    --------
    >>> names = place_names(np.random.default_rng(0), 3)
    >>> len(set(names)) == 3 and all(name[0].isupper() for name in names)
    True
    """
    simple = [stem + ending for stem in _STEMS for ending in _ENDINGS]
    simple = [simple[i] for i in rng.permutation(len(simple))]
    names = [prefix + name for prefix in _PREFIXES for name in simple]
    number = 2
    while len(names) < count:  # beyond 3 000 places: a second series, numbered
        names += [f"{name} {number}" for name in simple]
        number += 1
    return names[:count]
