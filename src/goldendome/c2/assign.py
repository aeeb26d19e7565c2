"""Weapon-target assignment for a planned defence: greedy marginal return and a HiGHS MILP.

Both planners answer `assign(opps, effectors, threats, c2) -> Plan`: how many shots each
engagement opportunity gets, to maximize the expected defended value
    sum_n value_n * p_rv_n * (1 - prod_j (1 - pk_j)^x_j)
subject to inventory, shots per threat and the shots each window fits under the doctrine.
"""

from __future__ import annotations

import heapq
import os
import sys
from dataclasses import dataclass

import numpy as np

from goldendome.c2 import doctrine
from goldendome.c2.opportunities import C2Params, Effectors, Opportunities, Threats

PK_MAX = 1.0 - 1e-9  # keeps -log(1 - pk) finite for a certain kill


@dataclass(frozen=True)
class Plan:
    """Shots per opportunity and the expected defended value they buy."""
    shots: np.ndarray       # (J,) int
    expected_value: float   # sum_n value_n p_rv_n P(kill n) under the plan
    method: str


def expected_value(opps: Opportunities, threats: Threats, shots: np.ndarray) -> float:
    """Expected defended value of a plan with independent shots, all fired.

    Notes
    -----
    P(kill n) = 1 - prod_j (1 - pk_j)^x_j over opportunities j on n (independent shots,
    Wilkening 1999 eq. 1), weighted by the discrimination confidence p_rv_n.
    """
    return float(_weights(threats) @ _p_kill(opps, len(threats), shots))


def _weights(threats: Threats) -> np.ndarray:
    return np.asarray(threats.value, float) * np.asarray(threats.p_rv, float)


def _log_survive(opps: Opportunities) -> np.ndarray:
    """-ln(1 - pk_j) >= 0, (J,)."""
    return -np.log1p(-np.clip(np.asarray(opps.pk, float), 0.0, PK_MAX))


def _p_kill(opps: Opportunities, n_obj: int, shots: np.ndarray) -> np.ndarray:
    load = np.bincount(opps.obj, weights=shots * _log_survive(opps), minlength=n_obj)
    return 1.0 - np.exp(-load)


def _upper(opps: Opportunities, threats: Threats, c2: C2Params) -> np.ndarray:
    """Most shots each opportunity may take: window capacity, 0 below the engage threshold."""
    ok = np.asarray(threats.p_rv, float)[opps.obj] >= c2.engage_threshold
    cap = np.minimum(doctrine.capacity(opps, c2), c2.max_shots_per_threat)
    return np.where(ok, cap, 0).astype(np.int64)


class GreedyAssigner:
    """Maximum marginal return: repeatedly add the shot with the largest expected value gain.

    Notes
    -----
    Gain of one more shot on opportunity j against object n: value_n p_rv_n pk_j S_n, with
    S_n = prod (1 - pk)^x the planned survival of n (den Broeger, Ellison and Emerling 1959,
    'maximum marginal return'; optimal for this separable concave objective when the only
    limit is total shots). Gains only shrink as shots are added, so a lazy heap is exact.
    Ties go to the preferred layer, then the earlier launch (time order).
    """

    def assign(self, opps: Opportunities, effectors: Effectors, threats: Threats, c2: C2Params) -> Plan:
        doctrine.check(c2)
        upper, w, pk = _upper(opps, threats, c2), _weights(threats), np.asarray(opps.pk, float)
        inv = np.asarray(effectors.inventory, np.int64).copy()
        surv, per_obj = np.ones(len(threats)), np.zeros(len(threats), np.int64)
        shots = np.zeros(len(opps), np.int64)
        tie = np.argsort(doctrine.processing_order(opps, threats, c2))
        heap = [(-w[n] * pk[j], tie[j], j, 1.0) for j, n in enumerate(opps.obj) if upper[j] > 0 and w[n] * pk[j] > 0]
        heapq.heapify(heap)
        while heap:
            _, t, j, s_seen = heapq.heappop(heap)
            n, e = opps.obj[j], opps.eff[j]
            if shots[j] >= upper[j] or inv[e] <= 0 or per_obj[n] >= c2.max_shots_per_threat:
                continue
            if s_seen != surv[n]:  # stale: re-queue at the current gain
                heapq.heappush(heap, (-w[n] * pk[j] * surv[n], t, j, surv[n]))
                continue
            shots[j] += 1
            inv[e] -= 1
            per_obj[n] += 1
            surv[n] *= 1.0 - pk[j]
            heapq.heappush(heap, (-w[n] * pk[j] * surv[n], t, j, surv[n]))
        return Plan(shots, expected_value(opps, threats, shots), "greedy")


def _breakpoints(c: np.ndarray, max_shots: int, grid: int) -> np.ndarray:
    """Breakpoints L of f(L) = 1 - exp(-L) for one object: k*c_j (k <= max) and a grid uniform in f."""
    exact = (np.arange(max_shots + 1)[:, None] * c[None, :]).ravel()
    top = max(exact.max(initial=0.0), 1e-12)
    f = np.linspace(0.0, 1.0 - np.exp(-top), grid + 1)
    return np.unique(np.concatenate([exact, -np.log1p(-f)]))


class MilpAssigner:
    """Exact-at-breakpoints MILP of the expected defended value, solved by HiGHS (highspy).

    Variables: integer shots x_j in [0, capacity_j] and, per object, y_n in [0, 1], the kill
    probability. With the load L_n = sum_j x_j (-ln(1 - pk_j)) the kill probability is
    f(L_n) = 1 - exp(-L_n), concave; maximizing sum_n w_n y_n with y_n below every chord of f
    between consecutive breakpoints makes y_n the piecewise-linear interpolant of f.

    Notes
    -----
    Why this and not 'maximize expected kills sum w pk x': the linear surrogate has no
    diminishing return (a second shot at a dead object counts as much as the first), so it
    piles shots on the top object; the chord formulation keeps the true objective (Manne
    1958's log transformation of the WTA; Ahuja et al. 2007). Because f is concave and
    maximized, the chords need no SOS2 or binary variables. Breakpoints include every k*c_j
    (k <= max_shots_per_threat), so single-Pk objects are exact; the uniform-in-f grid bounds
    the error elsewhere (<~ 1/(8 grid^2) of value with 'grid' segments). Rows: inventory per
    effector, shots per threat, chords. The reported value is the true objective of x.
    """

    def __init__(self, grid: int = 32, time_limit_s: float = 60.0, mip_rel_gap: float = 1e-6):
        self.grid, self.time_limit_s, self.mip_rel_gap = grid, time_limit_s, mip_rel_gap

    def assign(self, opps: Opportunities, effectors: Effectors, threats: Threats, c2: C2Params) -> Plan:
        doctrine.check(c2)
        x = _solve(_model(opps, effectors, threats, c2, self.grid), self)
        shots = np.rint(x[:len(opps)]).astype(np.int64)
        return Plan(shots, expected_value(opps, threats, shots), "milp")


def _model(opps, effectors, threats, c2, grid):
    """Columns [x_0..x_{J-1}, y_0..y_{N-1}]; rows as (row, col, val) triplets with bounds."""
    J, N, E = len(opps), len(threats), len(effectors)
    c, upper, w = _log_survive(opps), _upper(opps, threats, c2), _weights(threats)
    rows, cols, vals = [opps.eff, opps.obj + E], [np.arange(J)] * 2, [np.ones(J)] * 2
    lo = [np.full(E + N, -np.inf)]
    hi = [np.asarray(effectors.inventory, float), np.full(N, float(c2.max_shots_per_threat))]
    r0 = E + N
    for n in range(N):
        js = np.flatnonzero((opps.obj == n) & (upper > 0))
        L = _breakpoints(c[js], c2.max_shots_per_threat, grid)
        if js.size == 0 or L.size < 2:
            continue
        fL = -np.expm1(-L)
        slope = np.diff(fL) / np.diff(L)
        K = slope.size
        r = r0 + np.arange(K)  # y_n - slope_k L_n <= f(L_k) - slope_k L_k
        rows += [r, np.repeat(r, js.size)]
        cols += [np.full(K, J + n), np.tile(js, K)]
        vals += [np.ones(K), (-slope[:, None] * c[js][None, :]).ravel()]
        lo.append(np.full(K, -np.inf))
        hi.append(fL[:-1] - slope * L[:-1])
        r0 += K
    return {"J": J, "N": N, "n_rows": r0, "rows": np.concatenate(rows), "cols": np.concatenate(cols),
                "vals": np.concatenate(vals), "row_lo": np.concatenate(lo), "row_hi": np.concatenate(hi),
                "col_hi": np.concatenate([upper.astype(float), np.ones(N)]), "cost": np.concatenate([np.zeros(J), w])}


def _solve(m: dict, opt) -> np.ndarray:
    """Pass the model to HiGHS (column-wise) and return the column values."""
    import highspy
    from scipy.sparse import csc_matrix

    A = csc_matrix((m["vals"], (m["rows"], m["cols"])), shape=(m["n_rows"], m["J"] + m["N"]))
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = A.shape[1], A.shape[0]
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = m["cost"], np.zeros(A.shape[1]), m["col_hi"]
    lp.row_lower_, lp.row_upper_ = m["row_lo"], m["row_hi"]
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = A.indptr, A.indices, A.data
    lp.integrality_ = [highspy.HighsVarType.kInteger] * m["J"] + [highspy.HighsVarType.kContinuous] * m["N"]
    h = quiet_highs()
    h.setOptionValue("time_limit", float(opt.time_limit_s))
    h.setOptionValue("mip_rel_gap", float(opt.mip_rel_gap))
    h.passModel(lp)
    h.run()
    return np.asarray(h.getSolution().col_value)


def quiet_highs():
    """A silent ``highspy.Highs()``: HiGHS >= 1.8 prints a banner on stdout at the first
    construction in a process, which would corrupt `--json` output, so fd 1 is muted around it."""
    import highspy

    sys.stdout.flush()
    saved, null = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    try:
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(null)
    return h
