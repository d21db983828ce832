"""Engines that run findings: in memory (pandas + networkx) or on Neo4j."""

from handover.engines.base import Engine
from handover.engines.memory import MemoryEngine

__all__ = ["Engine", "MemoryEngine"]
