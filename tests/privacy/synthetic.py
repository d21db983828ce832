"""Synthetic Norwegian national identity numbers that cannot belong to anyone.

Every number made here has valid mod-11 check digits, so the guard must catch it, but a
birth date that does not exist (30 or 31 February), so it is nobody's number. Never put
a real person's number in a test.
"""

from __future__ import annotations

from pathlib import Path

_FIRST = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_SECOND = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def _check(digits: list[int], weights: tuple[int, ...]) -> int | None:
    digit = (11 - sum(d * w for d, w in zip(digits, weights)) % 11) % 11
    return None if digit == 10 else digit


def with_check_digits(first_nine: str) -> str | None:
    """``first_nine`` plus its two check digits, or ``None`` when it has none."""
    digits = [int(c) for c in first_nine]
    first = _check(digits, _FIRST)
    if first is None:
        return None
    second = _check(digits + [first], _SECOND)
    return None if second is None else first_nine + f"{first}{second}"


def impossible_numbers(count: int, kind: str = "fnr") -> list[str]:
    """``count`` distinct valid-looking numbers born on 30 or 31 February of 1990.

    ``kind``: ``"fnr"`` (fødselsnummer), ``"d"`` (D-number: day + 40) or ``"h"``
    (H-number: month + 40).
    """
    numbers = []
    for day in ("30", "31"):
        for serial in range(1000):
            dd = str(int(day) + 40) if kind == "d" else day
            mm = "42" if kind == "h" else "02"
            number = with_check_digits(f"{dd}{mm}90{serial:03d}")
            if number is not None:
                numbers.append(number)
                if len(numbers) == count:
                    return numbers
    raise ValueError(f"cannot make {count} numbers")


#: The made-up national identity numbers of :func:`write_identified`'s users u1, u2 and u3.
NUMBERS = impossible_numbers(3)


def write_identified(folder: Path) -> Path:
    """The bad-input corpus's valid base in ``folder``, its user ids replaced by :data:`NUMBERS`."""
    import re

    from tests.badinput.corpus import write_base

    write_base(folder)
    for path in folder.glob("*.csv"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"\bu([123])\b", lambda m: NUMBERS[int(m.group(1)) - 1], text),
                        encoding="utf-8")
    return folder


def leaked(text: str) -> list[str]:
    """The :data:`NUMBERS` in ``text``, written plainly or with a space after the sixth digit."""
    return [n for n in NUMBERS if n in text or f"{n[:6]} {n[6:]}" in text]
