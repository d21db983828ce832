"""How a finding is declared: its name, result, options, tables and implementations.

Each finding module ends with one :class:`Finding`; everything else is derived from it:
the registry (:data:`handover.findings.FINDINGS`), the result schema both engines are
finalised to, the options of ``handover find <name>`` (types, defaults, help, allowed
values), option validation, the report's list of findings, and the check that the
Cypher file's ``// params:`` header declares exactly the finding's options.

Examples
--------
>>> window = days("window_days", 30, "Days after a discharge in which the next episode may start.")
>>> window.flag, window.resolve(14)
('--window-days', 14)
>>> window.resolve(-1)
Traceback (most recent call last):
...
handover.errors.InputError: --window-days: -1 must not be negative
>>> choices("roles", ("caseworker",), "Roles.", ("coordinator", "caseworker"), flag="--role").resolve(["caseworker", "caseworker"])
('caseworker',)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable

import pandas as pd

from handover.errors import InputError
from handover.findings.schema import ResultSchema
from handover.locale import words
from handover.timeline import parse_option_date, to_day

__all__ = ["Option", "Measure", "Finding", "OPTION_KINDS", "days", "count", "date", "choice", "choices"]

#: What an option holds: ``days`` (a whole number >= 0), ``count`` (a whole number >= 1),
#: ``date`` (a day, optional), ``choice`` (one allowed value) and ``choices`` (several).
OPTION_KINDS = ("days", "count", "date", "choice", "choices")


@dataclass(frozen=True)
class Option:
    """One option of a finding.

    Parameters
    ----------
    name : str
        The keyword of the in-memory implementation and the ``$param`` of its Cypher file.
    kind : str
        One of :data:`OPTION_KINDS`.
    default : object
        The value used when the option is not given (``None``: no limit / all values).
    help : str
        One or two sentences for ``--help``.
    allowed : tuple of str, optional
        The values a ``choice`` or ``choices`` option accepts.
    flag : str, optional
        The command-line flag; default ``--`` and the name with dashes.
    """

    name: str
    kind: str
    default: Any
    help: str
    allowed: tuple[str, ...] = ()
    flag_name: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in OPTION_KINDS:
            raise ValueError(f"option {self.name}: kind {self.kind!r} is not one of {OPTION_KINDS}")
        if self.kind in ("choice", "choices") and not self.allowed:
            raise ValueError(f"option {self.name}: a {self.kind} option needs its allowed values")

    @property
    def flag(self) -> str:
        """The command-line flag, such as ``--window-days``."""
        return self.flag_name or "--" + self.name.replace("_", "-")

    @property
    def repeatable(self) -> bool:
        """Whether the flag may be given several times (a ``choices`` option)."""
        return self.kind == "choices"

    def resolve(self, value: Any) -> Any:
        """``value`` checked and normalised (``None``: the default).

        Raises
        ------
        InputError
            Naming the flag and the value: a negative number of days, a count below 1,
            a value that is not allowed, an empty list, or a text that is not a date.
        """
        if value is None:
            value = self.default
        if value is None:
            return None
        if self.kind == "days":
            if value < 0:
                raise InputError(f"{self.flag}: {value} must not be negative")
            return int(value)
        if self.kind == "count":
            if value < 1:
                raise InputError(f"{self.flag}: {value} must be at least 1")
            return int(value)
        if self.kind == "date":
            return parse_option_date(value, self.flag) if isinstance(value, str) else to_day(value)
        if self.kind == "choice":
            self._check_allowed(value)
            return value
        values = tuple(dict.fromkeys([value] if isinstance(value, str) else value))
        if not values:
            raise InputError(f"{self.flag}: give at least one value")
        for item in values:
            self._check_allowed(item)
        return values

    def _check_allowed(self, value: Any) -> None:
        if value not in self.allowed:
            raise InputError(f"{self.flag}: {value} is not one of: {', '.join(self.allowed)}")


def days(name: str, default: int, help: str) -> Option:
    """An option holding a number of days (0 or more)."""
    return Option(name, "days", default, help)


def count(name: str, default: int, help: str) -> Option:
    """An option holding a count (1 or more)."""
    return Option(name, "count", default, help)


def date(name: str, help: str) -> Option:
    """An optional day (``--since``, ``--until``); no default."""
    return Option(name, "date", None, help)


def choice(name: str, default: str, help: str, allowed: tuple[str, ...], *, flag: str | None = None) -> Option:
    """An option holding one of ``allowed``."""
    return Option(name, "choice", default, help, tuple(allowed), flag)


def choices(name: str, default: tuple[str, ...] | None, help: str, allowed: tuple[str, ...], *,
            flag: str | None = None) -> Option:
    """An option holding several of ``allowed``, given by repeating the flag."""
    return Option(name, "choices", default, help, tuple(allowed), flag)


@dataclass(frozen=True)
class Measure:
    """One rate of a finding's indicator (docs/findings.md §6): what it counts, among what.

    Its words (a heading, what the numerator and the denominator count, their unit) are in
    the catalogue (:mod:`handover.locale`) under ``finding.<finding>.measure.<key>``.

    Parameters
    ----------
    key : str
        The measure's name in the indicator table (``without_coordinator``).
    good : bool
        Whether the numerator counts what should happen (a follow-up within 7 days), so
        that a higher share is better; by default it counts what went wrong.
    """

    key: str
    good: bool = False


@dataclass(frozen=True)
class Finding:
    """Everything the system knows about one finding, declared once in its module.

    Parameters
    ----------
    name : str
        One name used everywhere: the module ``handover/findings/<name>.py``, the Cypher
        file ``cypher/findings/<name>.cypher``, ``handover find <name-with-dashes>``, the
        report's ``<name>.csv`` and ``fixtures/*/expected/<name>.csv``.
    section : str
        Its section in ``docs/findings.md`` (``"5.1"``), which holds the exact definition;
        findings are listed in this order.
    columns : str
        The result columns in order, as ``name:type`` words (types: ``str``, ``date``,
        ``int``, ``bool``, ``float``).
    sort_key : str
        The columns the rows are sorted by, as words.
    memory : callable
        The in-memory implementation, ``memory(dataset, **params) -> DataFrame``.
    options : tuple of Option
        The finding's own options, in ``--help`` order.
    needs : tuple of str
        Tables the finding reads besides the required ones (agencies, users,
        responsibilities).
    uses_as_of : bool
        Whether the in-memory implementation measures on the snapshot day and so takes
        ``as_of`` (every finding is answered on the snapshot; the Cypher query always
        takes ``$as_of``).
    measures : tuple of Measure
        The rates of its indicator (docs/findings.md §6).
    indicator : callable, optional
        ``indicator(rows, context) -> DataFrame``: counts the measures from the finding's
        rows and the populations of :class:`handover.findings.indicators.Context`.
    """

    name: str
    section: str
    columns: str
    sort_key: str
    memory: Callable[..., pd.DataFrame]
    options: tuple[Option, ...] = ()
    needs: tuple[str, ...] = ()
    uses_as_of: bool = False
    measures: tuple[Measure, ...] = ()
    indicator: Callable[..., pd.DataFrame] | None = None

    @cached_property
    def schema(self) -> ResultSchema:
        """The result's columns, types and sort key."""
        pairs = tuple(tuple(part.split(":")) for part in self.columns.split())
        return ResultSchema(self.name, pairs, tuple(self.sort_key.split()))

    @property
    def title(self) -> str:
        """A heading for reports, in English (:meth:`text` for another language)."""
        return self.text("title")

    @property
    def explanation(self) -> str:
        """What a row means, in plain English, for pages and ``--help``."""
        return self.text("explanation")

    def text(self, part: str, lang: str = "en", **fields) -> str:
        """The finding's words from the catalogue (:mod:`handover.locale`): ``title``,
        ``explanation``, ``sheet`` (a short name for a workbook sheet), or a measure's
        ``measure.<key>.title``, ``.numerator``, ``.denominator`` or ``.unit``, with the
        finding's options filled into its ``{fields}``.

        Examples
        --------
        >>> from handover.findings import finding
        >>> finding("dormant_plans").text("measure.dormant.numerator", "nb", max_age_days=365)
        'aktive individuelle planer som ikke er revidert på over 365 dager'
        """
        return words(lang)(f"finding.{self.name}.{part}", **fields)

    @property
    def cli_name(self) -> str:
        """The name on the command line: the name with dashes for underscores."""
        return self.name.replace("_", "-")

    @property
    def cypher(self) -> str:
        """The Cypher query's name under ``cypher/``: ``findings/<name>``."""
        return f"findings/{self.name}"

    @property
    def params(self) -> tuple[str, ...]:
        """The parameters of the Cypher query: the options and ``as_of``, the snapshot day.

        Every finding is answered on the data as they stood on ``as_of``; the in-memory
        implementation gets the snapshot (:meth:`handover.model.Dataset.snapshot`) and
        ``as_of`` itself only when it measures on that day (``uses_as_of``).
        """
        return tuple(o.name for o in self.options) + ("as_of",)

    @property
    def defaults(self) -> dict[str, Any]:
        """Every option with its default (``as_of`` is filled in at run time)."""
        return {o.name: o.default for o in self.options}

    def option(self, name: str) -> Option:
        """The option called ``name``."""
        for declared in self.options:
            if declared.name == name:
                return declared
        raise KeyError(name)

    def resolve(self, options: dict[str, Any], as_of: pd.Timestamp | None) -> dict[str, Any]:
        """Fill in defaults, check every option and add ``as_of`` when the finding uses it.

        Raises
        ------
        InputError
            For an option the finding does not have, a value its declaration refuses,
            or ``since`` after ``until``.
        """
        unknown = set(options) - {o.name for o in self.options}
        if unknown:
            raise InputError(f"{self.name} has no option {', '.join(sorted(unknown))}")
        params = {o.name: o.resolve(options.get(o.name)) for o in self.options}
        since, until = params.get("since"), params.get("until")
        if since is not None and until is not None and since > until:
            raise InputError(f"--since {since.date()} is after --until {until.date()}")
        params["as_of"] = as_of
        return params
