"""Two-body (Kepler) utilities for ballistic free flight on a spherical Earth.

Everything here is the vacuum, point-mass problem: the guidance uses it to find the
velocity a missile needs to reach a point, and the tests use it as the analytic oracle.

Shapes of a trajectory between two points are one-parameter families of conics; we
parametrize them by the semi-latus rectum ``p``: small ``p`` is lofted, large ``p`` is
depressed, and ``p_min_energy`` sits between them.
"""

from __future__ import annotations

import numpy as np

from .constants import MU_EARTH, R_MEAN


def min_energy(range_angle, r=R_MEAN, mu=MU_EARTH):
    """Minimum-energy ballistic shot between two points at the same radius.

    Parameters
    ----------
    range_angle : array_like, (...)
        Central angle between launch and impact, rad (range / r on a sphere).
    r : float or array_like
        Radius of burnout and impact, m.

    Returns
    -------
    speed : (...) burnout speed, m/s
    gamma : (...) flight-path angle above the local horizontal, rad
    apogee_alt : (...) apogee altitude above ``r``, m
    tof : (...) time of free flight, s

    Notes
    -----
    v^2 = (mu/r) 2 sin(psi/2) / (1 + sin(psi/2)), gamma = (pi - psi)/4:
    Wheelon, "Free flight of a ballistic missile", ARS Journal 29 (1959); Bate, Mueller &
    White, Fundamentals of Astrodynamics (1971), sec. 6.2.
    """
    psi = np.asarray(range_angle, dtype=float)
    s = np.sin(psi / 2.0)
    q = 2.0 * s / (1.0 + s)
    gamma = (np.pi - psi) / 4.0
    speed = np.sqrt(q * mu / r)
    p, e = conic_from_burnout(r, speed, gamma, mu)
    apogee_alt = p / (1.0 - e) - r
    tof = symmetric_time_of_flight(p, e, psi, mu)
    return speed, gamma, apogee_alt, tof


def conic_from_burnout(r, speed, gamma, mu=MU_EARTH):
    """Semi-latus rectum (m) and eccentricity of the conic through a burnout state.

    Notes
    -----
    p = r Q cos^2(gamma), e^2 = 1 + Q (Q - 2) cos^2(gamma), Q = v^2 r / mu
    (Bate, Mueller & White 1971, eqs. 6.2-1 to 6.2-4).
    """
    q = np.asarray(speed) ** 2 * r / mu
    c2 = np.cos(gamma) ** 2
    p = r * q * c2
    e = np.sqrt(np.maximum(1.0 + q * (q - 2.0) * c2, 0.0))
    return p, e


def symmetric_time_of_flight(p, e, range_angle, mu=MU_EARTH):
    """Time of flight (s) on an ellipse between two points symmetric about apogee.

    Notes
    -----
    Kepler's equation between true anomalies pi - psi/2 and pi + psi/2
    (Bate, Mueller & White 1971, sec. 4.2).
    """
    nu = np.pi - np.asarray(range_angle) / 2.0
    return 2.0 * (np.pi * _mean_motion_inverse(p, e, mu) - _time_since_perigee(p, e, nu, mu))


def _mean_motion_inverse(p, e, mu):
    a = p / (1.0 - e**2)
    return np.sqrt(a**3 / mu)


def _time_since_perigee(p, e, nu, mu):
    """Time from perigee to true anomaly ``nu`` in [0, pi] on an ellipse, s."""
    ecc_anom = 2.0 * np.arctan(np.sqrt((1.0 - e) / (1.0 + e)) * np.tan(nu / 2.0))
    return (ecc_anom - e * np.sin(ecc_anom)) * _mean_motion_inverse(p, e, mu)


def transfer_geometry(r1, r2):
    """Radii (m), transfer angle (rad) and chord (m) between position vectors (..., 3)."""
    n1 = np.linalg.norm(r1, axis=-1)
    n2 = np.linalg.norm(r2, axis=-1)
    cos_t = np.clip(np.einsum("...i,...i->...", r1, r2) / (n1 * n2), -1.0, 1.0)
    theta = np.arccos(cos_t)
    chord = np.linalg.norm(r2 - r1, axis=-1)
    return n1, n2, theta, chord


def p_min_energy(r1, r2):
    """Semi-latus rectum (m) of the minimum-energy conic from r1 to r2 (short way).

    Notes
    -----
    p_m = r1 r2 (1 - cos theta) / c, c the chord (Bate, Mueller & White 1971, eq. 5.4-11).
    """
    n1, n2, theta, chord = transfer_geometry(r1, r2)
    return n1 * n2 * (1.0 - np.cos(theta)) / chord


def eccentricity_for_p(p, n1, n2, theta):
    """Eccentricity of the conic with semi-latus rectum p through radii n1, n2 at angle theta.

    Notes
    -----
    From p/r - 1 = e cos(nu) at both ends: e cos nu1 = p/n1 - 1,
    e sin nu1 = ((p/n1 - 1) cos theta - (p/n2 - 1)) / sin theta.
    """
    a = p / n1 - 1.0
    b = p / n2 - 1.0
    return np.hypot(a, (a * np.cos(theta) - b) / np.sin(theta))


def apogee_radius_for_p(p, n1, n2, theta):
    """Apogee radius (m) of the conic through both points; inf when not elliptic."""
    e = eccentricity_for_p(p, n1, n2, theta)
    with np.errstate(divide="ignore"):
        return np.where(e < 1.0, p / np.maximum(1.0 - e, 1e-300), np.inf)


def _e2_quadratic(n1, n2, theta):
    """Coefficients of e^2(p) = a p^2 - 2 b p + c + 1 for conics through two points.

    Notes
    -----
    From ``eccentricity_for_p``: e^2 = (p u - 1)^2 + (p k - m)^2 / sin^2 theta with
    u = 1/n1, k = cos(theta)/n1 - 1/n2, m = cos(theta) - 1.
    """
    u = 1.0 / n1
    k = np.cos(theta) / n1 - 1.0 / n2
    m = np.cos(theta) - 1.0
    s2 = np.sin(theta) ** 2
    return u**2 + k**2 / s2, u + k * m / s2, m**2 / s2


def p_flattest(n1, n2, theta):
    """Semi-latus rectum (m) of the least eccentric conic through both points.

    Between the parabolic lofted limit (``p_parabolic``) and this value the apse between
    the points is the apogee, and the apogee radius falls monotonically with p
    (lofted -> minimum energy -> depressed).
    """
    a, b, _ = _e2_quadratic(n1, n2, theta)
    return b / a


def p_parabolic(n1, n2, theta):
    """Smallest semi-latus rectum (m) of an elliptic conic through both points (e = 1)."""
    a, b, c = _e2_quadratic(n1, n2, theta)
    return (b - np.sqrt(np.maximum(b**2 - a * c, 0.0))) / a


def p_for_apogee(r1, r2, apogee_radius):
    """Semi-latus rectum (m) of the conic from r1 to r2 whose apogee radius is given.

    Lofted when the apogee is above the minimum-energy one, depressed when below; an
    apogee lower than the flattest conic allows gives the flattest conic.

    Parameters
    ----------
    r1, r2 : (..., 3) position vectors, m
    apogee_radius : (...) wanted apogee radius, m

    Notes
    -----
    r_a = p / (1 - e) gives e = 1 - p / r_a; with e^2 = a p^2 - 2 b p + c + 1
    (``_e2_quadratic``) that is the quadratic (a - 1/r_a^2) p^2 - 2 (b - 1/r_a) p + c = 0,
    whose root on the monotone branch (p_parabolic, p_flattest] is taken.
    """
    n1, n2, theta, _ = transfer_geometry(r1, r2)
    a, b, c = _e2_quadratic(n1, n2, theta)
    ra = np.asarray(apogee_radius, dtype=float)
    qa = a - 1.0 / ra**2
    qb = b - 1.0 / ra
    disc = np.sqrt(np.maximum(qb**2 - qa * c, 0.0))
    lo, hi = p_parabolic(n1, n2, theta), p_flattest(n1, n2, theta)
    with np.errstate(divide="ignore", invalid="ignore"):
        linear = np.where(np.abs(qa * c) < 1e-9 * qb**2, c / (2.0 * qb), np.nan)  # qa ~ 0
        roots = np.stack([(qb - disc) / qa, (qb + disc) / qa, linear])
    ok = (roots > lo * (1 - 1e-12)) & (roots <= hi * (1 + 1e-12))
    pick = np.where(ok, roots, np.inf).min(axis=0)
    return np.where(np.isfinite(pick), pick, hi)


def velocity_on_conic(r1, r2, p, mu=MU_EARTH):
    """Velocity (..., 3) at r1 on the conic of semi-latus rectum p that passes r2 (short way).

    Notes
    -----
    Lagrange f and g coefficients: f = 1 - (r2/p)(1 - cos theta),
    g = r1 r2 sin theta / sqrt(mu p), v1 = (r2 - f r1) / g
    (Bate, Mueller & White 1971, eqs. 5.2-3 to 5.2-5).
    """
    n1, n2, theta, _ = transfer_geometry(r1, r2)
    f = 1.0 - n2 / p * (1.0 - np.cos(theta))
    g = n1 * n2 * np.sin(theta) / np.sqrt(mu * p)
    return (r2 - f[..., None] * r1) / g[..., None]


def time_of_flight(r1, r2, p, mu=MU_EARTH):
    """Time (s) from r1 to r2 along the elliptic conic of semi-latus rectum p (short way).

    Notes
    -----
    True anomalies from the conic equation, then Kepler's equation (Vallado 2013, alg. 2/4).
    """
    n1, n2, theta, _ = transfer_geometry(r1, r2)
    e = np.minimum(eccentricity_for_p(p, n1, n2, theta), 1.0 - 1e-12)
    a = p / n1 - 1.0
    nu1 = np.arctan2((a * np.cos(theta) - (p / n2 - 1.0)) / np.sin(theta), a)
    nu2 = nu1 + theta
    m1 = _mean_anomaly(nu1, e)
    m2 = _mean_anomaly(nu2, e)
    dm = np.mod(m2 - m1, 2.0 * np.pi)
    return dm * _mean_motion_inverse(p, e, mu)


def _mean_anomaly(nu, e):
    """Mean anomaly (rad) for true anomaly nu (any value) on an ellipse."""
    ecc = 2.0 * np.arctan2(np.sqrt(1.0 - e) * np.sin(nu / 2.0), np.sqrt(1.0 + e) * np.cos(nu / 2.0))
    return ecc - e * np.sin(ecc)


def circular_speed(r, mu=MU_EARTH):
    """Circular orbit speed (m/s) at radius r (m): sqrt(mu / r)."""
    return np.sqrt(mu / np.asarray(r, dtype=float))


def orbital_period(a, mu=MU_EARTH):
    """Period (s) of an orbit with semi-major axis a (m): 2 pi sqrt(a^3 / mu)."""
    return 2.0 * np.pi * np.sqrt(np.asarray(a, dtype=float) ** 3 / mu)
