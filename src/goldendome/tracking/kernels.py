"""Compiled per-track IMM kernels for the tracker (numba, cache=True).

The tracker keeps one filter time per track and, for each group of detections (one sensor
at one measurement time), predicts only the tracks that can gate with it. These kernels do
that work row by row with a per-row dt, without the per-call overhead of many small numpy
operations: ``pregate`` (which (track, detection) pairs can pass the chi-square gate),
``imm_predict`` (mixing and model-matched J2-ballistic or constant-velocity prediction, chosen
per row),
``gate_d2`` (the gate's Mahalanobis distances), ``imm_update`` (model-matched Kalman updates
with a position measurement and the mode probability update) and ``imm_combine``. Innovations
are taken in the eigenbasis of the measurement covariance R, where an angles-only
pseudo-measurement (variance ~1e12 m^2 along the line of sight) stays well conditioned.

They are scalar forms of ``imm.predict`` / ``imm.update`` / ``imm.combine`` and
``kalman.ballistic_predict`` (whose docstrings give the equations and sources) and are
tested against them (tests/tracking/test_kernels.py). Shapes: n rows, r models; xm (n, r, 6),
Pm (n, r, 6, 6), mu (n, r).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..physics.constants import J2, MU_EARTH, WGS84_A

__all__ = ["gate_d2", "imm_combine", "imm_predict", "imm_update", "pregate", "transition_at", "transition_power"]

SUBSTEPS = 4  # RK4 substeps of a ballistic prediction (kalman.ballistic_predict)
_G_GRAD = 4.0e-6  # 1/s^2, bound on |d(accel)/d(position)| above ~0.9 Earth radii (2 mu / r^3 + J2)


@njit(cache=True, inline="always")
def _accel(x, y, z):
    """Point-mass plus J2 acceleration (gravity.accel_j2), m/s^2."""
    r2 = x * x + y * y + z * z
    rn = math.sqrt(r2)
    z2 = z * z / r2
    k = 1.5 * J2 * (WGS84_A / rn) ** 2
    f = -MU_EARTH / (rn * r2)
    h = f * (1.0 + k * (1.0 - 5.0 * z2))
    return x * h, y * h, z * f * (1.0 + k * (3.0 - 5.0 * z2))


@njit(cache=True)
def _deriv(s, out):
    out[0], out[1], out[2] = s[3], s[4], s[5]
    out[3], out[4], out[5] = _accel(s[0], s[1], s[2])


@njit(cache=True)
def _rk4(y, h, k1, k2, k3, k4, tmp):
    """One RK4 step of ballistic motion under J2 gravity, y (6,) in place."""
    _deriv(y, k1)
    for i in range(6):
        tmp[i] = y[i] + 0.5 * h * k1[i]
    _deriv(tmp, k2)
    for i in range(6):
        tmp[i] = y[i] + 0.5 * h * k2[i]
    _deriv(tmp, k3)
    for i in range(6):
        tmp[i] = y[i] + h * k3[i]
    _deriv(tmp, k4)
    for i in range(6):
        y[i] += h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i])


@njit(cache=True)
def _gradient(r, G, w):
    """G += d(accel)/d(position) (3, 3) at r by central differences of 1 m (kalman.gravity_gradient)."""
    for k in range(3):
        w[0], w[1], w[2] = r[0], r[1], r[2]
        w[k] += 1.0
        ax, ay, az = _accel(w[0], w[1], w[2])
        w[k] -= 2.0
        bx, by, bz = _accel(w[0], w[1], w[2])
        G[0, k] += (ax - bx) / 2.0
        G[1, k] += (ay - by) / 2.0
        G[2, k] += (az - bz) / 2.0


@njit(cache=True)
def _transition(x0, x1, dt, ballistic, F, G, w):
    """F (6, 6): constant velocity, or expm([[0, I], [G, 0]] dt) to third order with G averaged
    over the step's ends (kalman.ballistic_transition)."""
    G[:] = 0.0
    if ballistic:
        _gradient(x0, G, w)
        _gradient(x1, G, w)
        for i in range(3):
            for j in range(3):
                G[i, j] *= 0.5
    F[:] = 0.0
    for i in range(3):
        for j in range(3):
            e = 1.0 if i == j else 0.0
            F[i, j] = e + 0.5 * G[i, j] * dt * dt
            F[i, 3 + j] = e * dt + G[i, j] * dt**3 / 6.0
            F[3 + i, j] = G[i, j] * dt
            F[3 + i, 3 + j] = e + 0.5 * G[i, j] * dt * dt


@njit(cache=True)
def _mix(xm, Pm, mu, Pi, x0, P0, c):
    """IMM mixing of one track (imm._mix): x0 (r, 6), P0 (r, 6, 6), c (r,) filled."""
    r = len(mu)
    for j in range(r):
        c[j] = 0.0
        for i in range(r):
            c[j] += mu[i] * Pi[i, j]
    for j in range(r):
        cj = max(c[j], 1e-300)
        x0[j] = 0.0
        for i in range(r):
            x0[j] += mu[i] * Pi[i, j] / cj * xm[i]
        P0[j] = 0.0
        for i in range(r):
            wij = mu[i] * Pi[i, j] / cj
            for a in range(6):
                da = xm[i, a] - x0[j, a]
                for b in range(6):
                    P0[j, a, b] += wij * (Pm[i, a, b] + da * (xm[i, b] - x0[j, b]))


def transition_power(Pi) -> np.ndarray:
    """(3, r, r): V, diag(w), V^-1 of a mode transition matrix Pi = V diag(w) V^-1, so that a
    kernel forms Pi^t = V diag(w^t) V^-1 for any real t >= 0.

    Raises ValueError unless the eigenvalues are real and positive (true for two modes that
    switch with probabilities a + b < 1, the tracker's IMM).
    """
    Pi = np.asarray(Pi, float)
    w, V = np.linalg.eig(Pi)
    if np.iscomplexobj(w) and np.any(np.abs(w.imag) > 1e-12) or np.any(w.real <= 0):
        raise ValueError(f"transition matrix {Pi.tolist()} has no real power (eigenvalues {w})")
    w, V = w.real, V.real
    return np.stack([V, np.diag(w), np.linalg.inv(V)])


@njit(cache=True)
def _power(Pi, t, out):
    """out (r, r) = Pi^t = V diag(w^t) V^-1 from Pi = (V, diag(w), V^-1) (``transition_power``)."""
    r = len(out)
    for i in range(r):
        for j in range(r):
            out[i, j] = 0.0
            for k in range(r):
                out[i, j] += Pi[0, i, k] * Pi[1, k, k] ** t * Pi[2, k, j]


def transition_at(Pi, t) -> np.ndarray:
    """(r, r) transition matrix over t >= 0 seconds, Pi^t, from ``transition_power``'s (3, r, r)
    per-second decomposition (the matrix ``imm_predict`` mixes with over a step of t s)."""
    out = np.empty(np.shape(Pi)[1:])
    _power(np.asarray(Pi, float), float(t), out)
    return out


@njit(cache=True)
def imm_predict(xm, Pm, mu, dt, Pi, q, ballistic, max_step):
    """IMM prediction of every row by its own dt (n,) seconds (imm.predict, row by row).

    Pi : (3, r, r) the mode transition matrix per second as V, diag(w) (w on the diagonal)
    and V^-1 (``transition_power``): a step of h s mixes with Pi^|h| (one mixing with Pi^n
    is n mixings, as moment matching composes). q (r,) white-noise acceleration densities,
    m^2/s^3; ballistic (n,) bool, per row: J2-gravity EKF (kalman.ballistic_predict) or
    constant velocity (the tracker's per-track motion, ``motion.air_breathing``).
    max_step : s, a row's dt is cut into equal IMM cycles (mix, predict, process noise) of at
        most this (<= 0: one cycle). A row with dt == 0 is returned unchanged. Process noise
        is over |dt|.

    Returns
    -------
    xm (n, r, 6), Pm (n, r, 6, 6), mu (n, r): new arrays.
    """
    n, r = mu.shape
    xo, Po, muo = xm.copy(), Pm.copy(), mu.copy()
    x0, P0, c, Pt = np.empty((r, 6)), np.empty((r, 6, 6)), np.empty(r), np.empty((r, r))
    work = np.empty((6, 6))
    y, k1, k2, k3, k4, tmp = work[0], work[1], work[2], work[3], work[4], work[5]
    F, G, w, FP = np.empty((6, 6)), np.empty((3, 3)), np.empty(3), np.empty((6, 6))
    for m in range(n):
        if dt[m] == 0.0:
            continue
        ns = 1 if max_step <= 0.0 else max(1, math.ceil(abs(dt[m]) / max_step - 1e-9))
        rk = max(1, -(-SUBSTEPS // ns))  # RK4 steps per cycle: SUBSTEPS in all, at least one per cycle
        h = dt[m] / ns
        a = abs(h)
        _power(Pi, a, Pt)
        for _ in range(ns):
            _mix(xo[m], Po[m], muo[m], Pt, x0, P0, c)
            for j in range(r):
                y[:] = x0[j]
                if ballistic[m]:
                    for _ in range(rk):
                        _rk4(y, h / rk, k1, k2, k3, k4, tmp)
                else:
                    for i in range(3):
                        y[i] += h * y[3 + i]
                _transition(x0[j], y, h, ballistic[m], F, G, w)
                _abt(F, P0[j], F, FP)
                Po[m, j] = FP
                for i in range(3):
                    Po[m, j, i, i] += q[j] * a**3 / 3.0
                    Po[m, j, i, 3 + i] += q[j] * a * a / 2.0
                    Po[m, j, 3 + i, i] += q[j] * a * a / 2.0
                    Po[m, j, 3 + i, 3 + i] += q[j] * a
                xo[m, j] = y
            muo[m] = c
    return xo, Po, muo


@njit(cache=True)
def imm_combine(xm, Pm, mu):
    """Combined estimate x (n, 6), P (n, 6, 6): mode-probability-weighted moments (imm.combine)."""
    n, r = mu.shape
    x, P = np.zeros((n, 6)), np.zeros((n, 6, 6))
    for m in range(n):
        for j in range(r):
            x[m] += mu[m, j] * xm[m, j]
        for j in range(r):
            for a in range(6):
                da = xm[m, j, a] - x[m, a]
                for b in range(6):
                    P[m, a, b] += mu[m, j] * (Pm[m, j, a, b] + da * (xm[m, j, b] - x[m, b]))
    return x, P


@njit(cache=True)
def _abt(A, B, C, out):
    """out = A B C^T for (6, 6) matrices (C may be A)."""
    BC = np.empty((6, 6))
    for k in range(6):
        for j in range(6):
            acc = 0.0
            for m in range(6):
                acc += B[k, m] * C[j, m]
            BC[k, j] = acc
    for i in range(6):
        for j in range(6):
            acc = 0.0
            for k in range(6):
                acc += A[i, k] * BC[k, j]
            out[i, j] = acc


@njit(cache=True, inline="always")
def _inv3(S, Si):
    """Si = S^-1 of a symmetric 3x3 by cofactors; returns det S."""
    a, b, c, d, e, f = S[0, 0], S[0, 1], S[0, 2], S[1, 1], S[1, 2], S[2, 2]
    ca, cb, cc = d * f - e * e, c * e - b * f, b * e - c * d
    cd, ce, cf = a * f - c * c, b * c - a * e, a * d - b * b
    det = a * ca + b * cb + c * cc
    Si[0, 0], Si[0, 1], Si[0, 2] = ca / det, cb / det, cc / det
    Si[1, 0], Si[1, 1], Si[1, 2] = cb / det, cd / det, ce / det
    Si[2, 0], Si[2, 1], Si[2, 2] = cc / det, ce / det, cf / det
    return det


@njit(cache=True)
def _innovation(x, P, z, lam, V, nu, PV, S, Si):
    """Innovation in R's eigenbasis: nu = V^T (z - x_pos), PV = P[:, :3] V (6, 3), S = V^T P_pp V + diag(lam),
    Si = S^-1; returns det S.

    An angles-only pseudo-measurement has one eigenvalue of R ~1e12 m^2 and the others ~1e2:
    in the sensor frame its 3x3 cofactors cancel catastrophically (the old gate saw negative
    distances), in R's own basis the large variance stays on the diagonal.
    """
    for k in range(3):
        nu[k] = (z[0] - x[0]) * V[0, k] + (z[1] - x[1]) * V[1, k] + (z[2] - x[2]) * V[2, k]
        for i in range(6):
            PV[i, k] = P[i, 0] * V[0, k] + P[i, 1] * V[1, k] + P[i, 2] * V[2, k]
    for a in range(3):
        for b in range(3):
            S[a, b] = V[0, a] * PV[0, b] + V[1, a] * PV[1, b] + V[2, a] * PV[2, b]
        S[a, a] += lam[a]
    for a in range(3):  # symmetric to rounding
        for b in range(a):
            S[a, b] = S[b, a] = 0.5 * (S[a, b] + S[b, a])
    return _inv3(S, Si)


@njit(cache=True)
def gate_d2(xc, Pc, pr, z, lam, vec, pk):
    """Squared Mahalanobis distances (A,) of detections pk from predicted tracks pr (imm combined
    x (C, 6), P (C, 6, 6)), computed in each detection's R eigenbasis (lam (K, 3), vec (K, 3, 3))."""
    out = np.empty(len(pr))
    nu, PV, S, Si = np.empty(3), np.empty((6, 3)), np.empty((3, 3)), np.empty((3, 3))
    for a in range(len(pr)):
        m, k = pr[a], pk[a]
        _innovation(xc[m], Pc[m], z[k], lam[k], vec[k], nu, PV, S, Si)
        d2 = 0.0
        for i in range(3):
            d2 += nu[i] * (Si[i, 0] * nu[0] + Si[i, 1] * nu[1] + Si[i, 2] * nu[2])
        out[a] = d2
    return out


@njit(cache=True)
def imm_update(xm, Pm, mu, z, lam, vec):
    """Model-matched Kalman updates (Joseph form) with position measurements z (n, 3) whose
    covariances R have eigenvalues lam (n, 3) and eigenvectors vec (n, 3, 3) (columns), and the
    mode-probability update from Gaussian innovation likelihoods (imm.update).

    Returns
    -------
    xm (n, r, 6), Pm (n, r, 6, 6), mu (n, r): new arrays.
    """
    n, r = mu.shape
    xo, Po, muo = xm.copy(), Pm.copy(), mu.copy()
    S, Si, K, PV = np.empty((3, 3)), np.empty((3, 3)), np.empty((6, 3)), np.empty((6, 3))
    A, AP = np.empty((6, 6)), np.empty((6, 6))
    nu, logp = np.empty(3), np.empty(r)
    for m in range(n):
        V = vec[m]
        for j in range(r):
            P = Pm[m, j]
            det = _innovation(xm[m, j], P, z[m], lam[m], V, nu, PV, S, Si)
            for i in range(6):  # gain K' = P H^T V S^-1 on the rotated innovation
                for k in range(3):
                    K[i, k] = PV[i, 0] * Si[0, k] + PV[i, 1] * Si[1, k] + PV[i, 2] * Si[2, k]
                xo[m, j, i] = xm[m, j, i] + K[i, 0] * nu[0] + K[i, 1] * nu[1] + K[i, 2] * nu[2]
            A[:] = 0.0  # I - K' V^T H, H = [I 0]
            for i in range(6):
                A[i, i] = 1.0
                for k in range(3):
                    A[i, k] -= K[i, 0] * V[k, 0] + K[i, 1] * V[k, 1] + K[i, 2] * V[k, 2]
            _abt(A, P, A, AP)
            for i in range(6):
                for k in range(6):
                    Po[m, j, i, k] = AP[i, k] + (K[i, 0] * lam[m, 0] * K[k, 0] + K[i, 1] * lam[m, 1] * K[k, 1]
                                                 + K[i, 2] * lam[m, 2] * K[k, 2])
            d2 = 0.0
            for i in range(3):
                d2 += nu[i] * (Si[i, 0] * nu[0] + Si[i, 1] * nu[1] + Si[i, 2] * nu[2])
            logp[j] = -0.5 * (d2 + math.log(det) + 3.0 * math.log(2.0 * math.pi)) + math.log(max(mu[m, j], 1e-300))
        top = logp.max()
        tot = 0.0
        for j in range(r):
            muo[m, j] = math.exp(logp[j] - top)
            tot += muo[m, j]
        for j in range(r):
            muo[m, j] /= tot
    return xo, Po, muo


@njit(cache=True)
def pregate(x, P, t_trk, rows, t, z, lam, vec, gate, q_max):
    """(track, detection) pairs that may pass the chi-square gate at time t, without predicting.

    Parameters
    ----------
    x (M, 6), P (M, 6, 6), t_trk (M,) : every track's combined estimate at its own time.
    rows : (L,) the tracks to test.  t : float, the detections' measurement time, s.
    z : (K, 3) detections; lam (K, 3), vec (K, 3, 3) : eigenvalues and eigenvectors (columns)
        of their covariances R.
    gate : chi-square threshold.  q_max : largest process-noise density of the IMM, m^2/s^3.

    Returns
    -------
    (L, K) bool, the pairs (row, detection) that may pass.

    Notes
    -----
    A pair is dropped only when the gate certainly fails. Over dt = t - t_trk the prediction
    is p + v dt + delta with |delta| <= g dt^2 / 2 (gravity), and the predicted position
    covariance is below lambda I with lambda = 1.5 [(sqrt tr P_pp (1 + G dt^2 / 2) + |dt|
    sqrt tr P_vv (1 + G dt^2 / 6))^2 + q_max |dt|^3] (the transition's norm, G bounding the
    gravity gradient; the factor 1.5 covers the IMM's spread of model means). Then
    nu^T S^-1 nu >= nu^T (lambda I + R)^-1 nu, whose square root is a norm, so it is at least
    |W^1/2 nu_lin| - |delta| / sqrt(lambda + min eig R).
    """
    K = len(z)
    out = np.zeros((len(rows), K), np.bool_)
    sg = math.sqrt(gate)
    for ii in range(len(rows)):
        m = rows[ii]
        dt = t - t_trk[m]
        a = abs(dt)
        px, py, pz = x[m, 0] + x[m, 3] * dt, x[m, 1] + x[m, 4] * dt, x[m, 2] + x[m, 5] * dt
        spp = math.sqrt(max(P[m, 0, 0] + P[m, 1, 1] + P[m, 2, 2], 0.0))
        svv = math.sqrt(max(P[m, 3, 3] + P[m, 4, 4] + P[m, 5, 5], 0.0))
        s = spp * (1.0 + 0.5 * _G_GRAD * a * a) + a * svv * (1.0 + _G_GRAD * a * a / 6.0)
        lam_t = 1.5 * (s * s + q_max * a**3) + 1e-6
        r0 = math.sqrt(x[m, 0] ** 2 + x[m, 1] ** 2 + x[m, 2] ** 2)
        r1 = math.sqrt(px * px + py * py + pz * pz)
        rmin = max(min(r0, r1, 0.9 * WGS84_A), 1.0e6)
        delta = 0.5 * a * a * 1.01 * MU_EARTH / (rmin * rmin)
        for k in range(K):
            dx, dy, dz = z[k, 0] - px, z[k, 1] - py, z[k, 2] - pz
            u0 = dx * vec[k, 0, 0] + dy * vec[k, 1, 0] + dz * vec[k, 2, 0]
            u1 = dx * vec[k, 0, 1] + dy * vec[k, 1, 1] + dz * vec[k, 2, 1]
            qf = u0 * u0 / (lam_t + lam[k, 0]) + u1 * u1 / (lam_t + lam[k, 1])
            slack = sg + delta / math.sqrt(lam_t + lam[k, 0])
            if qf > slack * slack:  # across the largest variance alone already outside
                continue
            u2 = dx * vec[k, 0, 2] + dy * vec[k, 1, 2] + dz * vec[k, 2, 2]
            out[ii, k] = math.sqrt(qf + u2 * u2 / (lam_t + lam[k, 2])) <= slack
    return out
