// name: agency_names
// mode: read
// params:
// Every agency's id and name (null when the agencies table had no name), for pages
// that show agencies by name, such as the transition audit.
MATCH (a:Agency)
RETURN a.agency_id AS agency_id, a.name AS name
ORDER BY agency_id
