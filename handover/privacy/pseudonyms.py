"""Pseudonymising a dataset: keyed pseudonyms for people, person-level free text dropped.

:func:`pseudonymize_folder` reads (and validates) a dataset folder and writes a copy in
which every ``user_id`` (and, on request, every ``staff_id``) is replaced by a keyed
pseudonym, the same in every table, so that every finding on the copy is the finding on
the original with the ids replaced.

Pseudonyms
    ``u_`` (users) or ``s_`` (staff) followed by the first 16 hexadecimal digits (64
    bits) of HMAC-SHA256 over the id, keyed by a secret key and separated by kind, so
    that a user and a staff member with the same id get different pseudonyms. The
    same key and id always give the same pseudonym: deliveries made months apart
    with one key can be joined, and the data owner, who holds the key and the
    original ids, can find the person behind a pseudonym by recomputing it. Without
    the key a pseudonym cannot be recomputed from a guessed id (a plain hash of an
    11-digit number could, by trying every birth date).

Collisions
    Two different ids could get the same 64-bit pseudonym; for a million ids the
    chance is about 3 in 100 million. It is checked on every run: a collision is
    refused with a message (nothing is written), never resolved silently, since
    silently merging two people would change the findings.

What else changes
    Person-level free text and quasi-identifiers are dropped unless ``keep_text``:
    ``responsibilities.reason`` (free text about a user's case), ``users.municipality``
    (with the birth year it can single out a user in a small municipality), and, when
    staff are pseudonymised, ``staff.profession`` (the only psychologist of a small
    service is a person). Agency and service names and municipalities stay: they name
    organisations, which the findings are about. Columns outside the data contract are
    never copied (the reader drops them). Record ids (``plan_id``, ``episode_id``,
    ``contact_id``), dates and birth years are kept as they are.

The key file holds the key's bytes as they are. When it does not exist, a new one with
32 random bytes is made, readable by its owner only (mode 0600). The key is never
printed, logged or written anywhere else.

Examples
--------
>>> pseudonym(b"k" * 32, "user", "u1")
'u_37e29fe4e8eac8af'
>>> pseudonym(b"k" * 32, "staff", "u1") != pseudonym(b"k" * 32, "user", "u1")
True
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import shutil
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from handover.errors import HandoverError, InputError
from handover.model import TABLES, ColumnKind, Dataset

__all__ = [
    "KEY_BYTES", "PSEUDONYM_DIGITS", "PseudonymizeSummary", "pseudonym", "read_or_create_key",
    "pseudonymize_dataset", "write_dataset_folder", "pseudonymize_folder",
]

#: Bytes of a new key.
KEY_BYTES = 32
#: Hexadecimal digits of HMAC-SHA256 kept in a pseudonym (64 bits).
PSEUDONYM_DIGITS = 16
_MIN_KEY_BYTES = 16
_PREFIX = {"user": "u_", "staff": "s_"}
_ID_COLUMN = {"user": "user_id", "staff": "staff_id"}
#: Columns dropped without ``keep_text``; ``staff.profession`` only when staff are pseudonymised.
PERSON_TEXT = ("responsibilities.reason", "users.municipality")
STAFF_TEXT = ("staff.profession",)


@dataclass(frozen=True)
class PseudonymizeSummary:
    """What :func:`pseudonymize_folder` did (no ids, no key)."""

    folder: Path
    users: int
    staff: int | None  # None when staff ids were kept
    dropped: tuple[str, ...]  # "table.column"
    key_created: bool
    key_exposed: bool  # the key file is readable by group or others


def pseudonym(key: bytes, kind: str, value: str, digits: int = PSEUDONYM_DIGITS) -> str:
    """The pseudonym of id ``value`` of ``kind`` (``"user"`` or ``"staff"``) under ``key``.

    Examples
    --------
    >>> key = bytes(32)
    >>> pseudonym(key, "user", "007") == pseudonym(key, "user", "007")
    True
    >>> pseudonym(key, "user", "007") == pseudonym(b"another key.....", "user", "007")
    False
    >>> len(pseudonym(key, "staff", "st1"))
    18
    """
    mac = hmac.new(key, f"{kind}\x00{value}".encode("utf-8"), hashlib.sha256)
    return _PREFIX[kind] + mac.hexdigest()[:digits]


def read_or_create_key(path: Path) -> tuple[bytes, bool]:
    """The key in ``path``, made (32 random bytes, mode 0600) when the file does not exist.

    Returns
    -------
    (bytes, bool)
        The key, and whether it was just made.

    Raises
    ------
    InputError
        When ``path`` is a folder, unreadable, or holds fewer than 16 bytes.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "handover.key"
    >>> key, made = read_or_create_key(path)
    >>> len(key), made, oct(path.stat().st_mode & 0o777)
    (32, True, '0o600')
    >>> read_or_create_key(path) == (key, False)
    True
    """
    path = Path(path)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    except OSError as err:
        raise InputError(f"cannot create the key file {path}: {err.strerror or err}") from None
    else:
        key = secrets.token_bytes(KEY_BYTES)
        try:
            os.write(fd, key)
            os.fsync(fd)
        finally:
            os.close(fd)
        return key, True
    if path.is_dir():
        raise InputError(f"--key-file {path} is a folder; give the path of a key file")
    try:
        key = path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read the key file {path}: {err.strerror or err}") from None
    if len(key) < _MIN_KEY_BYTES:
        raise InputError(f"the key file {path} holds {len(key)} bytes; a key needs at least "
                         f"{_MIN_KEY_BYTES} (give the path of a file that does not exist yet to "
                         f"have a new {KEY_BYTES}-byte key made)")
    return key, False


def _key_exposed(path: Path) -> bool:
    try:
        return bool(stat.S_IMODE(path.stat().st_mode) & 0o077)
    except OSError:
        return False


def _mapping(values: pd.Series, key: bytes, kind: str, digits: int) -> dict[str, str]:
    originals = pd.unique(values.dropna())
    mapping = {value: pseudonym(key, kind, value, digits) for value in originals}
    if len(set(mapping.values())) != len(mapping):
        raise HandoverError(
            f"two different {_ID_COLUMN[kind]} values got the same pseudonym under this key "
            f"(a collision of the {digits * 4}-bit pseudonyms: for a million ids, about 3 runs in "
            "100 million); nothing was written. Make a new key file (all pseudonyms then change) "
            "and run again")
    return mapping


def pseudonymize_dataset(
    dataset: Dataset,
    key: bytes,
    *,
    staff: bool = False,
    keep_text: bool = False,
    digits: int = PSEUDONYM_DIGITS,
) -> tuple[Dataset, dict[str, int], tuple[str, ...]]:
    """Replace ids by pseudonyms in every table of ``dataset``; drop person-level text.

    Parameters
    ----------
    dataset : Dataset
        A validated dataset (:func:`handover.io.read_dataset`).
    key : bytes
        The secret key.
    staff : bool, default False
        Pseudonymise ``staff_id`` too (and drop ``staff.profession``).
    keep_text : bool, default False
        Keep ``responsibilities.reason``, ``users.municipality`` and ``staff.profession``.
    digits : int, default 16
        Hexadecimal digits per pseudonym.

    Returns
    -------
    (Dataset, dict, tuple of str)
        The new dataset; how many distinct ids of each kind were replaced
        (``{"user": n, "staff": m}``); the columns dropped, as ``table.column``.

    Raises
    ------
    HandoverError
        When two ids get the same pseudonym.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> copy, counts, dropped = pseudonymize_dataset(tiny_dataset(), bytes(32))
    >>> counts, dropped
    ({'user': 3}, ('responsibilities.reason', 'users.municipality'))
    >>> bool(copy["users"]["user_id"].str.match(r"u_[0-9a-f]{16}$").all())
    True
    """
    kinds = ("user", "staff") if staff else ("user",)
    counts: dict[str, int] = {}
    mappings: dict[str, dict[str, str]] = {}
    for kind in kinds:
        column = _ID_COLUMN[kind]
        values = pd.concat([frame[column] for frame in dataset.tables.values() if column in frame.columns],
                           ignore_index=True)
        mappings[column] = _mapping(values, key, kind, digits)
        counts[kind] = len(mappings[column])
    dropped = () if keep_text else PERSON_TEXT + (STAFF_TEXT if staff else ())
    tables = {}
    for name, frame in dataset.tables.items():
        out = frame.copy()
        for column, mapping in mappings.items():
            if column in out.columns:
                out[column] = out[column].map(mapping, na_action="ignore").astype(object)
        out = out.drop(columns=[c.split(".")[1] for c in dropped if c.split(".")[0] == name])
        tables[name] = out
    dropped = tuple(c for c in dropped if c.split(".")[0] in dataset.tables)
    return Dataset(tables, source=dataset.source), counts, dropped


def write_dataset_folder(dataset: Dataset, out_dir: Path) -> Path:
    """Write ``dataset`` as one CSV per table into ``out_dir``, all at once or not at all.

    The tables are written into a new folder beside ``out_dir`` (readable by its owner
    only) that is renamed to ``out_dir`` when complete; an existing ``out_dir`` is
    replaced only when it holds nothing but dataset tables. CSV is UTF-8 with ``,``,
    dates ``YYYY-MM-DD``, missing values empty.

    Raises
    ------
    InputError
        When ``out_dir`` exists and is not a folder of dataset tables.

    Examples
    --------
    >>> import tempfile
    >>> from handover.examples import tiny_dataset
    >>> from handover.io import read_dataset
    >>> out = write_dataset_folder(tiny_dataset(), Path(tempfile.mkdtemp()) / "copy")
    >>> sorted(read_dataset(out).tables) == sorted(tiny_dataset().tables)
    True
    """
    out_dir = Path(out_dir)
    _check_replaceable(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".tmp", dir=out_dir.parent))
    try:
        for name, frame in dataset.tables.items():
            _table_csv(name, frame).to_csv(staging / f"{name}.csv", index=False, lineterminator="\n")
        if out_dir.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".old", dir=out_dir.parent))
            os.replace(out_dir, retired / out_dir.name)
            os.replace(staging, out_dir)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.replace(staging, out_dir)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return out_dir


def _check_replaceable(out_dir: Path) -> None:
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise InputError(f"OUT_DIR {out_dir} is a file; give a folder (new or holding only a dataset)")
    tables = {f"{name}.{ext}" for name in TABLES for ext in ("csv", "parquet")}
    others = [p.name for p in out_dir.iterdir() if p.name not in tables]
    if others:
        raise InputError(f"OUT_DIR {out_dir} holds files other than dataset tables (such as "
                         f"{sorted(others)[0]}); give a new folder, or one holding only a dataset, "
                         "which is then replaced")


def _table_csv(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in TABLES[name].columns:
        if column.name in out.columns and column.kind is ColumnKind.DATE:
            out[column.name] = out[column.name].dt.strftime("%Y-%m-%d")
    return out


def pseudonymize_folder(
    data_dir: Path,
    out_dir: Path,
    key_file: Path,
    *,
    staff: bool = False,
    keep_text: bool = False,
    sep: str = ",",
    encoding: str = "utf-8",
) -> PseudonymizeSummary:
    """Read ``data_dir``, pseudonymise it and write it to ``out_dir`` (see the module).

    Parameters
    ----------
    data_dir : Path
        The dataset folder; it is validated first, and nothing is written when it is
        not valid.
    out_dir : Path
        Where the pseudonymised dataset goes: a new folder, or one holding only a
        dataset (replaced). Neither inside ``data_dir`` nor holding it.
    key_file : Path
        The secret key; made when it does not exist. Must not lie inside ``out_dir``.
    staff, keep_text : bool
        As for :func:`pseudonymize_dataset`.
    sep, encoding : str
        How ``data_dir``'s CSV files are written; the output is always UTF-8 with ``,``.

    Returns
    -------
    PseudonymizeSummary

    Raises
    ------
    InputError
        For a broken dataset, unusable folders or key file, or staff ids that look like
        national identity numbers while ``staff`` is false.
    HandoverError
        When two ids get the same pseudonym.

    Examples
    --------
    >>> import tempfile
    >>> from handover.examples import tiny_dataset
    >>> from handover.io import read_dataset
    >>> root = Path(tempfile.mkdtemp())
    >>> data = write_dataset_folder(tiny_dataset(), root / "data")
    >>> summary = pseudonymize_folder(data, root / "out", root / "key")
    >>> summary.users, summary.key_created, summary.dropped
    (3, True, ('responsibilities.reason', 'users.municipality'))
    >>> len(read_dataset(root / "out")["users"])
    3
    """
    from handover.privacy.identifiers import find_identifiers
    from handover.io import read_dataset

    data_dir, out_dir, key_file = Path(data_dir), Path(out_dir), Path(key_file)
    _check_folders(data_dir, out_dir, key_file)
    dataset = read_dataset(data_dir, sep=sep, encoding=encoding)
    if not staff:
        flagged = [hit for hit in find_identifiers(dataset, columns=("staff_id",))]
        if flagged:
            places = ", ".join(f"{hit.table} ({hit.count})" for hit in flagged)
            raise InputError(f"staff_id values look like national identity numbers in {places}; "
                             "add --staff to pseudonymise staff ids too (nothing was written)")
    exposed_before = key_file.exists() and _key_exposed(key_file)
    key, created = read_or_create_key(key_file)
    copy, counts, dropped = pseudonymize_dataset(dataset, key, staff=staff, keep_text=keep_text)
    write_dataset_folder(copy, out_dir)
    return PseudonymizeSummary(out_dir, counts["user"], counts.get("staff"), dropped, created,
                               exposed_before)


def _check_folders(data_dir: Path, out_dir: Path, key_file: Path) -> None:
    data, out, key = data_dir.resolve(), out_dir.resolve(), key_file.resolve()
    if out == data or data in out.parents or out in data.parents:
        raise InputError(f"OUT_DIR {out_dir} must be a folder apart from DATA_DIR {data_dir} "
                         "(neither inside the other)")
    if out in key.parents:
        raise InputError(f"the key file {key_file} lies inside OUT_DIR {out_dir}; keep the key "
                         "apart from the pseudonymised data, or the pseudonyms can be undone by "
                         "whoever receives it")
