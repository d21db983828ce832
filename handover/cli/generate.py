"""``handover generate OUT_DIR --users N --seed S``: write a realistic synthetic dataset.

The main CLI registers :func:`generate` as a command; the work is done by
:func:`handover.generate.generate_dataset`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from handover.cli.options import choice_option
from handover.generate import generate_dataset
from handover.generate.writer import FORMATS

__all__ = ["generate"]


def generate(
    out_dir: Annotated[Path, typer.Argument(
        help="Folder to write the dataset into (created if needed).", show_default=False)],
    users: Annotated[int, typer.Option("--users", help="Number of service users, at least 1.",
                                       show_default=False)],
    seed: Annotated[int, typer.Option(
        "--seed", help="Random seed (0 or more); the same arguments give byte-identical files.",
        show_default=False)],
    years: Annotated[int, typer.Option("--years", help="Length of the period in years, at least 1.")] = 3,
    start_date: Annotated[Optional[str], typer.Option(
        "--start-date", metavar="YYYY-MM-DD",
        help="First day of the period. Default: 2022-01-01.", show_default=False)] = None,
    fmt: Annotated[str, choice_option("--format", FORMATS, "File format of the tables.")] = "csv",
) -> None:
    """Write a synthetic dataset that looks like the field, to try handover on.

    Simulates a health region sized to --users: a big city with NAV district
    offices and an allocation office, towns, small municipalities with a
    one- or two-person substance-use service, GPs, a health trust with TSB
    (detox, three-month inpatient stays, outpatient care, LAR) and DPS,
    private institutions and NGOs, with caseloads as the field reports them
    (NAV caseworkers 70-80 users, LAR consultants 170-180, TSB ward staff
    about 7).

    Over --years, users change caseworker two to three times a year
    (reorganisation, sick leave, project posts ending, caseworkers leaving),
    go through detox and inpatient stays with readmissions, hold individual
    plans (86 % of TSB inpatients, about 16 % of NAV users) next to
    treatment and activity plans, lose their coordinator at discharge, and
    are followed up after discharge the same day, within a week, within a
    month or not at all. Every finding of `handover find` has something to
    find in it. Histories begin up to two years before the period; anything
    still running at its end is written as ongoing.

    Writes all nine tables of the data contract into OUT_DIR (replacing
    tables of the same name, and only once every table is complete), with
    pseudonymous ids (u000001, st00042, ag017) and no personal data. Users
    are generated in chunks and streamed to disk: 100 000 users take seconds
    and little memory. A progress bar runs on standard error; a summary of
    the rows written goes to standard output.
    """
    with Progress(TextColumn("users"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("users", total=max(users, 0))

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        summary = generate_dataset(out_dir, users=users, seed=seed, years=years, start=start_date,
                                   fmt=fmt, progress=progress)
    typer.echo(f"{summary.folder}: {summary.users} users, {summary.start} to {summary.end} "
               f"(seed {summary.seed}, {summary.fmt}) in {summary.seconds:.1f} s")
    typer.echo(", ".join(f"{table} {rows}" for table, rows in summary.rows.items()))
