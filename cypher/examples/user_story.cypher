// name: user_story
// mode: read
// params: user_id
// Everything recorded of user $user_id in time order: episodes (at which agency, which kind
// of service), plans (kind, holder) and responsibilities (role, staff member).
MATCH (u:ServiceUser {user_id: $user_id})
CALL (u) {
  MATCH (u)-[:HAD_EPISODE]->(e:Episode)-[:AT]->(s:Service)<-[:PROVIDES]-(a:Agency)
  RETURN 'episode' AS kind, e.episode_id AS id, a.agency_id AS agency_id, s.kind AS what,
         e.start AS start, e.end AS end
  UNION ALL
  MATCH (u)-[:HAS_PLAN]->(p:Plan)-[:HELD_BY]->(a:Agency)
  RETURN 'plan' AS kind, p.plan_id AS id, a.agency_id AS agency_id, p.kind AS what,
         p.start AS start, p.end AS end
  UNION ALL
  MATCH (st:Staff)-[r:RESPONSIBLE_FOR]->(u)
  RETURN 'responsibility' AS kind, st.staff_id AS id, r.agency_id AS agency_id, r.role AS what,
         r.start AS start, r.end AS end
}
RETURN kind, id, agency_id, what, start, end
ORDER BY start, kind, id
