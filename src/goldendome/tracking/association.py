"""Measurement-to-track association: chi-square gating and global nearest neighbour (GNN).

Shapes: M tracks, K detections, position measurements (3,) with H = [I 0] on a
[position, velocity] state. The cost matrix is built for all (track, detection) pairs at
once with batched 3x3 solves; no loop over tracks or detections.

Notes
-----
Gating on the squared Mahalanobis distance of the innovation, chi-square with 3 degrees of
freedom (Bar-Shalom, Li & Kirubarajan, Estimation with Applications to Tracking and
Navigation, Wiley 2001, sec. 5.4.2); GNN as the optimal 2-D assignment of the gated costs
(Blackman & Popoli, Design and Analysis of Modern Tracking Systems, Artech House 1999,
sec. 6.3), solved with the Jonker-Volgenant / Hungarian algorithm in
``scipy.optimize.linear_sum_assignment`` (Crouse, IEEE Trans. AES 52(4), 2016).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.stats import chi2

__all__ = ["associate", "gate_threshold", "gnn", "mahalanobis_costs"]

_BIG = 1.0e12  # cost standing in for "outside the gate" (finite: the solver needs a feasible matrix)
_RATIO_FAST = 1e-4  # det of the diagonally scaled S below which float64 Cholesky is not trusted


@lru_cache(maxsize=None)
def gate_threshold(prob: float = 0.999, dim: int = 3) -> float:
    """Chi-square gate on the squared Mahalanobis distance.

    Parameters
    ----------
    prob : float, probability that a true measurement falls inside the gate.
    dim : int, measurement dimension.

    Returns
    -------
    float, the ``prob`` quantile of chi-square with ``dim`` degrees of freedom
    (16.27 for 99.9 % in 3-D).
    """
    return float(chi2.ppf(prob, dim))


def mahalanobis_costs(x, P, z, R, gate=None):
    """Squared Mahalanobis distances of every detection from every predicted track.

    Parameters
    ----------
    x : (M, 6) predicted states [m, m/s]; P : (M, 6, 6) their covariances.
    z : (K, 3) position measurements, m; R : (K, 3, 3) their covariances, m^2.
    gate : optional chi-square threshold; pairs that cannot pass it get inf without the full
        computation (|nu|^2 > gate (tr P_pos + tr R) bounds nu^T S^-1 nu > gate, since the
        largest eigenvalue of S is at most its trace).

    Returns
    -------
    d2 : (M, K) nu^T S^-1 nu >= 0 with nu = z_k - p_m, S = P_pos,m + R_k (dimensionless), accurate
    also for near-singular S (``quadratic_form_inverse3``; P_pos and R are summed in extended
    precision where it matters).
    """
    nu = z[None, :, :] - x[:, None, :3]  # (M, K, 3)
    if gate is None:
        return quadratic_form_inverse3(P[:, None, :3, :3], nu, R[None, :, :, :])
    tr = np.trace(P[:, :3, :3], axis1=-2, axis2=-1)[:, None] + np.trace(R, axis1=-2, axis2=-1)[None, :]
    m, k = np.nonzero(np.einsum("mki,mki->mk", nu, nu) <= gate * tr)
    d2 = np.full(nu.shape[:2], np.inf)
    d2[m, k] = quadratic_form_inverse3(P[m, :3, :3], nu[m, k], R[k])
    return d2


def quadratic_form_inverse3(S, v, S2=None):
    """v^T (S + S2)^-1 v >= 0 for stacks of symmetric positive-definite 3x3 matrices S, S2
    (..., 3, 3; S2 optional, broadcast with S and v) and vectors v (..., 3).

    Only the upper triangles are read.

    Notes
    -----
    Closed-form Cholesky S = L L^T and v^T S^-1 v = |L^-1 v|^2 (non-negative by construction),
    vectorized over the stack. Its relative error is a few eps times the condition number of
    the diagonally scaled D^-1 S D^-1, D = diag(S)^1/2 (Cholesky is componentwise backward
    stable; van der Sluis, Demmel), which is at most 27 / det(D^-1 S D^-1) = 27 d f / (p1 p2)
    (d, f: S11, S22; p1, p2: the second and third pivots). Rows where that exceeds
    27 / ``_RATIO_FAST`` (a long thin ellipsoid, e.g. an angles-only pseudo-measurement with
    1e12 m^2 along the line of sight and 1e2 across: its thin directions live in differences of
    ~1e12 entries) are redone in np.longdouble, S + S2 summed there too (64-bit mantissa on x86:
    ~1e-8 relative at condition 1e12; where long double is plain double this is the float64
    result, ~eps cond). Rows not positive definite even then fall back to the symmetric
    eigen-decomposition with eigenvalues floored at eps times the largest (a null direction
    costs ~1/eps: outside any gate). The cofactor inverse adj(S) / det S this replaces lost
    ~eps cond^2 and went negative at condition ~1e10.
    """
    parts = [np.asarray(S, float)] + ([] if S2 is None else [np.asarray(S2, float)])
    shape = np.broadcast_shapes(np.shape(v)[:-1], *(p.shape[:-2] for p in parts))
    v = np.broadcast_to(v, shape + (3,))
    d2, ok = _cholesky_qf(sum(parts), v, _RATIO_FAST)
    d2, bad = np.array(d2, float), ~np.asarray(ok)
    if bad.any():
        Sx = sum(np.broadcast_to(p, shape + (3, 3))[bad].astype(np.longdouble) for p in parts)
        d2x, okx = _cholesky_qf(Sx, v[bad].astype(np.longdouble), 0.0)
        d2x[~okx] = _eigen_qf(Sx[~okx].astype(float), v[bad][~okx])
        d2[bad] = d2x
    return d2


def _cholesky_qf(S, v, min_ratio):
    """|L^-1 v|^2 with S = L L^T in S's precision, and (...) bool: S positive definite with
    det(D^-1 S D^-1) = p1 p2 / (d f) >= min_ratio (the accuracy test above)."""
    a, b, c = S[..., 0, 0], S[..., 0, 1], S[..., 0, 2]
    d, e, f = S[..., 1, 1], S[..., 1, 2], S[..., 2, 2]
    with np.errstate(all="ignore"):
        l00 = np.sqrt(a)
        l10, l20 = b / l00, c / l00
        p1 = d - l10 * l10
        l11 = np.sqrt(p1)
        l21 = (e - l20 * l10) / l11
        p2 = f - l20 * l20 - l21 * l21
        w0 = v[..., 0] / l00
        w1 = (v[..., 1] - l10 * w0) / l11
        w2 = (v[..., 2] - l20 * w0 - l21 * w1) / np.sqrt(p2)
        d2 = (w0 * w0 + w1 * w1 + w2 * w2).astype(float)
        ok = (a > 0) & (p1 > 0) & (p2 > 0) & ((p1 / d) * (p2 / f) >= min_ratio) & np.isfinite(d2)
    return d2, ok


def _eigen_qf(S, v):
    """sum_i (V^T v)_i^2 / max(w_i, eps max|w|) from S = V diag(w) V^T (upper triangle); NaN where
    S or v is not finite."""
    out = np.full(len(S), np.nan)
    fin = np.isfinite(S).all(axis=(-2, -1)) & np.isfinite(v).all(axis=-1)
    w, V = np.linalg.eigh(S[fin], UPLO="U")
    floor = np.maximum(np.finfo(float).eps * np.abs(w).max(axis=-1, keepdims=True), np.finfo(float).tiny)
    with np.errstate(over="ignore"):
        out[fin] = np.sum(np.einsum("kji,kj->ki", V, v[fin]) ** 2 / np.maximum(w, floor), axis=-1)
    return out


def gnn(cost, gate):
    """Global nearest neighbour: the minimum-cost one-to-one assignment inside the gate.

    Parameters
    ----------
    cost : (M, K) association costs (squared Mahalanobis distances).
    gate : float, pairs with cost above it may not be assigned.

    Returns
    -------
    rows, cols : (A,) int arrays, assigned track and detection indices.
    """
    if cost.size == 0:
        return np.zeros(0, int), np.zeros(0, int)
    ok = cost <= gate
    keep_r, keep_c = ok.any(axis=1), ok.any(axis=0)  # solve only the rows/cols that can pair
    ri, ci = np.flatnonzero(keep_r), np.flatnonzero(keep_c)
    if len(ri) == 0:
        return np.zeros(0, int), np.zeros(0, int)
    sub = np.where(ok[np.ix_(ri, ci)], cost[np.ix_(ri, ci)], _BIG)
    r, c = linear_sum_assignment(sub)
    good = sub[r, c] <= gate
    return ri[r[good]], ci[c[good]]


def associate(x, P, z, R, gate):
    """Gate and assign detections to tracks in one call.

    Parameters
    ----------
    x, P : (M, 6), (M, 6, 6) predicted tracks; z, R : (K, 3), (K, 3, 3) detections.
    gate : float, chi-square threshold (``gate_threshold``).

    Returns
    -------
    rows, cols : (A,) assigned track and detection indices; d2 : (M, K) cost matrix.
    """
    if len(x) == 0 or len(z) == 0:
        return np.zeros(0, int), np.zeros(0, int), np.zeros((len(x), len(z)))
    d2 = mahalanobis_costs(x, P, z, R, gate)
    rows, cols = gnn(d2, gate)
    return rows, cols, d2
