"""Opening an engine on a dataset folder or a Neo4j server: the one path every command takes."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from handover.engines import Engine, MemoryEngine
from handover.errors import InputError
from handover.io.guarded import read_guarded
from handover.io.options import ReadOptions

__all__ = ["open_engine"]


@contextmanager
def open_engine(
    engine: str,
    data_dir: Path | None,
    *,
    neo4j_uri: str | None = None,
    reading: ReadOptions | None = None,
    allow_identifiers: bool = False,
    say: Callable[[str], None] | None = None,
) -> Iterator[Engine]:
    """Yield a ready engine, closing it afterwards.

    ``memory`` reads and validates ``data_dir``; ``neo4j`` connects, and when
    ``data_dir`` is given loads it first, replacing what the database held. Either
    way the dataset is read through :func:`handover.io.guarded.read_guarded`, focused
    on ``reading.agencies`` when it names any. Without ``data_dir`` the Neo4j engine
    queries what is loaded, so a focus is accepted only when the loaded dataset was
    focused on exactly those agencies (``handover load DATA_DIR --agency ...``).

    ``say`` hears what a load into Neo4j does that the user should know: what it
    replaces (before it writes), or that the database already held this dataset, so
    nothing was loaded again.

    Raises
    ------
    InputError
        When ``data_dir`` is missing for the memory engine, the dataset is broken, or
        its ids look like national identity numbers without ``allow_identifiers``; when
        a focus is asked of a loaded dataset not focused so.
    """
    options = {"reading": reading, "allow_identifiers": allow_identifiers}
    if engine == "memory":
        if data_dir is None:
            raise InputError("DATA_DIR is required with --engine memory")
        with MemoryEngine(read_guarded(data_dir, **options)) as memory:
            yield memory
        return
    if engine == "neo4j":
        from handover.engines.neo4j import Neo4jEngine

        dataset = read_guarded(data_dir, **options) if data_dir is not None else None
        with Neo4jEngine(uri=neo4j_uri, allow_identifiers=allow_identifiers) as graph:
            if dataset is not None:
                summary = graph.load(dataset, replace=True, announce=say)
                if summary.unchanged and say is not None:
                    say(f"Neo4j already holds this dataset (fingerprint {summary.fingerprint[:12]} from "
                        f"{dataset.source or data_dir.name}); it was not loaded again")
                graph.source_dataset = dataset
            elif reading is not None and reading.agencies and graph.focus() != reading.agencies:
                raise InputError(_focus_refused(reading.agencies, graph.focus()))
            yield graph
        return
    raise InputError(f"--engine: {engine} is not one of: memory, neo4j")


def _focus_refused(asked: tuple[str, ...], loaded: tuple[str, ...]) -> str:
    held = f"is focused on {', '.join(loaded)}" if loaded else "holds every user"
    flags = " ".join(f"--agency {agency}" for agency in asked)
    return (f"--agency: without DATA_DIR the query runs on the dataset loaded in Neo4j, which {held}, "
            f"not on the users of {', '.join(asked)}; give DATA_DIR to load it focused, or load it "
            f"first with `handover load DATA_DIR {flags} --replace`")
