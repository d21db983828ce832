"""Reading event logs: XES (also gzipped), CSV, Parquet and OCEL 2.0 JSON, to one shape.

An event log lists events, each of a case, mostly with a resource (who did it) and a
timestamp. Every format is read to an :class:`EventLog`: per event, in the order of the
file, its case, its resource (missing where the event names none), optionally its agency,
and its timestamp (:mod:`handover.io.timestamps`). Which attribute is which follows
pm4py's names by default (:class:`LogColumns`):

- **XES**: the trace's ``concept:name`` is the case; ``case:KEY`` names the trace's
  attribute ``KEY`` and any other name an event attribute (as pm4py flattens a log).
  The file is streamed (``iterparse``, each trace cleared once read), so its size is
  bounded by the events kept, not by the XML.
- **CSV** and **Parquet**: columns. Only the named columns are read (Arrow's parser);
  every value is text, so ids such as ``007`` stay as written. A Parquet column of
  timestamps is read as timestamps.
- **OCEL 2.0 JSON**: the objects of one type (``object_type``) are the cases; an event
  belongs to each object of that type it is related to. The resource (and the agency)
  is the event attribute of that name or, when no event has one, the first related
  object of the object type of that name. The timestamp is the event's ``time``.

Problems are :class:`~handover.errors.InputError` naming the file and the place (line,
row, trace and event, OCEL event id); a missing column or attribute lists the ones found.
"""

from __future__ import annotations

import csv
import gzip
import json
import xml.etree.ElementTree as ET
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from handover.errors import InputError
from handover.io.limits import FIELD_CHARS, size_text
from handover.io.text import usable_encoding
from handover.io.timestamps import Timestamps, from_arrow_timestamps, parse_timestamps

__all__ = ["LogColumns", "EventLog", "LOG_KINDS", "log_kind", "read_event_log"]

#: The formats read, by how a file's name ends.
LOG_KINDS = {".xes": "XES", ".xes.gz": "XES", ".csv": "CSV", ".parquet": "Parquet",
             ".json": "OCEL 2.0 JSON", ".jsonocel": "OCEL 2.0 JSON"}


@dataclass(frozen=True)
class LogColumns:
    """Which attribute (column) of a log is the case, the resource, the timestamp, the agency.

    The defaults are the standard XES names, which pm4py uses for every format.
    ``object_type`` (OCEL 2.0 only) names the object type whose objects are the cases.
    """

    case: str = "case:concept:name"
    resource: str = "org:resource"
    timestamp: str = "time:timestamp"
    agency: str | None = None
    object_type: str | None = None


@dataclass(frozen=True)
class EventLog:
    """The events of a log, in the order of the file, as one shape for every format.

    Attributes
    ----------
    file : str
        The log's file name, for messages and the report.
    kind : str
        ``XES``, ``CSV``, ``Parquet`` or ``OCEL 2.0 JSON``.
    cases, resources : pyarrow.Array of str
        Per event; a resource is null where the event names none.
    agencies : pyarrow.Array of str, optional
        Per event (null where none), when an agency attribute was asked for.
    timestamps : Timestamps
    columns : LogColumns
        What was read as what (for OCEL, ``timestamp`` is ``time``).
    notes : tuple of (str, int)
        What the format adds to the report (OCEL: events related to no case, to several).
    """

    file: str
    kind: str
    cases: pa.Array
    resources: pa.Array
    agencies: pa.Array | None
    timestamps: Timestamps
    columns: LogColumns
    notes: tuple[tuple[str, int], ...] = field(default=())

    def __len__(self) -> int:
        return len(self.cases)


def log_kind(path: Path) -> str:
    """The format of ``path`` by its name: one of :data:`LOG_KINDS`' values.

    Raises
    ------
    InputError
        For any other name, listing the ones read.

    Examples
    --------
    >>> log_kind(Path("BPI/receipt.xes.gz")), log_kind(Path("log.CSV"))
    ('XES', 'CSV')
    """
    name = path.name.lower()
    for suffix in sorted(LOG_KINDS, key=len, reverse=True):
        if name.endswith(suffix):
            return LOG_KINDS[suffix]
    raise InputError(f"LOG {path.name}: not a log format handover reads; give a file ending in "
                     + ", ".join(LOG_KINDS))


def read_event_log(path: Path, columns: LogColumns = LogColumns(), *, sep: str = ",",
                   encoding: str = "utf-8") -> EventLog:
    """Read an event log: per event its case, resource, agency and timestamp.

    Parameters
    ----------
    path : Path
        ``.xes``, ``.xes.gz``, ``.csv``, ``.parquet``, or OCEL 2.0 ``.json`` / ``.jsonocel``.
    columns : LogColumns
        Which attribute is which.
    sep, encoding : str
        How a CSV log is written.

    Returns
    -------
    EventLog

    Raises
    ------
    InputError
        A missing file, an unknown format, a missing column or attribute (the ones found
        are listed), an event without a case, an empty or unreadable timestamp (with its
        place and value), a file that is not what its name says.

    Examples
    --------
    >>> import tempfile
    >>> log = Path(tempfile.mkdtemp()) / "log.csv"
    >>> _ = log.write_text("case:concept:name,org:resource,time:timestamp\\n"
    ...                    "c1,Pete,2010-12-30 11:02:00+01:00\\nc1,,2010-12-31 10:06:00+01:00\\n")
    >>> read = read_event_log(log)
    >>> read.kind, read.cases.to_pylist(), read.resources.to_pylist(), [str(d) for d in read.timestamps.dates]
    ('CSV', ['c1', 'c1'], ['Pete', None], ['2010-12-30', '2010-12-31'])
    """
    path = Path(path)
    kind = log_kind(path)
    if not path.is_file():
        raise InputError(f"LOG {path}: no such file")
    if kind == "XES":
        return _read_xes(path, columns)
    if kind == "CSV":
        return _read_csv(path, columns, sep, encoding)
    if kind == "Parquet":
        return _read_parquet(path, columns)
    return _read_ocel(path, columns)


# --- shared ----------------------------------------------------------------------------


def _text(values) -> pa.Array:
    """Values as trimmed text, empty as null (ids are text: ``007`` stays ``007``)."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if not pa.types.is_string(values.type):
        values = values.cast(pa.string())
    values = pc.utf8_trim_whitespace(values)
    return pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values)


def _listed(names) -> str:
    names = [n for n in names if n]
    shown = ", ".join(names[:40]) + (f" and {len(names) - 40} more" if len(names) > 40 else "")
    return shown or "none"


_WHAT = {"case": ("the case", "--case"), "resource": ("the resource", "--resource"),
         "timestamp": ("the timestamp", "--timestamp"), "agency": ("the agency", "--agency")}


def _wanted(columns: LogColumns) -> dict[str, str]:
    """role → the column asked for, in the order they are checked."""
    wanted = {"case": columns.case, "resource": columns.resource, "timestamp": columns.timestamp}
    if columns.agency:
        wanted["agency"] = columns.agency
    return wanted


def _no_column(file: str, role: str, name: str, found: str, noun: str = "column") -> InputError:
    what, flag = _WHAT[role]
    return InputError(f"{file}: no {noun} {name} ({what}; name another with {flag}); {found}")


def _refuse_missing_cases(cases: pa.Array, locate: Callable[[int], str], name: str) -> None:
    if cases.null_count:
        first = int(np.flatnonzero(~np.asarray(cases.is_valid()))[0])
        raise InputError(f"{locate(first)}: no case ({name} is empty); every event needs one")


def _log(path: Path, kind: str, columns: LogColumns, cases, resources, agencies, timestamps,
         notes=()) -> EventLog:
    if not len(cases):
        raise InputError(f"{path.name}: the log holds no event")
    return EventLog(path.name, kind, cases, resources, agencies, timestamps, columns, tuple(notes))


# --- CSV -------------------------------------------------------------------------------


def _csv_records(handle, sep: str):
    csv.field_size_limit(2**31 - 1)
    return csv.reader(handle, delimiter=sep)


def _open_text(path: Path, encoding: str):
    return open(path, encoding=encoding, newline="", errors="strict")


def _csv_header(path: Path, sep: str, encoding: str) -> list[str]:
    try:
        with _open_text(path, encoding) as handle:
            for record in _csv_records(handle, sep):
                if any(cell.strip() for cell in record):
                    return record
    except UnicodeDecodeError:
        raise _not_encoded(path, encoding) from None
    except csv.Error as err:
        raise InputError(f"{path.name}: not readable as CSV ({err})") from None
    raise InputError(f"{path.name}: the file is empty (no header row)")


def _not_encoded(path: Path, encoding: str) -> InputError:
    data = path.read_bytes()
    try:
        data.decode(encoding)
        line = None
    except UnicodeDecodeError as err:
        line = data[:err.start].count(b"\n") + 1
    hint = "; Norwegian Excel exports are often cp1252: pass --encoding cp1252" if encoding == "utf-8-sig" else ""
    name = "UTF-8" if encoding == "utf-8-sig" else encoding
    where = f" line {line}" if line else ""
    return InputError(f"{path.name}{where}: not valid {name} text{hint}")


def _data_lines(path: Path, sep: str, encoding: str):
    """``(line, record)`` for every non-blank record below the header, as Arrow counts them."""
    with _open_text(path, encoding) as handle:
        reader = _csv_records(handle, sep)
        header_seen, previous_end = False, 0
        for record in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if not record:
                continue
            if not header_seen:
                header_seen = any(cell.strip() for cell in record)
                continue
            yield start, record


def _csv_locator(path: Path, sep: str, encoding: str, column: str) -> Callable[[int], str]:
    def locate(position: int) -> str:
        for index, (line, _) in enumerate(_data_lines(path, sep, encoding)):
            if index == position:
                return f"{path.name} line {line}, column {column}"
        return f"{path.name} row {position + 1}, column {column}"

    return locate


def _csv_broken(path: Path, sep: str, encoding: str, width: int) -> InputError:
    """What is wrong where, once Arrow refused the file (found by reading it with the csv module)."""
    try:
        for line, record in _data_lines(path, sep, encoding):
            if len(record) != width:
                return InputError(f"{path.name} line {line}: {len(record)} values where the header has {width}"
                                  + (f" (is the separator {sep!r} right? give --sep)" if len(record) == 1 else ""))
    except UnicodeDecodeError:
        return _not_encoded(path, encoding)
    except csv.Error as err:
        return InputError(f"{path.name}: not readable as CSV ({err})")
    return InputError(f"{path.name}: not readable as CSV")


def _read_csv(path: Path, columns: LogColumns, sep: str, encoding: str) -> EventLog:
    encoding = usable_encoding(encoding)
    header = [cell.strip() for cell in _csv_header(path, sep, encoding)]
    wanted = _wanted(columns)
    for role, name in wanted.items():
        if name not in header:
            hint = ""
            if len(header) == 1 and any(s in header[0] for s in ";,\t|" if s != sep):
                hint = "; the header is one column: is the separator right? give --sep"
            raise _no_column(path.name, role, name, f"columns found: {_listed(header)}{hint}")
    names = list(dict.fromkeys(wanted.values()))
    arrow_encoding = "utf8" if encoding == "utf-8-sig" else encoding
    table = None
    for newlines in (False, True):  # values with line breaks need the slower, serial parse
        try:
            table = pacsv.read_csv(
                path,
                read_options=pacsv.ReadOptions(encoding=arrow_encoding),
                parse_options=pacsv.ParseOptions(delimiter=sep, newlines_in_values=newlines),
                convert_options=pacsv.ConvertOptions(
                    include_columns=names, column_types={n: pa.string() for n in names},
                    strings_can_be_null=True, null_values=[""], quoted_strings_can_be_null=True))
            break
        except (pa.ArrowInvalid, pa.ArrowKeyError, UnicodeDecodeError):
            continue
    if table is None:
        raise _csv_broken(path, sep, encoding, len(header))

    def locator(role: str) -> Callable[[int], str]:
        return _csv_locator(path, sep, encoding, wanted[role])

    cases = _text(table[columns.case])
    _refuse_missing_cases(cases, locator("case"), columns.case)
    timestamps = parse_timestamps(table[columns.timestamp], locator("timestamp"))
    agencies = _text(table[columns.agency]) if columns.agency else None
    return _log(path, "CSV", columns, cases, _text(table[columns.resource]), agencies, timestamps)


# --- Parquet ---------------------------------------------------------------------------


def _read_parquet(path: Path, columns: LogColumns) -> EventLog:
    try:
        schema = pq.read_schema(path)
    except (pa.ArrowException, OSError):
        raise InputError(f"{path.name}: not readable as Parquet") from None
    wanted = _wanted(columns)
    for role, name in wanted.items():
        if name not in schema.names:
            raise _no_column(path.name, role, name, f"columns found: {_listed(schema.names)}")
    table = pq.read_table(path, columns=list(dict.fromkeys(wanted.values())))

    def locator(role: str) -> Callable[[int], str]:
        return lambda position: f"{path.name} row {position + 1}, column {wanted[role]}"

    for role, name in wanted.items():
        kind = table.schema.field(name).type
        readable = (pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_integer(kind)
                    or pa.types.is_dictionary(kind) or pa.types.is_null(kind) or (role == "timestamp" and (
                        pa.types.is_timestamp(kind) or pa.types.is_date(kind))))
        if not readable:
            raise InputError(f"{path.name} column {name}: holds {kind}, not {_WHAT[role][0]} as text")
    cases = _text(table[columns.case].cast(pa.string()) if pa.types.is_dictionary(table.schema.field(
        columns.case).type) else table[columns.case])
    _refuse_missing_cases(cases, locator("case"), columns.case)
    stamps = table[columns.timestamp].combine_chunks()
    if pa.types.is_timestamp(stamps.type) or pa.types.is_date(stamps.type):
        if stamps.null_count:
            first = int(np.flatnonzero(~np.asarray(stamps.is_valid()))[0])
            raise InputError(f"{locator('timestamp')(first)}: the timestamp is empty; every event needs one")
        timestamps = from_arrow_timestamps(stamps)
    else:
        timestamps = parse_timestamps(stamps.cast(pa.string()), locator("timestamp"))
    agencies = _text(table[columns.agency].cast(pa.string())) if columns.agency else None
    return _log(path, "Parquet", columns, cases, _text(table[columns.resource].cast(pa.string())),
                agencies, timestamps)


# --- XES -------------------------------------------------------------------------------


def _xes_key(name: str) -> tuple[bool, str]:
    """``(of the trace?, key)``: ``case:KEY`` is the trace's attribute ``KEY``."""
    return (True, name[len("case:"):]) if name.startswith("case:") else (False, name)


def _open_xes(path: Path):
    with open(path, "rb") as probe:
        packed = probe.read(2) == b"\x1f\x8b"
    return gzip.open(path, "rb") if packed else open(path, "rb")


_XES_CHUNK = 1 << 20


def _xes_events(handle, name: str):
    """``(action, element)`` of an XES file as :func:`~xml.etree.ElementTree.iterparse` gives them.

    The parser is fed a chunk at a time, none holding a tag (with its attribute values)
    longer than :data:`FIELD_CHARS` bytes: the XML reader scans an unfinished tag again
    with every chunk, so one long attribute took time quadratic in its length (16 MiB in
    a minute, 200 MB never ended).
    """
    parser = ET.XMLPullParser(events=("start", "end"))
    for chunk in _xes_chunks(handle, name):
        parser.feed(chunk)
        yield from parser.read_events()
    parser.close()
    yield from parser.read_events()


def _xes_chunks(handle, name: str):
    # Every tag starts with "<", which no attribute value holds as it is (it is written &lt;):
    # the bytes from one "<" to the next bound a tag with its attributes.
    line = 1  # the line of the last "<" read
    gap_lines = 0  # line breaks read since it
    since = 0  # bytes read since it
    while chunk := handle.read(_XES_CHUNK):
        first = chunk.find(b"<")
        if since + (len(chunk) if first < 0 else first) > FIELD_CHARS:  # a chunk is far shorter
            raise InputError(f"{name} line {line}: a tag longer than {size_text(FIELD_CHARS)} (an attribute "
                             "value past the limit for a field); the file is damaged or not an export")
        if first >= 0:
            last = chunk.rfind(b"<")
            line += gap_lines + chunk.count(b"\n", 0, last)
            since, gap_lines = len(chunk) - last, chunk.count(b"\n", last)
        else:
            since, gap_lines = since + len(chunk), gap_lines + chunk.count(b"\n")
        yield chunk


def _read_xes(path: Path, columns: LogColumns) -> EventLog:
    wanted = _wanted(columns)
    keys = {role: _xes_key(name) for role, name in wanted.items()}
    values: dict[str, list] = {role: [] for role in wanted}
    traces: list[int] = []  # per event: its trace (1-based) and its place in the trace
    places: list[int] = []
    event_keys: set[str] = set()
    trace_keys: set[str] = set()
    trace_attributes: dict[str, str] = {}
    event_attributes: dict[str, str] = {}
    trace_first = 0  # the first event of the trace being read
    trace_number = place = depth = 0
    in_trace = in_event = False
    root = None
    try:
        with _open_xes(path) as handle:
            for action, element in _xes_events(handle, path.name):
                tag = element.tag.rpartition("}")[2]
                if action == "start":
                    depth += 1
                    if depth == 1:
                        root = element
                        if tag != "log":
                            raise InputError(f"{path.name}: not an XES log (its root is <{tag}>, not <log>)")
                    elif depth == 2 and tag == "trace":
                        in_trace, trace_number, place, trace_first = True, trace_number + 1, 0, len(traces)
                        trace_attributes = {}
                    elif depth == 3 and in_trace and tag == "event":
                        in_event, place, event_attributes = True, place + 1, {}
                    continue
                if depth == 4 and in_event:
                    key = element.get("key")
                    if key is not None:
                        event_attributes[key] = element.get("value")
                elif depth == 3 and in_trace and tag != "event":
                    key = element.get("key")
                    if key is not None:
                        trace_attributes[key] = element.get("value")
                elif depth == 3 and in_event:
                    in_event = False
                    event_keys.update(event_attributes)
                    for role, (of_trace, key) in keys.items():
                        values[role].append(None if of_trace else event_attributes.get(key))
                    traces.append(trace_number)
                    places.append(place)
                    element.clear()
                elif depth == 2 and in_trace:
                    in_trace = False
                    trace_keys.update(trace_attributes)
                    # A trace's attributes may follow its events: filled in once the trace is read.
                    for role, (of_trace, key) in keys.items():
                        if of_trace:
                            column = values[role]
                            column[trace_first:] = [trace_attributes.get(key)] * (len(column) - trace_first)
                    if root is not None:
                        root.clear()  # the trace is read: let it go
                depth -= 1
    except ET.ParseError as err:
        line, column = err.position
        raise InputError(f"{path.name} line {line}, column {column}: not readable as XES (not well-formed XML)") \
            from None
    except (OSError, EOFError, zlib.error) as err:
        raise InputError(f"{path.name}: not readable ({getattr(err, 'strerror', None) or type(err).__name__})") \
            from None
    found = (f"event attributes found: {_listed(sorted(event_keys))}; trace attributes found (as case:KEY): "
             f"{_listed(sorted('case:' + k for k in trace_keys))}")
    if not traces:
        raise InputError(f"{path.name}: the log holds no event (no <trace> with an <event>)")
    for role in wanted:
        if all(v is None for v in values[role]):
            raise _no_column(path.name, role, wanted[role], found, "event has the attribute"
                             if not keys[role][0] else "trace has the attribute")
    traces_np, places_np = np.asarray(traces), np.asarray(places)

    def locator(role: str) -> Callable[[int], str]:
        return lambda position: (f"{path.name} trace {traces_np[position]}, event {places_np[position]}, "
                                 f"{wanted[role]}")

    cases = _text(pa.array(values["case"], type=pa.string()))
    _refuse_missing_cases(cases, locator("case"), wanted["case"])
    timestamps = parse_timestamps(pa.array(values["timestamp"], type=pa.string()), locator("timestamp"))
    agencies = _text(pa.array(values["agency"], type=pa.string())) if columns.agency else None
    return _log(path, "XES", columns, cases, _text(pa.array(values["resource"], type=pa.string())), agencies,
                timestamps)


# --- OCEL 2.0 JSON ---------------------------------------------------------------------


def _read_ocel(path: Path, columns: LogColumns) -> EventLog:
    try:
        with open(path, "rb") as handle:
            data = json.load(handle)
    except json.JSONDecodeError as err:
        raise InputError(f"{path.name} line {err.lineno}, column {err.colno}: not readable as JSON "
                         f"({err.msg})") from None
    except UnicodeDecodeError:
        raise InputError(f"{path.name}: not readable as JSON (not UTF-8 text)") from None
    if not isinstance(data, dict) or not isinstance(data.get("events"), list) \
            or not isinstance(data.get("objects"), list):
        raise InputError(f"{path.name}: not an OCEL 2.0 JSON log (it needs the lists \"events\" and \"objects\")")
    type_of = {o.get("id"): o.get("type") for o in data["objects"] if isinstance(o, dict)}
    types = sorted({t for t in type_of.values() if isinstance(t, str)}
                   | {t.get("name") for t in data.get("objectTypes") or [] if isinstance(t, dict)} - {None})
    if not columns.object_type:
        raise InputError(f"{path.name}: an OCEL 2.0 log needs --object-type, the object type whose objects "
                         f"are the cases; object types found: {_listed(types)}")
    if columns.object_type not in types:
        raise InputError(f"{path.name}: no object type {columns.object_type} (--object-type); object types "
                         f"found: {_listed(types)}")
    events = [e for e in data["events"] if isinstance(e, dict)]
    attributes = [{a.get("name"): a.get("value") for a in e.get("attributes") or [] if isinstance(a, dict)}
                  for e in events]
    related = [[r.get("objectId") for r in e.get("relationships") or [] if isinstance(r, dict)] for e in events]
    names = sorted({n for a in attributes for n in a if isinstance(n, str)})

    def source(role: str, name: str) -> Callable[[int], object]:
        if name in names:
            return lambda k: attributes[k].get(name)
        if name in types:
            return lambda k: next((o for o in related[k] if type_of.get(o) == name), None)
        what, flag = _WHAT[role]
        raise InputError(f"{path.name}: no event attribute or object type {name} ({what}; name another with "
                         f"{flag}); event attributes found: {_listed(names)}; object types found: {_listed(types)}")

    resource_of = source("resource", columns.resource)
    agency_of = source("agency", columns.agency) if columns.agency else None
    rows: dict[str, list] = {"case": [], "resource": [], "agency": [], "time": [], "event": []}
    unrelated = several = 0
    for k, event in enumerate(events):
        cases = list(dict.fromkeys(o for o in related[k] if type_of.get(o) == columns.object_type))
        if not cases:
            unrelated += 1
            continue
        several += len(cases) > 1
        resource, agency = resource_of(k), agency_of(k) if agency_of else None
        for case in cases:
            rows["case"].append(case)
            rows["resource"].append(resource)
            rows["agency"].append(agency)
            rows["time"].append(event.get("time"))
            rows["event"].append(k)
    if not rows["case"]:
        raise InputError(f"{path.name}: no event is related to an object of type {columns.object_type}")
    event_of = np.asarray(rows["event"])

    def locate(position: int) -> str:
        k = int(event_of[position])
        return f"{path.name} event {events[k].get('id', '?')} (number {k + 1}), time"

    def text(values) -> pa.Array:
        return _text(pa.array([None if v is None else str(v) for v in values], type=pa.string()))

    timestamps = parse_timestamps(text(rows["time"]), locate)
    read = replace(columns, case=f"objects of type {columns.object_type}", timestamp="time")
    notes = (("events related to no object of the type (left out)", unrelated),
             ("events related to several objects of the type (in each of their cases)", several))
    return _log(path, "OCEL 2.0 JSON", read, text(rows["case"]), text(rows["resource"]),
                text(rows["agency"]) if agency_of else None, timestamps, notes)
