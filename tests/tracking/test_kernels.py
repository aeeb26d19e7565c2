"""Compiled IMM kernels agree with the numpy IMM / Kalman reference; the pre-gate is conservative."""

import numpy as np
import pytest

from goldendome.tracking import imm, kernels
from goldendome.tracking.association import gate_threshold, mahalanobis_costs

MODEL = imm.IMMModel(q=(1.0, 2.0e4), transition=((1 - 1e-4, 1e-4), (0.1, 0.9)), mu0=(0.5, 0.5))


def tracks(n, seed=0):
    """n random IMM tracks on ballistic-like states (r = 2)."""
    rng = np.random.default_rng(seed)
    r = rng.uniform(6.5e6, 8e6, size=n)[:, None] * rng.normal(size=(n, 3))
    r /= np.linalg.norm(r, axis=1)[:, None] / rng.uniform(6.5e6, 8e6, size=(n, 1))
    x = np.hstack([r, rng.normal(scale=3e3, size=(n, 3))])
    A = rng.normal(size=(n, 6, 6))
    P = A @ np.swapaxes(A, -1, -2) * rng.uniform(1, 1e4, size=(n, 1, 1)) + np.eye(6)
    s = imm.init(x, P, MODEL)
    xm = s.x + rng.normal(scale=30.0, size=s.x.shape)
    mu = rng.dirichlet([1, 1], size=n)
    return imm.IMMState(xm, s.P.copy(), mu)


@pytest.mark.parametrize("motion", ["ballistic", "cv", "per-track"])
@pytest.mark.parametrize("dt", [3.0, -3.0])
def test_predict_matches_numpy_imm(motion, dt):
    s = tracks(20)
    model = MODEL.__class__(q=MODEL.q, transition=MODEL.transition, motion=motion, mu0=MODEL.mu0)
    per_dt = np.linalg.matrix_power(np.asarray(model.transition), 3)  # Pi^|dt| with |dt| = 3 s
    flags = np.arange(20) % 3 == 0 if motion == "per-track" else np.full(20, motion == "ballistic")
    ref = imm.predict(s, dt, imm.IMMModel(q=model.q, transition=per_dt, motion=motion),
                      flags if motion == "per-track" else None)
    x, P, mu = kernels.imm_predict(s.x, s.P, s.mu, np.full(20, dt), kernels.transition_power(model.transition),
                                   np.asarray(model.q), flags, 0.0)
    assert np.allclose(x, ref.x, rtol=1e-12, atol=1e-6)
    assert np.allclose(P, ref.P, rtol=1e-7, atol=1e-6)
    assert np.allclose(mu, ref.mu, rtol=1e-12)


def test_predict_zero_dt_leaves_a_row_unchanged():
    s = tracks(3)
    dt = np.array([0.0, 2.0, 0.0])
    x, P, _ = kernels.imm_predict(s.x, s.P, s.mu, dt, kernels.transition_power(MODEL.transition), np.asarray(MODEL.q),
                                  np.ones(3, bool), 0.0)
    assert np.array_equal(x[[0, 2]], s.x[[0, 2]]) and np.array_equal(P[[0, 2]], s.P[[0, 2]])
    assert not np.allclose(x[1], s.x[1])


def test_update_and_combine_match_numpy_imm():
    s = tracks(15, seed=1)
    rng = np.random.default_rng(2)
    z = s.x[:, 0, :3] + rng.normal(scale=100.0, size=(15, 3))
    B = rng.normal(size=(15, 3, 3))
    R = B @ np.swapaxes(B, -1, -2) * 1e3 + 10 * np.eye(3)
    ref, _, _ = imm.update(s, z, R)
    x, P, mu = kernels.imm_update(s.x, s.P, s.mu, z, *np.linalg.eigh(R))
    assert np.allclose(x, ref.x, rtol=1e-12, atol=1e-6)
    assert np.allclose(P, ref.P, rtol=1e-7, atol=1e-6)
    assert np.allclose(mu, ref.mu, rtol=1e-9, atol=1e-12)
    xc, Pc = kernels.imm_combine(x, P, mu)
    xr, Pr = imm.combine(ref)
    assert np.allclose(xc, xr, rtol=1e-12, atol=1e-6) and np.allclose(Pc, Pr, rtol=1e-7, atol=1e-6)


@pytest.mark.parametrize("angles_only", [False, True])
def test_pregate_keeps_every_pair_inside_the_gate(angles_only):
    """Pairs dropped without predicting never pass the gate after the full IMM prediction."""
    n, k = 300, 200
    s = tracks(n, seed=3)
    rng = np.random.default_rng(4)
    t_trk = rng.uniform(-60.0, 0.0, size=n)
    x, P, mu = kernels.imm_predict(s.x, s.P, s.mu, -t_trk, kernels.transition_power(MODEL.transition), np.asarray(MODEL.q),
                                  np.ones(n, bool), 0.0)
    xc, Pc = kernels.imm_combine(x, P, mu)  # truth of the prediction to t = 0
    z = xc[rng.integers(0, n, size=k), :3] + rng.normal(scale=3e3, size=(k, 3))
    if angles_only:  # a huge variance along one random direction per detection
        u = rng.normal(size=(k, 3))
        u /= np.linalg.norm(u, axis=1)[:, None]
        R = 1e12 * u[:, :, None] * u[:, None, :] + 100.0**2 * np.eye(3)
    else:
        R = np.broadcast_to(200.0**2 * np.eye(3), (k, 3, 3)).copy()
    x0, P0 = kernels.imm_combine(s.x, s.P, s.mu)
    lam, vec = np.linalg.eigh(R)
    g = gate_threshold()
    kept = kernels.pregate(x0, P0, t_trk, np.arange(n), 0.0, z, lam, vec, g, 2.0e4)
    inside = mahalanobis_costs(xc, Pc, z, R) <= g
    assert inside.sum() > 10 and np.all(kept[inside])
    assert kept.sum() < 0.5 * n * k  # and it does prune


def test_gate_distance_stays_exact_for_angles_only_measurements():
    """R with 1e12 m^2 along a line of sight and a few m^2 across it, innovation 1,000 km along it:
    sensor-frame cofactors cancel (negative distances); R's eigenbasis does not."""
    rng = np.random.default_rng(7)
    k = 200
    u = rng.normal(size=(k, 3))
    u /= np.linalg.norm(u, axis=1)[:, None]
    R = 1e12 * u[:, :, None] * u[:, None, :] + rng.uniform(1.0, 30.0, size=(k, 1, 1)) * np.eye(3)
    x = np.zeros((k, 6))
    A = rng.normal(size=(k, 6, 6))
    P = A @ np.swapaxes(A, -1, -2) * 300.0 + np.eye(6)
    nu = 1e6 * u * rng.uniform(-1, 1, size=(k, 1)) + rng.normal(scale=30.0, size=(k, 3))
    lam, vec = np.linalg.eigh(R)
    idx = np.arange(k)
    d2 = kernels.gate_d2(x, P, idx, nu, lam, vec, idx)
    S = P[:, :3, :3] + R
    w, v = np.linalg.eigh(S)  # reference in S's own eigenbasis
    ref = np.einsum("ki,ki->k", np.einsum("kji,kj->ki", v, nu) ** 2, 1.0 / w)
    assert np.all(d2 > 0) and np.allclose(d2, ref, rtol=1e-5)
    _, P1, _ = kernels.imm_update(np.zeros((k, 1, 6)), P[:, None], np.ones((k, 1)), nu, lam, vec)
    assert np.all(np.linalg.eigvalsh(P1[:, 0]) > 0)


def test_transition_power_composes():
    Pw = kernels.transition_power(MODEL.transition)
    Pi = np.asarray(MODEL.transition)
    power = lambda t: Pw[0] @ np.diag(np.diag(Pw[1]) ** t) @ Pw[2]
    assert np.allclose(power(1.0), Pi) and np.allclose(power(2.5) @ power(0.5), Pi @ Pi @ Pi)
    with pytest.raises(ValueError):
        kernels.transition_power(((0.0, 1.0), (1.0, 0.0)))
