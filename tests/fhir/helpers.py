"""Writing FHIR test data (Bundles, NDJSON) and reading the imported tables as plain rows."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from handover.cli import app
from handover.model import TABLES

runner = CliRunner()


def write_bundle(path: Path, resources, *, full_urls: bool = False) -> Path:
    """``resources`` as a collection Bundle at ``path``."""
    entries = []
    for resource in resources:
        entry = {"resource": resource}
        if full_urls:
            entry["fullUrl"] = f"https://fhir.example.org/{resource['resourceType']}/{resource['id']}"
        entries.append(entry)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"resourceType": "Bundle", "type": "collection", "entry": entries}), encoding="utf-8")
    return path


def write_ndjson(folder: Path, resources) -> Path:
    """``resources`` as one ``<Type>.ndjson`` per resource type in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    by_type: dict[str, list[str]] = {}
    for resource in resources:
        by_type.setdefault(resource["resourceType"], []).append(json.dumps(resource, ensure_ascii=False))
    for kind, lines in by_type.items():
        (folder / f"{kind}.ndjson").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def rows(dataset, table: str) -> list[tuple]:
    """A table's contract columns as tuples of text (dates ``YYYY-MM-DD``, missing ``None``), in file order."""
    frame = dataset[table]
    out = []
    for record in frame[list(TABLES[table].column_names)].itertuples(index=False):
        values = []
        for value in record:
            if value is None or value is pd.NaT or (not isinstance(value, str) and pd.isna(value)):
                values.append(None)
            elif isinstance(value, pd.Timestamp):
                values.append(value.strftime("%Y-%m-%d"))
            else:
                values.append(str(value))
        out.append(tuple(values))
    return out


def invoke(*args):
    """``handover ARGS`` through the CLI, as a user runs it."""
    return runner.invoke(app, [str(a) for a in args])
