// name: constraint_names
// mode: read
// params:
// The names of the database's constraints, to tell whether handover's (cypher/schema.cypher)
// are all there: every id's uniqueness, which the loads' MERGE and the findings' lookups need.
SHOW CONSTRAINTS YIELD name
RETURN collect(name) AS names
