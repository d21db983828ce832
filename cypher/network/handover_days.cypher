// name: handover_days
// mode: read
// params: window_days, since, until, as_of
// The handovers of docs/findings.md §5.1 (with or without coordinator) on the snapshot of
// $as_of, dated $since <= d <= $until (either may be null), counted per pair of agencies
// and day: the edges of the handover-flows network, their days (GEXF spells) and their
// months (the timeline). The next episode is the one NEXT_EPISODE points to, as in
// populations/handovers.
// One record: the column names and every row as a list (a record per row costs the driver far more).
MATCH (:ServiceUser)-[:HAD_EPISODE]->(e1:Episode)-[next:NEXT_EPISODE]->(e2:Episode)
WHERE e1.end <= $as_of
  AND ($since IS NULL OR e1.end >= $since)
  AND ($until IS NULL OR e1.end <= $until)
  AND e2.start <= $as_of AND next.gap_days <= $window_days
MATCH (e1)-[:AT]->(:Service)<-[:PROVIDES]-(from:Agency)
MATCH (e2)-[:AT]->(:Service)<-[:PROVIDES]-(to:Agency)
WITH from, to, e1.end AS day
WHERE from <> to
WITH from.agency_id AS source, to.agency_id AS target, day, count(*) AS count
ORDER BY source, target, day
WITH collect([source, target, day, count]) AS rows
RETURN ['source', 'target', 'day', 'count'] AS columns, rows
