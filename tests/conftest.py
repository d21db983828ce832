"""Shared fixtures: one real local Neo4j server per test session, a clean database per test.

The server runs in a state directory of its own under pytest's temporary folder, on
a free port, so a test run never touches the user's server (nor another test run's:
several people run the suite at once). For the same reason the session unsets
``NEO4J_URI``/``NEO4J_USER``/``NEO4J_PASSWORD`` and points ``HANDOVER_STATE_DIR`` at
the test server, so code that finds "the local server" by itself finds this one.
When the server cannot start, the fixture fails with the reason; it never skips.
"""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# Resolved classpaths (keyed by the pom's hash) kept between runs, so that a test
# session does not wait for Maven; .handover/ is git-ignored.
CLASSPATH_CACHE = REPO / ".handover" / "test-classpath"


def start_test_server(state_dir: Path, **options):
    """Start a local server in ``state_dir``, reusing and refreshing the classpath cache."""
    from handover.engines.neo4j import localserver

    state_dir.mkdir(parents=True, exist_ok=True)
    for cached in CLASSPATH_CACHE.glob("classpath-*.txt"):
        shutil.copy(cached, state_dir / cached.name)
    info = localserver.start(state_dir, **options)
    CLASSPATH_CACHE.mkdir(parents=True, exist_ok=True)
    current = {resolved.name for resolved in state_dir.glob("classpath-*.txt")}
    for resolved in current:
        shutil.copy(state_dir / resolved, CLASSPATH_CACHE / resolved)
    for stale in CLASSPATH_CACHE.glob("classpath-*.txt"):  # from an earlier pom.xml
        if current and stale.name not in current:
            stale.unlink(missing_ok=True)
    return info


@contextlib.contextmanager
def own_server(tmp_path_factory, name: str, timeout: float):
    """A local Neo4j server in a new state directory ``name``, with ``HANDOVER_STATE_DIR``
    pointing at it and no ``NEO4J_*`` variables, stopped on the way out. A server that does
    not start fails the tests that need it (never skips them)."""
    from handover.engines.neo4j import localserver
    from handover.errors import HandoverError

    state_dir = tmp_path_factory.mktemp(name)
    with pytest.MonkeyPatch.context() as env:
        for variable in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD"):
            env.delenv(variable, raising=False)
        env.setenv("HANDOVER_STATE_DIR", str(state_dir))
        try:
            info = start_test_server(state_dir, timeout=timeout)
        except HandoverError as error:
            pytest.fail(f"the test Neo4j server did not start: {error}", pytrace=False)
        try:
            yield info
        finally:
            localserver.stop(state_dir)


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory):
    """The session's Neo4j server (a :class:`handover.engines.neo4j.localserver.ServerInfo`)."""
    with own_server(tmp_path_factory, "neo4j-state", timeout=300.0) as info:
        yield info


@pytest.fixture(scope="session")
def _session_driver(neo4j_server):
    from neo4j import GraphDatabase

    driver = GraphDatabase.driver(neo4j_server.uri, auth=(neo4j_server.user, neo4j_server.password),
                                  notifications_min_severity="OFF")
    try:
        yield driver
    finally:
        driver.close()


@pytest.fixture
def neo4j_driver(_session_driver):
    """A driver to the session's server, whose database has just been emptied."""
    from handover.engines.neo4j.store import clear_database

    clear_database(_session_driver)
    return _session_driver


@pytest.fixture
def identified(tmp_path) -> Path:
    """A small valid dataset whose user ids are made-up national identity numbers
    (:data:`tests.privacy.synthetic.NUMBERS`)."""
    from tests.privacy.synthetic import write_identified

    return write_identified(tmp_path / "data")
