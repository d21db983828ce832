"""The project's own local Neo4j: Community 5.26 from Maven Central, on 127.0.0.1 only.

There is no Docker and no Neo4j package on the machines this runs on, but Java 17
and Maven are. :func:`start` resolves ``org.neo4j:neo4j`` with Maven (once), writes
its own ``neo4j.conf`` (Bolt on loopback, HTTP off, auth on with a generated
password) and runs ``org.neo4j.server.CommunityEntryPoint`` in a process group of
its own, returning once a query answers. Everything lives in one state directory
(``$HANDOVER_STATE_DIR`` or ``~/.local/state/handover/neo4j``). POSIX only.

Examples
--------
>>> from handover.engines.neo4j import localserver
>>> info = localserver.start(log=print)       # doctest: +SKIP
>>> info.uri                                   # doctest: +SKIP
'bolt://127.0.0.1:39187'
>>> localserver.stop()                         # doctest: +SKIP
True
"""

from handover.engines.neo4j.localserver.server import ServerInfo, local_credentials, start, status, stop
from handover.engines.neo4j.localserver.state import default_state_dir

__all__ = ["ServerInfo", "default_state_dir", "start", "stop", "status", "local_credentials"]
