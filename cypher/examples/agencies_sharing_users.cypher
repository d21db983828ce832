// name: agencies_sharing_users
// mode: read
// params:
// Pairs of agencies whose staff were responsible for the same users (at any time): the
// service network's edges, heaviest first.
MATCH (:Staff)-[r1:RESPONSIBLE_FOR]->(u:ServiceUser)<-[r2:RESPONSIBLE_FOR]-(:Staff)
WHERE r1.agency_id < r2.agency_id
RETURN r1.agency_id AS agency_a, r2.agency_id AS agency_b, count(DISTINCT u) AS users
ORDER BY users DESC, agency_a, agency_b
