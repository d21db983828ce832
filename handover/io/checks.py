"""The contract's checks on one table as read, and the typed frame made from it.

Every check is vectorised on Arrow or pandas; Python only builds the violations it
reports, at most :data:`MAX_REPORTED` per file, column and kind of problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from handover.errors import Violation
from handover.io.dates import ISO, detect_format, looks_like, parse_dates
from handover.io.limits import ID_CHARS
from handover.io.raw import RawTable, arrow_bools, holds_words, objects, shown_value
from handover.io.sources import Source
from handover.model import TABLES, VOCABULARIES, ColumnKind
from handover.privacy.identifiers import looks_like_national_id

#: Violations reported per (file, column, kind of problem) before one summary line.
MAX_REPORTED = 20

# Excel counts days from 1899-12-30; 20000 to 80000 are the years 1954 to 2119.
_EXCEL_SERIAL_DATE = re.compile(r"[2-7]\d{4}(?:\.\d+)?")
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_MIN_YEAR, _MAX_YEAR = 1900, 2100

#: Characters no id may hold, by what they are (docs/data.md): an id holding one prints
#: like another id, or moves the terminal's cursor, or breaks the XML of the outputs.
UNUSABLE_IN_IDS: tuple[tuple[str, tuple[tuple[int, int], ...]], ...] = (
    ("a control character", ((0x00, 0x1F), (0x7F, 0x9F))),  # C0, DEL, C1: tab and line breaks too
    ("a zero-width character", ((0x200B, 0x200D), (0x2060, 0x2060), (0xFEFF, 0xFEFF))),
    ("a bidirectional control", ((0x202A, 0x202E), (0x2066, 0x2069))),
)
# One character class for Arrow's RE2 (``\x{...}``), and one per class for Python's re.
_UNUSABLE_RE2 = "[" + "".join(f"\\x{{{lo:x}}}-\\x{{{hi:x}}}" for _, ranges in UNUSABLE_IN_IDS
                              for lo, hi in ranges) + "]"
_UNUSABLE_CLASSES = [(what, re.compile("[" + "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in ranges) + "]"))
                     for what, ranges in UNUSABLE_IN_IDS]


@dataclass
class _Reporter:
    """Turns boolean masks into violations, at most MAX_REPORTED per problem."""

    raw: RawTable
    violations: list[Violation]

    def rows(self, mask: pd.Series | np.ndarray, column: str, kind: str,
             rule: str | Callable[[int], str]) -> None:
        positions = np.flatnonzero(_bools(mask))
        kind_of_column = self.raw.table.column(column).kind
        private = kind_of_column is ColumnKind.TEXT
        values = self.raw.as_written(column)
        for position in positions[:MAX_REPORTED]:
            value = None if private else values[int(position)].as_py()
            text = rule(position) if callable(rule) else rule
            if (value is not None and kind_of_column in (ColumnKind.DATE, ColumnKind.YEAR)
                    and holds_words(value)):
                # Words in a date or a year are most likely free text (a reason, a name)
                # shifted into the column by a missing separator: never echo them.
                value, text = None, f"{text}; the value holds words and is not shown: is text " \
                                    "from another column shifted into this one?"
            elif value is not None and looks_like_national_id(value):
                value, text = None, f"{text}; the value looks like a national identity number " \
                                    "and is not shown"
            self._add(position, column, None if value is None else shown_value(value), text)
        hidden = len(positions) - MAX_REPORTED
        if hidden > 0:
            self._add(positions[MAX_REPORTED], column, None,
                      f"... and {hidden} more rows from here on with the same problem ({kind})")

    def where(self, position: int) -> str:
        return f"{self.raw.line_label} {self.line(position)}"

    def line(self, position: int) -> int:
        return int(self.raw.lines[position])

    def _add(self, position: int, column: str, value: str | None, rule: str) -> None:
        self.violations.append(Violation(self.raw.file, self.line(position), self.raw.name_of(column), value,
                                         rule, self.raw.line_label, self.raw.sheet))

    def column_problem(self, column: str, rule: str) -> None:
        """A problem of a whole column (no row)."""
        self.violations.append(Violation(self.raw.file, None, self.raw.name_of(column), None, rule,
                                         self.raw.line_label, self.raw.sheet))


def _bools(mask) -> np.ndarray:
    if isinstance(mask, pd.Series):
        return mask.to_numpy(dtype=bool, na_value=False)
    return np.asarray(mask, dtype=bool)


def check_table(raw: RawTable, raws: dict[str, RawTable], sources: dict[str, Source | None],
                violations: list[Violation], date_format: str = ISO) -> pd.DataFrame:
    """Check one table against the contract (and the others, for references); its typed frame.

    ``date_format`` says how text dates are written (:data:`handover.io.dates.FORMATS`).
    """
    report = _Reporter(raw, violations)
    typed: dict[str, pd.Series] = {}
    for column in raw.table.columns:
        values = raw.cells.get(column.name)
        if values is None:
            continue
        present = ~raw.missing[column.name]
        if column.required:
            report.rows(~present, column.name, "empty", "empty, but the column is required")
        if column.kind is ColumnKind.VOCAB:
            _check_vocabulary(values, present, column.name, VOCABULARIES[column.vocabulary],
                              report)
        elif column.kind is ColumnKind.DATE:
            typed[column.name] = _parse_dates(values, present, column.name, report, date_format)
        elif column.kind is ColumnKind.YEAR:
            typed[column.name] = _parse_years(values, present, column.name, report)
        elif column.kind is ColumnKind.ID:
            _check_id_length(values, present, column.name, report)
    _check_id_characters(raw, report)
    _check_interval(raw, typed, report)
    _check_primary_key(raw, report)
    _check_references(raw, raws, sources, report)
    return _typed_frame(raw, typed)


def _check_vocabulary(values: pa.ChunkedArray, present: np.ndarray, column: str,
                      allowed: tuple[str, ...], report: _Reporter) -> None:
    listed = f"not one of: {', '.join(allowed)}"
    raw = report.raw
    if raw.mapping_file is not None:
        section = f"[{raw.table.name}.values.{column}]"
        mapped = list(raw.mapping.values.get(column, {})) if raw.mapping is not None else []
        listed += (f"; {raw.mapping_file} {section} has no mapping for it (it maps: {', '.join(mapped)})"
                   if mapped else f"; map it to one of them under {section} in {raw.mapping_file}")

    def rule(position: int) -> str:
        if raw.mapping_file is None and values[int(position)].as_py().lower() in allowed:
            return f"{listed} (the values are lower-case)"
        return listed

    known = arrow_bools(pc.is_in(values, value_set=pa.array(allowed, pa.string())))
    report.rows(present & ~known, column, listed, rule)


def _check_id_length(values: pa.ChunkedArray, present: np.ndarray, column: str,
                     report: _Reporter) -> None:
    """Ids (primary keys and references) longer than :data:`ID_CHARS`, which no database indexes well."""
    lengths = pc.utf8_length(values)
    if (pc.max(lengths).as_py() or 0) <= ID_CHARS:
        return
    too_long = arrow_bools(pc.greater(lengths, ID_CHARS))

    def rule(position: int) -> str:
        return (f"longer than {ID_CHARS} characters (it has {lengths[int(position)].as_py():,}), "
                "the limit for an id")

    report.rows(present & too_long, column, "longer than the limit for an id", rule)


def _parse_dates(values: pa.ChunkedArray, present: np.ndarray, column: str,
                 report: _Reporter, date_format: str = ISO) -> pd.Series:
    # Arrow's string kernels are several times faster than Python's on a million rows.
    text = pd.Series(pd.arrays.ArrowStringArray(values), copy=False)
    chosen = date_format
    if date_format == "auto":
        chosen, ambiguous = detect_format(text)
        if ambiguous is not None:
            value, one, other = ambiguous
            report.column_problem(column, f"dates that read two ways, such as {value} ({one} as DD/MM/YYYY, "
                                          f"{other} as MM/DD/YYYY); say which with --date-format "
                                          "(or date_format in the mapping file)")
            return pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
        chosen = chosen or ISO
    parsed = parse_dates(text, chosen)
    report.raw.date_formats[column] = chosen
    also = "" if report.raw.mapping_file is None else f" (or date_format in {report.raw.mapping_file})"

    def rule(position: int) -> str:
        value = values[int(position)].as_py()
        seems = looks_like(value)
        if seems == "MM/DD/YYYY":
            return f"not a date ({chosen}; this looks like the American MM/DD/YYYY)"
        if seems is not None and seems != chosen and seems != ISO:
            return f"not a date ({chosen}; this looks like {seems}: pass --date-format {seems}{also})"
        if chosen == ISO and _EXCEL_SERIAL_DATE.fullmatch(value):
            day = _EXCEL_EPOCH + pd.Timedelta(days=int(float(value)))
            return (f"not a date (YYYY-MM-DD; this looks like an Excel day number, which would "
                    f"be {day:%Y-%m-%d}: format the column as a date before saving)")
        if seems == ISO and not 1678 <= int(value[:4]) <= 2261:
            return ("outside the dates handover can hold (1678 to 2261; "
                    "leave end empty for an interval that is still ongoing)")
        return f"not a date ({chosen})"

    report.rows(present & parsed.isna().to_numpy(), column, "not a date", rule)
    return parsed


def _parse_years(values: pa.ChunkedArray, present: np.ndarray, column: str,
                 report: _Reporter) -> pd.Series:
    numbers = pd.to_numeric(objects(values), errors="coerce")
    valid = numbers.notna() & (numbers % 1 == 0) & numbers.between(_MIN_YEAR, _MAX_YEAR)
    rule = f"not a whole number between {_MIN_YEAR} and {_MAX_YEAR}"
    report.rows(present & ~valid.to_numpy(), column, rule, rule)
    return numbers.where(valid).astype("Int64")


def _check_id_characters(raw: RawTable, report: _Reporter) -> None:
    """Refuse ids holding a control, zero-width or bidirectional character (:data:`UNUSABLE_IN_IDS`)."""
    for column in raw.table.columns:
        values = raw.cells.get(column.name)
        if column.kind is not ColumnKind.ID or values is None:
            continue
        unusable = arrow_bools(pc.match_substring_regex(values, _UNUSABLE_RE2))
        if not unusable.any():
            continue

        def rule(position: int, values=values) -> str:
            value = values[int(position)].as_py()
            what, found = next((what, found) for what, pattern in _UNUSABLE_CLASSES
                               if (found := pattern.search(value)))
            return f"not a usable id: it holds {what} ({shown_value(found.group())}), which no id may hold"

        report.rows(unusable, column.name, "an id holding a character no id may hold", rule)


def _check_interval(raw: RawTable, typed: dict[str, pd.Series], report: _Reporter) -> None:
    if raw.table.interval is None:
        return
    start_column, end_column = raw.table.interval
    if start_column not in typed or end_column not in typed:
        return
    start, end = typed[start_column], typed[end_column]

    def rule(position: int) -> str:
        return (f"before {start_column} {start.iat[position]:%Y-%m-%d} "
                f"({end_column} must not be before {start_column})")

    report.rows(end < start, end_column, f"before {start_column}", rule)


def _check_primary_key(raw: RawTable, report: _Reporter) -> None:
    key = raw.table.primary_key
    if key is None or key not in raw.cells:
        return
    present = ~raw.missing[key]
    if not _any_repeated(raw.cells[key]):
        return  # the common case, found by Arrow alone
    values = objects(raw.cells[key])
    repeated = values.duplicated(keep="first").to_numpy() & present
    firsts = values[present].drop_duplicates(keep="first")
    first_position = pd.Series(firsts.index, index=firsts.to_numpy())

    def rule(position: int) -> str:
        first = first_position.loc[values.iat[position]]
        return f"a duplicate {key} (first on {report.where(first)})"

    report.rows(repeated, key, f"a duplicate {key}", rule)


def _any_repeated(values: pa.ChunkedArray) -> bool:
    """Whether a value (not a missing one) occurs twice in ``values``.

    By sorting, not hashing: a hash table of millions of distinct ids takes several times
    their size (and more time); the sorted copy, their size once.

    Examples
    --------
    >>> _any_repeated(pa.chunked_array([["b", None, "a"], [None, "c"]])), _any_repeated(pa.chunked_array([["a", "b", "a"]]))
    (False, True)
    """
    ordered = values.take(pc.sort_indices(values))
    return bool(pc.any(pc.equal(ordered[1:], ordered[:-1])).as_py())


def _check_references(raw: RawTable, raws: dict[str, RawTable], sources: dict[str, Source | None],
                      report: _Reporter) -> None:
    for column in raw.table.columns:
        target = column.references
        values = raw.cells.get(column.name)
        if target is None or values is None:
            continue
        if target in raws:
            key = TABLES[target].primary_key
            known = raws[target].cells.get(key)
            if known is None:  # the referenced file lacks its key column, reported there
                continue
            present = ~raw.missing[column.name]
            found = pc.is_in(values, value_set=pc.drop_null(known).combine_chunks())
            report.rows(present & ~arrow_bools(found), column.name,
                        f"not a known {column.name}",
                        f"not a known {column.name} (not in {_where(raws[target])})")
        elif target == "services" and target not in sources and not raw.missing[column.name].all():
            # Without services an episode has no agency and no kind: no finding can use it.
            report.column_problem(
                column.name,
                f"filled in on {(~raw.missing[column.name]).sum()} rows, but the folder has no "
                f"services.csv or services.parquet, which {raw.table.name} that name a "
                "service need")


def _where(raw: RawTable) -> str:
    return raw.file if raw.sheet is None else f"{raw.file}, sheet {raw.sheet}"


#: Arrow-backed text with NumPy semantics (missing is NaN, comparisons give ``bool``): the
#: dtype pandas 3 gives every text column, in pandas 2.3 spelled out.
ARROW_TEXT = pd.StringDtype("pyarrow", na_value=np.nan)

#: Primary keys no other table refers to (``plan_id``, ``episode_id``, ``contact_id``): one
#: distinct value a row, as Python ``str`` objects some 60 bytes each, kept in Arrow instead
#: (their text and an offset, sharing the buffers the file was read into).
ARROW_BACKED = frozenset(
    (table.name, table.primary_key) for table in TABLES.values()
    if table.primary_key is not None
    and not any(c.references == table.name for t in TABLES.values() for c in t.columns))


def _typed_frame(raw: RawTable, typed: dict[str, pd.Series]) -> pd.DataFrame:
    # One Arrow table turned into pandas at once: Arrow makes the str objects and lays
    # out the blocks itself, which pandas would otherwise copy together again.
    arrow, years, kept = {}, {}, {}
    for position, column in enumerate(raw.table.columns):
        if column.kind is ColumnKind.YEAR:
            years[position, column.name] = typed.get(column.name)
        elif column.name in typed:
            arrow[column.name] = pa.Array.from_pandas(typed[column.name], type=pa.timestamp("ns"))
        elif (raw.table.name, column.name) in ARROW_BACKED and column.name in raw.cells and raw.n_rows:
            # (Not for a table without rows: pandas cannot join an Arrow column of no chunks.)
            kept[position, column.name] = raw.cells[column.name]
        elif column.name in raw.cells:
            arrow[column.name] = raw.cells[column.name]
        elif column.kind is ColumnKind.DATE:
            arrow[column.name] = pa.nulls(raw.n_rows, pa.timestamp("ns"))
        else:
            arrow[column.name] = pa.nulls(raw.n_rows, pa.string())
    frame = pa.table(arrow).to_pandas(coerce_temporal_nanoseconds=True) if arrow else pd.DataFrame(
        index=pd.RangeIndex(raw.n_rows))
    inserted = sorted([*years.items(), *kept.items()], key=lambda item: item[0][0])
    for (position, name), values in inserted:
        if (position, name) in kept:
            frame.insert(position, name, pd.Series(values.to_pandas(types_mapper={pa.string(): ARROW_TEXT}.get),
                                                   copy=False).array)
        else:
            frame.insert(position, name, pd.array([pd.NA] * raw.n_rows, dtype="Int64")
                         if values is None else values.array)
    return frame
