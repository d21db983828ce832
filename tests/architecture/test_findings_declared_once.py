"""Each finding is declared once, and everything else follows from the declaration.

Adding a finding means: its module in handover/findings/, its Cypher file, its expected
rows in every fixture and its section in docs/findings.md (docs/architecture.md says so).
These tests check that those are all there and agree, without a server, and that no
other library file names a finding except the few features built on one of them.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from handover.engines.neo4j.queries import cypher_root, load_query
from handover.findings import FINDINGS

REPO = Path(__file__).resolve().parents[2]
FIXTURES = sorted(p for p in (REPO / "fixtures").iterdir() if (p / "expected").is_dir())

# Features built on one finding in particular (the audit on discharges, today's worklist on
# turnover and dormant plans, the report's distribution of continuity, the user page's marks
# and cards, the generator's realism check); every other use goes through the registry.
CONSUMERS = {
    "handover_without_coordinator": {"handover/generate/realism.py"},
    "caseworker_turnover": {"handover/findings/worklist.py"},
    "continuity_of_care": {"handover/render/report_site.py", "handover/render/finding_page.py",
                           "handover/reports/summary.py"},
    "discharge_follow_up": {"handover/cli/audit.py", "handover/generate/realism.py", "handover/render/user_page.py",
                            "handover/reports/audit.py"},
    "coordinator_gaps": {"handover/render/user_page.py"},
    "dormant_plans": {"handover/render/user_page.py", "handover/findings/worklist.py"},
}


@pytest.mark.parametrize("name", FINDINGS)
def test_the_cypher_header_declares_exactly_the_findings_parameters(name):
    finding = FINDINGS[name]
    query = load_query(finding.cypher)
    assert query.mode == "read"
    assert sorted(query.params) == sorted(finding.params), (
        f"{query.path}: // params: {', '.join(query.params)}; the declaration's options and as_of: "
        f"{', '.join(finding.params)}")


def test_every_finding_query_belongs_to_a_declared_finding():
    files = sorted(p.stem for p in (cypher_root() / "findings").glob("*.cypher"))
    assert files == sorted(FINDINGS)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
def test_every_fixture_has_expected_rows_for_every_finding(fixture):
    expected = {p.stem for p in (fixture / "expected").glob("*.csv")}
    assert set(FINDINGS) <= expected, sorted(set(FINDINGS) - expected)
    for name, finding in FINDINGS.items():
        header = (fixture / "expected" / f"{name}.csv").read_text(encoding="utf-8").splitlines()[0]
        assert header.split(",") == finding.schema.column_names


def test_docs_have_a_section_per_finding_numbered_as_declared():
    text = (REPO / "docs" / "findings.md").read_text(encoding="utf-8")
    sections = dict((name, number) for number, name in re.findall(r"^### (5\.\d+) `(\w+)`", text, re.M))
    assert sections == {name: f.section for name, f in FINDINGS.items()}


def test_findings_are_listed_in_the_order_of_their_sections():
    numbers = [tuple(int(p) for p in f.section.split(".")) for f in FINDINGS.values()]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)


def code_words(path: Path) -> str:
    """The names and string literals of a module's code: docstrings and comments left out
    (their examples may use any finding; they are not what a new finding must be added to)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant) and isinstance(node.body[0].value.value, str)}
    words = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            words.append(node.value)
        elif isinstance(node, ast.Name):
            words.append(node.id)
        elif isinstance(node, ast.Attribute):
            words.append(node.attr)
        elif isinstance(node, ast.alias):
            words.append(node.name)
        elif isinstance(node, ast.ImportFrom) and node.module:
            words.append(node.module)
    return "\n".join(words)


@pytest.mark.parametrize("name", FINDINGS)
def test_no_other_library_code_names_the_finding(name):
    own = {f"handover/findings/{name}.py"}
    allowed = own | CONSUMERS.get(name, set())
    pattern = re.compile(rf"\b({name}|{name.replace('_', '-')})\b")
    naming = {str(p.relative_to(REPO)) for p in (REPO / "handover").rglob("*.py")
              if pattern.search(code_words(p))}
    assert naming == allowed, f"names it but may not: {sorted(naming - allowed)}; listed but does not: " \
                              f"{sorted(allowed - naming)}"
