// name: users
// mode: write
// params: rows
// Load a batch of users.csv rows: one (:ServiceUser) per user_id.
UNWIND $rows AS row
MERGE (u:ServiceUser {user_id: row.user_id})
SET u.birth_year = row.birth_year,
    u.municipality = row.municipality
RETURN count(*) AS written
