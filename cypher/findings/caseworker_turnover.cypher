// name: caseworker_turnover
// mode: read
// params: roles, window_days, min_changes, since, until, as_of
// docs/findings.md §5.2. For user u and each role r in $roles, u's responsibilities of role r ordered by
// (start, staff_id); a change is a consecutive pair whose staff differ, dated at the later
// start. For each change date c, count changes dated in [c, c + window_days); report the
// maximum and the earliest c reaching it when the maximum >= $min_changes. Only changes dated
// $since <= c <= $until count (either may be null).
// On the snapshot of $as_of: nothing dated after it is seen, and an end after it is not known yet.
// distinct_staff: distinct staff of role r for u over all time.
// Per user, in a subquery: each user's few responsibilities are sorted and grouped on their
// own instead of every responsibility in one sort and one grouping (2x faster and a fraction
// of the memory at 100,000 users, PROFILE in bench/results/profiles).
MATCH (u:ServiceUser)
CALL (u) {
  MATCH (s:Staff)-[r:RESPONSIBLE_FOR]->(u)
  WHERE r.role IN $roles AND r.start <= $as_of
  WITH r.role AS role, r.start AS start, s.staff_id AS staff_id
  ORDER BY start, staff_id
  WITH role, collect({start: start, staff_id: staff_id}) AS sequence,
       count(DISTINCT staff_id) AS distinct_staff
  WITH role, distinct_staff,
       [i IN range(1, size(sequence) - 1)
          WHERE sequence[i].staff_id <> sequence[i - 1].staff_id
            AND ($since IS NULL OR sequence[i].start >= $since)
            AND ($until IS NULL OR sequence[i].start <= $until) | sequence[i].start] AS changes
  UNWIND changes AS c
  WITH role, distinct_staff, c,
       size([x IN changes WHERE x >= c AND x < c + duration({days: $window_days})]) AS in_window
  ORDER BY in_window DESC, c
  WITH role, distinct_staff, collect({changes: in_window, start: c})[0] AS busiest
  WHERE busiest.changes >= $min_changes
  RETURN role, distinct_staff, busiest
}
RETURN u.user_id AS user_id,
       role,
       busiest.changes AS changes,
       busiest.start AS window_start,
       busiest.start + duration({days: $window_days}) AS window_end,
       distinct_staff
ORDER BY user_id, role
