// name: episodes_on_day
// mode: read
// params: as_of
// Every episode running on $as_of (started by then, not ended by then) with the agency of
// its service. The report's worklist reads it.
MATCH (u:ServiceUser)-[:HAD_EPISODE]->(e:Episode)-[:AT]->(:Service)<-[:PROVIDES]-(a:Agency)
WHERE e.start <= $as_of AND (e.end IS NULL OR e.end > $as_of)
RETURN u.user_id AS user_id,
       e.episode_id AS episode_id,
       a.agency_id AS agency_id,
       e.start AS start
ORDER BY user_id, episode_id
