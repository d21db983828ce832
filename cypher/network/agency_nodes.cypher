// name: agency_nodes
// mode: read
// params:
// Every agency with what a network's nodes show of it, in id order.
MATCH (a:Agency)
RETURN a.agency_id AS agency_id, a.name AS name, a.kind AS kind, a.level AS level,
       a.municipality AS municipality
ORDER BY agency_id
