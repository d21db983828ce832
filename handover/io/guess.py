"""``handover mapping init``: a first mapping file, guessed from an export's sheets and headers.

Every sheet (or file) of the export is matched to a contract table by its name (or, when
the name says nothing, by its headers), every header to a contract column, and every
code of a closed vocabulary to a contract value, with the built-in Norwegian vocabulary
of :mod:`handover.io.norwegian`; the format of text dates is told from the date columns.
Each guess is written with a ``# guess`` mark for the analyst to check, and what could
not be guessed is written as a commented line to fill in. Only headers, sheet names,
the codes of vocabulary columns and the shape of dates are read: never names, ids or
free text, which the file would otherwise carry into a mapping meant to be shared.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "Ansvar.csv").write_text("BrukerID;Rolle;Fra\\nu1;Koordinator;05.01.2024\\n", encoding="utf-8")
>>> text = guess_mapping(folder, sep=";")
>>> print("\\n".join(line for line in text.splitlines() if line and not line.startswith("#")))
date_format = "DD.MM.YYYY"  # guess: the text dates of the date columns (1 of them) read so
[responsibilities]
source = "Ansvar"  # guess
[responsibilities.columns]
user_id = "BrukerID"  # guess
role = "Rolle"  # guess
start = "Fra"  # guess
[responsibilities.values.role]
"Koordinator" = "coordinator"  # guess
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from handover import __version__
from handover.errors import InputError, Violation
from handover.io.csvfile import read_csv
from handover.io.dates import ISO, detect_format
from handover.io.norwegian import guess_column, guess_table, guess_value
from handover.io.parquetfile import read_parquet
from handover.io.raw import stripped
from handover.io.text import usable_encoding
from handover.io.xlsxfile import WorkbookProblem, read_sheet, workbook_sheets
from handover.model import TABLES, VOCABULARIES, ColumnKind

__all__ = ["guess_mapping"]

# More distinct values than this in a "vocabulary" column: it is no column of codes.
_MAX_CODES = 60


@dataclass
class _Sheet:
    """One sheet or file of the export, as read: its name, headers and columns."""

    label: str
    name: str
    header: list[str]
    columns: list[pa.ChunkedArray]
    table: str | None = None
    by_headers: bool = False
    columns_of: dict[str, str] = field(default_factory=dict)  # contract column -> header


def _toml(text: str) -> str:
    """``text`` as a TOML basic string."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in escaped)
    return f'"{escaped}"'


def _sheets(source: Path, sep: str, encoding: str) -> tuple[list[_Sheet], list[str]]:
    """Every sheet and file of ``source`` with its headers and columns; what could not be read."""
    found, unreadable = [], []

    def add(label: str, name: str, read, violations: list[Violation]) -> None:
        if read is None:
            unreadable.append(f"{label}: " + "; ".join(v.rule for v in violations[:1]) if violations else label)
            return
        header, columns, _, _ = read
        found.append(_Sheet(label, name, header, columns))

    def workbook(path: Path) -> None:
        try:
            names = workbook_sheets(path)
        except WorkbookProblem as err:
            unreadable.append(f"{path.name}: {err}")
            return
        for sheet in names:
            violations: list[Violation] = []
            add(f"{path.name}, sheet {sheet}", sheet, read_sheet(path, sheet, (), violations), violations)

    if not source.exists():
        raise InputError(f"not found: {source}")
    if source.is_file():
        if source.suffix.lower() != ".xlsx":
            raise InputError(f"{source}: give a folder of exported files or one .xlsx workbook")
        workbook(source)
        return found, unreadable
    for path in sorted(p for p in source.iterdir() if p.is_file()):
        kind = path.suffix.lower()
        violations = []
        if kind == ".xlsx":
            workbook(path)
        elif kind == ".csv":
            add(path.name, path.stem, read_csv(path, (), sep, encoding, violations), violations)
        elif kind == ".parquet":
            add(path.name, path.stem, read_parquet(path, violations), violations)
    return found, unreadable


def _match(sheet: _Sheet) -> None:
    """Guess the sheet's table (by name, else by headers) and which header is which column."""
    sheet.table = guess_table(sheet.name)
    if sheet.table is None:
        scores = {table: sum(guess_column(table, h) is not None for h in sheet.header if h) for table in TABLES}
        best = max(scores, key=scores.get)
        if scores[best] >= 2 and TABLES[best].primary_key in {guess_column(best, h) for h in sheet.header if h}:
            sheet.table, sheet.by_headers = best, True
    if sheet.table is None:
        return
    for header in sheet.header:
        column = guess_column(sheet.table, header) if header else None
        if column is not None and column not in sheet.columns_of:
            sheet.columns_of[column] = header


def _values(sheet: _Sheet, header: str) -> list[str] | None:
    """The distinct stripped values of a column, or ``None`` when too many to be codes."""
    values = stripped(sheet.columns[sheet.header.index(header)])
    distinct = pc.unique(pc.drop_null(values))
    texts = sorted({v for v in distinct.to_pylist() if v})
    return None if len(texts) > _MAX_CODES else texts


def _date_format(sheets: list[_Sheet]) -> tuple[str | None, str]:
    texts, columns = [], 0
    for sheet in sheets:
        for column, header in sheet.columns_of.items():
            if TABLES[sheet.table].column(column).kind is ColumnKind.DATE:
                columns += 1
                values = stripped(sheet.columns[sheet.header.index(header)]).to_pandas()
                texts.append(values[values.notna()])
    if not texts:
        return None, ""
    every = pd.concat(texts, ignore_index=True).astype("string[pyarrow]")
    text_dates = every[~every.str.fullmatch(r"\d{4}-\d{2}-\d{2}.*").fillna(False)]
    chosen, ambiguous = detect_format(every)
    if ambiguous is not None:
        value, one, other = ambiguous
        return None, (f"# ? date_format = \"DD/MM/YYYY\"  # not guessed: dates such as {value} read two ways "
                      f"({one} as DD/MM/YYYY, {other} as MM/DD/YYYY)")
    if chosen is None or chosen == ISO:
        return None, ""
    return chosen, f"  # guess: the text dates of the date columns ({len(text_dates)} of them) read so"


def guess_mapping(source: str | Path, *, sep: str = ",", encoding: str = "utf-8") -> str:
    """A first ``mapping.toml`` for the export ``source`` (a folder of files, or one workbook).

    Returns
    -------
    str
        The file's text: every guess marked ``# guess``, every unguessed required column
        and code as a commented line to fill in. ``read_mapping`` reads it as it is.

    Raises
    ------
    InputError
        When ``source`` is neither a folder nor a workbook, or no sheet or file of it can be read.
    """
    source = Path(source)
    sheets, unreadable = _sheets(source, sep, usable_encoding(encoding))
    if not sheets:
        raise InputError(f"{source}: no sheet or file could be read"
                         + (f" ({'; '.join(unreadable)})" if unreadable else ""))
    for sheet in sheets:
        _match(sheet)
    chosen: dict[str, _Sheet] = {}
    for sheet in sheets:
        if sheet.table is None:
            continue
        held = chosen.get(sheet.table)
        if held is None or len(sheet.columns_of) > len(held.columns_of):
            chosen[sheet.table] = sheet
    lines = [
        f"# A mapping for {source.name}, drafted by `handover mapping init` (handover {__version__}) on "
        f"{dt.date.today().isoformat()}.",
        "# Every line marked `# guess` is a guess from handover's Norwegian vocabulary: check each one.",
        "# Lines starting with `# ?` were found but not guessed: fill them in (and remove the `# ? `), or delete them.",
        "# The format: docs/data.md (`handover vocabulary` lists the contract's values).",
        "",
    ]
    date_format, note = _date_format(list(chosen.values()))
    if date_format is not None:
        lines.append(f"date_format = {_toml(date_format)}{note}")
    elif note:
        lines.append(note)
    for table in TABLES:
        sheet = chosen.get(table)
        if sheet is None:
            if table in ("agencies", "users", "responsibilities"):
                lines += ["", f"# ? [{table}]  # required, but no sheet or file was guessed to be it: "
                              f"add a section with source = \"...\""]
            continue
        how = f"  # guess (by its headers: {sheet.name} is no table's name)" if sheet.by_headers else "  # guess"
        lines += ["", f"[{table}]", f"source = {_toml(sheet.name)}{how}", f"[{table}.columns]"]
        for column in TABLES[table].column_names:
            header = sheet.columns_of.get(column)
            if header is not None:
                lines.append(f"{column} = {_toml(header)}  # guess")
            elif TABLES[table].column(column).required:
                headers = ", ".join(h for h in sheet.header if h)
                lines.append(f"# ? {column} = \"?\"  # required: no header guessed (the headers: {headers})")
        unused = [h for h in sheet.header if h and h not in sheet.columns_of.values()]
        if unused:
            lines.append(f"# not used: {', '.join(unused)}")
        for column, header in sheet.columns_of.items():
            spec = TABLES[table].column(column)
            if spec.kind is not ColumnKind.VOCAB:
                continue
            codes = _values(sheet, header)
            allowed = VOCABULARIES[spec.vocabulary]
            if codes is None:
                lines.append(f"# {header}: more than {_MAX_CODES} different values, so no codes were read")
                continue
            foreign = [c for c in codes if c not in allowed]
            if not foreign:
                continue
            lines.append(f"[{table}.values.{column}]")
            for code in foreign:
                guessed = guess_value(spec.vocabulary, code)
                if guessed is not None:
                    lines.append(f"{_toml(code)} = {_toml(guessed)}  # guess")
                else:
                    lines.append(f"# ? {_toml(code)} = \"?\"  # not guessed: one of {', '.join(allowed)}")
    others = [s.label for s in sheets if chosen.get(s.table) is not s]
    if others or unreadable:
        lines += ["", "# Found and not mapped: " + ", ".join(others + unreadable)]
    return "\n".join(lines) + "\n"
