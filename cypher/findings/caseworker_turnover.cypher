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
// The changes are the HANDED_OVER_TO relationships written at load (load/handed_over.cypher:
// per user and role, the responsibilities in (start, staff_id) order, each consecutive pair
// held by different staff, dated at the later start), a seek of the index handed_over_to_date.
// Those dated by $as_of are exactly the changes among the responsibilities started by then,
// since a change's pair starts no later than its date. Their givers and takers are all the
// staff of the user and role by then: with two or more staff in the sequence, each run of one
// staff member borders another's, so every staff member is in a change.
MATCH (giver:Staff)-[h:HANDED_OVER_TO]->(taker:Staff)
WHERE h.date <= $as_of AND h.role IN $roles
WITH h.user_id AS user_id, h.role AS role,
     collect(CASE WHEN ($since IS NULL OR h.date >= $since) AND ($until IS NULL OR h.date <= $until)
                  THEN h.date END) AS changes,
     collect(DISTINCT giver) AS givers, collect(DISTINCT taker) AS takers
// The busiest window of each user and role: the most changes, then the earliest start (a
// reduce over its few changes, not one sort of every change).
WITH user_id, role, size(givers) + size([t IN takers WHERE NOT t IN givers]) AS distinct_staff,
     [c IN changes | {start: c, changes: size([x IN changes WHERE x >= c AND x < c + duration({days: $window_days})])}]
       AS windows
WITH user_id, role, distinct_staff,
     reduce(busiest = windows[0], w IN windows |
       CASE WHEN w.changes > busiest.changes OR (w.changes = busiest.changes AND w.start < busiest.start)
            THEN w ELSE busiest END) AS busiest
WHERE busiest.changes >= $min_changes
RETURN user_id,
       role,
       busiest.changes AS changes,
       busiest.start AS window_start,
       busiest.start + duration({days: $window_days}) AS window_end,
       distinct_staff
ORDER BY user_id, role
