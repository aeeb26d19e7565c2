"""Detections: what sensors hand to the tracker, as one struct of arrays.

Every detection is a Cartesian ECI position measurement with its covariance, whatever the
sensor measured natively: a radar's (range, azimuth, elevation) is converted with its
linearized covariance; an infrared line of sight becomes a position on the line of sight
with a very large variance along it (an angles-only pseudo-measurement), so two sensors
looking from different directions triangulate inside the filter.

Detections carry no truth identity for the tracker: ``truth`` is kept only for scoring
(-1 for a false alarm) and no tracking code may read it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from ..physics import earth


@dataclass(frozen=True)
class Detections:
    """K detections, sorted by ``t`` then sensor.

    t : (K,) measurement time, s from scenario start
    arrival : (K,) time the detection reaches battle management, s (t + link latency)
    sensor : (K,) int index into the scenario's sensor list
    z : (K, 3) ECI position measurement, m
    R : (K, 3, 3) its covariance, m^2
    snr : (K,) signal-to-noise ratio (linear), for discrimination and scoring
    truth : (K,) int object index, -1 for a false alarm (scoring only)
    """

    t: np.ndarray
    arrival: np.ndarray
    sensor: np.ndarray
    z: np.ndarray
    R: np.ndarray
    snr: np.ndarray
    truth: np.ndarray

    def __len__(self) -> int:
        return len(self.t)

    def take(self, idx) -> "Detections":
        return Detections(**{f.name: getattr(self, f.name)[idx] for f in fields(self)})

    @staticmethod
    def empty() -> "Detections":
        return Detections(np.zeros(0), np.zeros(0), np.zeros(0, int), np.zeros((0, 3)), np.zeros((0, 3, 3)),
                          np.zeros(0), np.zeros(0, int))

    @staticmethod
    def concat(items: list["Detections"]) -> "Detections":
        """All detections of ``items`` in time order (stable, so sensor order breaks ties)."""
        if not items:
            return Detections.empty()
        cat = {f.name: np.concatenate([getattr(d, f.name) for d in items]) for f in fields(Detections)}
        order = np.argsort(cat["t"], kind="stable")
        return Detections(**{k: v[order] for k, v in cat.items()})


def enu_to_eci_rotation(lat, lon, t, theta0=0.0):
    """(K, 3, 3) matrices taking local ENU vectors at (lat, lon) to ECI at times t (s)."""
    basis = earth.enu_basis(lat, lon)  # rows east, north, up in ECEF
    ang = theta0 + earth.OMEGA_EARTH * np.asarray(t, float)
    c, s = np.cos(ang), np.sin(ang)
    rz = np.zeros((*np.shape(ang), 3, 3))
    rz[..., 0, 0], rz[..., 0, 1], rz[..., 1, 0], rz[..., 1, 1], rz[..., 2, 2] = c, -s, s, c, 1.0
    return rz @ np.swapaxes(basis, -1, -2)


def spherical_to_cartesian_cov(rng, az, el, sigma_r, sigma_az, sigma_el):
    """Local ENU position (K, 3) and its linearized covariance (K, 3, 3) from range/az/el.

    Notes
    -----
    Converted-measurement covariance J diag(s_r^2, s_az^2, s_el^2) J^T with J the Jacobian of
    (r cos el sin az, r cos el cos az, r sin el) (Bar-Shalom, Li & Kirubarajan 2001, sec. 10.4).
    Azimuth from north, clockwise; elevation above the local horizon.
    """
    ca, sa, ce, se = np.cos(az), np.sin(az), np.cos(el), np.sin(el)
    pos = np.stack([rng * ce * sa, rng * ce * ca, rng * se], axis=-1)
    J = np.zeros((*np.shape(rng), 3, 3))
    J[..., 0, :] = np.stack([ce * sa, rng * ce * ca, -rng * se * sa], axis=-1)
    J[..., 1, :] = np.stack([ce * ca, -rng * ce * sa, -rng * se * ca], axis=-1)
    J[..., 2, :] = np.stack([se, np.zeros_like(rng), rng * ce], axis=-1)
    D = np.zeros_like(J)
    D[..., 0, 0], D[..., 1, 1], D[..., 2, 2] = np.square(sigma_r), np.square(sigma_az), np.square(sigma_el)
    return pos, J @ D @ np.swapaxes(J, -1, -2)


PRIOR_ALTITUDE_M = 100e3  # an IR line of sight is placed where it first meets this altitude


def line_of_sight_measurement(r_sensor, r_target, sigma_angle, sigma_along=1.0e6, rng=None):
    """Angles-only (infrared) detection as an ECI position pseudo-measurement.

    Parameters
    ----------
    r_sensor, r_target : (K, 3) ECI m.  sigma_angle : (K,) or float, rad (1-sigma per axis).
    sigma_along : m, standard deviation along the line of sight (range is not measured).
    rng : np.random.Generator to draw the angular noise (None: no noise).

    Returns
    -------
    z (K, 3), R (K, 3, 3): a point on the measured line of sight where it first reaches
    PRIOR_ALTITUDE_M above a sphere of radius WGS84_A (or its closest approach to the Earth's
    centre when it never does), so the true range does not leak in; variance
    (range * sigma_angle)^2 across the line and sigma_along^2 along it.
    """
    d = r_target - r_sensor
    rng_m = np.linalg.norm(d, axis=-1)
    u = d / rng_m[:, None]
    a = np.cross(u, np.where(np.abs(u[:, 2:3]) < 0.9, [0.0, 0.0, 1.0], [1.0, 0.0, 0.0]))
    a /= np.linalg.norm(a, axis=-1, keepdims=True)
    b = np.cross(u, a)
    s_ang = np.broadcast_to(np.asarray(sigma_angle, float), rng_m.shape)
    if rng is not None:
        u = u + (rng.normal(size=len(u)) * s_ang)[:, None] * a + (rng.normal(size=len(u)) * s_ang)[:, None] * b
        u /= np.linalg.norm(u, axis=-1, keepdims=True)
    z = r_sensor + _prior_range(r_sensor, u)[:, None] * u
    s_cross = np.linalg.norm(z - r_sensor, axis=-1) * s_ang
    R = (s_cross**2)[:, None, None] * (a[:, :, None] * a[:, None, :] + b[:, :, None] * b[:, None, :])
    R += sigma_along**2 * u[:, :, None] * u[:, None, :]
    return z, R


def _prior_range(r0, u):
    """Distance along unit rays u from r0 to the shell of radius WGS84_A + PRIOR_ALTITUDE_M."""
    rad = earth.WGS84_A + PRIOR_ALTITUDE_M
    bq = np.einsum("ij,ij->i", r0, u)
    disc = bq**2 - (np.einsum("ij,ij->i", r0, r0) - rad**2)
    near = -bq - np.sqrt(np.maximum(disc, 0.0))
    return np.where((disc > 0) & (near > 0), near, np.maximum(-bq, 0.0))
