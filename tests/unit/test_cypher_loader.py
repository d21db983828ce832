"""The query-file loader: headers are contracts, checked at load time with path:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from handover.engines.neo4j.queries import MODES, cypher_root, load_all, load_query, parse_query_file
from handover.errors import QueryError

GOOD = """\
// name: parallel_plans
// mode: read
// params: as_of, min_overlap_days, kinds
// Two plans of one user, held by different agencies, whose intervals overlap.
// A $dollar in a comment is not a parameter.
MATCH (u:ServiceUser)-[:HAS_PLAN]->(p:Plan)
WHERE ($kinds IS NULL OR p.kind IN $kinds) AND p.note <> '$not_a_param'
  AND duration.inDays(p.start, $as_of).days >= $min_overlap_days /* $neither */
RETURN u.user_id AS user_id, "$nor \\" this" AS text
"""


def write(folder: Path, relative: str, text: str) -> Path:
    path = folder / f"{relative}.cypher"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_header_gives_the_query(tmp_path):
    path = write(tmp_path, "findings/parallel_plans", GOOD)
    query = load_query("findings/parallel_plans", root=tmp_path)
    assert (query.name, query.mode, query.params, query.path) == \
        ("parallel_plans", "read", ("as_of", "min_overlap_days", "kinds"), path.resolve())
    assert query.text.startswith("MATCH (u:ServiceUser)") and "// name" not in query.text
    assert query.description.startswith("Two plans of one user")
    assert load_query("findings/parallel_plans.cypher", root=tmp_path) == query


def test_a_name_other_than_the_file_name_is_refused(tmp_path):
    path = write(tmp_path, "findings/overlapping_plans", GOOD)
    expected = rf"^{path}:1: name parallel_plans differs from the file name overlapping_plans"
    with pytest.raises(QueryError, match=expected):
        parse_query_file(path)


def test_an_undeclared_param_is_refused_at_its_line(tmp_path):
    path = write(tmp_path, "q", GOOD.replace("// params: as_of, min_overlap_days, kinds",
                                             "// params: as_of, min_overlap_days").replace("parallel_plans", "q"))
    with pytest.raises(QueryError, match=rf"^{path}:7: \$kinds is used but not declared in `// params:` \(line 3\)"):
        parse_query_file(path)


def test_an_unused_declared_param_is_refused_at_the_params_line(tmp_path):
    path = write(tmp_path, "q", GOOD.replace("kinds\n", "kinds, until\n", 1).replace("parallel_plans", "q"))
    with pytest.raises(QueryError, match=rf"^{path}:3: declared param until not used in the query"):
        parse_query_file(path)


def test_a_bad_mode_is_refused(tmp_path):
    path = write(tmp_path, "q", GOOD.replace("mode: read", "mode: readonly").replace("parallel_plans", "q"))
    with pytest.raises(QueryError, match=rf"^{path}:2: mode readonly is not one of: read, write, schema"):
        parse_query_file(path)


def test_a_missing_header_key_is_refused(tmp_path):
    path = write(tmp_path, "q", GOOD.replace("// mode: read\n", "").replace("parallel_plans", "q"))
    with pytest.raises(QueryError, match=rf"^{path}:1: the header lacks `// mode: ...`"):
        parse_query_file(path)


def test_a_read_query_that_writes_is_refused(tmp_path):
    text = "// name: q\n// mode: read\n// params:\nMATCH (n)\nSET n.seen = true\nRETURN n.name, 'DELETE' AS s\n"
    path = write(tmp_path, "q", text)
    with pytest.raises(QueryError, match=rf"^{path}:5: a read query must not write \(SET\)"):
        parse_query_file(path)
    # Words inside strings, properties and backticks are not clauses.
    path.write_text("// name: q\n// mode: read\n// params:\nMATCH (n) RETURN n.set AS `delete`, 'CREATE' AS s\n")
    assert parse_query_file(path).mode == "read"


def test_names_must_be_unique_in_the_folder(tmp_path):
    write(tmp_path, "findings/q", GOOD.replace("parallel_plans", "q"))
    write(tmp_path, "meta/q", GOOD.replace("parallel_plans", "q"))
    with pytest.raises(QueryError, match="query name q is already used by"):
        load_query("findings/q", root=tmp_path)
    with pytest.raises(QueryError, match="query name q is already used by"):
        load_all(tmp_path)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(QueryError, match=r"findings/nothing\.cypher: no such query file"):
        load_query("findings/nothing", root=tmp_path)


def test_schema_files_split_into_statements(tmp_path):
    path = write(tmp_path, "schema", "// name: schema\n// mode: schema\n// params:\n"
                                     "CREATE INDEX a IF NOT EXISTS FOR (n:A) ON (n.x);\n"
                                     "// a comment; with a semicolon\n"
                                     "CREATE INDEX b IF NOT EXISTS FOR (n:B) ON (n.y);\n")
    assert [s.splitlines()[-1] for s in parse_query_file(path).statements()] == [
        "CREATE INDEX a IF NOT EXISTS FOR (n:A) ON (n.x)", "CREATE INDEX b IF NOT EXISTS FOR (n:B) ON (n.y)"]


def test_every_shipped_query_file_keeps_its_contract():
    queries = load_all()
    assert set(MODES) >= {q.mode for q in queries.values()}
    assert queries["schema"].mode == "schema" and len(queries["schema"].statements()) >= 8
    assert (cypher_root() / "findings").is_dir()
    for table in ("agencies", "services", "staff", "employments", "users", "responsibilities", "plans",
                  "episodes", "contacts"):
        assert queries[table].mode == "write" and queries[table].params == ("rows",)
