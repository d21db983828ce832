"""Cypher query files, loaded by name and checked against their header at load time.

Every query lives in its own file under the ``cypher/`` folder (``schema.cypher``,
``load/*.cypher``, ``meta/*.cypher``, ``findings/*.cypher``) and starts with a
header that is its contract::

    // name: parallel_plans
    // mode: read
    // params: as_of, kinds, min_overlap_days
    // Two plans of one user, held by different agencies, whose intervals overlap.
    MATCH ...

The loader checks that ``name`` is the file's stem and unique in the folder, that
``mode`` is ``read``, ``write`` or ``schema``, that the declared params are exactly
the ``$params`` the body uses (a ``$`` inside a string or comment does not count),
and that a read query does not write. Errors are :class:`~handover.errors.QueryError`
citing ``path:line``.

Examples
--------
>>> query = load_query("meta/latest_date")
>>> query.name, query.mode, query.params
('latest_date', 'read', ())
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from handover.errors import QueryError

__all__ = ["Query", "cypher_root", "load_query", "load_all", "parse_query_file", "MODES"]

#: What a query may do: ``read`` and ``write`` run as one statement; ``schema`` files hold
#: several ``;``-separated statements, each run on its own (schema changes cannot share a
#: transaction with data).
MODES = ("read", "write", "schema")

_HEADER_KEYS = ("name", "mode", "params")
_KEY_LINE = re.compile(r"//\s*(name|mode|params)\s*:(.*)$")
_PARAM_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Clauses that write; a read query must contain none (a cluster routes reads to followers).
_WRITE_CLAUSES = re.compile(r"(?<![.\w$])(CREATE|MERGE|DELETE|DETACH|SET|REMOVE|DROP)(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Query:
    """One checked query file.

    Parameters
    ----------
    name : str
        The file's stem, unique under ``cypher/``.
    mode : str
        ``read``, ``write`` or ``schema``.
    params : tuple of str
        The ``$params`` the body uses, as declared, in declared order.
    text : str
        The body (the header removed), ready to send to the server.
    path : pathlib.Path
        The file it came from.
    description : str
        The header's free text: what the query means.
    """

    name: str
    mode: str
    params: tuple[str, ...]
    text: str
    path: Path
    description: str = ""

    def statements(self) -> list[str]:
        """The body split at ``;`` outside strings and comments, empty statements dropped.

        Examples
        --------
        >>> q = Query("s", "schema", (), "CREATE INDEX a FOR (n:A) ON (n.x);\\n// b; c\\nRETURN ';'", Path("s"))
        >>> q.statements()
        ['CREATE INDEX a FOR (n:A) ON (n.x)', "// b; c\\nRETURN ';'"]
        """
        parts, current = [], []
        for kind, chunk in _tokens(self.text):
            if kind == "code" and ";" in chunk:
                pieces = chunk.split(";")
                current.append(pieces[0])
                for piece in pieces[1:]:
                    parts.append("".join(current))
                    current = [piece]
            else:
                current.append(chunk)
        parts.append("".join(current))
        return [p.strip() for p in parts if _code_only(p).strip()]


def cypher_root() -> Path:
    """The ``cypher/`` folder: inside the installed package, else at the repository's top.

    Raises
    ------
    QueryError
        When neither exists (a broken installation).
    """
    package = Path(__file__).resolve().parents[2]  # handover/engines/neo4j/queries.py
    for candidate in (package / "cypher", package.parent / "cypher"):
        if candidate.is_dir():
            return candidate
    raise QueryError(f"no cypher/ folder next to {package} or inside it; the installation is incomplete")


def load_query(name: str, root: Path | None = None) -> Query:
    """Load and check one query file by its name relative to ``cypher/``.

    Parameters
    ----------
    name : str
        ``"findings/parallel_plans"``, ``"load/agencies"``, ``"schema"``; the
        ``.cypher`` suffix is optional.
    root : pathlib.Path, optional
        The folder to look in (default :func:`cypher_root`).

    Returns
    -------
    Query

    Raises
    ------
    QueryError
        When the file is missing, its header breaks the contract, or another file
        under ``root`` has the same name.
    """
    root = Path(root) if root is not None else cypher_root()
    relative = name[: -len(".cypher")] if name.endswith(".cypher") else name
    path = root / f"{relative}.cypher"
    if not path.is_file():
        raise QueryError(f"{path}: no such query file")
    namesakes = sorted(p for p in root.rglob(f"{path.stem}.cypher") if p.resolve() != path.resolve())
    if namesakes:
        raise QueryError(f"{namesakes[0]}:1: query name {path.stem} is already used by {path}; "
                         f"names must be unique under {root}")
    return _parse_cached(path.resolve(), path.stat().st_mtime_ns)


def load_all(root: Path | None = None) -> dict[str, Query]:
    """Load and check every query file under ``root``, keyed by name.

    Raises
    ------
    QueryError
        For the first file that breaks the contract, or two files with one name.
    """
    root = Path(root) if root is not None else cypher_root()
    queries: dict[str, Query] = {}
    for path in sorted(root.rglob("*.cypher")):
        query = parse_query_file(path)
        if query.name in queries:
            raise QueryError(f"{path}:1: query name {query.name} is already used by "
                             f"{queries[query.name].path}; names must be unique under {root}")
        queries[query.name] = query
    return queries


@functools.lru_cache(maxsize=256)
def _parse_cached(path: Path, mtime_ns: int) -> Query:  # the mtime makes an edited file reload
    return parse_query_file(path)


def parse_query_file(path: Path) -> Query:
    """Parse one query file and check its header against its body.

    Raises
    ------
    QueryError
        Citing ``path:line`` for: a missing or repeated header key, a name other
        than the file's stem, an unknown mode, a ``$param`` used but not declared
        (at its first use) or declared but not used (at the params line), a read
        query that writes, or an empty body.
    """
    path = Path(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    header, description, body_start = {}, [], len(lines)
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped.startswith("//"):
            body_start = number - 1
            break
        match = _KEY_LINE.match(stripped)
        if match is None:
            description.append(stripped[2:].strip())
            continue
        key, value = match.group(1), match.group(2).strip()
        if key in header:
            raise QueryError(f"{path}:{number}: header key {key} appears twice (first on line {header[key][1]})")
        header[key] = (value, number)
    for key in _HEADER_KEYS:
        if key not in header:
            raise QueryError(f"{path}:1: the header lacks `// {key}: ...` "
                             f"(every query file starts with // name:, // mode:, // params:)")
    name, name_line = header["name"]
    if name != path.stem:
        raise QueryError(f"{path}:{name_line}: name {name} differs from the file name {path.stem}")
    mode, mode_line = header["mode"]
    if mode not in MODES:
        raise QueryError(f"{path}:{mode_line}: mode {mode or '(empty)'} is not one of: {', '.join(MODES)}")
    declared, params_line = _declared_params(path, *header["params"])
    body = "\n".join(lines[body_start:])
    if not _code_only(body).strip():
        raise QueryError(f"{path}:{body_start + 1}: the query has no body after its header")
    used = _used_params(body)
    for param, offset in used.items():
        if param not in declared:
            line = body_start + 1 + body[:offset].count("\n")
            raise QueryError(f"{path}:{line}: ${param} is used but not declared in "
                             f"`// params:` (line {params_line})")
    unused = [p for p in declared if p not in used]
    if unused:
        raise QueryError(f"{path}:{params_line}: declared param{'s' if len(unused) > 1 else ''} "
                         f"{', '.join(unused)} not used in the query")
    if mode == "read":
        writes = _WRITE_CLAUSES.search(_code_only(body, keep_layout=True))
        if writes is not None:
            line = body_start + 1 + body[:writes.start()].count("\n")
            raise QueryError(f"{path}:{line}: a read query must not write ({writes.group(1).upper()}); "
                             f"declare `// mode: write` or remove the clause")
    return Query(name, mode, declared, body.strip() + "\n", path, " ".join(d for d in description if d))


def _declared_params(path: Path, value: str, line: int) -> tuple[tuple[str, ...], int]:
    names = [p.strip().lstrip("$") for p in value.split(",") if p.strip()]
    if names in (["none"], ["-"]):
        names = []
    for param in names:
        if not _PARAM_NAME.fullmatch(param):
            raise QueryError(f"{path}:{line}: {param!r} is not a parameter name")
    if len(set(names)) != len(names):
        raise QueryError(f"{path}:{line}: a param is declared twice: {', '.join(names)}")
    return tuple(names), line


# --- a small Cypher tokenizer: just enough to tell code from strings and comments --------

_TOKEN = re.compile(
    r"""
    (?P<line_comment>//[^\n]*)
  | (?P<block_comment>/\*.*?(?:\*/|\Z))
  | (?P<string>'(?:[^'\\]|\\.)*(?:'|\Z)|"(?:[^"\\]|\\.)*(?:"|\Z))
  | (?P<quoted>`(?:[^`]|``)*(?:`|\Z))
  | (?P<code>[^/'"`]+|/)
    """,
    re.VERBOSE | re.DOTALL,
)


def _tokens(text: str):
    """Yield ``(kind, chunk)`` pairs that together are ``text``."""
    for match in _TOKEN.finditer(text):
        yield match.lastgroup, match.group()


def _code_only(text: str, keep_layout: bool = False) -> str:
    """``text`` with comments and string literals removed (blanked when ``keep_layout``)."""
    out = []
    for kind, chunk in _tokens(text):
        if kind == "code" or (kind == "quoted" and not keep_layout):
            out.append(chunk)
        elif keep_layout:
            out.append(re.sub(r"[^\n]", " ", chunk))
    return "".join(out)


def _used_params(body: str) -> dict[str, int]:
    """Each ``$param`` used in code, with the offset of its first use.

    Examples
    --------
    >>> sorted(_used_params("RETURN $a, '$b', $`c d` // $e"))
    ['a', 'c d']
    """
    used: dict[str, int] = {}
    offset, dollar_at = 0, None
    for kind, chunk in _tokens(body):
        if kind == "quoted" and dollar_at is not None:  # $`name with spaces`
            used.setdefault(chunk[1:-1].replace("``", "`"), dollar_at)
        dollar_at = None
        if kind == "code":
            for match in re.finditer(r"\$([A-Za-z_][A-Za-z0-9_]*)?", chunk):
                if match.group(1):
                    used.setdefault(match.group(1), offset + match.start())
                elif match.end() == len(chunk):
                    dollar_at = offset + match.start()
        offset += len(chunk)
    return used
