"""Recognising Norwegian national identity numbers, and refusing datasets keyed by them.

handover works on pseudonymous ids. A dataset whose ``user_id`` (or ``staff_id``) values
are national identity numbers is one export away from a list of named people, so the
commands that analyse a dataset refuse it (:func:`refuse_identifiers`) unless told
otherwise with ``--allow-identifiers``, and point to ``handover pseudonymize``.

A value *looks like* a national identity number when it is 11 digits (optionally with
one space or hyphen after the sixth) whose two mod-11 check digits are valid and whose
first six digits can be a date ``DDMMYY``:

- a **fødselsnummer**: day 01–31, month 01–12;
- a **D-number** (foreigners working in Norway): the first digit raised by 4, day 41–71;
- an **H-number** (assistance numbers in health care): the third digit raised by 4,
  month 41–52;
- a synthetic test number of the Norwegian Tax Administration (Tenor): month raised by
  80, month 81–92.

Whether the date exists (30 February) is not checked, so a few numbers that cannot
belong to anyone are caught too; the guard errs on the side of refusing. Messages name
the file, column and line and how many values look like numbers, never the values.

Examples
--------
The numbers below are made up, with dates that do not exist (31 February), so they
cannot belong to anyone:

>>> looks_like_national_id("31029000177")   # fødselsnummer form
True
>>> looks_like_national_id("71029000160")   # D-number: day + 40
True
>>> looks_like_national_id("31429000230")   # H-number: month + 40
True
>>> looks_like_national_id("31029000178")   # a check digit off
False
>>> looks_like_national_id("u000123"), looks_like_national_id("00000000000")
(False, False)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from handover.errors import InputError

__all__ = [
    "looks_like_national_id", "national_id_mask", "IdentifierColumn", "find_identifiers",
    "refuse_identifiers", "CHECKED_COLUMNS", "Locate",
]

#: Where a row of a table stands in its file: ``locate(table, position) -> (file, "line 7")``.
Locate = Callable[[str, int], tuple[str, str]]

#: The id columns checked: the people in the data.
CHECKED_COLUMNS: tuple[str, ...] = ("user_id", "staff_id")

_SHAPE = r"\d{6}[ -]?\d{5}"
_UNICODE_SHAPE = r"\p{Nd}{6}[ -]?\p{Nd}{5}"
_FIRST_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_SECOND_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def _check_digit(digits: list[int], weights: tuple[int, ...]) -> int | None:
    remainder = sum(d * w for d, w in zip(digits, weights)) % 11
    digit = (11 - remainder) % 11
    return None if digit == 10 else digit


def _plain_digits(value: str) -> str:
    """``value`` as a person reads it: NFKC-normalised (fullwidth ``１`` and ``－`` made ``1`` and
    ``-``), and the decimal digits of every script (Arabic-Indic ``١``...) made ASCII digits."""
    if value.isascii():
        return value
    text = unicodedata.normalize("NFKC", value)
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


def looks_like_national_id(value) -> bool:
    """Whether ``value`` has the form of a Norwegian national identity number.

    Parameters
    ----------
    value : object
        Anything; only ``str`` values can match.

    Returns
    -------
    bool
        ``True`` for 11 digits (one space or hyphen after the sixth allowed, spaces
        around ignored) with valid mod-11 check digits and a ``DDMMYY`` start, in the
        fødselsnummer, D-number, H-number or synthetic-number variant (see the module).

    See Also
    --------
    national_id_mask : the same test for a whole column, fast on millions of rows.

    Digits of other scripts count as the digits they are (fullwidth ``３１０２９０００１７７``,
    Arabic-Indic), as do fullwidth spaces and hyphens.

    Examples
    --------
    >>> looks_like_national_id("310290 00177"), looks_like_national_id("310290-00177")
    (True, True)
    >>> looks_like_national_id("３１０２９０００１７７")
    True
    >>> looks_like_national_id(31029000177)   # a number, not an id as read
    False
    """
    if not isinstance(value, str):
        return False
    text = _plain_digits(value).strip()
    if not re.fullmatch(_SHAPE, text, re.ASCII):
        return False
    digits = [int(c) for c in text if c.isdigit()]
    day, month = digits[0] * 10 + digits[1], digits[2] * 10 + digits[3]
    if day > 40:
        day -= 40  # D-number
    if month > 80:
        month -= 80  # synthetic test number
    elif month > 40:
        month -= 40  # H-number
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return False
    first = _check_digit(digits[:9], _FIRST_WEIGHTS)
    if first is None or first != digits[9]:
        return False
    second = _check_digit(digits[:10], _SECOND_WEIGHTS)
    return second is not None and second == digits[10]


def national_id_mask(values: pd.Series) -> np.ndarray:
    """Per value of ``values``, whether it :func:`looks_like_national_id`.

    A vectorised shape test leaves only 11-digit values for the check-digit test.

    Examples
    --------
    >>> national_id_mask(pd.Series(["u1", "31029000177", None, "３１０２９０００１７７"])).tolist()
    [False, True, False, True]
    """
    if len(values) == 0:
        return np.zeros(0, dtype=bool)
    text = values.astype("string[pyarrow]")
    shaped = text.str.strip().str.fullmatch(_SHAPE).fillna(False).to_numpy(dtype=bool)
    # Arrow's \d is ASCII: values of other characters are shaped by Unicode's digits (\p{Nd})
    # and NFKC's spaces and hyphens, and the scalar test reads their digits.
    arrow = pa.array(text.array)
    other = pc.fill_null(pc.invert(pc.string_is_ascii(arrow)), False).to_numpy(zero_copy_only=False)
    if other.any():
        normal = pc.utf8_trim_whitespace(pc.utf8_normalize(arrow.filter(pa.array(other)), form="NFKC"))
        unicode_shaped = pc.match_substring_regex(normal, f"^{_UNICODE_SHAPE}$")
        shaped[other] = pc.fill_null(unicode_shaped, False).to_numpy(zero_copy_only=False)
    mask = np.zeros(len(values), dtype=bool)
    if shaped.any():
        candidates = values[shaped]
        found = {v: looks_like_national_id(v) for v in candidates.unique()}
        mask[shaped] = candidates.map(found).to_numpy(dtype=bool)
    return mask


@dataclass(frozen=True)
class IdentifierColumn:
    """A column of a table holding values that look like national identity numbers."""

    table: str
    column: str
    count: int
    first_position: int  # 0-based row of the table's frame

    def located(self, locate: Locate | None = None) -> str:
        """Where the values are, as a message shows it: ``users.csv column user_id, ... line 2``.

        ``locate(table, position)`` names the file and the line of a row; without it the
        table and the row of the frame are named.
        """
        where = (locate or _in_frame)(self.table, self.first_position)
        looks = ("value looks like a national identity number" if self.count == 1
                 else "values look like national identity numbers")
        return f"{where[0]} column {self.column}: {self.count} {looks} (first on {where[1]})"


def find_identifiers(dataset, columns: tuple[str, ...] = CHECKED_COLUMNS) -> list[IdentifierColumn]:
    """Every column of ``dataset`` named in ``columns`` whose values look like national ids.

    Parameters
    ----------
    dataset : Dataset
    columns : tuple of str, default ("user_id", "staff_id")

    Returns
    -------
    list of IdentifierColumn
        In table order; empty when no value looks like a national identity number.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> find_identifiers(tiny_dataset())
    []
    """
    found = []
    for table, frame in dataset.tables.items():
        for column in columns:
            if column not in frame.columns:
                continue
            mask = national_id_mask(frame[column])
            if mask.any():
                found.append(IdentifierColumn(table, column, int(mask.sum()), int(np.argmax(mask))))
    return found


def refuse_identifiers(dataset, allow: bool, *, locate: Locate | None = None) -> None:
    """Refuse ``dataset`` when its user or staff ids look like national identity numbers.

    The one guard every command that analyses a dataset passes through (see
    :func:`handover.io.guarded.read_guarded`, which names the files and lines).

    Parameters
    ----------
    dataset : Dataset
        As read by :func:`handover.io.read_dataset`.
    allow : bool
        ``--allow-identifiers``: when true, nothing is checked.
    locate : callable, optional
        ``locate(table, position) -> (file, "line 7")``: where a row of a table stands in
        its file (:func:`handover.io.guarded.file_locator`); default the table and the row
        of its frame.

    Raises
    ------
    InputError
        Naming each file and column, how many values, and the line of the first; never
        the values themselves. It points to ``handover pseudonymize``.

    Examples
    --------
    >>> import pandas as pd
    >>> from handover.model import Dataset
    >>> ds = Dataset({"users": pd.DataFrame({"user_id": ["u1", "31029000177"]})})
    >>> refuse_identifiers(ds, allow=True)
    >>> refuse_identifiers(ds, allow=False)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    handover.errors.InputError: users column user_id: 1 value looks like a national identity number (first on row 2) ...
    """
    if allow:
        return
    found = find_identifiers(dataset)
    if not found:
        return
    places = "; ".join(hit.located(locate) for hit in found)
    raise InputError(
        f"{places} (fødselsnummer, D- or H-number; the values are not shown). handover works "
        "on pseudonymous ids: replace them with `handover pseudonymize DATA_DIR OUT_DIR "
        "--key-file KEY` (add --staff for staff ids) and analyse OUT_DIR, or pass "
        "--allow-identifiers if you may process national identity numbers here"
    )


def _in_frame(table: str, position: int) -> tuple[str, str]:
    return table, f"row {position + 1}"
