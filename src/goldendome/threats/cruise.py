"""Cruise missiles: booster climb, terrain-following cruise along great-circle legs, dive.

A subsonic cruise missile flies at constant speed and altitude with thrust balancing
drag, so its path is kinematic: position follows from the distance flown. Terrain is
not modelled: "terrain-following" holds a constant height above the WGS84 ellipsoid.

Notes
-----
Profile: the booster accelerates the missile to cruise speed while it climbs to its cruise
height (constant acceleration over booster_s); it then cruises at constant speed through
the waypoints and dives over the last DIVE_RATIO x height of ground track.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..physics import earth
from .vehicles import Cruise

DIVE_RATIO = 10.0  # ground distance of the terminal dive per metre of cruise height (assumption)


@dataclass(frozen=True)
class CruisePath:
    """Waypoints (lat, lon in rad, launch first, target last) and the vehicle."""

    lat: np.ndarray  # (W,)
    lon: np.ndarray  # (W,)
    vehicle: Cruise
    t_launch: float = 0.0

    @property
    def leg_lengths(self) -> np.ndarray:
        return earth.great_circle_distance(self.lat[:-1], self.lon[:-1], self.lat[1:], self.lon[1:])

    @property
    def length(self) -> float:
        """Ground-track length, m (mean-sphere great circles)."""
        return float(np.sum(self.leg_lengths))

    @property
    def flight_time(self) -> float:
        """Launch to impact, s."""
        v, tb = self.vehicle.speed_m_s, self.vehicle.booster_s
        return tb + (self.length - 0.5 * v * tb) / v


def distance_flown(path: CruisePath, tau):
    """Ground distance (m) flown at flight time tau (s): constant acceleration, then cruise."""
    v, tb = path.vehicle.speed_m_s, path.vehicle.booster_s
    tau = np.clip(tau, 0.0, path.flight_time)
    return np.where(tau < tb, 0.5 * v * tau**2 / max(tb, 1e-9), 0.5 * v * tb + v * (tau - tb))


def height(path: CruisePath, s):
    """Height above the ellipsoid (m) at ground distance s (m)."""
    h = path.vehicle.altitude_m
    climb = 0.5 * path.vehicle.speed_m_s * path.vehicle.booster_s
    dive = DIVE_RATIO * h
    return h * np.clip(np.minimum(s / max(climb, 1e-9), (path.length - s) / dive), 0.0, 1.0)


def ground_point(path: CruisePath, s):
    """Latitude and longitude (rad) at ground distance s (m) along the legs."""
    ends = np.cumsum(path.leg_lengths)
    leg = np.minimum(np.searchsorted(ends, s), len(ends) - 1)
    start = ends[leg] - path.leg_lengths[leg]
    az = earth.initial_azimuth(path.lat[leg], path.lon[leg], path.lat[leg + 1], path.lon[leg + 1])
    return earth.destination(path.lat[leg], path.lon[leg], az, s - start)


def position_ecef(path: CruisePath, tau):
    """Earth-fixed position (T, 3) at flight times tau (T,) s."""
    s = distance_flown(path, tau)
    lat, lon = ground_point(path, s)
    return earth.geodetic_to_ecef(lat, lon, height(path, s))


def state_eci(path: CruisePath, tau, theta, h=0.05):
    """ECI state (T, 6) at flight times tau; velocity by central differences over +-h s."""
    tau = np.asarray(tau, dtype=float)
    r = earth.ecef_to_eci(position_ecef(path, tau), tau, theta)
    ahead = earth.ecef_to_eci(position_ecef(path, tau + h), tau + h, theta)
    back = earth.ecef_to_eci(position_ecef(path, tau - h), tau - h, theta)
    return np.concatenate([r, (ahead - back) / (2 * h)], axis=-1)
