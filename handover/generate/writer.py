"""Stream tables into a dataset folder, chunk by chunk, as CSV or Parquet (docs/data.md).

Each table is written to ``<table>.<format>.partial`` while generating, one append
(a CSV block or a Parquet row group) per chunk, and renamed into place only when
every table is complete: a failed run leaves no half-written dataset behind.
CSV is UTF-8 with a header row, ``,``-separated, dates ``YYYY-MM-DD`` and missing
values empty; Parquet stores dates as ``date32`` and ids and text as strings.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from handover.generate.sampling import OPEN
from handover.model import TABLES, ColumnKind

__all__ = ["FORMATS", "DatasetWriter", "id_array", "lookup_array", "date_array", "schema_of"]

FORMATS = ("csv", "parquet")


def schema_of(table: str) -> pa.Schema:
    """The Arrow schema of a contract table: strings, ``date32`` dates, ``int16`` years.

    Examples
    --------
    >>> schema_of("users").types
    [DataType(string), DataType(int16), DataType(string)]
    """
    types = {ColumnKind.DATE: pa.date32(), ColumnKind.YEAR: pa.int16()}
    return pa.schema([(c.name, types.get(c.kind, pa.string())) for c in TABLES[table].columns])


def id_array(prefix: str, numbers, width: int) -> pa.Array:
    """Ids such as ``u000042``: ``prefix`` and the number zero-padded to ``width``; ``-1`` is missing.

    Examples
    --------
    >>> id_array("st", np.array([7, -1]), 5).to_pylist()
    ['st00007', None]
    """
    numbers = np.asarray(numbers, dtype=np.int64)
    digits = pc.utf8_lpad(pc.cast(pa.array(numbers, mask=numbers < 0), pa.string()), width, "0")
    return pc.binary_join_element_wise(prefix, digits, "")


def lookup_array(values, codes) -> pa.Array:
    """``values[code]`` per code, missing where the code is ``-1``.

    Examples
    --------
    >>> lookup_array(["visit", "phone"], np.array([1, -1])).to_pylist()
    ['phone', None]
    """
    codes = np.asarray(codes, dtype=np.int64)
    values = values if isinstance(values, pa.Array) else pa.array(values, pa.string())
    return pc.take(values, pa.array(codes, mask=codes < 0))


def date_array(days) -> pa.Array:
    """Dates from day numbers; :data:`~handover.generate.sampling.OPEN` is missing.

    Examples
    --------
    >>> date_array(np.array([19000, 1 << 30])).to_pylist()
    [datetime.date(2022, 1, 8), None]
    """
    days = np.asarray(days, dtype=np.int64)
    return pa.array(days.astype(np.int32), type=pa.date32(), mask=days >= OPEN)


class DatasetWriter:
    """Appends chunks of every table to a dataset folder; :meth:`commit` puts them in place.

    Parameters
    ----------
    folder : path
        Created when missing. On :meth:`commit`, each table's file replaces one of the
        same name, and a file of the same table in the other format is removed, so
        the folder holds exactly one dataset.
    fmt : {"csv", "parquet"}

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> with DatasetWriter(folder, "csv") as out:
    ...     out.append("staff", {"staff_id": id_array("st", np.array([1, 2]), 3),
    ...                          "profession": lookup_array(["GP"], np.array([0, -1]))})
    ...     out.commit()
    >>> print((folder / "staff.csv").read_text())
    staff_id,profession
    st001,GP
    st002,
    <BLANKLINE>
    """

    def __init__(self, folder: Path, fmt: str):
        self.folder = Path(folder)
        self.fmt = fmt
        self.rows: dict[str, int] = {}
        self._writers: dict[str, object] = {}
        self._sinks: dict[str, pa.NativeFile] = {}
        self._done = False

    def __enter__(self) -> "DatasetWriter":
        self.folder.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(self, *exc) -> None:
        if not self._done:
            self._close_all()
            for table in self._writers:
                self._partial(table).unlink(missing_ok=True)

    def _partial(self, table: str) -> Path:
        return self.folder / f"{table}.{self.fmt}.partial"

    def append(self, table: str, columns: dict[str, pa.Array]) -> None:
        """Append rows to ``table``; ``columns`` may leave out optional columns (written empty)."""
        schema = schema_of(table)
        length = len(next(iter(columns.values())))
        arrays = [columns[f.name].cast(f.type) if f.name in columns else pa.nulls(length, f.type)
                  for f in schema]
        batch = pa.Table.from_arrays(arrays, schema=schema)
        if table not in self._writers:
            self._writers[table] = self._open(table, schema)
        self._writers[table].write_table(batch)
        self.rows[table] = self.rows.get(table, 0) + length

    def _open(self, table: str, schema: pa.Schema):
        if self.fmt == "parquet":
            return pq.ParquetWriter(str(self._partial(table)), schema, compression="zstd")
        sink = pa.OSFile(str(self._partial(table)), "wb")
        sink.write((",".join(schema.names) + "\n").encode("utf-8"))
        self._sinks[table] = sink
        # No quoting: generated values never hold a separator, and pyarrow refuses
        # to write one that does rather than write a broken file.
        options = pacsv.WriteOptions(include_header=False, quoting_style="none")
        return pacsv.CSVWriter(sink, schema, write_options=options)

    def _close_all(self) -> None:
        for writer in self._writers.values():
            writer.close()
        for sink in self._sinks.values():
            sink.close()
        self._sinks.clear()

    def commit(self) -> None:
        """Close every table and move the files into place."""
        self._close_all()
        other = {"csv": "parquet", "parquet": "csv"}[self.fmt]
        for table in self._writers:
            self._partial(table).replace(self.folder / f"{table}.{self.fmt}")
            (self.folder / f"{table}.{other}").unlink(missing_ok=True)
        self._done = True
