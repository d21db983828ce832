"""``handover import tables|fhir SOURCE OUT_DIR``: an export written once as a contract dataset.

The work is done by :func:`handover.datasets.imports.import_tables` and
:func:`handover.datasets.fhir.import_fhir`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from handover.cli.framework import HandoverCommand, new_app
from handover.cli.options import AllowIdentifiersOpt, choice_option, reads_data
from handover.datasets.fhir import import_fhir
from handover.datasets.imports import REPORT, import_tables
from handover.io.options import ReadOptions
from handover.io.write import FORMATS

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
