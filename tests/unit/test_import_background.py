"""The importer works out the fingerprint in a forked child (handover.engines.neo4j.importer):
its answer or its error comes back, a child that dies is reported, and a killed import leaves
no child behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from handover.engines.neo4j.importer import _Background
from handover.errors import EngineError, InputError


def test_the_answer_comes_back_from_the_child_and_is_kept():
    parent = os.getpid()
    background = _Background(lambda: {"pid": os.getpid(), "rows": [1, 2]})
    first = background.result()
    assert first["pid"] != parent and first["rows"] == [1, 2]
    assert background.result() is first  # asked again: the same answer, no second child


def test_an_error_in_the_child_is_raised_as_itself():
    def work():
        raise InputError("contacts.csv, line 3: no such user")

    with pytest.raises(InputError, match="contacts.csv, line 3"):
        _Background(work).result()


def test_a_child_killed_before_it_answers_is_an_engine_error():
    with pytest.raises(EngineError, match="exit code -9 before it answered"):
        _Background(lambda: os.kill(os.getpid(), signal.SIGKILL)).result()


def test_a_killed_import_takes_its_child_with_it():  # Linux's parent-death signal, as on the machines we run on
    script = textwrap.dedent("""
        import time
        from handover.engines.neo4j.importer import _Background
        background = _Background(lambda: time.sleep(600))
        print(background._process.pid, flush=True)
        time.sleep(600)
    """)
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    os.kill(child, 0)  # running
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    pytest.fail(f"the fingerprint's process {child} outlived the killed import")
