// name: dataset_state
// mode: read
// params:
// What the database holds: the (:HandoverDataset) markers of loaded datasets (at most one
// after a successful load) and whether any node of the handover model exists at all (a
// database loaded by something else has model nodes but no marker). A marker's complete is
// false while a bulk load runs, and stays false when one stopped half-way; markers written
// before bulk loads existed have none, and count as complete. A focused dataset's marker
// (--agency) holds its agencies (focus) and the whole dataset's latest date; holds_identifiers
// is true when it was loaded with --allow-identifiers and has national-id-like ids; load_seconds
// is how long its load took, latest_date the dataset's latest date (the default as_of),
// derived the relationships the load derived (NEXT_EPISODE, HANDED_OVER_TO); absent from markers
// of loads by older versions, whose graphs lack them. rows are the rows of each of tables.
OPTIONAL MATCH (d:HandoverDataset)
WITH d ORDER BY d.loaded_at
WITH collect(d {.fingerprint, .source, .tables, .rows, .loaded_at, .focus, .whole_latest_date, .holds_identifiers,
                .load_seconds, .latest_date, .derived, .handover_version,
                complete: coalesce(d.complete, true)}) AS markers
RETURN markers,
       EXISTS { MATCH (n:Agency|Service|Staff|ServiceUser|Plan|Episode|Contact) } AS has_data
