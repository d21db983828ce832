"""The other paths in (workbooks, mapping files, FHIR, event logs) refuse broken input cleanly.

Each :class:`tests.badinput.entries.Entry` is run through the command line in-process:
exit 2, one ``error:`` message naming the place and the rule, no traceback, nothing
written, no free text from the input in the message.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from handover.cli import app
from tests.badinput.corpus import BROKEN, text_values
from tests.badinput.entries import ENTRIES, PATHS, Entry

runner = CliRunner()
TEXT_VALUES = text_values()


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.name for e in ENTRIES])
def test_a_broken_input_of_another_path_is_refused_with_its_place(tmp_path, entry: Entry):
    args = [str(a) for a in entry.build(tmp_path)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, (result.exit_code, result.stderr[:2000], result.exception)
    assert result.stderr.startswith("error: "), result.stderr[:2000]
    for fragment in entry.fragments:
        assert fragment in result.stderr, (fragment, result.stderr[:2000])
    assert "Traceback" not in result.stderr + result.stdout
    assert "unexpected failure" not in result.stderr
    assert len(result.stderr) < 5000
    leaked = [value for value in set(entry.hidden) | TEXT_VALUES if value in result.stderr]
    assert not leaked, f"free text in the message: {leaked}"
    assert not (tmp_path / "out").exists()  # nothing half-written


def test_the_corpus_covers_every_path_in():
    assert len(BROKEN) + len(ENTRIES) >= 80
    for path in PATHS:
        assert sum(entry.path == path for entry in ENTRIES) >= 5, path
