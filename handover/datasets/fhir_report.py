"""The text of ``import-report.md`` for ``handover import fhir``.

What an analyst needs to trust (or question) an import: the files read, the resources
read, used and skipped (by type and reason), the rows each table got from each resource
type, the references that resolved to nothing (and what was done), every code read as
``other`` (to map it, if ``other`` is wrong), and every code read with how it was read.
The report names codes and ids, never a name or free text.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from handover import __version__
from handover.datasets.fhir_read import USED_TYPES
from handover.datasets.fhir_tables import TABLE_SOURCES

__all__ = ["fhir_report"]


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def fhir_report(imported, source: Path, out_dir: Path, fmt: str) -> str:
    """The text of ``import-report.md`` for ``imported`` (a :class:`~handover.datasets.fhir.FhirImport`)."""
    reader = imported.reader
    files = reader.source.files
    kinds = Counter(f.kind for f in files)
    described = ", ".join(f"{n} {'NDJSON' if k == 'ndjson' else 'JSON (Bundle or resource)'} file{'s' if n != 1 else ''}"
                          for k, n in sorted(kinds.items()))
    total = sum(reader.read.values())
    lines = [
        "# Import report (FHIR R4)",
        "",
        f"- Source: `{source.name}`: {described}, {total:,} resources",
        "- Codes: " + (f"the mapping `{imported.mapping_name}` ([fhir] section), then handover's defaults"
                        if imported.mapping_name else "handover's defaults (no mapping file)"),
        "- Dates: the day as written (a dateTime's date, no time-zone conversion); period ends "
        + ("as written: the first day without (the contract's end)" if imported.period_end == "as-written"
           else "inclusive: a date-only end is the period's last day, so the contract's end is the day after"),
        f"- Written: {dt.date.today().isoformat()} by handover {__version__}, as {fmt} tables into `{out_dir.name}`",
    ]
    lines += [f"- Note: {note}" for note in imported.notes]
    lines += [f"- Not read: `{name}` (JSON, but no FHIR resource, such as a Bulk Data manifest)"
              for name in reader.source.not_fhir]
    lines += ["", "## Files", "", "| file | format | resources | blank lines or empty entries |", "|---|---|---:|---:|"]
    for i, file in enumerate(files):
        form = "NDJSON" if file.kind == "ndjson" else ("Bundle" if reader.source.bundles[i] else "resource")
        blank = reader.source.blank[i] + reader.source.empty_entries[i]
        lines.append(f"| {_cell(file.name)} | {form} | {reader.source.counts[i]:,} | {blank:,} |")
    lines += ["", "## Resources", "", "| resource type | read | used | skipped | made into |", "|---|---:|---:|---:|---|"]
    into = {kind: [t for t, kinds_ in TABLE_SOURCES.items() if kind in kinds_] for kind in USED_TYPES}
    skipped_by_type = Counter()
    for (kind, _), n in reader.skipped.items():
        skipped_by_type[kind] += n
    for kind in sorted(reader.read, key=lambda k: (k not in USED_TYPES, USED_TYPES.index(k) if k in USED_TYPES else 0, k)):
        if kind in USED_TYPES:
            lines.append(f"| {kind} | {reader.read[kind]:,} | {imported.used[kind]:,} | {skipped_by_type[kind]:,} | "
                         f"{', '.join(into[kind])} |")
        else:
            lines.append(f"| {kind} | {reader.read[kind]:,} | 0 | {reader.read[kind]:,} | not used by handover |")
    lines += ["", "## Skipped", ""]
    if reader.skipped or reader.participants_skipped:
        lines += ["| resource type | reason | count |", "|---|---|---:|"]
        lines += [f"| {kind} | {_cell(reason)} | {n:,} |" for (kind, reason), n in sorted(reader.skipped.items())]
        lines += [f"| CareTeam participant | {_cell(reason)} | {n:,} |"
                  for reason, n in sorted(reader.participants_skipped.items())]
    else:
        lines.append("Nothing: every resource of the types handover reads made rows.")
    lines += ["", "## Tables written", "", "| table | rows | made from |", "|---|---:|---|"]
    for name, frame in imported.dataset.tables.items():
        made = imported.made_from.get(name)
        origin = ", ".join(f"{k} {v:,}" for k, v in made.items()) if made else ", ".join(TABLE_SOURCES[name])
        lines.append(f"| {name} | {len(frame):,} | {origin} |")
    lines += ["", "## References that did not resolve", ""]
    if imported.unresolved:
        lines += ["| element | to | count | first | what was done |", "|---|---|---:|---|---|"]
        for (element, target, action), n in sorted(imported.unresolved.items()):
            lines.append(f"| {element} | {target} | {n:,} | {_cell(imported.unresolved_first[element, target, action])}"
                         f" | {action} |")
    else:
        lines.append("None: every reference handover follows named a resource of the export.")
    others = [(k, n) for k, n in imported.codes.items() if k[4] == "not recognised"]
    lines += ["", "## Codes read as other", ""]
    if others:
        lines += ["Not recognised by the mapping or the defaults: map them under `[fhir.values.<vocabulary>]` "
                  "in a mapping file if `other` is wrong.", "",
                  "| vocabulary | element | code | rows |", "|---|---|---|---:|"]
        lines += [f"| {k[0]} | {k[1]} | {_cell(k[2])} | {n:,} |"
                  for k, n in sorted(others, key=lambda item: (item[0][0], -item[1], item[0][2]))]
    else:
        lines.append("None: every code was recognised.")
    lines += ["", "## Codes read", "", "| vocabulary | element | code | value | by | rows |",
              "|---|---|---|---|---|---:|"]
    for (vocabulary, element, code, value, how), n in sorted(imported.codes.items(),
                                                              key=lambda item: (item[0][0], -item[1], item[0][2])):
        lines.append(f"| {vocabulary} | {element} | {_cell(code)} | {value} | {how} | {n:,} |")
    lines += ["", "## Not read", "",
              "Names, addresses, telecom, narrative (`text`), notes and other free text are never read; a "
              "Patient's identifiers are looked at only for their system (a national identity number is refused "
              "without --allow-identifiers), never for their values; a user is the Patient's id and its birth "
              "year. CareTeam reasons and responsibility reasons are not read (the `reason` column is empty).", ""]
    return "\n".join(lines)
