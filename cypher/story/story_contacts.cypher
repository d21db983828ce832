// name: story_contacts
// mode: read
// params: user_ids
// The contacts of the users $user_ids, as the contacts table has them.
MATCH (u:ServiceUser)-[:HAD_CONTACT]->(c:Contact)-[:WITH]->(a:Agency)
WHERE u.user_id IN $user_ids
RETURN c.contact_id AS contact_id, u.user_id AS user_id, a.agency_id AS agency_id, c.date AS date,
       c.kind AS kind, c.service_id AS service_id, c.staff_id AS staff_id
ORDER BY user_id, contact_id
