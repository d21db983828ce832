"""``handover import tables|fhir SOURCE OUT_DIR``: an export written once as a contract dataset.

``handover import event-log LOG OUT_DIR``: an event log's runs of one resource as
responsibilities, written once as a contract dataset.

The work is done by :func:`handover.datasets.imports.import_tables`,
:func:`handover.datasets.fhir.import_fhir` and
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
from handover.datasets.fhir import import_fhir
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
@app.command("fhir", cls=HandoverCommand)
def fhir(
    source: Annotated[Path, typer.Argument(
        help="The FHIR R4 export: a Bundle (.json), an NDJSON Bulk Data file (.ndjson, .ndjson.gz), or a "
             "folder of them.", show_default=False)],
    out_dir: Annotated[Path, typer.Argument(
        help="The folder to write the dataset into: a new folder, or one holding only a dataset "
             "(it is replaced).", show_default=False)],
    mapping: Annotated[Optional[Path], typer.Option(
        "--mapping", metavar="FILE", show_default=False,
        help="A mapping file (TOML) whose fhir section maps the export's codes to contract values "
             "(fhir.values.role, fhir.values.agency_kind, ...; see docs/data.md).")] = None,
    fmt: Annotated[str, choice_option("--format", FORMATS, "How the tables are written.")] = "csv",
    allow_identifiers: Annotated[bool, typer.Option(
        "--allow-identifiers",
        help="Accept Patients that carry national identity numbers (they are never read nor written), and "
             "ids that look like them.")] = False,
) -> None:
    """Read a FHIR R4 export (Bundle or NDJSON) and write it as the contract's tables, with a report.

    Organization, HealthcareService, Practitioner, PractitionerRole, Patient, CareTeam,
    EpisodeOfCare, CarePlan and Encounter become agencies, services, staff, employments,
    users, responsibilities, plans, episodes and contacts (docs/data.md, "From FHIR R4").
    NDJSON is streamed line by line; names, addresses, telecom and free text are never
    read. Codes are read through the mapping's fhir.values tables (one per vocabulary), then
    handover's defaults; a code nothing recognises becomes `other` and is listed in
    import-report.md, with the resources read, used and skipped and the references that
    did not resolve. R5 data, malformed lines, partial dates in periods, references a row
    needs that name nothing, and Patients with national identity numbers are refused with
    their file and line (or Bundle entry); nothing is written then.
    """
    summary = import_fhir(source, out_dir, mapping=mapping, fmt=fmt, allow_identifiers=allow_identifiers)
    rows = ", ".join(f"{table} {count}" for table, count in summary.rows.items())
    typer.echo(f"{summary.folder}: imported {rows} from {summary.resources} resources ({summary.skipped} "
               f"skipped, {summary.other_codes} rows with codes read as other); see {summary.folder / REPORT}")
