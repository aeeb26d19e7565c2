"""Aerodynamic forces on threat bodies: boosters, ballistic bodies and gliders.

All functions are vectorized over objects: positions and velocities (N, 3), scalars (N,).
"""

from __future__ import annotations

import numpy as np

from ..physics import atmosphere
from ..physics.constants import OMEGA_EARTH

# Zero-lift drag coefficient of a slender missile body vs Mach number (V-2 wind-tunnel
# data, approximately digitized from Sutton & Biblarz, Rocket Propulsion Elements, 9th ed.,
# Fig. 4-2). Boost drag losses are a few percent of delta-v, so this shape matters little.
_CD_MACH = np.array([0.0, 0.6, 0.8, 1.0, 1.2, 1.5, 2.0, 3.0, 4.0, 5.0, 10.0])
_CD_BODY = np.array([0.16, 0.16, 0.18, 0.36, 0.40, 0.36, 0.30, 0.23, 0.20, 0.18, 0.16])

_OMEGA = np.array([0.0, 0.0, OMEGA_EARTH])  # rad/s, Earth rotation vector in ECI


def air_velocity(r, v):
    """Velocity relative to the co-rotating atmosphere, (N, 3) m/s: v - omega x r."""
    return v - np.cross(_OMEGA, r)


def body_cd(mach):
    """Drag coefficient of a missile body at Mach number ``mach`` (N,)."""
    return np.interp(mach, _CD_MACH, _CD_BODY)


def dynamic_pressure(alt, speed):
    """Dynamic pressure 0.5 rho v^2, Pa, from altitude (m) and air speed (m/s)."""
    return 0.5 * atmosphere.density(alt) * speed**2


def booster_drag(alt, v_air, mass, area):
    """Drag acceleration (N, 3) of a booster stack of reference ``area`` (m^2) and ``mass`` (kg)."""
    speed = np.linalg.norm(v_air, axis=-1)
    mach = speed / atmosphere.speed_of_sound(alt)
    q = dynamic_pressure(alt, speed)
    scale = q * body_cd(mach) * area / (mass * np.maximum(speed, 1e-9))
    return -scale[:, None] * v_air


def ballistic_drag(alt, v_air, beta):
    """Drag acceleration (N, 3) of a body with ballistic coefficient ``beta`` (kg/m^2).

    Notes
    -----
    a = -q / beta along the air velocity; beta = m / (Cd A) held at its hypersonic value
    (Regan & Anandakrishnan, Dynamics of Atmospheric Re-Entry, AIAA 1993, ch. 4).
    """
    speed = np.linalg.norm(v_air, axis=-1)
    scale = dynamic_pressure(alt, speed) / (beta * np.maximum(speed, 1e-9))
    return -scale[:, None] * v_air


def glider_forces(alt, v_air, lift_cmd, mass, area, cd0, k_ind, cl_max):
    """Lift and drag acceleration (N, 3) of a glider flying a commanded lift acceleration.

    Parameters
    ----------
    lift_cmd : (N, 3) wanted lift acceleration, m/s^2, normal to the air velocity; it is
        limited to what cl_max gives at the local dynamic pressure.

    Notes
    -----
    Parabolic drag polar CD = CD0 + K CL^2 (Anderson, Introduction to Flight, sec. 6.1);
    the lift coefficient is the one the commanded lift needs.
    """
    speed = np.linalg.norm(v_air, axis=-1)
    q = dynamic_pressure(alt, speed)
    qs_m = q * area / mass
    a_lift_max = qs_m * cl_max
    a_cmd = np.linalg.norm(lift_cmd, axis=-1)
    shrink = np.where(a_cmd > a_lift_max, a_lift_max / np.maximum(a_cmd, 1e-12), 1.0)
    lift = lift_cmd * shrink[:, None]
    cl = np.where(qs_m > 0, np.minimum(a_cmd, a_lift_max) / np.maximum(qs_m, 1e-300), 0.0)
    drag_mag = qs_m * (cd0 + k_ind * cl**2)
    drag = -(drag_mag / np.maximum(speed, 1e-9))[:, None] * v_air
    return lift + drag


def max_lift_accel(alt, speed, mass, area, cl_max):
    """Largest lift acceleration the glider can pull, m/s^2 (N,)."""
    return dynamic_pressure(alt, speed) * area * cl_max / mass
