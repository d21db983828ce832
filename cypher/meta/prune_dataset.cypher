// name: prune_dataset
// mode: write
// params: agency_ids, service_ids, staff_ids, staff_table_ids, user_ids, plan_ids, episode_ids, contact_ids, responsibility_keys, employment_keys
// The last step of a replacing load: delete what the new dataset does not have. The new
// rows were merged onto the old graph first (ids that both datasets share keep their
// nodes, with every property and link rewritten); this removes the old dataset's
// remaining nodes, responsibilities, employments and its marker, and the profession of
// staff that the new staff table does not list (other tables name staff too). Deleting nodes last
// matters: once a transaction has deleted many nodes, every index lookup in it slows
// down in proportion (measured on 5.26), which made delete-then-load take minutes.
CALL () {
  MATCH ()-[r:RESPONSIBLE_FOR]->()
  WHERE NOT coalesce(r.row_key IN $responsibility_keys, false)
  DELETE r
}
CALL () {
  MATCH ()-[r:EMPLOYED_AT]->()
  WHERE NOT coalesce(r.row_key IN $employment_keys, false)
  DELETE r
}
CALL () {
  MATCH (n:Contact) WHERE NOT coalesce(n.contact_id IN $contact_ids, false) DETACH DELETE n
}
CALL () {
  MATCH (n:Episode) WHERE NOT coalesce(n.episode_id IN $episode_ids, false) DETACH DELETE n
}
CALL () {
  MATCH (n:Plan) WHERE NOT coalesce(n.plan_id IN $plan_ids, false) DETACH DELETE n
}
CALL () {
  MATCH (n:ServiceUser) WHERE NOT coalesce(n.user_id IN $user_ids, false) DETACH DELETE n
}
CALL () {
  MATCH (n:Staff) WHERE NOT coalesce(n.staff_id IN $staff_ids, false) DETACH DELETE n
}
CALL () {
  MATCH (n:Staff) WHERE NOT coalesce(n.staff_id IN $staff_table_ids, false) REMOVE n.profession
}
CALL () {
  MATCH (n:Service) WHERE NOT coalesce(n.service_id IN $service_ids, false) DETACH DELETE n
}
CALL () {
  MATCH (n:Agency) WHERE NOT coalesce(n.agency_id IN $agency_ids, false) DETACH DELETE n
}
CALL () {
  MATCH (n:HandoverDataset) DETACH DELETE n
}
FINISH
