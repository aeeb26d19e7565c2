"""Batched Kalman predict+update vs Stone Soup's KalmanPredictor/KalmanUpdater on the same data.

Issue 4 figures: 1,000 tracks, <= 5 us per track-update on 2 cores; >= 100x Stone Soup with
RMSE within 2 %. Stone Soup (pip install stonesoup) is used here only.
"""

from __future__ import annotations

import time

import numpy as np

from goldendome.tracking import kalman

DT, Q, SIGMA, STEPS = 1.0, 4.0, 20.0, 60


def scenario(m: int, seed: int = 1):
    """Truth (STEPS, m, 6) of white-noise-acceleration targets and position measurements (STEPS, m, 3)."""
    rng = np.random.default_rng(seed)
    F, Qm = kalman.white_noise_acceleration(DT, Q)
    x = np.hstack([rng.normal(scale=1e5, size=(m, 3)), rng.normal(scale=300, size=(m, 3))])
    truth, zs = [], []
    for _ in range(STEPS):
        x = x @ F.T + rng.multivariate_normal(np.zeros(6), Qm, size=m)
        truth.append(x)
        zs.append(x[:, :3] + rng.normal(scale=SIGMA, size=(m, 3)))
    return np.array(truth), np.array(zs)


def ours(zs):
    m = zs.shape[1]
    F, Qm = kalman.white_noise_acceleration(DT, Q)
    H = np.hstack([np.eye(3), np.zeros((3, 3))])
    R = SIGMA**2 * np.eye(3)
    x = np.hstack([zs[0], np.zeros((m, 3))])
    P = np.broadcast_to(np.diag([SIGMA**2] * 3 + [1e6] * 3), (m, 6, 6)).copy()
    est = [x]
    for z in zs[1:]:
        x, P = kalman.predict(x, P, F, Qm)
        x, P, _, _ = kalman.update(x, P, z, H, R)
        est.append(x)
    return np.array(est)


def stone_soup(zs):
    from datetime import datetime, timedelta

    from stonesoup.models.measurement.linear import LinearGaussian
    from stonesoup.models.transition.linear import CombinedLinearGaussianTransitionModel, ConstantVelocity
    from stonesoup.predictor.kalman import KalmanPredictor
    from stonesoup.types.detection import Detection
    from stonesoup.types.state import GaussianState
    from stonesoup.updater.kalman import KalmanUpdater

    cv = CombinedLinearGaussianTransitionModel([ConstantVelocity(Q)] * 3)
    meas = LinearGaussian(ndim_state=6, mapping=(0, 2, 4), noise_covar=SIGMA**2 * np.eye(3))
    predictor, updater = KalmanPredictor(cv), KalmanUpdater(meas)
    t0 = datetime(2026, 1, 1)
    out = np.empty((len(zs), zs.shape[1], 6))
    for i in range(zs.shape[1]):
        z0 = zs[0, i]
        state = GaussianState(np.array([[z0[0]], [0], [z0[1]], [0], [z0[2]], [0]]),
                              np.diag([SIGMA**2, 1e6] * 3), timestamp=t0)
        out[0, i] = state.state_vector.ravel()[[0, 2, 4, 1, 3, 5]]
        for k in range(1, len(zs)):
            ts = t0 + timedelta(seconds=k * DT)
            pred = predictor.predict(state, timestamp=ts)
            det = Detection(zs[k, i].reshape(3, 1), timestamp=ts, measurement_model=meas)
            from stonesoup.types.hypothesis import SingleHypothesis

            state = updater.update(SingleHypothesis(pred, det))
            out[k, i] = state.state_vector.ravel()[[0, 2, 4, 1, 3, 5]]
    return out


def rmse(est, truth):
    return float(np.sqrt(np.mean(np.sum((est[10:, :, :3] - truth[10:, :, :3]) ** 2, axis=-1))))


def rows():
    truth, zs = scenario(1000)
    ours(zs[:3])  # warm up
    t = time.perf_counter()
    est = ours(zs)
    per_ours = (time.perf_counter() - t) / (1000 * (STEPS - 1))
    m = 20
    t = time.perf_counter()
    ss = stone_soup(zs[:, :m])
    per_ss = (time.perf_counter() - t) / (m * (STEPS - 1))
    r_ours, r_ss = rmse(est[:, :m], truth[:, :m]), rmse(ss, truth[:, :m])
    return [
        ("1,000 tracks: predict+update (6-state CV, 3-D position)", f"{1e6 * per_ours:.2f} us per track-update", "<= 5 us"),
        (f"Stone Soup KalmanPredictor+KalmanUpdater, {m} tracks", f"{1e6 * per_ss:.0f} us per track-update", ""),
        ("speed-up vs Stone Soup", f"{per_ss / per_ours:.0f}x", ">= 100x"),
        ("position RMSE ours / Stone Soup (same measurements)", f"{r_ours:.2f} m / {r_ss:.2f} m", "within 2 %"),
    ]


if __name__ == "__main__":
    for row in rows():
        print(" | ".join(row))
