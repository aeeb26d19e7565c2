"""The smallest Walker SBI constellation giving every missile of a raid K shots in boost.

:func:`coverage` tests one shell at a set of launch offsets, :func:`worst_case` over every
geometry the shell can present, :func:`size_constellation` searches the size. The engagement
test itself is :mod:`goldendome.space.sbi`.
"""

from __future__ import annotations

import math

import numpy as np

from ..physics.constants import MU_EARTH, OMEGA_EARTH, WGS84_A
from .sbi import (SIDEREAL_DAY_S, Interceptor, rotate_z, boost_windows, can_engage, max_assignable, reach_m,
                  shell_fraction_in_reach)


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
        satellites able to engage each missile; ``worst_offset_s`` and ``worst_total`` (the offset
        with the fewest shots over all missiles, and that number); ``feasible`` bool.

    Notes
    -----
    Satellites further from the raid than reach + raid extent + satellite travel over the
    window (a triangle-inequality bound) are dropped before the fine test.
    """
    from .propagate import propagate

    th = _threat(traj, sbi)
    n_m = len(boost_windows(traj, sbi)[0])
    if th is None:
        return dict(shots=np.zeros(n_m, int), in_reach=np.zeros(n_m, int), worst_offset_s=0.0, worst_total=0,
                    feasible=False)
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
            sat = rotate_z(propagate(orbits.take(idx), off + tg), -OMEGA_EARTH * off)
            engage = can_engage(sat, pos, tg, tc, td, sbi)
        else:
            engage = np.zeros((0, n_m), bool)
        got = max_assignable(engage, shots)
        worst, worst_reach = np.minimum(worst, got), np.minimum(worst_reach, engage.sum(0))
        if got.sum() < worst_total:
            worst_total, worst_off = got.sum(), float(off)
        if stop_early and np.any(got < shots):
            break
    return dict(shots=worst, in_reach=worst_reach, worst_offset_s=worst_off, worst_total=worst_total,
                feasible=bool(np.all(worst >= shots)))


PHASE_REFINE = 8  # in-plane samples every step_s / 8 of orbital motion (~19 km along track at 300 km)
MAX_SHIFTS = 16  # ... but no more than 16 per satellite spacing (small shells: wide spacing, wide reach margins)


def worst_case(orbits, traj, sbi: Interceptor, shots: int, planes: int, per_plane: int, step_s: float,
               stop_early: bool = False) -> dict:
    """:func:`coverage` over every geometry a Walker shell can present to the raid.

    A Walker T/P/F shell seen from the rotating Earth repeats only on a torus: the Earth's
    turn against the planes (one plane spacing, SIDEREAL_DAY_S / P) and the satellites' motion
    along them (one in-plane spacing), which a day of launch times samples only along one
    line. Launch offsets over SIDEREAL_DAY_S / P every ``step_s`` are combined with in-plane
    shifts of the whole shell over one satellite spacing every ``step_s / PHASE_REFINE`` of
    orbital motion, coarse shifts first (so an infeasible shell fails early).

    Notes
    -----
    Measured (salvo of 10 solid ICBMs at Seattle, 300 km, 45 deg): the size found is feasible
    at every 20 s launch offset over a whole sidereal day, the check an outside review applied
    (the one-period search gave 12,210, at which one missile of the 10 had no SBI at some
    launch times); with shifts every step_s / 4 it was not.
    """
    n = math.sqrt(MU_EARTH / float(np.max(orbits.a)) ** 3)
    gap_s = 2.0 * math.pi / n / max(per_plane, 1)
    shifts = _coarse_first(np.arange(0.0, gap_s, max(step_s / PHASE_REFINE, gap_s / MAX_SHIFTS)))
    offsets = np.arange(0.0, SIDEREAL_DAY_S / planes, step_s)
    out = None
    for dm in shifts * n:
        moved = type(orbits)(orbits.a, orbits.e, orbits.i, orbits.raan, orbits.argp,
                             np.mod(orbits.mean_anomaly + dm, 2.0 * math.pi))
        c = coverage(moved, traj, sbi, shots, offsets, stop_early)
        out = c if out is None else _worse(out, c)
        if stop_early and not out["feasible"]:
            break
    return out


def _coarse_first(x: np.ndarray) -> np.ndarray:
    """The samples in bit-reversed order: every other one, then the ones between, and so on."""
    if len(x) <= 2:
        return x
    width = max(1, (len(x) - 1).bit_length())
    order = sorted(range(len(x)), key=lambda i: int(format(i, f"0{width}b")[::-1], 2))
    return x[order]


def _worse(a: dict, b: dict) -> dict:
    """The worse of two coverage results: missile by missile, and the worse of their worst offsets."""
    w = a if a["worst_total"] <= b["worst_total"] else b
    return dict(shots=np.minimum(a["shots"], b["shots"]), in_reach=np.minimum(a["in_reach"], b["in_reach"]),
                worst_offset_s=w["worst_offset_s"], worst_total=w["worst_total"],
                feasible=a["feasible"] and b["feasible"])


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
        Launch-time sampling step, s, over SIDEREAL_DAY_S / P (the Earth turning one plane
        spacing under the shell), combined with in-plane shifts of the shell every
        step_s / PHASE_REFINE of orbital motion over one satellite spacing (:func:`worst_case`).
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
    Feasibility is the worst case over the sampled geometries and an exact assignment
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
            if worst_case(orbits, traj, sbi, shots, p, s, step_s, stop_early=True)["feasible"]:
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
    cov = worst_case(orbits, traj, sbi, shots, p, s, step_s)
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
