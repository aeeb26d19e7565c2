"""Engine: seeded Monte Carlo of the engagement (montecarlo.py) and its metrics (metrics.py)."""

from goldendome.engine.montecarlo import Outcomes, simulate

__all__ = ["Outcomes", "simulate"]
