// name: next_episodes
// mode: write
// params: rows
// After the tables, a batch of derived rows {from_episode_id, to_episode_id, gap_days}
// (handover.engines.neo4j.derived: each ended episode and its user's next one, the memory
// engine's definition): (:Episode)-[:NEXT_EPISODE {gap_days}]->(:Episode). A handover is a
// NEXT_EPISODE whose gap is within the window and whose episodes are at different agencies.
UNWIND $rows AS row
MATCH (e1:Episode {episode_id: row.from_episode_id})
MATCH (e2:Episode {episode_id: row.to_episode_id})
CREATE (e1)-[:NEXT_EPISODE {gap_days: row.gap_days}]->(e2)
RETURN count(*) AS written
