// name: agencies
// mode: write
// params: rows
// Load a batch of agencies.csv rows: one (:Agency) per agency_id. A null value leaves the
// property absent. Returns the number of rows written, which the loader checks.
UNWIND $rows AS row
MERGE (a:Agency {agency_id: row.agency_id})
SET a.name = row.name,
    a.kind = row.kind,
    a.level = row.level,
    a.municipality = row.municipality
RETURN count(*) AS written
