// name: coordinator_gaps
// mode: read
// params: as_of, min_gap_days, since, until
// docs/findings.md §5.5. Each plan of kind individual_plan, clipped to [start, min(end, $as_of)):
// the maximal runs of days on which the user has no active coordinator responsibility
// (any agency) are gaps; report those of at least $min_gap_days. gap_end is exclusive,
// and null when the gap runs to $as_of on a plan still open then (end absent or > $as_of).
// $since/$until keep gaps running on some day of [$since, $until] (an open gap on every day
// from its start). The plan's clipping to $as_of makes this the snapshot of $as_of.
// The plans are a seek of the index plan_kind_end_key (end_key: the end, or 9999-12-31 when
// open; written with the rows), those that end after they start and start before $as_of; the
// coordinators of a plan's user are a handful, expanded from the user.
MATCH (p:Plan)
WHERE p.kind = 'individual_plan' AND p.end_key > p.start AND p.start < $as_of
MATCH (u:ServiceUser)-[:HAS_PLAN]->(p)-[:HELD_BY]->(held:Agency)
WITH u, p, held, p.start AS plan_start,
     CASE WHEN p.end_key > $as_of THEN $as_of ELSE p.end_key END AS plan_end
// The plan's covered pieces, in order of start; the gaps lie before, between and after them.
WITH u, p, held, plan_start, plan_end, COLLECT {
  MATCH (:Staff)-[r:RESPONSIBLE_FOR]->(u)
  WHERE r.role = 'coordinator' AND r.start < plan_end AND r.end_key > plan_start AND r.end_key > r.start
  WITH CASE WHEN r.start > plan_start THEN r.start ELSE plan_start END AS piece_start,
       CASE WHEN r.end_key > plan_end THEN plan_end ELSE r.end_key END AS piece_end
  ORDER BY piece_start
  RETURN {start: piece_start, end: piece_end}
} AS pieces
WITH u, p, held, plan_end,
     reduce(walk = {reach: plan_start, gaps: []}, piece IN pieces |
       {reach: CASE WHEN piece.end > walk.reach THEN piece.end ELSE walk.reach END,
        gaps: walk.gaps + CASE WHEN piece.start > walk.reach
                               THEN [{start: walk.reach, end: piece.start}] ELSE [] END}) AS walk
WITH u, p, held,
     walk.gaps + CASE WHEN walk.reach < plan_end THEN [{start: walk.reach, end: plan_end}] ELSE [] END AS gaps
UNWIND gaps AS gap
WITH u, p, held, gap, duration.inDays(gap.start, gap.end).days AS gap_days,
     CASE WHEN gap.end = $as_of AND (p.end IS NULL OR p.end > $as_of) THEN null ELSE gap.end END AS gap_end
WHERE gap_days >= $min_gap_days
  AND ($until IS NULL OR gap.start <= $until)
  AND ($since IS NULL OR gap_end IS NULL OR gap_end > $since)
RETURN u.user_id AS user_id,
       p.plan_id AS plan_id,
       held.agency_id AS agency_id,
       gap.start AS gap_start,
       gap_end,
       gap_days
ORDER BY user_id, plan_id, gap_start
