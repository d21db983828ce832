// name: handovers
// mode: read
// params: window_days, role, since, until, as_of
// Every handover of docs/findings.md §5.1 (with or without coordinator) with $since <= d <= $until
// (either may be null), on the snapshot of $as_of, and whether a responsibility of $role was
// active on its day d: the population the share of handovers without a coordinator counts among.
// The next episode is the one NEXT_EPISODE points to, as in findings/handover_without_coordinator
// (a seek of the index next_episode_gap_days).
MATCH (e1:Episode)-[next:NEXT_EPISODE]->(e2:Episode)
USING INDEX next:NEXT_EPISODE(gap_days)
WHERE next.gap_days <= $window_days
  AND e1.end <= $as_of
  AND ($since IS NULL OR e1.end >= $since)
  AND ($until IS NULL OR e1.end <= $until)
  AND e2.start <= $as_of
MATCH (u:ServiceUser)-[:HAD_EPISODE]->(e1)
MATCH (e1)-[:AT]->(:Service)<-[:PROVIDES]-(from:Agency)
MATCH (e2)-[:AT]->(:Service)<-[:PROVIDES]-(to:Agency)
WITH u, e1, from, to
WHERE from <> to
RETURN u.user_id AS user_id,
       e1.episode_id AS from_episode_id,
       from.agency_id AS from_agency_id,
       e1.end AS handover_date,
       EXISTS {
         MATCH (u)<-[r:RESPONSIBLE_FOR]-(:Staff)
         WHERE r.role = $role AND r.start <= e1.end AND r.end_key > e1.end
       } AS covered
ORDER BY user_id, handover_date, from_episode_id
