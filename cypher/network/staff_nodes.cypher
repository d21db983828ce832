// name: staff_nodes
// mode: read
// params: roles, since, until, as_of
// Every staff member with a responsibility of $roles (null: every role) on the snapshot of
// $as_of, as a node of the handover-of-work network: their profession, the agency of most
// of those responsibilities (ties: the smallest agency id), and the distinct users of them,
// all of them when no period is given, else those active on some day of
// [$since, $until] (a non-empty [start, end) reaching into it).
MATCH (s:Staff)-[r:RESPONSIBLE_FOR]->(:ServiceUser)
WHERE r.start <= $as_of AND ($roles IS NULL OR r.role IN $roles)
WITH s, r.agency_id AS agency_id, count(*) AS held
ORDER BY held DESC, agency_id
WITH s, collect(agency_id)[0] AS main
CALL (s) {
  MATCH (s)-[r:RESPONSIBLE_FOR]->(u:ServiceUser)
  WHERE r.start <= $as_of AND ($roles IS NULL OR r.role IN $roles)
  WITH u, r, CASE WHEN r.end <= $as_of THEN r.end END AS end
  WHERE ($since IS NULL AND $until IS NULL)
     OR ((end IS NULL OR r.start < end)
         AND ($since IS NULL OR end IS NULL OR end > $since)
         AND ($until IS NULL OR r.start <= $until))
  RETURN count(DISTINCT u) AS users
}
RETURN s.staff_id AS staff_id, s.profession AS profession, main AS agency_id, users
ORDER BY staff_id
