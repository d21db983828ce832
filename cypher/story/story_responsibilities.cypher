// name: story_responsibilities
// mode: read
// params: user_ids
// The responsibilities of the users $user_ids, as the responsibilities table has them (the
// free-text reason is not read: a user's page never shows it).
MATCH (s:Staff)-[r:RESPONSIBLE_FOR]->(u:ServiceUser)
WHERE u.user_id IN $user_ids
RETURN s.staff_id AS staff_id, u.user_id AS user_id, r.role AS role, r.agency_id AS agency_id,
       r.start AS start, r.end AS end
ORDER BY user_id, start, staff_id, role, agency_id
