"""The service network: agencies and staff linked by handovers and shared users."""

from handover.network.build import *  # noqa: F401,F403
from handover.network.build import __all__ as _build_all

__all__ = list(_build_all)
