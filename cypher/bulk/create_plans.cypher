// name: create_plans
// mode: write
// params: rows
// A bulk load's batch of plans.csv rows (the graph of cypher/load/plans.cypher):
// (:ServiceUser)-[:HAS_PLAN]->(:Plan)-[:HELD_BY]->(:Agency).
UNWIND $rows AS row
MATCH (u:ServiceUser {user_id: row.user_id})
MATCH (a:Agency {agency_id: row.agency_id})
CREATE (u)-[:HAS_PLAN]->(:Plan {plan_id: row.plan_id, kind: row.kind, start: row.start, end: row.end,
                               last_revised: row.last_revised,
                               end_key: coalesce(row.end, date('9999-12-31'))})-[:HELD_BY]->(a)
RETURN count(*) AS written
