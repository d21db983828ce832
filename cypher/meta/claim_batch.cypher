// name: claim_batch
// mode: write
// params: fingerprint, sequence
// The first statement of every bulk-load batch, in the batch's own transaction: the load's
// marker must still be there and incomplete, and have counted $sequence batches before this
// one. Counting this one write-locks it until the batch commits, so a replacing load of another
// client cannot delete it in between. `counted` tells the loader what happened:
// - $sequence: claimed, write the batch;
// - $sequence + 1: this batch has already been committed (the driver retried a transaction
//   whose commit had succeeded but was not acknowledged): write nothing again;
// - null or anything else: another load has replaced this one or begun to: stop.
OPTIONAL MATCH (d:HandoverDataset {fingerprint: $fingerprint})
WHERE d.complete = false AND d.superseded IS NULL
WITH d, coalesce(d.batches, 0) AS counted
FOREACH (claimed IN CASE WHEN d IS NOT NULL AND counted = $sequence THEN [d] ELSE [] END |
  SET claimed.batches = counted + 1)
RETURN CASE WHEN d IS NULL THEN null ELSE counted END AS counted
