// name: discharge_follow_up
// mode: read
// params: follow_up_by, max_days, stay_kinds, since, until, as_of
// docs/findings.md §5.4. Index discharges: episodes with an end at a stay service (kind in $stay_kinds),
// discharge_kind not death, $since <= end <= $until; a stay followed by another stay of the
// user starting in [end, end + 1 day] is not an index discharge (a chain counts once, last).
// For each, on discharge day d from agency A: the coordinator active on d (smallest
// staff_id); the first contact or episode start of the user in [d + 1, d + $max_days] with
// an agency of level municipal ($follow_up_by 'municipal'), other than A ('other-agency')
// or any ('any'); follow-up within 7 / 30 days; another stay starting in [d + 2, d + 30].
// On the snapshot of $as_of: nothing dated after it is seen, and an end after it is not known yet.
// The ended episodes are a seek of the index episode_end; the follow-ups are filtered on their
// dates before their agencies are looked up; end_key (the end, or 9999-12-31 when open;
// written with the rows) > d is "end absent or after d".
MATCH (e:Episode)
WHERE e.end <= $as_of
MATCH (u:ServiceUser)-[:HAD_EPISODE]->(e)-[:AT]->(stay:Service)<-[:PROVIDES]-(discharging:Agency)
WHERE stay.kind IN $stay_kinds
  AND coalesce(e.discharge_kind, '') <> 'death'
  AND ($since IS NULL OR e.end >= $since)
  AND ($until IS NULL OR e.end <= $until)
  AND NOT EXISTS {
    MATCH (u)-[:HAD_EPISODE]->(next:Episode)-[:AT]->(next_service:Service)
    WHERE next <> e AND next_service.kind IN $stay_kinds
      AND next.start >= e.end AND next.start <= e.end + duration({days: 1}) AND next.start <= $as_of
  }
WITH u, e, discharging, e.end AS d,
     e.end + duration({days: 1}) AS first_day, e.end + duration({days: $max_days}) AS last_day
CALL (u, d) {
  OPTIONAL MATCH (staff:Staff)-[r:RESPONSIBLE_FOR]->(u)
  WHERE r.role = 'coordinator' AND r.start <= d AND r.end_key > d
  RETURN min(staff.staff_id) AS coordinator_staff_id
}
CALL (u, first_day, last_day, discharging) {
  CALL (u, first_day, last_day) {
    MATCH (u)-[:HAD_CONTACT]->(contact:Contact)
    WHERE contact.date <= $as_of AND contact.date >= first_day AND contact.date <= last_day
    MATCH (contact)-[:WITH]->(by:Agency)
    RETURN contact.date AS date, by
    UNION ALL
    MATCH (u)-[:HAD_EPISODE]->(started:Episode)
    WHERE started.start <= $as_of AND started.start >= first_day AND started.start <= last_day
    MATCH (started)-[:AT]->(:Service)<-[:PROVIDES]-(by:Agency)
    RETURN started.start AS date, by
  }
  WITH date, by
  WHERE CASE $follow_up_by
          WHEN 'municipal' THEN by.level = 'municipal'
          WHEN 'other-agency' THEN by <> discharging
          ELSE true
        END
  RETURN min(date) AS first_follow_up_date
}
WITH u, e, discharging, d, coordinator_staff_id, first_follow_up_date,
     CASE WHEN first_follow_up_date IS NULL THEN null
          ELSE duration.inDays(d, first_follow_up_date).days END AS days_to_follow_up,
     EXISTS {
       MATCH (u)-[:HAD_EPISODE]->(again:Episode)-[:AT]->(again_service:Service)
       WHERE again <> e AND again_service.kind IN $stay_kinds
         AND again.start >= d + duration({days: 2}) AND again.start <= d + duration({days: 30})
         AND again.start <= $as_of
     } AS readmitted_30d
RETURN u.user_id AS user_id,
       e.episode_id AS episode_id,
       discharging.agency_id AS agency_id,
       d AS discharge_date,
       e.discharge_kind AS discharge_kind,
       coordinator_staff_id,
       first_follow_up_date,
       days_to_follow_up,
       coalesce(days_to_follow_up <= 7, false) AS follow_up_7d,
       coalesce(days_to_follow_up <= 30, false) AS follow_up_30d,
       readmitted_30d
ORDER BY user_id, discharge_date, episode_id
