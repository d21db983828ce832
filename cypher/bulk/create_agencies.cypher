// name: create_agencies
// mode: write
// params: rows
// A bulk load's batch of agencies.csv rows, into a database without handover data (the
// graph of cypher/load/agencies.cypher, created instead of merged: nothing is there to merge
// with). A null value leaves the property absent.
UNWIND $rows AS row
CREATE (:Agency {agency_id: row.agency_id, name: row.name, kind: row.kind, level: row.level,
                 municipality: row.municipality})
RETURN count(*) AS written
