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
  and every text value is quoted, so an empty text stays an empty string;
- ``(:Staff)`` nodes are the staff table's rows and every other staff id that an employment,
  a responsibility or a contact names;
- employments and responsibilities carry the same ``row_key`` as the online loader's
  (:func:`handover.engines.neo4j.rows.table_columns`);
- the dataset marker is one more node file (``HandoverDataset``), written with
  ``complete: false``: an imported graph is refused by queries until the load that imported
  it has created the schema, derived the handover relationships and completed it.

Values are written, never interpreted: the importer sees them only as CSV fields.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from handover.engines.neo4j.rows import fingerprint_of_columns, table_columns
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
                            "responsibilities": ("role", "agency_id", "start", "end", "reason")}

#: The tables whose staff ids become (:Staff) nodes without a staff row.
_NAMES_STAFF = ("employments", "responsibilities", "contacts")

#: Array delimiters the marker's lists may be written with: the first that no item holds.
_ARRAY_DELIMITERS = (";", "|", "\x1f", "\x1e")

_ROWS_AT_ONCE = 100_000


@dataclass
class ImportFiles:
    """What :func:`write_import_files` wrote, and how the importer is to read it.

    Parameters
    ----------
    folder : pathlib.Path
    fingerprint : str
        The dataset's fingerprint (of its content, before any focus; as
        :func:`handover.engines.neo4j.rows.dataset_fingerprint`).
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
    fingerprint: str = ""
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


def write_import_files(dataset: Dataset, folder: Path, marker_for) -> ImportFiles:
    """Write ``dataset`` into ``folder`` as the importer's CSV files (see the module docstring).

    Parameters
    ----------
    dataset : Dataset
        A validated dataset.
    folder : pathlib.Path
        An empty folder (made when missing).
    marker_for : callable
        Called with the dataset's content fingerprint once every table is written; returns
        the marker's properties (:func:`handover.engines.neo4j.store.dataset_marker`), which
        become the one ``(:HandoverDataset)`` node.

    Returns
    -------
    ImportFiles

    Examples
    --------
    >>> import tempfile
    >>> from handover.examples import tiny_dataset
    >>> from handover.engines.neo4j.rows import dataset_fingerprint
    >>> ds = tiny_dataset()
    >>> files = write_import_files(ds, Path(tempfile.mkdtemp()), lambda fp: {"fingerprint": fp})
    >>> files.fingerprint == dataset_fingerprint(ds), files.rows == sum(len(f) for f in ds.tables.values())
    (True, True)
    >>> (files.folder / "agencies.header.csv").read_text()
    'agency_id:ID(Agency),name,kind,level,municipality\\n'
    >>> [kind for kind, _ in files.relationships]
    ['PROVIDES', 'RESPONSIBLE_FOR', 'HAS_PLAN', 'HELD_BY', 'HAD_EPISODE', 'AT']
    """
    folder.mkdir(parents=True, exist_ok=True)
    files = ImportFiles(folder)
    tables = sorted(table for table in TABLES if dataset.has(table))
    named_staff: set[str] = set()
    staff_rows: list[str] | None = None

    def written():
        nonlocal staff_rows
        for table in tables:
            columns = table_columns(dataset, table)
            _write_table(files, table, columns)
            files.rows += len(dataset[table])
            if table in _NAMES_STAFF:
                named_staff.update(v for v in columns["staff_id"] if v is not None)
            if table == "staff":
                staff_rows = columns["staff_id"]
            yield table, columns

    files.fingerprint = fingerprint_of_columns(written())
    _write_extra_staff(files, named_staff - set(staff_rows or ()), staff_table=staff_rows is not None)
    _write_marker(files, marker_for(files.fingerprint))
    _order(files)
    return files


def _write_table(files: ImportFiles, table: str, columns: dict[str, list]) -> None:
    names = list(columns)
    kinds = {column.name: column.kind for column in TABLES[table].columns}
    kinds["row_key"] = ColumnKind.ID
    data = files.folder / f"{table}.csv"
    files.multiline |= _write_rows(data, [(columns[n], kinds[n]) for n in names])
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


def _write_extra_staff(files: ImportFiles, extra: set[str], *, staff_table: bool) -> None:
    """(:Staff) nodes for the staff ids named elsewhere but not in the staff table (or all of
    them, without one): ``staff_id`` only, as the online loader's ``MERGE (:Staff {staff_id})``."""
    if not extra and staff_table:
        return
    data = files.folder / "staff-named.csv"
    _write_rows(data, [(sorted(extra), ColumnKind.ID)])
    files.nodes.append(("Staff", [_header(files.folder / "staff-named.header.csv", ["staff_id:ID(Staff)"]), data]))


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
    kinds = [k[0] for rels in RELATIONSHIPS.values() for k in rels]
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


def _write_rows(path: Path, columns: list[tuple[list, ColumnKind]]) -> bool:
    """Write the columns as CSV rows without a header; True when a text holds a line break."""
    count = len(columns[0][0]) if columns else 0
    multiline = False
    with open(path, "w", encoding="utf-8", newline="") as handle:
        for start in range(0, count, _ROWS_AT_ONCE):
            texts = []
            for values, kind in columns:
                chunk = values[start:start + _ROWS_AT_ONCE]
                if kind is ColumnKind.DATE:
                    texts.append(_date_fields(chunk))
                elif kind is ColumnKind.YEAR:
                    texts.append(["" if v is None else str(v) for v in chunk])
                else:
                    texts.append(_text_fields(chunk))
            block = "".join(map(_line, zip(*texts)))
            # A line break inside a value makes more lines than rows.
            multiline = multiline or block.count("\n") != len(texts[0]) or "\r" in block
            handle.write(block)
    return multiline


def _line(fields: tuple[str, ...]) -> str:
    return ",".join(fields) + "\n"


def _date_fields(values: list) -> list[str]:
    """Dates as ``YYYY-MM-DD`` (each distinct date formatted once), a missing one as nothing."""
    text = {value: ("" if value is None else value.isoformat()) for value in set(values)}
    return list(map(text.__getitem__, values))


def _text_fields(values: list) -> list[str]:
    """Texts quoted (a quote doubled inside), a missing one as an unquoted empty field."""
    return ["" if v is None else _quoted(v) for v in values]


def _quoted(value: str) -> str:
    return '"' + value.replace('"', '""') + '"' if '"' in value else '"' + value + '"'
