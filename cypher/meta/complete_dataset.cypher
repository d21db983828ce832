// name: complete_dataset
// mode: write
// params: fingerprint, loaded_at, load_seconds
// The last step of a bulk load: mark the dataset's (:HandoverDataset) marker, written with
// complete = false before the first batch, as complete, with the load's time and seconds.
// Until then queries refuse to run.
MATCH (d:HandoverDataset {fingerprint: $fingerprint})
SET d.complete = true,
    d.loaded_at = $loaded_at,
    d.load_seconds = $load_seconds
RETURN count(d) AS marked
