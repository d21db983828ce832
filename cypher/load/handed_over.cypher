// name: handed_over
// mode: write
// params: rows
// After the tables, a batch of derived rows {from_staff_id, to_staff_id, user_id, role, date}
// (handover.engines.neo4j.derived: per user and role, the responsibilities in (start, staff_id)
// order, each consecutive pair held by two different staff members; date is the start of the
// later one): (:Staff)-[:HANDED_OVER_TO {user_id, role, date}]->(:Staff). (The handover-of-work
// network also counts a staff member following themselves, and all roles in one order.)
UNWIND $rows AS row
MATCH (giver:Staff {staff_id: row.from_staff_id})
MATCH (taker:Staff {staff_id: row.to_staff_id})
CREATE (giver)-[:HANDED_OVER_TO {user_id: row.user_id, role: row.role, date: row.date}]->(taker)
RETURN count(*) AS written
