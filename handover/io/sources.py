"""Where each table of a dataset is: a file of a folder, or a sheet of a workbook.

A dataset is a folder with one ``<table>.csv``, ``<table>.parquet`` or ``<table>.xlsx``
per table, or one ``.xlsx`` workbook with a sheet per table; a folder may also hold
workbooks whose sheets are tables. Names match without regard to case (``Agencies.CSV``
is ``agencies``). With a mapping, a table is looked for under the name the mapping's
``source`` gives it (``Ansvar`` for responsibilities). A table found twice, a folder
where a file should be, and a required table found nowhere are violations; the last
names the files and sheets that were found and not used.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "Users.CSV").write_text("user_id\\nu1\\n")
>>> found, _ = locate_tables(folder, None, [])
>>> found["users"].label, found["users"].kind
('Users.CSV', 'csv')
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from handover.errors import InputError, Violation
from handover.io.mapping import Mapping
from handover.io.xlsxfile import WorkbookProblem, workbook_sheets
from handover.model import REQUIRED_TABLES, TABLES

__all__ = ["Source", "locate_tables", "TABLE_SUFFIXES"]

#: The files a table can be: ``.csv``, ``.parquet``, ``.xlsx`` (any case).
TABLE_SUFFIXES = (".csv", ".parquet", ".xlsx")
# Files worth naming when a table is not found: what an export could have been saved as.
_DATA_SUFFIXES = TABLE_SUFFIXES + (".xls", ".xlsm", ".ods", ".txt", ".tsv", ".json", ".xml")


@dataclass(frozen=True)
class Source:
    """Where one table is read from.

    Parameters
    ----------
    table : str
        The contract table.
    path : pathlib.Path
        The file.
    kind : str
        ``csv``, ``parquet`` or ``xlsx``.
    sheet : str, optional
        The sheet, for ``xlsx``.
    """

    table: str
    path: Path
    kind: str
    sheet: str | None = None

    @property
    def file(self) -> str:
        """The file's name, as messages show it."""
        return self.path.name

    @property
    def label(self) -> str:
        """``users.csv``, or ``eksport.xlsx, sheet Brukere``."""
        return self.file if self.sheet is None else f"{self.file}, sheet {self.sheet}"


def _kind(path: Path) -> str:
    return path.suffix.lower().lstrip(".")


def _wanted(table: str, mapping: Mapping | None) -> str:
    return mapping.source_of(table) if mapping is not None else table


def locate_tables(source: Path, mapping: Mapping | None,
                  violations: list[Violation]) -> tuple[dict[str, Source | None], list[str]]:
    """The source of each table present (``None`` when it cannot be told), and what was not used.

    Parameters
    ----------
    source : pathlib.Path
        A dataset folder, or one ``.xlsx`` workbook.
    mapping : Mapping, optional
        Gives the export's name of each table.
    violations : list of Violation
        Problems are added here.

    Returns
    -------
    (dict, list of str)
        Table → :class:`Source` for every table found; the files and sheets found and not
        used, as messages name them.

    Raises
    ------
    InputError
        When ``source`` does not exist, or is a file that is neither a folder nor a workbook.
    """
    source = Path(source)
    if not source.exists():
        raise InputError(f"dataset folder not found: {source}")
    if source.is_file() and _kind(source) == "xlsx":
        return _in_workbook(source, mapping, violations)
    if not source.is_dir():
        raise InputError(
            f"not a folder: {source} (a dataset is a folder with one file per table, such as "
            "agencies.csv and users.csv, or one .xlsx workbook with a sheet per table)")
    return _in_folder(source, mapping, violations)


def _sheets(path: Path, violations: list[Violation]) -> list[str] | None:
    try:
        return workbook_sheets(path)
    except WorkbookProblem as err:
        violations.append(Violation(path.name, None, None, None, str(err)))
        return None


def _in_workbook(path: Path, mapping: Mapping | None,
                 violations: list[Violation]) -> tuple[dict[str, Source | None], list[str]]:
    sheets = _sheets(path, violations)
    if sheets is None:
        return {}, []
    found: dict[str, Source | None] = {}
    for table in TABLES:
        wanted = _wanted(table, mapping)
        matching = [s for s in sheets if s.strip().casefold() == wanted.casefold()]
        if len(matching) > 1:
            found[table] = None
            violations.append(Violation(path.name, None, None, None,
                                        f"has {len(matching)} sheets named {wanted} ({', '.join(matching)}); "
                                        "keep only one of them"))
        elif matching:
            found[table] = Source(table, path, "xlsx", matching[0])
    used = {s.sheet for s in found.values() if s is not None}
    unused = [f"sheet {s}" for s in sheets if s not in used]
    for table in REQUIRED_TABLES:
        if table not in found:
            wanted = _wanted(table, mapping)
            hint = (f" (the mapping {mapping.name} gives its source as {wanted})" if mapping is not None
                    and wanted != table else (f"; name its sheet with source = \"...\" under [{table}] in a "
                                              "mapping file (--mapping)"))
            violations.append(Violation(path.name, None, None, None,
                                        f"has no sheet {wanted}, which every dataset needs{hint}"
                                        + _not_used(unused)))
    return found, unused


def _in_folder(folder: Path, mapping: Mapping | None,
               violations: list[Violation]) -> tuple[dict[str, Source | None], list[str]]:
    entries = sorted(folder.iterdir(), key=lambda p: p.name)
    by_stem: dict[str, list[Path]] = {}
    for entry in entries:
        if _kind(entry) in ("csv", "parquet", "xlsx"):
            by_stem.setdefault(entry.stem.strip().casefold(), []).append(entry)
    found: dict[str, Source | None] = {}
    used_files: set[Path] = set()
    used_sheets: set[tuple[Path, str]] = set()
    for table in TABLES:
        wanted = _wanted(table, mapping)
        candidates = by_stem.get(wanted.casefold(), [])
        folders = [c for c in candidates if c.is_dir()]
        files = [c for c in candidates if c.is_file()]
        odd = [c for c in candidates if c not in folders and c not in files]
        if odd:
            found[table] = None
            used_files.update(odd)
            violations.append(Violation(odd[0].name, None, None, None, _not_a_file(odd[0])))
        elif len(files) > 1:
            found[table] = None
            used_files.update(files)
            others = " and ".join(f.name for f in files[1:])
            violations.append(Violation(files[0].name, None, None, None,
                                        f"present together with {others}; keep only one of them"))
        elif files:
            used_files.add(files[0])
            found[table] = _file_source(table, files[0], wanted, violations)
            if found[table] is not None and found[table].sheet is not None:
                used_sheets.add((files[0], found[table].sheet))
        elif folders:
            found[table] = None
            violations.append(Violation(folders[0].name, None, None, None,
                                        "a folder, not a file; a table is one file (Spark-style folders of "
                                        "part files are not read)"))
    # Workbooks not named like a table: their sheets can be tables (one export, many sheets).
    workbooks = [p for p in entries if p.is_file() and _kind(p) == "xlsx" and p not in used_files]
    sheets_of = {book: _sheets(book, violations) or [] for book in workbooks}
    for table in TABLES:
        if table in found:
            continue
        wanted = _wanted(table, mapping)
        matching = [(book, sheet) for book, sheets in sheets_of.items() for sheet in sheets
                    if sheet.strip().casefold() == wanted.casefold()]
        if len(matching) > 1:
            found[table] = None
            places = " and ".join(f"{book.name}, sheet {sheet}" for book, sheet in matching)
            violations.append(Violation(matching[0][0].name, None, None, None,
                                        f"table {wanted} is in {places}; keep only one of them"))
        elif matching:
            book, sheet = matching[0]
            found[table] = Source(table, book, "xlsx", sheet)
            used_sheets.add((book, sheet))
    unused = [p.name for p in entries
              if p.is_file() and p.suffix.lower() in _DATA_SUFFIXES and p not in used_files and p not in sheets_of]
    unused += [f"{book.name}, sheet {sheet}" for book, sheets in sheets_of.items() for sheet in sheets
               if (book, sheet) not in used_sheets]
    for table in REQUIRED_TABLES:
        if table not in found:
            wanted = _wanted(table, mapping)
            hint = (f" (the mapping {mapping.name} gives its source as {wanted})"
                    if mapping is not None and wanted != table else "")
            violations.append(Violation(
                f"{wanted}.csv", None, None, None,
                f"not found in the folder; every dataset needs {wanted}.csv or {wanted}.parquet "
                f"(or {wanted}.xlsx, or a sheet {wanted} in a workbook){hint}" + _not_used(unused)))
    return found, unused


def _file_source(table: str, path: Path, wanted: str, violations: list[Violation]) -> Source | None:
    kind = _kind(path)
    if kind != "xlsx":
        return Source(table, path, kind)
    sheets = _sheets(path, violations)
    if sheets is None:
        return None
    named = [s for s in sheets if s.strip().casefold() == wanted.casefold()]
    if named:
        return Source(table, path, "xlsx", named[0])
    if len(sheets) == 1:
        return Source(table, path, "xlsx", sheets[0])
    violations.append(Violation(path.name, None, None, None,
                                f"has {len(sheets)} sheets ({', '.join(sheets)}) and none is named {wanted}; "
                                f"name the table's sheet {wanted}, or keep only one sheet in the file"))
    return None


def _not_a_file(path: Path) -> str:
    """Why ``path``, named like a table, is not one: a link to nothing, or not a regular file."""
    if path.is_symlink() and not path.exists():
        return ("a symbolic link that leads to no file (its target is missing, or the links go in a "
                "circle); a table is a regular file")
    return ("not a regular file (a device, a pipe or a socket, or a link to one); a table is a regular "
            "file, read to its end")


def _not_used(unused: list[str]) -> str:
    if not unused:
        return ""
    shown = ", ".join(unused[:12]) + (f" and {len(unused) - 12} more" if len(unused) > 12 else "")
    return f"; found and not used: {shown}"
