// name: next_episodes
// mode: write
// params: rows
// After the tables: for the users in $rows (user ids), link each ended episode to the user's
// next one, (:Episode)-[:NEXT_EPISODE {gap_days}]->(:Episode): the episode with the smallest
// (start, episode_id) among the user's others that start on or after its end (docs/findings.md
// §5.1 without the window; gap_days = next.start - end). A handover is a NEXT_EPISODE whose
// gap is within the window and whose episodes are at different agencies.
UNWIND $rows AS user_id
MATCH (u:ServiceUser {user_id: user_id})-[:HAD_EPISODE]->(e1:Episode)
WHERE e1.end IS NOT NULL
CALL (u, e1) {
  MATCH (u)-[:HAD_EPISODE]->(next:Episode)
  WHERE next <> e1 AND next.start >= e1.end
  RETURN next
  ORDER BY next.start, next.episode_id
  LIMIT 1
}
CREATE (e1)-[:NEXT_EPISODE {gap_days: duration.inDays(e1.end, next.start).days}]->(next)
RETURN count(*) AS written
