"""handover: graph-based responsibility and handover analysis for health and social services.

Reads a dataset folder (docs/data.md), and finds where responsibility breaks:
handovers without a coordinator, caseworker turnover, parallel plans and more,
on an in-memory engine (pandas + networkx) or on Neo4j.
"""

__version__ = "0.1.0"
