// name: users_without_coordinator_on_day
// mode: read
// params: day
// Users in an episode of care on $day whom no coordinator responsibility covered that day.
MATCH (u:ServiceUser)-[:HAD_EPISODE]->(e:Episode)
WHERE e.start <= $day AND (e.end IS NULL OR $day < e.end)
WITH DISTINCT u
WHERE NOT EXISTS {
  MATCH (:Staff)-[r:RESPONSIBLE_FOR {role: 'coordinator'}]->(u)
  WHERE r.start <= $day AND (r.end IS NULL OR $day < r.end)
}
RETURN u.user_id AS user_id
ORDER BY user_id
