// name: graph_counts
// mode: read
// params:
// How many nodes of each label and relationships of each type of the handover model
// (docs/findings.md §4) the database holds, one row each, the derived handover relationships
// (docs/graph.md) last; zero counts included.
UNWIND [
  ['node', 'Agency', COUNT { (:Agency) }],
  ['node', 'Service', COUNT { (:Service) }],
  ['node', 'Staff', COUNT { (:Staff) }],
  ['node', 'ServiceUser', COUNT { (:ServiceUser) }],
  ['node', 'Plan', COUNT { (:Plan) }],
  ['node', 'Episode', COUNT { (:Episode) }],
  ['node', 'Contact', COUNT { (:Contact) }],
  ['node', 'HandoverDataset', COUNT { (:HandoverDataset) }],
  ['relationship', 'PROVIDES', COUNT { ()-[:PROVIDES]->() }],
  ['relationship', 'EMPLOYED_AT', COUNT { ()-[:EMPLOYED_AT]->() }],
  ['relationship', 'RESPONSIBLE_FOR', COUNT { ()-[:RESPONSIBLE_FOR]->() }],
  ['relationship', 'HAS_PLAN', COUNT { ()-[:HAS_PLAN]->() }],
  ['relationship', 'HELD_BY', COUNT { ()-[:HELD_BY]->() }],
  ['relationship', 'HAD_EPISODE', COUNT { ()-[:HAD_EPISODE]->() }],
  ['relationship', 'AT', COUNT { ()-[:AT]->() }],
  ['relationship', 'HAD_CONTACT', COUNT { ()-[:HAD_CONTACT]->() }],
  ['relationship', 'WITH', COUNT { ()-[:WITH]->() }],
  ['relationship', 'NEXT_EPISODE', COUNT { ()-[:NEXT_EPISODE]->() }],
  ['relationship', 'HANDED_OVER_TO', COUNT { ()-[:HANDED_OVER_TO]->() }]
] AS entry
RETURN entry[0] AS kind, entry[1] AS name, entry[2] AS count
