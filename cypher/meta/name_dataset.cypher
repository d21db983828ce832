// name: name_dataset
// mode: write
// params: pending, fingerprint
// `handover load --import` imports the dataset marker before the dataset's fingerprint is known
// (it is computed while neo4j-admin runs) under a name of its own, $pending, with complete =
// false; once the server runs on the imported store this gives it its fingerprint. Returns
// how many markers were named (1).
MATCH (d:HandoverDataset {fingerprint: $pending})
SET d.fingerprint = $fingerprint
RETURN count(d) AS named
