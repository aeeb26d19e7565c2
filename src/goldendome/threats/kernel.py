"""Compiled flight kernel: each object integrated on its own adaptive RK4 grid, in parallel.

This is the engine behind threats.flight.fly. Per object: thrust with a pitch programme
(first stage) or velocity-to-be-gained steering (upper stages) and a cut-off located
inside the step; staging; release of RVs, decoys and gliders; J2 gravity; US76 drag;
glide and dive guidance; events root-found on the step's Hermite cubic; states written
straight onto the caller's output time grid.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from ..physics.constants import G0, OMEGA_EARTH
from . import kmath as K
from .phases import Phase

# numba takes the phase codes as plain int globals (COAST is Phase.POST_BOOST)
BOOST, COAST, BALLISTIC, GLIDE, TERMINAL, DONE = (int(Phase.BOOST), int(Phase.POST_BOOST), int(Phase.BALLISTIC),
                                                  int(Phase.GLIDE), int(Phase.TERMINAL), int(Phase.DONE))
NOT_LAUNCHED = int(Phase.NOT_LAUNCHED)
KIND_DECOY = 1
END_IMPACT, END_FILTERED, END_TIMEOUT = 0, 1, 2

MIN_BURN_S = 10.0  # s after the vertical rise before thrust may be cut
REENTRY_ALT = 100e3  # m, re-entry event altitude
DECOY_FILTER_G = 3.0  # light decoy filtered once its drag exceeds 3 g (assumption; see flight.py)
DIVE_ANGLE = math.radians(25.0)  # glider dives when the target is this far below (atan h/ground)
DIVE_LEAD_S = 60.0  # ... or this close in flight time (assumption)
DT_BOOST, DT_ATMOS, DT_GLIDE, DT_MAX = 0.5, 0.25, 0.5, 10.0  # s

# per-object parameter row (Q matrix columns)
(Q_AREA, Q_BETA, Q_GMASS, Q_GAREA, Q_CD0, Q_CLMAX, Q_THETA, Q_TVERT, Q_KICK, Q_TURN,
 Q_AIMX, Q_AIMY, Q_AIMZ, Q_TGTX, Q_TGTY, Q_TGTZ, Q_WPX, Q_WPY, Q_WPZ, Q_LOFT, Q_APO, Q_BODY,
 Q_DELAY, Q_DVX, Q_DVY, Q_DVZ, Q_TLAUNCH, Q_NSTAGE, Q_KIND, Q_KIND_INDUCED) = range(30)
NQ = 30
# event columns
(E_TBO, E_RBO, E_VBO, E_TDEP, E_TAPO, E_APO, E_TRE, E_TEND, E_REASON, E_REND, E_VEND,
 E_VMAX, E_GTURN, E_GREQ, E_STEPS) = (0, 1, 4, 7, 8, 9, 10, 11, 12, 13, 16, 19, 20, 21, 22)
NE = 23
# model flags
M_J2, M_DRAG, M_SPHERE = 0, 1, 2


@njit(cache=True)
def _alt(r, model):
    return K.norm(r) - model[M_SPHERE] if model[M_SPHERE] > 0 else K.altitude(r)


@njit(cache=True)
def _vec(a, i):
    return (a[i], a[i + 1], a[i + 2])


@njit(cache=True)
def _aero(r, v, m, phase, q, cmd, model):
    """Aerodynamic acceleration: booster Cd(M), ballistic coefficient, or glider polar."""
    alt = _alt(r, model)
    va = K.air_velocity(r, v)
    speed = K.norm(va)
    if speed <= 0.0:
        return (0.0, 0.0, 0.0)
    qdyn = 0.5 * K.density(alt) * speed * speed
    if phase <= COAST:
        return K.scale(va, -qdyn * K.body_cd(speed / K.sound(alt)) * q[Q_AREA] / (m * speed))
    if phase == BALLISTIC:
        return K.scale(va, -qdyn / (q[Q_BETA] * speed))
    qs_m = qdyn * q[Q_GAREA] / q[Q_GMASS]
    lift = _limit_lift(r, va, (cmd[6], cmd[7], cmd[8]), qs_m * q[Q_CLMAX])
    cl = K.norm(lift) / qs_m if qs_m > 0 else 0.0
    return K.add(lift, K.scale(va, -qs_m * (q[Q_CD0] + q[Q_KIND_INDUCED] * cl * cl) / speed))


MAX_BANK = math.radians(60.0)  # largest bank a glider uses to turn when lift is scarce (assumption)
# Equilibrium glide (kmath.glide_lift): heading 25 s; sink-rate loop 10 s inside a 40 s
# height loop (critically damped, period ~2 min, faster than the ~3-5 min phugoid of a
# hypersonic glider); climbs and sinks of at most 3 deg toward the equilibrium height.
GLIDE_GAINS = (25.0, 10.0, 40.0, math.radians(3.0), MAX_BANK)
GLIDE_END_SPEED = 1500.0  # m/s, speed the range control leaves for the dive (assumption, ~Mach 5)
MIN_LD_FRACTION = 0.3  # range control flies no lower than this fraction of the best L/D (assumption)
PULL_UP_BAND = 2e3  # m above the equilibrium height: still pulling up, range control off (assumption)


@njit(cache=True)
def _limit_lift(r, va, lift, a_max):
    """Fit the commanded lift into what cl_max gives: the turn first (up to MAX_BANK of the
    available lift), the vertical balance with the rest, so a glider trades height to turn."""
    if K.norm(lift) <= a_max:
        return lift
    vhat = K.unit(va)
    up = K.unit(r)
    n_v = K.unit(K.sub(up, K.scale(vhat, K.dot(up, vhat))))
    side = K.cross(n_v, vhat)
    lat = K.dot(lift, side)
    lat = max(min(lat, a_max * math.sin(MAX_BANK)), -a_max * math.sin(MAX_BANK))
    room = math.sqrt(max(a_max * a_max - lat * lat, 0.0))
    vert = max(min(K.dot(lift, n_v), room), -room)
    return K.add(K.scale(n_v, vert), K.scale(side, lat))


@njit(cache=True)
def _deriv(y, tau, phase, q, cmd, model, out):
    r, v, m = (y[0], y[1], y[2]), (y[3], y[4], y[5]), y[6]
    a = K.gravity(r, model[M_J2] > 0)
    mdot = 0.0
    if phase == BOOST:
        if cmd[2] > 0:
            d = (cmd[3], cmd[4], cmd[5])
        else:
            aim_now = K.rotz(_vec(q, Q_AIMX), q[Q_THETA] + OMEGA_EARTH * tau)
            d = K.pitch_direction(r, aim_now, tau, q[Q_TVERT], q[Q_KICK], q[Q_TURN])
        a = K.add(a, K.scale(d, cmd[0] / m))
        mdot = cmd[1]
    if model[M_DRAG] > 0:
        a = K.add(a, _aero(r, v, m, phase, q, cmd, model))
    out[0], out[1], out[2], out[3], out[4], out[5], out[6] = v[0], v[1], v[2], a[0], a[1], a[2], -mdot


@njit(cache=True)
def _rk4(y, tau, dt, phase, q, cmd, model, w, out):
    k1, k2, k3, k4, yt = w[0], w[1], w[2], w[3], w[4]
    _deriv(y, tau, phase, q, cmd, model, k1)
    yt[:] = y + 0.5 * dt * k1
    _deriv(yt, tau + 0.5 * dt, phase, q, cmd, model, k2)
    yt[:] = y + 0.5 * dt * k2
    _deriv(yt, tau + 0.5 * dt, phase, q, cmd, model, k3)
    yt[:] = y + dt * k3
    _deriv(yt, tau + dt, phase, q, cmd, model, k4)
    out[:] = y + dt / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)


@njit(cache=True)
def _hermite(y0, y1, dt, s):
    s2, s3 = s * s, s * s * s
    h00, h10, h01, h11 = 2 * s3 - 3 * s2 + 1, s3 - 2 * s2 + s, -2 * s3 + 3 * s2, s3 - s2
    d00, d10, d01, d11 = 6 * s2 - 6 * s, 3 * s2 - 4 * s + 1, -6 * s2 + 6 * s, 3 * s2 - 2 * s
    pos = np.empty(3)
    vel = np.empty(3)
    for i in range(3):
        pos[i] = h00 * y0[i] + h10 * dt * y0[3 + i] + h01 * y1[i] + h11 * dt * y1[3 + i]
        vel[i] = (d00 * y0[i] + d10 * dt * y0[3 + i] + d01 * y1[i] + d11 * dt * y1[3 + i]) / dt
    return (pos[0], pos[1], pos[2]), (vel[0], vel[1], vel[2])


@njit(cache=True)
def _bisect(y0, y1, dt, what, level, model):
    """Step fraction where alt - level (what=0) or radial speed (what=1) falls through zero."""
    lo, hi = 0.0, 1.0
    for _ in range(40):
        mid = 0.5 * (lo + hi)
        p, v = _hermite(y0, y1, dt, mid)
        f = _alt(p, model) - level if what == 0 else K.dot(p, v)
        if f > 0:
            lo = mid
        else:
            hi = mid
    return hi


@njit(cache=True)
def _stage(tau, se, ns):
    k = 0
    for i in range(ns):
        if tau >= se[i] - 1e-9:
            k = i + 1
    return min(k, ns - 1)


@njit(cache=True)
def _boost_cmd(y, tau, q, se, thr, mdt, tof, cmd):
    """Fill cmd for a boosting object; returns (need, v_go unit, gamma_req, tof, steer)."""
    ns = int(q[Q_NSTAGE])
    k = _stage(tau, se, ns)
    r, v = (y[0], y[1], y[2]), (y[3], y[4], y[5])
    v_req, tof = K.required_velocity(r, tau, _vec(q, Q_AIMX), q[Q_THETA], q[Q_LOFT] > 0, q[Q_APO], tof)
    v_go = K.sub(v_req, v)
    steer = k >= 1
    need = K.norm(v_go) if steer else K.norm(v_req) - K.dot(v, K.unit(v_req))
    u = K.unit(v_go)
    cmd[0], cmd[1], cmd[2], cmd[3], cmd[4], cmd[5] = thr[k], mdt[k], 1.0 if steer else 0.0, u[0], u[1], u[2]
    return need, u, K.flight_path_angle(r, v_req), tof, steer


@njit(cache=True)
def _up(r, model):
    """Height (m) and local vertical of r: sphere radial, or the WGS84 ellipsoid normal."""
    if model[M_SPHERE] > 0:
        return K.norm(r) - model[M_SPHERE], K.unit(r)
    return K.geodetic_up(r)


@njit(cache=True)
def _ground(a, b):
    """Great-circle ground distance (m) from a to b, on the sphere through b."""
    nb = K.norm(b)
    return nb * math.acos(min(max(K.dot(a, b) / (K.norm(a) * nb), -1.0), 1.0))


@njit(cache=True)
def _glide_ld(r, v, g, alt, hdot, tgt, wp, wp_done, e_max, cl_star, s_over_m):
    """Range control: the L/D (<= e_max) whose equilibrium glide ends at the dive with GLIDE_END_SPEED.

    The Eggers range of the present energy (speed, and height above the equilibrium height of
    CL* at GLIDE_END_SPEED) is compared with the distance left to the dive (kmath.glide_reach).
    Off in the pull-up: while the glider is more than PULL_UP_BAND above its equilibrium
    height or sinks faster than the steepest commanded glide (GLIDE_GAINS[3]).
    """
    va = K.air_velocity(r, v)
    app = K.apparent_gravity(r, va, g)
    a_eq = max(K.equilibrium_lift(r, va, app), 1e-3)
    vv = max(K.dot(va, va), 1.0)
    h_eq = K.density_altitude(2.0 * a_eq / (cl_star * s_over_m * vv))
    if alt > h_eq + PULL_UP_BAND or hdot < -math.sqrt(vv) * math.sin(GLIDE_GAINS[3]):
        return e_max  # still coming down to the glide: no range control in the pull-up
    s_go = _ground(r, tgt) if wp_done else _ground(r, wp) + _ground(wp, tgt)
    s_go -= max(alt / math.tan(DIVE_ANGLE), GLIDE_END_SPEED * DIVE_LEAD_S)
    v_end2 = GLIDE_END_SPEED * GLIDE_END_SPEED
    a_end = max(-K.dot(app, K.unit(r)) - v_end2 / K.norm(r), 1e-3)
    h_end = K.density_altitude(2.0 * a_end / (cl_star * s_over_m * v_end2))
    reach = K.glide_reach(r, v, GLIDE_END_SPEED, alt - h_end)
    if reach <= 0.0 or s_go >= e_max * reach:
        return e_max
    return max(s_go / reach, MIN_LD_FRACTION * e_max)


@njit(cache=True)
def _glide_cmd(y, tau, q, phase, wp_done, cmd, model):
    """Fill the lift command of a glider; returns (phase, wp_done)."""
    r, v = (y[0], y[1], y[2]), (y[3], y[4], y[5])
    g = K.gravity(r, model[M_J2] > 0)
    ang = q[Q_THETA] + OMEGA_EARTH * tau
    tgt = K.rotz(_vec(q, Q_TGTX), ang)
    wp = tgt if wp_done else K.rotz(_vec(q, Q_WPX), ang)
    if not wp_done:
        ahead = K.dot(K.horizontal_toward(r, wp), K.unit(v))
        wp_done = ahead < 0 or K.norm(K.sub(wp, r)) < 30e3
    if phase == GLIDE and wp_done and K.dive_now(r, v, tgt, DIVE_ANGLE, DIVE_LEAD_S):
        phase = TERMINAL
    if phase == TERMINAL:
        lift = K.pn_lift(r, v, g, tgt, 4.0)
    else:
        alt, up = _up(r, model)
        cl_star = 0.5 * q[Q_CLMAX]
        e_max = 1.0 / (2.0 * math.sqrt(max(q[Q_CD0] * q[Q_KIND_INDUCED], 1e-12)))
        s_over_m = q[Q_GAREA] / q[Q_GMASS]
        e_cmd = _glide_ld(r, v, g, alt, K.dot(v, up), tgt, wp, wp_done, e_max, cl_star, s_over_m)
        cl_cmd = K.lift_coefficient_for(e_cmd, e_max, cl_star)
        lift = K.glide_lift(r, v, g, alt, up, wp, e_cmd, cl_cmd, s_over_m, GLIDE_GAINS)
    cmd[6], cmd[7], cmd[8] = lift[0], lift[1], lift[2]
    return phase, wp_done


@njit(cache=True)
def _step_size(y, tau, phase, q, se, ev, model):
    if phase == BOOST:
        dt = DT_BOOST
        for i in range(int(q[Q_NSTAGE])):
            if se[i] > tau + 1e-9:
                return min(dt, se[i] - tau)
        return dt
    r = (y[0], y[1], y[2])
    alt = _alt(r, model)
    if alt < 120e3:
        dt = DT_GLIDE if phase == GLIDE or phase == TERMINAL else DT_ATMOS
    else:
        vr = K.dot(r, (y[3], y[4], y[5])) / K.norm(r)
        dt = min(max((alt - 110e3) / max(-vr, 1.0), DT_ATMOS), DT_MAX)
    if phase == COAST:
        due = ev[E_TBO] + q[Q_DELAY] - tau
        if due > 1e-9:
            dt = min(dt, due)
    return dt


@njit(cache=True)
def _record(y0, y1, tau, dt, t_stop, phase, q, dt_out, out_s, out_p):
    """Write the states of output times whose flight time lies in (tau, min(tau+dt, t_stop)]."""
    t_l = q[Q_TLAUNCH]
    j = int(math.floor((t_l + tau) / dt_out)) + 1
    while j < out_s.shape[0]:
        s_tau = j * dt_out - t_l
        if s_tau > t_stop + 1e-12:
            break
        if s_tau > tau:
            p, v = _hermite(y0, y1, dt, (s_tau - tau) / dt)
            out_s[j, 0], out_s[j, 1], out_s[j, 2] = p
            out_s[j, 3], out_s[j, 4], out_s[j, 5] = v
            out_p[j] = phase
        j += 1


@njit(cache=True)
def _events(y, y1, tau, dt, phase, q, ev, model):
    """Apogee, re-entry, impact and decoy filtering in the step; returns the new phase."""
    r0, r1 = (y[0], y[1], y[2]), (y1[0], y1[1], y1[2])
    if K.dot(r0, (y[3], y[4], y[5])) > 0 and K.dot(r1, (y1[3], y1[4], y1[5])) <= 0:
        s = _bisect(y, y1, dt, 1, 0.0, model)
        ev[E_TAPO] = tau + s * dt
        ev[E_APO] = _alt(_hermite(y, y1, dt, s)[0], model)
    a0, a1 = _alt(r0, model), _alt(r1, model)
    if math.isnan(ev[E_TRE]) and a0 > REENTRY_ALT >= a1:
        ev[E_TRE] = tau + _bisect(y, y1, dt, 0, REENTRY_ALT, model) * dt
    if a0 > 0.0 >= a1:
        s = _bisect(y, y1, dt, 0, 0.0, model)
        p, v = _hermite(y, y1, dt, s)
        _end(ev, tau + s * dt, END_IMPACT, p, v)
        return DONE
    if q[Q_KIND] == KIND_DECOY and phase == BALLISTIC and model[M_DRAG] > 0:
        va = K.air_velocity(r1, (y1[3], y1[4], y1[5]))
        if 0.5 * K.density(a1) * K.dot(va, va) / q[Q_BETA] > DECOY_FILTER_G * G0:
            _end(ev, tau + dt, END_FILTERED, r1, (y1[3], y1[4], y1[5]))
            return DONE
    return phase


@njit(cache=True)
def _end(ev, t, reason, p, v):
    ev[E_TEND], ev[E_REASON] = t, reason
    ev[E_REND], ev[E_REND + 1], ev[E_REND + 2] = p
    ev[E_VEND], ev[E_VEND + 1], ev[E_VEND + 2] = v


@njit(cache=True)
def _burnout(y1, t1, q, se, dry, cut, ev, phase):
    """Staging at stage ends and the end of boost; returns the new phase."""
    ns = int(q[Q_NSTAGE])
    if not cut:
        for i in range(ns):
            if abs(se[i] - t1) < 1e-9:
                y1[6] -= dry[i]
    if cut or t1 >= se[ns - 1] - 1e-9:
        ev[E_TBO] = t1
        for i in range(3):
            ev[E_RBO + i], ev[E_VBO + i] = y1[i], y1[3 + i]
        return COAST
    return phase


@njit(cache=True)
def _deploy(y, tau, q, ev):
    ev[E_TDEP] = tau
    y[6] = q[Q_BODY]
    y[3] += q[Q_DVX]
    y[4] += q[Q_DVY]
    y[5] += q[Q_DVZ]
    return GLIDE if q[Q_GAREA] > 0 else BALLISTIC


@njit(cache=True)
def _turn_end(y1, t1, q, se, cut, g_req, ev):
    if math.isnan(ev[E_GTURN]) and (t1 >= se[0] - 1e-9 or (q[Q_NSTAGE] == 1 and cut)):
        ev[E_GTURN] = K.flight_path_angle((y1[0], y1[1], y1[2]), (y1[3], y1[4], y1[5]))
        ev[E_GREQ] = g_req


@njit(cache=True)
def _cutoff(y, y1, tau, dt, q, need0, u0, steer, tof, cmd, model, w):
    """Shorten the step to the cut-off if the speed to gain crosses zero in it; returns (dt, cut)."""
    if tau < q[Q_TVERT] + MIN_BURN_S:
        return dt, False
    r1, v1 = (y1[0], y1[1], y1[2]), (y1[3], y1[4], y1[5])
    v_req, _ = K.required_velocity(r1, tau + dt, _vec(q, Q_AIMX), q[Q_THETA], q[Q_LOFT] > 0, q[Q_APO], tof)
    if steer:
        need1 = K.dot(K.sub(v_req, v1), u0)
    else:
        need1 = K.norm(v_req) - K.dot(v1, K.unit(v_req))
    if need1 > 0.0:
        return dt, False
    dt = max(need0 / max(need0 - need1, 1e-12) * dt, 1e-3)
    _rk4(y, tau, dt, BOOST, q, cmd, model, w, y1)
    return dt, True


@njit(cache=True)
def _fly_one(y, phase, q, se, thr, mdt, dry, model, t_max, until_turn, dt_out, ev, out_s, out_p):
    w = np.empty((5, 7))
    y1 = np.empty(7)
    cmd = np.zeros(9)
    tau, tof, cut, steps = 0.0, 600.0, False, 0
    wp_done = math.isnan(q[Q_WPX])
    j0 = (q[Q_TLAUNCH]) / dt_out
    if out_s.shape[0] > 0 and abs(j0 - round(j0)) < 1e-9 and 0 <= round(j0) < out_s.shape[0]:
        out_s[int(round(j0)), :] = y[:6]
        out_p[int(round(j0))] = phase
    while tau < t_max and phase != DONE:
        dt = _step_size(y, tau, phase, q, se, ev, model)
        need0, u0, g_req, steer = 0.0, (0.0, 0.0, 0.0), 0.0, False
        if phase == BOOST:
            need0, u0, g_req, tof, steer = _boost_cmd(y, tau, q, se, thr, mdt, tof, cmd)
        elif phase == GLIDE or phase == TERMINAL:
            phase, wp_done = _glide_cmd(y, tau, q, phase, wp_done, cmd, model)
        _rk4(y, tau, dt, phase, q, cmd, model, w, y1)
        if phase == BOOST:
            dt, now_cut = _cutoff(y, y1, tau, dt, q, need0, u0, steer, tof, cmd, model, w)
            cut = cut or now_cut
            _turn_end(y1, tau + dt, q, se, cut, g_req, ev)
            phase = _burnout(y1, tau + dt, q, se, dry, cut, ev, phase)
        else:
            phase = _events(y, y1, tau, dt, phase, q, ev, model)
        t_stop = ev[E_TEND] if phase == DONE else tau + dt
        _record(y, y1, tau, dt, t_stop, phase, q, dt_out, out_s, out_p)
        ev[E_VMAX] = max(ev[E_VMAX], math.sqrt(y1[3] ** 2 + y1[4] ** 2 + y1[5] ** 2))
        y[:] = y1
        tau += dt
        steps += 1
        if phase == COAST and tau >= ev[E_TBO] + q[Q_DELAY] - 1e-9:
            phase = _deploy(y, tau, q, ev)
        if until_turn and not math.isnan(ev[E_GTURN]):
            break
    ev[E_STEPS] = steps
    if math.isnan(ev[E_TEND]):
        ev[E_TEND], ev[E_REASON] = tau, END_TIMEOUT
        for i in range(3):
            ev[E_REND + i], ev[E_VEND + i] = y[i], y[3 + i]


@njit(cache=True, parallel=True)
def fly_all(y0, phase0, Q, SE, THR, MDT, DRY, model, t_max, until_turn, dt_out, n_out):
    """Fly N objects. Returns events (N, NE), states (N, n_out, 6) and phases (N, n_out)."""
    n = y0.shape[0]
    ev = np.full((n, NE), np.nan)
    out_s = np.full((n, n_out, 6), np.nan)
    out_p = np.full((n, n_out), NOT_LAUNCHED, dtype=np.int8)
    for i in prange(n):
        ev[i, E_VMAX] = 0.0
        y = y0[i].copy()
        _fly_one(y, phase0[i], Q[i], SE[i], THR[i], MDT[i], DRY[i], model, t_max, until_turn, dt_out,
                 ev[i], out_s[i], out_p[i])
        t_end = Q[i, Q_TLAUNCH] + ev[i, E_TEND]
        for j in range(n_out):
            if j * dt_out > t_end + 1e-12:
                out_p[i, j] = DONE
    return ev, out_s, out_p


@njit(cache=True)
def ballistic_derivative(y, tau, q, model):
    """d/dt of a released body's state (7,): the kernel's own dynamics, for external integrators."""
    out = np.empty(7)
    _deriv(y, tau, BALLISTIC, q, np.zeros(9), model, out)
    return out
