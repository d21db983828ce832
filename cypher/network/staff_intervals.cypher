// name: staff_intervals
// mode: read
// params: roles, as_of
// The intervals [start, end) in which each staff member holds a responsibility of $roles
// (null: every role) on the snapshot of $as_of, distinct and not merged: the GEXF spells of
// the handover-of-work network's staff.
// One record: the column names and every row as a list (a record per row costs the driver far more).
MATCH (s:Staff)-[r:RESPONSIBLE_FOR]->(:ServiceUser)
WHERE r.start <= $as_of AND ($roles IS NULL OR r.role IN $roles)
WITH DISTINCT s.staff_id AS staff_id, r.start AS start, CASE WHEN r.end <= $as_of THEN r.end END AS end
ORDER BY staff_id, start, end
WITH collect([staff_id, start, end]) AS rows
RETURN ['staff_id', 'start', 'end'] AS columns, rows
