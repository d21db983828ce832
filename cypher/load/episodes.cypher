// name: episodes
// mode: write
// params: rows
// Load a batch of episodes.csv rows:
// (:ServiceUser)-[:HAD_EPISODE]->(:Episode)-[:AT]->(:Service).
UNWIND $rows AS row
MATCH (u:ServiceUser {user_id: row.user_id})
MATCH (s:Service {service_id: row.service_id})
MERGE (e:Episode {episode_id: row.episode_id})
SET e.start = row.start,
    e.end = row.end,
    // What the range indexes cover: the end, or a sentinel when open (docs/graph.md).
    e.end_key = coalesce(row.end, date('9999-12-31')),
    e.discharge_kind = row.discharge_kind
// A replaced dataset may have linked this episode to another user or service: unlink those.
FOREACH (old IN [(other)-[r:HAD_EPISODE]->(e) WHERE other <> u | r] | DELETE old)
FOREACH (old IN [(e)-[r:AT]->(other) WHERE other <> s | r] | DELETE old)
MERGE (u)-[:HAD_EPISODE]->(e)
MERGE (e)-[:AT]->(s)
RETURN count(*) AS written
