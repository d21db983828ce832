// name: user_agencies
// mode: read
// params: since, until, as_of
// The distinct (user, agency) pairs where the user had something in [$since, $until] (both
// days included, either may be null) on the snapshot of $as_of: a responsibility, plan or
// episode there active on some day of the period (a non-empty [start, end) reaching into
// it), or a contact dated in it (handover.network.build.user_agencies). Users served and
// the shared-users network are counted from these pairs.
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
WITH user_id, agency_id, start, end
WHERE (end IS NULL OR start < end)
  AND ($since IS NULL OR end IS NULL OR end > $since)
  AND ($until IS NULL OR start <= $until)
WITH DISTINCT user_id, agency_id
ORDER BY user_id, agency_id
WITH collect([user_id, agency_id]) AS rows
RETURN ['user_id', 'agency_id'] AS columns, rows
