// name: continuity_of_care
// mode: read
// params: provider, since, until, as_of
// docs/findings.md §5.7. Over each user's contacts with $since <= date <= $until (either may be null),
// ordered by (date, contact_id), the provider being the contact's agency ($provider =
// 'agency') or its staff_id ($provider = 'staff', contacts without staff left out): N
// contacts, n_i with provider i, S = sum n_i^2. upc = max n_i / N; coc = (S - N) / (N (N - 1))
// (Bice-Boxerman); secon = share of the N - 1 consecutive pairs with the same provider;
// hhi = S / N^2. coc and secon are null when N < 2. One row per user with a counted contact.
// Contacts dated after $as_of are not seen (the snapshot of $as_of).
// Each index is a fraction p / q of integers, rounded half up to 4 decimals in integer
// arithmetic, (20000 p + q) / (2 q) / 10000.0, exactly as the in-memory engine does: Neo4j's
// round() rounds decimal halves up while pandas rounds binary halves to even.
// Per user, in a subquery: sorting each user's few contacts is much cheaper than one sort of
// every contact in the database followed by grouping (2.6x faster at 100,000 users, PROFILE
// in bench/results/profiles). An agency is compared as the node itself (one per agency_id),
// which spares reading its id for each of millions of contacts; WITH leads only to agencies
// (load/contacts.cypher), so the label is not checked either.
MATCH (u:ServiceUser)
CALL (u) {
  MATCH (u)-[:HAD_CONTACT]->(c:Contact)-[:WITH]->(a)
  WHERE c.date <= $as_of
    AND ($since IS NULL OR c.date >= $since)
    AND ($until IS NULL OR c.date <= $until)
  WITH c, CASE $provider WHEN 'staff' THEN c.staff_id ELSE a END AS provider
  WHERE provider IS NOT NULL
  WITH provider, c.date AS date, c.contact_id AS contact_id
  ORDER BY date, contact_id
  RETURN collect(provider) AS sequence
}
WITH u, sequence WHERE size(sequence) > 0
CALL (sequence) {
  UNWIND sequence AS provider
  WITH provider, count(*) AS n_i
  RETURN count(provider) AS providers, max(n_i) AS top, sum(n_i * n_i) AS squares
}
WITH u, size(sequence) AS n, providers, top, squares,
     size([i IN range(1, size(sequence) - 1) WHERE sequence[i] = sequence[i - 1]]) AS same
RETURN u.user_id AS user_id,
       n AS contacts,
       providers,
       toFloat((20000 * top + n) / (2 * n)) / 10000.0 AS upc,
       CASE WHEN n < 2 THEN null
            ELSE toFloat((20000 * (squares - n) + n * (n - 1)) / (2 * n * (n - 1))) / 10000.0 END AS coc,
       CASE WHEN n < 2 THEN null
            ELSE toFloat((20000 * same + n - 1) / (2 * (n - 1))) / 10000.0 END AS secon,
       toFloat((20000 * squares + n * n) / (2 * n * n)) / 10000.0 AS hhi
ORDER BY user_id
