"""One exception family for everything handover refuses or fails to do.

The CLI turns :class:`InputError` into exit code 2 and any other
:class:`HandoverError` into exit code 1, each with its message and no traceback.
Messages name ids only, never personal data.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "HandoverError",
    "InputError",
    "Violation",
    "DatasetError",
    "QueryError",
    "EngineError",
]


class HandoverError(Exception):
    """Base class of every error handover raises on purpose."""


class InputError(HandoverError):
    """Bad input or usage: a broken dataset, an unknown option value, a missing table."""


@dataclass(frozen=True, order=True)
class Violation:
    """One breach of the data contract, located as precisely as the input allows.

    Parameters
    ----------
    file : str
        File name, e.g. ``responsibilities.csv``.
    line : int or None
        1-based line in the file as a text editor counts it (the header is line 1),
        or the 1-based row number for Parquet files; ``None`` for file-level problems.
    column : str or None
        The offending column, or ``None`` when the problem is not about one column.
    value : str or None
        The offending value as read (an id or a date, never free text).
    rule : str
        What the contract says, and what would be valid.
    line_label : str, default "line"
        How ``line`` is printed: ``"line"`` for CSV, ``"row"`` for Parquet and spreadsheets.
    sheet : str, optional
        The sheet of a workbook ``file`` the problem is on.

    Examples
    --------
    >>> str(Violation("plans.csv", 4, "end", "2024-02-30", "not a date (YYYY-MM-DD)"))
    'plans.csv line 4, column end: 2024-02-30 is not a date (YYYY-MM-DD)'
    >>> str(Violation("plans.parquet", 4, "end", "2024-02-30", "not a date (YYYY-MM-DD)", "row"))
    'plans.parquet row 4, column end: 2024-02-30 is not a date (YYYY-MM-DD)'
    >>> str(Violation("eksport.xlsx", 9, "Fra", "31.02.2024", "not a date (DD.MM.YYYY)", "row", "Ansvar"))
    'eksport.xlsx, sheet Ansvar, row 9, column Fra: 31.02.2024 is not a date (DD.MM.YYYY)'
    """

    file: str
    line: int | None
    column: str | None
    value: str | None
    rule: str
    line_label: str = "line"
    sheet: str | None = None

    def __str__(self) -> str:
        if self.sheet is not None:  # "eksport.xlsx, sheet Ansvar, row 9, column Fra"
            parts = [self.file, f"sheet {self.sheet}"]
            if self.line is not None:
                parts.append(f"{self.line_label} {self.line}")
            if self.column is not None:
                parts.append(f"column {self.column}")
            where = ", ".join(parts)
        else:
            where = self.file
            if self.line is not None:
                where += f" {self.line_label} {self.line}"
            if self.column is not None:
                where += f", column {self.column}" if self.line is not None else f" column {self.column}"
        if self.value is None:
            return f"{where}: {self.rule}"
        return f"{where}: {self.value} is {self.rule}"


class DatasetError(InputError):
    """A dataset breaks the contract; carries every violation found.

    Examples
    --------
    >>> err = DatasetError([Violation("users.csv", 3, "user_id", "u1", "a duplicate (first on line 2)")])
    >>> print(err)
    1 problem in the dataset:
      users.csv line 3, column user_id: u1 is a duplicate (first on line 2)
    """

    def __init__(self, violations: list[Violation]):
        self.violations = sorted(violations, key=_violation_order)
        count = len(self.violations)
        lines = [f"{count} problem{'s' if count != 1 else ''} in the dataset:"]
        lines += [f"  {v}" for v in self.violations]
        super().__init__("\n".join(lines))


def _violation_order(v: Violation) -> tuple:
    return (v.file, v.sheet or "", v.line if v.line is not None else 0, v.column or "", v.rule)


class QueryError(HandoverError):
    """A query file or a query run is wrong (bad header, unknown parameter, driver error)."""


class EngineError(HandoverError):
    """An engine cannot do its work: no server, no Java, wrong credentials, mixed datasets."""
