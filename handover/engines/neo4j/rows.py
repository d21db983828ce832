"""A dataset as Bolt parameters: rows of each table, batches, and the dataset's fingerprint.

Values enter the load queries only as these parameters, never as Cypher text. The
fingerprint is a sha256 over the dataset's canonical content, independent of file
format, column order and row order, so that loading the same dataset again is
recognised and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any, Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from handover.model import TABLES, ColumnKind, Dataset

__all__ = ["table_rows", "batches", "fingerprint_of", "dataset_fingerprint", "table_columns", "fingerprint_of_columns",
           "row_keys"]

_KEYED_TABLES = ("employments", "responsibilities")



def table_rows(dataset: Dataset, table: str) -> list[dict[str, Any]]:
    """The rows of ``table`` as query parameters: ``str``, ``int``, ``datetime.date`` or ``None``.

    Every contract column is present in each row (``None`` when missing, which
    leaves the property absent in the graph). Rows of tables without an id get a
    ``row_key``: the sha256 of the row's content plus its occurrence number among
    identical rows, so that repeated rows stay distinct and loading is idempotent.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> row = table_rows(tiny_dataset(), "responsibilities")[0]
    >>> row["start"], row["end"], row["reason"], len(row["row_key"])
    (datetime.date(2024, 1, 1), datetime.date(2024, 2, 1), None, 66)
    """
    return next(batches(dataset, table, max(1, len(dataset[table]))), (0, []))[1]


def batches(dataset: Dataset, table: str, batch_size: int):
    """``(start, rows)`` for each batch of :func:`table_rows`, made one batch at a time."""
    columns = _table_columns(dataset, table)
    keys = row_keys(dataset, table).to_pylist() if table in _KEYED_TABLES else None
    names = list(columns)
    count = len(dataset[table])
    for start in range(0, count, batch_size):
        stop = start + batch_size
        rows = [dict(zip(names, values)) for values in zip(*(c[start:stop] for c in columns.values()))]
        if keys is not None:
            for row, key in zip(rows, keys[start:stop]):
                row["row_key"] = key
        yield start, rows


def table_columns(dataset: Dataset, table: str) -> dict[str, list]:
    """Every contract column of ``table`` as a list of parameters, as :func:`table_rows` holds them,
    and ``row_key`` for the tables without an id: what a load writes, a column at a time.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> columns = table_columns(tiny_dataset(), "responsibilities")
    >>> list(columns)[-1], columns["row_key"][0] == table_rows(tiny_dataset(), "responsibilities")[0]["row_key"]
    ('row_key', True)
    """
    columns = _table_columns(dataset, table)
    if table in _KEYED_TABLES:
        return {**columns, "row_key": row_keys(dataset, table).to_pylist()}
    return columns


def row_keys(dataset: Dataset, table: str) -> pa.ChunkedArray:
    """The ``row_key`` of each row of ``table`` (a table without an id: employments, responsibilities).

    The sha256 (hex) of the row's canonical JSON line, a hyphen, and the row's occurrence number
    among identical rows in table order: repeated rows stay distinct, and loading the same dataset
    again finds the same keys. Made without a Python object per row: at 1,000,000 users
    responsibilities have 11.6 million rows.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> key = row_keys(tiny_dataset(), "responsibilities")[0].as_py()
    >>> len(key), key[-2:]
    (66, '-1')
    """
    return _row_keys(_encoded_columns(dataset, table), len(dataset[table]))


def fingerprint_of_columns(tables) -> str:
    """:func:`dataset_fingerprint` of ``(table, columns)`` pairs given in table-name order, the columns
    from :func:`table_columns` (``row_key`` left out): for a caller that needs the columns anyway.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> ds = tiny_dataset()
    >>> names = sorted(t for t in TABLES if ds.has(t))
    >>> fingerprint_of_columns((t, table_columns(ds, t)) for t in names) == dataset_fingerprint(ds)
    True
    """
    return _digest((table, {k: v for k, v in columns.items() if k != "row_key"}) for table, columns in tables)


def _table_columns(dataset: Dataset, table: str) -> dict[str, list]:
    """Every contract column of ``table`` as a list of Bolt parameters (``None`` when absent)."""
    frame = dataset[table]
    return {column.name: (_column_parameters(frame[column.name], column.kind) if column.name in frame.columns
                          else [None] * len(frame))
            for column in TABLES[table].columns}


def _row_keys(columns: dict[str, _Encoded], rows: int) -> pa.ChunkedArray:
    """:func:`row_keys` of encoded columns: the digests a batch of lines at a time, the occurrence
    numbers from the digests sorted once, the keys' text a batch at a time."""
    if not rows:
        return pa.chunked_array([], type=pa.string())
    keys = sorted(columns)
    line = _line_format(keys)
    digests = np.empty(rows, dtype="S32")  # every digest is 32 bytes: no padding is ever dropped
    sha256 = hashlib.sha256
    for start in range(0, rows, _LINES_AT_ONCE):
        chosen = np.arange(start, min(rows, start + _LINES_AT_ONCE))
        texts = [columns[key].text(chosen).tolist() for key in keys]
        digests[chosen] = np.frombuffer(b"".join([sha256((line % parts).encode("utf-8")).digest()
                                                  for parts in zip(*texts)]), dtype="S32")
    order = np.argsort(digests, kind="stable")  # identical rows stay in table order
    ordered = digests[order]
    first = np.r_[True, ordered[1:] != ordered[:-1]]  # where each run of identical digests begins
    group_start = np.maximum.accumulate(np.where(first, np.arange(rows), 0))
    occurrence = np.empty(rows, dtype=np.int64)
    occurrence[order] = np.arange(rows) - group_start + 1
    del order, ordered, first, group_start
    chunks = []
    for start in range(0, rows, _LINES_AT_ONCE):
        part = digests[start:start + _LINES_AT_ONCE]
        hexes = _HEX_PAIRS[np.frombuffer(part.tobytes(), dtype=np.uint8)].view("S64")
        chunks.append(pc.binary_join_element_wise(pa.array(hexes, type=pa.binary()).cast(pa.string()),
                                                  pa.array(occurrence[start:start + _LINES_AT_ONCE]).cast(
                                                      pa.string()), "-"))
    return pa.chunked_array(chunks, type=pa.string())


#: Each byte's two hex digits, as ``bytes.hex`` spells them.
_HEX_PAIRS = np.array([f"{byte:02x}".encode("ascii") for byte in range(256)], dtype="S2")


def _column_parameters(values: pd.Series, kind: ColumnKind) -> list:
    """A column as Bolt parameters, as :func:`_parameter` makes them cell by cell, only faster.

    The typed columns that :func:`handover.io.read_dataset` returns (dates, ``Int64``
    years, text) are converted a column at a time; anything else cell by cell.
    """
    missing = values.isna().to_numpy()
    if kind is ColumnKind.DATE and pd.api.types.is_datetime64_any_dtype(values) and values.dt.tz is None:
        converted = values.dt.date.tolist()
    elif kind is ColumnKind.YEAR and pd.api.types.is_integer_dtype(values):
        converted = [int(v) if not m else None for v, m in zip(values.tolist(), missing)]
        return converted
    elif kind not in (ColumnKind.DATE, ColumnKind.YEAR) and pd.api.types.infer_dtype(
            values, skipna=True) in ("string", "empty"):
        converted = values.tolist()
    else:
        return [_parameter(v, kind) for v in values.tolist()]
    if missing.any():
        converted = [None if m else v for v, m in zip(converted, missing)]
    return converted


def _parameter(value, kind: ColumnKind):
    """One cell as a Bolt parameter; every kind of missing value becomes ``None``."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:  # NaN
        return None
    if kind is ColumnKind.DATE:
        if isinstance(value, str):
            return dt.date.fromisoformat(value[:10])
        if isinstance(value, dt.datetime):  # pandas Timestamps are datetimes
            return value.date()
        return value
    if kind is ColumnKind.YEAR:
        return int(value)
    return value if isinstance(value, str) else str(value)


def _json_text(value) -> str:
    """``json.dumps(value, default=_json_value, ensure_ascii=False)``, the common cases inlined."""
    if isinstance(value, str):
        return _encode_string(value)
    if isinstance(value, dt.date):
        return _encode_string(value.isoformat())
    return json.dumps(value, default=_json_value, ensure_ascii=False)


# What json.dumps(text, ensure_ascii=False) calls for a string (the C version when present).
_encode_string = json.encoder.encode_basestring


def _json_value(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def fingerprint_of(rows: dict[str, list[dict]]) -> str:
    """sha256 over every table's sorted canonical rows (``row_key`` left out).

    ``rows`` come from :func:`table_rows`, so the rows of a table share their keys.
    """
    def columns(table_rows_: list[dict]) -> dict[str, list]:
        keys = [k for k in table_rows_[0] if k != "row_key"] if table_rows_ else []
        return {k: [row[k] for row in table_rows_] for k in keys}

    return _digest((table, columns(rows[table])) for table in sorted(rows))


def _digest(tables) -> str:
    """The fingerprint of ``(table, columns)`` pairs given in table-name order.

    The definition: per table, ``[table, rows]`` as JSON, then the table's canonical lines
    (``json.dumps`` of the row, keys sorted, no spaces, not ASCII-escaped) in sorted order, each
    followed by a line feed, all through one sha256.
    Each column is a list of parameters or an already encoded :class:`_Encoded`.
    """
    digest = hashlib.sha256()
    for table, columns in tables:
        encoded = {key: values if isinstance(values, _Encoded) else _Encoded.of(values)
                   for key, values in columns.items()}
        rows = len(next(iter(encoded.values())).codes) if encoded else 0
        digest.update(json.dumps([table, rows]).encode("utf-8"))
        for lines in _sorted_lines(encoded, rows):
            digest.update(("\n".join(lines) + "\n").encode("utf-8"))
    return digest.hexdigest()


#: Rows whose canonical lines are made at once (and sorted, when fingerprinting): the lines of a
#: national table (31 million contacts) would take several GiB.
_LINES_AT_ONCE = 500_000


class _Encoded:
    """A column as codes into its distinct values (``-1``: missing, ``null``), whose JSON texts are
    made only for the rows asked for (an id column has as many distinct values as rows)."""

    def __init__(self, codes: np.ndarray, texts_of: Callable[[np.ndarray], list[str]]):
        self.codes = codes.astype(np.int32) if len(codes) < 2**31 else codes
        self._texts_of = texts_of  # the JSON texts of some distinct values, by their codes

    @classmethod
    def of(cls, values) -> "_Encoded":
        """A list of parameters (``str``, ``int``, ``datetime.date`` or ``None``)."""
        codes, uniques = pd.factorize(np.array(values, dtype=object), use_na_sentinel=True)
        return cls(codes, lambda chosen: [_json_text(value) for value in uniques[chosen]])

    def text(self, rows: np.ndarray) -> np.ndarray:
        """The JSON text of each of ``rows``."""
        texts, inverse = self._distinct(rows)
        return texts[inverse]

    def ranks(self, rows: np.ndarray, after: str) -> np.ndarray:
        """The rank of each of ``rows``' texts among the texts of ``rows``, each followed by ``after``
        (what follows it in a line): the order of the rows' lines, as far as this column tells."""
        texts, inverse = self._distinct(rows)
        order = sorted(range(len(texts)), key=lambda i: texts[i] + after)
        rank = np.empty(len(texts), dtype=np.int64)
        rank[order] = np.arange(len(texts))
        return rank[inverse]

    def _distinct(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The distinct texts of ``rows`` (only theirs: an id column has as many as it has rows),
        and each row's index into them."""
        chosen, inverse = np.unique(self.codes[rows], return_inverse=True)
        missing = len(chosen) and chosen[0] == -1
        texts = self._texts_of(chosen[1:] if missing else chosen)
        return np.array(["null", *texts] if missing else texts, dtype=object), inverse


def _sorted_lines(columns: dict[str, _Encoded], rows: int):
    """The table's canonical lines in sorted order, a bounded batch at a time.

    Every line is ``{"k1":t1,"k2":t2,...}`` with the same keys, so lines whose first texts differ
    are ordered as ``t1 + ","`` are (a JSON value never holds an unescaped ``",``): rows are
    grouped by their first text in that order, a group too big to sort at once by its second
    text, and so on; consecutive groups are sorted together up to :data:`_LINES_AT_ONCE` rows.
    """
    keys = sorted(columns)
    if not keys or not rows:
        return
    line = _line_format(keys)

    def groups(selected: np.ndarray, position: int):
        if len(selected) <= _LINES_AT_ONCE or position == len(keys):
            yield selected
            return
        # Ranked among the group's own texts: one big agency's contacts are ordered by their own
        # contact ids, not by the 31 million of a national table (a text object each).
        rank = columns[keys[position]].ranks(selected, "," if position < len(keys) - 1 else "}")
        ordered = np.argsort(rank, kind="stable")
        selected, rank = selected[ordered], rank[ordered]
        cuts = np.flatnonzero(np.diff(rank)) + 1
        for group in np.split(selected, cuts):
            yield from groups(group, position + 1)

    batch: list[np.ndarray] = []
    held = 0
    for group in groups(np.arange(rows), 0):
        if held and held + len(group) > _LINES_AT_ONCE:
            yield _lines(columns, keys, line, np.concatenate(batch))
            batch, held = [], 0
        batch.append(group)
        held += len(group)
    if batch:
        yield _lines(columns, keys, line, np.concatenate(batch))


def _lines(columns: dict[str, _Encoded], keys: list[str], line: str, rows: np.ndarray) -> list[str]:
    """The sorted canonical lines of some rows."""
    texts = [columns[key].text(rows).tolist() for key in keys]
    return sorted([line % parts for parts in zip(*texts)])


def _line_format(keys: list[str]) -> str:
    """The canonical line of a row of columns ``keys`` (sorted) as a ``%`` format of their texts:
    ``{"k1":%s,"k2":%s}``."""
    return "{" + ",".join(json.dumps(key, ensure_ascii=False).replace("%", "%%") + ":%s" for key in keys) + "}"


def dataset_fingerprint(dataset: Dataset) -> str:
    """sha256 over the dataset's canonical content.

    Independent of file format, column order and row order; a table that is absent
    differs from a table that is present but empty.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> ds = tiny_dataset()
    >>> shuffled = Dataset({t: f.iloc[::-1] for t, f in ds.tables.items()})
    >>> dataset_fingerprint(ds) == dataset_fingerprint(shuffled)
    True
    """
    tables = sorted(table for table in TABLES if dataset.has(table))
    return _digest((table, _encoded_columns(dataset, table)) for table in tables)


def _encoded_columns(dataset: Dataset, table: str) -> dict[str, _Encoded]:
    """Every contract column of ``table`` encoded for :func:`_digest`, the same texts as
    :func:`_table_columns` gives, without a Python object per cell for the typed columns."""
    frame = dataset[table]
    encoded = {}
    for column in TABLES[table].columns:
        if column.name not in frame.columns:
            encoded[column.name] = _Encoded(np.full(len(frame), -1, dtype=np.int64), lambda chosen: [])
            continue
        values = frame[column.name]
        if _typed(values, column.kind):
            codes, uniques = pd.factorize(values, use_na_sentinel=True)
            encoded[column.name] = _Encoded(np.asarray(codes), _texts_of(uniques, values.dtype, column.kind))
        else:
            encoded[column.name] = _Encoded.of(_column_parameters(values, column.kind))
    return encoded


def _texts_of(uniques, dtype, kind: ColumnKind) -> Callable[[np.ndarray], list[str]]:
    """The JSON texts of some of a typed column's distinct values, converted as its cells would be."""
    def texts(chosen: np.ndarray) -> list[str]:
        parameters = _column_parameters(pd.Series(uniques[chosen], dtype=dtype), kind)
        return [_json_text(parameter) for parameter in parameters]
    return texts


def _typed(values: pd.Series, kind: ColumnKind) -> bool:
    """Whether a column is of the typed kinds that :func:`_column_parameters` converts a column at a
    time (dates, integer years, text): their distinct values convert as their cells would."""
    if kind is ColumnKind.DATE:
        return pd.api.types.is_datetime64_any_dtype(values) and values.dt.tz is None
    if kind is ColumnKind.YEAR:
        return pd.api.types.is_integer_dtype(values)
    return pd.api.types.infer_dtype(values, skipna=True) == "string"

