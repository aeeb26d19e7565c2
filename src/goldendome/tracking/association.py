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

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.stats import chi2

__all__ = ["associate", "gate_threshold", "gnn", "mahalanobis_costs"]

_BIG = 1.0e12  # cost standing in for "outside the gate" (finite: the solver needs a feasible matrix)


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


def mahalanobis_costs(x, P, z, R):
    """Squared Mahalanobis distances of every detection from every predicted track.

    Parameters
    ----------
    x : (M, 6) predicted states [m, m/s]; P : (M, 6, 6) their covariances.
    z : (K, 3) position measurements, m; R : (K, 3, 3) their covariances, m^2.

    Returns
    -------
    d2 : (M, K) nu^T S^-1 nu with nu = z_k - p_m, S = P_pos,m + R_k (dimensionless).
    """
    nu = z[None, :, :] - x[:, None, :3]  # (M, K, 3)
    S = P[:, None, :3, :3] + R[None, :, :, :]  # (M, K, 3, 3)
    sol = np.linalg.solve(S, nu[..., None])[..., 0]
    return np.einsum("mki,mki->mk", nu, sol)


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
    d2 = mahalanobis_costs(x, P, z, R)
    rows, cols = gnn(d2, gate)
    return rows, cols, d2
