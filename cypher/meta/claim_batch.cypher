// name: claim_batch
// mode: write
// params: fingerprint
// The first statement of every bulk-load batch, in the batch's own transaction: the load's
// marker must still be there and incomplete. Setting a property write-locks it until the
// batch commits, so a replacing load of another client cannot delete it in between. When
// another load has replaced it or begun to (held = 0), the batch writes nothing and the load stops.
OPTIONAL MATCH (d:HandoverDataset {fingerprint: $fingerprint})
WHERE d.complete = false AND d.superseded IS NULL
SET d.batches = coalesce(d.batches, 0) + 1
RETURN count(d) AS held
