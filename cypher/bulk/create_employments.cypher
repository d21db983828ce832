// name: create_employments
// mode: write
// params: rows
// A bulk load's batch of employments.csv rows (the graph of cypher/load/employments.cypher):
// (:Staff)-[:EMPLOYED_AT {start, end, row_key}]->(:Agency).
UNWIND $rows AS row
MATCH (a:Agency {agency_id: row.agency_id})
MATCH (s:Staff {staff_id: row.staff_id})
CREATE (s)-[:EMPLOYED_AT {row_key: row.row_key, start: row.start, end: row.end}]->(a)
RETURN count(*) AS written
