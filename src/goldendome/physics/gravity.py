"""Earth gravity: point mass and point mass plus the J2 zonal harmonic.

Positions are ``(..., 3)`` in metres in any Earth-centred frame whose z axis is the Earth's
rotation axis: ECEF, or the ECI of :mod:`goldendome.physics.earth`, which shares that axis.
The field is axisymmetric about z, so the same formula holds in both. Accelerations are
m/s^2, potentials J/kg (specific potential energy, negative, zero at infinity).

Constants: ``MU_EARTH`` (WGS84 GM), ``J2`` (EGM96 / WGS84 dynamic form factor) and the
reference radius ``WGS84_A`` to which that J2 is normalised (NIMA TR8350.2).
"""

from __future__ import annotations

import numpy as np

from .constants import J2, MU_EARTH, WGS84_A


def _radius(r):
    r = np.asarray(r, dtype=float)
    return r, np.sqrt(np.sum(r * r, axis=-1))


def accel_point_mass(r):
    """Point-mass gravitational acceleration, (..., 3) m/s^2, at position ``r`` (..., 3) m.

    Notes
    -----
    a = -mu r / |r|^3, the two-body equation (Vallado, Fundamentals of Astrodynamics and
    Applications, 4th ed. (2013), ch. 1).
    """
    r, rn = _radius(r)
    return -MU_EARTH * r / (rn**3)[..., None]


def accel_j2(r):
    """Point-mass plus J2 acceleration, (..., 3) m/s^2, at position ``r`` (..., 3) m.

    Notes
    -----
    Minus the gradient of :func:`potential_j2`:

        a_x = -mu x / r^3 [1 + 3/2 J2 (R/r)^2 (1 - 5 z^2/r^2)]
        a_y = -mu y / r^3 [1 + 3/2 J2 (R/r)^2 (1 - 5 z^2/r^2)]
        a_z = -mu z / r^3 [1 + 3/2 J2 (R/r)^2 (3 - 5 z^2/r^2)]

    with R = WGS84_A. Vallado (2013), ch. 8 (zonal J2 perturbing acceleration in
    Cartesian coordinates).
    """
    r, rn = _radius(r)
    z2 = (r[..., 2] / rn) ** 2
    k = 1.5 * J2 * (WGS84_A / rn) ** 2
    horizontal = 1.0 + k * (1.0 - 5.0 * z2)
    factor = np.stack([horizontal, horizontal, 1.0 + k * (3.0 - 5.0 * z2)], axis=-1)
    return -MU_EARTH * r / (rn**3)[..., None] * factor


def potential_j2(r):
    """Specific gravitational potential energy with J2, J/kg (negative), shape ``r.shape[:-1]``.

    Notes
    -----
    V = -mu / r [1 - J2 (R/r)^2 P2(z/r)], P2(x) = (3 x^2 - 1) / 2, R = WGS84_A; the degree-2
    zonal term of the geopotential expansion (Vallado 2013, ch. 8; Kaula, Theory of
    Satellite Geodesy (1966), ch. 1). ``accel_j2 = -grad V``.
    """
    r, rn = _radius(r)
    p2 = 0.5 * (3.0 * (r[..., 2] / rn) ** 2 - 1.0)
    return -MU_EARTH / rn * (1.0 - J2 * (WGS84_A / rn) ** 2 * p2)
