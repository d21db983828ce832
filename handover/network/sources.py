"""Where the networks come from: a dataset in memory, or (``engines.neo4j.networks``) a Neo4j server.

The network outputs (:mod:`handover.reports.networks`) ask a *network source* for what
they draw, so that ``handover network`` and ``handover metrics`` give the same files on
either engine. A source answers:

- ``network(kind, since=, until=, roles=, window_days=, by_agency=)``: one network over a
  period (:func:`handover.network.time.network_in_period`);
- ``monthly(kind, ...)``: one per calendar month (:func:`handover.network.time.monthly_networks`);
- ``add_spells(graph)``: the days each node and edge is active, for GEXF;
- ``user_agencies(since, until)``: the ``user_id, agency_id`` pairs of a period, for care density.

:class:`DatasetNetworks` answers from the tables with pandas; the Neo4j engine's source
answers with Cypher aggregations (``cypher/network/``) and builds the same graphs from
the edge lists that come back, with the same functions (``flows_graph``, ``shared_graph``,
``work_graph``, ``work_by_agency_graph``).
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

from handover.model import Dataset
from handover.network.build import user_agencies
from handover.network.time import add_spells, monthly_networks, network_in_period

__all__ = ["DatasetNetworks", "networks_of"]


class DatasetNetworks:
    """The networks of a dataset held in memory.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> source = DatasetNetworks(tiny_dataset())
    >>> list(source.network("handover-flows").edges)
    [('a2', 'a1')]
    """

    def __init__(self, dataset: Dataset):
        self.dataset = dataset

    def network(self, kind: str, *, since=None, until=None, roles=None, window_days: int = 30,
                by_agency: bool = False) -> nx.Graph:
        return network_in_period(kind, self.dataset, since=since, until=until, roles=roles,
                                 window_days=window_days, by_agency=by_agency)

    def monthly(self, kind: str, *, since=None, until=None, roles=None, window_days: int = 30,
                by_agency: bool = False) -> list:
        return monthly_networks(kind, self.dataset, since=since, until=until, roles=roles,
                                window_days=window_days, by_agency=by_agency)

    def add_spells(self, graph: nx.Graph) -> nx.Graph:
        return add_spells(graph, self.dataset)

    def user_agencies(self, since=None, until=None) -> pd.DataFrame:
        return user_agencies(self.dataset, since=since, until=until)


def networks_of(source) -> DatasetNetworks:
    """``source`` as a network source: a :class:`~handover.model.Dataset` is wrapped, a source kept.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> type(networks_of(tiny_dataset())).__name__
    'DatasetNetworks'
    """
    return DatasetNetworks(source) if isinstance(source, Dataset) else source
