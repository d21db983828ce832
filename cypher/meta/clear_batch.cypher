// name: clear_batch
// mode: write
// params: batch_size
// Delete up to $batch_size nodes of any label with their relationships (one batch of
// clearing a whole database; run until it returns 0). For tests and a fresh start.
MATCH (n)
WITH n LIMIT $batch_size
DETACH DELETE n
RETURN count(*) AS deleted
