"""Fast analytic propagation of many satellites: SGP4 near-Earth theory without drag.

Model (Hoots & Roehrich, Spacetrack Report No. 3, 1980, sec. 6 "SGP4"; revised by
Vallado, Crawford, Hujsak & Kelso, "Revisiting Spacetrack Report #3", AIAA 2006-6753):
Brouwer mean elements drift secularly under J2 and J4 (RAAN, argument of perigee, mean
anomaly); J3 long-period terms (``aycof``, ``xlcof``) enter the Kepler equation in the
Lyddane (axN, ayN) variables; the first-order J2 short-period periodics correct radius,
argument of latitude, node, inclination and the velocity components. With bstar = 0 every
drag term of SGP4 vanishes, so this is SGP4 exactly, in SI and double precision.

Deep space (period >= 225 min): SGP4 switches to SDP4 (lunar-solar and resonance terms);
this module does not, so GEO/HEO orbits are two-body + J2/J3/J4 only. Over one day that
differs from SDP4 by 3 km (GPS-like MEO) to 75 km (Molniya) (tests/space).

Frame: the goldendome ECI frame (see :mod:`goldendome.space.orbits`).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit, prange

from ..physics.constants import J2, MU_EARTH, WGS84_A
from .orbits import Orbits


class Gravity(NamedTuple):
    """Zonal gravity model for the propagator (SI): mu m^3/s^2, radius m, J2, J3, J4."""

    mu: float
    radius: float
    j2: float
    j3: float
    j4: float


# J3 = -C30, J4 = -C40 unnormalized from EGM96 normalized C30 = 0.957254173792e-6 (x sqrt 7),
# C40 = 0.539873863789e-6 (x 3); Lemoine et al., NASA/TP-1998-206861 (EGM96).
J3_EGM96 = -0.957254173792e-6 * math.sqrt(7.0)
J4_EGM96 = -0.539873863789e-6 * 3.0
GRAVITY = Gravity(MU_EARTH, WGS84_A, J2, J3_EGM96, J4_EGM96)
# sgp4's 'wgs84' constants (python-sgp4 sgp4.earth_gravity / getgravconst; Vallado et al.,
# AIAA 2006-6753, sec. "Gravitational constants").
GRAVITY_SGP4_WGS84 = Gravity(398600.5e9, 6378137.0, 0.00108262998905, -0.00000253215306,
                             -0.00000161098761)
TWO_PI = 2.0 * math.pi
E_MIN = 1.0e-6  # SGP4 floors the propagated eccentricity at 1e-6 (Vallado et al. 2006, sgp4())

# per-satellite parameter columns
(P_NODE, P_ARGP, P_M, P_NODEDOT, P_ARGPDOT, P_MDOT, P_AM, P_NMR, P_EM, P_SINI, P_COSI,
 P_AYCOF, P_XLCOF, P_CON41, P_X1MTH2, P_X7THM1, P_SQAM, P_TMP) = range(18)
NP = 18


def _init(orbits: Orbits, g: Gravity):
    """SGP4 initialisation (sgp4init/initl) with bstar = 0, vectorised; canonical units.

    Distances in Earth radii ``g.radius``, times in s, xke = sqrt(mu / R^3) (1/s).

    Notes
    -----
    Secular rates (Hoots & Roehrich 1980, sec. 6 eqs. for M-dot, omega-dot, Omega-dot, with
    the J4 terms; Vallado 2013, eqs. 9-41 for the J2 part):
    n(1 + 1.5 J2 sqrt(1-e^2) (3cos^2 i - 1)/(2p^2) + ...), etc., p = a (1-e^2) in Earth radii.
    """
    xke = math.sqrt(g.mu / g.radius**3)
    am = orbits.a / g.radius
    no = xke * am**-1.5
    cosio, sinio = np.cos(orbits.i), np.sin(orbits.i)
    c2 = cosio * cosio
    c4 = c2 * c2
    omeosq = 1.0 - orbits.e**2
    rteosq = np.sqrt(omeosq)
    pinvsq = 1.0 / (am * omeosq) ** 2
    con41 = 3.0 * c2 - 1.0
    con42 = 1.0 - 5.0 * c2
    t1 = 1.5 * g.j2 * pinvsq * no
    t2 = 0.5 * t1 * g.j2 * pinvsq
    t3 = -0.46875 * g.j4 * pinvsq * pinvsq * no
    mdot = no + 0.5 * t1 * rteosq * con41 + 0.0625 * t2 * rteosq * (13.0 - 78.0 * c2 + 137.0 * c4)
    argpdot = (-0.5 * t1 * con42 + 0.0625 * t2 * (7.0 - 114.0 * c2 + 395.0 * c4)
               + t3 * (3.0 - 36.0 * c2 + 49.0 * c4))
    nodedot = -t1 * cosio + (0.5 * t2 * (4.0 - 19.0 * c2) + 2.0 * t3 * (3.0 - 7.0 * c2)) * cosio
    j3oj2 = g.j3 / g.j2 if g.j2 != 0.0 else 0.0  # SGP4 carries J3 as J3/J2 (none if J2 = 0)
    opc = np.where(np.abs(cosio + 1.0) > 1.5e-12, 1.0 + cosio, 1.5e-12)
    xlcof = -0.25 * j3oj2 * sinio * (3.0 + 5.0 * cosio) / opc
    aycof = -0.5 * j3oj2 * sinio
    return np.stack([orbits.raan, orbits.argp, orbits.mean_anomaly, nodedot, argpdot, mdot, am,
                     am**-1.5, np.maximum(orbits.e, E_MIN), sinio, cosio, aycof, xlcof, con41,
                     1.0 - c2, 7.0 * c2 - 1.0, np.sqrt(am),
                     1.0 / (am * (1.0 - np.maximum(orbits.e, E_MIN) ** 2))], axis=1), xke


def secular_rates(orbits: Orbits, gravity: Gravity = GRAVITY):
    """Secular drift rates of the mean elements under J2 and J4.

    Parameters
    ----------
    orbits : Orbits
        N satellites.
    gravity : Gravity, optional
        Zonal model; default goldendome (WGS84 mu/R, EGM96 J2/J3/J4).

    Returns
    -------
    raan_dot, argp_dot, mean_motion : ndarray, shape (N,)
        dOmega/dt, domega/dt and dM/dt (the secular mean motion incl. J2/J4), rad/s.

    Notes
    -----
    To first order Omega-dot = -1.5 n J2 (R/p)^2 cos i and omega-dot =
    0.75 n J2 (R/p)^2 (5cos^2 i - 1) (Vallado 2013, eqs. 9-41, 9-42); SGP4's second-order
    J2^2 and J4 terms are included as in Hoots & Roehrich (1980), sec. 6.
    """
    p, _ = _init(orbits, gravity)
    return p[:, P_NODEDOT].copy(), p[:, P_ARGPDOT].copy(), p[:, P_MDOT].copy()


@njit(cache=True, fastmath=True, inline="always")
def _turn(s, c, d):
    """(sin(x + d), cos(x + d)) from sin x, cos x and a small d (Taylor, 7th order).

    Truncation error < d^8 / 8! ~ 1e-15 for |d| <= TURN_MAX; used instead of sin/cos to
    carry angles that move little between output times.
    """
    d2 = d * d
    cd = 1.0 - d2 * (0.5 - d2 * (1.0 / 24.0 - d2 / 720.0))
    sd = d * (1.0 - d2 * (1.0 / 6.0 - d2 * (1.0 / 120.0 - d2 / 5040.0)))
    return s * cd + c * sd, c * cd - s * sd


TURN_MAX = 0.05  # rad, largest angle step carried by _turn instead of sin/cos


@njit(cache=True, fastmath=True, inline="always")
def _sincos(x, s, c, d, fresh):
    """sin, cos of x = x_prev + d: re-evaluated when ``fresh`` or |d| > TURN_MAX, else turned."""
    if fresh or abs(d) > TURN_MAX:
        return math.sin(x), math.cos(x)
    return _turn(s, c, d)


@njit(cache=True, fastmath=True, inline="always")
def _kepler(u, axnl, aynl, e_, s, c):
    """Solve u = E - axnl sin E + aynl cos E (SGP4's Kepler equation) from the guess e_.

    (s, c) are sin and cos of the guess. Newton steps are clamped at 0.95 rad as in SGP4
    (Vallado et al. 2006) and stop below 1e-12 rad. Returns E, sin E, cos E.
    """
    for _ in range(30):
        d = (u - aynl * c + axnl * s - e_) / (1.0 - c * axnl - s * aynl)
        d = min(max(d, -0.95), 0.95)
        if abs(d) < 1e-12:
            break
        e_ += d
        s, c = _sincos(e_, s, c, d, False)
    return e_, s, c


@njit(cache=True, fastmath=True, inline="always")
def _short_period(p, j2, sn, cn, axnl, aynl, s, c):
    """Unit-radius state from the solved Kepler equation: (r/R)(3), v/(R xke)(3).

    Notes
    -----
    SGP4 near-Earth branch after the Kepler solution, bstar = 0 (Hoots & Roehrich 1980,
    sec. 6; Vallado et al. 2006): first-order J2 short-period periodics in r, u, node,
    i, r-dot, r f-dot, then the orientation vectors U, V.
    """
    am = p[P_AM]
    ecose = axnl * c + aynl * s
    esine = axnl * s - aynl * c
    el2 = axnl * axnl + aynl * aynl
    pl = am * (1.0 - el2)
    ipl = 1.0 / pl
    irl = 1.0 / (am * (1.0 - ecose))
    rl = 1.0 / irl
    rdotl = p[P_SQAM] * esine * irl
    rvdotl = math.sqrt(pl) * irl
    betal = math.sqrt(1.0 - el2)
    tq = esine / (1.0 + betal)
    sinu = am * irl * (s - aynl - axnl * tq)
    cosu = am * irl * (c - axnl + aynl * tq)
    sin2u = 2.0 * cosu * sinu
    cos2u = 1.0 - 2.0 * sinu * sinu
    temp1 = 0.5 * j2 * ipl
    temp2 = temp1 * ipl
    con41, x1mth2, sinio, cosio = p[P_CON41], p[P_X1MTH2], p[P_SINI], p[P_COSI]
    mrt = rl * (1.0 - 1.5 * temp2 * betal * con41) + 0.5 * temp1 * x1mth2 * cos2u
    sinsu, cossu = _turn(sinu, cosu, -0.25 * temp2 * p[P_X7THM1] * sin2u)
    snod, cnod = _turn(sn, cn, 1.5 * temp2 * cosio * sin2u)
    sini, cosi = _turn(sinio, cosio, 1.5 * temp2 * cosio * sinio * cos2u)
    mvt = rdotl - p[P_NMR] * temp1 * x1mth2 * sin2u
    rvdot = rvdotl + p[P_NMR] * temp1 * (x1mth2 * cos2u + 1.5 * con41)
    xmx, xmy = -snod * cosi, cnod * cosi
    ux, uy, uz = xmx * sinsu + cnod * cossu, xmy * sinsu + snod * cossu, sini * sinsu
    vx, vy, vz = xmx * cossu - cnod * sinsu, xmy * cossu - snod * sinsu, sini * cossu
    return (mrt * ux, mrt * uy, mrt * uz,
            mvt * ux + rvdot * vx, mvt * uy + rvdot * vy, mvt * uz + rvdot * vz)


@njit(cache=True, fastmath=True, inline="always")
def _advance(p, t, dt, fresh, sn, cn, sa, ca, e_, s, c, u_old):
    """Secular and long-period update and Kepler solution at time t (s), carried from t - dt.

    Notes
    -----
    Secular update and J3 long-period terms of SGP4 (Hoots & Roehrich 1980, sec. 6):
    node, omega, M linear in t; axN = e cos omega, ayN = e sin omega + aycof / p,
    U = M + omega + xlcof axN / p. Sines and cosines of node, omega and the eccentric
    longitude are turned (:func:`_turn`) from the previous time when the step is small
    and re-evaluated otherwise (``fresh``), agreeing with fresh evaluation to ~1e-14 rad.
    """
    sn, cn = _sincos(p[P_NODE] + p[P_NODEDOT] * t, sn, cn, p[P_NODEDOT] * dt, fresh)
    argpp = p[P_ARGP] + p[P_ARGPDOT] * t
    sa, ca = _sincos(argpp, sa, ca, p[P_ARGPDOT] * dt, fresh)
    axnl = p[P_EM] * ca
    aynl = p[P_EM] * sa + p[P_TMP] * p[P_AYCOF]
    u = p[P_M] + p[P_MDOT] * t + argpp + p[P_TMP] * p[P_XLCOF] * axnl
    u -= TWO_PI * math.floor(u / TWO_PI)
    du = u - u_old
    du -= TWO_PI * math.floor(du / TWO_PI + 0.5)
    if fresh or abs(du) > TURN_MAX:
        e_, s, c = u, math.sin(u), math.cos(u)
    else:
        e_ = e_ + du
        s, c = _turn(s, c, du)
    e_, s, c = _kepler(u, axnl, aynl, e_, s, c)
    return sn, cn, sa, ca, e_, s, c, u, axnl, aynl


@njit(cache=True, fastmath=True)
def _one(p, t, out, k, j2, rscale, vscale):
    """Fly satellite k over all t into out[k]: positions (m) and, with 6 columns, velocities (m/s)."""
    sn = cn = sa = ca = s = c = e_ = u = t_old = 0.0
    with_v = out.shape[2] == 6
    for j in range(t.shape[0]):
        sn, cn, sa, ca, e_, s, c, u, axnl, aynl = _advance(p, t[j], t[j] - t_old, j == 0, sn, cn,
                                                           sa, ca, e_, s, c, u)
        t_old = t[j]
        x = _short_period(p, j2, sn, cn, axnl, aynl, s, c)
        for m in range(3):
            out[k, j, m] = x[m] * rscale
            if with_v:
                out[k, j, 3 + m] = x[3 + m] * vscale


@njit(cache=True, fastmath=True, parallel=True)
def _kernel(params, t, out, j2, rscale, vscale):
    """Fill out[k, :, :3] (m) and, with 6 columns, out[k, :, 3:] (m/s); parallel over k."""
    for k in prange(params.shape[0]):
        _one(params[k], t, out, k, j2, rscale, vscale)


def propagate_into(orbits: Orbits, t, out: np.ndarray, gravity: Gravity = GRAVITY) -> np.ndarray:
    """Propagate into a preallocated array (for chunked big runs).

    Parameters
    ----------
    orbits : Orbits
        N satellites.
    t : array_like, shape (T,)
        Times since t = 0, s.
    out : ndarray, shape (N, T, 3) or (N, T, 6), float32 or float64, C-contiguous
        Receives ECI positions (m) and, with 6 columns, velocities (m/s).
    gravity : Gravity, optional
        Zonal model (default :data:`GRAVITY`; :data:`GRAVITY_SGP4_WGS84` reproduces sgp4).

    Returns
    -------
    ndarray
        ``out``.

    Notes
    -----
    SGP4 near-Earth theory with bstar = 0 (module docstring); numba, parallel over satellites.
    """
    t = np.ascontiguousarray(np.atleast_1d(np.asarray(t, float)))
    if out.shape[:2] != (orbits.n, t.shape[0]) or out.shape[2] not in (3, 6):
        raise ValueError(f"out must have shape ({orbits.n}, {t.shape[0]}, 3 or 6); got {out.shape}")
    if out.dtype not in (np.float32, np.float64) or not out.flags.c_contiguous:
        raise ValueError(f"out must be a C-contiguous float32 or float64 array; got {out.dtype}")
    params, xke = _init(orbits, gravity)
    _kernel(params, t, out, gravity.j2, gravity.radius, gravity.radius * xke)
    return out


def propagate(orbits: Orbits, t, gravity: Gravity = GRAVITY, dtype=np.float64) -> np.ndarray:
    """ECI positions of N satellites at T times.

    Parameters
    ----------
    orbits : Orbits
        N satellites.
    t : array_like, shape (T,)
        Times since t = 0, s.
    gravity : Gravity, optional
        Zonal model.
    dtype : numpy dtype, optional
        float64 (default) or float32.

    Returns
    -------
    ndarray, shape (N, T, 3)
        Positions, m.

    Notes
    -----
    See :func:`propagate_into`.
    """
    t = np.atleast_1d(np.asarray(t, float))
    return propagate_into(orbits, t, np.empty((orbits.n, t.shape[0], 3), dtype), gravity)


def propagate_state(orbits: Orbits, t, gravity: Gravity = GRAVITY, dtype=np.float64) -> np.ndarray:
    """ECI states of N satellites at T times: (N, T, 6), positions m then velocities m/s.

    Notes
    -----
    See :func:`propagate_into`; velocities are SGP4's (Hoots & Roehrich 1980, sec. 6).
    """
    t = np.atleast_1d(np.asarray(t, float))
    return propagate_into(orbits, t, np.empty((orbits.n, t.shape[0], 6), dtype), gravity)
