// name: presence
// mode: read
// params: as_of
// Every interval [start, end) in which a user is at an agency, on the snapshot of $as_of
// (an end after it is not known yet, so the interval is ongoing): responsibilities, plans,
// episodes (at the agency of their service) and each contact as the one day
// [date, date + 1). Distinct, not merged: handover.network.time merges them into the GEXF
// spells of agencies and of shared-users edges.
// One record: the column names and every row as a list (a record per row costs the driver far more).
CALL () {
  MATCH (:Staff)-[r:RESPONSIBLE_FOR]->(u:ServiceUser)
  WHERE r.start <= $as_of
  RETURN u.user_id AS user_id, r.agency_id AS agency_id, r.start AS start,
         CASE WHEN r.end <= $as_of THEN r.end END AS end
  UNION ALL
  MATCH (u:ServiceUser)-[:HAS_PLAN]->(p:Plan)-[:HELD_BY]->(a:Agency)
  WHERE p.start <= $as_of
  RETURN u.user_id AS user_id, a.agency_id AS agency_id, p.start AS start,
         CASE WHEN p.end <= $as_of THEN p.end END AS end
  UNION ALL
  MATCH (u:ServiceUser)-[:HAD_EPISODE]->(e:Episode)-[:AT]->(:Service)<-[:PROVIDES]-(a:Agency)
  WHERE e.start <= $as_of
  RETURN u.user_id AS user_id, a.agency_id AS agency_id, e.start AS start,
         CASE WHEN e.end <= $as_of THEN e.end END AS end
  UNION ALL
  MATCH (u:ServiceUser)-[:HAD_CONTACT]->(c:Contact)-[:WITH]->(a:Agency)
  WHERE c.date <= $as_of
  RETURN u.user_id AS user_id, a.agency_id AS agency_id, c.date AS start,
         c.date + duration({days: 1}) AS end
}
WITH DISTINCT user_id, agency_id, start, end
ORDER BY user_id, agency_id, start, end
WITH collect([user_id, agency_id, start, end]) AS rows
RETURN ['user_id', 'agency_id', 'start', 'end'] AS columns, rows
