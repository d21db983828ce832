// name: create_contacts
// mode: write
// params: rows
// A bulk load's batch of contacts.csv rows (the graph of cypher/load/contacts.cypher):
// (:ServiceUser)-[:HAD_CONTACT]->(:Contact)-[:WITH]->(:Agency); a named service must be
// loaded, and a named staff member is a (:Staff) node already (bulk/staff.cypher).
UNWIND $rows AS row
MATCH (u:ServiceUser {user_id: row.user_id})
MATCH (a:Agency {agency_id: row.agency_id})
WHERE row.service_id IS NULL OR EXISTS { MATCH (:Service {service_id: row.service_id}) }
CREATE (u)-[:HAD_CONTACT]->(:Contact {contact_id: row.contact_id, date: row.date, kind: row.kind,
                                      service_id: row.service_id, staff_id: row.staff_id})-[:WITH]->(a)
RETURN count(*) AS written
