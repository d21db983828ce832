// name: users_with_many_caseworkers
// mode: read
// params: since, until, at_least
// Users who had at least $at_least different caseworkers in [$since, $until): turnover.
MATCH (s:Staff)-[r:RESPONSIBLE_FOR {role: 'caseworker'}]->(u:ServiceUser)
WHERE r.start < $until AND (r.end IS NULL OR $since < r.end)
WITH u, count(DISTINCT s) AS caseworkers
WHERE caseworkers >= $at_least
RETURN u.user_id AS user_id, caseworkers
ORDER BY caseworkers DESC, user_id
