"""Reading a Parquet file into columns of text, so that one validation path checks both formats."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from handover.errors import Violation
from handover.io.text import first_line


def read_parquet(path: Path, violations: list[Violation]):
    try:
        if path.stat().st_size == 0:
            violations.append(Violation(path.name, None, None, None, "empty (0 bytes)"))
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
