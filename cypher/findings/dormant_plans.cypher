// name: dormant_plans
// mode: read
// params: as_of, max_age_days, since, until
// docs/findings.md §5.6. Plans of kind individual_plan active on $as_of (start <= as_of < end, an
// absent end being ongoing) whose last_revised (start when absent) lies more than
// $max_age_days before $as_of. last_revised shows the date used; a revision after $as_of is not
// known yet (the snapshot of $as_of). A plan fell dormant on last_revised + $max_age_days + 1
// day; $since/$until keep plans that fell dormant in [$since, $until].
// The active plans are a seek of the index plan_kind_end_key: end_key (the end, or 9999-12-31
// when open; written with the rows) > $as_of is "end absent or after $as_of".
MATCH (p:Plan)
WHERE p.kind = 'individual_plan' AND p.end_key > $as_of AND p.start <= $as_of
MATCH (u:ServiceUser)-[:HAS_PLAN]->(p)-[:HELD_BY]->(held:Agency)
WITH u, p, held, coalesce(CASE WHEN p.last_revised <= $as_of THEN p.last_revised END, p.start) AS revised
WITH u, p, held, revised, duration.inDays(revised, $as_of).days AS age
WITH u, p, held, revised, age, revised + duration({days: $max_age_days + 1}) AS dormant_since
WHERE age > $max_age_days
  AND ($since IS NULL OR dormant_since >= $since)
  AND ($until IS NULL OR dormant_since <= $until)
RETURN u.user_id AS user_id,
       p.plan_id AS plan_id,
       held.agency_id AS agency_id,
       revised AS last_revised,
       age AS days_since_revision
ORDER BY user_id, plan_id
