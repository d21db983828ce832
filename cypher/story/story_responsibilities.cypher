// name: story_responsibilities
// mode: read
// params: user_id
// The responsibilities of user $user_id, as the responsibilities table has them (the
// free-text reason is not read: a user's page never shows it).
MATCH (s:Staff)-[r:RESPONSIBLE_FOR]->(:ServiceUser {user_id: $user_id})
RETURN s.staff_id AS staff_id, $user_id AS user_id, r.role AS role, r.agency_id AS agency_id,
       r.start AS start, r.end AS end
ORDER BY start, staff_id, role, agency_id
