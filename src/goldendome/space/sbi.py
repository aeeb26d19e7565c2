"""Space-based boost-phase interceptors (SBIs): reach, engagement test, absentee ratio.

Sizing a constellation against a raid is :mod:`goldendome.space.sizing`.

A kill vehicle fired from an orbiting carrier accelerates at ``accel`` until its ``delta_v``
is spent, then coasts. It may be fired ``delay_s`` after the missile's launch (detection,
track and decision time) and must hit before the deadline: the missile's burnout (default)
or the release of its RVs and decoys.

Conventions: SI units, ECI frame of :mod:`goldendome.physics.earth` (theta0 = 0), times in
s from scenario start. Satellites come from :mod:`goldendome.space.orbits` and
:mod:`goldendome.space.propagate`; missiles from :mod:`goldendome.threats`
(:class:`~goldendome.threats.trajectory.Trajectories`).

Notes
-----
Engagement test (relative motion, no gravity difference): an SBI fired at ``t_d`` keeps its
carrier's free-fall path ``s(t)`` and adds a powered displacement of at most
``d(t - t_d)`` (:func:`fly_out_distance`), so it can hit the missile at ``t`` iff
``|r(t) - s(t)| <= d(t - t_d)`` for some ``t`` in ``[t_d, deadline]``. The gravity
difference between the kill vehicle and its carrier (tidal, ~2 g r / R_E per metre of
separation) changes the reach by ~1-3 % over the < 200 s involved and is neglected; so are
end-game closing-speed limits and atmospheric drag on the kill vehicle. This is the
"reach sphere" model of APS 2003 (Rev. Mod. Phys. 76, S1 (2004), ch. 11 on space-based
interceptors), with the satellite's own motion kept (their "moving reach sphere").

Absentee ratio: for satellites spread uniformly over a shell of radius R, the fraction
within straight-line distance d of a point at radius r_p is (1 - cos theta)/2, with
cos theta = (R^2 + r_p^2 - d^2) / (2 R r_p) (a spherical cap; on the shell, 1 - cos theta
= d^2 / (2 R^2)). A Walker shell of inclination i is not uniform in latitude: its density
relative to uniform is 2 / (pi sqrt(sin^2 i - sin^2 phi)) (time spent at latitude phi by a
circular orbit), which :func:`walker_fraction_in_reach` applies. The absentee ratio is the
constellation size per interceptor in reach: 1 / fraction.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..physics.constants import OMEGA_EARTH

G0 = 9.80665  # m/s^2, standard gravity (CGPM 1901)
SIDEREAL_DAY_S = 2.0 * math.pi / OMEGA_EARTH  # s (derived from OMEGA_EARTH)


@dataclass(frozen=True)
class Interceptor:
    """A space-based kill vehicle (defaults: catalog entry ``sbi``, APS 2003-like).

    Attributes
    ----------
    delta_v_m_s : float
        Total velocity change of the kill vehicle, m/s (APS 2003: 4 km/s class).
    accel_m_s2 : float
        Powered acceleration, m/s^2 (constant; burn time delta_v / accel).
    delay_s : float
        Time from missile launch to the firing decision (detection + track + decision), s.
    mass_kg : float
        On-orbit mass per interceptor incl. its share of carrier ("life jacket"), kg.
    deadline : str
        'burnout' (hit before the booster burns out) or 'deploy' (before RV/decoy release).

    Notes
    -----
    Values and sources: src/goldendome/catalog/interceptors.yaml (entry ``sbi``).
    """

    delta_v_m_s: float = 4000.0
    accel_m_s2: float = 5.0 * G0
    delay_s: float = 60.0
    mass_kg: float = 1250.0
    deadline: str = "burnout"

    def __post_init__(self):
        if not (self.delta_v_m_s > 0 and self.accel_m_s2 > 0):
            raise ValueError(f"delta_v and accel must be > 0, got {self.delta_v_m_s}, {self.accel_m_s2}")
        if not (self.delay_s >= 0 and self.mass_kg >= 0):
            raise ValueError(f"delay_s and mass_kg must be >= 0, got {self.delay_s}, {self.mass_kg}")
        if self.deadline not in ("burnout", "deploy"):
            raise ValueError(f"deadline must be 'burnout' or 'deploy', got {self.deadline!r}")


def fly_out_distance(tau, delta_v, accel):
    """Largest displacement a kill vehicle reaches ``tau`` s after firing.

    Parameters
    ----------
    tau : array_like
        Time since firing, s (negative gives 0).
    delta_v, accel : float
        Delta-v, m/s, and constant acceleration, m/s^2.

    Returns
    -------
    ndarray
        Distance, m, same shape as ``tau``: a tau^2 / 2 while burning (tau < V/a), then
        V tau - V^2 / (2 a).

    Notes
    -----
    Straight-line burn in free fall (gravity common to carrier and kill vehicle); APS 2003
    ch. 11.
    """
    tau = np.maximum(np.asarray(tau, float), 0.0)
    tb = delta_v / accel
    return np.where(tau < tb, 0.5 * accel * tau**2, delta_v * tau - 0.5 * delta_v**2 / accel)


def boost_windows(traj, sbi: Interceptor):
    """Per missile of a raid: lead object index, commit time and deadline.

    Parameters
    ----------
    traj : Trajectories
        Flown raid (:func:`goldendome.scenario.threats.fly_salvos`).
    sbi : Interceptor

    Returns
    -------
    obj : ndarray of int, shape (M,)
        Index of the first object of each missile (its booster shares this path in boost).
    t_commit, t_deadline : ndarray, shape (M,)
        Firing time t_launch + delay_s and deadline (burnout or deploy), absolute s.

    Notes
    -----
    Missiles with no boost phase (cruise) get t_deadline = t_launch: no window.
    """
    o = traj.objects
    missile = np.asarray(o["missile"])
    _, obj = np.unique(missile, return_index=True)
    t_launch = np.asarray(o["t_launch"], float)[obj]
    key = "t_burnout" if sbi.deadline == "burnout" else "t_deploy"
    t_end = np.nan_to_num(np.asarray(o[key], float)[obj], nan=-np.inf)
    return obj, t_launch + sbi.delay_s, np.maximum(t_end, t_launch)


def reach_m(sbi: Interceptor, time_available_s):
    """Reach of the kill vehicle, m, when ``time_available_s`` remain after firing."""
    return fly_out_distance(time_available_s, sbi.delta_v_m_s, sbi.accel_m_s2)


def shell_fraction_in_reach(reach, shell_radius, point_radius=None):
    """Fraction of a uniform spherical shell within straight-line distance ``reach`` of a point.

    Parameters
    ----------
    reach : array_like
        Distance, m.
    shell_radius : float
        Radius of the satellite shell, m.
    point_radius : float, optional
        Geocentric radius of the point, m (default: on the shell).

    Returns
    -------
    ndarray
        (1 - cos theta) / 2, theta the half-angle of the cap in reach.
    """
    rp = shell_radius if point_radius is None else point_radius
    cos_t = (shell_radius**2 + rp**2 - np.asarray(reach, float) ** 2) / (2.0 * shell_radius * rp)
    return 0.5 * (1.0 - np.clip(cos_t, -1.0, 1.0))


def walker_density_factor(lat, inclination):
    """Density of a uniformly phased inclined shell at latitude ``lat`` relative to uniform.

    Returns 2 / (pi sqrt(sin^2 i - sin^2 lat)) (inf at lat = +-i, 0 beyond; rad in).
    """
    s = np.sin(inclination) ** 2 - np.sin(lat) ** 2
    with np.errstate(divide="ignore"):
        return np.where(s > 0, 2.0 / (np.pi * np.sqrt(np.maximum(s, 1e-300))), 0.0)


def walker_fraction_in_reach(reach, shell_radius, lat, inclination, point_radius=None):
    """Uniform-shell fraction times :func:`walker_density_factor` (small-cap approximation)."""
    return shell_fraction_in_reach(reach, shell_radius, point_radius) * walker_density_factor(lat, inclination)


def rotate_z(v, angle):
    c, s = math.cos(angle), math.sin(angle)
    out = np.empty_like(v)
    out[..., 0] = c * v[..., 0] - s * v[..., 1]
    out[..., 1] = s * v[..., 0] + c * v[..., 1]
    out[..., 2] = v[..., 2]
    return out


def can_engage(sat_pos, missile_pos, t, t_commit, t_deadline, sbi: Interceptor):
    """Which satellites can kill which missiles.

    Parameters
    ----------
    sat_pos : ndarray, shape (S, J, 3)
        Carrier positions at times ``t``, m, ECI.
    missile_pos : ndarray, shape (M, J, 3)
        Missile positions at times ``t``, m, ECI (NaN where not flying).
    t : ndarray, shape (J,)
        Times, s.
    t_commit, t_deadline : ndarray, shape (M,)
        Firing time and deadline per missile, s.
    sbi : Interceptor

    Returns
    -------
    ndarray of bool, shape (S, M)
    """
    tau = t[None, :] - t_commit[:, None]  # (M, J)
    inside = (tau >= 0) & (t[None, :] <= t_deadline[:, None] + 1e-9)
    d = np.where(inside, reach_m(sbi, tau), -1.0)
    dist2 = np.sum((sat_pos[:, None, :, :] - missile_pos[None, :, :, :]) ** 2, axis=-1)  # (S, M, J)
    with np.errstate(invalid="ignore"):
        ok = dist2 <= (d**2 * np.sign(d))[None]
    return np.any(ok, axis=-1)


def max_assignable(engage, shots: int) -> np.ndarray:
    """Shots each missile gets when interceptors are shared out, each used once.

    Parameters
    ----------
    engage : ndarray of bool, shape (S, M)
        Satellite s can engage missile m.
    shots : int
        Shots wanted per missile (K).

    Returns
    -------
    ndarray of int, shape (M,)
        Shots assigned per missile by a maximum bipartite b-matching (Kuhn's augmenting
        paths on K copies of each missile); all equal ``shots`` iff every missile can get
        K distinct interceptors.
    """
    n_sat, n_m = engage.shape
    adj = [np.flatnonzero(engage[:, m]) for m in range(n_m)]
    owner = -np.ones(n_sat, int)  # slot index holding each satellite
    slots = [m for m in range(n_m) for _ in range(shots)]

    def augment(slot, seen):
        for s in adj[slots[slot]]:
            if seen[s]:
                continue
            seen[s] = True
            if owner[s] < 0 or augment(owner[s], seen):
                owner[s] = slot
                return True
        return False

    got = np.zeros(n_m, int)
    for slot in range(len(slots)):
        if augment(slot, np.zeros(n_sat, bool)):
            got[slots[slot]] += 1
    return got
