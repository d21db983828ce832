// name: story_agencies
// mode: read
// params: agency_ids
// The agencies $agency_ids (those a user's rows name), as the agencies table has them.
MATCH (a:Agency)
WHERE a.agency_id IN $agency_ids
RETURN a.agency_id AS agency_id, a.name AS name, a.kind AS kind, a.level AS level,
       a.municipality AS municipality
ORDER BY agency_id
