"""A track's motion: ballistic (J2 gravity) or air-breathing (constant velocity), from its first
two-point velocity (tracker ``motion='auto'``)."""

from __future__ import annotations

import numpy as np

from ..physics.constants import OMEGA_EARTH
from ..physics.earth import altitude

__all__ = ["AIR_MAX_ALT_M", "AIR_MAX_CLIMB_DEG", "AIR_MAX_SPEED_M_S", "air_breathing", "chord_air_breathing"]

AIR_MAX_ALT_M = 25.0e3  # m
AIR_MAX_SPEED_M_S = 1200.0  # m/s, Earth-relative
AIR_MAX_CLIMB_DEG = 10.0  # flight-path angle magnitude


def air_breathing(r, v, max_alt_m: float = AIR_MAX_ALT_M, max_speed_m_s: float = AIR_MAX_SPEED_M_S,
                  max_climb_deg: float = AIR_MAX_CLIMB_DEG) -> np.ndarray:
    """Which estimates r (n, 3) m, v (n, 3) m/s (ECI) are of air-breathing (cruise) flight.

    An air-breather is below ``max_alt_m`` (25 km), slower than ``max_speed_m_s``
    (1,200 m/s) and climbing or diving by less than ``max_climb_deg`` (10 deg), speed and
    flight-path angle relative to the rotating Earth (v - omega x r; the ECI speed of a parked
    object is up to 465 m/s). Everything else is ballistic.

    Why: cruise missiles (subsonic or up to ~Mach 3) fly level in the dense atmosphere, held up
    by lift, not falling at g, so a J2-ballistic prediction (9.8 m/s^2 off) breaks their tracks
    up; constant velocity in ECI is off only by the centripetal v^2 / R of following the Earth
    (below 0.1 m/s^2 at ECI speeds under 800 m/s), which the process noise absorbs. Ballistic
    missiles fail one clause or another: a booster low and slow enough to pass the first two
    climbs steeply when first seen (it starts vertical and pitches over slowly), and re-entry
    and boost-glide vehicles are fast (3-7 km/s) below 25 km; above 25 km everything is
    ballistic. The tracker's single-point initiation has no velocity, so the test is made on a
    track's first estimate with one: the chord from its initiating detection to its first
    update (``chord_air_breathing``, tracker ``_set_motion``), and kept for the track's life.
    Tracks that fail it (every track of the ballistic raids checked: nk-salvo-vs-medium, the
    medium benchmark raid) predict exactly as with motion 'ballistic'.
    """
    r, v = np.atleast_2d(np.asarray(r, float)), np.atleast_2d(np.asarray(v, float))
    w = v - np.cross([0.0, 0.0, OMEGA_EARTH], r)  # Earth-relative velocity
    speed = np.linalg.norm(w, axis=1)
    up = r / np.linalg.norm(r, axis=1)[:, None]
    climb = np.degrees(np.arcsin(np.clip(np.einsum("ij,ij->i", w, up) / np.maximum(speed, 1e-9), -1.0, 1.0)))
    return (altitude(r) < max_alt_m) & (speed < max_speed_m_s) & (np.abs(climb) < max_climb_deg)


def chord_air_breathing(z0, z, dt, localized, *thresholds) -> np.ndarray:
    """``air_breathing`` on the chord from positions z0 (k, 3) to z (k, 3), dt (k,) s apart: the
    midpoint and the two-point velocity (free of the gravity a ballistic prediction adds). False
    where ``localized`` (k,) is False (an angles-only line of sight gives no velocity) or dt == 0."""
    z0, z, dt = np.asarray(z0, float), np.asarray(z, float), np.asarray(dt, float)
    ok = np.asarray(localized, bool) & (dt != 0)
    air = np.zeros(len(z), bool)
    if ok.any():
        air[ok] = air_breathing(0.5 * (z[ok] + z0[ok]), (z[ok] - z0[ok]) / dt[ok, None], *thresholds)
    return air
