"""``text_rows`` writes each value as ``to_text_frame`` does (the CSV contract's text)."""

from __future__ import annotations

import pytest

from handover.engines import MemoryEngine
from handover.findings import FINDINGS, find
from handover.findings.schema import text_rows, to_text_frame
from handover.io import read_dataset
from tests.datasets import FIXTURES


@pytest.mark.parametrize("fixture", ["tiny", "oslo-nav-district", "small-municipality"])
def test_text_rows_are_the_text_frame(fixture):
    engine = MemoryEngine(read_dataset(FIXTURES / fixture))
    for name, finding in FINDINGS.items():
        rows = find(engine, name)
        assert text_rows(rows, finding.schema) == list(to_text_frame(rows, finding.schema).itertuples(index=False,
                                                                                                        name=None))
