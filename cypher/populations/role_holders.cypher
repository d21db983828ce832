// name: role_holders
// mode: read
// params: roles, since, until, as_of
// Each user and role in $roles with a responsibility of that role running on some day of
// [$since, $until] (either may be null) on the snapshot of $as_of: the population caseworker
// turnover counts among. agency_id: the agency of the latest such responsibility (latest
// start; on a tie the smallest agency id).
MATCH (:Staff)-[r:RESPONSIBLE_FOR]->(u:ServiceUser)
WHERE r.role IN $roles AND r.start <= $as_of
  AND (r.end IS NULL OR r.end > $as_of OR r.end > r.start)
  AND ($until IS NULL OR r.start <= $until)
  AND ($since IS NULL OR r.end IS NULL OR r.end > $as_of OR r.end > $since)
WITH u, r.role AS role, r.start AS start, r.agency_id AS agency_id
ORDER BY start DESC, agency_id
WITH u, role, collect(agency_id)[0] AS agency_id
RETURN u.user_id AS user_id, role, agency_id
ORDER BY user_id, role
