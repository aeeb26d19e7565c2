"""Batched Kalman filter against the Riccati solution, filterpy and an ODE oracle."""

import numpy as np
import pytest
from filterpy.kalman import KalmanFilter
from scipy.integrate import solve_ivp
from scipy.linalg import solve_discrete_are

from goldendome.physics import gravity
from goldendome.tracking import kalman


def test_steady_state_covariance_is_the_riccati_solution():
    dt, q, sigma = 2.0, 0.5, 30.0
    F, Q = kalman.white_noise_acceleration(dt, q)
    H = np.hstack([np.eye(3), np.zeros((3, 3))])
    R = sigma**2 * np.eye(3)
    x, P = np.zeros((1, 6)), np.eye(6)[None] * 1e8
    for _ in range(400):
        x, P = kalman.predict(x, P, F, Q)
        P_pred = P.copy()
        x, P, _, _ = kalman.update(x, P, np.zeros((1, 3)), H, R)
    riccati = solve_discrete_are(F.T, H.T, Q, R)  # steady-state predicted covariance
    assert np.allclose(P_pred[0], riccati, rtol=1e-9)


def test_batched_filter_equals_filterpy_per_object():
    rng = np.random.default_rng(4)
    m, n, k = 25, 6, 40
    F, Q = kalman.white_noise_acceleration(1.5, 2.0)
    H = rng.normal(size=(m, 3, n))
    R = np.array([np.diag(rng.uniform(1, 50, 3)) for _ in range(m)])
    x0 = rng.normal(size=(m, n)) * 100
    P0 = np.array([np.eye(n) * rng.uniform(10, 1000) for _ in range(m)])
    zs = rng.normal(size=(k, m, 3)) * 100
    x, P = x0.copy(), P0.copy()
    for z in zs:
        x, P = kalman.predict(x, P, F, Q)
        x, P, _, _ = kalman.update(x, P, z, H, R)
    for i in range(m):
        kf = KalmanFilter(dim_x=n, dim_z=3)
        kf.x, kf.P, kf.F, kf.Q, kf.H, kf.R = x0[i].copy(), P0[i].copy(), F, Q, H[i], R[i]
        for z in zs[:, i]:
            kf.predict()
            kf.update(z)
        assert np.allclose(x[i], kf.x, rtol=1e-9, atol=1e-9)
        assert np.allclose(P[i], kf.P, rtol=1e-9, atol=1e-9)


def test_ballistic_prediction_matches_ode_and_its_jacobian():
    r0 = np.array([[6_800e3, 0.0, 1_000e3], [0.0, 7_000e3, -500e3]])
    v0 = np.array([[0.0, 6_500.0, 1_000.0], [-6_000.0, 0.0, 2_000.0]])
    x0 = np.hstack([r0, v0])
    dt = 20.0
    x1, P1 = kalman.ballistic_predict(x0, np.broadcast_to(np.eye(6), (2, 6, 6)).copy() * 1e-6, dt, q=0.0)
    for i in range(2):
        sol = solve_ivp(lambda t, y: np.concatenate([y[3:], gravity.accel_j2(y[:3])]), (0, dt), x0[i],
                        rtol=1e-12, atol=1e-6)
        assert np.allclose(x1[i], sol.y[:, -1], atol=1e-3)
    # the covariance propagation uses F: each column equals the finite-difference sensitivity
    F = kalman.ballistic_transition(x0, dt, x1)
    for k, eps in enumerate([1.0, 1.0, 1.0, 1e-3, 1e-3, 1e-3]):
        d = np.zeros(6)
        d[k] = eps
        col = (kalman.ballistic_predict(x0 + d, np.zeros((2, 6, 6)), dt, 0.0)[0]
               - kalman.ballistic_predict(x0 - d, np.zeros((2, 6, 6)), dt, 0.0)[0]) / (2 * eps)
        assert np.allclose(F[:, :, k], col, rtol=1e-3, atol=5e-6)  # G terms are ~5e-4


def test_filter_is_consistent_on_simulated_targets():
    """Normalized estimation error squared averages the state dimension (chi-square, 6 dof)."""
    rng = np.random.default_rng(9)
    m, dt, q, sigma = 400, 1.0, 4.0, 20.0
    F, Q = kalman.white_noise_acceleration(dt, q)
    H = np.hstack([np.eye(3), np.zeros((3, 3))])
    R = sigma**2 * np.eye(3)
    truth = np.zeros((m, 6))
    x, P = np.zeros((m, 6)), np.broadcast_to(np.eye(6) * 1e6, (m, 6, 6)).copy()
    nees = []
    for k in range(60):
        truth = truth @ F.T + rng.multivariate_normal(np.zeros(6), Q, size=m)
        z = truth[:, :3] + rng.normal(scale=sigma, size=(m, 3))
        x, P = kalman.predict(x, P, F, Q)
        x, P, _, _ = kalman.update(x, P, z, H, R)
        if k > 20:
            e = truth - x
            nees.append(np.mean(np.einsum("mi,mi->m", e, np.linalg.solve(P, e[..., None])[..., 0])))
    assert np.mean(nees) == pytest.approx(6.0, rel=0.05)
