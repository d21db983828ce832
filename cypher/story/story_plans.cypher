// name: story_plans
// mode: read
// params: user_id
// The plans of user $user_id, as the plans table has them.
MATCH (:ServiceUser {user_id: $user_id})-[:HAS_PLAN]->(p:Plan)-[:HELD_BY]->(a:Agency)
RETURN p.plan_id AS plan_id, $user_id AS user_id, a.agency_id AS agency_id, p.kind AS kind,
       p.start AS start, p.end AS end, p.last_revised AS last_revised
ORDER BY plan_id
