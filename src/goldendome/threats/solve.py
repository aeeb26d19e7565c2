"""Targeting: solve each launch's pitch kick and aim point so that its lead object hits.

Only the lead object of each launch (its first RV or its glider) is solved; the other
objects share the solution. Every iteration flies all leads at once.

Notes
-----
1. Pitch kick: secant iteration so that the gravity turn ends at the flight-path angle the
   Kepler aim needs there (no steering loss at hand-over to v_go steering or cutoff).
2. Ballistic aim: the boost guidance aims at a vacuum conic; J2, drag on re-entry and the
   ellipsoid move the impact by kilometres. The pseudo-target is shifted by the miss and
   the flight repeated ("impact-point iteration", Zarchan 2012, ch. 13).
3. HGV release: the boost aims at a virtual point on the way. A first guess of its distance
   makes the Eggers glide range cover the rest; a secant iteration then sizes it so that
   the glider's own best-L/D glide, flown toward a target far beyond, still has the speed
   the range control keeps for the dive 1-3 % of the range past where the dive begins (the
   kernel's range control bleeds that margin on the way); it is then grown while the glider
   falls short.
"""

from __future__ import annotations

import numpy as np

from ..physics import earth, kepler
from ..physics.constants import MU_EARTH
from . import flight, kernel
from .batch import KIND_GLIDER, FlightBatch

KICK_BOUNDS = np.radians([0.5, 89.0])
EGGERS_EFFICIENCY = 0.8  # fraction of the Eggers glide range counted on for the first guess (assumption)
REACH_MARGIN, REACH_TOL = 0.02, 0.01  # glider release sized to glide 2 +- 1 % of the range past need (assumption)
REACH_SLOPE = 5.0  # typical m of glide reach per m of release aim distance (first secant step)


def leads_of(batch: FlightBatch) -> np.ndarray:
    """Index (M,) of the first object of each launch."""
    _, first = np.unique(batch.missile, return_index=True)
    return first


def solve(batch: FlightBatch, kick_iters: int = 6, aim_iters: int = 6, tol_m: float = 20.0) -> FlightBatch:
    """Batch with kick and aim solved for every launch (shared by all its objects)."""
    leads = leads_of(batch)
    lead = batch.take(leads).with_(deploy_dv=np.zeros((len(leads), 3)))
    lead = _initial_glide_aim(lead)
    lead = _solve_kick(lead, kick_iters)
    lead = _solve_glide_release(lead, kick_iters, aim_iters)
    lead = _solve_aim(lead, aim_iters, tol_m)
    per = np.searchsorted(batch.missile[leads], batch.missile)
    return batch.with_(kick=lead.kick[per], aim_ecef=lead.aim_ecef[per])


def _solve_kick(lead: FlightBatch, iters: int) -> FlightBatch:
    k0 = lead.kick
    e0 = _turn_error(lead)
    k1 = k0 + np.radians(5.0)
    for _ in range(iters):
        e1 = _turn_error(lead.with_(kick=k1))
        with np.errstate(divide="ignore", invalid="ignore"):
            slope = np.where(np.abs(k1 - k0) > 1e-9, (e1 - e0) / (k1 - k0), -1.0)
            step = np.where(np.abs(slope) > 1e-6, -e1 / slope, 0.0)
        k0, e0 = k1, e1
        k1 = np.clip(k1 + np.clip(step, -np.radians(10), np.radians(10)), *KICK_BOUNDS)
    return lead.with_(kick=np.where(np.abs(e1) <= np.abs(e0), k1, k0))


def _turn_error(lead: FlightBatch) -> np.ndarray:
    rec = flight.fly(lead, until="turn")
    return np.nan_to_num(rec.ev["gamma_turn"] - rec.ev["gamma_turn_req"])


def impact_ecef(ev: dict, batch: FlightBatch) -> np.ndarray:
    """Earth-fixed end points (N, 3) from a flight's events."""
    return earth.eci_to_ecef(ev["r_end"], ev["t_end"], batch.theta)


def _solve_aim(lead: FlightBatch, iters: int, tol_m: float) -> FlightBatch:
    ballistic = lead.kind != KIND_GLIDER
    for _ in range(iters):
        rec = flight.fly(lead)
        hit = impact_ecef(rec.ev, lead)
        miss = np.where(np.isnan(hit), 0.0, hit - lead.target_ecef)
        short = _shortfall(lead, hit)
        glide_ok = ~ballistic & (short < tol_m)
        if np.all((np.linalg.norm(miss, axis=1) < tol_m) | glide_ok):
            break
        aim = np.where(ballistic[:, None], _shift_aim(lead.aim_ecef, miss), lead.aim_ecef)
        aim = np.where((~ballistic & ~glide_ok)[:, None], _stretch(lead, short), aim)
        lead = lead.with_(aim_ecef=aim)
    return lead


def _shift_aim(aim, miss):
    """Move the aim point against the miss, staying on the ellipsoid surface."""
    lat, lon, _ = earth.ecef_to_geodetic(aim - miss)
    return earth.geodetic_to_ecef(lat, lon, 0.0)


def _shortfall(lead: FlightBatch, hit) -> np.ndarray:
    """How far (m) each object ended short of its target along the launch-target arc."""
    total = _arc(lead.launch_ecef, lead.target_ecef)
    flown = _arc(lead.launch_ecef, np.where(np.isnan(hit), lead.launch_ecef, hit))
    return np.maximum(total - flown, 0.0) + np.where(np.isnan(hit[:, 0]), total, 0.0)


def _arc(a, b):
    la, lo, _ = earth.ecef_to_geodetic(a)
    lb, lob, _ = earth.ecef_to_geodetic(b)
    return earth.great_circle_distance(la, lo, lb, lob)


def _virtual_aim(lead: FlightBatch, distance):
    """Point (N, 3) at ``distance`` (m) from launch along the great circle to the target."""
    la, lo, _ = earth.ecef_to_geodetic(lead.launch_ecef)
    lt, lot, _ = earth.ecef_to_geodetic(lead.target_ecef)
    az = earth.initial_azimuth(la, lo, lt, lot)
    lat, lon = earth.destination(la, lo, az, distance)
    return earth.geodetic_to_ecef(lat, lon, 0.0)


def _stretch(lead: FlightBatch, short):
    """Push the release aim of short gliders further by the shortfall (at least 5 %)."""
    d = _arc(lead.launch_ecef, lead.aim_ecef)
    total = _arc(lead.launch_ecef, lead.target_ecef)
    return _virtual_aim(lead, np.minimum(d + np.maximum(short, 0.05 * d), 0.95 * total))


def eggers_range(speed, r, lift_to_drag):
    """Equilibrium-glide range (m) from ``speed`` (m/s) at radius r (m).

    Notes
    -----
    R = (L/D) (r/2) ln(1 / (1 - v^2 / (g r))), Eggers, Allen & Neice, NACA Report 1382
    (1958), eq. 33; valid below circular speed.
    """
    g = MU_EARTH / r**2
    x = np.clip(speed**2 / (g * r), 0.0, 0.999)
    return lift_to_drag * r / 2.0 * np.log(1.0 / (1.0 - x))


def _initial_glide_aim(lead: FlightBatch) -> FlightBatch:
    """Release aim of each glider: the smallest boost arc after which the glide reaches."""
    g = np.flatnonzero(lead.kind == KIND_GLIDER)
    if not len(g):
        return lead
    gl = lead.take(g)
    total = _arc(gl.launch_ecef, gl.target_ecef)
    lo, hi = 0.05 * total, 0.95 * total
    ld = _lift_to_drag(gl.glide)
    for _ in range(30):
        mid = 0.5 * (lo + hi)
        aim = _virtual_aim(gl, mid)
        p = kepler.p_for_apogee(gl.launch_ecef, aim, gl.apogee_radius)
        v = np.linalg.norm(kepler.velocity_on_conic(gl.launch_ecef, aim, p), axis=1)
        r = np.linalg.norm(aim, axis=1)
        reach = mid + EGGERS_EFFICIENCY * (eggers_range(v, r, ld) - eggers_range(kernel.GLIDE_END_SPEED, r, ld))
        lo, hi = np.where(reach < total, mid, lo), np.where(reach < total, hi, mid)
    aim = lead.aim_ecef.copy()
    aim[g] = _virtual_aim(gl, hi)
    return lead.with_(aim_ecef=aim)


def _lift_to_drag(glide):
    """Maximum L/D of the parabolic polar stored in a batch's glide rows: 1 / (2 sqrt(CD0 K))."""
    return 1.0 / (2.0 * np.sqrt(np.maximum(glide[:, 2] * glide[:, 3], 1e-12)))


def _solve_glide_release(lead: FlightBatch, kick_iters: int, iters: int) -> FlightBatch:
    """Size each glider's release so that its best-L/D glide just reaches (Note 3).

    The reach is flown, not estimated: the lead is flown at a target far beyond its own on the
    same great circle, so that range control never bleeds energy; where its speed falls to
    GLIDE_END_SPEED it should be REACH_MARGIN of the distance past where the real flight
    begins its dive. A secant iteration on the release aim distance, the pitch kick solved
    again for each aim tried.
    """
    g = np.flatnonzero(lead.kind == KIND_GLIDER)
    if not len(g):
        return lead
    gl = lead.take(g)
    total = _arc(gl.launch_ecef, gl.target_ecef)
    far = gl.with_(target_ecef=_virtual_aim(gl, np.minimum(total + 8000e3, 19000e3)), t_launch=np.zeros(len(g)))
    lo, hi = 0.05 * total, 0.95 * total
    t_max = [7200.0]
    kick = gl.kick.copy()

    def excess(d):
        b = _solve_kick(far.with_(aim_ecef=_virtual_aim(gl, d), kick=kick), kick_iters)
        kick[:] = b.kick
        ahead, t_slow = _glide_end(b, total, t_max[0])
        t_max[0] = min(1.1 * np.max(t_slow) + 120.0, 7200.0)  # later flights stop soon after
        return ahead - REACH_MARGIN * total

    d0 = _arc(gl.launch_ecef, gl.aim_ecef)
    f0 = excess(d0)
    done = np.abs(f0) < REACH_TOL * total
    d1 = np.where(done, d0, np.clip(d0 - np.clip(f0 / REACH_SLOPE, -0.2 * d0, 0.2 * d0), lo, hi))
    for _ in range(iters):
        if np.all(done):
            break
        f1 = excess(d1)
        done = np.abs(f1) < REACH_TOL * total
        if np.all(done):
            break
        with np.errstate(divide="ignore", invalid="ignore"):
            slope = (f1 - f0) / (d1 - d0)
        step = -f1 / np.where(np.isfinite(slope) & (slope > 0.5), slope, REACH_SLOPE)
        d0, f0 = d1, f1
        d1 = np.where(done, d1, np.clip(d1 + np.clip(step, -0.2 * d1, 0.2 * d1), lo, hi))
    if not np.all(done):  # the kick of the last aim
        kick[:] = _solve_kick(far.with_(aim_ecef=_virtual_aim(gl, d1), kick=kick), kick_iters).kick
    aim, kicks = lead.aim_ecef.copy(), lead.kick.copy()
    aim[g], kicks[g] = _virtual_aim(gl, d1), kick
    return lead.with_(aim_ecef=aim, kick=kicks)


def _glide_end(far: FlightBatch, total, t_max: float):
    """How far (m) past the start of its dive each glider of ``far`` slows to GLIDE_END_SPEED, and when (s).

    ``far`` is launched at t = 0 toward a target beyond reach; the dive would begin
    max(h / tan(DIVE_ANGLE), GLIDE_END_SPEED * DIVE_LEAD_S) before the real target (the
    kernel's dive test). A glider never that fast counts its glide start; one still faster
    at t_max its last state.
    """
    rec = flight.fly(far, t_max=t_max, dt_out=1.0, t_out_end=t_max)
    r, v = rec.state[..., :3], rec.state[..., 3:]
    speed = np.linalg.norm(v - earth._omega_cross(r), axis=-1)
    gliding = rec.phase == flight.GLIDE
    slow = gliding & (speed < kernel.GLIDE_END_SPEED)
    last = np.where(gliding.any(axis=1), gliding.shape[1] - 1 - np.argmax(gliding[:, ::-1], axis=1), 0)
    fast = gliding.any(axis=1) & (speed[np.arange(far.n), last] >= kernel.GLIDE_END_SPEED)
    k = np.where(slow.any(axis=1), np.argmax(slow, axis=1), np.where(fast, last, np.argmax(gliding, axis=1)))
    i = np.arange(far.n)
    at = earth.eci_to_ecef(r[i, k], rec.t[k], far.theta)
    at = np.where(np.isfinite(at), at, far.launch_ecef)
    dive = np.maximum(earth.altitude(at) / np.tan(kernel.DIVE_ANGLE), kernel.GLIDE_END_SPEED * kernel.DIVE_LEAD_S)
    return _arc(far.launch_ecef, at) - (total - dive), rec.t[k]
