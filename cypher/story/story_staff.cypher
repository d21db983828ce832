// name: story_staff
// mode: read
// params: staff_ids
// The staff $staff_ids (those a user's responsibilities and contacts name), with their profession.
MATCH (s:Staff)
WHERE s.staff_id IN $staff_ids
RETURN s.staff_id AS staff_id, s.profession AS profession
ORDER BY staff_id
