"""``handover cypher`` and the ten queries of ``cypher/examples/`` (issue 15, item 4).

Each example runs through the command line on the tiny fixture loaded into the real
server, and its rows must equal the same question answered independently in pandas over
the fixture's files, so the examples never rot; two are also checked against rows read
off the fixture by hand. Then the command's own rules: read-only unless --write, and bad
queries refused with exit 2.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from handover.cli import app
from handover.engines.neo4j.queries import load_query
from handover.io import read_dataset
from tests.datasets import FIXTURES

pytestmark = pytest.mark.neo4j

runner = CliRunner()
TINY = FIXTURES / "tiny"
EXAMPLES = Path(__file__).resolve().parents[2] / "cypher" / "examples"


def cypher(uri: str, *args, stdin: str | None = None):
    return runner.invoke(app, ["cypher", *map(str, args), "--neo4j-uri", uri], input=stdin)


def rows_of(uri: str, name: str, **params) -> list[dict]:
    options = [item for key, value in params.items() for item in ("--param", f"{key}={value}")]
    result = cypher(uri, EXAMPLES / f"{name}.cypher", *options, "--format", "json")
    assert result.exit_code == 0, (name, result.stderr, result.exception)
    return json.loads(result.stdout)


# --- the same questions in pandas ------------------------------------------------------------

def _day(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


def _iso(value):
    return None if pd.isna(value) else f"{value:%Y-%m-%d}"


def _active(frame: pd.DataFrame, day: pd.Timestamp) -> pd.Series:
    return (frame["start"] <= day) & (frame["end"].isna() | (day < frame["end"]))


def _covered(responsibilities: pd.DataFrame, user: str, day: pd.Timestamp) -> bool:
    mine = responsibilities[(responsibilities["user_id"] == user) & (responsibilities["role"] == "coordinator")]
    return bool(_active(mine, day).any())


def oracle(ds, name: str, params: dict) -> list[dict]:
    resp, episodes, plans = ds["responsibilities"], ds["episodes"], ds["plans"]
    agency_of_service = ds["services"].set_index("service_id")["agency_id"]
    if name == "coordinator_on_day":
        day = _day(params["day"])
        rows = resp[(resp["user_id"] == params["user_id"]) & (resp["role"] == "coordinator") & _active(resp, day)]
        rows = rows.sort_values(["start", "staff_id"])
        return [{"staff_id": r.staff_id, "agency_id": r.agency_id, "start": _iso(r.start), "end": _iso(r.end)}
                for r in rows.itertuples()]
    if name == "users_without_coordinator_on_day":
        day = _day(params["day"])
        users = sorted(set(episodes.loc[_active(episodes, day), "user_id"]))
        return [{"user_id": u} for u in users if not _covered(resp, u, day)]
    if name == "staff_with_most_users":
        day = _day(params["day"])
        counts = resp[_active(resp, day)].groupby("staff_id")["user_id"].nunique().reset_index(name="users")
        counts = counts.sort_values(["users", "staff_id"], ascending=[False, True]).head(params["top"])
        return counts.to_dict("records")
    if name == "discharges_without_coordinator":
        since, until = _day(params["since"]), _day(params["until"])
        ended = episodes[episodes["end"].notna() & (since <= episodes["end"]) & (episodes["end"] < until)].copy()
        ended["agency_id"] = ended["service_id"].map(agency_of_service)
        ended["uncovered"] = [not _covered(resp, u, d) for u, d in zip(ended["user_id"], ended["end"])]
        out = ended.groupby("agency_id").agg(discharges=("episode_id", "size"),
                                             without_coordinator=("uncovered", "sum")).reset_index()
        out = out.sort_values(["without_coordinator", "agency_id"], ascending=[False, True])
        return [{"agency_id": r.agency_id, "discharges": int(r.discharges),
                 "without_coordinator": int(r.without_coordinator)} for r in out.itertuples()]
    if name == "users_with_many_caseworkers":
        since, until = _day(params["since"]), _day(params["until"])
        cw = resp[(resp["role"] == "caseworker") & (resp["start"] < until) & (resp["end"].isna() | (since < resp["end"]))]
        counts = cw.groupby("user_id")["staff_id"].nunique().reset_index(name="caseworkers")
        counts = counts[counts["caseworkers"] >= params["at_least"]]
        return counts.sort_values(["caseworkers", "user_id"], ascending=[False, True]).to_dict("records")
    if name == "parallel_plans_on_day":
        day = _day(params["day"])
        held = plans[_active(plans, day)].sort_values(["agency_id", "plan_id"])
        out = []
        for user, group in sorted(held.groupby("user_id"), key=lambda item: item[0]):
            agencies = list(dict.fromkeys(group["agency_id"]))
            if len(agencies) >= 2:
                out.append({"user_id": user, "agencies": agencies, "plans": list(group["plan_id"])})
        return out
    if name == "agencies_sharing_users":
        pairs = resp[["user_id", "agency_id"]].merge(resp[["user_id", "agency_id"]], on="user_id")
        pairs = pairs[pairs["agency_id_x"] < pairs["agency_id_y"]]
        out = pairs.groupby(["agency_id_x", "agency_id_y"])["user_id"].nunique().reset_index(name="users")
        out = out.sort_values(["users", "agency_id_x", "agency_id_y"], ascending=[False, True, True])
        return [{"agency_a": r.agency_id_x, "agency_b": r.agency_id_y, "users": int(r.users)}
                for r in out.itertuples()]
    if name == "user_story":
        user = params["user_id"]
        kind_of_service = ds["services"].set_index("service_id")["kind"]
        mine = episodes[episodes["user_id"] == user]
        rows = [("episode", r.episode_id, agency_of_service[r.service_id], kind_of_service[r.service_id], r.start, r.end)
                for r in mine.itertuples()]
        rows += [("plan", r.plan_id, r.agency_id, r.kind, r.start, r.end)
                 for r in plans[plans["user_id"] == user].itertuples()]
        rows += [("responsibility", r.staff_id, r.agency_id, r.role, r.start, r.end)
                 for r in resp[resp["user_id"] == user].itertuples()]
        rows.sort(key=lambda r: (r[4], r[0], r[1]))
        return [dict(zip(("kind", "id", "agency_id", "what", "start", "end"), (*r[:4], _iso(r[4]), _iso(r[5]))))
                for r in rows]
    if name == "plans_not_revised":
        day = _day(params["day"])
        held = plans[_active(plans, day)].copy()
        held["revised"] = held["last_revised"].fillna(held["start"])
        held["days_since"] = (day - held["revised"]).dt.days
        held = held[held["days_since"] > params["days"]].sort_values(["days_since", "plan_id"],
                                                                      ascending=[False, True])
        return [{"user_id": r.user_id, "plan_id": r.plan_id, "agency_id": r.agency_id,
                 "last_revised": _iso(r.revised), "days_since": int(r.days_since)} for r in held.itertuples()]
    if name == "discharges_by_kind":
        since, until = _day(params["since"]), _day(params["until"])
        ended = episodes[episodes["end"].notna() & (since <= episodes["end"]) & (episodes["end"] < until)].copy()
        ended["agency_id"] = ended["service_id"].map(agency_of_service)
        ended["discharge_kind"] = ended["discharge_kind"].fillna("unknown")
        out = ended.groupby(["agency_id", "discharge_kind"]).size().reset_index(name="episodes")
        return [{"agency_id": r.agency_id, "discharge_kind": r.discharge_kind, "episodes": int(r.episodes)}
                for r in out.sort_values(["agency_id", "discharge_kind"]).itertuples()]
    raise AssertionError(f"no oracle for {name}")


ASKED = {
    "coordinator_on_day": {"user_id": "u01", "day": "2024-02-01"},
    "users_without_coordinator_on_day": {"day": "2024-03-15"},
    "staff_with_most_users": {"day": "2024-06-01", "top": 3},
    "discharges_without_coordinator": {"since": "2024-01-01", "until": "2025-01-01"},
    "users_with_many_caseworkers": {"since": "2023-01-01", "until": "2025-12-31", "at_least": 2},
    "parallel_plans_on_day": {"day": "2024-06-15"},
    "agencies_sharing_users": {},
    "user_story": {"user_id": "u04"},
    "plans_not_revised": {"day": "2024-12-31", "days": 180},
    "discharges_by_kind": {"since": "2024-01-01", "until": "2025-01-01"},
}


def test_there_are_ten_examples_each_declaring_its_parameters():
    names = sorted(path.stem for path in EXAMPLES.glob("*.cypher"))
    assert names == sorted(ASKED)
    for name in names:
        query = load_query(f"examples/{name}")  # checks the header: name, mode, declared = used params
        assert query.mode == "read" and query.description
        assert set(query.params) == set(ASKED[name])


def test_every_example_answers_as_the_same_question_asked_of_the_files(neo4j_driver, neo4j_server):
    assert runner.invoke(app, ["load", str(TINY), "--neo4j-uri", neo4j_server.uri]).exit_code == 0
    ds = read_dataset(TINY)
    wrong = {}
    for name, params in ASKED.items():
        got, expected = rows_of(neo4j_server.uri, name, **params), oracle(ds, name, params)
        if got != expected:
            wrong[name] = (got, expected)
        assert expected or name == "coordinator_on_day", f"{name}: pick parameters that give rows"
    assert not wrong, wrong
    # Read off the fixture by hand: u01's only coordinator is s01 at the TSB from 2024-01-08 to
    # 2024-03-10 (responsibilities.csv line 2), so on 1 February it is s01, and on 10 March,
    # the day the half-open interval ends, nobody.
    assert rows_of(neo4j_server.uri, "coordinator_on_day", user_id="u01", day="2024-02-01") == [
        {"staff_id": "s01", "agency_id": "a-tsb", "start": "2024-01-08", "end": "2024-03-10"}]
    assert rows_of(neo4j_server.uri, "coordinator_on_day", user_id="u01", day="2024-03-10") == []


def test_a_query_runs_read_only_unless_write_is_given(neo4j_driver, neo4j_server):
    uri = neo4j_server.uri
    create = "CREATE (:Note {text: $text}) RETURN 1 AS made"
    refused = cypher(uri, "-", "--param", "text=hello", stdin=create)
    assert refused.exit_code == 2, (refused.stderr, refused.exception)
    assert "read-only transaction and changed nothing; pass --write" in refused.stderr
    count = "MATCH (n:Note) RETURN count(n) AS notes"
    assert json.loads(cypher(uri, "-", "--format", "json", stdin=count).stdout) == [{"notes": 0}]

    written = cypher(uri, "-", "--param", "text=hello", "--write", "--format", "csv", stdin=create)
    assert written.exit_code == 0, written.stderr
    assert written.stdout == "made\n1\n"
    assert json.loads(cypher(uri, "-", "--format", "json", stdin=count).stdout) == [{"notes": 1}]


@pytest.mark.parametrize("query, args, said", [
    ("MATCH (n RETURN n", [], "the query is not valid Cypher: Invalid input"),
    ("MATCH (u:ServiceUser {user_id: $user_id}) RETURN u", [], "Expected parameter(s): user_id; give each with --param"),
    ("RETURN 1 AS one", ["--param", "broken"], "--param broken: give it as NAME=VALUE"),
    ("   ", [], "the query is empty"),
])
def test_a_bad_query_is_refused_with_exit_2_and_the_servers_words(neo4j_driver, neo4j_server, query, args, said):
    result = cypher(neo4j_server.uri, "-", *args, stdin=query)
    assert result.exit_code == 2, (result.stderr, result.exception)
    assert result.stderr.startswith("error: ") and said in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_nodes_come_back_as_maps_and_the_table_names_the_file(neo4j_driver, neo4j_server, tmp_path):
    assert runner.invoke(app, ["load", str(TINY), "--neo4j-uri", neo4j_server.uri]).exit_code == 0
    query = tmp_path / "one_agency.cypher"
    query.write_text("MATCH (a:Agency {agency_id: $id}) RETURN a", encoding="utf-8")
    result = cypher(neo4j_server.uri, query, "--param", "id=a-nav", "--format", "json")
    assert json.loads(result.stdout) == [{"a": {"labels": ["Agency"], "agency_id": "a-nav", "kind": "nav_office",
                                                "level": "municipal", "municipality": "Testby",
                                                "name": "NAV Testby"}}]
    table = cypher(neo4j_server.uri, query, "--param", "id=a-nav")
    assert table.exit_code == 0 and "one_agency — 1 row" in table.stdout
