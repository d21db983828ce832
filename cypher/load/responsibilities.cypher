// name: responsibilities
// mode: write
// params: rows
// Load a batch of responsibilities.csv rows:
// (:Staff)-[:RESPONSIBLE_FOR {role, agency_id, start, end, reason}]->(:ServiceUser).
// The agency is kept as a property (docs/findings.md §4) but must be loaded; staff missing from
// staff.csv still become (:Staff) nodes. Merged on row_key (see employments.cypher).
UNWIND $rows AS row
MATCH (u:ServiceUser {user_id: row.user_id})
WHERE EXISTS { MATCH (:Agency {agency_id: row.agency_id}) }
MERGE (s:Staff {staff_id: row.staff_id})
MERGE (s)-[r:RESPONSIBLE_FOR {row_key: row.row_key}]->(u)
SET r.role = row.role,
    r.agency_id = row.agency_id,
    r.start = row.start,
    r.end = row.end,
    // What the range indexes cover: the end, or a sentinel when open (docs/graph.md).
    r.end_key = coalesce(row.end, date('9999-12-31')),
    r.reason = row.reason
RETURN count(*) AS written
