"""How a dataset is read: the CSV separator and encoding, the date format, the mapping, the focus.

One bundle, so that every command that reads data reads it the same way
(``--sep``, ``--encoding``, ``--date-format``, ``--mapping``, ``--agency``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

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
    agencies : tuple of str
        ``--agency``: focus on the users of these agencies
        (:func:`handover.io.focus.focus_on_agencies`); kept sorted, once each. Empty:
        every user.

    Examples
    --------
    >>> ReadOptions().dates, ReadOptions(date_format="DD.MM.YYYY").dates
    ('YYYY-MM-DD', 'DD.MM.YYYY')
    >>> ReadOptions(agencies=("a2", "a1", "a2")).agencies, ReadOptions(agencies=("a2", "a1")).focus_text
    (('a1', 'a2'), 'focused on agencies a1, a2')
    >>> ReadOptions().focus_text
    ''
    """

    sep: str = ","
    encoding: str = "utf-8"
    date_format: str | None = None
    mapping: Mapping | None = None
    agencies: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        agencies = (self.agencies,) if isinstance(self.agencies, str) else self.agencies
        object.__setattr__(self, "agencies", tuple(sorted(set(agencies))))
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

    @property
    def focus_text(self) -> str:
        """The focus as pages and reports say it (``focused on agency a1``); empty for none."""
        if not self.agencies:
            return ""
        return f"focused on agenc{'y' if len(self.agencies) == 1 else 'ies'} {', '.join(self.agencies)}"

    @classmethod
    def of(cls, sep: str = ",", encoding: str = "utf-8", date_format: str | None = None,
           mapping: Mapping | str | Path | None = None, agencies: Iterable[str] | None = None) -> "ReadOptions":
        """Options from plain values; a mapping given as a path is read (and checked)."""
        if mapping is not None and not isinstance(mapping, Mapping):
            mapping = read_mapping(mapping)
        return cls(sep, encoding, date_format, mapping, tuple(agencies or ()))
