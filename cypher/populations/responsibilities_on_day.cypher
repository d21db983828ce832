// name: responsibilities_on_day
// mode: read
// params: as_of
// Every responsibility running on $as_of (started by then, not ended by then): who holds
// which role for which user, for which agency. The report's worklist and caseload read it.
// end_key (the end, or 9999-12-31 when open; written with the rows) > $as_of is the same as
// "end absent or after $as_of", and a seek of the index responsible_for_end_key.
MATCH (s:Staff)-[r:RESPONSIBLE_FOR]->(u:ServiceUser)
WHERE r.end_key > $as_of AND r.start <= $as_of
RETURN u.user_id AS user_id,
       r.role AS role,
       s.staff_id AS staff_id,
       r.agency_id AS agency_id,
       r.start AS start
ORDER BY user_id, role, staff_id, agency_id, start
