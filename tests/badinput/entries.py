"""The bad-input corpus for the other ways data comes in: workbooks, mapping files, FHIR, event logs.

:mod:`tests.badinput.corpus` breaks a folder of contract tables; each :class:`Entry` here
builds a broken input for another path in (``validate`` of an ``.xlsx`` workbook or with
``--mapping``, ``import fhir``, ``import event-log``) and says what the message must
name. Every one must be refused with exit 2, one ``error:`` message naming the place,
no traceback, nothing written, no free text echoed.
"""

from __future__ import annotations

import datetime as dt
import gzip
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from tests.datasets import FIXTURES

EXPORT = FIXTURES / "norwegian-export"


@dataclass(frozen=True)
class Entry:
    """One broken input of a path in: ``build(folder)`` makes it and returns the command's
    arguments (its output, if any, is ``folder / "out"``); ``fragments`` must be in the message."""

    name: str
    path: str
    build: Callable[[Path], list]
    fragments: tuple[str, ...]
    hidden: tuple[str, ...] = ()


# --- workbooks ------------------------------------------------------------------------------


def _book(folder: Path, users: list[list], responsibilities: list[list] | None = None) -> Path:
    """A small workbook in the contract's names: agencies, users (the rows given), responsibilities."""
    import openpyxl

    book = openpyxl.Workbook()
    agencies = book.active
    agencies.title = "agencies"
    agencies.append(["agency_id", "name", "kind", "level"])
    agencies.append(["a1", "NAV Sentrum", "nav_office", "municipal"])
    sheet = book.create_sheet("users")
    for row in users:
        sheet.append(row)
    sheet = book.create_sheet("responsibilities")
    sheet.append(["user_id", "staff_id", "agency_id", "role", "start", "end", "reason"])
    for row in responsibilities or [["u1", "st1", "a1", "coordinator", dt.date(2024, 1, 5), None, None]]:
        sheet.append(row)
    path = folder / "data.xlsx"
    book.save(path)
    return path


_USERS = [["user_id", "birth_year"], ["u1", 1980]]


def _validate_book(users: list[list], responsibilities: list[list] | None = None):
    return lambda folder: ["validate", _book(folder, users, responsibilities)]


def _cut_workbook(folder: Path) -> list:
    data = (EXPORT / "eksport.xlsx").read_bytes()
    path = folder / "eksport.xlsx"
    path.write_bytes(data[: len(data) // 2])
    return ["validate", path, "--mapping", EXPORT / "mapping.toml"]


def _responsibility(**change) -> list[list]:
    row = {"user_id": "u1", "staff_id": "st1", "agency_id": "a1", "role": "coordinator",
           "start": dt.date(2024, 1, 5), "end": None, "reason": "flyttet til Bodø"}
    row.update(change)
    return [list(row.values())]


# --- mapping files --------------------------------------------------------------------------


def _with_mapping(text: str | bytes | None, *, make: Callable[[Path], None] | None = None):
    def build(folder: Path) -> list:
        path = folder / "mapping.toml"
        if make is not None:
            make(path)
        elif isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return ["validate", EXPORT / "eksport.xlsx", "--mapping", path]
    return build


def _mapping_edit(old: str, new: str) -> str:
    text = (EXPORT / "mapping.toml").read_text(encoding="utf-8")
    assert old in text, old
    return text.replace(old, new, 1)


# --- FHIR -----------------------------------------------------------------------------------


def _fhir_base() -> list[dict]:
    from tests.fhir.test_bad_input import base

    return base()


def _fhir(change: Callable[[list[dict]], None] | None = None, *, raw: Callable[[Path], Path] | None = None):
    def build(folder: Path) -> list:
        from tests.fhir.helpers import write_ndjson

        if raw is not None:
            source = raw(folder)
        else:
            resources = _fhir_base()
            if change is not None:
                change(resources)
            source = write_ndjson(folder / "in", resources)
        return ["import", "fhir", source, folder / "out"]
    return build


def _write(name: str, data: bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        (folder / name).write_bytes(data)
        return folder / name
    return make


def _cut_gzip(folder: Path) -> Path:
    whole = gzip.compress(b'{"resourceType": "Patient", "id": "u1"}\n' * 2000)
    path = folder / "Patient.ndjson.gz"
    path.write_bytes(whole[: len(whole) // 2])
    return path


def _set(index: int, key: str, value) -> Callable[[list[dict]], None]:
    def change(resources: list[dict]) -> None:
        resources[index][key] = value
    return change


def _period_start(value: str) -> Callable[[list[dict]], None]:
    def change(resources: list[dict]) -> None:
        resources[3]["participant"][0]["period"] = {"start": value}
    return change


# --- event logs -----------------------------------------------------------------------------


def _log(name: str, data: bytes | str):
    def build(folder: Path) -> list:
        path = folder / name
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
        return ["import", "event-log", path, folder / "out"]
    return build


_LOG_HEADER = "case:concept:name,concept:name,org:resource,time:timestamp\n"


ENTRIES: list[Entry] = [
    # -- workbooks (.xlsx) --
    Entry("workbook cut off half-way", "xlsx", _cut_workbook, ("eksport.xlsx", "not an Excel workbook")),
    Entry("duplicate id in a sheet", "xlsx", _validate_book([*_USERS, ["u1", 1981]]),
          ("data.xlsx, sheet users, row 3, column user_id: u1 is a duplicate user_id (first on row 2)",)),
    Entry("unknown reference in a sheet", "xlsx", _validate_book(_USERS, _responsibility(user_id="u9")),
          ("sheet responsibilities, row 2, column user_id: u9 is not a known user_id (not in data.xlsx, sheet users)",)),
    Entry("required sheet without a header", "xlsx", _validate_book([]),
          ("data.xlsx, sheet users: empty; expected a header row",)),
    Entry("Excel error value in an id cell", "xlsx", _validate_book([["user_id", "birth_year"], ["#N/A", 1980]]),
          ("data.xlsx, sheet users, row 2, column user_id: holds the Excel error #N/A (cell A2)",)),
    Entry("Excel error value in a date cell", "xlsx",
          _validate_book(_USERS, _responsibility(start="#REF!")),
          ("sheet responsibilities, row 2, column start: holds the Excel error #REF! (cell E2)",)),
    Entry("end before start in date cells", "xlsx",
          _validate_book(_USERS, _responsibility(end=dt.date(2023, 1, 1))),
          ("sheet responsibilities, row 2, column end: 2023-01-01 is before start 2024-01-05",),
          hidden=("flyttet til Bodø",)),
    Entry("number in a vocabulary cell", "xlsx", _validate_book(_USERS, _responsibility(role=3.5)),
          ("sheet responsibilities, row 2, column role: 3.5 is not one of: coordinator",)),
    # -- mapping files (--mapping) --
    Entry("mapping that is not TOML", "mapping", _with_mapping('[users]\nsource = "Brukere\n'),
          ("mapping.toml: not a TOML file", "line 2")),
    Entry("mapping file missing", "mapping", lambda folder: ["validate", EXPORT / "eksport.xlsx", "--mapping",
                                                             folder / "none.toml"], ("none.toml not found",)),
    Entry("mapping file not UTF-8", "mapping", _with_mapping(b"[users]\nsource = \"Bruk\xe6re\"\n"),
          ("mapping.toml line 2 is not UTF-8 text (byte 0xe6)",)),
    Entry("mapping that is a folder", "mapping", _with_mapping(None, make=lambda p: p.mkdir()),
          ("mapping.toml is a folder",)),
    Entry("mapping that is a device", "mapping", _with_mapping(None, make=lambda p: p.symlink_to("/dev/zero")),
          ("mapping.toml is not a regular file",)),
    Entry("mapping of 2 MB", "mapping", _with_mapping("#" * 2_000_000 + "\n"),
          ("mapping.toml has 2,000,001 bytes, more than a mapping file's limit of 1,048,576",)),
    Entry("mapping with an unknown date format", "mapping",
          _with_mapping(_mapping_edit("date_format", 'date_format = "DD/MM/YY"\n#')),
          ("date_format = 'DD/MM/YY' is not one of: YYYY-MM-DD",)),
    Entry("mapping with a number for a sheet name", "mapping", _with_mapping("[users]\nsource = 7\n"),
          ("[users] source = 7 must be text",)),
    Entry("mapping naming a header the workbook lacks", "mapping",
          _with_mapping(_mapping_edit('[responsibilities.columns]\nuser_id = "BrukerID"',
                                      '[responsibilities.columns]\nuser_id = "Bruker-ID"')),
          ("column Bruker-ID: not in the header, but mapping.toml maps responsibilities.user_id to it",)),
    # -- FHIR (import fhir) --
    Entry("Bundle cut off", "fhir", _fhir(raw=_write("b.json", b'{"resourceType": "Bundle", "entry": [')),
          ("b.json line 1: not valid JSON",)),
    Entry("folder without FHIR files", "fhir", _fhir(raw=lambda folder: (folder / "in").mkdir() or folder / "in"),
          ("no FHIR file in the folder",)),
    Entry("binary bytes in an NDJSON file", "fhir",
          _fhir(raw=_write("Patient.ndjson", b'{"resourceType": "Patient", "id": "u1"}\n\x00\x01\x02\n')),
          ("Patient.ndjson line 2: not valid JSON",)),
    Entry("damaged gzip NDJSON", "fhir", _fhir(raw=_write("Patient.ndjson.gz", b"\x1f\x8bnot gzip at all")),
          ("Patient.ndjson.gz: not readable as a gzip-compressed file",)),
    Entry("gzip NDJSON cut off", "fhir", _fhir(raw=_cut_gzip),
          ("Patient.ndjson.gz: not readable as a gzip-compressed file", "cut off")),
    Entry("gzip NDJSON that is not UTF-8", "fhir", _fhir(raw=_write("Patient.ndjson.gz", gzip.compress(
        b'{"resourceType": "Patient", "id": "u1"}\n{"resourceType": "Patient", "id": "\xff"}\n'))),
        ("Patient.ndjson.gz: not UTF-8 text",)),
    Entry("words in a birth date", "fhir", _fhir(_set(1, "birthDate", "Kari Nordmann")),
          ("Patient.ndjson line 1 (Patient u1), birthDate: a value holding words (not shown)",),
          hidden=("Kari", "Nordmann")),
    Entry("impossible date in a period", "fhir", _fhir(_period_start("2024-13-45")),
          ("CareTeam.ndjson line 1 (CareTeam t1), participant[0].period.start: '2024-13-45' is not a date",)),
    Entry("an object for a date", "fhir", _fhir(_period_start({"year": 2024})),  # type: ignore[arg-type]
          ("participant[0].period.start: a JSON object is not a date",)),
    # -- event logs (import event-log) --
    Entry("XES cut off", "event log", _log("log.xes", '<?xml version="1.0"?><log><trace><event>'),
          ("log.xes line 1", "not readable as XES (not well-formed XML)")),
    Entry("XES that is another XML document", "event log", _log("log.xes", "<html><body/></html>"),
          ("log.xes: not an XES log (its root is <html>, not <log>)",)),
    Entry("damaged .xes.gz", "event log", _log("log.xes.gz", b"\x1f\x8bnot gzip"), ("log.xes.gz: not readable",)),
    Entry("empty CSV log", "event log", _log("log.csv", ""), ("log.csv: the file is empty",)),
    Entry("OCEL that is not JSON", "event log", _log("log.jsonocel", "{not json"),
          ("log.jsonocel line 1, column 2: not readable as JSON",)),
    Entry("damaged Parquet log", "event log", _log("log.parquet", b"PAR1garbagePAR1"),
          ("log.parquet: not readable as Parquet",)),
    Entry("event without a case", "event log",
          _log("log.csv", _LOG_HEADER + "1,register,Pete,2011-01-03T10:00:00\n,check,Mike,2011-01-04T10:00:00\n"),
          ("log.csv line 3, column case:concept:name: no case",)),
    Entry("words in a timestamp", "event log",
          _log("log.csv", _LOG_HEADER + "1,register,Pete,Kari Nordmann\n"),
          ("log.csv line 2",), hidden=("Kari", "Nordmann")),
]

PATHS = ("xlsx", "mapping", "fhir", "event log")


def _check() -> None:
    names = [entry.name for entry in ENTRIES]
    assert len(names) == len(set(names)), "entry names must be unique"
    assert {entry.path for entry in ENTRIES} == set(PATHS)


_check()
