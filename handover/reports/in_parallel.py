"""Independent parts of one output made on every core: each part a function, its answer a value.

A report's pages, its workbook and its user pages do not depend on one another once the
report is gathered, and on a region each takes seconds. :func:`run_parts` runs them in
worker processes forked from this one (they see the gathered report without copying it
in), one per core, and gives back each part's answer in the order of the parts, so the
output is the same as when they run one after another, which is what happens where
``fork`` is not available, with one core, or when asked for (``workers=1``).

Examples
--------
>>> run_parts([("a", lambda: 1), ("b", lambda: 2)], workers=2)
[1, 2]
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from typing import Callable, Sequence

__all__ = ["run_parts", "default_workers"]

# The parts of the run under way, for the forked workers (a fork inherits them; a part's
# function is never pickled).
_PARTS: Sequence[tuple[str, Callable[[], object]]] = ()


def default_workers() -> int:
    """The cores this process may use (at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _run(index: int):
    return index, _PARTS[index][1]()


def _as_a_worker() -> None:
    """A worker ends on SIGTERM at once (the pool stops its workers so); the command's own
    handler, which unwinds to remove temporaries, belongs to the process that writes."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def run_parts(parts: Sequence[tuple[str, Callable[[], object]]], *, workers: int | None = None,
              progress: Callable[[str], None] | None = None) -> list:
    """Each part's answer, in the order of ``parts`` (``(name, function)``); ``progress`` gets
    each part's name as it is done (in the order they finish)."""
    global _PARTS
    step = progress or (lambda name: None)
    workers = min(default_workers() if workers is None else workers, len(parts))
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        answers = []
        for name, make in parts:
            answers.append(make())
            step(name)
        return answers
    _PARTS = parts
    try:
        answers: list = [None] * len(parts)
        with multiprocessing.get_context("fork").Pool(workers, initializer=_as_a_worker) as pool:
            for index, answer in pool.imap_unordered(_run, range(len(parts))):
                answers[index] = answer
                step(parts[index][0])
        return answers
    finally:
        _PARTS = ()
