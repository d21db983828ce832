// name: create_staff
// mode: write
// params: rows
// A bulk load's batch of (:Staff) nodes: the staff.csv rows, then every other staff id that an
// employment, a responsibility or a contact names (profession null), so that the batches after
// this one only find staff (cypher/load/*.cypher merge them as they go).
UNWIND $rows AS row
CREATE (:Staff {staff_id: row.staff_id, profession: row.profession})
RETURN count(*) AS written
