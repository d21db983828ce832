// name: work_days
// mode: read
// params: roles, by_agency, since, until, as_of
// The handover-of-work pairs (handover.network.time.handover_of_work_pairs) on the snapshot
// of $as_of, counted per pair and day: per user, the responsibilities of $roles (null: every
// role) in (start, staff_id, agency_id, role) order; each consecutive pair i -> j counts
// once (also i = j), on the day j starts, when that day is in [$since, $until] (either may be
// null). Between staff members, or with $by_agency between the agencies of the two
// responsibilities.
// One record: the column names and every row as a list (a record per row costs the driver far more).
MATCH (s:Staff)-[r:RESPONSIBLE_FOR]->(u:ServiceUser)
WHERE r.start <= $as_of AND ($roles IS NULL OR r.role IN $roles)
WITH u, s.staff_id AS staff_id, r.agency_id AS agency_id, r.start AS start, r.role AS role
ORDER BY start, staff_id, agency_id, role
WITH u, collect(CASE WHEN $by_agency THEN agency_id ELSE staff_id END) AS chain, collect(start) AS starts
UNWIND range(1, size(chain) - 1) AS i
WITH chain[i - 1] AS source, chain[i] AS target, starts[i] AS day
WHERE ($since IS NULL OR day >= $since) AND ($until IS NULL OR day <= $until)
WITH source, target, day, count(*) AS count
ORDER BY source, target, day
WITH collect([source, target, day, count]) AS rows
RETURN ['source', 'target', 'day', 'count'] AS columns, rows
