// name: latest_date_on
// mode: read
// params: as_of
// The latest date of the dataset as it stood on $as_of (docs/findings.md, "as of"): as
// meta/latest_date, over the rows that had started by $as_of and the dates not after it.
// The timeline of `handover network --as-of DAY --timeline` ends in its month.
CALL () {
  MATCH ()-[r:RESPONSIBLE_FOR|EMPLOYED_AT]->()
  WHERE r.start <= $as_of
  UNWIND [r.start, r.end] AS day
  RETURN day
  UNION ALL
  MATCH (p:Plan)
  WHERE p.start <= $as_of
  UNWIND [p.start, p.end, p.last_revised] AS day
  RETURN day
  UNION ALL
  MATCH (e:Episode)
  WHERE e.start <= $as_of
  UNWIND [e.start, e.end] AS day
  RETURN day
  UNION ALL
  MATCH (c:Contact)
  RETURN c.date AS day
}
WITH day WHERE day <= $as_of
RETURN max(day) AS latest_date
