// name: discharges_by_kind
// mode: read
// params: since, until
// Episodes that ended in [$since, $until), by agency and how they ended (discharge_kind;
// unknown where the record does not say).
MATCH (:ServiceUser)-[:HAD_EPISODE]->(e:Episode)-[:AT]->(:Service)<-[:PROVIDES]-(a:Agency)
WHERE e.end IS NOT NULL AND $since <= e.end AND e.end < $until
RETURN a.agency_id AS agency_id, coalesce(e.discharge_kind, 'unknown') AS discharge_kind, count(e) AS episodes
ORDER BY agency_id, discharge_kind
