"""Fuzzing the reader: whatever bytes a table file holds, ``read_dataset`` answers or refuses.

Random mutations of the valid base's CSV files (byte flips, cuts, inserted separators,
quotes, line breaks and non-ASCII text, swapped and repeated lines) and plain random
bytes are written into a dataset folder. :func:`handover.io.read_dataset` must return a
dataset or raise :class:`handover.errors.InputError` (a :class:`DatasetError` is one),
with a message that names a file of the folder; any other exception is a bug. The
number of examples is bounded so the whole module takes well under a minute.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handover.errors import DatasetError, InputError
from handover.io import read_dataset, validate_dataset
from handover.model import Dataset
from tests.badinput.corpus import write_base

with tempfile.TemporaryDirectory() as _folder:
    BASE = {path.name: path.read_bytes() for path in write_base(Path(_folder)).glob("*.csv")}
FILES = sorted(BASE)

FUZZ = settings(max_examples=250, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

SPECIAL = [b",", b";", b"\t", b'"', b'""', b"\n", b"\r", b"\r\n", b"\x00", b"\xef\xbb\xbf",
           b"\xff\xfe", "ø".encode(), "Ø".encode("cp1252"), "\u200b".encode(), b"\\", b" ",
           b"2024-02-30", b"9999-12-31", b"31.12.2024", b"45292", b"=HYPERLINK(1)", b"NA", b"u1"]


@st.composite
def mutated(draw, content: bytes) -> bytes:
    data = bytearray(content)
    for _ in range(draw(st.integers(1, 6))):
        action = draw(st.sampled_from(["flip", "cut", "insert", "delete", "lines", "unicode"]))
        at = draw(st.integers(0, len(data)))
        if action == "flip" and data:
            at = min(at, len(data) - 1)
            data[at] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[at:]
        elif action == "insert":
            data[at:at] = draw(st.sampled_from(SPECIAL))
        elif action == "delete":
            del data[at:at + draw(st.integers(1, 20))]
        elif action == "lines":
            lines = bytes(data).split(b"\n")
            order = draw(st.permutations(range(len(lines))))
            repeat = draw(st.lists(st.sampled_from(range(len(lines))), max_size=3))
            data = bytearray(b"\n".join(lines[i] for i in list(order) + repeat))
        else:
            data[at:at] = draw(st.text(min_size=1, max_size=8)).encode("utf-8", "surrogatepass")
    return bytes(data)


@st.composite
def broken_folder(draw) -> dict[str, bytes]:
    """File name → content: the base with one to three files mutated or replaced."""
    files = dict(BASE)
    for name in draw(st.lists(st.sampled_from(FILES), min_size=1, max_size=3, unique=True)):
        if draw(st.integers(0, 9)) == 0:
            files[name] = draw(st.binary(max_size=2000))
        else:
            files[name] = draw(mutated(BASE[name]))
    return files


def read(files: dict[str, bytes], **options):
    with tempfile.TemporaryDirectory() as folder:
        for name, content in files.items():
            (Path(folder) / name).write_bytes(content)
        try:
            return read_dataset(folder, **options)
        except InputError as refused:
            return refused


def check(outcome, files) -> None:
    assert isinstance(outcome, (Dataset, InputError)), type(outcome)
    if isinstance(outcome, DatasetError):
        assert outcome.violations
        assert all(v.file.rsplit(".", 1)[0] + ".csv" in files or v.file.endswith(".parquet")
                   for v in outcome.violations), outcome
        assert "Traceback" not in str(outcome)


@FUZZ
@given(files=broken_folder())
def test_mutated_csv_files_are_read_or_refused(files):
    check(read(files), files)


@settings(FUZZ, max_examples=60)
@given(files=broken_folder(), sep=st.sampled_from([";", "\t", "|", "x", " "]),
       encoding=st.sampled_from(["utf-8", "cp1252", "latin-1", "utf-16", "ascii"]))
def test_any_separator_and_encoding_are_read_or_refused(files, sep, encoding):
    check(read(files, sep=sep, encoding=encoding), files)


@settings(FUZZ, max_examples=60)
@given(content=st.binary(max_size=4000), name=st.sampled_from(FILES))
def test_random_bytes_in_any_table_are_refused_or_read(content, name):
    files = dict(BASE)
    files[name] = content
    check(read(files), files)


@settings(FUZZ, max_examples=40)
@given(flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=8))
def test_damaged_parquet_files_are_refused_or_read(tmp_path_factory, flips):
    import pandas as pd

    folder = Path(tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp()))
    for name, content in BASE.items():
        (folder / name).write_bytes(content)
    users = folder / "users.csv"
    pd.read_csv(users, dtype=str).to_parquet(folder / "users.parquet")
    users.unlink()
    data = bytearray((folder / "users.parquet").read_bytes())
    for at, value in flips:
        data[at % len(data)] = value
    (folder / "users.parquet").write_bytes(bytes(data))
    try:
        outcome = read_dataset(folder)
    except InputError as refused:
        outcome = refused
    assert isinstance(outcome, (Dataset, InputError))


def test_the_fuzzed_base_is_valid():
    """The mutations start from a dataset without a single problem."""
    with tempfile.TemporaryDirectory() as folder:
        for name, content in BASE.items():
            (Path(folder) / name).write_bytes(content)
        assert validate_dataset(folder) == []


@pytest.mark.parametrize("cut", range(1, 60, 7))
def test_every_prefix_of_a_file_is_read_or_refused(cut):
    """A copy interrupted anywhere: each table cut at several points."""
    for name in FILES:
        files = dict(BASE)
        files[name] = BASE[name][:cut]
        check(read(files), files)
