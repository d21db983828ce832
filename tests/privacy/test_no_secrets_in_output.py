"""No byte a command writes carries a secret, a national id it was not asked for, or free text
(issue 17, item 2).

Canaries are planted where a user's data and settings hold them: national-id-like user ids,
personal free text (reasons, municipalities), a Neo4j password in ``NEO4J_PASSWORD`` and in
``--neo4j-uri``, and a pseudonym key. Each command runs as a real process, as a shell runs it,
and everything it wrote (standard output and error, every file under its output) is scanned.
Results requested with ``--allow-identifiers`` may hold the ids, and only there.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from handover.cli import app
from tests.privacy.synthetic import impossible_numbers
from tests.privacy.synthetic import NUMBERS, leaked

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "Canary-Pw-7f3Q9"
KEY = b"CANARY-KEY-do-not-print-0123456789"
# What users.municipality and responsibilities.reason hold in the corpus base.
PERSONAL_TEXT = ("Vardø", "Røros", "sykemeldt", "flyttet til Bodø", "ny stilling")
ABSENT_NUMBER = impossible_numbers(5)[4]
CLOSED_PORT = "bolt://127.0.0.1:9"


def _secrets_in(data: bytes, *, ids_allowed: bool) -> list[str]:
    text = data.decode("utf-8", errors="replace")
    found = [s for s in (PASSWORD, KEY.decode()) if s in text]
    found += [t for t in PERSONAL_TEXT if t in text]
    if not ids_allowed:
        found += leaked(text) + ([ABSENT_NUMBER] if ABSENT_NUMBER in text else [])
    return found


def _run(args: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "HANDOVER_DEBUG"))}
    environment.update({"COLUMNS": "200", "HANDOVER_STATE_DIR": str(cwd / "state"), **(env or {})})
    return subprocess.run([sys.executable, "-m", "handover.cli", *args], cwd=cwd, env=environment,
                          capture_output=True, timeout=300)


def _runs(data: Path, key_file: Path):
    """(arguments, environment, exit codes accepted, may the results hold the ids)."""
    allow = "--allow-identifiers"
    yield ["validate", data], None, {2}, False
    yield ["find", "parallel-plans", data], None, {2}, False
    yield ["report", data, "--out", "refused-report"], None, {2}, False
    yield ["user", NUMBERS[0], data], None, {2}, False
    yield ["user", ABSENT_NUMBER, data, allow, "--out", "u.html"], None, {2}, False
    yield ["user", f"{ABSENT_NUMBER[:6]} {ABSENT_NUMBER[6:]}", data, allow, "--out", "u.html"], None, {2}, False
    neo4j = ["find", "parallel-plans", "--engine", "neo4j"]
    yield [*neo4j, "--neo4j-uri", f"bolt://neo4j:{PASSWORD}@127.0.0.1:9"], None, {1, 2}, False
    yield [*neo4j, "--neo4j-uri", f"neo4j+s://neo4j:{PASSWORD}@nowhere.invalid:1"], None, {1, 2}, False
    yield [*neo4j, "--neo4j-uri", CLOSED_PORT], {"NEO4J_PASSWORD": PASSWORD}, {1, 2}, False
    yield ["load", data, allow, "--neo4j-uri", CLOSED_PORT], {"NEO4J_PASSWORD": PASSWORD}, {1, 2}, False
    yield ["pseudonymize", data, "pseudonymous", "--key-file", key_file], None, {0}, False
    yield ["report", data, "--out", "report", allow], None, {0}, True
    yield ["audit", data, "--out", "audit", allow], None, {0}, True
    yield ["metrics", data, "--out", "metrics", allow], None, {0}, True
    yield ["network", "handover-flows", data, "--format", "gexf", "--out", "flows.gexf", allow], None, {0}, True
    yield ["user", NUMBERS[1], data, "--out", "story.html", allow], None, {0}, True


def test_no_run_writes_a_secret_an_unasked_id_or_free_text(identified, tmp_path):
    key_file = tmp_path / "work" / "handover.key"
    key_file.parent.mkdir()
    key_file.write_bytes(KEY)
    key_file.chmod(0o600)
    work = key_file.parent
    problems = []
    for args, env, codes, ids_allowed in _runs(identified, key_file):
        before = {p for p in work.rglob("*") if p.is_file()}
        ran = _run([str(a) for a in args], work, env)
        label = " ".join(str(a) for a in args[:3])
        if ran.returncode not in codes:
            problems.append((label, f"exit {ran.returncode}", ran.stderr.decode(errors="replace")[-400:]))
        if b"Traceback" in ran.stderr or b"unexpected failure" in ran.stderr:
            problems.append((label, "traceback", ran.stderr.decode(errors="replace")[-400:]))
        # Messages never hold the ids, even when the results may.
        problems += [(label, "stderr", s) for s in _secrets_in(ran.stderr, ids_allowed=False)]
        problems += [(label, "stdout", s) for s in _secrets_in(ran.stdout, ids_allowed=ids_allowed)]
        for written in sorted({p for p in work.rglob("*") if p.is_file()} - before - {key_file}):
            data = written.read_bytes()
            if written.suffix == ".xlsx":
                data = _xlsx_text(written)
            problems += [(label, str(written.relative_to(work)), s)
                         for s in _secrets_in(data, ids_allowed=ids_allowed)]
    assert not problems, problems
    # The pseudonymous copy really is one: no id of the original, no free text.
    copy = work / "pseudonymous"
    assert {p.name for p in copy.iterdir()} >= {"users.csv", "responsibilities.csv"}


def _xlsx_text(path: Path) -> bytes:
    """Every XML part of a workbook, unpacked (its cells are in compressed parts)."""
    import zipfile

    with zipfile.ZipFile(path) as book:
        return b"\n".join(book.read(name) for name in book.namelist())


def test_the_debug_traceback_hides_the_values_in_messages(identified, monkeypatch):
    from handover.engines.memory import MemoryEngine

    def broken(*args, **kwargs):  # a failure whose text quotes a value, as pandas' KeyErrors do
        raise KeyError(f"{NUMBERS[0]} {PERSONAL_TEXT[3]} bolt://neo4j:{PASSWORD}@db:7687")

    monkeypatch.setattr(MemoryEngine, "run_finding", broken)
    monkeypatch.setenv("HANDOVER_DEBUG", "1")
    result = CliRunner().invoke(app, ["find", "parallel-plans", str(identified), "--allow-identifiers"])
    assert result.exit_code == 1
    assert "Traceback (most recent call last" in result.stderr
    assert "KeyError" in result.stderr and "unexpected failure (KeyError" in result.stderr
    assert not _secrets_in(result.stderr.encode(), ids_allowed=False), result.stderr


@pytest.mark.parametrize("where", ["message", "uri"])
def test_server_text_with_a_value_is_redacted(where):
    from handover.privacy.redaction import redacted

    text = {"message": f"Node(3) already exists with label `ServiceUser` and property `user_id` = '{NUMBERS[0]}'",
            "uri": f"Unable to retrieve routing information from neo4j://neo4j:{PASSWORD}@db:7687"}[where]
    shown = redacted(text)
    assert NUMBERS[0] not in shown and PASSWORD not in shown
    assert ("`user_id`" in shown) if where == "message" else ("db:7687" in shown)
