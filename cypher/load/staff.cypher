// name: staff
// mode: write
// params: rows
// Load a batch of staff.csv rows: one (:Staff) per staff_id.
UNWIND $rows AS row
MERGE (s:Staff {staff_id: row.staff_id})
SET s.profession = row.profession
RETURN count(*) AS written
