// name: plans_not_revised
// mode: read
// params: day, days
// Plans in force on $day last revised (or, never revised, started) more than $days days
// before it: plans that may be dormant.
MATCH (u:ServiceUser)-[:HAS_PLAN]->(p:Plan)-[:HELD_BY]->(a:Agency)
WHERE p.start <= $day AND (p.end IS NULL OR $day < p.end)
WITH u, p, a, coalesce(p.last_revised, p.start) AS revised
WITH u, p, a, revised, duration.inDays(revised, $day).days AS days_since
WHERE days_since > $days
RETURN u.user_id AS user_id, p.plan_id AS plan_id, a.agency_id AS agency_id, revised AS last_revised,
       days_since
ORDER BY days_since DESC, plan_id
