"""Guidance laws: boost steering to a Kepler aim, equilibrium glide, proportional navigation.

Every function works on a batch of N objects at once and returns commands that the
integrator holds over one step.

Notes
-----
Boost: after a vertical rise and a pitch kick the first stage flies a zero-lift gravity
turn; upper stages steer along the velocity-to-be-gained v_go = v_req - v and cut thrust
when v_go vanishes (Battin, An Introduction to the Mathematics and Methods of Astrodynamics,
AIAA 1999, ch. 14; Zarchan, Tactical and Strategic Missile Guidance, 7th ed., ch. 13).
v_req is the velocity on the conic of the chosen shape from the present position to the
aim point where it will be at impact (Earth rotation handled by iterating on the time of
flight).
"""

from __future__ import annotations

import numpy as np

from ..physics import earth, kepler
from ..physics.constants import OMEGA_EARTH
from . import aero

SHAPE_MIN_ENERGY = 0
SHAPE_APOGEE = 1


def unit(x):
    """Unit vectors along the last axis (zero vectors stay zero)."""
    n = np.linalg.norm(x, axis=-1, keepdims=True)
    return x / np.where(n > 0, n, 1.0)


def aim_eci(aim_ecef, theta, tau):
    """ECI position (N, 3) of Earth-fixed aim points at flight time tau (s), era offset theta."""
    return earth.ecef_to_eci(aim_ecef, tau, theta)


def required_velocity(r, tau, aim_ecef, theta, shape, apogee_radius, tof_guess, iterations=2):
    """Velocity (N, 3) needed now to coast to the aim point, and the time of flight (N,).

    Parameters
    ----------
    r : (N, 3) ECI position, m
    tau : float, flight time of the batch, s
    aim_ecef : (N, 3) Earth-fixed aim point, m
    theta : (N,) rotation angle of the ECI frame at launch, rad
    shape : (N,) SHAPE_MIN_ENERGY or SHAPE_APOGEE
    apogee_radius : (N,) wanted apogee radius for SHAPE_APOGEE, m
    tof_guess : (N,) previous time-of-flight estimate, s
    """
    tof = tof_guess
    for _ in range(iterations):
        r2 = aim_eci(aim_ecef, theta, tau + tof)
        p = np.where(shape == SHAPE_APOGEE, kepler.p_for_apogee(r, r2, apogee_radius, 40),
                     kepler.p_min_energy(r, r2))
        tof = kepler.time_of_flight(r, r2, p)
    return kepler.velocity_on_conic(r, r2, p), tof


def flight_path_angle(r, v):
    """Angle of v above the local (geocentric) horizontal, rad (N,)."""
    return np.arcsin(np.clip(np.einsum("ij,ij->i", unit(r), unit(v)), -1.0, 1.0))


def horizontal_toward(r, point):
    """Unit horizontal direction (N, 3) at r pointing along the great circle to ``point``."""
    up = unit(r)
    d = point - r
    return unit(d - np.einsum("ij,ij->i", d, up)[:, None] * up)


def boost_direction(r, tau, aim_now, v_go, t_vert, pitch, t_turn, steer):
    """Thrust direction (N, 3) for the boost programme.

    Vertical until t_vert, then the thrust pitches over at a constant rate toward the aim,
    reaching ``pitch`` rad from the vertical at ``t_turn`` (first-stage burn-out); objects
    with ``steer`` true follow v_go instead.

    Notes
    -----
    A linear pitch programme in the first stage, as in open-literature trajectory models
    (e.g. Forden, Sci. Global Security 15 (2007) 77; Zarchan 2012, ch. 13).
    """
    up = unit(r)
    s = np.clip((tau - t_vert) / np.maximum(t_turn - t_vert, 1e-9), 0.0, 1.0)
    ang = pitch * s
    pitched = np.cos(ang)[:, None] * up + np.sin(ang)[:, None] * horizontal_toward(r, aim_now)
    return np.where(steer[:, None], unit(v_go), pitched)


def velocity_to_gain(v, v_req, v_go, steer):
    """Speed (N,) still to gain: |v_go| when steering, else |v_req| - v . v_req/|v_req|."""
    along = np.einsum("ij,ij->i", v, unit(v_req))
    return np.where(steer, np.linalg.norm(v_go, axis=-1), np.linalg.norm(v_req, axis=-1) - along)


def glide_lift_command(r, v, gravity, target_eci, k_hdot=0.08, tau_heading=25.0):
    """Lift acceleration (N, 3) for an equilibrium glide steered toward ``target_eci``.

    Notes
    -----
    Vertical: hold the equilibrium-glide balance L_v = m (g - v_h^2 / r) and damp the sink
    rate (Tracy & Wright, Science & Global Security 28 (2020) 135, eqs. 1-4).
    Lateral: turn the heading toward the great circle to the target with time constant
    ``tau_heading`` s.
    """
    v_air = aero.air_velocity(r, v)
    up = unit(r)
    vhat = unit(v_air)
    hdot = np.einsum("ij,ij->i", v_air, up)
    v_h = v_air - hdot[:, None] * up
    g = -np.einsum("ij,ij->i", gravity, up)
    a_vert = g - np.einsum("ij,ij->i", v_h, v_h) / np.linalg.norm(r, axis=-1) - k_hdot * hdot
    want = horizontal_toward(r, target_eci)
    head = unit(v_h)
    err = np.arctan2(np.einsum("ij,ij->i", np.cross(head, want), up), np.einsum("ij,ij->i", head, want))
    a_lat = np.linalg.norm(v_h, axis=-1) * err / tau_heading
    n_v = unit(up - np.einsum("ij,ij->i", up, vhat)[:, None] * vhat)
    lateral = np.cross(n_v, vhat)
    return a_vert[:, None] * n_v + a_lat[:, None] * lateral


def pn_command(r, v, gravity, target_eci, nav_gain=4.0):
    """Lift acceleration (N, 3) for proportional navigation onto an Earth-fixed target.

    Notes
    -----
    Pure PN a = N (Omega x v), Omega = (r_rel x v_rel) / |r_rel|^2, plus the gravity
    component normal to the velocity (Zarchan, Tactical and Strategic Missile Guidance,
    7th ed., ch. 2 and 8).
    """
    v_t = np.cross(np.array([0.0, 0.0, OMEGA_EARTH]), target_eci)
    r_rel = target_eci - r
    v_rel = v_t - v
    omega = np.cross(r_rel, v_rel) / np.einsum("ij,ij->i", r_rel, r_rel)[:, None]
    a = nav_gain * np.cross(omega, v)
    vhat = unit(aero.air_velocity(r, v))
    a = a - gravity
    return a - np.einsum("ij,ij->i", a, vhat)[:, None] * vhat


def dive_now(r, v, target_eci, dive_angle, lead_time):
    """True (N,) when a glider should start its terminal dive onto ``target_eci``.

    Either the target lies ahead steeper than ``dive_angle`` rad below the glider, as
    atan(height / ground range) with the ground range along the great circle (far targets
    below a curved horizon do not count), or it is less than ``lead_time`` s of flight
    away: a fast glider high up turns slowly (radius v^2 / a_lift of thousands of km) and
    must start down early to reach the air where it can turn.
    """
    nr = np.linalg.norm(r, axis=-1)
    nt = np.linalg.norm(target_eci, axis=-1)
    central = np.arccos(np.clip(np.einsum("ij,ij->i", r, target_eci) / (nr * nt), -1.0, 1.0))
    ground = nt * central
    steep = np.arctan2(nr - nt, ground) > dive_angle
    return steep | (ground < np.linalg.norm(v, axis=-1) * lead_time)
