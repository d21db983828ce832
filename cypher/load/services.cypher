// name: services
// mode: write
// params: rows
// Load a batch of services.csv rows: (:Agency)-[:PROVIDES]->(:Service). A row whose
// agency is not loaded is not written, so the count returned falls short and the loader
// refuses the whole load.
UNWIND $rows AS row
MATCH (a:Agency {agency_id: row.agency_id})
MERGE (s:Service {service_id: row.service_id})
SET s.name = row.name,
    s.kind = row.kind
// A replaced dataset may have had this service at another agency: unlink that one.
FOREACH (old IN [(other)-[r:PROVIDES]->(s) WHERE other <> a | r] | DELETE old)
MERGE (a)-[:PROVIDES]->(s)
RETURN count(*) AS written
