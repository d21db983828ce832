"""The Neo4j engine: the Cypher queries, the loader, the connection and the project's own server."""

from handover.engines.neo4j.engine import Neo4jEngine

__all__ = ["Neo4jEngine"]
