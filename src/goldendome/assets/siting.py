"""Battery siting: place terminal and underlayer batteries to maximise covered value (MILP).

Maximal-covering location problem with a budget (Church and ReVelle 1974), one coverage
term per defence layer:

    maximise   sum_i v_i sum_L w_L y_iL
    subject to y_iL <= sum_{(s, t): layer(t) = L} a_ist x_st     (i, L)
               sum_{s, t} c_t x_st <= B
               sum_t x_st <= m                                    (s)   (m = max_per_site)
               x_st in {0, 1},  0 <= y_iL <= 1

x_st: a battery of type t at candidate site s; a_ist = 1 when location i lies within type
t's defended footprint radius of site s; y_iL: location i covered by layer L. The layer
weights w_L (default 1 / number of layers) make a location covered by every layer worth its
full value v_i, and by one of two layers half of it: a second layer is the shoot-look-shoot
depth that a single battery cannot give. With one layer this is the classic maximal cover.

Domain code: plain arrays in, no file read (scenario/assets.py loads costs and envelopes).

Notes
-----
R. Church and C. ReVelle, The maximal covering location problem, Papers of the Regional
Science Association 32 (1974) 101-118. Solved with HiGHS (highspy) as a MILP.
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass

import numpy as np

from ..c2.assign import quiet_highs
from ..physics import earth

# Re-entry flight-path angle below horizontal of a minimum-energy 10,000 km ICBM on a
# spherical Earth: (pi - psi) / 4 with psi = 10,000 km / R (DESIGN.md closed form), ~22.5 deg.
REENTRY_DEG = math.degrees((math.pi - 10_000e3 / 6_371e3) / 4)


@dataclass(frozen=True)
class BatteryType:
    """A battery type for siting.

    Attributes
    ----------
    id : str
    cost_usd : float
        One battery: ground equipment plus one full load of interceptors, USD.
    radius_m : float
        Defended footprint radius around the battery, m.
    layer : str
        'terminal', 'underlayer', ... (coverage counts once per layer).
    """

    id: str
    cost_usd: float
    radius_m: float
    layer: str = "terminal"


@dataclass(frozen=True)
class Siting:
    """A siting plan: chosen (site, type) pairs and what they cover.

    Attributes
    ----------
    chosen : np.ndarray
        (S, T) bool, a battery of type t at site s.
    objective : float
        sum_i v_i sum_L w_L y_iL, the layered covered value.
    covered_any, covered_all : float
        Value covered by at least one layer / by every layer.
    cost_usd : float
    solve_s : float
        Wall time of the solve, s.
    mip_gap : float
        Relative gap between the plan and HiGHS' bound (0: proven optimal; > mip_rel_gap when
        the time limit stopped the search).
    """

    chosen: np.ndarray
    objective: float
    covered_any: float
    covered_all: float
    cost_usd: float
    solve_s: float = 0.0
    mip_gap: float = 0.0


def footprint_radius_m(max_range_m, min_alt_m, reentry_deg: float = REENTRY_DEG):
    """Defended footprint radius of a battery, m: max_range_m - min_alt_m / tan(gamma).

    A re-entry vehicle descending at flight-path angle gamma onto an aim point at ground
    distance d from the battery crosses the interceptor's lowest intercept altitude h_min a
    horizontal distance h_min / tan(gamma) uprange of the aim point. In the worst case (the
    RV arrives from beyond the aim point, away from the battery) that crossing lies
    d + h_min / tan(gamma) from the battery, and it must be within the interceptor's ground
    reach. A kinematic upper bound: it ignores the fly-out time and the warning timeline.
    """
    r = np.asarray(max_range_m, float) - np.asarray(min_alt_m, float) / math.tan(math.radians(reentry_deg))
    return np.maximum(r, 0.0)


def coverage(loc_lat_deg, loc_lon_deg, site_lat_deg, site_lon_deg, radius_m) -> np.ndarray:
    """a (L, S, T) bool: location l within type t's radius_m (T,) of site s (great circle)."""
    la, lo = np.radians(np.asarray(loc_lat_deg, float)), np.radians(np.asarray(loc_lon_deg, float))
    sa, so = np.radians(np.asarray(site_lat_deg, float)), np.radians(np.asarray(site_lon_deg, float))
    d = earth.great_circle_distance(la[:, None], lo[:, None], sa[None, :], so[None, :])
    return d[:, :, None] <= np.asarray(radius_m, float)[None, None, :]


def _layers(layers, layer_weights):
    names = list(dict.fromkeys(layers))
    lw = {n: 1.0 / len(names) for n in names} if layer_weights is None else dict(layer_weights)
    onehot = np.array([[lay == n for n in names] for lay in layers], float)  # (T, nL)
    return names, onehot, np.array([lw.get(n, 0.0) for n in names])


def evaluate(chosen, values, cover, layers, layer_weights=None) -> tuple[float, float, float]:
    """(objective, covered_any, covered_all) of a plan ``chosen`` (S, T) bool."""
    _, onehot, lw = _layers(layers, layer_weights)
    hit = np.einsum("lst,st,tk->lk", cover.astype(float), np.asarray(chosen, float), onehot) > 0
    v = np.asarray(values, float)
    return float(v @ (hit @ lw)), float(v @ hit.any(axis=1)), float(v @ hit.all(axis=1))


def site(values, cover, costs, layers, budget_usd: float, max_per_site: int = 1,
         layer_weights: dict | None = None, time_limit_s: float = 30.0, mip_rel_gap: float = 1e-6) -> Siting:
    """Best plan under the budget (MILP, HiGHS).

    Parameters
    ----------
    values : (L,) value of each defended location.
    cover : (L, S, T) bool from :func:`coverage`.
    costs : (T,) USD per battery of each type; layers : (T,) layer names.
    budget_usd : total spend cap; max_per_site : batteries of any type at one site.
    """
    t0 = time.perf_counter()
    m = _model(np.asarray(values, float), np.asarray(cover, bool), np.asarray(costs, float), list(layers),
               float(budget_usd), max_per_site, layer_weights)
    col, gap = _solve(m, time_limit_s, mip_rel_gap)
    S, T = np.shape(cover)[1:]
    chosen = col[: S * T].reshape(S, T) > 0.5
    return _plan(chosen, values, cover, costs, layers, layer_weights, time.perf_counter() - t0, gap)


def _plan(chosen, values, cover, costs, layers, layer_weights, dt, gap=0.0) -> Siting:
    obj, anyc, allc = evaluate(chosen, values, cover, layers, layer_weights)
    return Siting(chosen, obj, anyc, allc, float((chosen * np.asarray(costs, float)).sum()), dt, gap)


def _model(v, a, c, layers, budget, max_per_site, layer_weights) -> dict:
    """Sparse rows of the MILP; columns x (S*T, index s*T + t), then y (L*nL, index l*nL + k)."""
    L, S, T = a.shape
    _, onehot, lw = _layers(layers, layer_weights)
    nL = onehot.shape[1]
    nx = S * T
    # coverage rows, one per (l, k): y_lk - sum_{s,t in k} a_lst x_st <= 0
    li, si, ti = np.nonzero(a)
    ki = np.argmax(onehot[ti], axis=1)
    cov_rows, cov_cols, cov_vals = li * nL + ki, si * T + ti, -np.ones(li.size)
    yr = np.arange(L * nL)
    rows = [cov_rows, yr, np.full(nx, L * nL)]
    cols = [cov_cols, nx + yr, np.arange(nx)]
    vals = [cov_vals, np.ones(L * nL), np.tile(c, S)]
    lo, hi = [np.full(L * nL, -np.inf), [-np.inf]], [np.zeros(L * nL), [budget]]
    n_rows = L * nL + 1
    if max_per_site is not None:
        rows.append(n_rows + np.repeat(np.arange(S), T))
        cols.append(np.arange(nx))
        vals.append(np.ones(nx))
        lo.append(np.full(S, -np.inf))
        hi.append(np.full(S, float(max_per_site)))
        n_rows += S
    cost = np.concatenate([np.zeros(nx), (v[:, None] * lw[None, :]).ravel()])
    return {"nx": nx, "n_cols": nx + L * nL, "n_rows": n_rows, "rows": np.concatenate(rows),
            "cols": np.concatenate(cols), "vals": np.concatenate(vals), "row_lo": np.concatenate(lo),
            "row_hi": np.concatenate(hi), "cost": cost}


def _solve(m: dict, time_limit_s: float, mip_rel_gap: float) -> tuple[np.ndarray, float]:
    """Pass the model to HiGHS (column-wise, maximise); the column values and the final MIP gap."""
    import highspy
    from scipy.sparse import csc_matrix

    A = csc_matrix((m["vals"], (m["rows"], m["cols"])), shape=(m["n_rows"], m["n_cols"]))
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = m["n_cols"], m["n_rows"]
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = m["cost"], np.zeros(m["n_cols"]), np.ones(m["n_cols"])
    lp.row_lower_, lp.row_upper_ = m["row_lo"], m["row_hi"]
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = A.indptr, A.indices, A.data
    lp.integrality_ = [highspy.HighsVarType.kInteger] * m["nx"] + [highspy.HighsVarType.kContinuous] * (m["n_cols"] - m["nx"])
    h = quiet_highs()
    h.setOptionValue("time_limit", float(time_limit_s))
    h.setOptionValue("mip_rel_gap", float(mip_rel_gap))
    h.passModel(lp)
    h.run()
    gap = float(h.getInfo().mip_gap)
    return np.asarray(h.getSolution().col_value), (gap if math.isfinite(gap) else 0.0)


def brute_force(values, cover, costs, layers, budget_usd: float, max_per_site: int = 1,
                layer_weights: dict | None = None) -> Siting:
    """Reference: try every subset of (site, type) pairs (2^(S*T); keep S*T <= ~16)."""
    t0 = time.perf_counter()
    S, T = np.shape(cover)[1:]
    c = np.tile(np.asarray(costs, float), S)
    best, best_obj = np.zeros((S, T), bool), -1.0
    for bits in itertools.product((False, True), repeat=S * T):
        x = np.array(bits)
        if c @ x > budget_usd + 1e-6 or (max_per_site is not None and x.reshape(S, T).sum(1).max() > max_per_site):
            continue
        obj = evaluate(x.reshape(S, T), values, cover, layers, layer_weights)[0]
        if obj > best_obj + 1e-12:
            best, best_obj = x.reshape(S, T), obj
    return _plan(best, values, cover, costs, layers, layer_weights, time.perf_counter() - t0)
