"""Space layer: satellite orbits, constellations and fast analytic propagation."""

from .orbits import Orbits, circular, from_satrec, geo, molniya_like, satrec_gravity, to_satrecs, walker_delta
from .propagate import (GRAVITY, GRAVITY_SGP4_WGS84, Gravity, propagate, propagate_into,
                        propagate_state, secular_rates)

__all__ = ["Orbits", "circular", "from_satrec", "geo", "molniya_like", "satrec_gravity", "to_satrecs",
           "walker_delta", "GRAVITY", "GRAVITY_SGP4_WGS84", "Gravity", "propagate",
           "propagate_into", "propagate_state", "secular_rates"]
