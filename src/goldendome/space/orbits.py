"""Satellite orbits as mean elements at t = 0, and the usual constellation builders.

Elements are SGP4 (Brouwer) mean elements in the goldendome ECI frame: Earth-centred, z
along the Earth axis, x the ECEF x axis rotated back by ``theta0`` at t = 0 (see
:func:`goldendome.physics.earth.ecef_to_eci`). ``a`` is the Brouwer mean semi-major axis
that SGP4 recovers from the Kozai mean motion (Hoots & Roehrich, Spacetrack Report No. 3,
1980, sec. 6; Vallado et al., AIAA 2006-6753). :mod:`goldendome.space.propagate` flies them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np

from ..physics.constants import MU_EARTH, OMEGA_EARTH, WGS84_A

TWO_PI = 2.0 * math.pi
SIDEREAL_DAY_S = TWO_PI / OMEGA_EARTH  # s, from the WGS84 nominal Earth rate (derived)


@dataclass(frozen=True)
class Orbits:
    """N satellites' mean elements at t = 0 in the goldendome ECI frame (SI, rad).

    Attributes
    ----------
    a : ndarray, shape (N,)
        Brouwer mean semi-major axis, m.
    e : ndarray, shape (N,)
        Mean eccentricity, 0 <= e < 1.
    i : ndarray, shape (N,)
        Mean inclination, rad, in [0, pi].
    raan : ndarray, shape (N,)
        Right ascension of the ascending node in the goldendome ECI frame, rad.
    argp : ndarray, shape (N,)
        Argument of perigee, rad.
    mean_anomaly : ndarray, shape (N,)
        Mean anomaly at t = 0, rad.

    Notes
    -----
    Mean (not osculating) elements in the SGP4 sense (Hoots & Roehrich 1980); for a
    circular orbit the argument of latitude is ``argp + mean_anomaly``.
    """

    a: np.ndarray
    e: np.ndarray
    i: np.ndarray
    raan: np.ndarray
    argp: np.ndarray
    mean_anomaly: np.ndarray

    def __post_init__(self):
        arrs = np.broadcast_arrays(*(np.atleast_1d(np.asarray(getattr(self, f.name), float))
                                     for f in fields(self)))
        for f, v in zip(fields(self), arrs):
            object.__setattr__(self, f.name, np.ascontiguousarray(v.ravel()))
        _check(self)

    @property
    def n(self) -> int:
        """Number of satellites."""
        return int(self.a.shape[0])

    def __len__(self) -> int:
        return self.n

    def take(self, idx) -> Orbits:
        """Subset by integer indices or boolean mask (numpy indexing rules)."""
        return Orbits(*(getattr(self, f.name)[idx] for f in fields(self)))

    @staticmethod
    def concat(items) -> Orbits:
        """Concatenate a sequence of :class:`Orbits` in order."""
        items = list(items)
        if not items:
            raise ValueError("Orbits.concat needs at least one Orbits")
        return Orbits(*(np.concatenate([getattr(o, f.name) for o in items]) for f in fields(Orbits)))


def _check(o: Orbits) -> None:
    """Raise ValueError (one line) for elements no propagator can fly."""
    if not np.all(np.isfinite(np.stack([o.a, o.e, o.i, o.raan, o.argp, o.mean_anomaly]))):
        raise ValueError("orbital elements must be finite")
    if np.any(o.e < 0.0) or np.any(o.e >= 1.0):
        raise ValueError(f"eccentricity must be in [0, 1); got range [{o.e.min()}, {o.e.max()}]")
    if np.any(o.i < 0.0) or np.any(o.i > math.pi):
        raise ValueError(f"inclination must be in [0, pi] rad; got range [{o.i.min()}, {o.i.max()}]")
    rp = o.a * (1.0 - o.e)
    if np.any(rp <= WGS84_A):
        raise ValueError(f"perigee inside the Earth: lowest perigee altitude {rp.min() - WGS84_A:.0f} m")


def _altitude_to_a(altitude_m) -> np.ndarray:
    h = np.asarray(altitude_m, float)
    if np.any(~np.isfinite(h)) or np.any(h <= 0.0):
        raise ValueError(f"altitude must be > 0 m (above the Earth); got {np.min(h)} m")
    return WGS84_A + h


def _inclination(inclination_rad) -> np.ndarray:
    inc = np.asarray(inclination_rad, float)
    if np.any(~np.isfinite(inc)) or np.any(inc < 0.0) or np.any(inc > math.pi):
        raise ValueError(f"inclination must be in [0, pi] rad; got {inclination_rad}")
    return inc


def circular(altitude_m, inclination_rad, raan, arg_latitude) -> Orbits:
    """Circular orbits; arguments broadcast against each other.

    Parameters
    ----------
    altitude_m : array_like
        Height of the mean semi-major axis above the WGS84 equatorial radius, m (> 0).
    inclination_rad, raan, arg_latitude : array_like
        Inclination, right ascension of the ascending node and argument of latitude at
        t = 0, rad.

    Returns
    -------
    Orbits
        e = 0, argp = 0, mean anomaly = argument of latitude.

    Notes
    -----
    a = WGS84_A + h (NIMA TR8350.2 Table 3.1 for WGS84_A).
    """
    a, inc, raan, u = np.broadcast_arrays(_altitude_to_a(altitude_m), _inclination(inclination_rad),
                                          np.asarray(raan, float), np.asarray(arg_latitude, float))
    zero = np.zeros(a.shape)
    return Orbits(a, zero, inc, np.mod(raan, TWO_PI), zero, np.mod(u, TWO_PI))


def walker_delta(total: int, planes: int, phasing: int, altitude_m: float,
                 inclination_rad: float, raan0: float = 0.0) -> Orbits:
    """Walker delta constellation i: T/P/F of circular orbits.

    Parameters
    ----------
    total : int
        T, number of satellites (> 0).
    planes : int
        P, number of equally spaced orbital planes; must divide T.
    phasing : int
        F, relative phasing in 0 .. P-1.
    altitude_m : float
        Altitude above WGS84_A, m (> 0).
    inclination_rad : float
        Inclination i, rad, in [0, pi].
    raan0 : float, optional
        RAAN of plane 0, rad.

    Returns
    -------
    Orbits
        T orbits, plane-major order (satellite k of plane p at index p * T/P + k).

    Notes
    -----
    Plane p has RAAN raan0 + 2 pi p / P; satellite k in it has argument of latitude
    2 pi k P / T + 2 pi F p / T (Walker, J. Br. Interplanet. Soc. 37 (1984) 559).
    """
    total, planes, phasing = _walker_ints(total, planes, phasing)
    s = total // planes
    p, k = np.divmod(np.arange(total), s)
    raan = raan0 + TWO_PI * p / planes
    u = TWO_PI * k / s + TWO_PI * phasing * p / total
    return circular(altitude_m, inclination_rad, raan, u)


def _walker_ints(total, planes, phasing):
    for name, v in (("total", total), ("planes", planes), ("phasing", phasing)):
        if int(v) != v:
            raise ValueError(f"Walker {name} must be an integer; got {v}")
    total, planes, phasing = int(total), int(planes), int(phasing)
    if total <= 0:
        raise ValueError(f"Walker total must be > 0; got {total}")
    if planes <= 0 or total % planes:
        raise ValueError(f"Walker planes must be > 0 and divide total={total}; got {planes}")
    if not 0 <= phasing <= planes - 1:
        raise ValueError(f"Walker phasing must be in [0, planes-1={planes - 1}]; got {phasing}")
    return total, planes, phasing


def geo_semi_major_axis(mu: float = MU_EARTH) -> float:
    """Two-body geostationary radius (m): a = (mu / OMEGA_EARTH^2)^(1/3) (Vallado 2013, eq. 2-80)."""
    return (mu / OMEGA_EARTH**2) ** (1.0 / 3.0)


def geo(longitudes_rad, theta0: float = 0.0) -> Orbits:
    """Geostationary slots over the given east longitudes at t = 0.

    Parameters
    ----------
    longitudes_rad : array_like
        East longitudes of the sub-satellite points, rad.
    theta0 : float, optional
        Earth rotation angle at t = 0, rad (as in :func:`physics.earth.ecef_to_eci`).

    Returns
    -------
    Orbits
        e = 0, i = 0, raan = 0, mean anomaly = right ascension = longitude + theta0.

    Notes
    -----
    Two-body radius (:func:`geo_semi_major_axis`). Under J2 the mean motion is slightly
    faster, so the slot drifts east by ~ 1.5 J2 (R/a)^2 n ~ 0.03 deg/day unless a is
    trimmed; station-keeping is not modelled.
    """
    lon = np.atleast_1d(np.asarray(longitudes_rad, float))
    zero = np.zeros(lon.shape)
    return Orbits(np.full(lon.shape, geo_semi_major_axis()), zero, zero, zero, zero,
                  np.mod(lon + theta0, TWO_PI))


def molniya_like(raan, mean_anomaly=0.0, period_s: float = SIDEREAL_DAY_S / 2.0,
                 e: float = 0.72, inclination_rad: float = math.radians(63.4),
                 argp: float = math.radians(270.0)) -> Orbits:
    """Molniya-type HEO: half-sidereal-day period, e ~ 0.72, critical inclination, apogee north.

    Notes
    -----
    a = (mu (T / 2 pi)^2)^(1/3) (Kepler's third law); i = 63.4 deg freezes the argument
    of perigee under J2 (Vallado 2013, sec. 9.6, eq. 9-41, 5 cos^2 i = 1).
    """
    a = (MU_EARTH * (period_s / TWO_PI) ** 2) ** (1.0 / 3.0)
    raan, m = np.broadcast_arrays(np.asarray(raan, float), np.asarray(mean_anomaly, float))
    one = np.ones(raan.shape)
    return Orbits(a * one, e * one, inclination_rad * one, np.mod(raan, TWO_PI), argp * one,
                  np.mod(m, TWO_PI))


def from_satrec(satrecs, t0_jd: float | None = None, theta0: float | None = None) -> Orbits:
    """Mean elements from sgp4 ``Satrec`` objects (or a single one).

    Parameters
    ----------
    satrecs : Satrec or sequence of Satrec
        Initialised python-sgp4 records.
    t0_jd : float, optional
        Scenario start (t = 0) as a UTC Julian date; elements are carried from each
        record's epoch to it along the secular J2/J4 drift. Default: each record's epoch
        is taken as t = 0.
    theta0 : float, optional
        Not used for the elements; accepted for symmetry. See Notes.

    Returns
    -------
    Orbits

    Notes
    -----
    a = radiusearthkm * 1000 * satrec.a: the Brouwer semi-major axis SGP4 recovers from
    the Kozai mean motion in its own gravity model (Hoots & Roehrich 1980). SGP4's TEME
    frame is taken as the goldendome ECI frame; this is exact when the scenario's
    ``theta0`` is SGP4's GMST at t = 0 (``sgp4.propagation.gstime(t0_jd)``), since TEME
    to pseudo-Earth-fixed is a z rotation by GMST (Vallado et al., AIAA 2006-6753, sec.
    B). Drag (bstar) and SDP4 deep-space terms are dropped. The records' own gravity model
    (WGS72 for TLEs read by ``Satrec.twoline2rv``, the default; or WGS84) carries the elements to
    ``t0_jd``; propagate them with :func:`satrec_gravity` of the same records to fly that model.
    """
    if not isinstance(satrecs, (list, tuple)):
        satrecs = [satrecs]
    from .propagate import secular_rates

    g = satrec_gravity(satrecs)
    cols = np.array([[s.a * s.radiusearthkm * 1e3, s.ecco, s.inclo, s.nodeo, s.argpo, s.mo,
                      s.jdsatepoch + s.jdsatepochF] for s in satrecs], float).reshape(-1, 7)
    o = Orbits(*cols[:, :6].T)
    if t0_jd is None:
        return o
    dt = (t0_jd - cols[:, 6]) * 86400.0
    node_dot, argp_dot, mdot = secular_rates(o, g)
    return Orbits(o.a, o.e, o.i, np.mod(o.raan + node_dot * dt, TWO_PI),
                  np.mod(o.argp + argp_dot * dt, TWO_PI), np.mod(o.mean_anomaly + mdot * dt, TWO_PI))


def satrec_gravity(satrecs):
    """The zonal model (propagate.Gravity, SI) sgp4 records were made with: WGS72 or WGS84.

    A TLE's mean elements belong to the constants they were fitted with (WGS72 for published
    TLEs; Vallado et al., AIAA 2006-6753, sec. "Gravitational constants"); flying them with
    other constants drifts by ~0.3 km a day in LEO. ValueError when the records mix models.
    """
    from .propagate import Gravity

    if not isinstance(satrecs, (list, tuple)):
        satrecs = [satrecs]
    models = {(s.mu, s.radiusearthkm, s.j2, s.j3, s.j4) for s in satrecs}
    if len(models) != 1:
        raise ValueError(f"sgp4 records mix {len(models)} gravity models; give records of one model")
    mu, radius_km, j2, j3, j4 = models.pop()
    return Gravity(mu * 1e9, radius_km * 1e3, j2, j3, j4)


def _kozai_from_brouwer(n_brouwer, e, i, xke, j2):
    """Kozai mean motion whose SGP4 recovery (initl) gives ``n_brouwer``; fixed-point, any units.

    Notes
    -----
    Inverts n'' = n_K / (1 + delta_0), delta_0 from delta_1 and a_1 (Hoots & Roehrich 1980,
    sec. 6, first equations of SGP4); converges in a few steps since delta ~ J2.
    """
    k = 1.5 * j2 / 2.0 * (3.0 * np.cos(i) ** 2 - 1.0) / (1.0 - e * e) ** 1.5
    nk = np.array(n_brouwer, float)
    for _ in range(8):
        a1 = (xke / nk) ** (2.0 / 3.0)
        d1 = k / a1**2
        a0 = a1 * (1.0 - d1 / 3.0 - d1**2 - 134.0 / 81.0 * d1**3)
        nk = n_brouwer * (1.0 + k / a0**2)
    return nk


def to_satrecs(orbits: Orbits, epoch_jd: float = 2460676.5):
    """python-sgp4 ``Satrec`` objects (WGS84 constants, bstar = 0) flying the same mean elements.

    Parameters
    ----------
    orbits : Orbits
        N satellites.
    epoch_jd : float, optional
        UTC Julian date given to sgp4 as t = 0 (default 2025-01-01 00:00).

    Returns
    -------
    list of Satrec

    Notes
    -----
    The Kozai mean motion is chosen so that SGP4's recovered Brouwer semi-major axis equals
    ``orbits.a`` in sgp4's WGS84 units (xke, radiusearthkm), i.e. ``from_satrec`` inverts it
    (Hoots & Roehrich 1980, sec. 6). For comparisons, not in the fast path.
    """
    from sgp4.api import WGS84, Satrec
    from sgp4.earth_gravity import wgs84

    xke_min = wgs84.xke  # 1/min
    r = wgs84.radiusearthkm * 1e3
    nb = xke_min * (orbits.a / r) ** -1.5
    nk = _kozai_from_brouwer(nb, orbits.e, orbits.i, xke_min, wgs84.j2)
    out = []
    for k in range(orbits.n):
        s = Satrec()
        s.sgp4init(WGS84, "i", k, epoch_jd - 2433281.5, 0.0, 0.0, 0.0, orbits.e[k], orbits.argp[k],
                   orbits.i[k], orbits.mean_anomaly[k], nk[k], orbits.raan[k])
        out.append(s)
    return out
