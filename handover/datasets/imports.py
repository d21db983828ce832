"""``handover import tables``: an export read once through its mapping, written as a contract dataset.

Reading a workbook through a mapping on every command is slower than reading the
contract's CSV files; importing once writes the tables as the contract has them (CSV
or Parquet), so later commands read them fast, together with ``import-report.md``:
where each table came from, how many rows were read and skipped, which columns were not
used, which export values were mapped to which contract values, and how text dates were
read. Nothing is written when the export is refused: the whole import is checked first,
exactly as every command checks a dataset, and written all at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow.compute as pc

from handover import __version__
from handover.errors import DatasetError
from handover.io.dataset import read_tables
from handover.io.focus import focus_on_agencies
from handover.io.guarded import file_locator
from handover.io.options import ReadOptions
from handover.io.raw import RawTable
from handover.io.write import write_dataset_folder
from handover.model import Dataset
from handover.privacy.identifiers import refuse_identifiers

__all__ = ["ImportSummary", "import_tables", "import_report"]

REPORT = "import-report.md"


@dataclass(frozen=True)
class ImportSummary:
    """What :func:`import_tables` wrote."""

    folder: Path
    rows: dict[str, int]
    mapped: int  # cells whose value the mapping translated
    report: str  # the text of import-report.md


def import_tables(source: Path, out_dir: Path, *, reading: ReadOptions | None = None, fmt: str = "csv",
                  allow_identifiers: bool = False) -> ImportSummary:
    """Read ``source`` through ``reading`` (its mapping, date format) and write it as a dataset.

    Parameters
    ----------
    source : Path
        The export: a folder of files, or one ``.xlsx`` workbook.
    out_dir : Path
        Where the dataset goes: a new folder, or one holding only a dataset (replaced).
    reading : ReadOptions, optional
        How to read the export (separator, encoding, date format, mapping). With
        ``reading.agencies`` only the users of those agencies are written
        (:func:`handover.io.focus.focus_on_agencies`), and the report says so.
    fmt : {"csv", "parquet"}
        How the tables are written.
    allow_identifiers : bool
        Accept user and staff ids that look like national identity numbers.

    Returns
    -------
    ImportSummary

    Raises
    ------
    DatasetError
        Every problem of the export, located in the export's own terms; nothing is written.
    InputError
        Unusable options or folders; ids that look like national identity numbers.

    Examples
    --------
    >>> import tempfile
    >>> from handover.examples import tiny_dataset
    >>> from handover.io.write import write_dataset_folder
    >>> root = Path(tempfile.mkdtemp())
    >>> export = write_dataset_folder(tiny_dataset(), root / "export")
    >>> summary = import_tables(export, root / "dataset", fmt="parquet")
    >>> summary.rows["users"], sorted(p.name for p in summary.folder.iterdir())[:2]
    (3, ['agencies.parquet', 'episodes.parquet'])
    """
    reading = reading or ReadOptions()
    violations, frames, raws, unused = read_tables(source, reading)
    if violations:
        raise DatasetError(violations)
    whole = Dataset(frames, source=str(source))
    refuse_identifiers(whole, allow_identifiers, locate=file_locator(Path(source), reading))
    dataset = focus_on_agencies(whole, reading.agencies)
    text = import_report(Path(source), raws, unused, reading, fmt, Path(out_dir), focus=_focus_lines(whole, dataset))
    folder = write_dataset_folder(dataset, Path(out_dir), fmt=fmt, extra={REPORT: text})
    mapped = sum(int(pc.sum(pc.not_equal(raw.original[c], raw.cells[c])).as_py() or 0)
                 for raw in raws.values() for c in raw.original)
    return ImportSummary(folder, {name: len(frame) for name, frame in dataset.tables.items()}, mapped, text)


def _focus_lines(whole: Dataset, focused: Dataset) -> list[str]:
    """The report's lines on ``--agency``: whose rows were written, and the day the export describes."""
    if not focused.focus:
        return []
    ids = ", ".join(f"`{agency}`" for agency in focused.focus)
    latest = whole.latest_date()
    lines = [f"- Focused on agenc{'y' if len(focused.focus) == 1 else 'ies'} {ids}: "
             f"{len(focused.get('users'))} of {len(whole.get('users'))} users, with all their rows "
             "(also at other agencies); the other users' rows were not written"]
    if latest is not None:
        lines.append(f"- The whole export describes {latest.date().isoformat()}; give "
                     f"`--as-of {latest.date().isoformat()}` when reading this dataset, whose own "
                     "latest date may be earlier")
    return lines


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _mapped_values(raw: RawTable) -> list[tuple[str, str, str, int]]:
    rows = []
    for column, original in raw.original.items():
        frame = pd.DataFrame({"export": original.to_pandas(), "contract": raw.cells[column].to_pandas()})
        frame = frame[frame["export"].notna() & (frame["export"] != frame["contract"])]
        for (export, contract), count in frame.value_counts(["export", "contract"], sort=False).sort_index().items():
            rows.append((f"{raw.table.name}.{column}", export, contract, int(count)))
    return rows


def import_report(source: Path, raws: dict[str, RawTable], unused: list[str], reading: ReadOptions,
                  fmt: str, out_dir: Path, focus: list[str] | None = None) -> str:
    """The text of ``import-report.md``: what was read from where, mapped, skipped and not used.

    ``focus`` holds the lines saying which users were written, under ``--agency``.
    """
    mapping = reading.mapping
    lines = [
        "# Import report",
        "",
        f"- Source: `{source.name}`" + (f", read through the mapping `{mapping.name}`" if mapping else ""),
        f"- Written: {dt.date.today().isoformat()} by handover {__version__}, as {fmt} tables into "
        f"`{out_dir.name}`",
        f"- Text dates: {reading.dates}" + (" (each column's format told by its dates)"
                                             if reading.dates == "auto" else ""),
        *(focus or []),
        "",
        "## Tables",
        "",
        "| table | read from | rows | blank rows skipped | columns not used |",
        "|---|---|---:|---:|---|",
    ]
    for name, raw in raws.items():
        where = raw.file if raw.sheet is None else f"{raw.file}, sheet {raw.sheet}"
        lines.append(f"| {name} | {_cell(where)} | {raw.n_rows} | {raw.blank_rows} | "
                     f"{_cell(', '.join(raw.ignored)) or '—'} |")
    values = [row for raw in raws.values() for row in _mapped_values(raw)]
    lines += ["", "## Values mapped", ""]
    if values:
        lines += ["| column | export value | contract value | rows |", "|---|---|---|---:|"]
        lines += [f"| {column} | {_cell(export)} | {contract} | {count} |" for column, export, contract, count in values]
    else:
        lines.append("No value was mapped: every value was already a contract value.")
    formats = [(f"{raw.table.name}.{c}", f) for raw in raws.values() for c, f in raw.date_formats.items()]
    if reading.dates == "auto" and formats:
        lines += ["", "## Date formats told", "", "| column | read as |", "|---|---|"]
        lines += [f"| {column} | {fmt_} |" for column, fmt_ in formats]
    lines += ["", "## Not used", ""]
    lines.append("Found and not used: " + ", ".join(f"`{u}`" for u in unused) + "." if unused
                 else "Every table file and sheet found was used.")
    lines += ["", "## Rows refused", "",
              "None: every row of every table passed every check (an import with a refused row "
              "writes nothing; `handover validate` lists the problems).", ""]
    return "\n".join(lines)
