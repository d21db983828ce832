"""Synthetic datasets that look like the field: ``handover generate``.

:func:`generate_dataset` writes a contract-valid dataset (all nine tables of the data contract,
docs/data.md) for a health region sized to the number of users: a big city with NAV district
offices, towns and small municipalities, a health trust with TSB and DPS, private
institutions and NGOs. Users change caseworker two to three times a year, pass
through detox and three-month inpatient stays, hold parallel plans that go dormant,
and are followed up after discharge late or not at all, so every finding has
something to find. Users are simulated in chunks with vectorised numpy and streamed
to disk, so time grows linearly and memory stays flat. The same arguments always
give byte-identical files.

Modules, one job each: :mod:`~.figures` (the numbers), :mod:`~.region` and
:mod:`~.staffing` (agencies, posts and who holds them), :mod:`~.population`,
:mod:`~.treatment`, :mod:`~.caseworkers`, :mod:`~.plans`, :mod:`~.responsibilities`,
:mod:`~.contacts` (one chunk of users), :mod:`~.simulate` (a chunk end to end),
:mod:`~.tables` and :mod:`~.writer` (ids and files), :mod:`~.realism` (measuring
the result against the field's figures).
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Callable, Iterator

import numpy as np

from handover.errors import InputError
from handover.generate.region import build_region
from handover.generate.sampling import date_of, day_of
from handover.generate.simulate import simulate_chunk
from handover.generate.tables import Numbering, chunk_tables, region_tables
from handover.generate.writer import FORMATS, DatasetWriter
from handover.io.atomic import output_errors
from handover.model import TABLES

__all__ = ["generate_dataset", "GenerateSummary", "DEFAULT_START", "CHUNK_USERS"]

#: The first day of the period when none is given (a fixed day keeps runs reproducible).
DEFAULT_START = dt.date(2022, 1, 1)
#: Users simulated and written at a time.
CHUNK_USERS = 5_000
_MAX_YEARS = 50
_EARLIEST_START, _LATEST_START = dt.date(1980, 1, 1), dt.date(2100, 12, 31)


@dataclass(frozen=True)
class GenerateSummary:
    """What :func:`generate_dataset` wrote.

    Attributes
    ----------
    folder : Path
    fmt : str
    users, seed, years : int
    start, end : datetime.date
        The period ``[start, end)``; ``end`` is the extraction day, so anything still
        running then is written as ongoing.
    rows : dict of str to int
        Rows per table, in the contract's table order.
    seconds : float
    """

    folder: Path
    fmt: str
    users: int
    seed: int
    years: int
    start: dt.date
    end: dt.date
    rows: dict[str, int]
    seconds: float


def _checked(users, seed, years, start, fmt, chunk_users) -> tuple[int, int, int, dt.date, str, int]:
    def whole(value, name: str, least: int) -> int:
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < least:
            raise InputError(f"{name}: {value!r} is not a whole number of at least {least}")
        return int(value)

    users = whole(users, "--users", 1)
    seed = whole(seed, "--seed", 0)
    years = whole(years, "--years", 1)
    if years > _MAX_YEARS:
        raise InputError(f"--years: {years} is more than {_MAX_YEARS}")
    chunk_users = whole(chunk_users, "chunk_users", 1)
    if start is None:
        start = DEFAULT_START
    elif isinstance(start, str):
        try:
            start = dt.date.fromisoformat(start.strip())
        except ValueError:
            raise InputError(f"--start-date: {start} is not a date (YYYY-MM-DD)") from None
    elif isinstance(start, dt.datetime):
        start = start.date()
    elif not isinstance(start, dt.date):
        raise InputError(f"--start-date: {start!r} is not a date (YYYY-MM-DD)")
    # Birth years (18 to 80 years before the start) must stay within 1900-2100 (docs/data.md).
    if not _EARLIEST_START <= start <= _LATEST_START:
        raise InputError(f"--start-date: {start} is not between {_EARLIEST_START} and {_LATEST_START}")
    if fmt not in FORMATS:
        raise InputError(f"--format: {fmt} is not one of: {', '.join(FORMATS)}")
    return users, seed, years, start, fmt, chunk_users


def _rng(seed: int, *key: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=key)))


def generate_dataset(
    folder: str | PathLike,
    *,
    users: int,
    seed: int,
    years: int = 3,
    start: dt.date | str | None = None,
    fmt: str = "csv",
    chunk_users: int = CHUNK_USERS,
    progress: Callable[[int, int], None] | None = None,
) -> GenerateSummary:
    """Write a synthetic dataset of ``users`` users over ``years`` years into ``folder``.

    Parameters
    ----------
    folder : str or path-like
        Created when missing. Each table's file replaces one of the same name (and a
        file of the same table in the other format is removed); other files stay.
        Nothing is replaced until every table has been written.
    users : int
        Number of service users, at least 1. The region, its agencies and staff grow
        with it so that caseloads stay realistic.
    seed : int
        Seed of the random generators (``numpy`` PCG64), at least 0. The same
        arguments give byte-identical files.
    years : int, default 3
        Length of the period, 1 to 50 years. Histories begin up to two years earlier
        (users already in services) and long relationships (LAR, GP, employment)
        earlier still.
    start : date or str, optional
        First day of the period, ``YYYY-MM-DD``, between 1980-01-01 and 2100-12-31;
        default 2022-01-01.
    fmt : {"csv", "parquet"}, default "csv"
    chunk_users : int, default 5000
        Users simulated and written at a time; memory grows with it, time hardly. The
        output depends on it, so keep the default to reproduce a dataset.
    progress : callable, optional
        Called as ``progress(users_done, users)`` after each chunk.

    Returns
    -------
    GenerateSummary

    Raises
    ------
    InputError
        When ``users`` or ``years`` is below 1, ``seed`` is negative, ``start`` is not a
        date or ``fmt`` is unknown.

    See Also
    --------
    handover.io.read_dataset : reads (and validates) the folder written here.
    handover.generate.realism.measure : the figures of the field, measured on it.

    Notes
    -----
    Each chunk of users has its own random stream (``SeedSequence(seed, spawn_key=(1,
    chunk))``), the region another, so chunks are independent and memory stays flat:
    only the region and one chunk are ever held.

    Examples
    --------
    >>> import tempfile
    >>> from handover.io import read_dataset
    >>> folder = tempfile.mkdtemp()
    >>> summary = generate_dataset(folder, users=200, seed=1)
    >>> summary.rows["users"], summary.end
    (200, datetime.date(2025, 1, 1))
    >>> dataset = read_dataset(folder)
    >>> sorted(dataset.tables) == sorted(summary.rows)
    True
    """
    began = time.perf_counter()
    users, seed, years, start, fmt, chunk_users = _checked(users, seed, years, start, fmt, chunk_users)
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"not a folder: {folder}")
    region = build_region(_rng(seed, 0), users, day_of(start), years)
    numbering = Numbering(users=users, agencies=region.n_agencies, services=len(region.service_kind),
                          staff=region.staffing.n_staff)
    made = not Path(folder).exists()
    with _kept_as_it_was(folder, made), output_errors(Path(folder), "folder", "OUT_DIR"), DatasetWriter(folder, fmt) as out:
        for table, columns in region_tables(region, numbering).items():
            out.append(table, columns)
        for chunk, first in enumerate(range(0, users, chunk_users)):
            count = min(chunk_users, users - first)
            rows = simulate_chunk(_rng(seed, 1, chunk), region, count)
            for table, columns in chunk_tables(region, rows, first + 1, numbering).items():
                out.append(table, columns)
            if progress is not None:
                progress(first + count, users)
        out.commit()
    return GenerateSummary(
        folder=folder, fmt=fmt, users=users, seed=seed, years=years, start=start,
        end=date_of(region.t1), rows={t: out.rows.get(t, 0) for t in TABLES},
        seconds=time.perf_counter() - began,
    )


@contextmanager
def _kept_as_it_was(folder: Path, made: bool) -> Iterator[None]:
    """On failure, remove ``folder`` again when this run made it (its tables' partial files are
    removed by the writer), so a failed generate leaves no empty folder behind."""
    try:
        yield
    except BaseException:
        if made:
            shutil.rmtree(folder, ignore_errors=True)
        raise
