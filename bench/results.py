"""The results of a run, kept in ``results.json`` and saved after every measurement.

Saving as we go means a run that is stopped (or hits a cap) still leaves every number
measured so far, and ``python -m bench report`` can render them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
from pathlib import Path

__all__ = ["Results", "machine", "write_pair"]

SECTIONS = ("datasets", "memory", "naive", "neo4j_load", "neo4j_queries", "profiles", "pm4py", "notes")


class Results:
    """Measurements by section, each a list of flat dicts, plus the machine."""

    def __init__(self, path: Path, data: dict | None = None):
        self.path = path
        self.data = data or {"machine": {}, **{s: [] for s in SECTIONS}}
        for section in SECTIONS:
            self.data.setdefault(section, [])

    @classmethod
    def load(cls, path: Path) -> "Results":
        return cls(path, json.loads(path.read_text(encoding="utf-8")))

    def add(self, section: str, entry: dict) -> dict:
        self.data[section].append(entry)
        self.save()
        return entry

    def note(self, text: str) -> None:
        self.add("notes", {"text": text})

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(self.data, indent=1, default=str), encoding="utf-8")
        temporary.replace(self.path)

    def __getitem__(self, section: str) -> list[dict]:
        return self.data[section]


def machine(load_average: list | None = None, **extra) -> dict:
    """The machine a bench ran on, for its json: cores, CPU, RAM, Python, the load averages
    (1/5/15 min) sampled during the run, when it finished, and anything in ``extra``."""
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    described = {"cores": os.cpu_count(), "cpu": platform.processor() or platform.machine(),
                 "ram_gib": round(ram / 2**30, 1), "python": platform.python_version()}
    if load_average is not None:
        described["load_average"] = [list(one) for one in load_average]
    described["finished"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    return {**described, **extra}


def write_pair(out: Path, name: str, report: dict, markdown: str) -> Path:
    """Write ``<name>.json`` and ``<name>.md`` into ``out``; the markdown's path."""
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
    path = out / f"{name}.md"
    path.write_text(markdown, encoding="utf-8")
    return path
