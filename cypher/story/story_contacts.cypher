// name: story_contacts
// mode: read
// params: user_id
// The contacts of user $user_id, as the contacts table has them.
MATCH (:ServiceUser {user_id: $user_id})-[:HAD_CONTACT]->(c:Contact)-[:WITH]->(a:Agency)
RETURN c.contact_id AS contact_id, $user_id AS user_id, a.agency_id AS agency_id, c.date AS date,
       c.kind AS kind, c.service_id AS service_id, c.staff_id AS staff_id
ORDER BY contact_id
