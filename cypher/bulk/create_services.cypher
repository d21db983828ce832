// name: create_services
// mode: write
// params: rows
// A bulk load's batch of services.csv rows (the graph of cypher/load/services.cypher):
// (:Agency)-[:PROVIDES]->(:Service). A row whose agency is not loaded writes nothing.
UNWIND $rows AS row
MATCH (a:Agency {agency_id: row.agency_id})
CREATE (a)-[:PROVIDES]->(:Service {service_id: row.service_id, name: row.name, kind: row.kind})
RETURN count(*) AS written
