// name: parallel_plans_on_day
// mode: read
// params: day
// Users holding plans at two or more agencies on $day, with the agencies and the plans.
MATCH (u:ServiceUser)-[:HAS_PLAN]->(p:Plan)-[:HELD_BY]->(a:Agency)
WHERE p.start <= $day AND (p.end IS NULL OR $day < p.end)
WITH u, p, a
ORDER BY a.agency_id, p.plan_id
WITH u, collect(DISTINCT a.agency_id) AS agencies, collect(p.plan_id) AS plans
WHERE size(agencies) >= 2
RETURN u.user_id AS user_id, agencies, plans
ORDER BY user_id
