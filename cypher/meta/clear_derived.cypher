// name: clear_derived
// mode: write
// params:
// Delete the relationships a load derives from the tables (NEXT_EPISODE, HANDED_OVER_TO), in
// the load's transaction, before they are derived again from what the load wrote.
MATCH ()-[d:NEXT_EPISODE|HANDED_OVER_TO]->()
DELETE d
RETURN count(d) AS deleted
