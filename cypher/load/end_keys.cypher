// name: end_keys
// mode: write
// params: rows
// After the tables: for the users in $rows (user ids), give each of their responsibilities,
// plans and episodes an end_key: its end, or 9999-12-31 when the end is absent (still
// running). `end` itself stays absent for an open end (docs/graph.md); end_key is what the
// range indexes of schema.cypher cover, since an index holds no entry for an absent
// property: "active on day d" is `start <= d AND end_key > d`, an index seek.
UNWIND $rows AS user_id
MATCH (u:ServiceUser {user_id: user_id})
CALL (u) {
  MATCH (u)<-[r:RESPONSIBLE_FOR]-(:Staff)
  SET r.end_key = coalesce(r.end, date('9999-12-31'))
}
CALL (u) {
  MATCH (u)-[:HAS_PLAN]->(p:Plan)
  SET p.end_key = coalesce(p.end, date('9999-12-31'))
}
CALL (u) {
  MATCH (u)-[:HAD_EPISODE]->(e:Episode)
  SET e.end_key = coalesce(e.end, date('9999-12-31'))
}
RETURN count(*) AS written
