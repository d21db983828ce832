"""A dataset as the CSV files of Neo4j's importer (``neo4j-admin database import full``).

Each table is written once, as ``<table>.csv`` without a header, and read by the importer
through one small header file per node label or relationship type it holds
(``services.csv`` gives the ``(:Service)`` nodes and the ``PROVIDES`` relationships; the
columns a header does not use are ``:IGNORE``). The graph is the one the online loader
writes (``cypher/load/*.cypher``, docs/findings.md §4), property for property:

- ids are ``<id>:ID(<Label>)`` (stored as string properties) and relationship ends
  ``:START_ID(<Label>)`` / ``:END_ID(<Label>)``;
- dates are ``<name>:date``, birth years ``birth_year:long``, everything else text;
- a missing value is an unquoted empty field, which the importer leaves out (no property),
  and every other value is quoted (Arrow's ``all_valid``), so an empty text stays an empty string;
- ``(:Staff)`` nodes are the staff table's rows and every other staff id that an employment,
  a responsibility or a contact names;
- employments and responsibilities carry the same ``row_key`` as the online loader's
  (:func:`handover.engines.neo4j.rows.row_keys`), and responsibilities, plans and episodes
  the same ``end_key`` (their end, or :data:`~handover.engines.neo4j.derived.OPEN_END_KEY`);
- the derived ``NEXT_EPISODE`` and ``HANDED_OVER_TO`` relationships are two more files
  (:func:`handover.engines.neo4j.derived.derived_links`), so the import writes the whole graph;
- the dataset marker is one more node file (``HandoverDataset``), written with
  ``complete: false``: an imported graph is refused by queries until the load that imported
  it has created the schema and completed it.

Values are written, never interpreted: the importer sees them only as CSV fields.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from handover.engines.neo4j.derived import OPEN_END_KEY, derived_links
from handover.engines.neo4j.rows import row_keys, table_columns
from handover.errors import InputError
from handover.model import TABLES, ColumnKind, Dataset

__all__ = ["ImportFiles", "write_import_files"]

#: The node label of each table with an id, and its id column.
NODES = {
    "agencies": ("Agency", "agency_id"),
    "services": ("Service", "service_id"),
    "staff": ("Staff", "staff_id"),
    "users": ("ServiceUser", "user_id"),
    "plans": ("Plan", "plan_id"),
    "episodes": ("Episode", "episode_id"),
    "contacts": ("Contact", "contact_id"),
}

#: The relationships of each table: (type, start column, its label, end column, its label).
RELATIONSHIPS = {
    "services": (("PROVIDES", "agency_id", "Agency", "service_id", "Service"),),
    "employments": (("EMPLOYED_AT", "staff_id", "Staff", "agency_id", "Agency"),),
    "responsibilities": (("RESPONSIBLE_FOR", "staff_id", "Staff", "user_id", "ServiceUser"),),
    "plans": (("HAS_PLAN", "user_id", "ServiceUser", "plan_id", "Plan"),
              ("HELD_BY", "plan_id", "Plan", "agency_id", "Agency")),
    "episodes": (("HAD_EPISODE", "user_id", "ServiceUser", "episode_id", "Episode"),
                 ("AT", "episode_id", "Episode", "service_id", "Service")),
    "contacts": (("HAD_CONTACT", "user_id", "ServiceUser", "contact_id", "Contact"),
                 ("WITH", "contact_id", "Contact", "agency_id", "Agency")),
}

#: Columns that only link a node to others: the online loader stores them as no property of it.
_LINK_ONLY = {"services": {"agency_id"}, "plans": {"user_id", "agency_id"},
              "episodes": {"user_id", "service_id"}, "contacts": {"user_id", "agency_id"}}

#: Columns of a relationship's table stored on the relationship (besides row_key).
_RELATIONSHIP_PROPERTIES = {"employments": ("start", "end"),
                            "responsibilities": ("role", "agency_id", "start", "end", "reason", "end_key")}

#: The tables whose intervals get an ``end_key`` (docs/graph.md).
_END_KEYED = ("responsibilities", "plans", "episodes")

#: The derived relationships (:func:`handover.engines.neo4j.derived.derived_links`): type, start
#: column and its label, end column and its label, and the other columns' types.
_DERIVED = {"next_episodes": ("NEXT_EPISODE", "from_episode_id", "Episode", "to_episode_id", "Episode",
                              {"gap_days": "gap_days:long"}),
            "handed_over": ("HANDED_OVER_TO", "from_staff_id", "Staff", "to_staff_id", "Staff",
                            {"user_id": "user_id", "role": "role", "date": "date:date"})}

#: The tables whose staff ids become (:Staff) nodes without a staff row.
_NAMES_STAFF = ("employments", "responsibilities", "contacts")

#: Array delimiters the marker's lists may be written with: the first that no item holds.
_ARRAY_DELIMITERS = (";", "|", "\x1f", "\x1e")

_ROWS_AT_ONCE = 100_000
_KEYED_TABLES = ("employments", "responsibilities")


@dataclass
class ImportFiles:
    """What :func:`write_import_files` wrote, and how the importer is to read it.

    Parameters
    ----------
    folder : pathlib.Path
    nodes, relationships : list of (str, list of Path)
        ``(label or type, [header file, data file])`` in the order given to the importer.
    rows : int
        Input rows written (the tables' rows, not the extra staff nodes nor the marker).
    multiline : bool
        Whether a text value holds a line break (then the importer must be told).
    array_delimiter : str
        The delimiter of the marker's lists.
    """

    folder: Path
    nodes: list[tuple[str, list[Path]]] = field(default_factory=list)
    relationships: list[tuple[str, list[Path]]] = field(default_factory=list)
    rows: int = 0
    multiline: bool = False
    array_delimiter: str = ";"

    def arguments(self) -> list[str]:
        """The importer's ``--nodes`` / ``--relationships`` arguments for these files."""
        def joined(files: list[Path]) -> str:
            return ",".join(str(f) for f in files)
        return ([f"--nodes={label}={joined(files)}" for label, files in self.nodes]
                + [f"--relationships={kind}={joined(files)}" for kind, files in self.relationships])


def write_import_files(dataset: Dataset, folder: Path, marker: dict) -> ImportFiles:
    """Write ``dataset`` into ``folder`` as the importer's CSV files (see the module docstring).

    Parameters
    ----------
    dataset : Dataset
        A validated dataset.
    folder : pathlib.Path
        An empty folder (made when missing).
    marker : dict
        The marker's properties (:func:`handover.engines.neo4j.store.dataset_marker`), which
        become the one ``(:HandoverDataset)`` node.

    Returns
    -------
    ImportFiles

    Examples
    --------
    >>> import tempfile
    >>> from handover.examples import tiny_dataset
    >>> ds = tiny_dataset()
    >>> files = write_import_files(ds, Path(tempfile.mkdtemp()), {"fingerprint": "ab"})
    >>> files.rows == sum(len(f) for f in ds.tables.values())
    True
    >>> (files.folder / "agencies.header.csv").read_text()
    'agency_id:ID(Agency),name,kind,level,municipality\\n'
    >>> [kind for kind, _ in files.relationships]
    ['PROVIDES', 'RESPONSIBLE_FOR', 'HAS_PLAN', 'HELD_BY', 'HAD_EPISODE', 'AT', 'NEXT_EPISODE', 'HANDED_OVER_TO']
    """
    folder.mkdir(parents=True, exist_ok=True)
    files = ImportFiles(folder)
    named_staff: set[str] = set()
    for table in (table for table in TABLES if dataset.has(table)):
        _write_table(files, dataset, table)
        files.rows += len(dataset[table])
        if table in _NAMES_STAFF and "staff_id" in dataset[table].columns:
            named_staff.update(dataset[table]["staff_id"].dropna().tolist())
    in_table = set(dataset["staff"]["staff_id"].tolist()) if dataset.has("staff") else set()
    _write_extra_staff(files, named_staff - in_table, staff_table=dataset.has("staff"))
    _write_links(files, dataset)
    _write_marker(files, marker)
    _order(files)
    return files


def _write_table(files: ImportFiles, dataset: Dataset, table: str) -> None:
    columns = _arrow_columns(dataset, table)
    names = list(columns)
    kinds = {column.name: column.kind for column in TABLES[table].columns}
    kinds["row_key"] = ColumnKind.ID
    kinds["end_key"] = ColumnKind.DATE
    data = files.folder / f"{table}.csv"
    files.multiline |= _write_rows(data, columns)
    if table in NODES:
        label, id_column = NODES[table]
        header = [f"{n}:ID({label})" if n == id_column
                  else ":IGNORE" if n in _LINK_ONLY.get(table, ()) else _typed(n, kinds[n]) for n in names]
        files.nodes.append((label, [_header(files.folder / f"{table}.header.csv", header), data]))
    for kind, start, start_label, end, end_label in RELATIONSHIPS.get(table, ()):
        stored = _RELATIONSHIP_PROPERTIES.get(table, ())
        header = [f":START_ID({start_label})" if n == start else f":END_ID({end_label})" if n == end
                  else _typed(n, kinds[n]) if n in stored or n == "row_key" else ":IGNORE" for n in names]
        path = files.folder / f"{table}.{kind.lower()}.header.csv"
        files.relationships.append((kind, [_header(path, header), data]))


def _arrow_columns(dataset: Dataset, table: str) -> dict:
    """The contract's columns of ``table`` (and ``row_key``) as Arrow arrays of the values the
    online loader sends (:func:`handover.engines.neo4j.rows.table_columns`), made a column at a
    time from the frame when it is typed as :func:`handover.io.read_dataset` types it."""

    frame, count = dataset[table], len(dataset[table])
    fallback: dict | None = None
    columns = {}
    for column in TABLES[table].columns:
        arrow_type = _ARROW_TYPES[column.kind]
        if column.name not in frame.columns:
            columns[column.name] = pa.nulls(count, type=arrow_type())
            continue
        values = _typed_array(frame[column.name], column.kind)
        if values is None:  # not typed as read_dataset types it: as the loader converts it, cell by cell
            fallback = fallback or table_columns(dataset, table)
            values = pa.array(fallback[column.name], type=arrow_type())
        columns[column.name] = values
    if table in _KEYED_TABLES:
        # The fallback's columns came with their row_key; else it is made from the frame's columns.
        columns["row_key"] = pa.array(fallback["row_key"], type=pa.string()) if fallback else row_keys(dataset, table)
    if table in _END_KEYED:
        columns["end_key"] = pc.fill_null(columns["end"], pa.scalar(OPEN_END_KEY, type=pa.date32()))
    return columns


def _typed_array(values, kind: ColumnKind):
    """``values`` as an Arrow array when its dtype allows a conversion a column at a time, else None."""

    if kind is ColumnKind.DATE:
        if pd.api.types.is_datetime64_any_dtype(values) and values.dt.tz is None:
            return pc.cast(pa.array(values, from_pandas=True), pa.date32(), safe=False)
        return None
    if kind is ColumnKind.YEAR:
        return pa.array(values, type=pa.int64(), from_pandas=True) if pd.api.types.is_integer_dtype(values) else None
    if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        return pa.array(values.astype(object).where(values.notna(), None), type=pa.string())
    return None


#: The Arrow type of each kind of column: what the importer's header types it as.
_ARROW_TYPES = {ColumnKind.ID: pa.string, ColumnKind.TEXT: pa.string, ColumnKind.VOCAB: pa.string,
                ColumnKind.DATE: pa.date32, ColumnKind.YEAR: pa.int64}


def _write_extra_staff(files: ImportFiles, extra: set[str], *, staff_table: bool) -> None:
    """(:Staff) nodes for the staff ids named elsewhere but not in the staff table (or all of
    them, without one): ``staff_id`` only, as the online loader's ``MERGE (:Staff {staff_id})``."""

    if not extra and staff_table:
        return
    data = files.folder / "staff-named.csv"
    _write_rows(data, {"staff_id": pa.array(sorted(extra), type=pa.string())})
    files.nodes.append(("Staff", [_header(files.folder / "staff-named.header.csv", ["staff_id:ID(Staff)"]), data]))


def _write_links(files: ImportFiles, dataset: Dataset) -> None:
    """The derived relationships, one file each (none for a kind the dataset has none of)."""
    for name, links in derived_links(dataset).items():
        if links.empty:
            continue
        kind, start, start_label, end, end_label, typed = _DERIVED[name]
        columns = {column: pa.array(links[column], from_pandas=True) for column in links.columns}
        for column, header in typed.items():
            if header.endswith(":date"):
                columns[column] = pc.cast(columns[column], pa.date32(), safe=False)
        data = files.folder / f"{name}.csv"
        _write_rows(data, columns)
        header = [f":START_ID({start_label})" if c == start else f":END_ID({end_label})" if c == end
                  else typed[c] for c in links.columns]
        files.relationships.append((kind, [_header(files.folder / f"{name}.header.csv", header), data]))


def _write_marker(files: ImportFiles, marker: dict) -> None:
    """The dataset marker as one node, each property typed by its Python value."""
    items = [item for value in marker.values() if isinstance(value, (list, tuple)) for item in value]
    files.array_delimiter = next((d for d in _ARRAY_DELIMITERS if not any(d in str(i) for i in items)), "")
    if not files.array_delimiter:
        raise InputError("the dataset's agency ids hold every character the importer could separate "
                         "a list with; load it without --import")
    header, fields = [], []
    for name, value in marker.items():
        if value is None or (isinstance(value, (list, tuple)) and not value):
            continue  # an absent property (the online marker never has an empty list)
        kind, text = _marker_field(value, files.array_delimiter)
        header.append(f"{name}:{kind}")
        fields.append(text)
    data = files.folder / "marker.csv"
    data.write_text(",".join(fields) + "\n", encoding="utf-8")
    files.nodes.append(("HandoverDataset", [_header(files.folder / "marker.header.csv", header), data]))


def _marker_field(value, delimiter: str) -> tuple[str, str]:
    if isinstance(value, bool):
        return "boolean", "true" if value else "false"
    if isinstance(value, int):
        return "long", str(value)
    if isinstance(value, dt.datetime):
        return "datetime", value.isoformat()
    if isinstance(value, dt.date):
        return "date", value.isoformat()
    if isinstance(value, float):
        return "double", repr(value)
    if isinstance(value, (list, tuple)):
        if all(isinstance(v, int) and not isinstance(v, bool) for v in value):
            return "long[]", delimiter.join(str(v) for v in value)
        return "string[]", _quoted(delimiter.join(str(v) for v in value))
    return "string", _quoted(str(value))


def _order(files: ImportFiles) -> None:
    """Nodes in the tables' order of the model (agencies first), as the loader writes them."""
    order = [label for label, _ in NODES.values()] + ["HandoverDataset"]
    files.nodes.sort(key=lambda item: order.index(item[0]))
    kinds = [k[0] for rels in RELATIONSHIPS.values() for k in rels] + [d[0] for d in _DERIVED.values()]
    files.relationships.sort(key=lambda item: kinds.index(item[0]))


def _typed(name: str, kind: ColumnKind) -> str:
    if kind is ColumnKind.DATE:
        return f"{name}:date"
    if kind is ColumnKind.YEAR:
        return f"{name}:long"
    return name


def _header(path: Path, names: list[str]) -> Path:
    path.write_text(",".join(names) + "\n", encoding="utf-8")
    return path


def _write_rows(path: Path, columns: dict) -> bool:
    """Write the columns as CSV rows without a header, every value quoted and a missing one as an
    empty field (Arrow's ``all_valid``); True when a text holds a line break."""

    table = pa.table(columns)
    pacsv.write_csv(table, path, pacsv.WriteOptions(include_header=False, quoting_style="all_valid",
                                                    batch_size=_ROWS_AT_ONCE))
    texts = [a for a in table.columns if pa.types.is_string(a.type)]
    return any(pc.any(pc.match_substring_regex(a, "[\\r\\n]")).as_py() for a in texts)


def _quoted(value: str) -> str:
    return '"' + value.replace('"', '""') + '"' if '"' in value else '"' + value + '"'
