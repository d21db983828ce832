"""``handover import tables SOURCE OUT_DIR``: an export written once as a contract dataset.

``handover import event-log LOG OUT_DIR``: an event log's runs of one resource as
responsibilities, written once as a contract dataset.

The work is done by :func:`handover.datasets.imports.import_tables` and
:func:`handover.datasets.eventlog.import_event_log`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from handover.cli.framework import HandoverCommand, new_app
from handover.cli.options import AllowIdentifiersOpt, EncodingOpt, SepOpt, choice_option, reads_data
from handover.datasets.eventlog import (
    DEFAULT_AGENCY, DEFAULT_AGENCY_KIND, DEFAULT_AGENCY_LEVEL, DEFAULT_ROLE, import_event_log,
)
from handover.datasets.imports import REPORT, import_tables
from handover.io.eventlog import LogColumns
from handover.io.options import ReadOptions
from handover.io.write import FORMATS
from handover.model import VOCABULARIES

__all__ = ["app"]

app = new_app(help="Bring data from other systems in as a contract dataset, written once so later "
                   "commands read it fast.")


@app.command("tables", cls=HandoverCommand)
@reads_data
def tables(
    source: Annotated[Path, typer.Argument(
        help="The export: a folder of .csv, .parquet or .xlsx files, or one .xlsx workbook.",
        show_default=False)],
    out_dir: Annotated[Path, typer.Argument(
        help="The folder to write the dataset into: a new folder, or one holding only a dataset "
             "(it is replaced).", show_default=False)],
    fmt: Annotated[str, choice_option("--format", FORMATS, "How the tables are written.")] = "csv",
    allow_identifiers: AllowIdentifiersOpt = False,
    reading: ReadOptions = None,
) -> None:
    """Read an export (through --mapping) and write it as the contract's tables, with a report.

    Every check of `handover validate` runs first; when anything is refused nothing is
    written and every problem is listed with the export's own file or sheet, row, header
    and value. Otherwise OUT_DIR gets one file per table (CSV, UTF-8 with ',' and
    YYYY-MM-DD dates, or Parquet) and import-report.md: where each table came from, the
    rows read and the blank rows skipped, the columns not used, every export value the
    mapping turned into a contract value, and how text dates were read. Later commands
    then read OUT_DIR directly, without the mapping.
    """
    summary = import_tables(source, out_dir, reading=reading,
                            fmt=fmt, allow_identifiers=allow_identifiers)
    rows = ", ".join(f"{table} {count}" for table, count in summary.rows.items())
    typer.echo(f"{summary.folder}: imported {rows}; {summary.mapped} values mapped; see "
               f"{summary.folder / REPORT}")


@app.command("event-log", cls=HandoverCommand)
def event_log(
    log: Annotated[Path, typer.Argument(
        help="The event log: .xes or .xes.gz, .csv, .parquet, or OCEL 2.0 JSON (.json, .jsonocel; with "
             "--object-type).", show_default=False)],
    out_dir: Annotated[Path, typer.Argument(
        help="The folder to write the dataset into: a new folder, or one holding only a dataset "
             "(it is replaced).", show_default=False)],
    case: Annotated[str, typer.Option(
        "--case", metavar="COL", help="The case column (users). In XES, case:KEY is the trace's attribute KEY, "
                                      "so the default is the trace's concept:name.")] = LogColumns.case,
    resource: Annotated[str, typer.Option(
        "--resource", metavar="COL", help="The resource column (staff). In OCEL 2.0, an event attribute, or an "
                                          "object type whose related object is the resource.")] = LogColumns.resource,
    timestamp: Annotated[str, typer.Option(
        "--timestamp", metavar="COL", help="The timestamp column, ISO 8601 (OCEL 2.0: the event's time).")
    ] = LogColumns.timestamp,
    agency: Annotated[Optional[str], typer.Option(
        "--agency", metavar="COL", show_default=False,
        help="A column whose values are the agencies (such as org:group); a run is held for its first event's "
             "value. Default: every responsibility is held for --agency-id.")] = None,
    agency_id: Annotated[str, typer.Option(
        "--agency-id", metavar="ID", help="The agency of responsibilities without an agency value.")
    ] = DEFAULT_AGENCY,
    agency_kind: Annotated[str, choice_option(
        "--agency-kind", VOCABULARIES["agency_kind"], "The kind of every agency made.")] = DEFAULT_AGENCY_KIND,
    agency_level: Annotated[str, choice_option(
        "--agency-level", VOCABULARIES["agency_level"], "The level of every agency made.")] = DEFAULT_AGENCY_LEVEL,
    role: Annotated[str, choice_option(
        "--role", VOCABULARIES["role"], "The role of every responsibility made.")] = DEFAULT_ROLE,
    object_type: Annotated[Optional[str], typer.Option(
        "--object-type", metavar="TYPE", show_default=False,
        help="OCEL 2.0: the object type whose objects are the cases.")] = None,
    fmt: Annotated[str, choice_option("--format", FORMATS, "How the tables are written.")] = "csv",
    sep: SepOpt = ",",
    encoding: EncodingOpt = "utf-8",
    allow_identifiers: AllowIdentifiersOpt = False,
) -> None:
    """Read a process-mining event log and write who held each case, and when, as a contract dataset.

    Per case, events are ordered by their instant (equal instants keep the file's order);
    events without a resource are skipped and counted. Each maximal run of events by one
    resource becomes one responsibility of --role, from the date of the run's first event
    to the date of the next run's first event; the case's last run ends the day after the
    case's last event. Dates are as written in the timestamps (no time-zone conversion).
    Cases become users, resources staff, --agency values agencies. OUT_DIR gets users,
    staff, agencies and responsibilities, and import-report.md with the counts; nothing is
    written when the log is refused.
    """
    columns = LogColumns(case=case, resource=resource, timestamp=timestamp, agency=agency, object_type=object_type)
    done = import_event_log(log, out_dir, columns=columns, role=role, agency_id=agency_id,
                            agency_kind=agency_kind, agency_level=agency_level, fmt=fmt, sep=sep,
                            encoding=encoding, allow_identifiers=allow_identifiers)
    counts = done.counts
    typer.echo(f"{done.folder}: {counts.events} events, {counts.skipped} skipped without a resource; "
               f"{counts.cases} users, {counts.resources} staff, {counts.agencies} agencies, "
               f"{counts.responsibilities} responsibilities; see {done.folder / REPORT}")
