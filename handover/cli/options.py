"""Command-line options shared by several commands, declared once, and how options are made.

Every option means one thing everywhere:

- ``--out``: a **file** where a command writes one output (``find``, ``network``, ``user``),
  a **folder** where it writes several (``report``, ``audit``, ``metrics``, ``caseload``);
  its help says which.
- ``--as-of``: the day the data describe (docs/findings.md, "as of").
- ``--since`` / ``--until``: the period reported on, both days included.

Options with a closed set of values are checked while the command line is read, before
any data is: :func:`choice_option` makes one, with the allowed values in ``--help`` and
in the message that refuses another value (``--role: boss is not one of: ...``). Dates
are parsed the same way (:func:`date_option`), so commands receive ``pandas.Timestamp``.
"""

from __future__ import annotations

import functools
import inspect
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Callable, List, Optional, Sequence

import typer

from handover.errors import InputError
from handover.io.mapping import DATE_FORMATS
from handover.io.options import ReadOptions
from handover.locale import LANGUAGES, language_from_environment
from handover.render.results import CSV_DIALECTS
from handover.reports.finding_file import OUTPUT_FORMATS
from handover.timeline import parse_option_date

__all__ = [
    "EngineName", "DataDirArg", "OptionalDataDirArg", "SepOpt", "EncodingOpt",
    "AsOfOpt", "EngineOpt", "Neo4jUriOpt", "FormatOpt", "CsvDialectOpt", "OutFileOpt", "OutDirOpt", "SinceOpt",
    "UntilOpt", "LangOpt", "NoSuppressOpt", "language", "AllowIdentifiersOpt", "DateFormatOpt", "MappingOpt",
    "AgencyOpt", "choice_option", "date_option",
    "check_choice", "check_choices", "check_at_least", "read_options", "reads_data", "READING_OPTIONS",
    "format_for_out", "csv_dialect_for",
]


class EngineName(str, Enum):
    memory = "memory"
    neo4j = "neo4j"


def check_choice(flag: str, allowed: Sequence[str]) -> Callable[[Any], Any]:
    """A callback refusing a value outside ``allowed``, naming the flag and the allowed values.

    Examples
    --------
    >>> check_choice("--provider", ("agency", "staff"))("staff")
    'staff'
    >>> check_choice("--provider", ("agency", "staff"))("team")
    Traceback (most recent call last):
    ...
    handover.errors.InputError: --provider: team is not one of: agency, staff
    """
    def check(value):
        if value is not None and value not in allowed:
            raise InputError(f"{flag}: {value} is not one of: {', '.join(allowed)}")
        return value

    return check


def check_choices(flag: str, allowed: Sequence[str]) -> Callable[[Any], Any]:
    """:func:`check_choice` for a repeatable option: every value is checked."""
    one = check_choice(flag, allowed)

    def check(values):
        for value in values or ():
            one(value)
        return values

    return check


def check_at_least(flag: str, least: int) -> Callable[[Any], Any]:
    """A callback refusing a number below ``least`` (0: "must not be negative").

    Examples
    --------
    >>> check_at_least("--window-days", 0)(-1)
    Traceback (most recent call last):
    ...
    handover.errors.InputError: --window-days: -1 must not be negative
    """
    def check(value):
        if value is not None and value < least:
            rule = "must not be negative" if least == 0 else f"must be at least {least}"
            raise InputError(f"{flag}: {value} {rule}")
        return value

    return check


def _choices_text(allowed: Sequence[str]) -> str:
    return f"One of: {', '.join(allowed)}."


def choice_option(flag: str, allowed: Sequence[str], help: str, *, repeatable: bool = False,
                  show_default: bool = True, default_text: str | None = None) -> Any:
    """A ``typer.Option`` for ``flag`` accepting only ``allowed`` (repeatable when asked).

    The allowed values are listed in ``--help``; another value is refused before the
    command runs, with exit code 2.
    """
    name = flag.lstrip("-").replace("-", "_").upper()
    check = check_choices(flag, allowed) if repeatable else check_choice(flag, allowed)
    text = f"{help} {_choices_text(allowed)}" + (" Repeat the option for several." if repeatable else "")
    if default_text:
        text += f" Default: {default_text}."
    return typer.Option(flag, metavar=name, help=text, callback=check,
                        autocompletion=lambda: list(allowed), show_default=show_default)


def date_option(flag: str, help: str) -> Any:
    """A ``typer.Option`` for a day as ``YYYY-MM-DD``, parsed (to ``pandas.Timestamp``) while reading."""
    return typer.Option(flag, metavar="YYYY-MM-DD", help=help, show_default=False,
                        callback=lambda text: parse_option_date(text, flag))


DataDirArg = Annotated[Path, typer.Argument(
    help="The dataset: a folder with one <table>.csv, .parquet or .xlsx per table, or one .xlsx "
         "workbook with a sheet per table (see docs/data.md).", show_default=False)]
OptionalDataDirArg = Annotated[Optional[Path], typer.Argument(
    help="The dataset (a folder, or one .xlsx workbook). With --engine neo4j it is optional: given, "
         "it is loaded (replacing what is there) before the query; absent, the query runs on what "
         "is loaded.", show_default=False)]
SepOpt = Annotated[str, typer.Option("--sep", help="CSV field separator; Norwegian Excel exports often use ';'.")]
EncodingOpt = Annotated[str, typer.Option("--encoding", help="CSV text encoding, e.g. utf-8 or cp1252.")]
DateFormatOpt = Annotated[Optional[str], choice_option(
    "--date-format", DATE_FORMATS, "How text dates are written; auto tells each column's format by its "
    "dates. Spreadsheet date cells are dates whatever this says. Default: the mapping's date_format, "
    "else YYYY-MM-DD.", show_default=False)]
MappingOpt = Annotated[Optional[Path], typer.Option(
    "--mapping", metavar="FILE", show_default=False,
    help="A mapping file (TOML) for an export whose sheet names, headers, codes or dates differ from "
         "the contract's; `handover mapping init` writes a first one (see docs/data.md).")]
AgencyOpt = Annotated[Optional[List[str]], typer.Option(
    "--agency", metavar="ID", show_default=False,
    help="Focus on the users of this agency (by its agency_id): every row of each user who has "
         "a responsibility, plan, episode or contact there, or a staff member employed there, "
         "also their rows at other agencies; other users are left out. Repeat the option for "
         "several (their users together). Default: every user.")]
AsOfOpt = Annotated[Optional[str], date_option(
    "--as-of", "The day the data describe; it closes intervals still ongoing then. "
               "Default: the latest date in the dataset.")]
EngineOpt = Annotated[EngineName, typer.Option(
    "--engine", help="memory: pandas + networkx, no server. neo4j: the Cypher queries on a Neo4j server.")]
Neo4jUriOpt = Annotated[Optional[str], typer.Option(
    "--neo4j-uri", metavar="URI", show_default=False,
    help="Bolt URI of the Neo4j server (default: $NEO4J_URI, else the local server "
         "started with `handover neo4j start`).")]
FormatOpt = Annotated[Optional[str], choice_option(
    "--format", OUTPUT_FORMATS, "table for reading, csv or json for scripts, xlsx for Excel (a workbook: "
    "needs --out). Default: the format --out's extension names (.csv, .json, .xlsx), else table.",
    show_default=False)]
CsvDialectOpt = Annotated[Optional[str], choice_option(
    "--csv-dialect", CSV_DIALECTS, "The kind of CSV. standard: the contract's (',', UTF-8, \\n line ends, "
    "decimal point), byte for byte what scripts expect. excel-nb: for Excel in Norwegian (';', UTF-8 with a "
    "BOM, CRLF line ends, decimal comma; text a spreadsheet would run as a formula gets a leading '). Ids "
    "that look like numbers (00123) lose their zeros in any CSV opened in Excel: use --format xlsx for them.",
    show_default=False, default_text="standard")]
OutFileOpt = Annotated[Optional[Path], typer.Option(
    "--out", metavar="FILE", show_default=False,
    help="The file to write (its folder is made if needed); default: standard output.")]
OutDirOpt = Annotated[Path, typer.Option(
    "--out", metavar="DIR", show_default=False,
    help="The folder to write the files into (made if needed).")]
SinceOpt = Annotated[Optional[str], date_option("--since", "The first day of the period reported on.")]
UntilOpt = Annotated[Optional[str], date_option("--until", "The last day of the period reported on.")]
LangOpt = Annotated[Optional[str], choice_option(
    "--lang", LANGUAGES, "The language of pages, charts and workbooks: en (English) or nb (Norwegian bokmål).",
    show_default=False, default_text="nb when the locale (LANG) is Norwegian, else en")]
NoSuppressOpt = Annotated[bool, typer.Option(
    "--no-suppress",
    help="Show every number, including counts of 1 to 4 (internal use only; the page says so).")]
AllowIdentifiersOpt = Annotated[bool, typer.Option(
    "--allow-identifiers",
    help="Accept user and staff ids that look like Norwegian national identity numbers "
         "(refused by default; `handover pseudonymize` replaces them).")]


def language(lang: str | None) -> str:
    """The language asked for with ``--lang``, else the locale's (:func:`handover.locale.language_from_environment`)."""
    return lang if lang is not None else language_from_environment()


def format_for_out(fmt: str | None, out: Path | None, *, by_suffix: dict[str, str], default: str) -> str:
    """The output format: ``--format`` when given, else the one ``--out``'s extension names, else ``default``.

    Raises
    ------
    InputError
        When ``--format`` contradicts the extension of ``--out`` (naming both).

    Examples
    --------
    >>> suffixes = {".csv": "csv", ".json": "json", ".xlsx": "xlsx"}
    >>> [format_for_out(None, out, by_suffix=suffixes, default="table")
    ...  for out in (None, Path("pp.CSV"), Path("pp.xlsx"), Path("pp.txt"))]
    ['table', 'csv', 'xlsx', 'table']
    >>> format_for_out("table", Path("pp.csv"), by_suffix=suffixes, default="table")
    Traceback (most recent call last):
    ...
    handover.errors.InputError: --format table contradicts --out pp.csv, a .csv file (csv); give --format csv, or a file name that does not end in .csv
    """
    suffix = out.suffix.lower() if out is not None else ""
    named = by_suffix.get(suffix)
    if fmt is None:
        return named or default
    if named is not None and named != fmt:
        raise InputError(f"--format {fmt} contradicts --out {out}, a {suffix} file ({named}); give --format "
                         f"{named}, or a file name that does not end in {suffix}")
    return fmt


def csv_dialect_for(dialect: str | None, fmt: str) -> str:
    """The CSV dialect, refusing ``--csv-dialect`` with an output that is not CSV.

    Examples
    --------
    >>> csv_dialect_for(None, "table"), csv_dialect_for("excel-nb", "csv")
    ('standard', 'excel-nb')
    >>> csv_dialect_for("excel-nb", "json")
    Traceback (most recent call last):
    ...
    handover.errors.InputError: --csv-dialect applies to csv output, not to json; give --format csv (or --out FILE.csv)
    """
    if dialect is not None and fmt != "csv":
        raise InputError(f"--csv-dialect applies to csv output, not to {fmt}; give --format csv (or --out FILE.csv)")
    return dialect or "standard"


def read_options(sep: str = ",", encoding: str = "utf-8", date_format: str | None = None,
                 mapping: Path | None = None, agency: Sequence[str] | None = None) -> ReadOptions:
    """How to read the dataset, from a command's ``--sep``, ``--encoding``, ``--date-format``,
    ``--mapping`` and ``--agency``.

    Raises
    ------
    InputError
        When the mapping file is missing or wrong (every problem named).
    """
    return ReadOptions.of(sep, encoding, date_format, mapping, agency)


#: How to read a dataset, as (parameter, annotation, default): every command that reads data has them.
READING_OPTIONS = (("sep", SepOpt, ","), ("encoding", EncodingOpt, "utf-8"), ("date_format", DateFormatOpt, None),
            ("mapping", MappingOpt, None), ("agency", AgencyOpt, None))


def reads_data(command: Callable | None = None, *, focus: bool = True) -> Callable:
    """Give ``command`` the options of how to read a dataset, declared once for every command.

    ``command`` takes a parameter ``reading`` (a :class:`~handover.io.options.ReadOptions`);
    its command line gets ``--sep``, ``--encoding``, ``--date-format``, ``--mapping``
    and ``--agency`` in its place, read into that one object before ``command`` runs.
    ``@reads_data(focus=False)`` leaves ``--agency`` out, for a command about the whole
    dataset (``validate``).
    """
    if command is None:
        return functools.partial(reads_data, focus=focus)
    reading_options = [o for o in READING_OPTIONS if focus or o[0] != "agency"]
    signature = inspect.signature(command, eval_str=True)
    own = [p for p in signature.parameters.values() if p.name != "reading"]
    added = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default)
             for name, annotation, default in reading_options]
    params = [p if p.kind is not inspect.Parameter.POSITIONAL_OR_KEYWORD or p.default is inspect.Parameter.empty
              else p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in own]
    positional = [p for p in params if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD]
    keyword = [p for p in params if p.kind is not inspect.Parameter.POSITIONAL_OR_KEYWORD]

    @functools.wraps(command)
    def run(*args, **given):
        options = {name: given.pop(name) for name, _, _ in reading_options}
        return command(*args, reading=read_options(**options), **given)

    run.__signature__ = inspect.Signature(positional + keyword + added)
    run.__annotations__ = {p.name: p.annotation for p in positional + keyword + added}
    return run
