"""Tracker end to end: Riccati convergence, crossing targets, custody through an outage,
latency, M-of-N against false alarms, fire-control windows after confirmation."""

import numpy as np
import pytest
from scipy.linalg import solve_discrete_are

from goldendome.scenario import threats as scen_threats
from goldendome.sensors.detections import Detections
from goldendome.tracking import association, imm, kalman, kernels, quality, tracker
from goldendome.tracking.tracker import FIRM, TrackerParams


def synth(t, states, sigma, sensor=0, latency=0.0, rng=None, fa_per_scan=0, fa_box=None):
    """Detections of objects states (N, T, 6) at times t (T,): position + N(0, sigma^2 I),
    NaN states skipped; plus ``fa_per_scan`` uniform false alarms in fa_box (lo, hi) per time."""
    rng = rng or np.random.default_rng(0)
    nt = states.shape[1]
    ok = ~np.isnan(states[..., 0])
    obj, ti = np.nonzero(ok)
    z = states[obj, ti, :3] + rng.normal(size=(len(obj), 3)) * sigma
    tt, truth = t[ti], obj
    if fa_per_scan:
        lo, hi = fa_box
        nf = fa_per_scan * nt
        tt = np.r_[tt, np.repeat(t, fa_per_scan)]
        z = np.vstack([z, rng.uniform(lo, hi, size=(nf, 3))])
        truth = np.r_[truth, -np.ones(nf, int)]
    k = len(tt)
    d = Detections(tt, tt + latency, np.full(k, sensor), z, np.broadcast_to(sigma**2 * np.eye(3), (k, 3, 3)).copy(),
                   np.full(k, 100.0), truth)
    return d.take(np.argsort(tt, kind="stable"))


def cv_states(t, r0, v):
    """Constant-velocity states (1, T, 6)."""
    r = np.asarray(r0, float) + np.outer(t, v)
    return np.concatenate([r, np.broadcast_to(v, r.shape)], axis=1)[None]


def test_gate_threshold_is_chi2_999():
    assert association.gate_threshold(0.999, 3) == pytest.approx(16.266, abs=1e-3)


def test_tracker_converges_to_the_riccati_solution():
    dt, q, sigma = 2.0, 0.5, 30.0
    t = dt * np.arange(300)
    dets = synth(t, cv_states(t, [7e6, 0, 0], [0, 7e3, 1e3]), sigma)
    params = TrackerParams(q=q, q_manoeuvre=0.0, motion="cv")  # single model: the Kalman filter
    st = tracker.track_all(dets, params, scan_s=dt)
    assert st.ever_firm.sum() == 1
    _, _, P = st.history(0)
    F, Q = kalman.white_noise_acceleration(dt, q)
    H, R = tracker.H_POS, sigma**2 * np.eye(3)
    Pp = solve_discrete_are(F.T, H.T, Q, R)  # steady-state predicted covariance
    Pu = Pp - Pp @ H.T @ np.linalg.solve(H @ Pp @ H.T + R, H @ Pp)  # ... and updated
    assert np.allclose(P[-1], Pu, rtol=1e-6, atol=1e-9)


def test_crossing_targets_keep_their_identities():
    t = 2.0 * np.arange(60)
    a = cv_states(t, [0, -30e3, 0], [1000, 500, 0])
    b = cv_states(t, [0, 30e3, 200], [1000, -500, 0])  # cross at t = 60 s, 200 m apart
    truth = np.concatenate([a, b])
    dets = synth(t, truth, 50.0, rng=np.random.default_rng(3))
    st = tracker.track_all(dets, TrackerParams(q=1.0, motion="cv"), scan_s=2.0)
    assert st.ever_firm.sum() == 2
    ht, ids, x, _ = st.histories()
    rec_obj, track_obj = quality.truth_match(ht, ids, x, t, truth)
    for tid in np.flatnonzero(st.ever_firm):
        mine = (ids == tid) & (ht >= st.firm_t[tid])
        assert len(np.unique(rec_obj[mine])) == 1, f"track {tid} swapped objects"
    assert sorted(track_obj[st.ever_firm]) == [0, 1]


@pytest.fixture(scope="module")
def raid():
    return scen_threats.fly_salvos([scen_threats.salvo("icbm-solid", "sohae", "seattle", count=2, spacing_s=30, decoys=2)],
                          seed=0, dt_out=1.0)


def midcourse(traj, t0, t1, every):
    k = np.flatnonzero((traj.t >= t0) & (traj.t <= t1))[::every]
    return traj.t[k], traj.state[:, k]


def test_sensor_outage_keeps_custody_and_second_sensor_recovers_same_id(raid):
    rng = np.random.default_rng(5)
    t, X = midcourse(raid, 400, 1300, 10)
    d0 = synth(t, X, 20.0, sensor=0, latency=2.0, rng=rng)
    d0 = d0.take((d0.t < 800) | (d0.t > 860) & (d0.t < 1000))  # outage 800-860 s, sensor 0 sets at 1000 s
    t1, X1 = midcourse(raid, 860, 1300, 10)
    d1 = synth(t1 + 5, np.stack([np.array([np.interp(t1 + 5, raid.t, raid.state[i, :, j]) for j in range(6)]).T
                                 for i in range(len(X1))]), 30.0, sensor=1, latency=4.0, rng=rng)
    st = tracker.track_all(Detections.concat([d0, d1]), TrackerParams(q=0.5, q_manoeuvre=0.0), scan_s=10.0)  # midcourse only: one model
    n_obj = raid.state.shape[0]
    firm = np.flatnonzero(st.ever_firm)
    assert len(firm) == n_obj, "every object exactly one firm track (no re-initiation after the outage)"
    assert np.all(st.sensors[firm] == 0b11), "each track seen by sensor 0 then handed over to sensor 1"
    assert np.all(st.status[firm] == FIRM)
    ht, ids, x, _ = st.histories()
    rec_obj, track_obj = quality.truth_match(ht, ids, x, raid.t, raid.state)
    assert sorted(track_obj[firm]) == list(range(n_obj))
    updated = (ht < 800) | (ht > 880)  # while coasting, the estimate may pass nearer a neighbour decoy
    for tid in firm:
        assert len(np.unique(rec_obj[(ids == tid) & (ht >= st.firm_t[tid]) & updated])) == 1
    pos, vel = quality.rmse(ht, ids, x, raid.t, raid.state, track_obj, mask=ht >= st.firm_t[ids])
    assert np.all(pos[firm] < 100.0) and np.all(vel[firm] < 10.0)


def test_detection_is_used_only_after_it_arrives():
    params = TrackerParams(motion="cv")
    det = Detections(np.array([10.0]), np.array([15.0]), np.array([0]), np.array([[7e6, 0, 0]]),
                     100.0 * np.eye(3)[None], np.array([50.0]), np.array([0]))
    st = tracker.step(tracker.TrackerState(), det, 12.0, params)
    assert len(st.x) == 0 and len(st.pending) == 1
    st = tracker.step(st, Detections.empty(), 15.0, params)
    assert len(st.x) == 1 and len(st.pending) == 0
    assert st.first_detect_t[0] == 10.0 and st.t == 10.0


def test_false_alarms_do_not_make_firm_tracks():
    rng = np.random.default_rng(11)
    t = 10.0 * np.arange(100)
    target = cv_states(t, [6.5e6, 0, 0], [0, 6e3, 2e3])
    lo, hi = np.array([5.5e6, -1e6, -1e6]), np.array([7.5e6, 1e6, 1e6])
    dets = synth(t, target, 100.0, rng=rng, fa_per_scan=5, fa_box=(lo, hi))
    st = tracker.track_all(dets, TrackerParams(q=1.0, motion="cv"), scan_s=10.0)
    assert len(st.x) > 300, "false alarms did start tentative tracks"
    assert st.ever_firm.sum() == 1
    tid = np.flatnonzero(st.ever_firm)[0]
    assert st.firm_t[tid] == pytest.approx(20.0)  # 3 of 4: hits at 0, 10, 20 s


def test_fire_control_window_starts_after_the_firm_track(raid):
    t, X = midcourse(raid, 400, 1300, 10)
    dets = synth(t, X, 20.0, latency=2.0, rng=np.random.default_rng(2))
    st = tracker.track_all(dets, TrackerParams(q=0.5, q_manoeuvre=0.0), scan_s=10.0)  # midcourse only: one model
    ht, ids, _, P = st.histories()
    thresholds = {"gbi": (100.0, 10.0), "tight": (36.0, 4.25)}
    win = quality.fire_control_windows(ht, ids, P, thresholds, firm_t=st.firm_t)
    first = quality.fire_control_from(win, len(st.x))
    firm = st.ever_firm
    assert np.all(np.isfinite(first["gbi"][firm]))
    assert np.all(first["gbi"][firm] >= st.firm_t[firm])
    assert np.all(np.isnan(first["gbi"][~firm]))
    assert np.all(first["tight"][firm] > first["gbi"][firm])  # tighter threshold, later
    ungated = quality.fire_control_from(quality.fire_control_windows(ht, ids, P, thresholds), len(st.x))
    assert np.all(ungated["gbi"][firm] < st.firm_t[firm])  # covariance is good before M-of-N confirms
    _, start, end = win["gbi"]
    assert np.all(end >= start)


def test_closed_form_quadratic_form_matches_lapack():
    from goldendome.tracking.association import quadratic_form_inverse3

    rng = np.random.default_rng(5)
    A = rng.normal(size=(200, 3, 3))
    S = A @ np.swapaxes(A, -1, -2) + 0.1 * np.eye(3)
    v = rng.normal(size=(200, 3))
    ref = np.einsum("ki,ki->k", v, np.linalg.solve(S, v[..., None])[..., 0])
    assert np.allclose(quadratic_form_inverse3(S, v), ref, rtol=1e-9)


def test_pre_gate_never_drops_a_pair_inside_the_gate():
    from goldendome.tracking.association import gate_threshold, mahalanobis_costs

    rng = np.random.default_rng(6)
    x = np.hstack([rng.normal(scale=2e3, size=(40, 3)), np.zeros((40, 3))])
    A = rng.normal(size=(40, 6, 6))
    P = A @ np.swapaxes(A, -1, -2) * 1e4 + np.eye(6)
    z = rng.normal(scale=2e3, size=(60, 3))
    B = rng.normal(size=(60, 3, 3))
    R = B @ np.swapaxes(B, -1, -2) * 1e3 + np.eye(3)
    g = gate_threshold()
    full = mahalanobis_costs(x, P, z, R)
    gated = mahalanobis_costs(x, P, z, R, g)
    inside = full <= g
    assert inside.any() and np.allclose(gated[inside], full[inside]) and np.all(gated[~inside] > g)


def two_state_power(a, b, t):
    """Pi^t of the chain [[1 - a, a], [b, 1 - b]] in closed form (eigenvalues 1 and 1 - a - b)."""
    e = (1.0 - a - b) ** t
    return np.array([[b + a * e, a - a * e], [b - b * e, a + b * e]]) / (a + b)


def test_numpy_predict_switches_modes_per_second_like_the_kernels():
    """``p_switch`` is per second: the helper mixes with Pi^|dt| (closed form), one dt equals two
    dt / 2 (Chapman-Kolmogorov), and its mode probabilities equal the compiled path's."""
    params = TrackerParams()
    a, b = params.p_switch
    Pw = tracker._model_arrays(params)[0]
    for t in (0.25, 1.0, 7.5):
        assert np.allclose(kernels.transition_at(Pw, t), two_state_power(a, b, t), rtol=0, atol=1e-14)
    rng = np.random.default_rng(8)
    n = 6
    r = 7.0e6 * np.array([1.0, 0.2, 0.1]) + rng.normal(scale=1e5, size=(n, 3))
    x0 = np.hstack([r, rng.normal(scale=3e3, size=(n, 3))])
    s = imm.init(x0, np.broadcast_to(np.diag([1e4] * 3 + [1e2] * 3), (n, 6, 6)).copy(), tracker.imm_model(params))
    s = imm.IMMState(s.x + rng.normal(scale=50.0, size=s.x.shape), s.P, rng.dirichlet([1.0, 1.0], size=n))
    for dt in (10.0, -10.0):
        mu = tracker.predict(s, dt, params)[0].mu
        half = tracker.predict(tracker.predict(s, dt / 2, params)[0], dt / 2, params)[0].mu
        assert np.allclose(mu, half, rtol=0, atol=1e-12)
        assert np.allclose(mu, s.mu @ two_state_power(a, b, 10.0), rtol=0, atol=1e-12)
        state = tracker.TrackerState(xm=s.x, Pm=s.P, mu=s.mu, ballistic=np.ones(n, bool))  # compiled path, imm_step_s = 1 s cycles
        (_, _, mu_k), _ = tracker._predict_rows(state, np.arange(n), np.full(n, dt), params)
        assert np.allclose(mu, mu_k, rtol=0, atol=1e-12)
