"""Track-to-track duplicate removal: two live tracks that stay statistically one object.

Two tracks may start on one object (near-simultaneous detections of two sensors, or a
re-initiation while the old track still coasts). At the end of every scan each pair of live
tracks, at least one of them firm, is tested on the squared Mahalanobis distance of their
6-D state difference; a pair inside the gate for ``dup_scans`` consecutive scans is one
object, and the track confirmed later (tentative counts as never) is deleted.

Notes
-----
Track-to-track association test on the state difference with covariance P_i + P_j
(cross-covariance of common process noise neglected, which makes the test merge a little
more readily): Bar-Shalom & Li, Multitarget-Multisensor Tracking: Principles and
Techniques (YBS 1995), sec. 8.2; Blackman & Popoli (1999), sec. 9.4 (duplicate-track
deletion). Chi-square gate with 6 degrees of freedom.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import chi2

__all__ = ["pair_distances", "younger_duplicates"]

FIRM = 1  # tracker.FIRM (not imported: the tracker imports this module)


def pair_distances(x, P):
    """Squared Mahalanobis distances (M, M) of the state differences x_i - x_j under P_i + P_j."""
    d = x[:, None, :] - x[None, :, :]
    S = P[:, None] + P[None, :]
    return np.einsum("ijk,ijk->ij", d, np.linalg.solve(S, d[..., None])[..., 0])


def younger_duplicates(state, rows, x, P, params) -> np.ndarray:
    """Mask (len(rows),) of tracks to delete as duplicates at the end of this scan.

    Parameters
    ----------
    state : TrackerState (its ``dup`` pair counters are updated in place).
    rows : (L,) live track ids; x (L, 6), P (L, 6, 6) their estimates at the scan time.
    params : TrackerParams (``dup_gate_prob``, ``dup_scans``).
    """
    out = np.zeros(len(rows), bool)
    if len(rows) < 2:
        state.dup = {}
        return out
    firm = state.status[rows] == FIRM
    d2 = pair_distances(x, P)
    close = (d2 < chi2.ppf(params.dup_gate_prob, 6)) & (firm[:, None] | firm[None, :])
    i, j = np.nonzero(np.triu(close, 1))
    counts = {}
    for a, b in zip(rows[i].tolist(), rows[j].tolist()):
        counts[(a, b)] = state.dup.get((a, b), 0) + 1
    state.dup = counts
    where = {r: k for k, r in enumerate(rows.tolist())}
    rank = np.nan_to_num(state.firm_t, nan=np.inf)
    for (a, b), n in sorted(counts.items()):
        if n >= params.dup_scans and not (out[where[a]] or out[where[b]]):
            young = b if (rank[b], b) > (rank[a], a) else a
            out[where[young]] = True
    return out
