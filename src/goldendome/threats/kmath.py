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
Glide: equilibrium glide near best L/D (Tracy & Wright, Sci. Global Security 28 (2020) 135;
Vinh, Busemann & Culp, Hypersonic and Planetary Entry Flight Mechanics, 1980): vertical lift
balances gravity less the centrifugal v^2/r and the Coriolis terms, the height tracks the
equilibrium height of the commanded CL; range control lowers L/D (a lower, steeper glide)
when the Eggers range to the target exceeds what is left; heading steered to the great
circle to the target (Earth-fixed);
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
NEG_LN_RHO_TAB = -LN_RHO_TAB  # increasing, for the inverse look-up (density_altitude)
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
def geodetic(r):
    """Geodetic latitude (rad) and height (m); Bowring, two passes (as physics.earth.altitude)."""
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
    return lat, p * c + z * s - WGS84_A * math.sqrt(1.0 - WGS84_E2 * s * s)


@njit(cache=True)
def altitude(r):
    """Geodetic height (m); Bowring, two passes (as physics.earth.altitude)."""
    return geodetic(r)[1]


@njit(cache=True)
def geodetic_up(r):
    """Height (m) and unit normal of the WGS84 ellipsoid through r (the local vertical)."""
    lat, h = geodetic(r)
    lon = math.atan2(r[1], r[0])
    c = math.cos(lat)
    return h, (c * math.cos(lon), c * math.sin(lon), math.sin(lat))


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
def density_altitude(rho):
    """Altitude (m) where the US76 density is rho (kg/m^3): the inverse of density()."""
    return np.interp(-math.log(max(rho, 1e-300)), NEG_LN_RHO_TAB, Z_TAB)


@njit(cache=True)
def scale_height(alt):
    """Local density scale height H = -1 / (d ln rho / dh), m (over the 2 km above alt)."""
    d = np.interp(alt, Z_TAB, LN_RHO_TAB) - np.interp(alt + 2e3, Z_TAB, LN_RHO_TAB)
    return 2e3 / max(d, 1e-6)


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
def apparent_gravity(r, va, g):
    """Gravity plus Coriolis and centrifugal accelerations in the Earth-fixed frame (ECI axes).

    g - 2 w x v_rel - w x (w x r), w = (0, 0, OMEGA_EARTH) (Vinh, Busemann & Culp 1980, ch. 2).
    """
    w = (0.0, 0.0, OMEGA_EARTH)
    return sub(sub(g, scale(cross(w, va), 2.0)), cross(w, cross(w, r)))


@njit(cache=True)
def equilibrium_lift(r, va, app):
    """Vertical lift acceleration (m/s^2) that holds the radial speed steady: -app . r^ - v_h^2 / r.

    In the Earth-fixed frame d(v_rel . r^)/dt = a_rel . r^ + |v_rel,h|^2 / r, so this is
    gravity less the centrifugal term v^2/r and the vertical Coriolis and Earth-rate
    centrifugal terms (the equilibrium-glide condition, Vinh et al. 1980, eq. for d gamma/dt).
    """
    ur = unit(r)
    vr = dot(va, ur)
    return -dot(app, ur) - (dot(va, va) - vr * vr) / norm(r)


@njit(cache=True)
def glide_reach(r, v, v_end, dh):
    """Ground range (m) per unit L/D of an equilibrium glide from the present speed down to v_end (air-relative).

    Eggers, Allen & Neice (NACA Rep. 1382, 1958): with dv/dt = -(g - v^2/r)/(L/D),
    range = (L/D) (r/2) ln((1 - xf)/(1 - x)), x = v^2/(g r), v the inertial horizontal speed;
    time = (L/D) sqrt(r/g) (atanh sqrt(x) - atanh sqrt(xf)). The ground moves along the path at
    u = (w x r) . heading, so the ground range is the inertial range less u times the time, and
    the glide ends at the inertial speed v_end + u. A glider dh above its equilibrium height
    has the speed sqrt(v^2 + 2 g dh) once it has come down to it (energy height).
    """
    rn = norm(r)
    ur = unit(r)
    gm = MU_EARTH / (rn * rn)
    vr = dot(v, ur)
    vh = sub(v, scale(ur, vr))
    u = dot((-OMEGA_EARTH * r[1], OMEGA_EARTH * r[0], 0.0), unit(vh))
    x = min(max(dot(vh, vh) + 2.0 * gm * dh, 0.0) / (gm * rn), 0.999)
    xf = min(max(v_end + u, 0.0) ** 2 / (gm * rn), x)
    t_unit = math.sqrt(rn / gm) * (math.atanh(math.sqrt(x)) - math.atanh(math.sqrt(xf)))
    return 0.5 * rn * math.log((1.0 - xf) / (1.0 - x)) - u * t_unit


@njit(cache=True)
def lift_coefficient_for(e, e_max, cl_star):
    """CL below CL* at which a parabolic polar gives L/D = e (<= e_max): the lower, steeper glide.

    CL / CL* = (1 - sqrt(1 - (e/e_max)^2)) / (e/e_max), from CL/(CD0 + K CL^2) = e with
    e_max = 1/(2 sqrt(CD0 K)) and CL* = sqrt(CD0/K) (Anderson, Introduction to Flight, sec. 6.1).
    """
    f = min(max(e / e_max, 1e-3), 1.0)
    return cl_star * (1.0 - math.sqrt(1.0 - f * f)) / f


@njit(cache=True)
def glide_lift(r, v, g, alt, up, target, e_cmd, cl_cmd, s_over_m, gains):
    """Lift acceleration (ECI, m/s^2) of an equilibrium glide at CL = cl_cmd toward ``target``.

    gains = (tau_heading, tau_v, tau_h, gamma_max, max_bank): heading time constant (s),
    inner sink-rate and outer height time constants (s), steepest commanded climb or sink
    (rad) and the largest bank counted on when sizing the glide height (rad).

    Notes
    -----
    Vertical: the lift that holds the radial speed (equilibrium_lift: gravity less v^2/r and
    the Coriolis and centrifugal terms) plus a cascaded height loop toward the height where
    that lift, with the turn, needs exactly cl_cmd: rho_ref = 2 |a_lift| / (cl_cmd (S/m) v^2),
    sink rate of the equilibrium glide dh/dt = -2 H g' / ((L/D) v) (differentiating rho_ref
    with rho ~ exp(-h/H) and dv/dt = -(g - v^2/r)/(L/D)). Heights are geodetic, so the glide
    follows the ellipsoid, not a sphere. Lateral: the Coriolis and centrifugal side force is
    cancelled and the heading turned to the great circle through the target (Earth-fixed).
    Vinh, Busemann & Culp, Hypersonic and Planetary Entry Flight Mechanics (1980), ch. 2, 6;
    Tracy & Wright, Sci. Global Security 28 (2020) 135 (equilibrium glide at best L/D).
    """
    tau_heading, tau_v, tau_h, gamma_max, max_bank = gains
    va = air_velocity(r, v)
    speed = max(norm(va), 1.0)
    vhat = unit(va)
    app = apparent_gravity(r, va, g)
    a_eq = equilibrium_lift(r, va, app)
    n_v = unit(sub(up, scale(vhat, dot(up, vhat))))
    side = cross(n_v, vhat)
    vh = sub(va, scale(up, dot(va, up)))
    head = unit(vh)
    want = horizontal_toward(r, target)
    err = math.atan2(dot(cross(head, want), up), dot(head, want))
    a_lat = -dot(app, side) + norm(vh) * err / tau_heading
    a_turn = min(abs(a_lat), max(a_eq, 0.0) * math.tan(max_bank))
    rho_ref = 2.0 * math.sqrt(a_eq * a_eq + a_turn * a_turn) / (cl_cmd * s_over_m * speed * speed)
    h_ref = density_altitude(rho_ref)
    hdot_ref = -2.0 * scale_height(alt) * max(-dot(app, unit(r)), 0.0) / (e_cmd * speed)
    lim = speed * math.sin(gamma_max)
    hdot_cmd = hdot_ref + min(max((h_ref - alt) / tau_h, -lim), lim)
    a_v = max(a_eq + (hdot_cmd - dot(v, up)) / tau_v, 0.0)
    return add(scale(n_v, a_v), scale(side, a_lat))


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
