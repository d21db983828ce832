// name: story_plans
// mode: read
// params: user_ids
// The plans of the users $user_ids, as the plans table has them.
MATCH (u:ServiceUser)-[:HAS_PLAN]->(p:Plan)-[:HELD_BY]->(a:Agency)
WHERE u.user_id IN $user_ids
RETURN p.plan_id AS plan_id, u.user_id AS user_id, a.agency_id AS agency_id, p.kind AS kind,
       p.start AS start, p.end AS end, p.last_revised AS last_revised
ORDER BY user_id, plan_id
