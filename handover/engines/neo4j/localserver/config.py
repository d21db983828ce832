"""Our ``neo4j.conf``: Bolt on 127.0.0.1 only, no HTTP, auth on, everything under the state dir."""

from __future__ import annotations

from handover.engines.neo4j.localserver.java import page_cache_size
from handover.engines.neo4j.localserver.state import StateDir
from handover.errors import InputError

__all__ = ["neo4j_conf", "write_neo4j_conf"]


def neo4j_conf(state: StateDir, port: int) -> str:
    """The text of ``neo4j.conf`` for a server in ``state`` listening on ``port``.

    Neo4j validates the file strictly: an unknown key aborts start-up, which is what
    we want (a typo must not silently open a port).

    Examples
    --------
    >>> from pathlib import Path
    >>> text = neo4j_conf(StateDir(Path("/s")), 7999)
    >>> "server.bolt.listen_address=127.0.0.1:7999" in text, "server.http.enabled=false" in text
    (True, True)
    """
    if "\n" in str(state.root) or "\r" in str(state.root):
        raise InputError(f"--state-dir: a state directory path must not contain a line break: {state.root!r}")
    settings = {
        # Every connector, now or added by a later Neo4j, defaults to loopback.
        "server.default_listen_address": "127.0.0.1",
        "server.default_advertised_address": "127.0.0.1",
        "server.bolt.enabled": "true",
        "server.bolt.listen_address": f"127.0.0.1:{port}",
        "server.bolt.advertised_address": f"127.0.0.1:{port}",
        "server.http.enabled": "false",
        "server.https.enabled": "false",
        "dbms.security.auth_enabled": "true",
        # The default sizes the page cache from machine RAM; a local analysis server needs little
        # ($HANDOVER_NEO4J_PAGECACHE gives a national graph more).
        "server.memory.pagecache.size": page_cache_size(),
        "server.directories.data": str(state.data_dir),
        "server.directories.logs": str(state.logs_dir),
        "server.directories.run": str(state.run_dir),
        # LOAD CSV may read only this (empty) folder, not the user's files.
        "server.directories.import": str(state.import_dir),
        "dbms.usage_report.enabled": "false",
        # Replacing a dataset rewrites everything; keep old transaction logs from piling up,
        # and do not preallocate 256 MB per log file (per database: 0.5 GB for an empty server).
        "db.tx_log.rotation.retention_policy": "512M size",
        "db.tx_log.preallocate": "false",
        # Bolt waits 5 s twice on shutdown by default, for clients of a busy server;
        # a local analysis server stops in 2 s instead of 12 s.
        "internal.server.bolt.thread_pool_shutdown_wait_time": "1s",
        "internal.server.bolt.connection_shutdown_wait_time": "1s",
    }
    lines = ["# Written by handover on every start of the local server; edits are overwritten."]
    lines += [f"{key}={value}" for key, value in settings.items()]
    return "\n".join(lines) + "\n"


def write_neo4j_conf(state: StateDir, port: int) -> None:
    """Write :func:`neo4j_conf` to ``<state>/conf/neo4j.conf``."""
    (state.conf_dir / "neo4j.conf").write_text(neo4j_conf(state, port), encoding="utf-8")
