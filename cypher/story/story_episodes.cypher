// name: story_episodes
// mode: read
// params: user_id
// The episodes of user $user_id, as the episodes table has them.
MATCH (:ServiceUser {user_id: $user_id})-[:HAD_EPISODE]->(e:Episode)-[:AT]->(s:Service)
RETURN e.episode_id AS episode_id, $user_id AS user_id, s.service_id AS service_id,
       e.start AS start, e.end AS end, e.discharge_kind AS discharge_kind
ORDER BY episode_id
