"""The service network: agencies and staff linked by handovers and shared users.

:mod:`~handover.network.build` makes the three networks, :mod:`~handover.network.time`
slices them by day, period and month, :mod:`~handover.network.metrics` measures them and
:mod:`~handover.network.caseload` counts caseloads on a day.
"""

from handover.network.build import (
    DEFAULT_SEED, EDGE_COLUMNS, edges_frame, handover_flows, handover_of_work, shared_users, user_agencies,
    without_isolated,
)
from handover.network.caseload import caseload
from handover.network.metrics import agency_metrics, care_density

__all__ = [
    "EDGE_COLUMNS", "DEFAULT_SEED", "handover_flows", "shared_users", "handover_of_work", "edges_frame",
    "user_agencies", "agency_metrics", "care_density", "caseload", "without_isolated",
]
