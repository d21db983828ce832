// name: create_responsibilities
// mode: write
// params: rows
// A bulk load's batch of responsibilities.csv rows (the graph of
// cypher/load/responsibilities.cypher): (:Staff)-[:RESPONSIBLE_FOR {role, agency_id, start,
// end, reason, row_key, end_key}]->(:ServiceUser); end_key is the end, or a sentinel when open.
UNWIND $rows AS row
MATCH (u:ServiceUser {user_id: row.user_id})
WHERE EXISTS { MATCH (:Agency {agency_id: row.agency_id}) }
MATCH (s:Staff {staff_id: row.staff_id})
CREATE (s)-[:RESPONSIBLE_FOR {row_key: row.row_key, role: row.role, agency_id: row.agency_id,
                              start: row.start, end: row.end, reason: row.reason,
                              end_key: coalesce(row.end, date('9999-12-31'))}]->(u)
RETURN count(*) AS written
