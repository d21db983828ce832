"""Writing files and folders atomically: a temporary beside the target, renamed into place.

An interrupted run never leaves a half-written file that looks complete, nor a folder that
mixes the files of two runs: :func:`write_folder_atomic` writes a whole folder beside the
target and swaps it in, so a failure leaves the previous folder as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

__all__ = ["atomic_path", "write_text_atomic", "write_bytes_atomic", "write_folder_atomic", "staged_folder",
           "write_new_file", "MARKER"]

#: The file that marks a folder as one handover wrote whole (it holds the kind of output),
#: so that writing the same kind again may replace it.
MARKER = ".handover-output"


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it into place only on success."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


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

    An existing ``folder`` is moved aside first and removed once the new one is in its place;
    on any failure the new folder is removed and ``folder`` stays as it was.
    """
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=folder.parent))
    try:
        yield staging
        if folder.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".old", dir=folder.parent))
            os.replace(folder, retired / folder.name)
            os.replace(staging, folder)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.replace(staging, folder)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


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
