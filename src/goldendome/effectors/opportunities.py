"""Engagement opportunities: which effector can engage which threat object, and when.

For every effector of an architecture (batteries, ships, laser sites, an SBI constellation)
and every threat object, the window in which a shot can be taken: earliest and latest
launch (or dwell start, or SBI firing) and the matching intercept times, with the shot's
Pk and cost. C2 (:mod:`goldendome.c2`) assigns shots over these rows.

A shot cannot leave before the object has a fire-control-quality track for that interceptor
type (``fire_control[type][n]``, absolute s, NaN = never; from
:func:`goldendome.tracking.quality.fire_control_from`), plus the C2 decision and link
latency, plus the battery's own reaction time. A type missing from ``fire_control`` uses
the earliest time of any type given (the loosest threshold is met first); with no entry at
all there is no opportunity.

Notes
-----
Kinetic layers: the fly-out fan of :func:`.kinetic.intercept_windows` (NRC 2012 flyout
methodology). Lasers: :func:`.laser.engagement` irradiance, with the fluence to kill
accumulated from the dwell start (rectangle rule on the trajectory grid), which must not
begin before the object is ready and must end within ``max_dwell_s`` (APS 2003 laser
chapter, dwell = F / I). A laser's layer is the phase of the target at the dwell start.
SBIs: APS 2003 reach-sphere model of :mod:`goldendome.space.sbi`; one opportunity per
missile (on its lead object: in boost the booster carries all its RVs and decoys), whose
effector's inventory is the number of interceptors in reach at the worst geometry the Walker
shell can present (:func:`goldendome.space.sizing.worst_case`, as `sbi size` uses).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

# The data contract lives in c2/ (its consumer); it is plain dataclasses and imports nothing back.
from .table import Effectors, Opportunities
from ..space import orbits as orbits_mod
from ..space import sizing
from ..threats.phases import Phase
from . import killchain, kinetic, laser, reasons
from .batteries import Battery, SbiLayer
from .layers import Layer

SBI_DELAY_STEP_S = 5.0  # SBI commit delays are rounded up to this, s (one coverage run per group); derived
_FIELDS = ("obj", "eff", "layer", "launch_first", "launch_last", "intercept_first", "intercept_last",
           "fly_out_s", "pk", "cost_usd")
# Layer of a laser shot by target phase at dwell start (index = Phase code).
_PHASE_LAYER = {Phase.BOOST: Layer.BOOST, Phase.POST_BOOST: Layer.BOOST, Phase.BALLISTIC: Layer.MIDCOURSE,
                Phase.GLIDE: Layer.UNDERLAYER, Phase.TERMINAL: Layer.TERMINAL, Phase.CRUISE: Layer.TERMINAL,
                Phase.DONE: Layer.TERMINAL, Phase.NOT_LAUNCHED: Layer.BOOST}
PHASE_TO_LAYER = np.array([_PHASE_LAYER[p] for p in Phase], int)


def build(batteries, traj, fire_control: dict, c2_latency_s: float, theta0: float | None = None,
          laser_hardness_J_m2=None) -> tuple[Opportunities, Effectors]:
    """Engagement opportunities of every effector against every object of a raid.

    Parameters
    ----------
    batteries : sequence of Battery or SbiLayer
        From :func:`goldendome.scenario.effectors.battery_from_spec`.
    traj : Trajectories
        The raid: ``.t`` (T,), ``.state`` (N, T, 6) ECI, ``.objects``.
    fire_control : dict of str -> ndarray (N,)
        Per interceptor type, the absolute time (s) each object first has a
        fire-control-quality track; NaN = never.
    c2_latency_s : float
        Decision and link latency between the track and the engagement order, s.
    theta0 : float, optional
        Earth rotation angle at t = 0, rad (default ``traj.theta0``).
    laser_hardness_J_m2 : array_like, optional
        Fluence to kill per object, (N,) or scalar, J/m^2 (default: each laser's own).

    Returns
    -------
    Opportunities
        One row per (effector, object) with a window; SBI rows per missile.
    Effectors
        One entry per battery, plus one per missile for an SBI layer (``name#m<k>``, its
        inventory the interceptors in reach of that missile).
    """
    theta0 = float(getattr(traj, "theta0", 0.0)) if theta0 is None else float(theta0)
    rows, names, kinds, inv = [], [], [], []
    reach = np.full((len(Layer), traj.n), reasons.Why.NO_LAYER, np.int8)
    geodetic = None  # the raid's geodetic coordinates, converted once for all kinetic batteries
    for b in batteries:
        if isinstance(b, SbiLayer):
            r, n_eff, stock = _sbi_rows(b, traj, fire_control, c2_latency_s, len(names))
            names += [f"{b.name}#m{k}" for k in range(n_eff)]
            kinds += [b.type] * n_eff
            inv += list(stock)
        else:
            t_ready = ready_times(fire_control, b.type, traj.n) + c2_latency_s
            if not b.is_laser and geodetic is None:
                geodetic = kinetic.raid_geodetic(traj, theta0)
            r = (_laser_rows(b, traj, t_ready, theta0, laser_hardness_J_m2) if b.is_laser
                 else _kinetic_rows(b, traj, t_ready + b.interceptor.reaction_s, theta0, geodetic))
            r["eff"] = np.full(len(r["obj"]), len(names))
            names.append(b.name), kinds.append(b.type), inv.append(int(b.inventory))
        np.maximum(reach[int(b.layer)], r.pop("reason"), out=reach[int(b.layer)])
        rows.append(r)
    opps = _stack(rows)
    return replace(opps, reach=reach), Effectors(name=names, kind=kinds, inventory=np.asarray(inv, int))


def ready_times(fire_control: dict, itype: str, n: int) -> np.ndarray:
    """Fire-control time (N,) for ``itype``; else the earliest over the types given; else NaN."""
    arrays = {k: np.asarray(v, float) for k, v in (fire_control or {}).items()}
    for k, v in arrays.items():
        if v.shape != (n,):
            raise ValueError(f"fire_control['{k}'] has shape {v.shape}, expected ({n},)")
    if itype in arrays:
        return arrays[itype].copy()
    if not arrays:
        return np.full(n, np.nan)
    return np.fmin.reduce(np.stack(list(arrays.values())), axis=0)


def _rows(obj, layer, lf, ll, tf, tl, pk, cost) -> dict:
    obj = np.asarray(obj, int)
    full = lambda v: np.broadcast_to(np.asarray(v, float), obj.shape).copy()
    return {"obj": obj, "layer": np.broadcast_to(np.asarray(layer, int), obj.shape).copy(),
            "launch_first": full(lf), "launch_last": full(ll), "intercept_first": full(tf),
            "intercept_last": full(tl), "fly_out_s": full(np.asarray(tf) - np.asarray(lf)),
            "pk": full(pk), "cost_usd": full(cost)}


def _kinetic_rows(b: Battery, traj, t_ready, theta0, geodetic) -> dict:
    """Rows of one kinetic battery: objects with a feasible fly-out window."""
    w = kinetic.intercept_windows(b.interceptor, b.lat_rad, b.lon_rad, traj, t_ready, theta0, geodetic)
    k = np.flatnonzero(np.isfinite(w.t_first))
    r = _rows(k, b.layer, w.launch_first[k], w.launch_last[k], w.t_first[k], w.t_last[k], b.pk, b.shot_cost_usd)
    return {**r, "reason": w.reason}


def _laser_rows(b: Battery, traj, t_ready, theta0, hardness) -> dict:
    """Rows of one laser: earliest and latest dwell starts that kill within ``max_dwell_s``.

    Notes
    -----
    Fluence from a start at step i reaches F at the first j with C_j - C_{i-1} >= F, C the
    cumulative fluence (module Notes); row-wise search by offsetting each row of C.
    """
    las = b.interceptor
    eng = laser.engagement(las, b.lat_rad, b.lon_rad, traj, hardness_J_m2=hardness, theta0=theta0)
    t = np.asarray(traj.t, float)
    n, n_t = eng.dwell_s.shape
    f = np.broadcast_to(np.asarray(las.hardness_J_m2 if hardness is None else hardness, float), (n,))[:, None]
    dt = np.gradient(t) if n_t > 1 else np.ones_like(t)
    with np.errstate(invalid="ignore"):
        irr = np.where(np.isfinite(eng.dwell_s) & (t[None, :] >= t_ready[:, None]), f / eng.dwell_s, 0.0)
    j = _first_reaching(np.cumsum(irr * dt, axis=1), irr * dt, f)
    t_j = t[np.minimum(j, n_t - 1)]
    ok = (irr > 0) & (j < n_t) & (t_j - t[None, :] <= las.max_dwell_s)
    k = np.flatnonzero(ok.any(axis=1))
    i0 = np.argmax(ok[k], axis=1)
    i1 = n_t - 1 - np.argmax(ok[k, ::-1], axis=1)
    layer = PHASE_TO_LAYER[np.asarray(traj.phase)[k, i0]] if len(k) else np.zeros(0, int)
    r = _rows(k, layer, t[i0], t[i1], t_j[k, i0], t_j[k, i1], b.pk, b.shot_cost_usd)
    # Static code in the laser's own layer; a row in another layer (the target's phase) is
    # explained there by battle management. Envelope: a kill dwell within max_dwell_s somewhere.
    reason = reasons.static_reason((np.isfinite(eng.dwell_s) & (eng.dwell_s <= las.max_dwell_s)).any(axis=1),
                                   np.isfinite(t_ready), False)
    reason[k] = np.where(layer == int(b.layer), reasons.Why.TRACK_TOO_LATE, reasons.Why.OUT_OF_ENVELOPE)
    return {**r, "reason": reason}


def _first_reaching(cum, step, f):
    """Index (N, T) of the first step j >= i with cum[j] - cum[i] + step[i] >= f (T if none)."""
    n, n_t = cum.shape
    span = float(np.max(cum, initial=0.0) + np.max(f, initial=0.0)) + 1.0
    off = np.arange(n)[:, None] * span
    idx = np.searchsorted((cum + off).ravel(), (cum - step + f + off).ravel(), side="left").reshape(n, n_t)
    return np.minimum(idx - np.arange(n)[:, None] * n_t, n_t)


def _sbi_rows(layer: SbiLayer, traj, fire_control, latency, eff0) -> tuple[dict, int, np.ndarray]:
    """One row per missile with SBIs in reach; effector ``eff0 + m`` per missile m.

    The firing time is the missile's kill chain (:func:`.killchain.from_tracks`: its SBI
    fire-control track plus ``latency``). A kill in boost kills every object of the missile
    (``missile_kill``). Static reasons of a
    missile without a row: no boost phase (out of the envelope), no track, a commit after the
    deadline, or none in reach: too late if some SBI would reach it when committed at the
    interceptor's own ``delay_s`` after launch, else out of the envelope.
    """
    chain = killchain.from_tracks(traj, ready_times(fire_control, "sbi", traj.n), latency, layer.interceptor)
    lead, t_dead, commit, t_launch = chain.lead, chain.deadline, chain.commit, chain.t_launch
    missile = np.asarray(traj.objects["missile"])
    m_of = np.searchsorted(np.unique(missile), missile)
    in_reach = _in_reach(layer, traj, commit - t_launch)
    m = np.flatnonzero(in_reach > 0)
    rows = _rows(lead[m], Layer.BOOST, commit[m], commit[m], t_dead[m], t_dead[m], layer.pk, layer.shot_cost_usd)
    rows["eff"] = eff0 + m
    rows["missile_kill"] = np.ones(len(m), bool)
    boost = t_dead > t_launch
    ask = boost & np.isfinite(commit) & (commit < t_dead) & (in_reach == 0)
    early = _in_reach(layer, traj, np.where(ask, layer.interceptor.delay_s, np.nan)) > 0 if ask.any() else ask
    W = reasons.Why
    why = np.select([in_reach > 0, ~boost, ~np.isfinite(commit), commit >= t_dead, early],
                    [W.TRACK_TOO_LATE, W.OUT_OF_ENVELOPE, W.NO_TRACK, W.TRACK_TOO_LATE, W.TRACK_TOO_LATE],
                    W.OUT_OF_ENVELOPE)
    rows["reason"] = why.astype(np.int8)[m_of]
    return rows, len(lead), in_reach


def _in_reach(layer: SbiLayer, traj, delay_s) -> np.ndarray:
    """Fewest SBIs able to engage each missile (M,) over launch instants, per commit delay."""
    p, s = sizing.walker_shape(layer.count, layer.planes)
    f = 1 % p if layer.phasing is None else layer.phasing % p
    orbits = orbits_mod.walker_delta(p * s, p, f, layer.altitude_m, layer.inclination_rad)
    out = np.zeros(len(delay_s), int)
    delay_q = np.ceil(np.maximum(delay_s, 0.0) / SBI_DELAY_STEP_S) * SBI_DELAY_STEP_S
    missiles = np.unique(np.asarray(traj.objects["missile"]))
    for d in np.unique(delay_q[np.isfinite(delay_q)]):
        kv = replace(layer.interceptor, delay_s=float(d))
        group = np.flatnonzero(delay_q == d)  # only the missiles committed after this delay
        out[group] = sizing.worst_case(orbits, _missiles(traj, missiles[group]), kv, 1, p, s, layer.step_s)["in_reach"]
    return out


def _missiles(traj, keep):
    """The raid restricted to the objects of missiles ``keep`` (same grid and frame)."""
    idx = np.flatnonzero(np.isin(np.asarray(traj.objects["missile"]), keep))
    objects = {k: np.asarray(v)[idx] for k, v in traj.objects.items()}
    return replace(traj, state=traj.state[idx], phase=traj.phase[idx], objects=objects)


def _stack(rows: list[dict]) -> Opportunities:
    ints = {"obj", "eff", "layer"}
    cat = {k: (np.concatenate([r[k] for r in rows]) if rows else np.zeros(0)).astype(int if k in ints else float)
           for k in _FIELDS}
    whole = [r.get("missile_kill", np.zeros(len(r["obj"]), bool)) for r in rows]
    return Opportunities(**cat, missile_kill=np.concatenate(whole) if rows else np.zeros(0, bool))


def intercept_points(opp: Opportunities, traj, which: str = "intercept_first") -> np.ndarray:
    """ECI position (J, 3), m, of each object at the opportunity's intercept time (linear interpolation).

    Notes
    -----
    Linear interpolation of the trajectory grid between the two bracketing steps; NaN where
    the time is NaN or the object is not flying there.
    """
    t = np.asarray(traj.t, float)
    tq = np.asarray(getattr(opp, which), float)
    i = np.clip(np.searchsorted(t, np.nan_to_num(tq, nan=t[0])), 1, max(len(t) - 1, 1))
    w = np.clip((tq - t[i - 1]) / np.where(t[i] > t[i - 1], t[i] - t[i - 1], 1.0), 0.0, 1.0)[:, None]
    pos = np.asarray(traj.state, float)[..., :3]
    p = (1 - w) * pos[opp.obj, i - 1] + w * pos[opp.obj, i]
    return np.where(np.isfinite(tq)[:, None], p, np.nan)


__all__ = [
    "PHASE_TO_LAYER",
    "SBI_DELAY_STEP_S",
    "Effectors",
    "Opportunities",
    "build",
    "intercept_points",
    "ready_times",
]
