"""The layer map of docs/architecture.md holds: no import from a higher layer, no circle.

The map is read from the document itself (its table of layers), so the document and
the code cannot drift apart. Every import counts, at module level or inside a function,
since a function-level import is how a circle hides.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import networkx as nx

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "handover"
DOC = REPO / "docs" / "architecture.md"


def layer_table() -> dict[str, int]:
    """``module prefix -> layer`` from the table of docs/architecture.md."""
    layers = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        row = re.match(r"\|\s*(\d+)\s*\|([^|]+)\|", line)
        if row:
            for name in re.findall(r"`(handover(?:\.[a-z_0-9]+)*)`", row.group(2)):
                layers[name] = int(row.group(1))
    return layers


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imported(path: Path, known: set[str]) -> set[str]:
    """The handover modules ``path`` imports anywhere (a name imported from a package that is
    itself a module counts as that module)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "handover"}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "handover":
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in known}
    return found & known


def layer_of(module: str, table: dict[str, int]) -> int:
    prefixes = [p for p in table if module == p or module.startswith(p + ".")]
    assert prefixes, f"{module} is in no layer of docs/architecture.md"
    return table[max(prefixes, key=len)]


def import_graph() -> nx.DiGraph:
    found = modules()
    graph = nx.DiGraph()
    graph.add_nodes_from(found)
    for name, path in found.items():
        for target in imported(path, set(found)):
            if target != name:
                graph.add_edge(name, target)
    return graph


def test_every_module_has_a_layer():
    """Named in the table itself: only ``handover`` and ``handover.errors`` may be layer 0
    by their name (every other module would match ``handover`` as a prefix)."""
    table = layer_table()
    assert len(table) >= 10
    for name in modules():
        layer_of(name, table)
        named = [p for p in table if (name == p or name.startswith(p + ".")) and p != "handover"]
        assert named or name == "handover", f"{name} is named in no row of docs/architecture.md"


def test_no_module_imports_from_a_higher_layer():
    table = layer_table()
    upward = [f"{source} (layer {layer_of(source, table)}) imports {target} (layer {layer_of(target, table)})"
              for source, target in import_graph().edges
              if layer_of(target, table) > layer_of(source, table)]
    assert not upward, "\n".join(upward)


def test_no_import_circle_between_modules():
    circles = list(nx.simple_cycles(import_graph()))
    # A package's __init__ importing its own modules is not a circle back into it.
    circles = [c for c in circles if not all(any(m.startswith(o + ".") or o.startswith(m + ".") for o in c if o != m)
                                              for m in c)]
    assert not circles, circles


def test_no_import_circle_between_packages():
    def package(module: str) -> str:
        parts = module.split(".")
        return ".".join(parts[:2]) if len(parts) > 1 else parts[0]

    packages = nx.DiGraph()
    for source, target in import_graph().edges:
        if package(source) != package(target):
            packages.add_edge(package(source), package(target))
    assert list(nx.simple_cycles(packages)) == []


def test_the_cli_is_the_only_layer_that_imports_typer():
    users = [name for name, path in modules().items()
             if re.search(r"^\s*(import|from) typer\b", path.read_text(encoding="utf-8"), re.M)]
    assert users and all(name.startswith("handover.cli") for name in users), users
