"""Trajectories: every threat object's ECI state on one time grid, plus its events.

This is what threats/ hands to the sensors, tracking and effectors downstream.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..physics import earth
from .phases import PHASE_NAMES, Phase  # noqa: F401  (PHASE_NAMES: the labels, index = code)


@dataclass(frozen=True)
class Trajectories:
    """States of N objects on a shared time grid.

    t : (T,) s from scenario start
    state : (N, T, 6) ECI position (m) and velocity (m/s), NaN before launch and after end
    phase : (N, T) int8 phase code (:class:`~goldendome.threats.phases.Phase`)
    objects : dict of (N,) arrays: missile (launch index), kind ('rv', 'decoy', 'glider',
        'cruise'), missile_id, t_launch, t_burnout, burnout_speed, burnout_alt, t_deploy,
        t_apogee, apogee_alt, t_reentry, t_end, end ('impact', 'filtered', 'timeout'),
        end_lat, end_lon (rad), aim_lat, aim_lon (rad), miss (m), max_speed (m/s, inertial)
    theta0 : ECI rotation angle at t = 0, rad
    """

    t: np.ndarray
    state: np.ndarray
    phase: np.ndarray
    objects: dict
    theta0: float = 0.0

    @property
    def n(self) -> int:
        return self.state.shape[0]

    def positions_ecef(self) -> np.ndarray:
        """(N, T, 3) Earth-fixed positions, m."""
        return earth.eci_to_ecef(self.state[..., :3], self.t[None, :], self.theta0)
