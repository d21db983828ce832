// name: discharges_without_coordinator
// mode: read
// params: since, until
// Per agency, the episodes that ended in [$since, $until) and how many of them ended on a
// day no coordinator responsibility covered: where users leave with nobody in charge. (The
// finding handover-without-coordinator is stricter: it follows each user to the next agency.)
MATCH (u:ServiceUser)-[:HAD_EPISODE]->(e:Episode)-[:AT]->(:Service)<-[:PROVIDES]-(a:Agency)
WHERE e.end IS NOT NULL AND $since <= e.end AND e.end < $until
WITH a, e, EXISTS {
  MATCH (:Staff)-[r:RESPONSIBLE_FOR {role: 'coordinator'}]->(u)
  WHERE r.start <= e.end AND (r.end IS NULL OR e.end < r.end)
} AS covered
RETURN a.agency_id AS agency_id, count(e) AS discharges,
       sum(CASE WHEN covered THEN 0 ELSE 1 END) AS without_coordinator
ORDER BY without_coordinator DESC, agency_id
