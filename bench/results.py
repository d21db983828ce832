"""The results of a run, kept in ``results.json`` and saved after every measurement.

Saving as we go means a run that is stopped (or hits a cap) still leaves every number
measured so far, and ``python -m bench report`` can render them.
"""

from __future__ import annotations

import json
from pathlib import Path

__all__ = ["Results"]

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
