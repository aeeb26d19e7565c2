"""WGS84 Earth: geodetic, ECEF, ECI, local ENU frames and great circles on the mean sphere.

All angles are radians, lengths metres, times seconds. Every function broadcasts over
leading dimensions; positions are ``(..., 3)`` and states ``(..., 6)`` (position, velocity).

Frames
------
ECEF
    WGS84 Earth-centred, Earth-fixed (NIMA TR8350.2).
ECI
    An Earth-centred frame that does not rotate. At ``t = 0`` it equals ECEF rotated by
    ``theta0`` about the z axis; afterwards ECEF turns about the common z axis at the
    constant rate ``OMEGA_EARTH``, so ``r_eci = R_z(era(t)) r_ecef``.

Left out on purpose (errors of order arc-seconds to arc-minutes, metres to hundreds of
metres at the surface, irrelevant to this project's trade studies): precession, nutation,
polar motion, UT1-UTC, length-of-day variation. ECI here is therefore not GCRF or J2000;
``theta0`` plays the role of the Earth rotation angle at scenario start.

Great-circle helpers work on the sphere of radius ``R_MEAN`` (IUGG mean radius).
"""

from __future__ import annotations

import numpy as np

from .constants import OMEGA_EARTH, R_MEAN, WGS84_A, WGS84_B, WGS84_E2, WGS84_F

_EP2 = WGS84_E2 / (1.0 - WGS84_E2)  # second eccentricity squared, dimensionless (derived)
_BOWRING_ITERATIONS = 2  # Bowring latitude updates; 2 reach < 1e-7 m from -5 km to beyond GEO


def _f(x):
    return np.asarray(x, dtype=float)


# --------------------------------------------------------------------------- geodetic


def prime_vertical_radius(lat):
    """Radius of curvature in the prime vertical, N(lat), m; shape of ``lat``.

    Notes
    -----
    N = a / sqrt(1 - e^2 sin^2 lat); NIMA TR8350.2 (2000), ch. 4.
    """
    s = np.sin(_f(lat))
    return WGS84_A / np.sqrt(1.0 - WGS84_E2 * s * s)


def geodetic_to_ecef(lat, lon, alt):
    """Geodetic latitude, longitude (rad) and height above WGS84 (m) to ECEF, (..., 3) m.

    Notes
    -----
    x = (N + h) cos(lat) cos(lon), y = (N + h) cos(lat) sin(lon), z = (N (1 - e^2) + h) sin(lat);
    NIMA TR8350.2 (2000), ch. 4.
    """
    lat, lon, alt = np.broadcast_arrays(_f(lat), _f(lon), _f(alt))
    n = prime_vertical_radius(lat)
    c = (n + alt) * np.cos(lat)
    z = (n * (1.0 - WGS84_E2) + alt) * np.sin(lat)
    return np.stack([c * np.cos(lon), c * np.sin(lon), z], axis=-1)


def _lat_alt(p, z):
    """Geodetic latitude and height from distance to the axis ``p`` and ``z`` (m)."""
    beta = np.arctan2(z, (1.0 - WGS84_F) * p)  # reduced (parametric) latitude, first guess
    for _ in range(_BOWRING_ITERATIONS):
        sb, cb = np.sin(beta), np.cos(beta)
        num = z + _EP2 * WGS84_B * sb**3
        # den < 0 only within ~43 km of the centre, where the latitude is not unique
        den = np.maximum(p - WGS84_E2 * WGS84_A * cb**3, 0.0)
        lat = np.arctan2(num, den)
        beta = np.arctan2((1.0 - WGS84_F) * np.sin(lat), np.cos(lat))
    s, c = np.sin(lat), np.cos(lat)
    alt = p * c + z * s - WGS84_A * np.sqrt(1.0 - WGS84_E2 * s * s)
    return lat, alt


def ecef_to_geodetic(r):
    """ECEF position (..., 3) m to geodetic (lat, lon, alt): rad, rad in (-pi, pi], m.

    Accurate to well under 1 mm from 5 km below the ellipsoid to beyond GEO, poles included.
    Within ~43 km of the Earth's centre the geodetic latitude is not unique; finite values are
    returned there (no NaN).

    Notes
    -----
    Bowring's iteration on the reduced latitude, two passes (Bowring, "Transformation from
    spatial to geographical coordinates", Survey Review 23 (1976) 323-327); height from
    h = p cos(lat) + z sin(lat) - a sqrt(1 - e^2 sin^2 lat), valid at the poles.
    """
    r = _f(r)
    x, y, z = r[..., 0], r[..., 1], r[..., 2]
    lat, alt = _lat_alt(np.hypot(x, y), z)
    return lat, np.arctan2(y, x), alt


def altitude(r):
    """Geodetic height above WGS84 (m) of a position (..., 3) m, ECEF or this module's ECI.

    A rotation about z changes neither ``hypot(x, y)`` nor ``z``, so ECEF and ECI give the
    same result. Equal to ``ecef_to_geodetic(r)[2]``.
    """
    r = _f(r)
    return _lat_alt(np.hypot(r[..., 0], r[..., 1]), r[..., 2])[1]


def geocentric_latitude(lat):
    """Geocentric latitude (rad) of the ellipsoid surface point at geodetic latitude ``lat``.

    Notes
    -----
    tan(lat_gc) = (1 - e^2) tan(lat); Vallado, Fundamentals of Astrodynamics and
    Applications, 4th ed. (2013), ch. 3.
    """
    lat = _f(lat)
    return np.arctan2((1.0 - WGS84_E2) * np.sin(lat), np.cos(lat))


def geodetic_latitude(lat_gc):
    """Geodetic latitude (rad) of the ellipsoid surface point at geocentric latitude ``lat_gc``.

    Notes
    -----
    Inverse of :func:`geocentric_latitude`, tan(lat) = tan(lat_gc) / (1 - e^2).
    """
    lat_gc = _f(lat_gc)
    return np.arctan2(np.sin(lat_gc), (1.0 - WGS84_E2) * np.cos(lat_gc))


# --------------------------------------------------------------------------- ECI <-> ECEF


def era(t, theta0=0.0):
    """Rotation angle of ECEF relative to ECI (rad): theta0 + OMEGA_EARTH * t, t in s.

    Notes
    -----
    Constant-rate Earth rotation angle; the IERS ERA with UT1 = scenario time (IERS
    Conventions 2010, eq. 5.15, linear term only).
    """
    return theta0 + OMEGA_EARTH * _f(t)


def _rot_z(v, angle):
    """Rotate vectors (..., 3) by ``angle`` (rad) counter-clockwise about z."""
    c, s = np.cos(angle), np.sin(angle)
    x, y, z = v[..., 0], v[..., 1], v[..., 2]
    x, y, z = np.broadcast_arrays(c * x - s * y, s * x + c * y, z)
    return np.stack([x, y, z], axis=-1)


def _omega_cross(r):
    """Earth-rate cross product omega x r, omega = (0, 0, OMEGA_EARTH); (..., 3) m/s."""
    zero = np.zeros_like(r[..., 2])
    return np.stack([-OMEGA_EARTH * r[..., 1], OMEGA_EARTH * r[..., 0], zero], axis=-1)


def ecef_to_eci(r, t, theta0=0.0):
    """ECEF position (..., 3) m at time t (s, broadcast to ``r.shape[:-1]``) to ECI, m.

    Notes
    -----
    r_eci = R_z(theta) r_ecef with theta = :func:`era` (Vallado 2013, ch. 3, with polar
    motion, precession and nutation set to identity).
    """
    return _rot_z(_f(r), era(t, theta0))


def eci_to_ecef(r, t, theta0=0.0):
    """ECI position (..., 3) m at time t (s) to ECEF, m. Inverse of :func:`ecef_to_eci`."""
    return _rot_z(_f(r), -era(t, theta0))


def ecef_to_eci_state(y, t, theta0=0.0):
    """ECEF state (..., 6) [m, m/s] at time t (s) to ECI state (..., 6).

    Notes
    -----
    v_eci = R_z(theta) (v_ecef + omega x r_ecef): transport theorem (Vallado 2013, ch. 3).
    """
    y = _f(y)
    r, v = y[..., :3], y[..., 3:]
    theta = era(t, theta0)
    return np.concatenate([_rot_z(r, theta), _rot_z(v + _omega_cross(r), theta)], axis=-1)


def eci_to_ecef_state(y, t, theta0=0.0):
    """ECI state (..., 6) [m, m/s] at time t (s) to ECEF state (..., 6).

    Notes
    -----
    r_ecef = R_z(-theta) r_eci, v_ecef = R_z(-theta) v_eci - omega x r_ecef (transport theorem).
    """
    y = _f(y)
    theta = era(t, theta0)
    r = _rot_z(y[..., :3], -theta)
    return np.concatenate([r, _rot_z(y[..., 3:], -theta) - _omega_cross(r)], axis=-1)


# --------------------------------------------------------------------------- local ENU


def enu_basis(lat, lon):
    """Rows east, north, up (ellipsoid normal) as ECEF unit vectors; (..., 3, 3).

    Notes
    -----
    Standard local-tangent-plane rotation (e.g. Vallado 2013, ch. 3; pymap3d ``enu``).
    """
    lat, lon = np.broadcast_arrays(_f(lat), _f(lon))
    sp, cp, sl, cl = np.sin(lat), np.cos(lat), np.sin(lon), np.cos(lon)
    east = np.stack([-sl, cl, np.zeros_like(sl)], axis=-1)
    north = np.stack([-sp * cl, -sp * sl, cp], axis=-1)
    up = np.stack([cp * cl, cp * sl, sp], axis=-1)
    return np.stack([east, north, up], axis=-2)


def ecef_to_enu(r, lat0, lon0, alt0):
    """ECEF position (..., 3) m to east-north-up (..., 3) m about geodetic (lat0, lon0, alt0)."""
    d = _f(r) - geodetic_to_ecef(lat0, lon0, alt0)
    return np.matmul(enu_basis(lat0, lon0), d[..., None])[..., 0]


def enu_to_ecef(enu, lat0, lon0, alt0):
    """East-north-up (..., 3) m about geodetic origin (lat0, lon0, alt0) to ECEF (..., 3) m."""
    rot_t = np.swapaxes(enu_basis(lat0, lon0), -1, -2)
    return np.matmul(rot_t, _f(enu)[..., None])[..., 0] + geodetic_to_ecef(lat0, lon0, alt0)


def azimuth_elevation_range(r_obs_ecef, lat_obs, lon_obs, r_tgt_ecef):
    """Look angles from an observer to a target, both ECEF (..., 3) m.

    Returns
    -------
    az : (...) rad in [0, 2 pi), from north, clockwise (towards east).
    el : (...) rad in [-pi/2, pi/2], above the plane normal to the ellipsoid normal.
    rng : (...) slant range, m.
    """
    d = _f(r_tgt_ecef) - _f(r_obs_ecef)
    enu = np.matmul(enu_basis(lat_obs, lon_obs), d[..., None])[..., 0]
    e, n, u = enu[..., 0], enu[..., 1], enu[..., 2]
    horiz = np.hypot(e, n)
    return np.mod(np.arctan2(e, n), 2.0 * np.pi), np.arctan2(u, horiz), np.hypot(horiz, u)


# --------------------------------------------------------------------------- great circles


def central_angle(lat1, lon1, lat2, lon2):
    """Central angle (rad, in [0, pi]) between two points on a sphere.

    Notes
    -----
    atan2 form of the haversine/Vincenty formula, well conditioned for coincident and
    antipodal points alike (Vincenty, Survey Review 23 (1975) 88-93, with a = b).
    """
    lat1, lon1, lat2, lon2 = map(_f, (lat1, lon1, lat2, lon2))
    dlon = lon2 - lon1
    s1, c1, s2, c2 = np.sin(lat1), np.cos(lat1), np.sin(lat2), np.cos(lat2)
    y = np.hypot(c2 * np.sin(dlon), c1 * s2 - s1 * c2 * np.cos(dlon))
    return np.arctan2(y, s1 * s2 + c1 * c2 * np.cos(dlon))


def great_circle_distance(lat1, lon1, lat2, lon2, radius=R_MEAN):
    """Great-circle distance (m) on the sphere of ``radius`` (default R_MEAN)."""
    return radius * central_angle(lat1, lon1, lat2, lon2)


def initial_azimuth(lat1, lon1, lat2, lon2):
    """Initial great-circle azimuth from point 1 to point 2, rad in [0, 2 pi), from north clockwise.

    Notes
    -----
    tan(az) = sin(dlon) cos(lat2) / (cos(lat1) sin(lat2) - sin(lat1) cos(lat2) cos(dlon));
    Snyder, Map Projections - A Working Manual, USGS PP 1395 (1987), eq. 5-4b.
    """
    lat1, lon1, lat2, lon2 = map(_f, (lat1, lon1, lat2, lon2))
    dlon = lon2 - lon1
    y = np.sin(dlon) * np.cos(lat2)
    x = np.cos(lat1) * np.sin(lat2) - np.sin(lat1) * np.cos(lat2) * np.cos(dlon)
    return np.mod(np.arctan2(y, x), 2.0 * np.pi)


def destination(lat, lon, azimuth, distance, radius=R_MEAN):
    """Point reached along a great circle: start (rad), azimuth (rad), distance (m) -> (lat, lon).

    Longitude is returned in (-pi, pi].

    Notes
    -----
    Unit-vector form p2 = cos(d) p1 + sin(d) (cos(az) north + sin(az) east) of Snyder (1987),
    eqs. 5-5 and 5-6; stable at the poles and for any distance.
    """
    basis = enu_basis(lat, lon)
    delta = _f(distance) / radius
    az = _f(azimuth)
    east, north, up = basis[..., 0, :], basis[..., 1, :], basis[..., 2, :]
    direction = np.cos(az)[..., None] * north + np.sin(az)[..., None] * east
    p = np.cos(delta)[..., None] * up + np.sin(delta)[..., None] * direction
    return np.arctan2(p[..., 2], np.hypot(p[..., 0], p[..., 1])), np.arctan2(p[..., 1], p[..., 0])
