// name: mark_dataset
// mode: write
// params: marker
// Record what is loaded: one (:HandoverDataset) node with the dataset's fingerprint (sha256
// of its canonical content), source, load time, tables and row counts. Written last, in the
// same transaction as the data.
// A replaced dataset's markers, kept (incomplete) until now, go in the same transaction, so
// that a database is never without a marker while a bulk replace runs (a query would answer
// from an emptied graph).
OPTIONAL MATCH (old:HandoverDataset)
DETACH DELETE old
WITH count(*) AS replaced
CREATE (d:HandoverDataset)
SET d = $marker
RETURN d.fingerprint AS fingerprint
