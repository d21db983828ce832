"""``python -m bench exports``: what reading an analyst's export costs against reading the contract's CSVs.

One run, at one size (default 10 000 users, a health region), measures in fresh
processes, interleaved and best of ``--repeat``:

- ``floor``: ``pandas.read_csv`` of the contract CSVs (no validation);
- ``contract csv``: :func:`handover.io.read_dataset` of the contract CSVs;
- ``contract xlsx``: the same rows in one workbook, a sheet per table, date cells as dates;
- ``export csv + mapping``: the same rows dressed as a Norwegian export (Norwegian sheet
  names, headers and codes, ``DD.MM.YYYY`` text dates) in the contract's CSV dialect
  (UTF-8, ``,``), read through a mapping: the cost of the mapping alone;
- ``export csv (;, cp1252) + mapping``: the same in Excel's Norwegian CSV dialect, which
  adds decoding cp1252;
- ``export xlsx + mapping``: that export as a workbook (text codes, date cells).

Targets: reading through a mapping costs at most 1.3 x reading the contract CSVs; the
workbook is measured against the CSVs of the same rows. The dress is generic (a
fixed Norwegian name for every table, column and vocabulary value), made here from the
generated dataset, so that the export holds exactly the contract dataset's rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import platform
import statistics
from pathlib import Path

from bench.datasets import dataset_folder
from bench.worker import measure
from handover.meanings import MEANINGS
from handover.model import TABLES, VOCABULARIES, ColumnKind

__all__ = ["run_exports"]

# A Norwegian sheet name per table and header per column: the dress of the export.
SHEETS = {"agencies": "Virksomheter", "services": "Tjenester", "staff": "Ansatte",
          "employments": "Arbeidsforhold", "users": "Brukere", "responsibilities": "Ansvar",
          "plans": "Planer", "episodes": "Opphold", "contacts": "Kontakter"}
HEADERS = {"agency_id": "VirksomhetID", "service_id": "TjenesteID", "staff_id": "AnsattID",
           "user_id": "BrukerID", "plan_id": "PlanID", "episode_id": "OppholdID", "contact_id": "KontaktID",
           "name": "Navn", "kind": "Type", "level": "Nivå", "municipality": "Kommune",
           "profession": "Yrke", "start": "Fra", "end": "Til", "birth_year": "Fødselsår", "role": "Rolle",
           "reason": "Årsak", "last_revised": "Sist revidert", "discharge_kind": "Utskrivningsårsak",
           "date": "Dato"}


def _codes() -> dict[str, dict[str, str]]:
    """Per vocabulary, contract value → a Norwegian code: the Norwegian meaning's first words."""
    codes = {}
    for vocabulary, values in VOCABULARIES.items():
        codes[vocabulary] = {value: MEANINGS[vocabulary][value].nb.split(":")[0].split(",")[0].strip()[:40]
                             or value for value in values}
        assert len(set(codes[vocabulary].values())) == len(values), vocabulary
    return codes


def _dressed_rows(folder: Path, table: str, codes) -> tuple[list[str], list[list]]:
    spec = TABLES[table]
    with open(folder / f"{table}.csv", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = []
        for row in reader:
            out = []
            for column in spec.columns:
                value = row.get(column.name, "")
                if value and column.kind is ColumnKind.VOCAB:
                    value = codes[column.vocabulary][value]
                elif value and column.kind is ColumnKind.DATE:
                    value = dt.date.fromisoformat(value[:10])
                out.append(value)
            rows.append(out)
    return [HEADERS[c.name] for c in spec.columns], rows


def _write_export(source: Path, target: Path) -> None:
    """The dataset in ``source`` as a dressed export: csv/ (;, cp1252), eksport.xlsx, mapping.toml."""
    import openpyxl

    codes = _codes()
    (target / "csv").mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook(write_only=True)
    contract = openpyxl.Workbook(write_only=True)
    mapping = ['date_format = "DD.MM.YYYY"', ""]
    for table in TABLES:
        if not (source / f"{table}.csv").exists():
            continue
        header, rows = _dressed_rows(source, table, codes)
        texts = [[v.strftime("%d.%m.%Y") if isinstance(v, dt.date) else v for v in r] for r in rows]
        for folder, encoding, sep, ends in (("csv", "cp1252", ";", "\r\n"), ("csv-utf8", "utf-8", ",", "\n")):
            (target / folder).mkdir(parents=True, exist_ok=True)
            with open(target / folder / f"{SHEETS[table]}.csv", "w", encoding=encoding, newline="",
                      errors="replace") as handle:
                writer = csv.writer(handle, delimiter=sep, lineterminator=ends)
                writer.writerow(header)
                writer.writerows(texts)
        sheet = book.create_sheet(SHEETS[table])
        sheet.append(header)
        for row in rows:
            sheet.append([v if v != "" else None for v in row])
        plain = contract.create_sheet(table)
        plain.append(list(TABLES[table].column_names))
        with open(source / f"{table}.csv", encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            next(reader)
            dates = [i for i, c in enumerate(TABLES[table].columns) if c.kind is ColumnKind.DATE]
            for row in reader:
                plain.append([dt.date.fromisoformat(v) if i in dates and v else (v or None)
                              for i, v in enumerate(row)])
        mapping += [f"[{table}]", f'source = "{SHEETS[table]}"', f"[{table}.columns]"]
        mapping += [f'{c.name} = "{HEADERS[c.name]}"' for c in TABLES[table].columns]
        for column in TABLES[table].columns:
            if column.kind is ColumnKind.VOCAB:
                mapping.append(f"[{table}.values.{column.name}]")
                mapping += [f'"{code}" = "{value}"' for value, code in codes[column.vocabulary].items()]
        mapping.append("")
    book.save(target / "eksport.xlsx")
    contract.save(target / "contract.xlsx")
    (target / "mapping.toml").write_text("\n".join(mapping), encoding="utf-8")
    (target / "bench-export.json").write_text(json.dumps({"from": str(source)}), encoding="utf-8")


def run_exports(users: int, *, seed: int = 1, repeat: int = 3, data: Path, out: Path, log=print) -> Path:
    """Measure the five reads of the module docstring at ``users``; write exports.md and exports.json."""
    folder, _ = dataset_folder(data, users, seed, log=log)
    export = data / f"export-{users}-seed-{seed}"
    if not (export / "bench-export.json").exists() or not (export / "csv-utf8").exists():
        log(f"dressing {folder.name} as a Norwegian export (csv, xlsx, mapping)")
        _write_export(folder, export)
    reads = {
        "floor (pandas.read_csv)": {"kind": "floor", "data": str(folder)},
        "contract csv": {"kind": "read_export", "data": str(folder)},
        "contract xlsx": {"kind": "read_export", "data": str(export / "contract.xlsx")},
        "export csv + mapping": {"kind": "read_export", "data": str(export / "csv-utf8"),
                                 "mapping": str(export / "mapping.toml")},
        "export csv (;, cp1252) + mapping": {"kind": "read_export", "data": str(export / "csv"), "sep": ";",
                                             "encoding": "cp1252", "mapping": str(export / "mapping.toml")},
        "export xlsx + mapping": {"kind": "read_export", "data": str(export / "eksport.xlsx"),
                                  "mapping": str(export / "mapping.toml")},
    }
    samples: dict[str, list[float]] = {name: [] for name in reads}
    peaks: dict[str, int] = {}
    load = [os.getloadavg()]
    for round_ in range(repeat):  # interleaved: each read sees the same machine as the others
        for name, spec in reads.items():
            result = measure({**spec, "repeat": 1}, cap=1800.0)
            if result["status"] != "ok":
                raise SystemExit(f"{name}: {result}")
            samples[name].append(result["seconds"])
            peaks[name] = max(peaks.get(name, 0), result["peak_rss"])
            log(f"round {round_ + 1}: {name} {result['seconds']:.2f} s")
    load.append(os.getloadavg())
    best = {name: min(values) for name, values in samples.items()}
    base = best["contract csv"]
    results = {"users": users, "seed": seed, "repeat": repeat, "best": best, "samples": samples,
               "peak_rss": peaks, "load_average": load, "machine": {"nproc": os.cpu_count(),
                                                                     "python": platform.python_version()},
               "when": dt.datetime.now().isoformat(timespec="seconds")}
    out.mkdir(parents=True, exist_ok=True)
    (out / "exports.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    mapped = best["export csv + mapping"] / base
    lines = [
        f"# Reading exports: {users:,} users (seed {seed})", "",
        f"Measured {results['when']} on {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"load average {load[0][0]:.2f} at start, {load[1][0]:.2f} at end (nothing else of ours running). "
        f"Each read in a fresh process, interleaved, best of {repeat}.", "",
        "| read | best s | median s | × contract csv | peak RSS MiB |", "|---|---:|---:|---:|---:|",
    ]
    for name in reads:
        lines.append(f"| {name} | {best[name]:.2f} | {statistics.median(samples[name]):.2f} | "
                     f"{best[name] / base:.2f} | {peaks[name] / 2**20:.0f} |")
    lines += ["", "| target | measured | holds |", "|---|---|---|",
              f"| reading through a mapping ≤ 1.3 × reading the contract CSVs | {mapped:.2f} × | "
              f"{'yes' if mapped <= 1.3 else 'no'} |",
              f"| a workbook against the CSVs of the same rows (no target; measured) | "
              f"{best['contract xlsx'] / base:.2f} × | — |", ""]
    (out / "exports.md").write_text("\n".join(lines), encoding="utf-8")
    return out / "exports.md"
