// name: parallel_plans
// mode: read
// params: as_of, kinds, min_overlap_days, since, until
// docs/findings.md §5.3. Two plans p, q of one user, held by different agencies, whose [start, end)
// intervals overlap: max(p.start, q.start) < min(p.end, q.end), an absent end being open.
// One row per unordered pair with plan_a_id < plan_b_id. overlap_end is null when both are
// open; overlap_days counts to overlap_end, or to $as_of when open, never negative.
// $kinds (null = all) keeps pairs where both plans are of the given kinds; $since/$until keep
// pairs whose overlap runs on some day of [$since, $until] (an open overlap on every day from
// its start).
// On the snapshot of $as_of: nothing dated after it is seen, and an end after it is not known yet.
// The plans started by $as_of are a seek of the index plan_start.
MATCH (p:Plan)
WHERE p.start <= $as_of AND ($kinds IS NULL OR p.kind IN $kinds)
MATCH (u:ServiceUser)-[:HAS_PLAN]->(p)-[:HELD_BY]->(held_p:Agency)
MATCH (u)-[:HAS_PLAN]->(q:Plan)-[:HELD_BY]->(held_q:Agency)
WHERE p.plan_id < q.plan_id
  AND held_p <> held_q
  AND ($kinds IS NULL OR q.kind IN $kinds) AND q.start <= $as_of
WITH u, p, q, held_p, held_q,
     CASE WHEN p.end <= $as_of THEN p.end END AS p_end,
     CASE WHEN q.end <= $as_of THEN q.end END AS q_end
WITH u, p, q, held_p, held_q,
     CASE WHEN p.start >= q.start THEN p.start ELSE q.start END AS overlap_start,
     CASE
       WHEN p_end IS NULL THEN q_end
       WHEN q_end IS NULL THEN p_end
       WHEN p_end <= q_end THEN p_end
       ELSE q_end
     END AS overlap_end
WHERE (overlap_end IS NULL OR overlap_start < overlap_end)
  AND ($until IS NULL OR overlap_start <= $until)
  AND ($since IS NULL OR overlap_end IS NULL OR overlap_end > $since)
WITH u, p, q, held_p, held_q, overlap_start, overlap_end,
     duration.inDays(overlap_start, coalesce(overlap_end, $as_of)).days AS counted
WITH u, p, q, held_p, held_q, overlap_start, overlap_end,
     CASE WHEN counted < 0 THEN 0 ELSE counted END AS overlap_days
WHERE overlap_days >= $min_overlap_days
RETURN u.user_id AS user_id,
       p.plan_id AS plan_a_id,
       held_p.agency_id AS agency_a_id,
       p.kind AS kind_a,
       q.plan_id AS plan_b_id,
       held_q.agency_id AS agency_b_id,
       q.kind AS kind_b,
       overlap_start,
       overlap_end,
       overlap_days
ORDER BY user_id, plan_a_id, plan_b_id
