"""Event-log timestamps: ISO 8601 instants to order events by, and the dates as written.

An event log's timestamp says when something happened, often with an offset from UTC
(``2010-12-30T14:32:00.000+01:00``). Two things are read from it:

- the **instant**, which orders the events of a case: a timestamp with an offset (``Z``,
  ``+01``, ``+0100``, ``+01:00``) is moved to UTC; one without an offset is taken as it is
  written (as if it were UTC), so a log written without offsets orders as written;
- the **date as written**, its first ten characters: no time zone moves an event to
  another day (``2011-01-01T00:30:00+02:00`` is on 1 January).

Accepted: ``YYYY-MM-DD``, optionally followed by ``T`` or a space and ``hh:mm``,
``hh:mm:ss`` or ``hh:mm:ss.fffffffff`` (1 to 9 decimals), optionally followed by an
offset. That covers XES and OCEL 2.0, which prescribe ISO 8601, and every CSV of pm4py's
example logs (``2010-12-30 14:32:00+01:00``, ``2011-10-11 13:45:40.276000+02:00``,
``1971-01-01 00:20``). Anything else is refused with the event's place and its value.

Everything is one pass of Arrow kernels over the whole column, not a loop over events.

Examples
--------
>>> import pyarrow as pa
>>> read = parse_timestamps(pa.array(["2011-01-01T00:30:00+02:00", "2010-12-31 23:00", "2011-01-02"]),
...                         lambda i: f"event {i + 1}")
>>> [str(d) for d in read.dates]
['2011-01-01', '2010-12-31', '2011-01-02']
>>> bool(read.instants[0] < read.instants[1])  # 22:30 UTC comes before 23:00
True
>>> read.forms
(('YYYY-MM-DDThh:mm:ss+hh:mm', 1), ('YYYY-MM-DD hh:mm', 1), ('YYYY-MM-DD', 1))
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from handover.errors import InputError
from handover.io.raw import holds_words, shown_value
from handover.privacy.identifiers import looks_like_national_id

__all__ = ["Timestamps", "ISO_RULE", "parse_timestamps", "from_arrow_timestamps"]

#: What a timestamp must look like, for messages.
ISO_RULE = ("not an ISO 8601 timestamp (YYYY-MM-DD, optionally with a time hh:mm[:ss[.fff]] after "
            "'T' or a space, and an offset Z or +hh:mm)")

_ISO = r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$"
_OFFSET = r"[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)$"
#: Distinct forms named in the report before the rest is counted together.
_MAX_FORMS = 8



@dataclass(frozen=True)
class Timestamps:
    """The timestamps of a log's events, in the order of the events.

    Attributes
    ----------
    instants : numpy.ndarray of int64
        Nanoseconds since 1970-01-01 UTC; the order of events within a case.
    dates : numpy.ndarray of datetime64[D]
        The dates as written.
    forms : tuple of (str, int)
        How the timestamps were written (``YYYY-MM-DD hh:mm:ss+hh:mm``) and how many of
        each, most common first, for the import report.
    """

    instants: np.ndarray
    dates: np.ndarray
    forms: tuple[tuple[str, int], ...]

    def take(self, positions: np.ndarray) -> "Timestamps":
        """The timestamps of the events at ``positions`` (the forms stay those of the whole log)."""
        return Timestamps(self.instants[positions], self.dates[positions], self.forms)


def _first_failing(values: pa.Array, convert: Callable[[pa.Array], object]) -> int:
    """The first position of ``values`` that ``convert`` refuses (it refuses the whole array)."""
    low, high = 0, len(values)
    while high - low > 1:  # bisection: a few dozen conversions, not one per value
        middle = (low + high) // 2
        try:
            convert(values.slice(low, middle - low))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, ValueError, OverflowError):
            high = middle
        else:
            low = middle
    return low


def _refuse(values: pa.Array, position: int, locate: Callable[[int], str], rule: str = ISO_RULE):
    value = values[position].as_py()
    if value is None or not str(value).strip():
        raise InputError(f"{locate(position)}: the timestamp is empty; every event needs one")
    text = str(value)
    if holds_words(text):  # free text (a name, a note) in the wrong column: never echoed
        raise InputError(f"{locate(position)}: the value holds words and is not shown; it is {rule}")
    if looks_like_national_id(text):
        raise InputError(f"{locate(position)}: the value looks like a national identity number and is not "
                         f"shown; it is {rule}")
    raise InputError(f"{locate(position)}: {shown_value(text, 40)} is {rule}")


def _form(example: str) -> str:
    """``2010-12-30 14:32:00.5+01:00`` → ``YYYY-MM-DD hh:mm:ss.f+hh:mm``."""
    date, rest = example[:10], example[10:]
    form = "YYYY-MM-DD" if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) else date
    match = re.fullmatch(r"([T ])(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?", rest)
    if match:
        separator, _, _, seconds, fraction, offset = match.groups()
        form += f"{separator}hh:mm" + (":ss" if seconds else "") + ("." + "f" * len(fraction) if fraction else "")
        if offset:
            form += "Z" if offset == "Z" else {3: "+hh", 5: "+hhmm", 6: "+hh:mm"}[len(offset)]
    return form


def _forms(text: pa.Array) -> tuple[tuple[str, int], ...]:
    """How ``text`` is written, exactly: one regular expression per distinct form found."""
    forms: dict[str, int] = {}
    rest = text
    for _ in range(_MAX_FORMS):
        if not len(rest):
            break
        example = rest[0].as_py()
        pattern = "^" + re.sub(r"\d", r"\\d", re.escape(example)) + "$"
        same = pc.match_substring_regex(rest, pattern)
        form = _form(example)
        forms[form] = forms.get(form, 0) + int(pc.sum(same).as_py() or 0)
        rest = rest.filter(pc.invert(same))
    if len(rest):
        forms["other forms"] = len(rest)
    return tuple(sorted(forms.items(), key=lambda item: -item[1]))


def parse_timestamps(text: pa.Array, locate: Callable[[int], str]) -> Timestamps:
    """Read ISO 8601 timestamps: the instants (UTC) and the dates as written.

    Parameters
    ----------
    text : pyarrow.Array of str
        One timestamp per event, surrounding spaces allowed; empty values are refused.
    locate : callable
        ``locate(position) -> "log.csv line 7, column time:timestamp"``: the place of an
        event for a message; called only when something is refused.

    Returns
    -------
    Timestamps

    Raises
    ------
    InputError
        For the first empty or unreadable timestamp (``2011-02-30``, ``03.01.2011 10:00``),
        with its place and its value.
    """
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks()
    text = pc.utf8_trim_whitespace(text.cast(pa.string()))
    if text.null_count:
        _refuse(text, int(np.flatnonzero(~np.asarray(text.is_valid()))[0]), locate)
    well_formed = pc.match_substring_regex(text, _ISO)
    if not pc.all(well_formed).as_py() and len(text):
        _refuse(text, int(np.flatnonzero(~np.asarray(well_formed))[0]), locate)
    count = len(text)
    instants = np.empty(count, dtype=np.int64)
    with_offset = np.asarray(pc.match_substring_regex(text, _OFFSET), dtype=bool)
    for chosen, kind in ((with_offset, pa.timestamp("ns", tz="UTC")), (~with_offset, pa.timestamp("ns"))):
        positions = np.flatnonzero(chosen)
        if not len(positions):
            continue
        subset = text.take(pa.array(positions))

        def convert(values, kind=kind):
            return pc.cast(values, kind).cast(pa.int64())

        try:
            instants[positions] = convert(subset).to_numpy(zero_copy_only=False)
        except (pa.ArrowInvalid, OverflowError):
            at = _first_failing(subset, convert)
            _refuse(text, int(positions[at]), locate,
                    "not a date and time that exists (or lies outside the years 1677 to 2262)")
    # The date as written: the first ten characters; a log holds few distinct days.
    days = pc.dictionary_encode(pc.utf8_slice_codeunits(text, 0, 10))
    try:
        distinct = days.dictionary.cast(pa.date32())
    except pa.ArrowInvalid:
        at = _first_failing(days.dictionary, lambda values: values.cast(pa.date32()))
        first = int(np.flatnonzero(np.asarray(days.indices) == at)[0])
        _refuse(text, first, locate, "not a date that exists")
    dates = np.asarray(distinct.cast(pa.int32()), dtype=np.int32).astype("datetime64[D]")
    dates = dates[np.asarray(days.indices, dtype=np.int64)] if count else dates[:0]
    return Timestamps(instants, dates, _forms(text))


def from_arrow_timestamps(values: pa.Array) -> Timestamps:
    """Timestamps stored as timestamps (a Parquet column): dates as written in the column's zone.

    A column with a time zone holds instants; its dates are the local dates in that zone
    (in UTC when the zone is UTC). A column without one holds times as written. A date
    column holds days, at midnight.

    Raises
    ------
    InputError
        When a value is missing (the caller names the column).
    """
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    kind = values.type
    if pa.types.is_date(kind):
        days = np.asarray(values.cast(pa.date32()).cast(pa.int32()).fill_null(0), dtype=np.int64)
        return Timestamps(days * 86_400_000_000_000, days.astype("datetime64[D]"),
                          (("Parquet date", len(values)),))
    ns = values.cast(pa.timestamp("ns", tz=kind.tz))
    instants = np.asarray(ns.cast(pa.int64()).fill_null(0), dtype=np.int64)
    if kind.tz:
        local = pc.local_timestamp(ns)
        form = f"Parquet timestamp (time zone {kind.tz})"
    else:
        local = ns
        form = "Parquet timestamp (no time zone)"
    days = np.asarray(local.cast(pa.int64()).fill_null(0), dtype=np.int64) // 86_400_000_000_000
    return Timestamps(instants, days.astype("datetime64[D]"), ((form, len(values)),))
