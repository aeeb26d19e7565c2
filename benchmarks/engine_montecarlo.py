"""Benchmark: engine Monte Carlo wall time and peak memory (issue 5).

Targets (issue 5): 100 objects x ~50 effectors x 10,000 trials end to end < 15 s on 2 cores
(the whole pipeline; this row is the engine alone), 1,000 objects x 10,000 trials < 120 s,
peak memory < 4 GB. Opportunities are synthetic: every effector sees every object (J = N x E),
the worst case for the engine's loop over opportunities. Also: the HiGHS plan of the 100-object raid.
"""

from __future__ import annotations

import resource
import time

import numpy as np

from goldendome.c2 import C2Params, Effectors, Opportunities, Threats
from goldendome.c2.assign import GreedyAssigner, MilpAssigner
from goldendome.engine import metrics, simulate


def synthetic(n_obj: int, n_eff: int, seed: int = 0, every: int = 1, inventory: int | None = None, pk=(0.3, 0.8)):
    """A raid of n_obj objects (1 in 4 a decoy) against n_eff effectors in 4 layers."""
    rng = np.random.default_rng(seed)
    obj, eff = np.meshgrid(np.arange(n_obj), np.arange(0, n_eff, every), indexing="ij")
    obj, eff = obj.ravel(), eff.ravel()
    layer = eff % 4
    lf = layer * 400.0 + rng.uniform(0, 100, obj.size)
    fly = rng.uniform(30, 200, obj.size)
    o = Opportunities(obj=obj, eff=eff, layer=layer, launch_first=lf, launch_last=lf + 150.0,
                      intercept_first=lf + fly, intercept_last=lf + fly + 150.0, fly_out_s=fly,
                      pk=rng.uniform(*pk, obj.size), cost_usd=np.full(obj.size, 10e6))
    e = Effectors([f"e{i}" for i in range(n_eff)], [["sbi", "gbi", "sm3", "thaad"][i % 4] for i in range(n_eff)],
                  rng.integers(4, 40, n_eff) if inventory is None else np.full(n_eff, inventory))
    is_rv = np.arange(n_obj) % 4 != 3
    t = Threats(np.arange(n_obj) // 4, is_rv, np.where(is_rv, 0.8, 0.4), rng.integers(0, 20, n_obj),
                rng.uniform(1, 10, n_obj))
    return o, e, t


def _time(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def rows() -> list[tuple[str, str, str]]:
    """(figure, measured, target) rows."""
    out, c2 = [], C2Params()
    o, e, t = synthetic(100, 50)
    dt, res = _time(lambda: simulate(o, e, t, c2, 10_000, 1))
    pl = metrics.p_no_leaker(res)["p"]
    out.append((f"engine: 100 objects x 50 effectors (J={len(o)}) x 10,000 trials",
                f"{dt:.1f} s (P no leak {pl:.3f})", "< 15 s whole pipeline, 2 cores"))
    dg, g = _time(lambda: GreedyAssigner().assign(o, e, t, c2))
    dm, m = _time(lambda: MilpAssigner(time_limit_s=30.0).assign(o, e, t, c2))
    out.append(("plan 100 x 50: greedy / HiGHS MILP expected defended value",
                f"{g.expected_value:.1f} ({dg:.2f} s) / {m.expected_value:.1f} ({dm:.1f} s)", "MILP >= greedy"))
    o, e, t = synthetic(1000, 50)
    dt, res = _time(lambda: simulate(o, e, t, c2, 10_000, 1))
    out.append((f"engine: 1,000 objects x 50 effectors (J={len(o)}) x 10,000 trials", f"{dt:.1f} s", "< 120 s"))
    o, e, t = synthetic(1000, 50, inventory=10**6, pk=(0.01, 0.05))
    dt, res = _time(lambda: simulate(o, e, t, c2, 10_000, 1))
    out.append(("engine stress: same, unlimited inventory, Pk 1-5 % (every opportunity fires)",
                f"{dt:.1f} s ({res.shots_at.mean() * 1000:.0f} shots/raid)", "< 120 s"))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # Linux: kB
    out.append(("peak resident memory of this benchmark (getrusage)", f"{peak:.2f} GB", "< 4 GB"))
    return out


if __name__ == "__main__":
    for figure, measured, target in rows():
        print(f"{figure:70s} | {measured:>30s} | {target}")
