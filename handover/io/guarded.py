"""Reading a dataset for analysis: validated, refused when it holds national identity numbers, focused.

Every command that analyses a dataset reads it through :func:`read_guarded`, so the
identifier guard (:func:`handover.privacy.identifiers.refuse_identifiers`) sits in one
place, and its message names the file and the line of the first such value; so does the
focus on some agencies' users (``--agency``, :func:`handover.io.focus.focus_on_agencies`).
"""

from __future__ import annotations

from pathlib import Path

from handover.errors import InputError
from handover.io.confusables import MAX_PAIRS, confusable_ids, shown_pair_value
from handover.io.dataset import locate_rows, read_dataset
from handover.io.focus import focus_on_agencies
from handover.io.options import ReadOptions
from handover.model import TABLES, ColumnKind, Dataset
from handover.privacy.identifiers import Locate, refuse_identifiers

__all__ = ["read_guarded", "file_locator", "look_alike_warnings"]


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


def look_alike_warnings(data_dir: Path, dataset: Dataset, reading: ReadOptions | None = None) -> list[str]:
    """Per id column, the ids of ``dataset`` that differ only by characters that look alike.

    The columns are each table's primary key, and the id columns naming a table the
    dataset lacks (``staff_id`` without staff); the look-alikes are those of
    :mod:`handover.io.confusables`. Each warning names the file, the column, and per
    pair both ids with their first lines and the look-alike characters.

    Returns
    -------
    list of str
        One line per column with look-alike ids (without the ``warning:``); empty when none.

    Examples
    --------
    >>> import tempfile
    >>> from handover.examples import tiny_dataset
    >>> from handover.io.write import write_dataset_folder
    >>> folder = write_dataset_folder(tiny_dataset(), Path(tempfile.mkdtemp()) / "data")
    >>> look_alike_warnings(folder, read_guarded(folder))
    []
    """
    warnings = []
    for name, frame in dataset.tables.items():
        table = TABLES[name]
        for column in table.columns:
            unchecked = column.references is not None and column.references not in dataset.tables
            if column.kind is not ColumnKind.ID or column.name not in frame.columns or \
                    not (column.name == table.primary_key or unchecked):
                continue
            pairs = confusable_ids(frame[column.name])
            if pairs:
                warnings.append(_look_alike_warning(data_dir, reading, name, column.name, pairs))
    return warnings


def _look_alike_warning(data_dir: Path, reading: ReadOptions | None, table: str, column: str,
                        pairs: list[tuple[str, str, int, int]]) -> str:
    located = locate_rows(data_dir, table, options=reading)
    file, label, lines = located if located is not None else (table, "row", None)

    def line(position: int) -> str:
        return f"{label} {int(lines[position]) if lines is not None else position + 1}"

    listed = "; ".join(f"{shown_pair_value(a, line(pa))} and {shown_pair_value(b, line(pb))}"
                       for a, b, pa, pb in pairs[:MAX_PAIRS])
    more = f"; and {len(pairs) - MAX_PAIRS} more pairs" if len(pairs) > MAX_PAIRS else ""
    count = f"{len(pairs)} pair{'s' if len(pairs) != 1 else ''}"
    return f"{file} column {column}: ids that differ only by characters that look alike ({count}): {listed}{more}"
