"""Multi-target tracker: predict, gate, GNN-associate, update, M-of-N initiation, deletion.

The tracker is a step function over a ``TrackerState``: ``step(state, detections, t_now,
params)`` consumes the detections that have *arrived* by ``t_now`` (a detection measured at
``t`` reaches battle management at ``arrival``; later ones wait in ``state.pending``) in
measurement-time order, so the same code runs a whole raid (``track_all``) or a live feed
scan by scan. All live tracks share one filter time ``state.t``; each (time, sensor) group
of detections is one predict / associate / update / initiate cycle over all tracks at once.

The tracker never reads ``Detections.truth``; scoring against truth lives in ``quality``.

Notes
-----
Track-oriented GNN tracker after Blackman & Popoli, Design and Analysis of Modern Tracking
Systems (Artech House 1999), ch. 6-7 (gating, GNN, M-of-N confirmation, deletion after
consecutive misses); single-point initiation with a diffuse velocity prior, which after the
second update equals two-point differencing (Bar-Shalom, Li & Kirubarajan 2001, sec. 5.5.3).
Out-of-sequence detections (measured before ``state.t``) are handled by retrodiction with
the process noise of |dt| added (conservative; cf. Bar-Shalom, IEEE Trans. AES 38(3), 2002,
for the exact one-step OOSM update).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from ..sensors.detections import Detections
from . import kalman
from .association import associate, gate_threshold

__all__ = ["DELETED", "FIRM", "TENTATIVE", "TrackerParams", "TrackerState", "predict", "step", "track_all"]

TENTATIVE, FIRM, DELETED = 0, 1, 2
H_POS = np.hstack([np.eye(3), np.zeros((3, 3))])  # position measurement of a [r, v] state


@dataclass(frozen=True)
class TrackerParams:
    """Tracker settings (SI units).

    q : white-noise acceleration density, m^2/s^3 (unmodelled drag, manoeuvre).
    motion : 'ballistic' (J2 gravity EKF, ECI) or 'cv' (constant velocity).
    gate_prob : chi-square gate probability (0.999 -> 16.27 in 3-D).
    m_confirm, n_confirm : M-of-N confirmation over a tentative track's first N scans.
    max_misses : a firm track is deleted after this many consecutive scans without update.
    max_pos_sigma_m : ... or when sqrt(trace of its position covariance) exceeds this, m.
    init_vel_sigma_m_s : 1-sigma per axis of the diffuse velocity prior at initiation, m/s.
    """

    q: float = 1.0
    motion: str = "ballistic"
    gate_prob: float = 0.999
    m_confirm: int = 3
    n_confirm: int = 4
    max_misses: int = 12
    max_pos_sigma_m: float = 50.0e3
    init_vel_sigma_m_s: float = 8.0e3


@dataclass
class TrackerState:
    """All tracks ever started (live and dead), one row each; row index == track id.

    t : float, filter time of every live track's x, P (last processed measurement), s.
    x (M, 6) ECI state [m, m/s]; P (M, 6, 6); status (M,) TENTATIVE/FIRM/DELETED.
    t_last (M,) last update time; first_detect_t (M,) time of the initiating detection;
    firm_t (M,) scan time (t_now) of confirmation, NaN if never firm; deleted_t (M,).
    hits, age, misses (M,) scans with an update, scans alive, consecutive missed scans.
    sensors (M,) bitmask of sensor indices that updated the track.
    first_seen, last_seen (M, S): first/last update time by each sensor, NaN if never.
    pending : detections received but not yet arrived by the last t_now.
    hist_* : per scan, the live tracks' estimate predicted to that scan's t_now.
    """

    t: float = -np.inf
    x: np.ndarray = field(default_factory=lambda: np.zeros((0, 6)))
    P: np.ndarray = field(default_factory=lambda: np.zeros((0, 6, 6)))
    status: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))
    t_last: np.ndarray = field(default_factory=lambda: np.zeros(0))
    first_detect_t: np.ndarray = field(default_factory=lambda: np.zeros(0))
    firm_t: np.ndarray = field(default_factory=lambda: np.zeros(0))
    deleted_t: np.ndarray = field(default_factory=lambda: np.zeros(0))
    hits: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    age: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    misses: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    sensors: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    first_seen: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    last_seen: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    hit_now: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    pending: Detections = field(default_factory=Detections.empty)
    hist_t: list = field(default_factory=list)
    hist_id: list = field(default_factory=list)
    hist_x: list = field(default_factory=list)
    hist_P: list = field(default_factory=list)

    @property
    def id(self) -> np.ndarray:
        """(M,) track ids (row indices)."""
        return np.arange(len(self.x))

    @property
    def live(self) -> np.ndarray:
        """(M,) bool, tentative or firm."""
        return self.status != DELETED

    @property
    def ever_firm(self) -> np.ndarray:
        """(M,) bool, confirmed at some time (including tracks deleted since)."""
        return ~np.isnan(self.firm_t)

    def histories(self):
        """All recorded estimates: t (H,), id (H,), x (H, 6), P (H, 6, 6), sorted by (id, t)."""
        if not self.hist_t:
            return np.zeros(0), np.zeros(0, int), np.zeros((0, 6)), np.zeros((0, 6, 6))
        ids = np.concatenate(self.hist_id)
        t = np.concatenate([np.full(len(i), tt) for tt, i in zip(self.hist_t, self.hist_id)])
        x, P = np.concatenate(self.hist_x), np.concatenate(self.hist_P)
        o = np.lexsort((t, ids))
        return t[o], ids[o], x[o], P[o]

    def history(self, track_id: int):
        """One track's t (h,), x (h, 6), P (h, 6, 6) at the scans it was live."""
        t, ids, x, P = self.histories()
        k = ids == track_id
        return t[k], x[k], P[k]


def predict(x, P, dt, params: TrackerParams):
    """Predict states (M, 6) and covariances (M, 6, 6) by dt seconds (dt may be negative).

    Process noise is white-noise acceleration of density ``params.q`` over |dt|, so a
    retrodiction (dt < 0) inflates rather than shrinks the covariance.
    """
    if dt == 0 or len(x) == 0:
        return x, P
    if params.motion == "ballistic":
        x, P = kalman.ballistic_predict(x, P, dt, 0.0)
    else:
        F, _ = kalman.white_noise_acceleration(dt, 0.0)
        x, P = kalman.predict(x, P, F, 0.0)
    _, Q = kalman.white_noise_acceleration(abs(dt), params.q)
    return x, P + Q


def step(state: TrackerState, dets: Detections, t_now: float, params: TrackerParams) -> TrackerState:
    """Advance the tracker to scan time ``t_now`` with newly received detections.

    Parameters
    ----------
    state : TrackerState, updated in place and returned.
    dets : Detections received since the last step (any arrival time).
    t_now : float, s; only detections with ``arrival <= t_now`` are used, the rest wait.
    params : TrackerParams.

    Returns
    -------
    TrackerState (the same object).
    """
    alld = Detections.concat([state.pending, dets])
    ready = alld.arrival <= t_now
    state.pending = alld.take(~ready)
    now = alld.take(ready)
    now = now.take(np.lexsort((now.sensor, now.t)))  # measurement-time order, then sensor
    if len(now):
        key = np.stack([now.t, now.sensor.astype(float)], axis=1)
        _, starts = np.unique(key, axis=0, return_index=True)
        bounds = np.append(np.sort(starts), len(now))
        for a, b in itertools.pairwise(bounds):
            _process_group(state, now.take(slice(a, b)), params)
    _end_scan(state, t_now, params)
    return state


def _process_group(state: TrackerState, g: Detections, params: TrackerParams) -> None:
    """One sensor's detections at one measurement time: predict, associate, update, initiate."""
    t = float(g.t[0])
    live = np.flatnonzero(state.live)
    if len(live) and t != state.t:
        state.x[live], state.P[live] = predict(state.x[live], state.P[live], t - state.t, params)
    state.t = t
    free = np.ones(len(g), bool)
    gate = gate_threshold(params.gate_prob)
    for stage in (FIRM, TENTATIVE):  # firm tracks first: tentative gates are wide
        rows, cols = np.flatnonzero(state.status == stage), np.flatnonzero(free)
        r, c, _ = associate(state.x[rows], state.P[rows], g.z[cols], g.R[cols], gate)
        tr, dk = rows[r], cols[c]
        if len(tr):
            state.x[tr], state.P[tr], _, _ = kalman.update(state.x[tr], state.P[tr], g.z[dk], H_POS, g.R[dk])
            _mark(state, tr, g.sensor[dk], t)
            free[dk] = False
    _initiate(state, g.take(free), params)


def _mark(state: TrackerState, rows, sensors, t: float) -> None:
    """Record an update of tracks ``rows`` by ``sensors`` at time t."""
    state.t_last[rows] = t
    state.hit_now[rows] = True
    state.sensors[rows] |= np.left_shift(1, sensors.astype(np.int64))
    need = int(sensors.max()) + 1 - state.first_seen.shape[1]
    if need > 0:
        pad = np.full((len(state.x), need), np.nan)
        state.first_seen = np.hstack([state.first_seen, pad])
        state.last_seen = np.hstack([state.last_seen, pad.copy()])
    fs = state.first_seen[rows, sensors]
    state.first_seen[rows, sensors] = np.where(np.isnan(fs), t, fs)
    state.last_seen[rows, sensors] = t


def _initiate(state: TrackerState, g: Detections, params: TrackerParams) -> None:
    """Start a tentative track on every unassociated detection (diffuse velocity prior)."""
    k = len(g)
    if k == 0:
        return
    x0 = np.hstack([g.z, np.zeros((k, 3))])
    P0 = np.zeros((k, 6, 6))
    P0[:, :3, :3] = g.R
    P0[:, 3:, 3:] = params.init_vel_sigma_m_s**2 * np.eye(3)
    t = float(g.t[0])
    cat = np.concatenate
    state.x, state.P = cat([state.x, x0]), cat([state.P, P0])
    state.status = cat([state.status, np.full(k, TENTATIVE, np.int8)])
    for name, val in (("t_last", t), ("first_detect_t", t), ("firm_t", np.nan), ("deleted_t", np.nan)):
        setattr(state, name, cat([getattr(state, name), np.full(k, val)]))
    for name in ("hits", "age", "misses"):
        setattr(state, name, cat([getattr(state, name), np.zeros(k, int)]))
    state.sensors = cat([state.sensors, np.zeros(k, np.int64)])
    pad = np.full((k, state.first_seen.shape[1]), np.nan)
    state.first_seen, state.last_seen = cat([state.first_seen, pad]), cat([state.last_seen, pad.copy()])
    state.hit_now = cat([state.hit_now, np.zeros(k, bool)])
    _mark(state, np.arange(len(state.x) - k, len(state.x)), g.sensor, t)


def _end_scan(state: TrackerState, t_now: float, params: TrackerParams) -> None:
    """M-of-N confirmation, deletion, and the scan's record of live tracks at t_now."""
    live = state.live
    hit = state.hit_now & live
    state.hits += hit
    state.age += live
    state.misses = np.where(hit, 0, state.misses + live)
    tent = live & (state.status == TENTATIVE)
    confirm = tent & (state.hits >= params.m_confirm)
    state.status[confirm] = FIRM
    state.firm_t[confirm] = t_now
    fail = tent & ~confirm & (state.hits + params.n_confirm - state.age < params.m_confirm)
    rows = np.flatnonzero(live)
    xr, Pr = predict(state.x[rows], state.P[rows], t_now - state.t, params) if np.isfinite(state.t) else \
        (state.x[rows], state.P[rows])
    sigma = np.sqrt(np.trace(Pr[:, :3, :3], axis1=1, axis2=2))
    lost = np.zeros_like(live)
    lost[rows] = (state.status[rows] == FIRM) & ((state.misses[rows] >= params.max_misses)
                                                   | (sigma > params.max_pos_sigma_m))
    dead = fail | lost
    state.status[dead] = DELETED
    state.deleted_t[dead] = t_now
    state.hit_now[:] = False
    keep = ~dead[rows]
    state.hist_t.append(float(t_now))
    state.hist_id.append(rows[keep])
    state.hist_x.append(xr[keep])
    state.hist_P.append(Pr[keep])


def track_all(dets: Detections, params: TrackerParams = TrackerParams(), scan_s: float = 10.0,
              t_start: float | None = None, t_end: float | None = None) -> TrackerState:
    """Run the tracker over a whole raid, one scan every ``scan_s`` seconds.

    Parameters
    ----------
    dets : Detections of the whole raid.
    params : TrackerParams.  scan_s : float, s, scan (battle-management update) interval.
    t_start, t_end : float, s, first and last scan times (default: span of the arrivals).

    Returns
    -------
    TrackerState with histories: one record per scan of every live track.
    """
    if len(dets) == 0:
        return TrackerState()
    t0 = np.min(dets.arrival) if t_start is None else t_start
    t1 = np.max(dets.arrival) if t_end is None else t_end
    scans = t0 + scan_s * np.arange(int(np.ceil((t1 - t0) / scan_s)) + 1)
    order = np.argsort(dets.arrival, kind="stable")
    arr = dets.arrival[order]
    cuts = np.searchsorted(arr, scans, side="right")
    state, lo = TrackerState(), 0
    for t_now, hi in zip(scans, cuts):
        step(state, dets.take(order[lo:hi]), float(t_now), params)
        lo = hi
    return state
