"""The server's JVM as an operating-system process: is it ours and alive, and ending it.

The JVM runs in its own session, so its pid is also its process-group id and a
signal to the group reaches anything it spawned. A pid file can outlive its
process and the pid be reused, so "alive" means: the pid exists, is not a zombie,
and its command line names our config directory.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

__all__ = ["is_our_server", "terminate_group", "remember_child"]

# Popen objects of servers started by this Python process, so that stopping one
# reaps it (an unreaped child stays a zombie that `kill -0` still reports alive).
_CHILDREN: dict[int, subprocess.Popen] = {}


def remember_child(process: subprocess.Popen) -> None:
    """Keep ``process`` so that :func:`terminate_group` can reap it."""
    _CHILDREN[process.pid] = process


def _reap(pid: int) -> bool:
    """Collect ``pid``'s exit status if it is our finished child; True when it was reaped."""
    child = _CHILDREN.get(pid)
    if child is not None:
        if child.poll() is None:
            return False
        del _CHILDREN[pid]
        return True
    try:
        reaped, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:  # not our child: its parent reaps it
        return False
    return reaped == pid


def is_our_server(pid: int | None, config_dir: Path) -> bool:
    """Whether ``pid`` is a live Neo4j JVM started with ``config_dir``.

    Parameters
    ----------
    pid : int or None
    config_dir : pathlib.Path
        The ``--config-dir`` the server was started with: tells our server from an
        unrelated process that got the same pid after ours died.
    """
    if pid is None or pid <= 0:
        return False
    proc = Path("/proc") / str(pid)
    if not Path("/proc/self").exists():  # no procfs: fall back to "the pid exists"
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return not _reap(pid)
    try:
        stat = (proc / "stat").read_text()
        cmdline = (proc / "cmdline").read_bytes().split(b"\0")
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return False
    # The state letter follows the parenthesised command name, which may hold spaces.
    if stat[stat.rfind(")") + 2:][:1] in ("Z", "X"):
        _reap(pid)
        return False
    wanted = f"--config-dir={config_dir}".encode()
    return b"org.neo4j.server.CommunityEntryPoint" in cmdline and wanted in cmdline


def terminate_group(pid: int, config_dir: Path, timeout: float) -> None:
    """SIGTERM the server's process group, wait up to ``timeout`` s, then SIGKILL it.

    Neo4j shuts down cleanly on SIGTERM (checkpoint, then exit); SIGKILL is only the
    last resort, after which the next start recovers from the transaction log.
    """
    _signal_group(pid, signal.SIGTERM)
    if _wait_gone(pid, config_dir, timeout):
        return
    _signal_group(pid, signal.SIGKILL)
    _wait_gone(pid, config_dir, 10.0)


def _signal_group(pid: int, signum: int) -> None:
    try:
        os.killpg(pid, signum)
    except ProcessLookupError:
        pass


def _wait_gone(pid: int, config_dir: Path, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while is_our_server(pid, config_dir):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)
    _reap(pid)
    return True
