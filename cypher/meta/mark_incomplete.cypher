// name: mark_incomplete
// mode: write
// params:
// The first step of clearing a dataset in committed batches: mark every (:HandoverDataset)
// marker incomplete, so that a clear that stops half-way leaves a database that queries
// refuse, never half of the old dataset under a marker that calls it complete. A bulk load
// still writing behind one of these markers sees `superseded` and stops (meta/claim_batch).
MATCH (d:HandoverDataset)
SET d.complete = false,
    d.superseded = true
RETURN count(d) AS marked
