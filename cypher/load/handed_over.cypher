// name: handed_over
// mode: write
// params: rows
// After the tables: for the users in $rows (user ids), link the staff members who followed
// one another in a role, (:Staff)-[:HANDED_OVER_TO {user_id, role, date}]->(:Staff): per user
// and role, the responsibilities in (start, staff_id) order, each consecutive pair held by two
// different staff members; date is the start of the later one. (The handover-of-work network
// also counts a staff member following themselves, and all roles in one order.)
UNWIND $rows AS user_id
MATCH (u:ServiceUser {user_id: user_id})<-[r:RESPONSIBLE_FOR]-(s:Staff)
WITH u, r, s
ORDER BY r.start, s.staff_id
WITH u, r.role AS role, collect({staff: s, start: r.start}) AS chain
UNWIND range(0, size(chain) - 2) AS i
WITH u, role, chain[i] AS before, chain[i + 1] AS after
WHERE before.staff <> after.staff
WITH before.staff AS giver, after.staff AS taker, u.user_id AS user_id, role, after.start AS day
CREATE (giver)-[:HANDED_OVER_TO {user_id: user_id, role: role, date: day}]->(taker)
RETURN count(*) AS written
