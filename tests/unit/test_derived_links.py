"""The handover relationships a load writes (handover.engines.neo4j.derived) are their definitions
in docs/graph.md, checked row by row on random datasets against the plain loops of
tests/neo4j/test_handover_relationships.py: ties of start days, empty episodes, staff following
themselves, every role."""

from __future__ import annotations

from hypothesis import given, settings

from handover.engines.neo4j.derived import derived_links
from tests.neo4j.test_handover_relationships import handed_over_of, next_episodes_of
from tests.strategies import datasets


@settings(max_examples=150, deadline=None)
@given(datasets(max_users=3, max_rows=10))
def test_derived_links_are_the_definitions(dataset):
    links = derived_links(dataset)
    nexts = {(a, b, int(gap)) for a, b, gap in links["next_episodes"].itertuples(index=False)}
    handed = {(a, b, user, role, f"{day:%Y-%m-%d}") for a, b, user, role, day in links["handed_over"].itertuples(index=False)}
    assert nexts == next_episodes_of(dataset)
    assert handed == handed_over_of(dataset)
    # Sets hide repeats: each ended episode has one next episode at most.
    assert len(links["next_episodes"]) == len(nexts)
