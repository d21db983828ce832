"""A mapping file: how an export's sheets, headers, codes and dates become the contract's.

Exports rarely use the contract's names. ``--mapping mapping.toml`` says, per contract
table, where the table is in the export (``source``: a sheet name or a file stem), which
export header holds each contract column (``columns``), which export value stands for
which contract value (``values``), and the value of a column the export lacks
(``constants``); ``date_format`` at the top says how text dates are written::

    date_format = "DD.MM.YYYY"

    [responsibilities]
    source = "Ansvar"
    [responsibilities.columns]
    user_id = "BrukerID"
    role = "Rolle"
    [responsibilities.values.role]
    "Koordinator" = "coordinator"
    [responsibilities.constants]
    agency_id = "nav-grunerlokka"

A contract column the mapping does not name is read from a header spelled like it, so a
mapping names only what differs. Sheet and file names and headers match without regard
to case; export values match after trimming, without regard to case. A value of a
closed vocabulary that the mapping does not name must already be a contract value.

The file is checked when it is read: every table, column and contract value it names
must exist, and every problem is reported with the file, the section and the key.

A ``[fhir]`` section says how ``handover import fhir`` reads FHIR codes
(:class:`FhirMapping`): ``[fhir.values.<vocabulary>]`` tables of code or display →
contract value for the vocabularies ``role``, ``agency_kind``, ``agency_level``,
``service_kind``, ``plan_kind``, ``discharge_kind`` and ``contact_kind``, and a few
settings (``episode_classes``, ``agency_level``, ``plan_last_revised``, ``period_end``).
Reading tables ignores it, so one mapping file can serve both imports.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "mapping.toml"
>>> _ = path.write_text('[users]\\nsource = "Brukere"\\n[users.columns]\\nuser_id = "BrukerID"\\n', encoding="utf-8")
>>> mapping = read_mapping(path)
>>> mapping.source_of("users"), mapping.header_of("users", "user_id"), mapping.header_of("users", "birth_year")
('Brukere', 'BrukerID', 'birth_year')
"""

from __future__ import annotations

import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handover.errors import InputError
from handover.model import TABLES, VOCABULARIES, ColumnKind

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["DATE_FORMATS", "TableMapping", "FhirMapping", "FHIR_VOCABULARIES", "PERIOD_ENDS", "Mapping", "read_mapping",
           "value_key"]

#: The ways dates can be written, for ``--date-format`` and a mapping's ``date_format``.
DATE_FORMATS = ("YYYY-MM-DD", "DD.MM.YYYY", "DD/MM/YYYY", "DD.MM.YY", "auto")

_TABLE_KEYS = ("source", "columns", "values", "constants")

#: The vocabularies whose codes a ``[fhir.values.<vocabulary>]`` table maps.
FHIR_VOCABULARIES = ("role", "agency_kind", "agency_level", "service_kind", "plan_kind", "discharge_kind",
                     "contact_kind")
_FHIR_KEYS = ("values", "episode_classes", "agency_level", "plan_last_revised", "period_end")
#: How a FHIR Period's end becomes the contract's end: the date as written, or the day after a
#: date-only end (FHIR counts such an end day in the period).
PERIOD_ENDS = ("as-written", "inclusive")


def value_key(text: str) -> str:
    """How export values are matched: trimmed, lower-cased (as Arrow's ``utf8_lower`` does).

    Examples
    --------
    >>> value_key("  Koordinator ") == value_key("KOORDINATOR")
    True
    """
    return text.strip().lower()


@dataclass(frozen=True)
class TableMapping:
    """How one contract table is found and read in an export.

    Parameters
    ----------
    table : str
        The contract table.
    source : str or None
        The sheet name or file stem of the export that holds it (default: the table's name).
    columns : dict
        Contract column → the export's header.
    values : dict
        Contract column → {export value → contract value} (keys as written in the file).
    constants : dict
        Contract column → the value every row gets.
    """

    table: str
    source: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)

    def translation(self, column: str) -> dict[str, str]:
        """``value_key(export value) → contract value`` for ``column`` (empty when unmapped)."""
        return {value_key(k): v for k, v in self.values.get(column, {}).items()}


@dataclass(frozen=True)
class FhirMapping:
    """The ``[fhir]`` section of a mapping file: how FHIR codes become contract values.

    Parameters
    ----------
    values : dict
        Vocabulary (one of :data:`FHIR_VOCABULARIES`) → {code, ``system|code`` or display →
        contract value}, keys as written in the file.
    episode_classes : tuple of str, optional
        The ``Encounter.class`` codes that are stays (episodes); default: handover's list.
    agency_level : str, optional
        The level of an organisation whose type (and whose parents' types) tell none.
    plan_last_revised : str
        Where a plan's ``last_revised`` comes from: ``meta.lastUpdated`` (the default),
        ``none``, or the URL of an extension holding a date.
    period_end : str
        ``as-written`` (the default) or ``inclusive`` (a date-only end is the period's last
        day, so the contract's end is the day after).
    """

    values: dict[str, dict[str, str]] = field(default_factory=dict)
    episode_classes: tuple[str, ...] | None = None
    agency_level: str | None = None
    plan_last_revised: str = "meta.lastUpdated"
    period_end: str = "as-written"

    def translation(self, vocabulary: str) -> dict[str, str]:
        """``value_key(code or display) → contract value`` for ``vocabulary`` (empty when unmapped)."""
        return {value_key(k): v for k, v in self.values.get(vocabulary, {}).items()}


@dataclass(frozen=True)
class Mapping:
    """A mapping file as read: its tables, its date format, and its ``[fhir]`` section."""

    path: Path
    tables: dict[str, TableMapping]
    date_format: str | None = None
    fhir: FhirMapping | None = None

    @property
    def name(self) -> str:
        """The file's name, as messages show it."""
        return self.path.name

    def table(self, table: str) -> TableMapping:
        """The mapping of ``table`` (an empty one when the file does not name it)."""
        return self.tables.get(table) or TableMapping(table)

    def source_of(self, table: str) -> str:
        """The sheet or file stem that holds ``table`` in the export."""
        return self.table(table).source or table

    def header_of(self, table: str, column: str) -> str | None:
        """The export's header of a contract column; ``None`` for a constant."""
        mapped = self.table(table)
        if column in mapped.constants:
            return None
        return mapped.columns.get(column, column)



#: A mapping file is a few kilobytes of TOML; anything bigger is not one (and /dev/zero never ends).
MAX_MAPPING_BYTES = 1 << 20


def _mapping_text(path: Path) -> str:
    """The text of the mapping file ``path``, refused when it is no regular file of at most
    :data:`MAX_MAPPING_BYTES`, or not UTF-8."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError(f"--mapping: {path} not found") from None
    except OSError as err:
        raise InputError(f"--mapping: {path} is not readable ({err.strerror or err})") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"--mapping: {path} is a folder; give the mapping file (TOML)")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"--mapping: {path} is not a regular file (a device or a pipe); give the mapping file (TOML)")
    if info.st_size > MAX_MAPPING_BYTES:
        raise InputError(f"--mapping: {path} has {info.st_size:,} bytes, more than a mapping file's limit of "
                         f"{MAX_MAPPING_BYTES:,} (1 MiB); is it the right file?")
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_MAPPING_BYTES + 1)
    except OSError as err:
        raise InputError(f"--mapping: {path} is not readable ({err.strerror or err})") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[:err.start].count(b"\n") + 1
        raise InputError(f"--mapping: {path} line {line} is not UTF-8 text (byte 0x{data[err.start]:02x}); "
                         "save the mapping file as UTF-8") from None


def read_mapping(path: str | Path) -> Mapping:
    """Read and check a mapping file.

    Raises
    ------
    InputError
        When the file is missing or not TOML (with its line), or names a table, column,
        date format or contract value that does not exist, or maps one value two ways;
        all problems at once, each with the section and key.
    """
    path = Path(path)
    text = _mapping_text(path)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise InputError(f"{path.name}: not a TOML file ({err})") from None
    problems: list[str] = []
    date_format = document.pop("date_format", None)
    if date_format is not None and date_format not in DATE_FORMATS:
        problems.append(f"date_format = {date_format!r} is not one of: {', '.join(DATE_FORMATS)}")
    fhir = document.pop("fhir", None)
    fhir_mapping = None if fhir is None else _fhir(fhir, problems)
    tables = {}
    for name, section in document.items():
        if name not in TABLES:
            problems.append(f"[{name}] is not a table of the contract; the tables are: {', '.join(TABLES)} "
                            "(and [fhir] for `handover import fhir`)")
            continue
        if not isinstance(section, dict):
            problems.append(f"{name} = ... must be a section [{name}]")
            continue
        tables[name] = _table(name, section, problems)
    if problems:
        raise InputError(f"{path.name} has {len(problems)} problem{'s' if len(problems) > 1 else ''}:\n"
                         + "\n".join(f"  {problem}" for problem in problems))
    return Mapping(path, tables, date_format, fhir_mapping)


def _fhir(section: Any, problems: list[str]) -> FhirMapping | None:
    """The ``[fhir]`` section, checked: its keys, vocabularies, contract values and settings."""
    if not isinstance(section, dict):
        problems.append("fhir = ... must be a section [fhir]")
        return None
    for key in section:
        if key not in _FHIR_KEYS:
            problems.append(f"[fhir] {key}: not a key of the [fhir] section (they are: {', '.join(_FHIR_KEYS)})")
    values: dict[str, dict[str, str]] = {}
    given = section.get("values", {})
    if not isinstance(given, dict):
        problems.append("[fhir] values must hold sections [fhir.values.<vocabulary>]")
        given = {}
    for vocabulary, codes in given.items():
        if vocabulary not in FHIR_VOCABULARIES:
            problems.append(f"[fhir.values.{vocabulary}]: not a vocabulary FHIR codes are mapped to; they are: "
                            f"{', '.join(FHIR_VOCABULARIES)}")
            continue
        if not isinstance(codes, dict):
            problems.append(f"[fhir.values] {vocabulary} must be a section [fhir.values.{vocabulary}]")
            continue
        seen: dict[str, str] = {}
        mapped = {}
        for code, value in codes.items():
            where = f"[fhir.values.{vocabulary}] {code!r}"
            if not isinstance(value, str):
                problems.append(f"{where} = {value!r} must be text")
                continue
            if value not in VOCABULARIES[vocabulary]:
                problems.append(f"{where} = {value!r}: {value} is not one of: {', '.join(VOCABULARIES[vocabulary])}")
                continue
            key = value_key(code)
            if key in seen and seen[key] != value:
                problems.append(f"{where} = {value!r}, but {code!r} is already mapped to {seen[key]!r} "
                                "(codes match without regard to case)")
            seen[key] = value
            mapped[code] = value
        values[vocabulary] = mapped
    classes = section.get("episode_classes")
    if classes is not None and (not isinstance(classes, list) or not all(isinstance(c, str) for c in classes)):
        problems.append(f"[fhir] episode_classes = {classes!r} must be a list of Encounter.class codes, "
                        'such as ["IMP", "ACUTE", "NONAC"]')
        classes = None
    level = section.get("agency_level")
    if level is not None and level not in VOCABULARIES["agency_level"]:
        problems.append(f"[fhir] agency_level = {level!r} is not one of: {', '.join(VOCABULARIES['agency_level'])}")
        level = None
    revised = section.get("plan_last_revised", "meta.lastUpdated")
    if not isinstance(revised, str) or not (revised in ("meta.lastUpdated", "none") or "://" in revised):
        problems.append(f"[fhir] plan_last_revised = {revised!r} must be meta.lastUpdated, none, or the URL of "
                        "an extension holding the date")
        revised = "meta.lastUpdated"
    period_end = section.get("period_end", "as-written")
    if period_end not in PERIOD_ENDS:
        problems.append(f"[fhir] period_end = {period_end!r} is not one of: {', '.join(PERIOD_ENDS)}")
        period_end = "as-written"
    return FhirMapping(values, None if classes is None else tuple(classes), level, revised, period_end)


def _table(name: str, section: dict[str, Any], problems: list[str]) -> TableMapping:
    table = TABLES[name]
    known = table.column_names
    for key in section:
        if key not in _TABLE_KEYS:
            problems.append(f"[{name}] {key}: not a key of a table's section (they are: {', '.join(_TABLE_KEYS)})")
    source = section.get("source")
    if source is not None and not isinstance(source, str):
        problems.append(f"[{name}] source = {source!r} must be text (a sheet name or a file stem)")
        source = None

    def texts(part: str) -> dict[str, str]:
        given = section.get(part, {})
        if not isinstance(given, dict):
            problems.append(f"[{name}] {part} must be a section [{name}.{part}]")
            return {}
        out = {}
        for column, value in given.items():
            if column not in known:
                problems.append(f"[{name}.{part}] {column}: not a column of {name}; its columns are: "
                                f"{', '.join(known)}")
            elif isinstance(value, bool) or not isinstance(value, (str, int)):
                problems.append(f"[{name}.{part}] {column} = {value!r} must be text")
            else:
                out[column] = str(value)
        return out

    columns, constants = texts("columns"), texts("constants")
    for column in sorted(set(columns) & set(constants)):
        problems.append(f"[{name}] {column} is both in [{name}.columns] and in [{name}.constants]; keep one")
    for column, value in constants.items():
        _check_contract_value(name, table.column(column), value, f"[{name}.constants] {column}", problems)
    values: dict[str, dict[str, str]] = {}
    given = section.get("values", {})
    if not isinstance(given, dict):
        problems.append(f"[{name}] values must hold sections [{name}.values.<column>]")
        given = {}
    for column, table_of_values in given.items():
        if column not in known:
            problems.append(f"[{name}.values.{column}]: not a column of {name}; its columns are: {', '.join(known)}")
            continue
        if not isinstance(table_of_values, dict):
            problems.append(f"[{name}.values] {column} must be a section [{name}.values.{column}]")
            continue
        seen: dict[str, str] = {}
        mapped = {}
        for export_value, contract_value in table_of_values.items():
            where = f"[{name}.values.{column}] {export_value!r}"
            if not isinstance(contract_value, str):
                problems.append(f"{where} = {contract_value!r} must be text")
                continue
            _check_contract_value(name, table.column(column), contract_value, where, problems)
            key = value_key(export_value)
            if key in seen and seen[key] != contract_value:
                problems.append(f"{where} = {contract_value!r}, but {export_value!r} is already mapped to "
                                f"{seen[key]!r} (values match without regard to case)")
            seen[key] = contract_value
            mapped[export_value] = contract_value
        values[column] = mapped
    return TableMapping(name, source, columns, values, constants)


def _check_contract_value(table: str, column, value: str, where: str, problems: list[str]) -> None:
    if column.kind is ColumnKind.VOCAB and value not in VOCABULARIES[column.vocabulary]:
        problems.append(f"{where} = {value!r}: {value} is not one of: "
                        f"{', '.join(VOCABULARIES[column.vocabulary])}")
