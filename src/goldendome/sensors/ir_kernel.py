"""Numba kernel of a space IR layer's looks: which satellites report each target sample.

The same tests as :func:`goldendome.sensors.space_ir.detect` (geometry of
:func:`goldendome.space.coverage.visibility`, background rule, irradiance threshold), in the
same floating-point order, evaluated per (target sample, satellite) without materialising
(satellites x targets x times) arrays, and keeping only the ``keep`` nearest satellites that
see each sample (ties to the lower satellite index, as a stable sort would).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from ..physics.constants import WGS84_A


@njit(cache=True, inline="always")
def _sees(rs, rt, half, max_range, clutter, hot_ok, e0, thresh):
    """(seen, range) of one target position rt from one satellite position rs (ECI m).

    half : field-of-regard half-angle about nadir, rad.  hot_ok : hot target and a
    look-down sensor (may be seen against the Earth).  e0 : (B,) tau I of the target per
    band, W/sr.  thresh : (B,) minimum irradiance per band, W/m^2 (inf: no such band).
    """
    dx, dy, dz = rt[0] - rs[0], rt[1] - rs[1], rt[2] - rs[2]
    dd = dx * dx + dy * dy + dz * dz
    rsd = rs[0] * dx + rs[1] * dy + rs[2] * dz
    s = -rsd / max(dd, 1e-30)
    px, py, pz = rs[0] + s * dx, rs[1] + s * dy, rs[2] + s * dz
    dist = math.sqrt(px * px + py * py + pz * pz)
    if s > 0.0 and s < 1.0 and dist < WGS84_A:
        return False, 0.0  # the Earth blocks the line of sight
    rng = math.sqrt(dd)
    if rng > max_range:
        return False, rng
    nrs = math.sqrt(rs[0] * rs[0] + rs[1] * rs[1] + rs[2] * rs[2])
    c = -rsd / max(nrs * rng, 1e-30)
    if not math.acos(min(max(c, -1.0), 1.0)) <= half:
        return False, rng
    tangent = dist - WGS84_A if s > 1.0 else np.inf
    if not (tangent >= clutter or hot_ok):
        return False, rng
    r2 = rng * rng
    for b in range(e0.shape[0]):
        if e0[b] / r2 >= thresh[b]:
            return True, rng
    return False, rng


@njit(cache=True, parallel=True)
def nearest_looks(sat, half, looks, pos, k_idx, hot, e0, thresh, max_range, clutter, below_ok, keep):
    """(M, keep) satellite indices (-1: none) of the ``keep`` nearest satellites seeing each sample.

    Parameters
    ----------
    sat : (S, T, 3) ECI m.  half : (S, T) field-of-regard half-angle, rad.
    looks : (S, T) bool, the satellite looks at time index t (its revisit instants).
    pos : (M, 3) target sample positions, ECI m.  k_idx : (M,) their time indices.
    hot : (M,) bool.  e0 : (M, B) tau I per band, W/sr.  thresh : (S, B) W/m^2.
    max_range, clutter : (S,) m.  below_ok : (S,) bool.  keep : int.
    """
    m_n = pos.shape[0]
    out = np.full((m_n, keep), -1, np.int64)
    for m in prange(m_n):
        k = k_idx[m]
        best = np.full(keep, np.inf)
        for s in range(sat.shape[0]):
            if not looks[s, k]:
                continue
            ok, rng = _sees(sat[s, k], pos[m], half[s, k], max_range[s], clutter[s], hot[m] and below_ok[s],
                            e0[m], thresh[s])
            if not ok or not rng < best[keep - 1]:
                continue
            j = keep - 1
            while j > 0 and rng < best[j - 1]:
                best[j] = best[j - 1]
                out[m, j] = out[m, j - 1]
                j -= 1
            best[j] = rng
            out[m, j] = s
    return out


@njit(cache=True, parallel=True)
def colocated(x, members, start, rank, cols, merge_m):
    """(N, C) True where object n sits within ``merge_m`` of a lower-indexed object of its missile.

    x : (N, T, 3+) positions, m.  members : object indices grouped by missile, ascending in
    each group; object n is members[start[n] + rank[n]], preceded there by the lower-indexed
    objects of its missile.  cols : (C,) time indices to test.
    """
    out = np.zeros((x.shape[0], cols.shape[0]), np.bool_)
    for n in prange(x.shape[0]):
        for i in range(start[n], start[n] + rank[n]):
            a = members[i]
            for j in range(cols.shape[0]):
                k = cols[j]
                d0, d1, d2 = x[a, k, 0] - x[n, k, 0], x[a, k, 1] - x[n, k, 1], x[a, k, 2] - x[n, k, 2]
                if math.sqrt(d0 * d0 + d1 * d1 + d2 * d2) < merge_m:
                    out[n, j] = True
    return out
