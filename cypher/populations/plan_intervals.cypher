// name: plan_intervals
// mode: read
// params: as_of
// Every plan on the snapshot of $as_of (started by then; an end or revision after it not
// known yet): the population parallel plans, coordinator gaps and dormant plans count among.
// The plans come from a seek of the index plan_start.
MATCH (p:Plan)
WHERE p.start <= $as_of
MATCH (u:ServiceUser)-[:HAS_PLAN]->(p)-[:HELD_BY]->(held:Agency)
RETURN p.plan_id AS plan_id,
       u.user_id AS user_id,
       held.agency_id AS agency_id,
       p.kind AS kind,
       p.start AS start,
       CASE WHEN p.end <= $as_of THEN p.end END AS end,
       CASE WHEN p.last_revised <= $as_of THEN p.last_revised END AS last_revised
ORDER BY plan_id
