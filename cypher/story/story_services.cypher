// name: story_services
// mode: read
// params: service_ids
// The services $service_ids (those a user's episodes and contacts name), with their agency.
MATCH (a:Agency)-[:PROVIDES]->(s:Service)
WHERE s.service_id IN $service_ids
RETURN s.service_id AS service_id, a.agency_id AS agency_id, s.name AS name, s.kind AS kind
ORDER BY service_id
