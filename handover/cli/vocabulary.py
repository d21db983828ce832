"""``handover vocabulary [NAME]``: the closed vocabularies and what each value means.

The allowed values of every vocabulary, each with a one-line meaning in English and
Norwegian (:mod:`handover.meanings`), so that an analyst can read them before mapping an
export rather than meet them first in an error message. ``--lang`` shows the table in one
language; the CSV always has both meanings, for scripts.
"""

from __future__ import annotations

import csv
import io
import os
import sys
from typing import Annotated, Optional

import typer

from handover.cli.options import check_choice, choice_option
from handover.locale import LANGUAGES, words
from handover.meanings import VOCABULARY_TITLES, vocabulary_rows
from handover.model import VOCABULARIES

__all__ = ["vocabulary"]

FORMATS = ("table", "csv")
CSV_COLUMNS = ("vocabulary", "value", "meaning_en", "meaning_nb")
WIDTH = 100  # the widest the tables get, so that they read in a terminal and a log alike


def vocabulary(
    name: Annotated[Optional[str], typer.Argument(
        metavar="NAME", show_default=False, callback=check_choice("NAME", tuple(VOCABULARIES)),
        help=f"Show only this vocabulary. One of: {', '.join(VOCABULARIES)}.")] = None,
    fmt: Annotated[str, choice_option(
        "--format", FORMATS, "table for reading, csv (vocabulary,value,meaning_en,meaning_nb) for scripts.")]
        = "table",
    lang: Annotated[Optional[str], choice_option(
        "--lang", LANGUAGES, "Show the table in one language: en (English) or nb (Norwegian bokmål). "
                             "Default: both side by side.", show_default=False)] = None,
) -> None:
    """List every closed vocabulary of the data contract with what each value means, in English and Norwegian.

    These are the only values the coded columns accept (agency kind and level, service
    kind, role, plan kind, discharge kind, contact kind); docs/data.md explains them too.
    The table shows both languages side by side, or one with --lang; the CSV always has
    both.
    """
    rows = vocabulary_rows(name)
    sys.stdout.write(_csv(rows) if fmt == "csv" else _tables(rows, lang))


def _csv(rows: list[tuple[str, str, str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue()


def _tables(rows: list[tuple[str, str, str, str]], lang: str | None = None) -> str:
    """Rich tables, one per vocabulary: both meanings, or those of ``lang`` only."""
    from rich.console import Console
    from rich.table import Table

    width = WIDTH
    if sys.stdout.isatty():
        width = min(WIDTH, os.get_terminal_size(sys.stdout.fileno()).columns)
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, highlight=False)
    tables: dict[str, Table] = {}
    for vocabulary, value, meaning_en, meaning_nb in rows:
        if vocabulary not in tables:
            title = VOCABULARY_TITLES[vocabulary]
            heading = {"en": title.en, "nb": title.nb}.get(lang, f"{title.en} ({title.nb})")
            tables[vocabulary] = table = Table(title=f"{vocabulary}: {heading}", title_justify="left", expand=True)
            w = words(lang or "en")
            table.add_column(w("word.value"), no_wrap=True)
            if lang is None:
                table.add_column("meaning", ratio=1)
                table.add_column("betydning", ratio=1)
            else:
                table.add_column(w("word.meaning"), ratio=1)
        meanings = {"en": (meaning_en,), "nb": (meaning_nb,)}.get(lang, (meaning_en, meaning_nb))
        tables[vocabulary].add_row(value, *meanings)
    for table in tables.values():
        console.print(table)
        console.print()
    return buffer.getvalue()
