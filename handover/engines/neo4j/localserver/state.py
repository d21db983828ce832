"""The state directory of the local server: where every file lives, and the small ones we own.

One folder holds everything the local Neo4j needs between runs::

    <state_dir>/
      conf/neo4j.conf        written on every start (ours; edits are overwritten)
      home/                  Neo4j's home directory (empty; plugins would go here)
      data/ logs/ run/ import/
      data-current           the name of the data folder in use, when it is not data/ (written by
                             `handover load --import`, which imports into a new data folder and
                             switches to it by rewriting this one small file: os.replace is atomic)
      maven/pom.xml          a copy of the package's pom, so Maven never writes into site-packages
      classpath-<hash>.txt   the resolved classpath, keyed by the pom's content
      credentials.json       user and generated password (mode 0600)
      port                   the Bolt port, chosen once
      server.pid             the JVM's pid (also its process-group id)
      server.log             the JVM's stdout and stderr of the latest start
"""

from __future__ import annotations

import json
import os
import secrets
import socket
from dataclasses import dataclass
from pathlib import Path

from handover.errors import EngineError

__all__ = ["StateDir", "default_state_dir", "free_loopback_port"]

#: The only user a Community server has.
USER = "neo4j"


def default_state_dir() -> Path:
    """Where the local server keeps its files.

    Returns
    -------
    pathlib.Path
        ``$HANDOVER_STATE_DIR`` when set, else ``~/.local/state/handover/neo4j``.

    Examples
    --------
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"HANDOVER_STATE_DIR": "/tmp/somewhere"}):
    ...     print(default_state_dir())
    /tmp/somewhere
    >>> with mock.patch.dict(os.environ):
    ...     _ = os.environ.pop("HANDOVER_STATE_DIR", None)
    ...     print(default_state_dir().parts[-3:])
    ('state', 'handover', 'neo4j')
    """
    configured = os.environ.get("HANDOVER_STATE_DIR")
    if configured:
        return Path(configured).expanduser()
    return Path.home() / ".local" / "state" / "handover" / "neo4j"


def free_loopback_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_is_free(port: int) -> bool:
    """Whether ``port`` can be bound on 127.0.0.1 (nothing else listens there)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # Without SO_REUSEADDR a port in TIME_WAIT after our own stop counts as taken.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


@dataclass(frozen=True)
class StateDir:
    """The layout of one state directory (see the module docstring).

    Parameters
    ----------
    root : pathlib.Path
        The state directory; need not exist yet.
    """

    root: Path

    @classmethod
    def resolve(cls, state_dir: str | os.PathLike | None) -> "StateDir":
        """The state directory given, or the default one, as an absolute path."""
        root = Path(state_dir).expanduser() if state_dir is not None else default_state_dir()
        return cls(root.resolve())

    conf_dir = property(lambda self: self.root / "conf")
    home_dir = property(lambda self: self.root / "home")
    data_pointer = property(lambda self: self.root / "data-current")
    logs_dir = property(lambda self: self.root / "logs")
    run_dir = property(lambda self: self.root / "run")
    import_dir = property(lambda self: self.root / "import")
    maven_dir = property(lambda self: self.root / "maven")
    credentials_file = property(lambda self: self.root / "credentials.json")
    port_file = property(lambda self: self.root / "port")
    pid_file = property(lambda self: self.root / "server.pid")
    log_file = property(lambda self: self.root / "server.log")
    lock_file = property(lambda self: self.root / "lock")
    # Written by `neo4j-admin dbms set-initial-password`; its presence means the
    # password is fixed and a lost credentials.json cannot be regenerated.
    auth_file = property(lambda self: self.data_dir / "dbms" / "auth.ini")

    @property
    def data_dir(self) -> Path:
        """The data folder the server uses: ``data/``, or the one ``data-current`` names.

        Examples
        --------
        >>> import tempfile
        >>> state = StateDir(Path(tempfile.mkdtemp()))
        >>> state.data_dir.name
        'data'
        >>> state.use_data_dir("data-2")
        >>> state.data_dir.name
        'data-2'
        """
        try:
            name = self.data_pointer.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return self.root / "data"
        if not name or "/" in name or name in (".", ".."):
            raise EngineError(f"{self.data_pointer} does not name a data folder of {self.root}; "
                              "write `data` into it to use the original one")
        return self.root / name

    def use_data_dir(self, name: str) -> None:
        """Make ``<root>/<name>`` the data folder from the next start on, atomically.

        A process killed at any point leaves the pointer naming either the old folder or
        the new one, never neither.
        """
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        _write_atomically(self.data_pointer, f"{name}\n", mode=0o644, durable=True)

    def create(self) -> None:
        """Create the folders; the root is private since it holds the password and the data."""
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        for folder in (self.conf_dir, self.home_dir, self.data_dir, self.logs_dir,
                       self.run_dir, self.import_dir, self.maven_dir):
            folder.mkdir(exist_ok=True)

    # --- port -------------------------------------------------------------------------

    def remembered_port(self) -> int | None:
        """The Bolt port chosen at an earlier start, if any."""
        try:
            return int(self.port_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None

    def remember_port(self, port: int) -> None:
        _write_atomically(self.port_file, f"{port}\n", mode=0o644)

    # --- credentials ------------------------------------------------------------------

    def read_password(self) -> str | None:
        """The stored password, or ``None`` when no credentials file exists."""
        try:
            stored = json.loads(self.credentials_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:
            raise EngineError(f"{self.credentials_file} is unreadable ({error}); stop the server, "
                              f"delete {self.root} and start again") from None
        return stored.get("password")

    def new_password(self) -> str:
        """Generate, store (mode 0600) and return a random password for user ``neo4j``."""
        password = _new_password()
        content = json.dumps({"user": USER, "password": password}, indent=2) + "\n"
        _write_atomically(self.credentials_file, content, mode=0o600)
        return password

    # --- pid --------------------------------------------------------------------------

    def read_pid(self) -> int | None:
        try:
            return int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None

    def write_pid(self, pid: int) -> None:
        _write_atomically(self.pid_file, f"{pid}\n", mode=0o644)

    def clear_pid(self) -> None:
        self.pid_file.unlink(missing_ok=True)

    def log_tail(self, lines: int = 25) -> str:
        """The last ``lines`` lines of the JVM's output, for error messages."""
        try:
            text = self.log_file.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return "(no server log)"
        return "\n".join(text.rstrip("\n").splitlines()[-lines:]) or "(server log is empty)"


def _write_atomically(path: Path, content: str, *, mode: int, durable: bool = False) -> None:
    """Write ``content`` to ``path`` via a temporary file created with ``mode`` from the start.

    Creating the file with its final mode (rather than chmod afterwards) means the
    password is never readable by others, not even for an instant. ``durable`` also
    flushes the file and its folder to disk, so that the rename survives a power cut.
    """
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    if durable:
        sync_folder(path.parent)


def sync_folder(folder: Path) -> None:
    """Flush ``folder``'s entries (renames, new files) to disk."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _new_password() -> str:
    """24 random bytes, URL-safe (no quoting needed in any file), never starting with ``-``.

    neo4j-admin reads an argument that starts with ``-`` as an option and refuses it
    (exit 64), which a URL-safe token does once in 64.

    Examples
    --------
    >>> all(not _new_password().startswith("-") for _ in range(500))
    True
    """
    while True:
        password = secrets.token_urlsafe(24)
        if not password.startswith("-"):
            return password
