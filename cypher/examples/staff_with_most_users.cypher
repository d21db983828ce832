// name: staff_with_most_users
// mode: read
// params: day, top
// The $top staff members responsible (in any role) for the most users at once on $day.
MATCH (s:Staff)-[r:RESPONSIBLE_FOR]->(u:ServiceUser)
WHERE r.start <= $day AND (r.end IS NULL OR $day < r.end)
RETURN s.staff_id AS staff_id, count(DISTINCT u) AS users
ORDER BY users DESC, staff_id
LIMIT $top
