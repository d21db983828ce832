"""Text dates in the ways exports write them: ``YYYY-MM-DD``, ``DD.MM.YYYY``, ``DD/MM/YYYY``, ``DD.MM.YY``.

ISO dates (``YYYY-MM-DD``, or a full ISO datetime, truncated to its date) are read in
every format: they cannot be misread, and spreadsheet date cells arrive as them. A
time after a Norwegian date (``05.01.2024 08:30``) is dropped the same way. Two-digit
years follow the POSIX rule: 69 to 99 are 1969 to 1999, 00 to 68 are 2000 to 2068.
``auto`` picks, per column, the one format that reads all of its dates, and refuses a
column whose dates read two ways (``03/04/2024``: 3 April or 4 March).

Examples
--------
>>> import pandas as pd
>>> text = pd.Series(["05.01.2024", "2024-02-01", "31.02.2024", None], dtype="string[pyarrow]")
>>> [str(d.date()) if pd.notna(d) else None for d in parse_dates(text, "DD.MM.YYYY")]
['2024-01-05', '2024-02-01', None, None]
>>> detect_format(pd.Series(["05/01/2024", "13/01/2024"], dtype="string[pyarrow]"))
('DD/MM/YYYY', None)
>>> detect_format(pd.Series(["03/04/2024"], dtype="string[pyarrow]"))[1]
('03/04/2024', '2024-04-03', '2024-03-04')
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["FORMATS", "ISO", "parse_dates", "detect_format", "looks_like"]

ISO = "YYYY-MM-DD"

_ISO_TEXT = r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?"
_TIME = r"(?:[ T]\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)?"
# Each format: a pattern with day, month and year groups, and whether the year has two digits.
_PATTERNS = {
    "DD.MM.YYYY": (rf"(?P<d>\d{{1,2}})\.(?P<m>\d{{1,2}})\.(?P<y>\d{{4}}){_TIME}", False),
    "DD/MM/YYYY": (rf"(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})/(?P<y>\d{{4}}){_TIME}", False),
    "DD.MM.YY": (rf"(?P<d>\d{{1,2}})\.(?P<m>\d{{1,2}})\.(?P<y>\d{{2}}){_TIME}", True),
    # Only to tell an American column apart in ``auto``; never a format handover reads.
    "MM/DD/YYYY": (rf"(?P<m>\d{{1,2}})/(?P<d>\d{{1,2}})/(?P<y>\d{{4}}){_TIME}", False),
}

_STRPTIME = {"DD.MM.YYYY": "%d.%m.%Y", "DD/MM/YYYY": "%d/%m/%Y", "DD.MM.YY": "%d.%m.%y",
             "MM/DD/YYYY": "%m/%d/%Y"}
_TIME_AT_END = r"[ T]\d{1,2}[:.]\d{2}(?:[:.]\d{2})?$"

#: The formats a column can be read in (``auto`` chooses among the first four).
FORMATS = (ISO, "DD.MM.YYYY", "DD/MM/YYYY", "DD.MM.YY", "auto")
_AUTO_ORDER = (ISO, "DD.MM.YYYY", "DD.MM.YY", "DD/MM/YYYY", "MM/DD/YYYY")


def _arrow(text: pd.Series) -> pa.Array:
    """``text`` as one Arrow array of (32-bit offset) strings."""
    chunked = pa.chunked_array(text.astype("string[pyarrow]").array.__arrow_array__())
    return chunked.combine_chunks().cast(pa.string())


def _iso(text: pd.Series) -> pd.Series:
    well_formed = text.str.fullmatch(_ISO_TEXT).fillna(False).astype(bool)
    # A datetime's first ten characters are its date: truncation is a slice.
    return pd.to_datetime(text.str.slice(0, 10).where(well_formed), format="%Y-%m-%d", errors="coerce")


def _in_format(text: pd.Series, fmt: str) -> pd.Series:
    # A time after the date is dropped by one Arrow kernel; pandas' strptime then reads the
    # days (strictly: 31.02 is no date, 5.1.2024 is 5 January).
    dates = pc.replace_substring_regex(_arrow(text), pattern=_TIME_AT_END, replacement="")
    days = pd.to_datetime(pd.arrays.ArrowStringArray(dates), format=_STRPTIME[fmt], errors="coerce")
    return pd.Series(days, index=text.index, copy=False)


def parse_dates(text: pd.Series, fmt: str = ISO) -> pd.Series:
    """``text`` read as dates written in ``fmt`` (ISO dates always read); ``NaT`` where not.

    Parameters
    ----------
    text : pandas.Series of str
        Stripped text, missing as ``NA``.
    fmt : str
        One of :data:`FORMATS` but ``auto`` (choose with :func:`detect_format` first).

    Returns
    -------
    pandas.Series of datetime64[ns]

    Notes
    -----
    A column of a million dates holds a few thousand different days: each distinct text
    is read once (Arrow's dictionary encoding) and the days are spread back by index.
    """
    if not len(text):
        return pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    encoded = pc.dictionary_encode(_arrow(text))
    distinct = pd.Series(pd.arrays.ArrowStringArray(encoded.dictionary))
    days = _iso(distinct) if fmt == ISO else _in_format(distinct, fmt)
    if fmt != ISO:
        # ISO dates (date cells of a workbook among text dates, for one) are read in every format.
        unread = days.isna().to_numpy()
        if unread.any():
            days.iloc[unread] = _iso(distinct[unread]).to_numpy()
    # The indices as Arrow holds them (int32, no float copy for the missing ones).
    missing = encoded.indices.is_null().to_numpy(zero_copy_only=False)
    positions = pc.fill_null(encoded.indices, 0).to_numpy()
    values = days.to_numpy("datetime64[ns]")[positions] if len(days) else np.full(len(positions), "NaT", "datetime64[ns]")
    values[missing] = np.datetime64("NaT")
    return pd.Series(values, index=text.index)


def detect_format(text: pd.Series) -> tuple[str | None, tuple[str, str, str] | None]:
    """The one format that reads every date of a column, for ``--date-format auto``.

    Returns
    -------
    (str or None, tuple or None)
        The format (``None`` when none reads every date: the best is then ISO and the
        dates that fail are reported one by one), and, when the dates read two ways, one
        such value with its two readings (ISO): ``(value, as DD/MM/YYYY, as MM/DD/YYYY)``.
    """
    present = text.dropna()
    if present.empty:
        return ISO, None
    iso = _iso(present)
    rest = present[iso.isna()]
    if rest.empty:
        return ISO, None
    readable = {fmt: _in_format(rest, fmt) for fmt in _AUTO_ORDER[1:]}
    complete = [fmt for fmt, parsed in readable.items() if parsed.notna().all()]
    if "DD/MM/YYYY" in complete and "MM/DD/YYYY" in complete:
        both = readable["DD/MM/YYYY"].notna() & readable["MM/DD/YYYY"].notna() & (
            readable["DD/MM/YYYY"] != readable["MM/DD/YYYY"])
        if both.any():
            at = both.idxmax()
            return None, (rest[at], f"{readable['DD/MM/YYYY'][at]:%Y-%m-%d}",
                          f"{readable['MM/DD/YYYY'][at]:%Y-%m-%d}")
        return "DD/MM/YYYY", None
    if complete:
        return complete[0], None
    best = max(readable, key=lambda fmt: int(readable[fmt].notna().sum()))
    return (best if readable[best].notna().any() and best != "MM/DD/YYYY" else ISO), None


def looks_like(value: str) -> str | None:
    """The format a date that failed seems to be written in, for a hint; ``None`` when none.

    Examples
    --------
    >>> looks_like("31.12.2024"), looks_like("12/31/2024"), looks_like("31/12/2024"), looks_like("05/01/2024")
    ('DD.MM.YYYY', 'MM/DD/YYYY', 'DD/MM/YYYY', None)
    """
    for fmt in ("DD.MM.YYYY", "DD.MM.YY"):
        if re.fullmatch(_PATTERNS[fmt][0], value):
            return fmt
    slashed = re.fullmatch(r"(\d{1,2})/(\d{1,2})/\d{4}(?:[ T].*)?", value)
    if slashed:
        first, second = int(slashed.group(1)), int(slashed.group(2))
        if second > 12 >= first:
            return "MM/DD/YYYY"
        if first > 12 >= second:
            return "DD/MM/YYYY"
        return None  # 05/01/2024 reads both ways: no guess (``auto`` tells by the whole column)
    if re.fullmatch(_ISO_TEXT, value):
        return ISO
    return None
