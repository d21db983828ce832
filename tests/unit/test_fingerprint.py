"""The dataset fingerprint against its definition, on random datasets and awkward text.

The definition (handover.engines.neo4j.rows): per table in name order, ``[table, rows]`` as
JSON, then every row's canonical JSON line (keys sorted) in sorted order, each followed by a
line feed, all through one sha256. The implementation sorts a bounded batch of rows at a
time; a batch of one or two rows here makes every grouping step run.
"""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handover.engines.neo4j import rows
from handover.engines.neo4j.rows import dataset_fingerprint, table_rows
from handover.examples import tiny_dataset
from handover.model import TABLES, Dataset
from tests.strategies import datasets

# Text whose JSON is a prefix of another's, or sorts below the closing quote (space, "!", control
# characters), or is escaped (quotes, backslashes, line breaks), or is not ASCII.
AWKWARD = ["a", "a!", "a ", 'a"', "a\\", "a,", "ab", "", "a\n", "å", "a\x01", "a\u2028", None]


def defined_fingerprint(dataset: Dataset) -> str:
    """The fingerprint as defined, one ``json.dumps`` per row."""
    digest = hashlib.sha256()
    for table in sorted(t for t in TABLES if dataset.has(t)):
        lines = sorted(json.dumps({k: v for k, v in row.items() if k != "row_key"}, sort_keys=True,
                                  ensure_ascii=False, separators=(",", ":"), default=lambda d: d.isoformat())
                       for row in table_rows(dataset, table))
        digest.update(json.dumps([table, len(lines)]).encode("utf-8"))
        for line in lines:
            digest.update((line + "\n").encode("utf-8"))
    return digest.hexdigest()


@pytest.mark.parametrize("at_once", [1, 2, 500_000])
@settings(max_examples=40, deadline=None)
@given(dataset=datasets(max_rows=10))
def test_the_fingerprint_of_a_random_dataset_is_the_defined_one(dataset, at_once, monkeypatch_module):
    monkeypatch_module.setattr(rows, "_LINES_AT_ONCE", at_once)
    assert dataset_fingerprint(dataset) == defined_fingerprint(dataset)


@pytest.mark.parametrize("at_once", [1, 3, 500_000])
@settings(max_examples=60, deadline=None)
@given(texts=st.lists(st.tuples(st.sampled_from(AWKWARD), st.sampled_from(AWKWARD)), min_size=1, max_size=25))
def test_awkward_text_sorts_as_its_json_lines_do(texts, at_once, monkeypatch_module):
    monkeypatch_module.setattr(rows, "_LINES_AT_ONCE", at_once)
    base = tiny_dataset()
    agencies = pd.DataFrame({"agency_id": [f"x{i % 4}" for i in range(len(texts))],
                             "name": [a for a, _ in texts], "kind": [b for _, b in texts],
                             "level": [b for _, b in texts], "municipality": [a for a, _ in texts]},
                            dtype=object)
    dataset = Dataset({**base.tables, "agencies": agencies[[c for c in base["agencies"].columns]]})
    assert dataset_fingerprint(dataset) == defined_fingerprint(dataset)


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def defined_row_keys(dataset: Dataset, table: str) -> list[str]:
    """``row_key`` as defined: the sha256 of the row's canonical JSON line, ``-``, its occurrence
    number among identical rows in table order."""
    seen: dict[str, int] = {}
    keys = []
    for row in table_rows(dataset, table):
        line = json.dumps({k: v for k, v in row.items() if k != "row_key"}, sort_keys=True, ensure_ascii=False,
                          separators=(",", ":"), default=lambda d: d.isoformat())
        digest = hashlib.sha256(line.encode("utf-8")).hexdigest()
        seen[digest] = seen.get(digest, 0) + 1
        keys.append(f"{digest}-{seen[digest]}")
    return keys


@pytest.mark.parametrize("at_once", [1, 2, 500_000])
@settings(max_examples=40, deadline=None)
@given(dataset=datasets(max_rows=10), repeats=st.integers(1, 3))
def test_row_keys_are_the_defined_ones_and_repeated_rows_are_counted(dataset, repeats, at_once, monkeypatch_module):
    monkeypatch_module.setattr(rows, "_LINES_AT_ONCE", at_once)
    for table in ("employments", "responsibilities"):
        if not dataset.has(table):
            continue
        frame = dataset[table]
        repeated = Dataset({**dataset.tables, table: pd.concat([frame] * repeats, ignore_index=True)})
        keys = rows.row_keys(repeated, table).to_pylist()
        assert keys == defined_row_keys(repeated, table)
        assert len(set(keys)) == len(keys)  # a repeated row gets a key of its own
