"""Ids that differ only by characters that look alike: ``u2`` and ``u２``, ``X1`` and ``Х1`` (Cyrillic).

Two such ids are two users (or agencies, plans...) to handover, and one to the person
reading a worklist. They are valid ids, so ``handover validate`` warns of them, naming
the pairs and their lines, and does not refuse the dataset (docs/data.md).

Two ids look alike when they are equal after :func:`folded`:

- Unicode's compatibility normalisation NFKC, which makes fullwidth digits and letters
  (``１``, ``ｕ``), superscripts and ligatures the plain ones;
- then :data:`LOOK_ALIKE`: the Cyrillic and Greek letters that print like Latin ones, each
  made that Latin letter (lower case to lower case, upper case to upper case).

Case is kept: ``u1`` and ``U1`` are different ids, and look different.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from handover.io.raw import shown_value
from handover.privacy.identifiers import looks_like_national_id

__all__ = ["LOOK_ALIKE", "folded", "confusable_ids", "shown_pair_value", "MAX_PAIRS"]

#: Cyrillic and Greek letters that print like a Latin letter, and that letter.
LOOK_ALIKE: dict[str, str] = {
    # Cyrillic
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j",
    "ѕ": "s", "к": "k", "м": "m", "н": "h", "т": "t", "в": "b",
    "А": "A", "Е": "E", "О": "O", "Р": "P", "С": "C", "У": "Y", "Х": "X", "І": "I", "Ј": "J",
    "Ѕ": "S", "К": "K", "М": "M", "Н": "H", "Т": "T", "В": "B",
    # Greek
    "ο": "o", "α": "a", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ρ": "p", "τ": "t", "υ": "u", "χ": "x",
    "Ο": "O", "Α": "A", "Ε": "E", "Ι": "I", "Κ": "K", "Ν": "N", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
}
#: Pairs listed per column; the rest are counted.
MAX_PAIRS = 20


def folded(values: pd.Series) -> pd.Series:
    """``values`` (``str``) as they look: NFKC-normalised, look-alike letters made Latin.

    Examples
    --------
    >>> folded(pd.Series(["u２", "Х1", "ｕ1", "ид"])).tolist()
    ['u2', 'X1', 'u1', 'ид']
    """
    looks = _folded(pa.array(values.astype(object), pa.string()))
    return pd.Series(looks.to_numpy(zero_copy_only=False), index=values.index, dtype=object)


def _folded(text: pa.Array) -> pa.Array:
    normal = pc.utf8_normalize(text, form="NFKC")
    if len(normal) == 0 or normal.buffers()[2] is None:
        return normal
    # One pass of Arrow's kernel per look-alike letter the ids hold, found among the
    # characters of all their text at once.
    held = set(normal.buffers()[2].to_pybytes().decode("utf-8", errors="replace"))
    for letter in held & LOOK_ALIKE.keys():
        normal = pc.replace_substring(normal, letter, LOOK_ALIKE[letter])
    return normal


def confusable_ids(values: pd.Series) -> list[tuple[str, str, int, int]]:
    """The pairs of distinct ids of ``values`` that look alike, each with the positions of their first rows.

    Vectorised on Arrow: only ids outside ASCII are folded, and only those that fold to
    another text (``u２``, not ``ø7``) can look like another id; the ids they fold to are
    then looked up among all ids at once, so a million ids take about a second.

    Parameters
    ----------
    values : pandas.Series
        One id column (``str``, missing ``None``), in row order.

    Returns
    -------
    list of (str, str, int, int)
        ``(first, second, first_position, second_position)`` per pair, the first id the
        one whose first row comes first; pairs in the order of their second id's row.
        Three ids that look alike make two pairs, each with the first of them.

    Examples
    --------
    >>> confusable_ids(pd.Series(["u1", "u２", "u2", "ｕ2", None]))
    [('u２', 'u2', 1, 2), ('u２', 'ｕ2', 1, 3)]
    """
    text = pa.array(values.astype(object), pa.string())
    odd = pc.fill_null(pc.match_substring_regex(text, r"[^\x00-\x7f]"), False)
    if not pc.any(odd).as_py():
        return []
    odd_positions = pc.indices_nonzero(odd)
    odd_text = pc.take(text, odd_positions)
    odd_looks = _folded(odd_text)
    changes = pc.not_equal(odd_looks, odd_text)
    if not pc.any(changes).as_py():
        return []
    changed = pd.DataFrame({"position": pc.filter(odd_positions, changes).to_numpy(),
                            "id": pc.filter(odd_text, changes).to_numpy(zero_copy_only=False),
                            "looks": pc.filter(odd_looks, changes).to_numpy(zero_copy_only=False)})
    # Ids that fold to themselves look alike only the ids that fold to them.
    alike = pc.indices_nonzero(pc.fill_null(pc.is_in(text, value_set=pa.array(changed["looks"].unique())), False))
    same = pc.take(text, alike).to_numpy(zero_copy_only=False)
    group = pd.concat([changed, pd.DataFrame({"position": alike.to_numpy(), "id": same, "looks": same})])
    group = group.sort_values("position", kind="stable").drop_duplicates("id")
    group = group[group.groupby("looks", sort=False)["id"].transform("size") > 1]
    first = group.groupby("looks", sort=False)[["id", "position"]].transform("first")
    later = (group["position"] != first["position"]).to_numpy()
    pairs = zip(first["id"][later], group["id"][later], first["position"][later], group["position"][later])
    return [(a, b, int(position_a), int(position_b)) for a, b, position_a, position_b in pairs]


def _look_alike_characters(value: str) -> list[str]:
    """The characters of ``value`` that fold to others, as ``U+0425``."""
    return [f"U+{ord(c):04X}" for c in value if folded(pd.Series([c])).iat[0] != c]


def shown_pair_value(value: str, line: str) -> str:
    """One id of a pair as a warning shows it: ``Х1 (line 5, U+0425)``; never a national-id-like value.

    Examples
    --------
    >>> shown_pair_value("Х1", "line 5"), shown_pair_value("u1", "line 2")
    ('Х1 (line 5, U+0425)', 'u1 (line 2)')
    """
    looks = folded(pd.Series([value])).iat[0]
    if looks_like_national_id(value) or looks_like_national_id(looks):
        return f"a value that looks like a national identity number ({line})"
    marks = _look_alike_characters(value)
    return f"{shown_value(value)} ({', '.join([line, *marks])})"
