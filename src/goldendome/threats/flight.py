"""3-DOF flight of a batch of threat objects in the Earth-centred inertial frame.

Point masses under J2 gravity, US76 drag (Mach-dependent for boosters, ballistic
coefficient for released bodies, a drag polar with commanded lift for gliders) and staged
thrust, integrated with fixed-step RK4 whose step adapts to the most demanding object.
Events (burnout, release, apogee, re-entry at 100 km, impact) are root-found inside steps.

Left out: winds, rotational dynamics (no angle of attack is modelled), thrust loss to
back-pressure at low altitude (catalog Isp values are vacuum values), precession and
nutation of the Earth's axis.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..physics import earth, gravity
from ..physics.constants import G0
from . import aero, events, guidance
from .batch import KIND_DECOY, KIND_GLIDER, FlightBatch

BOOST, COAST, BALLISTIC, GLIDE, TERMINAL, DONE = range(6)
END_IMPACT, END_FILTERED, END_TIMEOUT = 0, 1, 2

MIN_BURN_S = 10.0  # s after the vertical rise before thrust may be cut
REENTRY_ALT = 100e3  # m, re-entry event altitude (issue 2; conventional Karman line)
DECOY_FILTER_G = 3.0  # a light decoy whose drag exceeds 3 g no longer mimics an RV
# (atmospheric filtering: Sessler et al., "Countermeasures", UCS/MIT 2000, ch. 4; assumption)
DIVE_ANGLE = np.radians(25.0)  # glider starts its terminal dive below this LOS depression
DIVE_LEAD_S = 60.0  # s, or when the target is this close in flight time (assumption)
DT_BOOST, DT_ATMOS, DT_GLIDE, DT_MAX = 0.5, 0.25, 0.5, 10.0  # s


def is_glider(phase):
    """True where an object is gliding or in its terminal dive."""
    return (phase == GLIDE) | (phase == TERMINAL)


@dataclass
class Record:
    """What a flight produced: the step grid, states and per-object events.

    tau : (K,) flight time of each recorded step, s (shared by all objects)
    y : (K, N, 7) ECI position (m), velocity (m/s) and mass (kg)
    phase : (K, N) int8 flight phase (BOOST .. DONE)
    ev : dict of (N,) or (N, 3) arrays: t_burnout, r_burnout, v_burnout, t_deploy,
         t_apogee, apogee_alt, t_reentry, t_end, end_reason, r_end, v_end, max_speed,
         gamma_turn, gamma_turn_req
    """

    tau: np.ndarray
    y: np.ndarray
    phase: np.ndarray
    ev: dict


def _initial_state(b: FlightBatch):
    r = earth.ecef_to_eci(b.launch_ecef, 0.0, b.theta)
    v = aero.air_velocity(r, np.zeros_like(r)) * -1.0  # co-rotating: omega x r
    return np.column_stack([r, v, b.mass0])


def _new_events(n):
    nan = np.full(n, np.nan)
    ev = {k: nan.copy() for k in ("t_burnout", "t_deploy", "t_apogee", "apogee_alt", "t_reentry",
                                   "t_end", "gamma_turn", "gamma_turn_req")}
    for k in ("r_burnout", "v_burnout", "r_end", "v_end"):
        ev[k] = np.full((n, 3), np.nan)
    ev["end_reason"] = np.full(n, END_TIMEOUT)
    ev["max_speed"] = np.zeros(n)
    return ev


@dataclass(frozen=True)
class FlightModel:
    """Which physics the integrator includes (all on by default).

    j2 : J2 gravity (else point mass); drag : the atmosphere; sphere_radius : measure
    altitude above a sphere of this radius (m) instead of the WGS84 ellipsoid. The
    analytic tests use FlightModel(j2=False, drag=False, sphere_radius=R).
    """

    j2: bool = True
    drag: bool = True
    sphere_radius: float | None = None

    def gravity(self, r):
        return gravity.accel_j2(r) if self.j2 else gravity.accel_point_mass(r)

    def altitude(self, r):
        if self.sphere_radius is None:
            return earth.altitude(r)
        return np.linalg.norm(r, axis=-1) - self.sphere_radius


class _Flight:
    """Mutable integration state of one batch (kept private; `fly` is the interface)."""

    def __init__(self, b: FlightBatch, model: FlightModel, y0=None, phase0=None):
        self.b, self.model = b, model
        self.y = _initial_state(b) if y0 is None else np.array(y0, dtype=float)
        self.phase = np.full(b.n, BOOST, dtype=np.int8) if phase0 is None else np.array(phase0, dtype=np.int8)
        self.cut = np.zeros(b.n, bool)
        self.tof = np.full(b.n, 600.0)
        self.wp_done = np.isnan(b.waypoint_ecef[:, 0])
        self.ev = _new_events(b.n)
        self.breaks = np.unique(b.stage_end[np.isfinite(b.stage_end)])
        self._gamma_req = np.zeros(0)

    # -- forces ---------------------------------------------------------------------
    def deriv(self, y, tau, phase, force, mdot, lift):
        r, v, m = y[:, :3], y[:, 3:6], y[:, 6]
        force = self._pitch_programme(r, tau, force)
        acc = self.model.gravity(r) + force / m[:, None]
        if self.model.drag:
            acc += self._aero(phase, self.model.altitude(r), aero.air_velocity(r, v), m, lift)
        live = (phase != DONE)[:, None]
        return np.where(live, np.column_stack([v, acc, -mdot]), 0.0)

    def _pitch_programme(self, r, tau, force):
        """Re-point the thrust of pitch-programme objects at each RK4 stage (keeps RK4 4th order)."""
        i, thrust = self._prog
        if not len(i):
            return force
        b = self.b
        force = force.copy()
        aim_now = guidance.aim_eci(b.aim_ecef[i], b.theta[i], tau)
        no_steer = np.zeros(len(i), bool)
        force[i] = thrust[:, None] * guidance.boost_direction(
            r[i], tau, aim_now, force[i], b.t_vert[i], b.kick[i], b.stage_end[i, 0], no_steer)
        return force

    def _aero(self, phase, alt, v_air, m, lift):
        b = self.b
        out = np.zeros_like(v_air)
        i = np.flatnonzero(phase <= COAST)
        out[i] = aero.booster_drag(alt[i], v_air[i], m[i], b.area[i])
        i = np.flatnonzero(phase == BALLISTIC)
        out[i] = aero.ballistic_drag(alt[i], v_air[i], b.beta[i])
        i = np.flatnonzero(is_glider(phase))
        g = b.glide[i]
        out[i] = aero.glider_forces(alt[i], v_air[i], lift[i], g[:, 0], g[:, 1], g[:, 2], g[:, 3], g[:, 4])
        return out

    # -- one step -------------------------------------------------------------------
    def step_size(self, tau):
        active = self.phase != DONE
        if np.any(self.phase == BOOST):
            dt = DT_BOOST
        else:
            r, v = self.y[active, :3], self.y[active, 3:6]
            alt = self.model.altitude(r)
            vr = np.einsum("ij,ij->i", r, v) / np.linalg.norm(r, axis=-1)
            in_air = alt < 120e3
            if np.any(in_air):
                dt = DT_GLIDE if np.all(is_glider(self.phase[active][in_air])) else DT_ATMOS
            else:
                dt = np.clip(np.min((alt - 110e3) / np.maximum(-vr, 1.0)), DT_ATMOS, DT_MAX)
        coast = self.phase == COAST
        pending = self.ev["t_burnout"][coast] + self.b.deploy_delay[coast]
        ahead = np.concatenate([self.breaks, pending])
        ahead = ahead[ahead > tau + 1e-9]
        return min(dt, ahead.min() - tau) if len(ahead) else dt

    def commands(self, tau, dt):
        """Thrust force (N, 3), mass flow (N,) and lift command (N, 3) held over the step."""
        n = self.b.n
        force, mdot, lift = np.zeros((n, 3)), np.zeros(n), np.zeros((n, 3))
        i = np.flatnonzero(self.phase == BOOST)
        if len(i):
            force[i], mdot[i] = self._boost(i, tau, dt)
        i = np.flatnonzero(is_glider(self.phase))
        if len(i):
            lift[i] = self._glide(i, tau)
        return force, mdot, lift

    def _boost(self, i, tau, dt):
        b, y = self.b, self.y
        r, v = y[i, :3], y[i, 3:6]
        k = np.minimum(np.sum(tau >= b.stage_end[i] - 1e-9, axis=1), b.stage_end.shape[1] - 1)
        thrust, mdot = b.thrust[i, k], b.mdot[i, k]
        need, v_go, v_req = self._need(i, r, v, tau, k >= 1)
        steer = k >= 1
        aim_now = guidance.aim_eci(b.aim_ecef[i], b.theta[i], tau)
        direction = guidance.boost_direction(r, tau, aim_now, v_go, b.t_vert[i], b.kick[i], b.stage_end[i, 0], steer)
        self._gamma_req = guidance.flight_path_angle(r, v_req)
        self._prog = (i[~steer], thrust[~steer])
        self._need0 = (i, need, steer, v_go)
        return thrust[:, None] * direction, mdot

    def _need(self, i, r, v, tau, steer):
        """Speed still to gain (N_i,), v_go and v_req of boosting objects ``i``."""
        b = self.b
        v_req, self.tof[i] = guidance.required_velocity(
            r, tau, b.aim_ecef[i], b.theta[i], b.shape[i], b.apogee_radius[i], self.tof[i])
        v_go = v_req - v
        return guidance.velocity_to_gain(v, v_req, v_go, steer), v_go, v_req

    def _glide(self, i, tau):
        b, y = self.b, self.y
        r, v = y[i, :3], y[i, 3:6]
        g = self.model.gravity(r)
        tgt = earth.ecef_to_eci(b.target_ecef[i], tau, b.theta[i])
        wp = earth.ecef_to_eci(np.where(self.wp_done[i, None], b.target_ecef[i], b.waypoint_ecef[i]), tau, b.theta[i])
        self._pass_waypoint(i, r, v, wp)
        dive = (self.phase[i] == TERMINAL) | (guidance.dive_now(r, v, tgt, DIVE_ANGLE, DIVE_LEAD_S) & self.wp_done[i])
        self.phase[i[dive]] = TERMINAL
        glide = guidance.glide_lift_command(r, v, g, wp)
        pn = guidance.pn_command(r, v, g, tgt)
        return np.where(dive[:, None], pn, glide)

    def _pass_waypoint(self, i, r, v, wp):
        ahead = np.einsum("ij,ij->i", guidance.horizontal_toward(r, wp), guidance.unit(v))
        close = np.linalg.norm(wp - r, axis=-1) < 30e3
        self.wp_done[i] |= (ahead < 0) | close

    def rk4(self, tau, dt):
        """One RK4 step, shortened so that a thrust cut-off falls on its end. Returns (y, dt).

        Cut-off is where the speed still to gain crosses zero; it is located by linear
        interpolation of that speed across a trial step, so the cut time varies smoothly
        with the aim (the impact point does too, which the targeting iteration needs).
        """
        self._prog, self._need0 = (np.zeros(0, int), np.zeros(0)), None
        force, mdot, lift = self.commands(tau, dt)
        y1 = self._rk4(tau, dt, force, mdot, lift)
        if self._need0 is None:
            return y1, dt
        i, need0, steer, v_go0 = self._need0
        need1, v_go1, _ = self._need(i, y1[i, :3], y1[i, 3:6], tau + dt, steer)
        # steered: |v_go| never goes negative; its component along the old v_go does
        need1 = np.where(steer, np.einsum("ij,ij->i", v_go1, guidance.unit(v_go0)), need1)
        armed = tau >= self.b.t_vert[i] + MIN_BURN_S
        ending = armed & (need1 <= 0.0)
        if not np.any(ending):
            return y1, dt
        s = np.where(ending, need0 / np.maximum(need0 - need1, 1e-12), np.inf)
        self.cut[i[s <= s.min() + 1e-9]] = True
        dt = max(float(s.min()) * dt, 1e-3)
        return self._rk4(tau, dt, force, mdot, lift), dt

    def _rk4(self, tau, dt, force, mdot, lift):
        f = lambda y, t: self.deriv(y, t, self.phase, force, mdot, lift)  # noqa: E731
        y = self.y
        k1 = f(y, tau)
        k2 = f(y + 0.5 * dt * k1, tau + 0.5 * dt)
        k3 = f(y + 0.5 * dt * k2, tau + 0.5 * dt)
        k4 = f(y + dt * k3, tau + dt)
        return y + dt / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)


def fly(batch: FlightBatch, t_max: float = 7200.0, until: str = "end", model: FlightModel = FlightModel(),
        y0=None, phase0=None) -> Record:
    """Fly every object of ``batch`` from launch until impact, filtering or ``t_max`` (s).

    ``until='turn'`` stops once every object has ended its gravity turn (used by the
    guidance solver, which only needs the boost). ``y0`` (N, 7) and ``phase0`` (N,)
    start the objects from given ECI states and phases instead of the launch pad.
    """
    fl = _Flight(batch, model, y0, phase0)
    taus, ys, phases = [0.0], [fl.y.copy()], [fl.phase.copy()]
    tau = 0.0
    while tau < t_max and np.any(fl.phase != DONE):
        y_new, dt = fl.rk4(tau, fl.step_size(tau))
        _after_step(fl, tau, dt, y_new)
        tau += dt
        taus.append(tau)
        ys.append(fl.y.copy())
        phases.append(fl.phase.copy())
        if until == "turn" and not np.any(np.isnan(fl.ev["gamma_turn"])):
            break
    return Record(np.array(taus), np.array(ys), np.array(phases), fl.ev)


def _after_step(fl: _Flight, tau, dt, y_new):
    """Events of the step [tau, tau + dt], then the new state and phases."""
    y_old, ev = fl.y, fl.ev
    _turn_end(fl, tau + dt, y_new)
    _staging(fl, tau + dt, y_new)
    flying = fl.phase != BOOST
    _apogee(fl, tau, dt, y_old, y_new, flying)
    _crossing(fl, tau, dt, y_old, y_new, flying & np.isnan(ev["t_reentry"]), REENTRY_ALT, "t_reentry")
    _impact(fl, tau, dt, y_old, y_new, flying)
    _filter_decoys(fl, tau + dt, y_new)
    # objects that ended keep their last step (derivatives are zero once DONE), so the
    # step that crosses the event stays available for interpolation
    fl.y = y_new
    live = np.isnan(ev["t_end"])
    ev["max_speed"] = np.maximum(ev["max_speed"], np.where(live, np.linalg.norm(y_new[:, 3:6], axis=1), 0.0))
    _deploy(fl, tau + dt)


def _turn_end(fl, tau, y):
    """Record the flight-path angle where the gravity turn ends (stage 1 out or cutoff)."""
    b, ev = fl.b, fl.ev
    boosting = np.flatnonzero(fl.phase == BOOST)
    multi = b.n_stages[boosting] > 1
    done = np.where(multi, tau >= b.stage_end[boosting, 0] - 1e-9, fl.cut[boosting] | (tau >= b.stage_end[boosting, 0] - 1e-9))
    first = done & np.isnan(ev["gamma_turn"][boosting])
    j = boosting[first]
    ev["gamma_turn"][j] = guidance.flight_path_angle(y[j, :3], y[j, 3:6])
    ev["gamma_turn_req"][j] = fl._gamma_req[first]


def _staging(fl, tau, y):
    """Drop spent stages at their burn-out times; end the boost at the last one or at cutoff."""
    b, ev = fl.b, fl.ev
    i = np.flatnonzero(fl.phase == BOOST)
    hit = np.isclose(b.stage_end[i], tau, atol=1e-9)
    drop = np.sum(np.where(hit & ~fl.cut[i, None], b.stage_dry[i], 0.0), axis=1)
    y[i, 6] -= drop
    last = tau >= b.stage_end[i, np.maximum(b.n_stages[i] - 1, 0)] - 1e-9
    out = i[last | fl.cut[i]]
    fl.phase[out] = COAST
    ev["t_burnout"][out] = tau
    ev["r_burnout"][out] = y[out, :3]
    ev["v_burnout"][out] = y[out, 3:6]


def _deploy(fl, tau):
    """Release RVs, decoys and gliders from the bus after their deployment delay."""
    b, ev = fl.b, fl.ev
    i = np.flatnonzero((fl.phase == COAST) & (tau >= fl.ev["t_burnout"] + b.deploy_delay - 1e-9))
    fl.phase[i] = np.where(b.kind[i] == KIND_GLIDER, GLIDE, BALLISTIC)
    fl.y[i, 6] = b.body_mass[i]
    fl.y[i, 3:6] += b.deploy_dv[i]
    ev["t_deploy"][i] = tau


def _radial_speed(pos, vel):
    return np.einsum("ij,ij->i", pos, vel)


def _apogee(fl, tau, dt, y0, y1, mask):
    i = np.flatnonzero(mask & (_radial_speed(y0[:, :3], y0[:, 3:6]) > 0) & (_radial_speed(y1[:, :3], y1[:, 3:6]) <= 0))
    if len(i):
        s = events.bisect_step(y0[i], y1[i], dt, _radial_speed)
        pos, _ = events.hermite(y0[i], y1[i], dt, s)
        fl.ev["t_apogee"][i] = tau + s * dt
        fl.ev["apogee_alt"][i] = fl.model.altitude(pos)


def _crossing(fl, tau, dt, y0, y1, mask, alt, key):
    """Time (stored in ev[key]) where the altitude falls through ``alt`` (m); returns rows and states."""
    alt_of = fl.model.altitude
    a0, a1 = alt_of(y0[:, :3]), alt_of(y1[:, :3])
    i = np.flatnonzero(mask & (a0 > alt) & (a1 <= alt))
    if not len(i):
        return i, None, None
    s = events.bisect_step(y0[i], y1[i], dt, lambda p, v: alt_of(p) - alt)
    pos, vel = events.hermite(y0[i], y1[i], dt, s)
    fl.ev[key][i] = tau + s * dt
    return i, pos, vel


def _impact(fl, tau, dt, y0, y1, mask):
    i, pos, vel = _crossing(fl, tau, dt, y0, y1, mask, 0.0, "t_end")
    if len(i):
        fl.ev["r_end"][i], fl.ev["v_end"][i] = pos, vel
        fl.ev["end_reason"][i] = END_IMPACT
        fl.phase[i] = DONE


def _filter_decoys(fl, tau, y):
    b = fl.b
    i = np.flatnonzero((fl.phase == BALLISTIC) & (b.kind == KIND_DECOY))
    if not len(i):
        return
    r, v = y[i, :3], y[i, 3:6]
    drag = np.linalg.norm(aero.ballistic_drag(earth.altitude(r), aero.air_velocity(r, v), b.beta[i]), axis=1)
    out = i[drag > DECOY_FILTER_G * G0]
    fl.phase[out] = DONE
    fl.ev["t_end"][out] = tau
    fl.ev["end_reason"][out] = END_FILTERED
    fl.ev["r_end"][out], fl.ev["v_end"][out] = y[out, :3], y[out, 3:6]
