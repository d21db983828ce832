// name: dormant_plans
// mode: read
// params: as_of, max_age_days
// docs/findings.md §5.6. Plans of kind individual_plan active on $as_of (start <= as_of < end, an
// absent end being ongoing) whose last_revised (start when absent) lies more than
// $max_age_days before $as_of. last_revised shows the date used.
MATCH (u:ServiceUser)-[:HAS_PLAN]->(p:Plan)-[:HELD_BY]->(held:Agency)
WHERE p.kind = 'individual_plan'
  AND p.start <= $as_of AND (p.end IS NULL OR $as_of < p.end)
WITH u, p, held, coalesce(p.last_revised, p.start) AS revised
WITH u, p, held, revised, duration.inDays(revised, $as_of).days AS age
WHERE age > $max_age_days
RETURN u.user_id AS user_id,
       p.plan_id AS plan_id,
       held.agency_id AS agency_id,
       revised AS last_revised,
       age AS days_since_revision
ORDER BY user_id, plan_id
