// name: schema
// mode: schema
// params:
// docs/findings.md §4. A uniqueness constraint on every id (each also gives the MERGE on that id an
// index). Community edition offers only uniqueness constraints; existence and key
// constraints are Enterprise. Statements are separated by `;` and run one by one;
// IF NOT EXISTS makes the file safe to run before every load.
CREATE CONSTRAINT agency_id IF NOT EXISTS FOR (n:Agency) REQUIRE n.agency_id IS UNIQUE;
CREATE CONSTRAINT service_id IF NOT EXISTS FOR (n:Service) REQUIRE n.service_id IS UNIQUE;
CREATE CONSTRAINT staff_id IF NOT EXISTS FOR (n:Staff) REQUIRE n.staff_id IS UNIQUE;
CREATE CONSTRAINT user_id IF NOT EXISTS FOR (n:ServiceUser) REQUIRE n.user_id IS UNIQUE;
CREATE CONSTRAINT plan_id IF NOT EXISTS FOR (n:Plan) REQUIRE n.plan_id IS UNIQUE;
CREATE CONSTRAINT episode_id IF NOT EXISTS FOR (n:Episode) REQUIRE n.episode_id IS UNIQUE;
CREATE CONSTRAINT contact_id IF NOT EXISTS FOR (n:Contact) REQUIRE n.contact_id IS UNIQUE;
CREATE CONSTRAINT dataset_fingerprint IF NOT EXISTS FOR (n:HandoverDataset) REQUIRE n.fingerprint IS UNIQUE;
