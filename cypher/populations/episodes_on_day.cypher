// name: episodes_on_day
// mode: read
// params: as_of
// Every episode running on $as_of (started by then, not ended by then) with the agency of
// its service. The report's worklist and caseload read it. end_key > $as_of (the end, or
// 9999-12-31 when open; written with the rows) is "end absent or after $as_of", a seek of the
// index episode_end_key.
MATCH (e:Episode)
WHERE e.end_key > $as_of AND e.start <= $as_of
MATCH (u:ServiceUser)-[:HAD_EPISODE]->(e)-[:AT]->(:Service)<-[:PROVIDES]-(a:Agency)
RETURN u.user_id AS user_id,
       e.episode_id AS episode_id,
       a.agency_id AS agency_id,
       e.start AS start
ORDER BY user_id, episode_id
