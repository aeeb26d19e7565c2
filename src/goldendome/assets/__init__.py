"""Prioritized defended locations: value scoring (countervalue, second strike,
infrastructure) and battery siting (maximal covering under a budget, MILP)."""

from .siting import BatteryType, Siting, brute_force, coverage, footprint_radius_m, site
from .value import CATEGORIES, DEFAULT_WEIGHTS, Locations, Ranked, normalise_weights, rank, scores

__all__ = ["BatteryType", "CATEGORIES", "DEFAULT_WEIGHTS", "Locations", "Ranked", "Siting", "brute_force",
           "coverage", "footprint_radius_m", "normalise_weights", "rank", "scores", "site"]
