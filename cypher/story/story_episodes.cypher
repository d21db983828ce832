// name: story_episodes
// mode: read
// params: user_ids
// The episodes of the users $user_ids, as the episodes table has them.
MATCH (u:ServiceUser)-[:HAD_EPISODE]->(e:Episode)-[:AT]->(s:Service)
WHERE u.user_id IN $user_ids
RETURN e.episode_id AS episode_id, u.user_id AS user_id, s.service_id AS service_id,
       e.start AS start, e.end AS end, e.discharge_kind AS discharge_kind
ORDER BY user_id, episode_id
