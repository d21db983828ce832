"""What the data contract means, in English and Norwegian bokmål (docs/data.md).

:mod:`handover.model` says which tables, columns and values exist; this module says
what each of them *means*, in words an analyst or a quality adviser in a Norwegian
municipality or health trust uses. The words are in the message catalogue
(:mod:`handover.locale`: ``vocabulary``, ``value``, ``table`` and ``data_column`` in
``en.toml`` and ``nb.toml``); this module pairs them up. docs/data.md
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

from handover.locale import words
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


def _section(prefix: str) -> dict[str, Meaning]:
    en, nb = words("en"), words("nb")
    return {key[len(prefix):]: Meaning(en(key), nb(key)) for key in en.keys(prefix)}


#: Vocabulary → its title.
VOCABULARY_TITLES: dict[str, Meaning] = _section("vocabulary.")
#: Vocabulary → value → what the value means.
MEANINGS: dict[str, dict[str, Meaning]] = {name: _section(f"value.{name}.") for name in VOCABULARIES}
#: Table → what one row of it is about.
TABLE_MEANINGS: dict[str, Meaning] = _section("table.")
#: Table → column → what the column holds.
COLUMN_MEANINGS: dict[str, dict[str, Meaning]] = {
    name: _section(f"data_column.{name}.") for name in TABLE_MEANINGS}


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
