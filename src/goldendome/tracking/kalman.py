"""Batched Kalman filtering: many tracks predicted and updated at once with einsum.

Shapes: M tracks, state dimension n, measurement dimension m. States x (M, n), covariances
P (M, n, n); models F (M, n, n) or (n, n), Q likewise; measurements z (M, m), H (M, m, n)
or (m, n), R (M, m, m) or (m, m). Every function works on the whole batch and also on a
one-scan subset (pass the rows you have measurements for), so the same code serves a raid
at once or a live feed scan by scan.

Notes
-----
Kalman (1960); the Joseph form of the covariance update keeps P symmetric positive
definite (Bar-Shalom, Li & Kirubarajan, Estimation with Applications to Tracking and
Navigation, Wiley 2001, eq. 5.2.3-18). The white-noise-acceleration model is their
eq. 6.2.2-12 (continuous Wiener process acceleration, per axis).
"""

from __future__ import annotations

import numpy as np

from ..physics import gravity


def _t(a):
    """Transpose of the last two axes."""
    return np.swapaxes(a, -1, -2)


def predict(x, P, F, Q):
    """Linear prediction: x <- F x, P <- F P F^T + Q. Returns (x, P).

    F and Q may be single (n, n) matrices or per-track (M, n, n) stacks.
    """
    F = np.asarray(F, dtype=float)
    x = (F @ x[..., None])[..., 0]
    P = F @ P @ _t(F) + Q
    return x, P


def update(x, P, z, H, R, hx=None):
    """Kalman update with measurements z (M, m); ``hx`` (M, m) overrides H x (EKF).

    Returns (x, P, innovation (M, m), innovation covariance S (M, m, m)).
    """
    H = np.asarray(H, dtype=float)
    nu = z - ((H @ x[..., None])[..., 0] if hx is None else hx)
    PHt = P @ _t(H)
    S = H @ PHt + R
    K = PHt @ np.linalg.inv(S)
    x = x + (K @ nu[..., None])[..., 0]
    ikh = np.eye(P.shape[-1]) - K @ H
    P = ikh @ P @ _t(ikh) + K @ R @ _t(K)
    return x, P, nu, S


def white_noise_acceleration(dt, q, dim=3):
    """Constant-velocity model for state [position (dim), velocity (dim)].

    Parameters
    ----------
    dt : float, s; q : float, acceleration noise spectral density, m^2/s^3.

    Returns
    -------
    F, Q : (2 dim, 2 dim)
    """
    eye = np.eye(dim)
    F = np.block([[eye, dt * eye], [0 * eye, eye]])
    Q = q * np.block([[dt**3 / 3 * eye, dt**2 / 2 * eye], [dt**2 / 2 * eye, dt * eye]])
    return F, Q


def gravity_gradient(r, h=1.0):
    """d(acceleration)/d(position) (M, 3, 3) of J2 gravity by central differences (h m)."""
    out = np.empty((len(r), 3, 3))
    for k in range(3):
        e = np.zeros(3)
        e[k] = h
        out[:, :, k] = (gravity.accel_j2(r + e) - gravity.accel_j2(r - e)) / (2 * h)
    return out


def ballistic_predict(x, P, dt, q, substeps=4):
    """EKF prediction of ballistic objects in ECI: RK4 under J2 gravity (no drag).

    The transition matrix is the second-order expansion of expm(A dt) with
    A = [[0, I], [G, 0]], G the gravity gradient at the start; Q is white-noise
    acceleration of density q (m^2/s^3) for unmodelled forces (drag, thrust changes).
    """
    h = dt / substeps
    y = x.copy()
    for _ in range(substeps):
        y = _rk4_gravity(y, h)
    F = ballistic_transition(x, dt, y)
    _, Q = white_noise_acceleration(dt, q)
    P = F @ P @ _t(F) + Q
    return y, P


def ballistic_transition(x, dt, x_end=None):
    """State-transition matrix (M, 6, 6): expm(A dt) to third order, A = [[0, I], [G, 0]].

    G is the gravity gradient averaged over the step's ends when ``x_end`` is given
    (second-order accurate in the change of G along the arc), else taken at the start.
    """
    G = gravity_gradient(x[:, :3])
    if x_end is not None:
        G = 0.5 * (G + gravity_gradient(x_end[:, :3]))
    eye = np.broadcast_to(np.eye(3), G.shape)
    return np.block([[eye + 0.5 * G * dt**2, eye * dt + G * dt**3 / 6], [G * dt, eye + 0.5 * G * dt**2]])


def _rk4_gravity(y, h):
    def f(s):
        return np.concatenate([s[:, 3:], gravity.accel_j2(s[:, :3])], axis=1)

    k1 = f(y)
    k2 = f(y + 0.5 * h * k1)
    k3 = f(y + 0.5 * h * k2)
    k4 = f(y + h * k3)
    return y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)


def mahalanobis2(nu, S):
    """Squared Mahalanobis distance nu^T S^-1 nu (M,) of innovations."""
    return np.einsum("mi,mi->m", nu, np.linalg.solve(S, nu[..., None])[..., 0])
