// name: handover_without_coordinator
// mode: read
// params: window_days, role, since, until, as_of
// docs/findings.md §5.1. A handover: episode e1 of user u ends on day d (e1.end set) and u's next
// episode e2 (e2 <> e1, the smallest (start, episode_id) with d <= e2.start <= d + window_days)
// is at a service of a different agency. Without coordinator: no responsibility of u with
// role $role is active on d (start <= d < end, an absent end is ongoing).
// Kept when $since <= d <= $until (either may be null).
// On the snapshot of $as_of: nothing dated after it is seen, and an end after it is not known yet.
// u's next episode is the one NEXT_EPISODE points to (written at load, the smallest (start,
// episode_id) starting on or after d): if it starts after $as_of or beyond the window, so do
// all later ones, and there is no handover. The NEXT_EPISODEs within the window are a seek of
// the index next_episode_gap_days; end_key (the end, or 9999-12-31 when open;
// written with the rows) > d is "end absent or after d".
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
WITH u, e1, e2, from, to
WHERE from <> to
  AND NOT EXISTS {
    MATCH (u)<-[r:RESPONSIBLE_FOR]-(:Staff)
    WHERE r.role = $role AND r.start <= e1.end AND r.end_key > e1.end
  }
RETURN u.user_id AS user_id,
       e1.episode_id AS from_episode_id,
       from.agency_id AS from_agency_id,
       e2.episode_id AS to_episode_id,
       to.agency_id AS to_agency_id,
       e1.end AS handover_date,
       e2.start AS next_start_date,
       duration.inDays(e1.end, e2.start).days AS gap_days
ORDER BY user_id, handover_date, from_episode_id
