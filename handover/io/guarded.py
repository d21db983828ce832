"""Reading a dataset for analysis: validated, refused when it holds national identity numbers, focused.

Every command that analyses a dataset reads it through :func:`read_guarded`, so the
identifier guard (:func:`handover.privacy.identifiers.refuse_identifiers`) sits in one
place, and its message names the file and the line of the first such value; so does the
focus on some agencies' users (``--agency``, :func:`handover.io.focus.focus_on_agencies`).
"""

from __future__ import annotations

from pathlib import Path

from handover.errors import InputError
from handover.io.dataset import locate_rows, read_dataset
from handover.io.focus import focus_on_agencies
from handover.io.options import ReadOptions
from handover.model import Dataset
from handover.privacy.identifiers import Locate, refuse_identifiers

__all__ = ["read_guarded", "file_locator"]


def read_guarded(
    data_dir: Path,
    *,
    reading: ReadOptions | None = None,
    allow_identifiers: bool = False,
) -> Dataset:
    """Read and validate ``data_dir`` for a command, refusing national identity numbers.

    The whole dataset is validated and guarded; then, when ``reading.agencies`` names
    agencies, it is focused on their users.

    Parameters
    ----------
    data_dir : Path
        The dataset: a folder, or one workbook.
    reading : ReadOptions, optional
        How to read it (separator, encoding, date format, mapping, focus).
    allow_identifiers : bool, default False
        ``--allow-identifiers``: accept user and staff ids that look like national
        identity numbers.

    Returns
    -------
    Dataset

    Raises
    ------
    InputError
        When the dataset is broken, or its user or staff ids look like national identity
        numbers and ``allow_identifiers`` is false; when ``reading.agencies`` names an
        agency the dataset does not have.

    Examples
    --------
    >>> import tempfile
    >>> from handover.examples import tiny_dataset
    >>> from handover.io.write import write_dataset_folder
    >>> folder = write_dataset_folder(tiny_dataset(), Path(tempfile.mkdtemp()) / "data")
    >>> sorted(read_guarded(folder).tables)[:3]
    ['agencies', 'episodes', 'plans']
    >>> read_guarded(folder, reading=ReadOptions(agencies=("a2",)))["users"]["user_id"].tolist()
    ['u1', 'u3']
    """
    reading = reading or ReadOptions()
    dataset = read_dataset(data_dir, options=reading)
    refuse_identifiers(dataset, allow_identifiers, locate=file_locator(data_dir, reading))
    return focus_on_agencies(dataset, reading.agencies)


def file_locator(folder: Path, reading: ReadOptions | None = None) -> Locate:
    """``locate(table, position)``: the file and line of a row of ``folder``'s tables.

    For messages about rows found after reading; each call reads the table's file
    again, so it is meant for the rare case where something is to be reported.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "users.csv").write_text("user_id\\nu1\\n\\nu2\\n")
    >>> file_locator(folder)("users", 1)
    ('users.csv', 'line 4')
    """
    def locate(table: str, position: int) -> tuple[str, str]:
        try:
            located = locate_rows(folder, table, options=reading)
        except InputError:
            located = None
        if located is not None and position < len(located[2]):
            file, label, lines = located
            return file, f"{label} {int(lines[position])}"
        return table, f"row {position + 1}"

    return locate
