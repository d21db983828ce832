"""``handover load --import``: a dataset into the local server through Neo4j's offline importer.

``neo4j-admin database import full`` writes a store file by file, without transactions:
about ten times faster than the online loader, but only into a database that no server
has open. The project's own local server (:mod:`handover.engines.neo4j.localserver`) is
the one server whose files handover owns, so this is for it alone; a remote server or
Aura is loaded online (``--bulk``).

How the previous database survives anything
-------------------------------------------
The local server's data folder is named by ``<state>/data-current`` (``data/`` when
absent; :meth:`StateDir.data_dir`). An import never writes into the folder in use:

1. the database is asked what it holds. Without ``replace`` a database holding a dataset is
   refused (or found to hold this one) before anything is written; with it, a held dataset of
   the same tables and row counts is compared by fingerprint first, so that importing the same
   dataset again writes nothing. An import that would not fit the free disk
   (:func:`check_free_disk`) is refused;
2. the importer's CSV files are written to ``<state>/import-<tag>/`` (the dataset has been
   validated before: a broken dataset never gets this far), the dataset marker among them,
   incomplete and named ``importing-<tag>``;
3. ``neo4j-admin`` imports them into a new data folder ``<state>/data-<tag>/`` while the
   server goes on serving the previous database, and the dataset's fingerprint is worked out
   meanwhile (then it is known whether the database already holds this dataset, and whether
   it may be replaced);
4. only when it succeeded: the server is stopped, the rest of the data folder (the
   ``system`` database with the password, ``dbms/``, the server's id) is copied next to the
   new ``neo4j`` database, and ``data-current`` is rewritten to name the new folder (one
   ``os.replace``, atomic);
5. the server starts on it, the marker gets its fingerprint (``meta/name_dataset.cypher``), the
   constraints are created (``cypher/schema.cypher``) and the marker completed (the derived
   relationships came with the files: :mod:`handover.engines.neo4j.importcsv`);
6. the previous data folder and the CSV files are deleted.

A failed or killed import (steps 1–4) leaves ``data-current`` naming the previous folder,
which the server still serves (after step 4's stop, the next ``handover neo4j start`` serves
it); what it left behind is deleted by the next import. A failure in step 5 (the server
does not start, a constraint cannot be created) switches back to the previous folder and starts the
server on it. Only a process killed during step 5 leaves the new database in place, with a
marker that says the load is incomplete, so that queries refuse it until it is loaded again.
One import at a time: the importer holds ``<state>/import.lock``, and so does a ``neo4j-admin``
left running by a killed ``handover``, until it ends.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import fcntl
import multiprocessing
import os
import shutil
import signal
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from handover.engines.neo4j import localserver
from handover.engines.neo4j.connection import open_driver, server_errors
from handover.engines.neo4j.importcsv import ImportFiles, write_import_files
from handover.engines.neo4j.localserver import java
from handover.engines.neo4j.localserver.state import StateDir, sync_folder
from handover.engines.neo4j.queries import load_query
from handover.engines.neo4j.rows import dataset_fingerprint
from handover.engines.neo4j.store import (LoadSummary, already_loaded,
                                          dataset_marker, ensure_schema, graph_counts,
                                          what_a_load_does)
from handover.errors import EngineError
from handover.model import Dataset
from handover.privacy.redaction import redacted

__all__ = ["import_dataset", "admin_import_command", "check_free_disk"]

_ADMIN_TOOL = "org.neo4j.cli.AdminTool"
#: The one user database of Community edition, which the server serves by default.
DATABASE = "neo4j"
#: What the importer may use besides its heap (its default is 90 % of the machine's memory).
OFF_HEAP = "4G"

Log = Callable[[str], None]


def import_dataset(
    dataset: Dataset,
    *,
    replace: bool = False,
    state_dir: str | os.PathLike | None = None,
    log: Log | None = None,
    announce: Callable[[str], None] | None = None,
) -> LoadSummary:
    """Import ``dataset`` into the local server's database with ``neo4j-admin`` (module docstring).

    Parameters
    ----------
    dataset : Dataset
        A validated dataset (:func:`handover.io.guarded.read_guarded`).
    replace : bool
        Replace the dataset the database holds; without it a database holding one is refused,
        before anything is stopped or written.
    state_dir : path-like, optional
        The local server's state directory (default: the one the CLI uses).
    log : callable, optional
        Receives a line at each step.
    announce : callable, optional
        Receives one sentence before a replacing import stops the server: what it replaces.

    Returns
    -------
    LoadSummary
        ``seconds`` is the whole import, from the first CSV file to the completed marker.

    Raises
    ------
    DatasetConflictError
        When the database holds a different dataset and ``replace`` is False.
    EngineError
        When the importer or the server fails; the previous database serves.

    Examples
    --------
    >>> from handover.io import read_dataset
    >>> import_dataset(read_dataset("region"), replace=True, log=print)  # doctest: +SKIP
    """
    say = log or (lambda line: None)
    state = StateDir.resolve(state_dir)
    began = time.perf_counter()
    with _import_lock(state) as lock:
        localserver.start(state.root, log=say)
        _remove_leftovers(state)
        tag = f"{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%S}-{os.getpid()}"
        staging, new_data = state.root / f"import-{tag}", state.root / f"data-{tag}"
        try:
            return _import(dataset, state, staging, new_data, lock, replace, say, announce, began)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _import(dataset: Dataset, state: StateDir, staging: Path, new_data: Path, lock: int, replace: bool,
            say: Log, announce, began: float) -> LoadSummary:
    # The marker is imported under a name of its own: the fingerprint, which takes a while, is
    # worked out while the files are written and neo4j-admin runs, and given to the marker once
    # the server runs on the store.
    pending = f"importing-{staging.name}"
    marker = {**dataset_marker(dataset, "", complete=False), "fingerprint": pending}
    fingerprint = _Background(lambda: dataset_marker(dataset, dataset_fingerprint(dataset), complete=True),
                              closed_in_child=(lock,))
    with open_driver(state_dir=state.root) as driver:
        markers, holds_data = _dataset_state(driver)
        # Unchanged or refused is known before anything is written: without --replace, and when
        # the database holds a dataset of the same tables and row counts (most likely this one).
        if holds_data and not replace:
            what_a_load_does(driver, fingerprint.result(), replace=False)  # raises, or it is unchanged
            return _unchanged(dataset, fingerprint.result(), began)
        if _same_shape(markers, marker) and already_loaded(markers, fingerprint.result()):
            return _unchanged(dataset, fingerprint.result(), began)
    check_free_disk(state.root, marker)
    say(f"Writing the importer's files to {staging} ...")
    files = write_import_files(dataset, staging / "csv", marker)
    say(f"Importing {files.rows:,} rows with neo4j-admin (the server serves the previous database meanwhile) ...")
    try:
        _run_importer(state, staging, new_data, files, lock)
        final = fingerprint.result()
        if holds_data:
            with open_driver(state_dir=state.root) as driver:
                unchanged, replaced = what_a_load_does(driver, final, replace=replace, announce=announce)
            if unchanged:
                shutil.rmtree(new_data, ignore_errors=True)
                return _unchanged(dataset, final, began)
        else:
            replaced = None
    except BaseException:
        shutil.rmtree(new_data, ignore_errors=True)
        raise
    previous = state.data_dir
    say("Stopping the server to switch to the imported database ...")
    localserver.stop(state.root)
    try:
        _copy_all_but_the_database(previous, new_data)
    except BaseException:
        shutil.rmtree(new_data, ignore_errors=True)
        localserver.start(state.root, log=say)
        raise
    state.use_data_dir(new_data.name)
    try:
        localserver.start(state.root, log=say)
        with open_driver(state_dir=state.root) as driver:
            _complete(driver, pending, final["fingerprint"], began, say)
            nodes, relationships = graph_counts(driver)
    except Exception as error:
        _switch_back(state, previous, new_data, say)
        raise EngineError(f"the imported database could not be completed ({error}); the server serves "
                          "the previous database again") from None
    shutil.rmtree(previous, ignore_errors=True)
    seconds = time.perf_counter() - began
    return LoadSummary(final["fingerprint"], dataset.source, False, replaced, files.rows, seconds,
                       nodes, relationships)


def _unchanged(dataset: Dataset, marker: dict, began: float) -> LoadSummary:
    """What an import that found this dataset already loaded returns: nothing written."""
    return LoadSummary(marker["fingerprint"], dataset.source, True, None, 0, time.perf_counter() - began)


def _dataset_state(driver) -> tuple[list[dict], bool]:
    """The dataset markers the database holds, and whether it holds any node of the handover model."""
    with server_errors("reading which dataset the database holds"):
        records, _, _ = driver.execute_query(load_query("meta/dataset_state").text)
    markers = records[0]["markers"]
    return markers, bool(markers) or bool(records[0]["has_data"])


def _same_shape(markers: list[dict], marker: dict) -> bool:
    """Whether the database holds one dataset of the same tables with the same row counts."""
    return (len(markers) == 1 and markers[0].get("tables") == marker["tables"]
            and markers[0].get("rows") == marker["rows"])


#: Disk an import needs per input row: the importer's CSV files (about 85 bytes a row) and the
#: new store beside the previous one (about 275 bytes a row), measured at 10,000 to 1,000,000
#: users; and besides that, room for the transaction logs of the derivations (rotated at 512 MiB).
DISK_PER_ROW, DISK_MARGIN = 400, 2 * 2**30


def check_free_disk(folder: Path, marker: dict) -> None:
    """Refuse an import that would fill the disk of ``folder``, before anything is written.

    Raises
    ------
    EngineError
        When the free space is less than :data:`DISK_PER_ROW` per row plus :data:`DISK_MARGIN`.
    """
    needed = sum(marker["rows"]) * DISK_PER_ROW + DISK_MARGIN
    free = shutil.disk_usage(folder).free
    if free < needed:
        raise EngineError(f"an import of {sum(marker['rows']):,} rows needs about {needed / 2**30:.1f} GiB of "
                          f"free disk in {folder} (its files and the new database beside the previous one), "
                          f"and {free / 2**30:.1f} GiB are free; free some, or move the server's state "
                          "(HANDOVER_STATE_DIR) to a bigger disk. Nothing was changed")


class _Background:
    """``work()`` in a child process forked now; ``result()`` waits for it and returns its value or
    raises its error.

    A process, not a thread: the fingerprint is Python work that would share the interpreter's lock
    with the files being written beside it (at 100,000 users writing them took 1.85x as long beside
    a fingerprint thread), while a child runs on the other core. It shares the dataset's memory with
    the import until either writes to it, and it dies with the import: an interrupted import does
    not wait for it.
    """

    def __init__(self, work, *, closed_in_child: tuple[int, ...] = ()):
        context = multiprocessing.get_context("fork")  # the child needs the dataset, not a pickle of it
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_in_child, args=(work, send, os.getpid(), closed_in_child),
                                        name="handover-fingerprint", daemon=True)
        self._process.start()
        send.close()
        self._outcome = None

    def result(self):
        if self._outcome is None:
            try:
                self._outcome = self._receive.recv()
            except EOFError:  # killed (out of memory, say) before it answered
                self._process.join()
                raise EngineError("working out the dataset's fingerprint failed: its process ended with exit "
                                  f"code {self._process.exitcode} before it answered") from None
            self._process.join()
            self._receive.close()
        answered, value = self._outcome
        if not answered:
            raise value
        return value


def _in_child(work, send, parent: int, closed: tuple[int, ...]) -> None:
    """Run ``work()`` in :class:`_Background`'s child and send ``(True, value)`` or ``(False, error)``."""
    _die_with(parent)
    for descriptor in closed:  # the import's lock stays the import's
        os.close(descriptor)
    try:
        outcome = (True, work())
    except BaseException as error:  # handed to result()
        outcome = (False, error)
    try:
        send.send(outcome)
    except Exception as error:  # an error that cannot be pickled: its words
        send.send((False, EngineError(f"working out the dataset's fingerprint failed: {error}")))


def _die_with(parent: int) -> None:
    """Have the kernel kill this process when ``parent`` ends (Linux; elsewhere it ends on its own)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent ended before the request was made
        os._exit(1)


def _complete(driver, pending: str, fingerprint: str, began: float, say: Log) -> None:
    """The marker named, the constraints and indexes created and online, and the marker completed: as a
    bulk load ends."""

    with server_errors("naming the imported dataset"):
        named = driver.execute_query(load_query("meta/name_dataset").text, pending=pending,
                                     fingerprint=fingerprint).records[0]["named"]
    if named != 1:
        raise EngineError("the imported store holds no dataset marker")
    say("Creating the constraints and indexes, and waiting for the indexes to fill ...")
    ensure_schema(driver)
    with server_errors("completing the imported dataset's marker"):
        marked = driver.execute_query(
            load_query("meta/complete_dataset").text, fingerprint=fingerprint,
            loaded_at=dt.datetime.now(dt.timezone.utc),
            load_seconds=round(time.perf_counter() - began, 1)).records[0]["marked"]
    if marked != 1:
        raise EngineError("the imported dataset marker could not be completed")


def _switch_back(state: StateDir, previous: Path, new_data: Path, say: Log) -> None:
    say("Switching back to the previous database ...")
    localserver.stop(state.root)
    state.use_data_dir(previous.name)
    shutil.rmtree(new_data, ignore_errors=True)
    localserver.start(state.root, log=say)


def admin_import_command(state: StateDir, conf_dir: Path, files: ImportFiles, report: Path) -> list[str]:
    """The ``java`` command line of ``neo4j-admin database import full`` for ``files``.

    The database name comes right after ``full``: the ``--nodes`` and ``--relationships``
    options take lists and would swallow it. Any bad entry fails the import
    (``--bad-tolerance=0``), though a validated dataset has none.
    """
    command = [java.find_java(), *java.jvm_options(java.heap_size()),
               "-cp", java.resolve_classpath(state), _ADMIN_TOOL, "database", "import", "full", DATABASE,
               "--bad-tolerance=0", f"--report-file={report}", f"--max-off-heap-memory={OFF_HEAP}",
               f"--array-delimiter={files.array_delimiter}"]
    if files.multiline:
        command.append("--multiline-fields=true")
    return command + files.arguments()


def _run_importer(state: StateDir, staging: Path, new_data: Path, files: ImportFiles, lock: int) -> None:
    """Run the importer into ``new_data`` with a configuration of its own; raise when it fails."""
    conf_dir = staging / "conf"
    conf_dir.mkdir(parents=True, exist_ok=True)
    (conf_dir / "neo4j.conf").write_text(
        f"server.directories.data={new_data}\nserver.directories.logs={staging / 'logs'}\n"
        "dbms.usage_report.enabled=false\n", encoding="utf-8")
    command = admin_import_command(state, conf_dir, files, staging / "import.report")
    environment = dict(os.environ, NEO4J_HOME=str(state.home_dir), NEO4J_CONF=str(conf_dir))
    output = staging / "import.log"
    with open(output, "wb") as handle:
        # The lock's descriptor goes with it: a neo4j-admin that outlives a killed handover
        # still holds the lock, so the next import waits rather than deleting its folder.
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=handle, stderr=subprocess.STDOUT,
                                   cwd=staging, env=environment, start_new_session=True, pass_fds=(lock,))
    try:
        code = process.wait()
    except BaseException:  # Ctrl-C: the import stops with us
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise
    if code != 0:
        raise EngineError(f"neo4j-admin database import failed (exit {code}); the previous database "
                          f"is unchanged and serves. Last lines of its output:\n{_tail(output)}")


def _tail(path: Path, lines: int = 12) -> str:
    text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
    kept = [line for line in text.splitlines() if line.strip() and not line.startswith((".", "-."))]
    return "\n".join(redacted(line) for line in kept[-lines:]) or "(no output)"


def _copy_all_but_the_database(previous: Path, new_data: Path) -> None:
    """Copy the data folder in use, less the ``neo4j`` database's store and logs, into ``new_data``
    (which holds the imported ones): the system database, ``dbms/``, the server's id."""
    skipped = {previous / "databases" / DATABASE, previous / "transactions" / DATABASE}

    def ignored(folder: str, names: list[str]) -> set[str]:
        return {name for name in names if Path(folder) / name in skipped}

    if previous.exists():
        shutil.copytree(previous, new_data, symlinks=True, ignore=ignored, dirs_exist_ok=True)
    os.sync()
    sync_folder(new_data.parent)


def _remove_leftovers(state: StateDir) -> None:
    """Delete what earlier imports left: staging folders, and data folders not in use."""
    current = state.data_dir
    for entry in state.root.iterdir():
        if not entry.is_dir() or entry.is_symlink() or entry == current:
            continue
        if entry.name.startswith("import-") or entry.name == "data" or entry.name.startswith("data-"):
            shutil.rmtree(entry, ignore_errors=True)


@contextmanager
def _import_lock(state: StateDir) -> Iterator[int]:
    """Hold ``<state>/import.lock``; refuse when another import (or its neo4j-admin) holds it."""
    state.root.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(state.root / "import.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise EngineError(f"another `handover load --import` is running on the local server in "
                              f"{state.root} (or its neo4j-admin still runs); wait for it to end") from None
        yield fd
    finally:
        os.close(fd)
