// name: plans
// mode: write
// params: rows
// Load a batch of plans.csv rows: (:ServiceUser)-[:HAS_PLAN]->(:Plan)-[:HELD_BY]->(:Agency).
UNWIND $rows AS row
MATCH (u:ServiceUser {user_id: row.user_id})
MATCH (a:Agency {agency_id: row.agency_id})
MERGE (p:Plan {plan_id: row.plan_id})
SET p.kind = row.kind,
    p.start = row.start,
    p.end = row.end,
    // What the range indexes cover: the end, or a sentinel when open (docs/graph.md).
    p.end_key = coalesce(row.end, date('9999-12-31')),
    p.last_revised = row.last_revised
// A replaced dataset may have linked this plan to another user or agency: unlink those.
FOREACH (old IN [(other)-[r:HAS_PLAN]->(p) WHERE other <> u | r] | DELETE old)
FOREACH (old IN [(p)-[r:HELD_BY]->(other) WHERE other <> a | r] | DELETE old)
MERGE (u)-[:HAS_PLAN]->(p)
MERGE (p)-[:HELD_BY]->(a)
RETURN count(*) AS written
