// name: schema
// mode: schema
// params:
// docs/findings.md §4. A uniqueness constraint on every id (each also gives the MERGE on that id an
// index). Community edition offers only uniqueness constraints; existence and key
// constraints are Enterprise. Statements are separated by `;` and run one by one;
// IF NOT EXISTS makes the file safe to run before every load.
// After the constraints, range indexes on the dates and kinds the findings and populations
// filter on, so that their plans start from an index seek (bench/results/profiles). An index
// holds no entry for an absent property, so open ends are indexed through end_key (the end,
// or 9999-12-31 when absent; written with the rows), not through `end`.
CREATE CONSTRAINT agency_id IF NOT EXISTS FOR (n:Agency) REQUIRE n.agency_id IS UNIQUE;
CREATE CONSTRAINT service_id IF NOT EXISTS FOR (n:Service) REQUIRE n.service_id IS UNIQUE;
CREATE CONSTRAINT staff_id IF NOT EXISTS FOR (n:Staff) REQUIRE n.staff_id IS UNIQUE;
CREATE CONSTRAINT user_id IF NOT EXISTS FOR (n:ServiceUser) REQUIRE n.user_id IS UNIQUE;
CREATE CONSTRAINT plan_id IF NOT EXISTS FOR (n:Plan) REQUIRE n.plan_id IS UNIQUE;
CREATE CONSTRAINT episode_id IF NOT EXISTS FOR (n:Episode) REQUIRE n.episode_id IS UNIQUE;
CREATE CONSTRAINT contact_id IF NOT EXISTS FOR (n:Contact) REQUIRE n.contact_id IS UNIQUE;
CREATE CONSTRAINT dataset_fingerprint IF NOT EXISTS FOR (n:HandoverDataset) REQUIRE n.fingerprint IS UNIQUE;
CREATE RANGE INDEX responsible_for_end_key IF NOT EXISTS FOR ()-[r:RESPONSIBLE_FOR]-() ON (r.end_key);
CREATE RANGE INDEX handed_over_to_date IF NOT EXISTS FOR ()-[h:HANDED_OVER_TO]-() ON (h.date);
CREATE RANGE INDEX next_episode_gap_days IF NOT EXISTS FOR ()-[n:NEXT_EPISODE]-() ON (n.gap_days);
CREATE RANGE INDEX plan_kind_end_key IF NOT EXISTS FOR (n:Plan) ON (n.kind, n.end_key);
CREATE RANGE INDEX plan_start IF NOT EXISTS FOR (n:Plan) ON (n.start);
CREATE RANGE INDEX episode_end IF NOT EXISTS FOR (n:Episode) ON (n.end);
CREATE RANGE INDEX episode_end_key IF NOT EXISTS FOR (n:Episode) ON (n.end_key);
// The range indexes fill in the background, which takes a while over an imported graph: a load
// completes once every index is online, so that no query meets one still filling (a query's
// index hint would fail). An hour is far more than a national graph takes.
CALL db.awaitIndexes(3600);
