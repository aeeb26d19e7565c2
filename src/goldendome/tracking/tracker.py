"""Multi-target tracker: predict, gate, GNN-associate, update, M-of-N initiation, deletion.

The tracker is a step function over a ``TrackerState``: ``step(state, detections, t_now,
params)`` consumes the detections that have *arrived* by ``t_now`` (a detection measured at
``t`` reaches battle management at ``arrival``; later ones wait in ``state.pending``) in
measurement-time order, so the same code runs a whole raid (``track_all``) or a live feed
scan by scan. Each track keeps its own filter time (``state.t_trk``); each (time, sensor)
group of detections is one gate / associate / update / initiate cycle in which only the
tracks that can gate with the group are predicted to its time (a conservative pre-gate,
``kernels.pregate``, drops the others without predicting them); the others catch up later
in one prediction of IMM cycles of at most ``imm_step_s``, and every live track is predicted
to ``t_now`` at the end of a scan for the record.

The tracker never reads ``Detections.truth``; scoring against truth lives in ``quality``.

Notes
-----
Track-oriented GNN tracker after Blackman & Popoli, Design and Analysis of Modern Tracking
Systems (Artech House 1999), ch. 6-7 (gating, GNN, M-of-N confirmation, deletion after
consecutive misses); single-point initiation with a diffuse velocity prior, which after the
second update equals two-point differencing (Bar-Shalom, Li & Kirubarajan 2001, sec. 5.5.3).
Each track runs an IMM filter (``imm``; Blom & Bar-Shalom, IEEE Trans. AC 33(8), 1988) of a
quiet ballistic model and a high-noise boost/manoeuvre model, so thrust of 30-60 m/s^2 does
not break custody; gating uses the IMM's moment-matched combined estimate. A track is
confirmed only once its position is localized (an angles-only line of sight alone is not a
position); duplicate tracks on one object are removed by a track-to-track chi-square test
(``duplicates``; Bar-Shalom & Li, Multitarget-Multisensor Tracking, YBS 1995, sec. 8.2).
Each track moves either ballistically (J2 gravity in ECI) or as an air-breather (constant
velocity in ECI, no gravity), fixed for its life by ``air_breathing`` at its first update
(``TrackerParams.motion``).
Out-of-sequence detections (measured before a track's time) are handled by retrodiction
with the process noise of |dt| added (conservative; cf. Bar-Shalom, IEEE Trans. AES 38(3), 2002,
for the exact one-step OOSM update).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np

from ..sensors.detections import Detections
from . import duplicates, imm, kernels
from .association import gate_threshold, gnn
from .motion import AIR_MAX_ALT_M, AIR_MAX_CLIMB_DEG, AIR_MAX_SPEED_M_S, air_breathing, chord_air_breathing

__all__ = ["DELETED", "FIRM", "TENTATIVE", "TrackerParams", "TrackerState", "air_breathing", "imm_model", "predict",
           "step", "track_all"]

TENTATIVE, FIRM, DELETED = 0, 1, 2
H_POS = np.hstack([np.eye(3), np.zeros((3, 3))])  # position measurement of a [r, v] state


@dataclass(frozen=True)
class TrackerParams:
    """Tracker settings (SI units).

    q : white-noise acceleration density of the quiet (ballistic) model, m^2/s^3 (drag).
    q_manoeuvre : density of the IMM's second, boost/manoeuvre model, m^2/s^3 (thrust of
        30-60 m/s^2 over a ~10 s revisit); 0 gives a single-model Kalman filter.
    p_switch : (quiet -> manoeuvre, manoeuvre -> quiet) mode-switch probability per second (a
        track predicted by dt mixes with the transition matrix to the power |dt|).
    motion : 'auto' (each track's own motion, ``air_breathing``), or the same for every track:
        'ballistic' (J2 gravity EKF, ECI) or 'cv' (constant velocity).
    air_max_alt_m, air_max_speed_m_s, air_max_climb_deg : with motion 'auto', a track is an
        air-breather when first seen below this altitude, Earth-relative speed and climb
        (flight-path angle) magnitude (``air_breathing``).
    imm_step_s : a track predicted by dt runs ceil(|dt| / imm_step_s) IMM cycles (mixing,
        prediction, process noise) of equal length (0: one cycle per prediction).
    gate_prob : chi-square gate probability (0.999 -> 16.27 in 3-D).
    m_confirm, n_confirm : M-of-N confirmation over a tentative track's first N scans.
    confirm_pos_sigma_m : ... and only once sqrt(trace P_pos) is below this, m (a tentative
        track still on one angles-only line of sight is never confirmed, and is deleted when
        its second scan ends still above ``max_pos_sigma_m``).
    no_init_near_firm : a detection left over inside a firm track's gate starts no track (an
        object the sensor does not yet resolve from the track's, or a second look at it).
    dup_gate_prob, dup_scans : two live tracks whose 6-D states are within this chi-square
        gate for this many consecutive scans are one object: the later-confirmed one is deleted
        (0: off, the default: RVs and decoys unresolved for minutes would be merged).
    max_misses : a firm track is deleted after this many consecutive scans without update.
    max_pos_sigma_m : ... or when sqrt(trace of its position covariance) exceeds this, m.
    init_vel_sigma_m_s : 1-sigma per axis of the diffuse velocity prior at initiation, m/s.
    """

    q: float = 1.0
    q_manoeuvre: float = 2.0e4
    p_switch: tuple = (1e-4, 0.1)  # per s; boost ends once; manoeuvres start rarely (a 2 % onset rate kept
    # the mixed covariance ~100 m/s wide after burnout: no SM-3 or THAAD fire control)
    motion: str = "auto"
    air_max_alt_m: float = AIR_MAX_ALT_M
    air_max_speed_m_s: float = AIR_MAX_SPEED_M_S
    air_max_climb_deg: float = AIR_MAX_CLIMB_DEG
    imm_step_s: float = 1.0
    gate_prob: float = 0.999
    m_confirm: int = 3
    n_confirm: int = 4
    confirm_pos_sigma_m: float = 2.0e3
    no_init_near_firm: bool = True
    dup_gate_prob: float = 0.999
    dup_scans: int = 0
    max_misses: int = 12
    max_pos_sigma_m: float = 50.0e3
    init_vel_sigma_m_s: float = 8.0e3


@dataclass
class TrackerState:
    """All tracks ever started (live and dead), one row each; row index == track id.

    t : float, time of the last processed measurement, s.
    t_trk (M,) filter time of each track's x, P (its last update or gate test), s.
    x (M, 6) ECI state [m, m/s]; P (M, 6, 6): the IMM's combined estimate at t_trk.
    xm (M, r, 6), Pm (M, r, 6, 6), mu (M, r): the IMM's model-matched estimates and mode
    probabilities.  status (M,) TENTATIVE/FIRM/DELETED.
    t_last (M,) last update time; first_detect_t (M,) time of the initiating detection;
    firm_t (M,) scan time (t_now) of confirmation, NaN if never firm; deleted_t (M,).
    hits, age, misses (M,) scans with an update, scans alive, consecutive missed scans.
    ballistic (M,) bool: the track's motion, J2 gravity or constant velocity (``air_breathing``);
    motion_set (M,) bool: fixed for the track's life (with motion 'auto', at its first update);
    z0 (M, 3): the initiating detection's position, m.
    sensors (M,) bitmask of sensor indices that updated the track.
    first_seen, last_seen (M, S): first/last update time by each sensor, NaN if never.
    pending : detections received but not yet arrived by the last t_now.
    dup : {(i, j): consecutive scans tracks i < j were within the duplicate gate}.
    assoc_id, assoc_t, assoc_sensor, assoc_z : per processed group, the track each used
        detection went to (initiation included) and that detection's t, sensor and z, so
        scoring can look up what each track was built from (the tracker never reads truth).
    hist_* : per scan, the live tracks' estimate predicted to that scan's t_now.
    buf : the per-track arrays above are views of the first M rows of these (geometric capacity,
        so that starting tracks costs amortized O(1) per track).
    """

    t: float = -np.inf
    x: np.ndarray = field(default_factory=lambda: np.zeros((0, 6)))
    P: np.ndarray = field(default_factory=lambda: np.zeros((0, 6, 6)))
    xm: np.ndarray = field(default_factory=lambda: np.zeros((0, 1, 6)))
    Pm: np.ndarray = field(default_factory=lambda: np.zeros((0, 1, 6, 6)))
    mu: np.ndarray = field(default_factory=lambda: np.zeros((0, 1)))
    status: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))
    t_trk: np.ndarray = field(default_factory=lambda: np.zeros(0))
    t_last: np.ndarray = field(default_factory=lambda: np.zeros(0))
    first_detect_t: np.ndarray = field(default_factory=lambda: np.zeros(0))
    firm_t: np.ndarray = field(default_factory=lambda: np.zeros(0))
    deleted_t: np.ndarray = field(default_factory=lambda: np.zeros(0))
    hits: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    age: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    misses: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    sensors: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    ballistic: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    motion_set: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    z0: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))
    first_seen: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    last_seen: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    hit_now: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    pending: Detections = field(default_factory=Detections.empty)
    dup: dict = field(default_factory=dict)
    assoc_id: list = field(default_factory=list)
    assoc_t: list = field(default_factory=list)
    assoc_sensor: list = field(default_factory=list)
    assoc_z: list = field(default_factory=list)
    hist_t: list = field(default_factory=list)
    hist_id: list = field(default_factory=list)
    hist_x: list = field(default_factory=list)
    hist_P: list = field(default_factory=list)
    buf: dict = field(default_factory=dict, repr=False)

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

    def associations(self):
        """Every used detection: track id (D,), t (D,), sensor (D,), z (D, 3)."""
        if not self.assoc_id:
            return np.zeros(0, int), np.zeros(0), np.zeros(0, int), np.zeros((0, 3))
        return tuple(np.concatenate(a) for a in (self.assoc_id, self.assoc_t, self.assoc_sensor, self.assoc_z))

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


def imm_model(params: TrackerParams) -> imm.IMMModel:
    """The tracker's IMM: (q,) alone, or (q, q_manoeuvre) with ``p_switch`` transitions. Its
    motion is 'cv' with motion 'cv', else 'ballistic' (a track's motion before it is set)."""
    if params.motion not in ("auto", "ballistic", "cv"):
        raise ValueError(f"TrackerParams.motion must be 'auto', 'ballistic' or 'cv', not {params.motion!r}")
    motion = "cv" if params.motion == "cv" else "ballistic"
    if params.q_manoeuvre <= 0:
        return imm.IMMModel(q=(params.q,), transition=((1.0,),), motion=motion, mu0=(1.0,))
    a, b = params.p_switch
    return imm.IMMModel(q=(params.q, params.q_manoeuvre), transition=((1 - a, a), (b, 1 - b)),
                        motion=motion, mu0=(0.5, 0.5))


def predict(s: imm.IMMState, dt, params: TrackerParams, ballistic=None):
    """IMM prediction of tracks ``s`` by dt seconds (dt may be negative), in one IMM cycle.

    ballistic : (M,) bool per-track motion (``TrackerState.ballistic``); None: ``imm_model``'s.

    Process noise is white-noise acceleration over |dt|, so a retrodiction (dt < 0) inflates
    rather than shrinks the covariance. Modes mix with the per-second ``p_switch`` transition
    matrix to the power |dt| (``kernels.transition_at``), as in the tracker's compiled path, so
    the predicted mode probabilities are those of ``kernels.imm_predict`` for any ``imm_step_s``.

    Returns
    -------
    IMMState predicted, and its combined x (M, 6), P (M, 6, 6).
    """
    if dt == 0 or len(s.x) == 0:
        return (s, *imm.combine(s)) if len(s.x) else (s, np.zeros((0, 6)), np.zeros((0, 6, 6)))
    per_dt = kernels.transition_at(_model_arrays(params)[0], abs(dt))
    s = imm.predict(s, dt, replace(imm_model(params), transition=per_dt), ballistic)
    return (s, *imm.combine(s))


_ROWS = ("x", "P", "xm", "Pm", "mu", "status", "t_trk", "t_last", "first_detect_t", "firm_t", "deleted_t",
         "hits", "age", "misses", "sensors", "ballistic", "motion_set", "z0", "first_seen", "last_seen", "hit_now")


@lru_cache(maxsize=16)
def _model_arrays(params: TrackerParams):
    """The IMM's transition matrix per second (``kernels.transition_power``) and noise densities
    (r,), for the kernels."""
    m = imm_model(params)
    return kernels.transition_power(m.transition), np.asarray(m.q, float)


def _predict_rows(state: TrackerState, rows, dt, params: TrackerParams):
    """IMM prediction of tracks ``rows`` by their own dt (len(rows),): (xm, Pm, mu) and combined (x, P)."""
    Pi, q = _model_arrays(params)
    xm, Pm, mu = kernels.imm_predict(state.xm[rows], state.Pm[rows], state.mu[rows], np.asarray(dt, float), Pi, q,
                                     state.ballistic[rows], params.imm_step_s)
    return (xm, Pm, mu), kernels.imm_combine(xm, Pm, mu)


def _store(state: TrackerState, rows, xm, Pm, mu) -> None:
    state.xm[rows], state.Pm[rows], state.mu[rows] = xm, Pm, mu
    state.x[rows], state.P[rows] = kernels.imm_combine(xm, Pm, mu)


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
    """One sensor's detections at one measurement time: gate, associate, update, initiate."""
    t = float(g.t[0])
    free = np.ones(len(g), bool)
    gate = gate_threshold(params.gate_prob)
    near_firm = np.zeros(len(g), bool)
    lam, vec = np.linalg.eigh(g.R)
    for stage in (FIRM, TENTATIVE):  # firm tracks first: tentative gates are wide
        rows, cols = np.flatnonzero(state.status == stage), np.flatnonzero(free)
        if len(rows) == 0 or len(cols) == 0:
            continue
        cand, r, c, inside = _gate(state, rows, t, g.take(cols), lam[cols], vec[cols], gate, params)
        if stage == FIRM and params.no_init_near_firm:
            near_firm[cols] = inside
        tr, dk = cand[r], cols[c]
        if len(tr):
            _store(state, tr, *kernels.imm_update(state.xm[tr], state.Pm[tr], state.mu[tr], g.z[dk], lam[dk], vec[dk]))
            _mark(state, tr, g.sensor[dk], t)
            _set_motion(state, tr, g.z[dk], lam[dk], t, params)
            _record(state, tr, g.take(dk))
            free[dk] = False
    state.t = t
    _initiate(state, g.take(free & ~near_firm), params)


def _gate(state: TrackerState, rows, t: float, g: Detections, lam, vec, gate: float, params: TrackerParams):
    """Predict the tracks ``rows`` that may gate with detections g (at time t) to t, store them
    there, and GNN-assign.

    Returns
    -------
    cand (C,) track ids predicted to t; r, c (A,) assigned indices into cand and g;
    inside (len(g),) bool, some track within the gate of the detection.
    """
    pr, pk = np.nonzero(kernels.pregate(state.x, state.P, state.t_trk, rows, t, g.z, lam, vec, gate,
                                        max(params.q, params.q_manoeuvre)))
    if len(pr) == 0:
        none = np.zeros(0, int)
        return none, none, none, np.zeros(len(g), bool)
    ci, pr = np.unique(pr, return_inverse=True)
    cand = rows[ci]
    (xm, Pm, mu), (xc, Pc) = _predict_rows(state, cand, t - state.t_trk[cand], params)
    state.xm[cand], state.Pm[cand], state.mu[cand], state.x[cand], state.P[cand] = xm, Pm, mu, xc, Pc
    state.t_trk[cand] = t
    d2 = np.full((len(cand), len(g)), np.inf)
    d2[pr, pk] = kernels.gate_d2(xc, Pc, pr, g.z, lam, vec, pk)
    r, c = gnn(d2, gate)
    return cand, r, c, (d2 <= gate).any(axis=0)


def _set_motion(state: TrackerState, rows, z, lam, t: float, params: TrackerParams) -> None:
    """Fix the motion of tracks ``rows`` at their first update, with detections z (k, 3) at t
    whose covariances have eigenvalues lam (k, 3): air-breathing (``air_breathing``) on the
    chord from the initiating detection (two-point differencing, free of the gravity the
    track was predicted with so far) when both are localized positions (sqrt tr R below
    ``confirm_pos_sigma_m``; an angles-only line of sight gives no velocity), else ballistic."""
    new = ~state.motion_set[rows]
    if not new.any():
        return
    rows, z, lam = rows[new], z[new], lam[new]
    localized = np.sqrt(lam.sum(axis=1)) < params.confirm_pos_sigma_m
    air = chord_air_breathing(state.z0[rows], z, t - state.first_detect_t[rows], localized,
                              params.air_max_alt_m, params.air_max_speed_m_s, params.air_max_climb_deg)
    state.ballistic[rows] = ~air
    state.motion_set[rows] = True


def _record(state: TrackerState, rows, g: Detections) -> None:
    """Remember which detections tracks ``rows`` used (for scoring outside the tracker)."""
    state.assoc_id.append(np.asarray(rows, int))
    state.assoc_t.append(g.t)
    state.assoc_sensor.append(g.sensor)
    state.assoc_z.append(g.z)


def _mark(state: TrackerState, rows, sensors, t: float) -> None:
    """Record an update of tracks ``rows`` by ``sensors`` at time t."""
    state.t_last[rows] = t
    state.hit_now[rows] = True
    state.sensors[rows] |= np.left_shift(1, sensors.astype(np.int64))
    width = int(sensors.max()) + 1
    if width > state.first_seen.shape[1]:
        _widen(state, width)
    fs = state.first_seen[rows, sensors]
    state.first_seen[rows, sensors] = np.where(np.isnan(fs), t, fs)
    state.last_seen[rows, sensors] = t


def _widen(state: TrackerState, width: int) -> None:
    """Make room for sensors up to ``width`` - 1 in first_seen / last_seen."""
    n = len(state.x)
    for name in ("first_seen", "last_seen"):
        old = state.buf[name]
        new = np.full((len(old), width), np.nan)
        new[:, :old.shape[1]] = old
        state.buf[name] = new
        setattr(state, name, new[:n])


def _append(state: TrackerState, new: dict) -> np.ndarray:
    """Append rows ``new`` ({name in _ROWS: (k, ...)}) to the per-track arrays; their ids (k,).

    The arrays are views of capacity buffers grown geometrically (amortized O(1) per row).
    """
    n, k = len(state.x), len(new["x"])
    buf = state.buf
    if not buf or len(buf["x"]) < n + k:
        cap = max(2 * (n + k), 256)
        for name in _ROWS:
            a = np.empty((cap, *new[name].shape[1:]), new[name].dtype)
            a[:n] = getattr(state, name)
            buf[name] = a
    for name in _ROWS:
        buf[name][n:n + k] = new[name]
        setattr(state, name, buf[name][:n + k])
    return np.arange(n, n + k)


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
    s0 = imm.init(x0, P0, imm_model(params))
    # motion: 'ballistic' / 'cv' for good; 'auto' ballistic until the first update, except that an
    # angles-only initiating detection (no position, so no velocity to come) fixes it ballistic
    unlocalized = np.sqrt(np.trace(g.R, axis1=1, axis2=2)) >= params.confirm_pos_sigma_m
    nan, zeros = np.full(k, np.nan), np.zeros(k, int)
    pad = np.full((k, state.first_seen.shape[1]), np.nan)
    new = _append(state, {
        "x": x0, "P": P0, "xm": s0.x, "Pm": s0.P, "mu": s0.mu, "status": np.full(k, TENTATIVE, np.int8),
        "t_trk": np.full(k, t), "t_last": np.full(k, t), "first_detect_t": np.full(k, t), "firm_t": nan,
        "deleted_t": nan, "hits": zeros, "age": zeros, "misses": zeros, "sensors": np.zeros(k, np.int64),
        "ballistic": np.full(k, params.motion != "cv"), "motion_set": (params.motion != "auto") | unlocalized,
        "z0": g.z,
        "first_seen": pad, "last_seen": pad, "hit_now": np.zeros(k, bool)})
    _mark(state, new, g.sensor, t)
    _record(state, new, g)


def _end_scan(state: TrackerState, t_now: float, params: TrackerParams) -> None:
    """M-of-N confirmation, deletion, and the scan's record of live tracks at t_now."""
    live = state.live
    hit = state.hit_now & live
    state.hits += hit
    state.age += live
    state.misses = np.where(hit, 0, state.misses + live)
    rows = np.flatnonzero(live)
    _, (xr, Pr) = _predict_rows(state, rows, t_now - state.t_trk[rows], params)
    sig = np.full(len(live), np.inf)
    sig[rows] = np.sqrt(np.trace(Pr[:, :3, :3], axis1=1, axis2=2))
    tent = live & (state.status == TENTATIVE)
    confirm = tent & (state.hits >= params.m_confirm) & (sig < params.confirm_pos_sigma_m)
    state.status[confirm] = FIRM
    state.firm_t[confirm] = t_now
    fail = tent & ~confirm & ((state.hits + params.n_confirm - state.age < params.m_confirm)
                              | (state.age > params.n_confirm)
                              | ((state.age >= 2) & (sig > params.max_pos_sigma_m)))
    lost = live & (state.status == FIRM) & ((state.misses >= params.max_misses) | (sig > params.max_pos_sigma_m))
    dead = fail | lost
    if params.dup_scans > 0:
        dead[rows] |= duplicates.younger_duplicates(state, rows, xr, Pr, params)
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
