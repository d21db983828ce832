// name: clear_label
// mode: write
// params: label, batch_size
// Delete every node with label $label and its relationships, committing every $batch_size
// nodes (CALL ... IN TRANSACTIONS: run it in an auto-commit transaction). How a bulk load
// clears a database before loading: label by label, leaves (contacts, episodes, plans) before
// the nodes they hang from, so that no batch has to detach an agency with a million links.
// $label is one of the model's labels, chosen by the loader, never taken from input.
MATCH (n:$($label))
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF $batch_size ROWS
