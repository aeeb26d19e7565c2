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
    d2 : (M, K) nu^T S^-1 nu with nu = z_k - p_m, S = P_pos,m + R_k (dimensionless).
    """
    nu = z[None, :, :] - x[:, None, :3]  # (M, K, 3)
    if gate is None:
        return quadratic_form_inverse3(P[:, None, :3, :3] + R[None, :, :, :], nu)
    tr = np.trace(P[:, :3, :3], axis1=-2, axis2=-1)[:, None] + np.trace(R, axis1=-2, axis2=-1)[None, :]
    m, k = np.nonzero(np.einsum("mki,mki->mk", nu, nu) <= gate * tr)
    d2 = np.full(nu.shape[:2], np.inf)
    d2[m, k] = quadratic_form_inverse3(P[m, :3, :3] + R[k], nu[m, k])
    return d2


def quadratic_form_inverse3(S, v):
    """v^T S^-1 v for stacks of symmetric 3x3 matrices S (..., 3, 3) and vectors v (..., 3).

    Notes
    -----
    Closed-form inverse by cofactors (adj(S) / det S), far faster than batched LAPACK
    solves of many tiny systems; exact for symmetric positive-definite S.
    """
    a, b, c = S[..., 0, 0], S[..., 0, 1], S[..., 0, 2]
    d, e, f = S[..., 1, 1], S[..., 1, 2], S[..., 2, 2]
    ca, cb, cc = d * f - e * e, c * e - b * f, b * e - c * d
    cd, ce, cf = a * f - c * c, b * c - a * e, a * d - b * b
    det = a * ca + b * cb + c * cc
    x, y, w = v[..., 0], v[..., 1], v[..., 2]
    num = ca * x * x + cd * y * y + cf * w * w + 2.0 * (cb * x * y + cc * x * w + ce * y * w)
    return num / det


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
