// name: staff_professions
// mode: read
// params: as_of
// Each staff member's profession, where staff.csv gives one: what the caseload per staff
// member shows beside the id. ($as_of is every population's; a profession has no date.)
MATCH (s:Staff)
WHERE s.profession IS NOT NULL AND $as_of IS NOT NULL
RETURN s.staff_id AS staff_id,
       s.profession AS profession
ORDER BY staff_id
