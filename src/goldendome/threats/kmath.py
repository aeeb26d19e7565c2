"""Compiled scalar physics and guidance for the flight kernel (numba, cache=True).

Vectors are 3-tuples so that nothing is allocated in the inner loop. The frame, gravity,
atmosphere and Kepler functions are scalar forms of physics/ (whose docstrings give the
equations and sources) and are tested against them (tests/threats/test_kmath.py).

Guidance
--------
Boost: after a vertical rise the first stage follows a linear pitch programme (Forden,
Sci. Global Security 15 (2007) 77); upper stages steer along the velocity-to-be-gained
v_go = v_req - v and cut thrust when it vanishes (Battin, An Introduction to the
Mathematics and Methods of Astrodynamics, AIAA 1999, ch. 14; Zarchan, Tactical and
Strategic Missile Guidance, 7th ed., ch. 13). v_req is the velocity on the conic of the
chosen shape from the present position to where the aim point will be at impact.
Glide: equilibrium glide L_v = m (g - v_h^2 / r) with sink-rate damping (Tracy & Wright,
Sci. Global Security 28 (2020) 135), heading steered to the great circle to the target;
terminal dive by proportional navigation a = N (Omega x v) plus gravity compensation
(Zarchan, ch. 2 and 8). Glider drag: parabolic polar CD = CD0 + K CL^2 with best L/D at
CL* = cl_max / 2 (Anderson, Introduction to Flight, sec. 6.1).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..physics import atmosphere
from ..physics.constants import J2, MU_EARTH, OMEGA_EARTH, WGS84_A, WGS84_B, WGS84_E2, WGS84_F

_EP2 = WGS84_E2 / (1.0 - WGS84_E2)
Z_TAB, LN_RHO_TAB, SOUND_TAB = atmosphere.fast_tables()
# Zero-lift drag coefficient of a slender missile body vs Mach number (V-2 wind-tunnel
# data, approximately digitized from Sutton & Biblarz, Rocket Propulsion Elements, 9th ed.,
# Fig. 4-2). Boost drag losses are a few percent of delta-v, so this shape matters little.
MACH_TAB = np.array([0.0, 0.6, 0.8, 1.0, 1.2, 1.5, 2.0, 3.0, 4.0, 5.0, 10.0])
CD_TAB = np.array([0.16, 0.16, 0.18, 0.36, 0.40, 0.36, 0.30, 0.23, 0.20, 0.18, 0.16])


@njit(cache=True, inline="always")
def add(a, b):
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


@njit(cache=True, inline="always")
def sub(a, b):
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


@njit(cache=True, inline="always")
def scale(a, s):
    return (a[0] * s, a[1] * s, a[2] * s)


@njit(cache=True, inline="always")
def dot(a, b):
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


@njit(cache=True, inline="always")
def cross(a, b):
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


@njit(cache=True, inline="always")
def norm(a):
    return math.sqrt(dot(a, a))


@njit(cache=True, inline="always")
def unit(a):
    n = norm(a)
    return scale(a, 1.0 / n) if n > 0.0 else a


@njit(cache=True, inline="always")
def rotz(a, ang):
    c, s = math.cos(ang), math.sin(ang)
    return (c * a[0] - s * a[1], s * a[0] + c * a[1], a[2])


@njit(cache=True)
def altitude(r):
    """Geodetic height (m); Bowring, two passes (as physics.earth.altitude)."""
    p = math.hypot(r[0], r[1])
    z = r[2]
    beta = math.atan2(z, (1.0 - WGS84_F) * p)
    lat = beta
    for _ in range(2):
        sb, cb = math.sin(beta), math.cos(beta)
        den = max(p - WGS84_E2 * WGS84_A * cb**3, 0.0)
        lat = math.atan2(z + _EP2 * WGS84_B * sb**3, den)
        beta = math.atan2((1.0 - WGS84_F) * math.sin(lat), math.cos(lat))
    s, c = math.sin(lat), math.cos(lat)
    return p * c + z * s - WGS84_A * math.sqrt(1.0 - WGS84_E2 * s * s)


@njit(cache=True)
def gravity(r, with_j2):
    """Point-mass + J2 acceleration (as physics.gravity.accel_j2)."""
    r2 = dot(r, r)
    rn = math.sqrt(r2)
    k = -MU_EARTH / (r2 * rn)
    if not with_j2:
        return scale(r, k)
    f = 1.5 * J2 * WGS84_A**2 / r2
    zz = 5.0 * r[2] ** 2 / r2
    return (k * r[0] * (1.0 + f * (1.0 - zz)), k * r[1] * (1.0 + f * (1.0 - zz)), k * r[2] * (1.0 + f * (3.0 - zz)))


@njit(cache=True)
def density(alt):
    return math.exp(np.interp(alt, Z_TAB, LN_RHO_TAB))


@njit(cache=True)
def sound(alt):
    return np.interp(alt, Z_TAB, SOUND_TAB)


@njit(cache=True)
def body_cd(mach):
    return np.interp(mach, MACH_TAB, CD_TAB)


@njit(cache=True, inline="always")
def air_velocity(r, v):
    return (v[0] + OMEGA_EARTH * r[1], v[1] - OMEGA_EARTH * r[0], v[2])


# -- Kepler (scalar twins of physics/kepler.py) ---------------------------------------------
@njit(cache=True)
def geometry(r1, r2):
    n1, n2 = norm(r1), norm(r2)
    ct = min(max(dot(r1, r2) / (n1 * n2), -1.0), 1.0)
    return n1, n2, math.acos(ct), norm(sub(r2, r1))


@njit(cache=True)
def e2_quadratic(n1, n2, th):
    u = 1.0 / n1
    k = math.cos(th) / n1 - 1.0 / n2
    m = math.cos(th) - 1.0
    s2 = math.sin(th) ** 2
    return u * u + k * k / s2, u + k * m / s2, m * m / s2


@njit(cache=True)
def p_min_energy(n1, n2, th, chord):
    return n1 * n2 * (1.0 - math.cos(th)) / chord


@njit(cache=True)
def p_for_apogee(n1, n2, th, ra):
    a, b, c = e2_quadratic(n1, n2, th)
    lo = (b - math.sqrt(max(b * b - a * c, 0.0))) / a
    hi = b / a
    qa, qb = a - 1.0 / ra**2, b - 1.0 / ra
    disc = math.sqrt(max(qb * qb - qa * c, 0.0))
    best = math.inf
    if abs(qa * c) < 1e-9 * qb * qb:
        cands = (c / (2.0 * qb), math.inf)
    else:
        cands = ((qb - disc) / qa, (qb + disc) / qa)
    for p in cands:
        if lo * (1 - 1e-12) < p <= hi * (1 + 1e-12) and p < best:
            best = p
    return best if best < math.inf else hi


@njit(cache=True)
def velocity_on_conic(r1, r2, n1, n2, th, p):
    f = 1.0 - n2 / p * (1.0 - math.cos(th))
    g = n1 * n2 * math.sin(th) / math.sqrt(MU_EARTH * p)
    return scale(sub(r2, scale(r1, f)), 1.0 / g)


@njit(cache=True)
def _mean_anomaly(nu, e):
    ecc = 2.0 * math.atan2(math.sqrt(1.0 - e) * math.sin(nu / 2.0), math.sqrt(1.0 + e) * math.cos(nu / 2.0))
    return ecc - e * math.sin(ecc)


@njit(cache=True)
def time_of_flight(n1, n2, th, p):
    a = p / n1 - 1.0
    b = p / n2 - 1.0
    e = min(math.hypot(a, (a * math.cos(th) - b) / math.sin(th)), 1.0 - 1e-12)
    nu1 = math.atan2((a * math.cos(th) - b) / math.sin(th), a)
    dm = (_mean_anomaly(nu1 + th, e) - _mean_anomaly(nu1, e)) % (2.0 * math.pi)
    sma = p / (1.0 - e * e)
    return dm * math.sqrt(sma**3 / MU_EARTH)


@njit(cache=True)
def required_velocity(r, tau, aim, theta, lofted, apogee_radius, tof):
    """Velocity to coast from r to the Earth-fixed aim; returns (v_req, tof). Two passes on tof."""
    v = r
    for _ in range(2):
        r2 = rotz(aim, theta + OMEGA_EARTH * (tau + tof))
        n1, n2, th, chord = geometry(r, r2)
        p = p_for_apogee(n1, n2, th, apogee_radius) if lofted else p_min_energy(n1, n2, th, chord)
        tof = time_of_flight(n1, n2, th, p)
        v = velocity_on_conic(r, r2, n1, n2, th, p)
    return v, tof


# -- guidance (see the module docstring for the laws and their sources) ---------------------
@njit(cache=True)
def horizontal_toward(r, point):
    up = unit(r)
    d = sub(point, r)
    return unit(sub(d, scale(up, dot(d, up))))


@njit(cache=True)
def flight_path_angle(r, v):
    return math.asin(min(max(dot(unit(r), unit(v)), -1.0), 1.0))


@njit(cache=True)
def pitch_direction(r, aim_now, tau, t_vert, pitch, t_turn):
    s = min(max((tau - t_vert) / max(t_turn - t_vert, 1e-9), 0.0), 1.0)
    ang = pitch * s
    return add(scale(unit(r), math.cos(ang)), scale(horizontal_toward(r, aim_now), math.sin(ang)))


@njit(cache=True)
def glide_lift(r, v, g, target, k_hdot, tau_heading):
    va = air_velocity(r, v)
    up = unit(r)
    vhat = unit(va)
    hdot = dot(va, up)
    vh = sub(va, scale(up, hdot))
    a_vert = -dot(g, up) - dot(vh, vh) / norm(r) - k_hdot * hdot
    want = horizontal_toward(r, target)
    head = unit(vh)
    err = math.atan2(dot(cross(head, want), up), dot(head, want))
    a_lat = norm(vh) * err / tau_heading
    n_v = unit(sub(up, scale(vhat, dot(up, vhat))))
    return add(scale(n_v, a_vert), scale(cross(n_v, vhat), a_lat))


@njit(cache=True)
def pn_lift(r, v, g, target, gain):
    vt = (-OMEGA_EARTH * target[1], OMEGA_EARTH * target[0], 0.0)
    rr = sub(target, r)
    vr = sub(vt, v)
    om = scale(cross(rr, vr), 1.0 / dot(rr, rr))
    a = sub(scale(cross(om, v), gain), g)
    vhat = unit(air_velocity(r, v))
    return sub(a, scale(vhat, dot(a, vhat)))


@njit(cache=True)
def dive_now(r, v, target, dive_angle, lead_time):
    nr, nt = norm(r), norm(target)
    central = math.acos(min(max(dot(r, target) / (nr * nt), -1.0), 1.0))
    ground = nt * central
    return math.atan2(nr - nt, ground) > dive_angle or ground < norm(v) * lead_time
