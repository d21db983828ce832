// name: coordinator_on_day
// mode: read
// params: user_id, day
// Who coordinated user $user_id on $day: each coordinator responsibility active that day
// (intervals are half-open: start <= day < end, an open end still runs).
MATCH (s:Staff)-[r:RESPONSIBLE_FOR {role: 'coordinator'}]->(:ServiceUser {user_id: $user_id})
WHERE r.start <= $day AND (r.end IS NULL OR $day < r.end)
RETURN s.staff_id AS staff_id, r.agency_id AS agency_id, r.start AS start, r.end AS end
ORDER BY start, staff_id
