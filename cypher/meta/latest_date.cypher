// name: latest_date
// mode: read
// params:
// The latest date anywhere in the loaded dataset (the default as_of, docs/data.md): the
// maximum over employment, responsibility, plan and episode starts and ends, plans'
// last_revised, and contact dates. Null when the dataset has no dates.
CALL () {
  MATCH ()-[r:RESPONSIBLE_FOR|EMPLOYED_AT]->()
  UNWIND [r.start, r.end] AS day
  RETURN day
  UNION ALL
  MATCH (p:Plan)
  UNWIND [p.start, p.end, p.last_revised] AS day
  RETURN day
  UNION ALL
  MATCH (e:Episode)
  UNWIND [e.start, e.end] AS day
  RETURN day
  UNION ALL
  MATCH (c:Contact)
  RETURN c.date AS day
}
RETURN max(day) AS latest_date
