// name: staff_professions
// mode: read
// params:
// Each staff member's profession, where staff.csv gives one: what the caseload per staff
// member shows beside the id. A profession has no date: the same on every snapshot.
MATCH (s:Staff)
WHERE s.profession IS NOT NULL
RETURN s.staff_id AS staff_id,
       s.profession AS profession
ORDER BY staff_id
