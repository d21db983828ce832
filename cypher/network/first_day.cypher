// name: first_day
// mode: read
// params: as_of
// The earliest responsibility, plan or episode start or contact date on the snapshot of
// $as_of: where a network's monthly timeline starts (handover.network.time).
CALL () {
  MATCH ()-[r:RESPONSIBLE_FOR]->()
  RETURN r.start AS day
  UNION ALL
  MATCH (p:Plan)
  RETURN p.start AS day
  UNION ALL
  MATCH (e:Episode)
  RETURN e.start AS day
  UNION ALL
  MATCH (c:Contact)
  RETURN c.date AS day
}
WITH day WHERE day <= $as_of
RETURN min(day) AS first_day
