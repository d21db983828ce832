"""Reading a whole (small) graph back, to compare databases before and after."""

from __future__ import annotations


def snapshot(driver) -> list[str]:
    """Every node and relationship with labels, type and properties, as sorted strings.

    Relationships name their ends by the ends' properties, not element ids, so two
    databases with the same content compare equal however they were built.
    """
    nodes, _, _ = driver.execute_query(
        "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props")
    rels, _, _ = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN labels(a) AS la, properties(a) AS pa, type(r) AS type, "
        "properties(r) AS pr, labels(b) AS lb, properties(b) AS pb")
    lines = [f"node {sorted(r['labels'])} {_props(r['props'])}" for r in nodes]
    lines += [f"rel {sorted(r['la'])} {_props(r['pa'])} -[{r['type']} {_props(r['pr'])}]-> "
              f"{sorted(r['lb'])} {_props(r['pb'])}" for r in rels]
    return sorted(lines)


def without_marker(lines: list[str]) -> list[str]:
    """A snapshot without the dataset marker (whose loaded_at differs between loads)."""
    return [line for line in lines if "HandoverDataset" not in line]


def _props(props: dict) -> str:
    return "{" + ", ".join(f"{k}: {props[k]!r}" for k in sorted(props)) + "}"
