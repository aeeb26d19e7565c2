"""The Wright learning curve every cost in goldendome is bought on (one cost model).

Notes
-----
The k-th unit built costs T1 * k^b, b = log2(learning_rate), so each doubling of cumulative
quantity multiplies unit cost by the learning rate (NASA Cost Estimating Handbook v4.0, 2015,
appendix on learning curves; T. P. Wright, J. Aeronaut. Sci. 3, 122 (1936)). A constellation's
lifecycle cost (SBIs: `goldendome sbi cost`) is the architecture model's
(:mod:`goldendome.architecture.cost`), which calls this. Sources:
src/goldendome/catalog/references_sbi.yaml (cbo2025-letter, cbo2026-nmd, nasa-ceh2015).
"""

from __future__ import annotations

import math

import numpy as np


def wright_units_cost(first_unit_usd: float, start: int, n: int, learning_rate: float) -> float:
    """Cost of units start+1 .. start+n on a Wright curve with first-unit cost T1, USD."""
    if n <= 0:
        return 0.0
    k = np.arange(start + 1, start + n + 1, dtype=float)
    return float(first_unit_usd * np.sum(k ** math.log2(learning_rate)))
