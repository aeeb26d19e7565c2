"""Numbers as the JSON outputs show them."""

from __future__ import annotations

import math


def rounded(x, nd: int = 4):
    """``x`` as a float rounded to ``nd`` decimals, or None when it is NaN or infinite (JSON has neither)."""
    x = float(x)
    return round(x, nd) if math.isfinite(x) else None
