// name: server_version
// mode: read
// params:
// The server's kernel version and edition (handover needs Neo4j 5.26 or later).
CALL dbms.components() YIELD name, versions, edition
WHERE name = 'Neo4j Kernel'
RETURN versions[0] AS version, edition
