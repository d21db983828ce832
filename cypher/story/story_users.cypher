// name: story_users
// mode: read
// params: user_id, examples
// Whether user $user_id is in the loaded dataset, how many users it has, and the first
// $examples user ids in order: what `handover user` says of an id it does not know.
MATCH (u:ServiceUser)
WITH count(u) AS users
OPTIONAL MATCH (known:ServiceUser {user_id: $user_id})
CALL () {
  MATCH (u:ServiceUser)
  WITH u.user_id AS user_id ORDER BY user_id LIMIT $examples
  RETURN collect(user_id) AS first
}
RETURN known IS NOT NULL AS known, users, first
