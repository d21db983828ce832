"""``handover pseudonymize``: a dataset folder copied with keyed pseudonyms for its people.

:func:`pseudonymize_folder` reads (and validates) a dataset folder and writes a copy in
which every ``user_id`` (and, on request, every ``staff_id``) is replaced by its keyed
pseudonym (:mod:`handover.privacy.pseudonyms` says how, and what else is dropped).
"""

from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path

from handover.errors import InputError
from handover.io import read_dataset
from handover.io.options import ReadOptions
from handover.io.write import write_dataset_folder
from handover.privacy.identifiers import find_identifiers
from handover.privacy.pseudonyms import check_key_file, pseudonymize_dataset, read_or_create_key

__all__ = ["PseudonymizeSummary", "pseudonymize_folder"]


@dataclass(frozen=True)
class PseudonymizeSummary:
    """What :func:`pseudonymize_folder` did (no ids, no key)."""

    folder: Path
    users: int
    staff: int | None  # None when staff ids were kept
    dropped: tuple[str, ...]  # "table.column"
    key_created: bool
    key_exposed: bool  # the key file is readable by group or others


def pseudonymize_folder(
    data_dir: Path,
    out_dir: Path,
    key_file: Path,
    *,
    staff: bool = False,
    keep_text: bool = False,
    reading: ReadOptions | None = None,
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
    reading : ReadOptions, optional
        How ``data_dir`` is read (separator, encoding, date format, mapping); the output
        is always the contract's tables as UTF-8 CSV with ``,``.

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
    data_dir, out_dir, key_file = Path(data_dir), Path(out_dir), Path(key_file)
    _check_folders(data_dir, out_dir, key_file)
    check_key_file(key_file)  # before the data are read: refused at once
    dataset = read_dataset(data_dir, options=reading)
    if not staff:
        flagged = find_identifiers(dataset, columns=("staff_id",))
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


def _key_exposed(path: Path) -> bool:
    try:
        return bool(stat.S_IMODE(path.stat().st_mode) & 0o077)
    except OSError:
        return False
