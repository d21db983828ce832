// name: agency_staff
// mode: read
// params: roles, since, until, as_of
// Per agency, the distinct users and staff of its responsibilities of $roles (null: every
// role) on the snapshot of $as_of: all of them when no period is given, else those active
// on some day of [$since, $until]. The nodes of the handover-of-work network by agency.
MATCH (s:Staff)-[r:RESPONSIBLE_FOR]->(u:ServiceUser)
WHERE r.start <= $as_of AND ($roles IS NULL OR r.role IN $roles)
WITH s, r, u, CASE WHEN r.end <= $as_of THEN r.end END AS end
WHERE ($since IS NULL AND $until IS NULL)
   OR ((end IS NULL OR r.start < end)
       AND ($since IS NULL OR end IS NULL OR end > $since)
       AND ($until IS NULL OR r.start <= $until))
RETURN r.agency_id AS agency_id, count(DISTINCT u) AS users, count(DISTINCT s) AS staff
ORDER BY agency_id
