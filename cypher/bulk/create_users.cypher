// name: create_users
// mode: write
// params: rows
// A bulk load's batch of users.csv rows (the graph of cypher/load/users.cypher).
UNWIND $rows AS row
CREATE (:ServiceUser {user_id: row.user_id, birth_year: row.birth_year, municipality: row.municipality})
RETURN count(*) AS written
