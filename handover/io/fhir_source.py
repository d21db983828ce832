"""Reading FHIR resources as plain JSON: a Bundle, NDJSON Bulk Data files, or a folder of them.

``handover import fhir`` reads what a FHIR server exports: one Bundle (a JSON document
whose ``entry`` list holds the resources), the files of a Bulk Data export (NDJSON: one
resource per line, usually one file per resource type, optionally gzip-compressed), or a
folder holding any of them. This module finds the files and streams their resources:

- NDJSON is read **line by line** with :func:`json.loads`; only the line being read is
  held, so a national export never has to fit in memory as objects;
- a Bundle (or a single resource in a ``.json`` file) is parsed whole, as one JSON
  document must be; Bundles are small (a page of a search, a document, a test set).

Every resource comes with its place: the file and the line (NDJSON) or the entry of the
Bundle, so that a message can name it (:meth:`FhirSource.place`). FHIR's own object
model is never needed to read: the resources are the dicts :mod:`json` makes.

Also here: how references (:func:`parse_reference`) and dates (:func:`fhir_day`) are
written in FHIR JSON.

Examples
--------
>>> import tempfile, json, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "Patient.ndjson").write_text(
...     json.dumps({"resourceType": "Patient", "id": "u1"}) + "\\n\\n"
...     + json.dumps({"resourceType": "Patient", "id": "u2"}) + "\\n")
>>> source = FhirSource.open(folder)
>>> [(source.place(f, p), r["id"]) for f, p, r in source.resources()]
[('Patient.ndjson line 1', 'u1'), ('Patient.ndjson line 3', 'u2')]
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from handover.errors import InputError
from handover.io.text import first_line
from handover.io.limits import LINE_BYTES, size_text

__all__ = ["FhirFile", "FhirSource", "parse_reference", "fhir_day", "CONTAINED"]

_NDJSON_SUFFIXES = (".ndjson", ".ndjson.gz", ".jsonl", ".jsonl.gz")
_JSON_SUFFIXES = (".json",)

#: What :func:`parse_reference` returns for a reference to a contained resource (``#id``).
CONTAINED = ("#", "")

_TYPE = re.compile(r"[A-Z][A-Za-z]+")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_PARTIAL = re.compile(r"\d{4}(-\d{2})?")


@dataclass(frozen=True)
class FhirFile:
    """One file of a FHIR source: its path, its name as messages show it, and its format."""

    path: Path
    name: str
    kind: str  # "ndjson" or "json" (a Bundle or a single resource)

    @property
    def unit(self) -> str:
        """How a place in the file is counted: ``line`` (NDJSON) or ``entry`` (Bundle)."""
        return "line" if self.kind == "ndjson" else "entry"


@dataclass
class FhirSource:
    """The FHIR files of a source, streamed resource by resource.

    Use :meth:`open`. After :meth:`resources` has run, ``counts`` holds per file the
    resources read, ``blank`` the blank NDJSON lines skipped and ``empty_entries`` the
    Bundle entries without a resource (such as a transaction's deletes).
    """

    root: Path
    files: list[FhirFile]
    counts: list[int] = field(default_factory=list)
    blank: list[int] = field(default_factory=list)
    empty_entries: list[int] = field(default_factory=list)
    bundles: list[bool] = field(default_factory=list)
    #: JSON files of a folder that hold no FHIR resource (such as a Bulk Data manifest): not read.
    not_fhir: list[str] = field(default_factory=list)
    #: Per file, a Bundle's ``fullUrl`` → ``(type, id)`` of its entry (references may use them).
    full_urls: dict[int, dict[str, tuple[str, str]]] = field(default_factory=dict)

    @classmethod
    def open(cls, source: str | Path) -> "FhirSource":
        """The FHIR files of ``source``: one ``.json`` or ``.ndjson`` file, or a folder of them.

        A folder is read in the order of its file names (``*.ndjson``, ``*.ndjson.gz``,
        ``*.jsonl`` and ``*.json``; other files, and JSON files that hold no resource, such
        as a Bulk Data manifest, are not read).

        Raises
        ------
        InputError
            When ``source`` does not exist, is a file of another kind, or is a folder
            without a FHIR file.
        """
        root = Path(source)
        if not root.exists():
            raise InputError(f"SOURCE {root} not found")
        if root.is_file():
            kind = _kind(root)
            if kind is None:
                raise InputError(f"SOURCE {root.name}: not a FHIR file; give a Bundle (.json), an NDJSON "
                                 "export file (.ndjson, .ndjson.gz) or a folder of them")
            return cls(root, [FhirFile(root, root.name, kind)])
        files = [FhirFile(p, p.name, kind) for p in sorted(root.iterdir())
                 if p.is_file() and not p.name.startswith(".") and (kind := _kind(p)) is not None]
        if not files:
            raise InputError(f"SOURCE {root}: no FHIR file in the folder (looked for *.ndjson, *.ndjson.gz, "
                             "*.jsonl and *.json Bundles)")
        return cls(root, files)

    def place(self, file_index: int, position: int) -> str:
        """Where a resource is, as messages show it: ``Encounter.ndjson line 14``, ``b.json entry 3``."""
        file = self.files[file_index]
        if file.kind == "json" and not (self.bundles and self.bundles[file_index]):
            return file.name
        return f"{file.name} {file.unit} {position}"

    def resources(self) -> Iterator[tuple[int, int, dict]]:
        """Every resource of every file: ``(file index, line or entry number, resource)``.

        Raises
        ------
        InputError
            At the first line that is not JSON, is not a JSON object, or has no
            ``resourceType``, naming the file and the line (or the Bundle entry).
        """
        self.reset()
        for index in range(len(self.files)):
            yield from self.resources_of(index)

    def reset(self) -> None:
        """Start the counts afresh (:meth:`resources` does)."""
        self.counts = [0] * len(self.files)
        self.blank = [0] * len(self.files)
        self.empty_entries = [0] * len(self.files)
        self.bundles = [False] * len(self.files)
        self.not_fhir = []

    def resources_of(self, index: int) -> Iterator[tuple[int, int, dict]]:
        """The resources of file ``index`` alone, as :meth:`resources` gives them (after :meth:`reset`)."""
        file = self.files[index]
        if file.kind == "ndjson":
            yield from self._ndjson(index, file)
        else:
            yield from self._json(index, file)

    def chunkable(self, index: int) -> bool:
        """Whether file ``index`` can be read in byte ranges (uncompressed NDJSON)."""
        file = self.files[index]
        return file.kind == "ndjson" and not file.path.name.lower().endswith(".gz")

    def _ndjson(self, index: int, file: FhirFile) -> Iterator[tuple[int, int, dict]]:
        loads = json.loads
        count = blank = 0
        with _unreadable_as_input(file), _open_text(file) as handle:
            for number, line in enumerate(_bounded_lines(handle, file.name), 1):
                try:
                    resource = loads(line)
                except RecursionError:
                    raise _too_deep(file.name, f"line {number}") from None
                except json.JSONDecodeError as err:
                    if not line.strip():
                        blank += 1
                        continue
                    raise InputError(f"{file.name} line {number}: not valid JSON ({err.msg} at column "
                                     f"{err.colno}); each line of an NDJSON file holds one resource") from None
                if type(resource) is not dict or type(resource.get("resourceType")) is not str:
                    raise InputError(f"{file.name} line {number}: {_not_a_resource(resource)}")
                count += 1
                yield index, number, resource
        self.counts[index], self.blank[index] = count, blank

    def chunks(self, index: int, size: int) -> Iterator[tuple[int, int, int]]:
        """Byte ranges of NDJSON file ``index`` of about ``size`` bytes, cut after a line end:
        ``(start, end, number of the range's first line)``, in order (read by :meth:`ndjson_range`)."""
        path = self.files[index].path
        line = 1
        with open(path, "rb") as handle:
            start = 0
            while True:
                block = handle.read(size)
                if not block:
                    return
                tail = b"" if block.endswith(b"\n") else handle.readline(LINE_BYTES + 1)
                if len(tail) > LINE_BYTES:
                    raise _too_long_line(self.files[index].name, line + block.count(b"\n"))
                end = start + len(block) + len(tail)
                yield start, end, line
                line += block.count(b"\n") + tail.count(b"\n")
                start = end

    def ndjson_range(self, index: int, start: int, end: int, first_line: int) -> Iterator[tuple[int, int, dict]]:
        """The resources of the lines of NDJSON file ``index`` in bytes ``[start, end)``, as :meth:`resources`."""
        file = self.files[index]
        with open(file.path, "rb") as handle:
            handle.seek(start)
            data = handle.read(end - start)
        if start == 0 and data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        loads = json.loads
        count = blank = 0
        for number, line in enumerate(data.split(b"\n"), first_line):
            if len(line) > LINE_BYTES:
                raise _too_long_line(file.name, number)
            try:
                resource = loads(line)
            except RecursionError:
                raise _too_deep(file.name, f"line {number}") from None
            except (json.JSONDecodeError, UnicodeDecodeError) as err:
                if not line.strip():
                    blank += 1
                    continue
                if isinstance(err, UnicodeDecodeError):
                    raise InputError(f"{file.name} line {number}: not UTF-8 text (FHIR JSON is UTF-8)") from None
                raise InputError(f"{file.name} line {number}: not valid JSON ({err.msg} at column "
                                 f"{err.colno}); each line of an NDJSON file holds one resource") from None
            if type(resource) is not dict or type(resource.get("resourceType")) is not str:
                raise InputError(f"{file.name} line {number}: {_not_a_resource(resource)}")
            count += 1
            yield index, number, resource
        self.counts[index] += count
        self.blank[index] += blank - (1 if data.endswith(b"\n") else 0)

    def _json(self, index: int, file: FhirFile) -> Iterator[tuple[int, int, dict]]:
        try:
            with _unreadable_as_input(file), _open_text(file) as handle:
                document = json.load(handle)
        except json.JSONDecodeError as err:
            raise InputError(f"{file.name} line {err.lineno}: not valid JSON ({err.msg} at column {err.colno})"
                             ) from None
        except UnicodeDecodeError:
            raise InputError(f"{file.name}: not UTF-8 text (FHIR JSON is UTF-8)") from None
        except RecursionError:
            raise _too_deep(file.name) from None
        if type(document) is not dict or "resourceType" not in document:
            if self.root.is_dir():  # such as a Bulk Data export's manifest, beside its NDJSON files
                self.not_fhir.append(file.name)
                return
            raise InputError(f"{file.name}: {_not_a_resource(document)}")
        if document["resourceType"] != "Bundle":
            self.counts[index] = 1
            yield index, 1, document
            return
        self.bundles[index] = True
        entries = document.get("entry") or []
        if not isinstance(entries, list):
            raise InputError(f"{file.name}: Bundle.entry is not a list")
        full_urls = {}
        for number, entry in enumerate(entries, 1):
            resource = entry.get("resource") if isinstance(entry, dict) else None
            if isinstance(resource, dict) and isinstance(entry.get("fullUrl"), str):
                kind, id_ = resource.get("resourceType"), resource.get("id")
                if isinstance(kind, str):
                    full_urls[entry["fullUrl"]] = (kind, id_ if isinstance(id_, str) else _last_segment(
                        entry["fullUrl"]))
        self.full_urls[index] = full_urls
        count = empty = 0
        for number, entry in enumerate(entries, 1):
            if not isinstance(entry, dict):
                raise InputError(f"{file.name} entry {number}: not a JSON object (Bundle.entry[{number - 1}])")
            resource = entry.get("resource")
            if resource is None:
                empty += 1
                continue
            if type(resource) is not dict or type(resource.get("resourceType")) is not str:
                url = entry.get("fullUrl")
                named = f" (fullUrl {url})" if isinstance(url, str) else ""
                raise InputError(f"{file.name} entry {number}{named}: the resource has no resourceType "
                                 f"(Bundle.entry[{number - 1}].resource); every resource names its type")
            if "id" not in resource and isinstance(entry.get("fullUrl"), str):
                resource = {**resource, "id": _last_segment(entry["fullUrl"])}
            count += 1
            yield index, number, resource
        self.counts[index], self.empty_entries[index] = count, empty

    def resource_at(self, file_index: int, position: int) -> dict | None:
        """The resource at a place, read again (for messages about rows found later; slow)."""
        file = self.files[file_index]
        if file.kind == "ndjson":
            with _open_text(file) as handle:
                for number, line in enumerate(handle, 1):
                    if number == position:
                        return json.loads(line)
            return None
        with _open_text(file) as handle:
            document = json.load(handle)
        if document.get("resourceType") != "Bundle":
            return document
        entries = document.get("entry") or []
        return entries[position - 1].get("resource") if 0 < position <= len(entries) else None


def _kind(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith(_NDJSON_SUFFIXES):
        return "ndjson"
    if name.endswith(_JSON_SUFFIXES):
        return "json"
    return None


@contextmanager
def _unreadable_as_input(file: FhirFile) -> Iterator[None]:
    """A file that cannot be read to its end (a damaged gzip stream, bytes that are not UTF-8
    in a compressed file, a read error) becomes an :class:`InputError` naming it. (The text
    is decoded a block at a time, ahead of the lines read, so no line can be named.)"""
    try:
        yield
    except UnicodeDecodeError:
        raise InputError(f"{file.name}: not UTF-8 text (FHIR JSON is UTF-8)") from None
    except (EOFError, zlib.error, gzip.BadGzipFile) as err:
        raise InputError(f"{file.name}: not readable as a gzip-compressed file ({first_line(err)}); "
                         "it is damaged or cut off: export it again") from None
    except OSError as err:
        raise InputError(f"{file.name}: not readable ({err.strerror or type(err).__name__})") from None


def _open_text(file: FhirFile):
    # utf-8-sig: a byte-order mark at the start of the file is not part of the first resource.
    if file.path.name.lower().endswith(".gz"):
        return gzip.open(file.path, "rt", encoding="utf-8-sig")
    return open(file.path, encoding="utf-8-sig")


def _bounded_lines(handle, name: str) -> Iterator[str]:
    """The lines of a text ``handle``, none read past :data:`LINE_BYTES` characters."""
    number = 0
    while line := handle.readline(LINE_BYTES + 1):
        number += 1
        if len(line) > LINE_BYTES:
            raise _too_long_line(name, number)
        yield line


def _too_long_line(name: str, number: int) -> InputError:
    return InputError(f"{name} line {number}: a line longer than {size_text(LINE_BYTES)}, the limit for a "
                      "line (each line of an NDJSON file holds one resource); the file is damaged or not "
                      "an export")


def _too_deep(name: str, where: str | None = None) -> InputError:
    place = name if where is None else f"{name} {where}"
    return InputError(f"{place}: JSON nested deeper than a reader can follow (lists or objects inside "
                      "each other thousands of times), which no FHIR resource is; the file is damaged "
                      "or not an export")


def _not_a_resource(value) -> str:
    if type(value) is dict:
        if "resourceType" in value:
            return "resourceType is not text, so this is not a FHIR resource"
        return "a JSON object without resourceType, not a FHIR resource"
    return f"a JSON {type(value).__name__}, not a FHIR resource (an object with a resourceType)"


def _last_segment(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]


def parse_reference(text, full_urls: dict[str, tuple[str, str]] | None = None) -> tuple[str, str] | None:
    """The ``(type, id)`` a FHIR reference string names, or ``None`` when it names none.

    Accepted: ``Type/id``, an absolute URL ending in ``Type/id``, either followed by
    ``/_history/version``, and a Bundle entry's ``fullUrl`` (``urn:uuid:...``) when
    ``full_urls`` knows it. A reference to a contained resource (``#id``) gives
    :data:`CONTAINED`.

    Examples
    --------
    >>> parse_reference("Patient/u1"), parse_reference("https://fhir.example.no/fhir/Organization/nav-gl")
    (('Patient', 'u1'), ('Organization', 'nav-gl'))
    >>> parse_reference("Practitioner/s1/_history/3"), parse_reference("#pr1")
    (('Practitioner', 's1'), ('#', ''))
    >>> parse_reference("urn:uuid:7f1e", {"urn:uuid:7f1e": ("Patient", "u9")}), parse_reference("urn:uuid:x")
    (('Patient', 'u9'), None)
    """
    if type(text) is not str or not text:
        return None
    if text[0] == "#":
        return CONTAINED
    if full_urls and text in full_urls:
        return full_urls[text]
    parts = text.split("/")
    if len(parts) >= 4 and parts[-2] == "_history":
        parts = parts[:-2]
    if len(parts) >= 2 and _TYPE.fullmatch(parts[-2]) and parts[-1]:
        return parts[-2], parts[-1]
    return None


def fhir_day(text) -> tuple[str | None, str | None]:
    """A FHIR date or dateTime as the contract's day: ``(YYYY-MM-DD, None)`` or ``(None, problem)``.

    The day is the date as written (a dateTime's date part; no time zone conversion, so
    ``2024-03-01T00:30:00+01:00`` is 1 March). A partial date (``2024``, ``2024-03``)
    has no day.

    Examples
    --------
    >>> fhir_day("2024-03-01T00:30:00+01:00"), fhir_day("2024-03-01")
    (('2024-03-01', None), ('2024-03-01', None))
    >>> fhir_day("2024-03")[1]
    'a partial date (YYYY-MM), but an interval needs a day (YYYY-MM-DD)'
    >>> fhir_day("2024-02-30")[1]
    'not a date (YYYY-MM-DD)'
    """
    if type(text) is not str:
        return None, "not a date (YYYY-MM-DD)"
    day = text[:10]
    if not _DAY.fullmatch(day) or (len(text) > 10 and text[10] != "T"):
        if _PARTIAL.fullmatch(text):
            shape = "YYYY" if len(text) == 4 else "YYYY-MM"
            return None, f"a partial date ({shape}), but an interval needs a day (YYYY-MM-DD)"
        return None, "not a date (YYYY-MM-DD)"
    try:
        dt.date.fromisoformat(day)
    except ValueError:
        return None, "not a date (YYYY-MM-DD)"
    return day, None
