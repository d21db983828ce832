"""Pseudonymising a dataset: keyed pseudonyms for people, person-level free text dropped.

:func:`pseudonymize_dataset` replaces every ``user_id`` (and, on request, every
``staff_id``) of a dataset by a keyed pseudonym, the same in every table, so that every
finding on the copy is the finding on the original with the ids replaced
(``handover pseudonymize``, :func:`handover.datasets.pseudonymize.pseudonymize_folder`,
writes the copy as a folder).

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
import stat
from pathlib import Path

import pandas as pd

from handover.errors import HandoverError, InputError
from handover.model import Dataset

__all__ = ["KEY_BYTES", "KEY_FILE_BYTES", "PSEUDONYM_DIGITS", "check_key_file", "pseudonym",
           "read_or_create_key", "pseudonymize_dataset"]

#: Bytes of a new key.
KEY_BYTES = 32
#: Hexadecimal digits of HMAC-SHA256 kept in a pseudonym (64 bits).
PSEUDONYM_DIGITS = 16
_MIN_KEY_BYTES = 16
#: Bytes a key file may hold (4 KiB): a key is 32; a file far larger is not a key.
KEY_FILE_BYTES = 4096
_PREFIX = {"user": "u_", "staff": "s_"}
_ID_COLUMN = {"user": "user_id", "staff": "staff_id"}
#: Columns dropped without ``keep_text``; ``staff.profession`` only when staff are pseudonymised.
PERSON_TEXT = ("responsibilities.reason", "users.municipality")
STAFF_TEXT = ("staff.profession",)


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

    A missing folder of the key file is made too, readable by its owner only.

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
        if not path.parent.exists():  # a folder for keys, such as ~/keys: readable by its owner only
            path.parent.mkdir(parents=True, mode=0o700)
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
    check_key_file(path)
    try:
        with path.open("rb") as handle:
            key = handle.read(KEY_FILE_BYTES + 1)  # never more, whatever the file became
    except OSError as err:
        raise InputError(f"cannot read the key file {path}: {err.strerror or err}") from None
    if len(key) > KEY_FILE_BYTES:
        raise _too_big(path)
    if len(key) < _MIN_KEY_BYTES:
        raise InputError(f"the key file {path} holds {len(key)} bytes; a key needs at least "
                         f"{_MIN_KEY_BYTES} (give the path of a file that does not exist yet to "
                         f"have a new {KEY_BYTES}-byte key made)")
    return key, False


def check_key_file(path: Path) -> None:
    """Refuse an existing ``path`` that cannot be a key file: not a regular file, or past :data:`KEY_FILE_BYTES`.

    A path that does not exist passes (a new key is made there). Nothing is read: a
    device such as ``/dev/urandom`` would never end, and opening a named pipe waits
    for a writer.

    Raises
    ------
    InputError
        Naming the path and the limit.

    Examples
    --------
    >>> check_key_file(Path("/dev/urandom"))
    Traceback (most recent call last):
    ...
    handover.errors.InputError: --key-file /dev/urandom is not a regular file (a device); give the path of a key file (at most 4096 bytes)
    """
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
    except OSError as err:
        raise InputError(f"cannot read the key file {path}: {err.strerror or err}") from None
    if stat.S_ISDIR(mode):
        raise InputError(f"--key-file {path} is a folder; give the path of a key file")
    if not stat.S_ISREG(mode):
        what = ("a named pipe" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
                else "a device")
        raise InputError(f"--key-file {path} is not a regular file ({what}); give the path of a key "
                         f"file (at most {KEY_FILE_BYTES} bytes)")
    if path.stat().st_size > KEY_FILE_BYTES:
        raise _too_big(path)


def _too_big(path: Path) -> InputError:
    return InputError(f"--key-file {path} is larger than {KEY_FILE_BYTES} bytes (4 KiB), the limit for a "
                      f"key file; a key is {KEY_BYTES} bytes: is this the key file? (give the path of "
                      "a file that does not exist yet to have a new key made)")


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


