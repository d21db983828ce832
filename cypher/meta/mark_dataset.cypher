// name: mark_dataset
// mode: write
// params: marker
// Record what is loaded: one (:HandoverDataset) node with the dataset's fingerprint (sha256
// of its canonical content), source, load time, tables and row counts. Written last, in the
// same transaction as the data.
CREATE (d:HandoverDataset)
SET d = $marker
RETURN d.fingerprint AS fingerprint
