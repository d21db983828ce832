// name: employments
// mode: write
// params: rows
// Load a batch of employments.csv rows: (:Staff)-[:EMPLOYED_AT {start, end}]->(:Agency).
// Staff missing from staff.csv still become (:Staff) nodes. Employments have no id, so
// each relationship is merged on row_key, a hash of the row's content (plus its
// occurrence number among identical rows): loading the same rows again changes nothing.
UNWIND $rows AS row
MATCH (a:Agency {agency_id: row.agency_id})
MERGE (s:Staff {staff_id: row.staff_id})
MERGE (s)-[e:EMPLOYED_AT {row_key: row.row_key}]->(a)
SET e.start = row.start,
    e.end = row.end
RETURN count(*) AS written
