"""How a dataset is read: the CSV separator and encoding, the date format, the mapping.

One bundle, so that every command that reads data reads it the same way
(``--sep``, ``--encoding``, ``--date-format``, ``--mapping``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from handover.io.dates import FORMATS, ISO
from handover.io.mapping import Mapping, read_mapping

__all__ = ["ReadOptions"]


@dataclass(frozen=True)
class ReadOptions:
    """How to read a dataset.

    Parameters
    ----------
    sep : str
        The CSV separator.
    encoding : str
        The CSV encoding.
    date_format : str, optional
        How text dates are written (:data:`handover.io.dates.FORMATS`); default the
        mapping's ``date_format``, else ``YYYY-MM-DD``.
    mapping : Mapping, optional
        The export's names, codes and constants.

    Examples
    --------
    >>> ReadOptions().dates, ReadOptions(date_format="DD.MM.YYYY").dates
    ('YYYY-MM-DD', 'DD.MM.YYYY')
    """

    sep: str = ","
    encoding: str = "utf-8"
    date_format: str | None = None
    mapping: Mapping | None = None

    def __post_init__(self) -> None:
        if self.date_format is not None and self.date_format not in FORMATS:
            from handover.errors import InputError

            raise InputError(f"--date-format: {self.date_format} is not one of: {', '.join(FORMATS)}")

    @property
    def dates(self) -> str:
        """The date format in force: the option, else the mapping's, else ISO."""
        if self.date_format is not None:
            return self.date_format
        if self.mapping is not None and self.mapping.date_format is not None:
            return self.mapping.date_format
        return ISO

    @classmethod
    def of(cls, sep: str = ",", encoding: str = "utf-8", date_format: str | None = None,
           mapping: Mapping | str | Path | None = None) -> "ReadOptions":
        """Options from plain values; a mapping given as a path is read (and checked)."""
        if mapping is not None and not isinstance(mapping, Mapping):
            mapping = read_mapping(mapping)
        return cls(sep, encoding, date_format, mapping)
