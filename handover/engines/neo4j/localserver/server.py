"""Starting, stopping and asking after the project's own local Neo4j server."""

from __future__ import annotations

import fcntl
import os
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from handover.errors import EngineError
from handover.engines.neo4j.localserver import java
from handover.engines.neo4j.localserver.config import write_neo4j_conf
from handover.engines.neo4j.localserver.process import is_our_server, remember_child, terminate_group
from handover.engines.neo4j.localserver.state import USER, StateDir, free_loopback_port, port_is_free

__all__ = ["ServerInfo", "start", "stop", "status", "local_credentials"]

Log = Callable[[str], None]

_ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
_ADMIN_TOOL = "org.neo4j.cli.AdminTool"


@dataclass(frozen=True)
class ServerInfo:
    """How to reach a local server, and where it lives.

    Parameters
    ----------
    uri : str
        The Bolt URI, always on 127.0.0.1.
    user, password : str
        The credentials (the password was generated at the first start).
    pid : int or None
        The JVM's process id, ``None`` when it is not running.
    state_dir : pathlib.Path
        The server's state directory.
    """

    uri: str
    user: str
    password: str
    pid: int | None
    state_dir: Path

    def __repr__(self) -> str:  # never print the password, not even in a traceback
        return (f"ServerInfo(uri={self.uri!r}, user={self.user!r}, password='***', "
                f"pid={self.pid!r}, state_dir={str(self.state_dir)!r})")


def start(
    state_dir: str | os.PathLike | None = None,
    *,
    port: int | None = None,
    timeout: float = 300.0,
    log: Log | None = None,
) -> ServerInfo:
    """Start the local Neo4j server, or return the one already running there.

    The first start resolves Neo4j's jars with Maven, generates a password and sets
    it before the database exists; later starts reuse both. The call returns once
    the server answers a query over Bolt.

    Parameters
    ----------
    state_dir : path-like, optional
        Where the server keeps everything (default :func:`default_state_dir`).
    port : int, optional
        Bolt port on 127.0.0.1; default the port remembered from an earlier start,
        else a free one (then remembered).
    timeout : float
        Seconds to wait for the server to answer.
    log : callable, optional
        Receives progress lines (e.g. ``print`` to stderr).

    Returns
    -------
    ServerInfo

    Raises
    ------
    EngineError
        When Java or Maven is missing, the port is taken, the JVM dies during
        start-up, or it does not answer within ``timeout`` (with the log's tail).

    See Also
    --------
    stop, status
    """
    say = log or (lambda line: None)
    state = StateDir.resolve(state_dir)
    state.create()
    with _locked(state):
        running = _running_pid(state)
        if running is not None:
            info = _info(state, running)
            if port is not None and info.uri != _uri(port):
                raise EngineError(f"the local server in {state.root} already runs at {info.uri}; "
                                  f"stop it with `handover neo4j stop` before starting it on port {port}")
            _wait_until_answering(state, info, None, timeout)
            return info
        return _start_fresh(state, port, timeout, say)


def _start_fresh(state: StateDir, port: int | None, timeout: float, say: Log) -> ServerInfo:
    began = time.monotonic()
    heap = java.heap_size()
    port = _choose_port(state, port, say)
    java_exe = java.find_java()
    classpath = java.resolve_classpath(state, say)
    write_neo4j_conf(state, port)
    password = _ensure_password(state, java_exe, classpath, say)
    say(f"Starting Neo4j 5.26 on 127.0.0.1:{port} (heap {heap}, state {state.root}) ...")
    command = [java_exe, *java.jvm_options(heap), "-cp", classpath, _ENTRY_POINT,
               f"--home-dir={state.home_dir}", f"--config-dir={state.conf_dir}", "--console-mode"]
    with open(state.log_file, "wb") as output:
        # A session of its own: a terminal's Ctrl-C does not reach the server, and
        # stop() can signal the whole group.
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=output,
                                   stderr=subprocess.STDOUT, cwd=state.root, start_new_session=True)
    remember_child(process)
    state.write_pid(process.pid)
    info = ServerInfo(_uri(port), USER, password, process.pid, state.root)
    try:
        _wait_until_answering(state, info, process, timeout)
    except BaseException:
        terminate_group(process.pid, state.conf_dir, 30.0)
        state.clear_pid()
        raise
    say(f"Neo4j answers at {info.uri} after {time.monotonic() - began:.1f} s.")
    return info


def stop(state_dir: str | os.PathLike | None = None, *, timeout: float = 60.0) -> bool:
    """Stop the local server: SIGTERM, wait up to ``timeout`` seconds, then SIGKILL.

    Returns
    -------
    bool
        True when a server was running and is now stopped, False when none was.
    """
    state = StateDir.resolve(state_dir)
    if not state.root.exists():
        return False
    with _locked(state):
        pid = _running_pid(state)
        if pid is None:
            return False
        terminate_group(pid, state.conf_dir, timeout)
        state.clear_pid()
        return True


def status(state_dir: str | os.PathLike | None = None) -> ServerInfo | None:
    """The running local server, or ``None`` when none runs or it does not answer a query."""
    state = StateDir.resolve(state_dir)
    pid = _running_pid(state)
    if pid is None:
        return None
    info = _info(state, pid)
    try:
        return info if _answers(info, connection_timeout=5.0) else None
    except EngineError:
        return None


def local_credentials(state_dir: str | os.PathLike | None = None) -> ServerInfo | None:
    """The local server's URI and credentials, whether or not it runs right now.

    This is how the command line connects to the local server without asking
    for a password. ``pid`` is ``None`` when the server is not running.

    Returns
    -------
    ServerInfo or None
        ``None`` when the server was never started in ``state_dir``.
    """
    state = StateDir.resolve(state_dir)
    if not state.credentials_file.exists() or state.remembered_port() is None:
        return None
    return _info(state, _running_pid(state))


# --- helpers ---------------------------------------------------------------------------


def _uri(port: int) -> str:
    return f"bolt://127.0.0.1:{port}"


def _info(state: StateDir, pid: int | None) -> ServerInfo:
    password = state.read_password()
    port = state.remembered_port()
    if password is None or port is None:
        raise EngineError(f"the local server in {state.root} has no credentials.json or port file; "
                          f"stop it with `handover neo4j stop`, delete {state.root} and start again")
    return ServerInfo(_uri(port), USER, password, pid, state.root)


def _running_pid(state: StateDir) -> int | None:
    """The pid of our server when it runs; a stale pid file is removed."""
    pid = state.read_pid()
    if pid is None:
        return None
    if is_our_server(pid, state.conf_dir):
        return pid
    state.clear_pid()
    return None


@contextmanager
def _locked(state: StateDir) -> Iterator[None]:
    """Hold the state directory's lock: two starts at once must not launch two JVMs."""
    with open(state.lock_file, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _choose_port(state: StateDir, port: int | None, say: Log) -> int:
    if port is not None:
        if not 1 <= port <= 65535:
            raise EngineError(f"--port: {port} is not a TCP port (1-65535)")
        if not port_is_free(port):
            raise EngineError(f"port {port} on 127.0.0.1 is already in use; choose another with --port")
    else:
        port = state.remembered_port()
        if port is not None and not port_is_free(port):
            say(f"Port {port} is taken by another program; choosing a new one.")
            port = None
        if port is None:
            port = free_loopback_port()
    state.remember_port(port)
    return port


def _ensure_password(state: StateDir, java_exe: str, classpath: str, say: Log) -> str:
    """The stored password; at the first start a new one, set before the database exists.

    ``neo4j-admin dbms set-initial-password`` writes ``data/dbms/auth.ini``, so the
    server never runs with the default ``neo4j/neo4j``, not even for a moment.
    """
    password = state.read_password()
    if state.auth_file.exists():
        if password is None:
            raise EngineError(f"{state.credentials_file} is missing but the database in {state.root} "
                              f"already has a password; delete {state.root} to start afresh "
                              f"(this deletes the loaded data)")
        return password
    if password is None:
        password = state.new_password()
    say("Setting the generated password (first start only) ...")
    _set_initial_password(state, java_exe, classpath, password)
    return password


def _set_initial_password(state: StateDir, java_exe: str, classpath: str, password: str) -> None:
    # The arguments go through a java @argfile (mode 0600, deleted at once) so the
    # password never shows in `ps` output or /proc/<pid>/cmdline.
    argfile = state.run_dir / "set-initial-password.args"
    fd = os.open(argfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("\n".join(["-cp", _argfile_quote(classpath), _ADMIN_TOOL,
                                "dbms", "set-initial-password", password]) + "\n")
    environment = dict(os.environ, NEO4J_HOME=str(state.home_dir), NEO4J_CONF=str(state.conf_dir))
    try:
        done = subprocess.run([java_exe, f"@{argfile}"], capture_output=True, text=True,
                              env=environment, cwd=state.root, timeout=300, stdin=subprocess.DEVNULL)
    finally:
        argfile.unlink(missing_ok=True)
    if done.returncode != 0 or not state.auth_file.exists():
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
        raise EngineError(f"neo4j-admin could not set the initial password (exit {done.returncode}):\n{tail}")


def _argfile_quote(value: str) -> str:
    """Quote ``value`` for a java @argfile (whitespace would split it otherwise)."""
    if any(ch.isspace() for ch in value) or '"' in value or "\\" in value:
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return value


def _wait_until_answering(state: StateDir, info: ServerInfo, process: subprocess.Popen | None,
                          timeout: float) -> None:
    """Poll with the Python driver until the server answers ``RETURN 1``.

    Raises
    ------
    EngineError
        When the JVM exits first, or ``timeout`` passes; both with the log's tail.
    """
    deadline = time.monotonic() + timeout
    while True:
        if process is not None and process.poll() is not None:
            raise EngineError(f"Neo4j exited during start-up (exit code {process.returncode}). "
                              f"Last lines of {state.log_file}:\n{state.log_tail()}")
        if process is None and not is_our_server(info.pid, state.conf_dir):
            raise EngineError(f"the local server (pid {info.pid}) exited. "
                              f"Last lines of {state.log_file}:\n{state.log_tail()}")
        if _answers(info, connection_timeout=2.0):
            return
        if time.monotonic() >= deadline:
            raise EngineError(f"Neo4j did not answer at {info.uri} within {timeout:.0f} s. "
                              f"Last lines of {state.log_file}:\n{state.log_tail()}")
        time.sleep(0.2)


def _answers(info: ServerInfo, connection_timeout: float) -> bool:
    """Whether the server answers a query now: False while it is still coming up.

    Raises
    ------
    EngineError
        When it answers but refuses our credentials: waiting longer would not help.
    """
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, DriverError, Neo4jError

    driver = GraphDatabase.driver(info.uri, auth=(info.user, info.password),
                                  connection_timeout=connection_timeout, max_connection_pool_size=1,
                                  notifications_min_severity="OFF")
    try:
        # An auto-commit query: managed transactions would retry for 30 s on their own.
        with driver.session() as session:
            session.run("RETURN 1").consume()
        return True
    except AuthError:
        raise EngineError(f"the local server at {info.uri} refuses the password stored in "
                          f"{info.state_dir / 'credentials.json'}") from None
    except (DriverError, Neo4jError, OSError):
        return False
    finally:
        driver.close()
