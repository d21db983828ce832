"""Writing files and folders atomically: a temporary beside the target, renamed into place.

An interrupted run never leaves a half-written file that looks complete, nor a folder that
mixes the files of two runs: :func:`write_folder_atomic` writes a whole folder beside the
target and swaps it in, so a failure leaves the previous folder as it was.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import functools
import glob
import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

__all__ = ["atomic_path", "write_text_atomic", "write_bytes_atomic", "write_folder_atomic", "staged_folder",
           "write_new_file", "sweep_leftovers", "output_errors", "MARKER"]

#: The file that marks a folder as one handover wrote whole (it holds the kind of output),
#: so that writing the same kind again may replace it.
MARKER = ".handover-output"


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it into place only on success.

    A failure of the system to write it (a full disk, a read-only file system, a file where
    a folder should be) is an :class:`~handover.errors.InputError` naming ``path``.
    """
    path = Path(path)
    with output_errors(path, "file"):
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir():
            raise OSError(errno.EISDIR, "is a folder, not a file", str(path))
        sweep_leftovers(path)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        fcntl.flock(fd, fcntl.LOCK_EX)  # ours while we write: no sweep of another run removes it
        try:
            yield Path(tmp)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
            os.close(fd)


@contextmanager
def output_errors(target: Path, what: str, name: str = "--out") -> Iterator[None]:
    """Turn the system's refusal to write ``target`` into an InputError that names it (exit 2),
    as the command line calls it (``name``: ``--out``, or an argument such as ``OUT_DIR``).

    Arrow's writers raise an ``OSError`` without ``errno``, the number only in its text
    (``... Detail: [errno 28] No space left on device``); it is read from there.
    """
    from handover.errors import InputError

    try:
        yield
    except OSError as error:
        number = error.errno
        if number is None:
            found = re.search(r"\[errno (\d+)\]", str(error))
            number = int(found.group(1)) if found else None
        if isinstance(error, (BlockingIOError, InterruptedError)) or number is None:
            raise
        reason = _REASONS.get(number) or (error.strerror or os.strerror(number)).lower()
        raise InputError(f"{name} {target}: cannot write the {what} there ({reason}); nothing was "
                         "written, and what was there is as it was") from None


#: What the system's refusals mean, for a message about an output.
_REASONS = {
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "your disk quota is used up",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EEXIST: "a part of the path is a file, not a folder",
    errno.EISDIR: "it is a folder, not a file",
    errno.ENAMETOOLONG: "the name is too long",
    errno.EIO: "an input/output error of the device",
}


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, byte for byte (a workbook; text whose line ends matter)."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def write_folder_atomic(folder: Path, files: dict[str, str | bytes], *, kind: str) -> Path:
    """Write ``files`` (relative path → text or bytes) as the whole of ``folder``, all at once.

    The files are written into a new folder beside ``folder`` and swapped in only when all
    are written; on any failure ``folder`` stays as it was and the new one is removed.
    ``folder`` may be missing, empty, or a folder this function wrote for the same ``kind``
    (its :data:`MARKER` says so): it is then replaced whole, so no file of an earlier run
    survives beside the new ones.

    Raises
    ------
    InputError
        When ``folder`` is a file, or holds files handover did not write as a ``kind``.

    Examples
    --------
    >>> out = Path(tempfile.mkdtemp()) / "report"
    >>> _ = write_folder_atomic(out, {"index.html": "<p>one</p>", "a.csv": "x"}, kind="report")
    >>> _ = write_folder_atomic(out, {"index.html": "<p>two</p>"}, kind="report")
    >>> sorted(p.name for p in out.iterdir()), (out / "index.html").read_text()
    (['.handover-output', 'index.html'], '<p>two</p>')
    """
    from handover.errors import InputError

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"--out {folder}: is a file, not a folder; give a folder for the {kind}")
    if folder.is_dir():
        held = sorted(p.name for p in folder.iterdir())
        marked = (folder / MARKER).is_file() and (folder / MARKER).read_text(encoding="utf-8").strip() == kind
        if held and not marked:
            shown = ", ".join(held[:3]) + (", ..." if len(held) > 3 else "")
            raise InputError(f"--out {folder}: the folder holds files handover did not write as a {kind} "
                             f"({shown}); give a new or empty folder, so that nothing of yours is replaced")
    with staged_folder(folder) as staging:
        for name, content in {**files, MARKER: kind + "\n"}.items():
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            write_new_file(path, content if isinstance(content, bytes) else content.encode("utf-8"))
        os.chmod(staging, 0o777 & ~_umask())  # the folder itself as mkdir makes one: your default permissions
    return folder


@contextmanager
def staged_folder(folder: Path) -> Iterator[Path]:
    """Yield a new folder beside ``folder`` (its owner's only); on success it becomes ``folder``.

    The new folder is swapped with an existing ``folder`` in one step where the system can
    (Linux ``renameat2`` with ``RENAME_EXCHANGE``), so that ``folder`` is at every moment
    either the old one or the new one; the old one is then removed. On any failure the new
    folder is removed and ``folder`` stays as it was. While it is written the new folder is
    locked; what a killed run left beside ``folder`` (unlocked, so its writer is gone) is
    removed by the next write of ``folder`` (:func:`sweep_leftovers`).
    """
    folder = Path(folder)
    with output_errors(folder, "folder"):
        folder.parent.mkdir(parents=True, exist_ok=True)
        sweep_leftovers(folder)
        staging, lock = _locked_staging(folder)
    try:
        with output_errors(folder, "folder"):
            yield staging
            if folder.exists():
                if _exchange(staging, folder):
                    shutil.rmtree(staging, ignore_errors=True)  # it now holds the old folder
                else:
                    retired = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".old", dir=folder.parent))
                    os.replace(folder, retired / folder.name)
                    os.replace(staging, folder)
                    shutil.rmtree(retired, ignore_errors=True)
            else:
                os.replace(staging, folder)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
        os.close(lock)


def sweep_leftovers(target: Path) -> list[Path]:
    """Remove what killed writes of ``target`` left beside it; return what was removed.

    A temporary of ``target`` is a sibling named ``.<name>.<random>.tmp`` (or ``.old``).
    One that is locked is being written by a running process and is kept; one that is not
    was left by a process that is gone (killed, or its machine stopped), and is removed.

    Examples
    --------
    >>> root = Path(tempfile.mkdtemp())
    >>> (root / ".report.x1.tmp").mkdir()
    >>> [p.name for p in sweep_leftovers(root / "report")], list(root.iterdir())
    (['.report.x1.tmp'], [])
    """
    target = Path(target)
    removed = []
    try:
        siblings = list(target.parent.glob(f".{glob.escape(target.name)}.*"))
    except OSError:
        return removed
    for path in siblings:
        if path.suffix not in (".tmp", ".old") or path.is_symlink():
            continue
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue  # a running writer holds it
        try:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed.append(path)
        finally:
            os.close(fd)
    return removed


def _locked_staging(folder: Path) -> tuple[Path, int]:
    """A new folder beside ``folder``, and the descriptor that locks it while this process lives.

    Another run's sweep may take the folder between its making and its locking; then
    another is made.
    """
    for _ in range(5):
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=folder.parent))
        try:
            fd = os.open(staging, os.O_RDONLY)
        except FileNotFoundError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return staging, fd
        except OSError:
            os.close(fd)
    raise OSError(errno.EAGAIN, "could not make a temporary folder beside it", str(folder))


def _exchange(a: Path, b: Path) -> bool:
    """Swap ``a`` and ``b`` in one step (Linux ``renameat2``); ``False`` where the system can't."""
    libc = _libc()
    rename = getattr(libc, "renameat2", None) if libc is not None else None
    if rename is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if rename(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False  # this file system can't exchange; rename twice instead
    raise OSError(error, os.strerror(error), str(b))


@functools.lru_cache(maxsize=1)
def _libc():
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def write_new_file(path: Path, data: bytes) -> None:
    """Create ``path`` (it must not exist) with ``data``, readable and writable by its owner only,
    as every result file is (docs/data-protection.md)."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(handle, "wb") as out:
        out.write(data)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
