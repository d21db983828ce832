"""Reading a Parquet file into columns of text, so that one validation path checks both formats."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from handover.errors import Violation
from handover.io.limits import PACKING, PACKING_FREE, PARQUET_VALUES, PARQUET_VALUES_PER_BYTE
from handover.io.text import first_line


def read_parquet(path: Path, violations: list[Violation]):
    try:
        if path.stat().st_size == 0:
            violations.append(Violation(path.name, None, None, None, "empty (0 bytes)"))
            return None
        too_big = _too_big(path)
        if too_big is not None:
            violations.append(Violation(path.name, None, None, None, too_big))
            return None
        data = pq.read_table(path)
        names = data.column_names
    except UnicodeDecodeError:  # pyarrow decodes column names only when asked for them
        violations.append(Violation(path.name, None, None, None,
                                    "not a readable Parquet file (a column name is not valid "
                                    "UTF-8; the file is damaged: export it again)"))
        return None
    except Exception as err:  # pyarrow raises several unrelated types for a broken file
        reason = first_line(err).replace(f"'{path}'", path.name).replace(str(path), path.name)
        violations.append(Violation(path.name, None, None, None,
                                    f"not a readable Parquet file ({reason})"))
        return None
    header, columns = [], []
    for name, chunked in zip(names, data.columns):
        header.append(str(name).strip())
        try:
            columns.append(_arrow_to_text(chunked))
        except pa.ArrowException:
            # A damaged file can hold text that is not UTF-8, which pyarrow only finds
            # when it converts the column.
            text = pa.types.is_string(chunked.type) or pa.types.is_large_string(chunked.type)
            rule = ("holds text that is not valid UTF-8; the file is damaged: export it again"
                    if text else f"of Parquet type {chunked.type}, which is not readable as "
                                 "text, a number or a date")
            violations.append(Violation(path.name, None, str(name), None, rule))
            columns.append(pa.chunked_array([pa.nulls(data.num_rows, pa.string())]))
    return header, columns, np.arange(1, data.num_rows + 1), None


def _too_big(path: Path) -> str | None:
    """Why the file must not be read whole: it unpacks like a ZIP bomb, or holds far more
    values than its bytes can (one value repeated a billion times packs into a few bytes)."""
    meta = pq.read_metadata(path)
    size = path.stat().st_size
    unpacked = sum(meta.row_group(i).column(j).total_uncompressed_size
                   for i in range(meta.num_row_groups) for j in range(meta.num_columns))
    if unpacked > max(PACKING_FREE, PACKING * size):
        return (f"its data unpack to {unpacked:,} bytes from a file of {size:,}, more than {PACKING} "
                "times, the limit for a Parquet file: this is no export; export the table again")
    values = meta.num_rows * meta.num_columns
    if values > max(PARQUET_VALUES, PARQUET_VALUES_PER_BYTE * size):
        return (f"{meta.num_rows:,} rows of {meta.num_columns} columns in a file of {size:,} bytes: more than "
                f"{PARQUET_VALUES_PER_BYTE} values for each byte (or {PARQUET_VALUES:,} in all), the limit "
                "for a Parquet file; a real table packs far fewer: export it again")
    return None


def _arrow_to_text(chunked: pa.ChunkedArray) -> pa.ChunkedArray:
    kind = chunked.type
    if pa.types.is_dictionary(kind):
        chunked = chunked.cast(kind.value_type)
        kind = kind.value_type
    if pa.types.is_timestamp(kind):
        text = pc.strftime(chunked, format="%Y-%m-%d")
    elif pa.types.is_floating(kind):
        # NaN is how many writers store a missing number; 1980.0 becomes "1980".
        text = pc.cast(pc.if_else(pc.is_nan(chunked), None, chunked), pa.string())
    else:
        text = pc.cast(chunked, pa.string())
    text.validate(full=True)  # text that is not UTF-8 is only found when looked at
    return text
