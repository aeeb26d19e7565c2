"""Reference architectures as cost elements: lifecycle cost by fiscal year and the fielding roadmap.

:mod:`.cost` prices a list of :class:`~.cost.Element` on a delivery schedule (years x elements x
categories); :mod:`.roadmap` makes that schedule from production rates and, optionally, an annual
budget. Both take plain dataclasses and arrays; the catalog is read in ``scenario/costing.py``.
"""

from .cost import CATEGORIES, CostParams, Element, cost_array, then_year_factors, wright_unit_cost
from .roadmap import Schedule, as_fielded, schedule

__all__ = ["CATEGORIES", "CostParams", "Element", "Schedule", "as_fielded", "cost_array", "schedule",
           "then_year_factors", "wright_unit_cost"]
