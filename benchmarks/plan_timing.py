"""`goldendome plan` wall time (issue 6 figure): 3 architectures x 5 threat sets x 2,000 trials.

Target: < 5 minutes on 2 cores. The plan also scores each architecture's roadmap at the
milestone years against the North Korean set (3 x 4 more evaluations), which is included.
"""

from __future__ import annotations

import tempfile
import time

from goldendome.app import plan as app_plan


def rows() -> list[tuple[str, str, str]]:
    app_plan.compare(["small"], ["nk-icbm"], trials=10, workers=1)  # compile kernels first
    with tempfile.TemporaryDirectory() as d:
        t = time.perf_counter()
        res = app_plan.plan(d, trials=2000, workers=2)
        wall = time.perf_counter() - t
    curve = sum(max(len(ts.get("by_raid_size", [])) - 1, 0) for a in res["architectures"] for ts in a["threat_sets"].values())
    n = len(res["architectures"]) * len(res["threat_sets"]) * (1 + len(app_plan.MILESTONES)) + curve
    out = [(f"plan: 3 architectures x 5 threat sets x 2,000 trials (+ 4 roadmap years per set and the nk-icbm "
            f"raid-size curve: {n} evaluations, 2 processes)",
            f"{wall:.0f} s", "< 300 s")]
    for a in res["architectures"]:
        perf = ", ".join(f"{s} {v['p_no_leak']:.2f}" for s, v in a["threat_sets"].items())
        out.append((f"  {a['name']}: 20-yr cost, P(no leak) per set", f"${a['total_cost_usd'] / 1e9:,.0f}B; {perf}", ""))
    out.append(("  recommendation", res["recommendation"]["architecture"], ""))
    return out


if __name__ == "__main__":
    for row in rows():
        print(" | ".join(row))
