// name: create_episodes
// mode: write
// params: rows
// A bulk load's batch of episodes.csv rows (the graph of cypher/load/episodes.cypher):
// (:ServiceUser)-[:HAD_EPISODE]->(:Episode)-[:AT]->(:Service).
UNWIND $rows AS row
MATCH (u:ServiceUser {user_id: row.user_id})
MATCH (s:Service {service_id: row.service_id})
CREATE (u)-[:HAD_EPISODE]->(:Episode {episode_id: row.episode_id, start: row.start, end: row.end,
                                      discharge_kind: row.discharge_kind,
                                      end_key: coalesce(row.end, date('9999-12-31'))})-[:AT]->(s)
RETURN count(*) AS written
