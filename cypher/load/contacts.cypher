// name: contacts
// mode: write
// params: rows
// Load a batch of contacts.csv rows:
// (:ServiceUser)-[:HAD_CONTACT]->(:Contact {contact_id, date, kind})-[:WITH]->(:Agency).
// The optional service_id and staff_id stay properties of the contact; a named service
// must be loaded, and a named staff member becomes a (:Staff) node if not already one.
UNWIND $rows AS row
MATCH (u:ServiceUser {user_id: row.user_id})
MATCH (a:Agency {agency_id: row.agency_id})
WHERE row.service_id IS NULL OR EXISTS { MATCH (:Service {service_id: row.service_id}) }
MERGE (c:Contact {contact_id: row.contact_id})
SET c.date = row.date,
    c.kind = row.kind,
    c.service_id = row.service_id,
    c.staff_id = row.staff_id
// A replaced dataset may have linked this contact to another user or agency: unlink those.
FOREACH (old IN [(other)-[r:HAD_CONTACT]->(c) WHERE other <> u | r] | DELETE old)
FOREACH (old IN [(c)-[r:WITH]->(other) WHERE other <> a | r] | DELETE old)
MERGE (u)-[:HAD_CONTACT]->(c)
MERGE (c)-[:WITH]->(a)
FOREACH (staff_id IN CASE WHEN row.staff_id IS NULL THEN [] ELSE [row.staff_id] END |
  MERGE (:Staff {staff_id: staff_id}))
RETURN count(*) AS written
