"""The local server as its user meets it: auth on, loopback only, clear errors."""

from __future__ import annotations

import ipaddress
import json
import os
import socket
import stat
from pathlib import Path

import pytest
from neo4j import GraphDatabase
from neo4j.exceptions import AuthError

from handover.engines.neo4j import localserver
from handover.engines.neo4j.localserver.config import neo4j_conf
from handover.engines.neo4j.localserver.state import StateDir
from handover.engines.neo4j.connection import open_driver
from handover.errors import EngineError, InputError
from tests.conftest import CLASSPATH_CACHE, start_test_server

pytestmark = pytest.mark.neo4j


def test_status_and_local_credentials_describe_the_running_server(neo4j_server):
    status = localserver.status(neo4j_server.state_dir)
    assert status == neo4j_server
    assert status.uri.startswith("bolt://127.0.0.1:")
    known = localserver.local_credentials(neo4j_server.state_dir)
    assert (known.uri, known.password, known.pid) == (neo4j_server.uri, neo4j_server.password, neo4j_server.pid)


def test_start_again_returns_the_running_server(neo4j_server):
    assert localserver.start(neo4j_server.state_dir, timeout=30) == neo4j_server


def test_the_password_is_generated_private_and_never_shown(neo4j_server):
    credentials = neo4j_server.state_dir / "credentials.json"
    assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
    stored = json.loads(credentials.read_text())
    assert stored == {"user": "neo4j", "password": neo4j_server.password}
    assert len(neo4j_server.password) >= 20 and neo4j_server.password != "neo4j"
    assert neo4j_server.password not in repr(neo4j_server)
    command_line = Path(f"/proc/{neo4j_server.pid}/cmdline").read_bytes().decode()
    assert neo4j_server.password not in command_line
    assert not list((neo4j_server.state_dir / "run").glob("*.args"))  # the admin tool's argfile is gone


def test_auth_is_on_and_a_wrong_password_is_refused(neo4j_server):
    for auth in (("neo4j", "wrong-password"), ("neo4j", "neo4j")):
        driver = GraphDatabase.driver(neo4j_server.uri, auth=auth)
        try:
            with pytest.raises(AuthError):
                driver.verify_connectivity()
        finally:
            driver.close()
    with pytest.raises(InputError) as caught:  # the caller's password: theirs to correct, exit 2
        open_driver(neo4j_server.uri, "neo4j", "wrong-password", neo4j_server.state_dir)
    message = str(caught.value)
    assert "refused the password given for user neo4j" in message
    assert "wrong-password" not in message and neo4j_server.password not in message
    _wait_until_the_lock_lifts(neo4j_server)


def test_a_wrong_neo4j_password_is_named_as_such_and_exits_2(neo4j_server, monkeypatch):
    """Not blamed on the local server's stored credentials file (issue 17 item 5)."""
    from typer.testing import CliRunner

    from handover.cli import app

    monkeypatch.setenv("NEO4J_PASSWORD", "Wrong-Pass-123")
    result = CliRunner().invoke(app, ["find", "parallel-plans", "--engine", "neo4j",
                                      "--neo4j-uri", neo4j_server.uri])
    assert result.exit_code == 2, result.output
    message = " ".join(result.stderr.split())
    assert "refused the password in NEO4J_PASSWORD" in message and "credentials.json" not in message
    assert "Wrong-Pass-123" not in result.output
    _wait_until_the_lock_lifts(neo4j_server)


def _wait_until_the_lock_lifts(server, timeout: float = 60.0) -> None:
    """Three wrong passwords lock the user for a few seconds; later tests need it back."""
    import time

    from neo4j.exceptions import ClientError

    deadline = time.monotonic() + timeout
    while True:
        with GraphDatabase.driver(server.uri, auth=(server.user, server.password)) as driver:
            try:
                driver.verify_connectivity()
                return
            except ClientError as error:
                if "AuthenticationRateLimit" not in (error.code or "") or time.monotonic() > deadline:
                    raise
        time.sleep(0.5)


def _listening_addresses(pid: int) -> list[ipaddress._BaseAddress]:
    """Addresses of the TCP sockets process ``pid`` listens on, from /proc."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:["):-1])
    found = []
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and inode in inodes:  # 0A: LISTEN
                hex_address = local.split(":")[0]
                # /proc prints each 32-bit word in host (little-endian) order.
                raw = b"".join(bytes.fromhex(hex_address[i:i + 8])[::-1] for i in range(0, len(hex_address), 8))
                address = ipaddress.ip_address(raw)
                found.append(getattr(address, "ipv4_mapped", None) or address)
    return found


def _non_loopback_address() -> str | None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))  # UDP: picks a route, sends nothing
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if ipaddress.ip_address(address).is_loopback else address


def test_nothing_listens_beyond_loopback(neo4j_server):
    addresses = _listening_addresses(neo4j_server.pid)
    assert addresses, "the server listens on no TCP socket at all"
    assert all(a.is_loopback for a in addresses), addresses
    port = int(neo4j_server.uri.rsplit(":", 1)[1])
    outside = _non_loopback_address()
    if outside is not None:
        with pytest.raises(OSError):
            socket.create_connection((outside, port), timeout=3).close()


def test_a_missing_java_is_named_with_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(EngineError, match=r"Java is missing.*apt-get install openjdk-17-jre-headless"):
        localserver.start(tmp_path / "state")


def test_a_missing_maven_is_named_with_how_to_install_it(tmp_path, monkeypatch):
    import shutil

    java = shutil.which("java")
    assert java, "these tests need java"
    only_java = tmp_path / "bin"
    only_java.mkdir()
    (only_java / "java").symlink_to(java)
    monkeypatch.setenv("PATH", str(only_java))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(EngineError, match=r"Maven is missing.*apt-get install maven"):
        localserver.start(tmp_path / "state")  # a fresh state dir has no cached classpath


def test_a_bad_heap_setting_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.setenv("HANDOVER_NEO4J_HEAP", "lots")
    with pytest.raises(InputError, match="HANDOVER_NEO4J_HEAP: lots"):
        localserver.start(tmp_path / "state")


def test_a_bad_page_cache_setting_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.setenv("HANDOVER_NEO4J_PAGECACHE", "all")
    with pytest.raises(InputError, match="HANDOVER_NEO4J_PAGECACHE: all is not a page cache size"):
        localserver.start(tmp_path / "state")


def test_the_page_cache_setting_reaches_the_servers_configuration(tmp_path, monkeypatch):
    monkeypatch.setenv("HANDOVER_NEO4J_PAGECACHE", "300m")
    text = neo4j_conf(StateDir(tmp_path / "state"), 7999)
    assert "server.memory.pagecache.size=300m" in text.splitlines()


def test_a_jvm_that_dies_at_start_up_is_reported_with_its_log(tmp_path, monkeypatch):
    monkeypatch.setenv("HANDOVER_NEO4J_HEAP", "1k")  # the JVM refuses so small a heap
    with pytest.raises(EngineError, match=r"(?s)exited during start-up.*Last lines of .*server.log:\n.*heap"):
        start_test_server(tmp_path / "state", timeout=60)
    assert localserver.status(tmp_path / "state") is None
    assert not (tmp_path / "state" / "server.pid").exists()


def test_stop_without_a_server_says_so(tmp_path):
    assert localserver.stop(tmp_path / "never-started") is False
    assert localserver.status(tmp_path / "never-started") is None
    assert localserver.local_credentials(tmp_path / "never-started") is None


def test_the_default_state_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("HANDOVER_STATE_DIR", str(tmp_path / "x"))
    assert localserver.default_state_dir() == tmp_path / "x"
    monkeypatch.delenv("HANDOVER_STATE_DIR")
    assert localserver.default_state_dir() == Path.home() / ".local" / "state" / "handover" / "neo4j"


def test_the_classpath_cache_is_kept_for_later_starts(neo4j_server):
    cached = list(neo4j_server.state_dir.glob("classpath-*.txt"))
    assert len(cached) == 1 and (CLASSPATH_CACHE / cached[0].name).exists()
    jars = cached[0].read_text().split(os.pathsep)
    assert any("/neo4j-5.26." in jar for jar in jars)
