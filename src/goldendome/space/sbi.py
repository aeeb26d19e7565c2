"""Space-based boost-phase interceptors (SBIs): reach, absentee ratio, constellation sizing.

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

from ..physics.constants import MU_EARTH, OMEGA_EARTH, WGS84_A

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


def _rot_z(v, angle):
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


def _threat(traj, sbi: Interceptor):
    obj, tc, td = boost_windows(traj, sbi)
    live = td > tc
    if not np.any(live):
        return None
    t = np.asarray(traj.t, float)
    sel = (t >= tc[live].min() - 1e-9) & (t <= td[live].max() + 1e-9)
    pos = np.asarray(traj.state, float)[obj][:, sel, :3]
    return obj, tc, td, t[sel], pos


def coverage(orbits, traj, sbi: Interceptor, shots: int, offsets, stop_early: bool = False):
    """Worst case over launch-time offsets of the shots each missile of a raid can get.

    Parameters
    ----------
    orbits : Orbits
        The constellation (:mod:`goldendome.space.orbits`).
    traj : Trajectories
        The raid flown with launch at its own times; offset ``o`` shifts every launch by
        ``o`` seconds (the ECI path turns by OMEGA_EARTH * o about z).
    sbi : Interceptor
    shots : int
        Shots wanted per missile.
    offsets : array_like, shape (K,)
        Launch-time offsets to try, s.
    stop_early : bool
        Stop at the first offset where some missile gets fewer than ``shots``.

    Returns
    -------
    dict
        ``shots`` (M,) int: fewest shots assigned per missile; ``in_reach`` (M,) int: fewest
        satellites able to engage each missile; ``worst_offset_s``; ``feasible`` bool.

    Notes
    -----
    Satellites further from the raid than reach + raid extent + satellite travel over the
    window (a triangle-inequality bound) are dropped before the fine test.
    """
    from .propagate import propagate

    th = _threat(traj, sbi)
    n_m = len(boost_windows(traj, sbi)[0])
    if th is None:
        return dict(shots=np.zeros(n_m, int), in_reach=np.zeros(n_m, int), worst_offset_s=0.0, feasible=False)
    _, tc, td, tg, pos = th
    offsets = np.atleast_1d(np.asarray(offsets, float))
    center = np.nanmean(pos.reshape(-1, 3), axis=0)
    t_mid = 0.5 * (tg[0] + tg[-1])
    extent = np.nanmax(np.linalg.norm(pos - center, axis=-1))
    r_min = float(np.min(orbits.a * (1.0 - orbits.e)))
    v_sat = math.sqrt(MU_EARTH * (2.0 / r_min - 1.0 / float(np.max(orbits.a))))
    r_pre = extent + float(np.max(reach_m(sbi, td - tc))) + v_sat * (tg[-1] - tg[0]) / 2.0 + 1.0
    s_mid = propagate(orbits, offsets + t_mid)  # (N, K, 3)
    ang = OMEGA_EARTH * offsets
    c_k = np.stack([np.cos(ang) * center[0] - np.sin(ang) * center[1],
                    np.sin(ang) * center[0] + np.cos(ang) * center[1], np.full_like(ang, center[2])], -1)
    near = np.sum((s_mid - c_k[None]) ** 2, axis=-1) <= r_pre**2  # (N, K)
    worst = np.full(n_m, np.iinfo(int).max)
    worst_reach = np.full(n_m, np.iinfo(int).max)
    worst_off, worst_total = 0.0, np.inf
    for k, off in enumerate(offsets):
        idx = np.flatnonzero(near[:, k])
        if idx.size:
            sat = _rot_z(propagate(orbits.take(idx), off + tg), -OMEGA_EARTH * off)
            engage = can_engage(sat, pos, tg, tc, td, sbi)
        else:
            engage = np.zeros((0, n_m), bool)
        got = max_assignable(engage, shots)
        worst, worst_reach = np.minimum(worst, got), np.minimum(worst_reach, engage.sum(0))
        if got.sum() < worst_total:
            worst_total, worst_off = got.sum(), float(off)
        if stop_early and np.any(got < shots):
            break
    return dict(shots=worst, in_reach=worst_reach, worst_offset_s=worst_off, feasible=bool(np.all(worst >= shots)))


def walker_shape(n: int, planes: int | None = None) -> tuple[int, int]:
    """(planes, per_plane) for about ``n`` satellites: P = round(sqrt(n)) unless given."""
    p = max(1, int(round(math.sqrt(n)))) if planes is None else int(planes)
    return p, max(1, math.ceil(n / p))


PHASING_TRIES = 8  # Walker phasings tried per size when the caller does not fix one


def size_constellation(traj, sbi: Interceptor = Interceptor(), shots: int = 1, altitude_m: float = 300e3,
                       inclination_rad: float = math.radians(45.0), planes: int | None = None,
                       phasing: int | None = None, step_s: float = 20.0, tol: float = 0.01,
                       max_interceptors: int = 400_000) -> dict:
    """Smallest Walker-delta constellation giving every missile of a raid ``shots`` SBIs.

    Parameters
    ----------
    traj : Trajectories
        The raid (N missiles launched together or in succession).
    sbi : Interceptor
    shots : int
        Distinct interceptors wanted on each missile (K); each interceptor used once.
    altitude_m, inclination_rad : float
        Shell altitude, m, and inclination, rad.
    planes : int, optional
        Number of planes; default round(sqrt(T)) (plane spacing ~ in-plane spacing).
    phasing : int or None
        Walker phasing F; None (default) lets the designer pick, for each size, the first of
        PHASING_TRIES phasings spread over 0..P-1 that meets the worst case (phasing changes
        the worst case by a factor of 2 or more; fixing it makes the size erratic).
    step_s : float
        Launch-time sampling step, s, over one pattern period SIDEREAL_DAY_S / P (the time
        for the Earth to turn one plane spacing under the shell), which also spans many
        in-plane passages.
    tol : float
        Relative resolution of the search on T.
    max_interceptors : int
        Give up above this size.

    Returns
    -------
    dict
        interceptors, planes, per_plane, absentee_ratio (T / (N K)), fraction_in_reach
        (uniform shell, at the raid), reach_km and time_available_s (lead missile),
        constellation_mass_t, worst_offset_s, evaluations, per_missile (list of dicts).
        interceptors is None when no size up to ``max_interceptors`` works.

    Notes
    -----
    Feasibility is the worst case over the sampled launch times and an exact assignment
    (:func:`max_assignable`). It is monotone in T only in practice (changing P and the
    phasing moves satellites), so the search brackets [lo infeasible, hi feasible],
    bisects to ``tol`` and returns a T that was itself verified feasible.
    """
    from .orbits import walker_delta

    if shots < 1:
        raise ValueError(f"shots must be >= 1, got {shots}")
    obj, tc, td = boost_windows(traj, sbi)
    n_m = len(obj)
    state = {"evals": 0, "phasing": {}}

    def build(n, f):
        p, s = walker_shape(n, planes)
        return walker_delta(p * s, p, f % p if p > 1 else 0, altitude_m, inclination_rad), p, s

    def phasings(n):
        p, _ = walker_shape(n, planes)
        if phasing is not None:
            return [phasing]
        return sorted({int(round(k * p / PHASING_TRIES)) % p for k in range(PHASING_TRIES)} | {1 % p})

    def check(n):
        for f in phasings(n):
            orbits, p, s = build(n, f)
            state["evals"] += 1
            if coverage(orbits, traj, sbi, shots, np.arange(0.0, SIDEREAL_DAY_S / p, step_s), stop_early=True)["feasible"]:
                state["phasing"][n] = f
                return True
        return False

    radius = WGS84_A + altitude_m
    t_av = np.maximum(td - tc, 0.0)
    lead = int(np.argmax(t_av > 0)) if np.any(t_av > 0) else 0
    frac = float(shell_fraction_in_reach(reach_m(sbi, t_av[lead]), radius))
    result = dict(interceptors=None, planes=None, per_plane=None, absentee_ratio=None, fraction_in_reach=frac,
                  reach_km=float(reach_m(sbi, t_av[lead])) / 1e3, time_available_s=float(t_av[lead]),
                  constellation_mass_t=None, worst_offset_s=None, evaluations=0, per_missile=[])
    if frac <= 0:
        return result
    hi = max(planes or 1, int(math.ceil(n_m * shots / max(frac, 1e-9))))
    while not check(hi):
        if hi >= max_interceptors:
            result["evaluations"] = state["evals"]
            return result
        hi = min(max_interceptors, int(hi * 1.6) + 1)
    lo = max(1, hi // 2)
    while lo > 1 and check(lo):
        hi, lo = lo, max(1, lo // 2)
    while hi - lo > max(1, tol * hi):
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if check(mid) else (mid, hi)
    orbits, p, s = build(hi, state["phasing"][hi])
    cov = coverage(orbits, traj, sbi, shots, np.arange(0.0, SIDEREAL_DAY_S / p, step_s))
    total = p * s
    ids = np.asarray(traj.objects.get("missile_id", ["?"] * len(traj.objects["missile"])))[obj]
    per = [dict(missile=int(m), missile_id=str(ids[m]), t_launch_s=float(tc[m] - sbi.delay_s),
                time_available_s=float(t_av[m]), reach_km=float(reach_m(sbi, t_av[m])) / 1e3,
                min_in_reach=int(cov["in_reach"][m]), shots=int(cov["shots"][m])) for m in range(n_m)]
    result.update(interceptors=total, planes=p, per_plane=s, phasing=state["phasing"][hi],
                  absentee_ratio=total / (n_m * shots),
                  constellation_mass_t=total * sbi.mass_kg / 1e3, worst_offset_s=cov["worst_offset_s"],
                  evaluations=state["evals"] + 1, per_missile=per)
    return result
