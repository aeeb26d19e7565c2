"""End-to-end `goldendome run` on the medium benchmark raid, stage by stage (issue 5 figure).

Target (issue 5): a 100-object raid against a medium architecture (>= 1,000 SBIs, >= 20
batteries or ships, >= 10 sensors), 10,000 trials, end to end in < 15 s on 2 cores.
"""

from __future__ import annotations

import resource
import time
from pathlib import Path

from goldendome.app import run as app_run
from goldendome.c2 import threats as threat_eval
from goldendome.c2.opportunities import C2Params
from goldendome.effectors import opportunities
from goldendome.engine import montecarlo
from goldendome.scenario import build, load
from goldendome.scenario.assets import asset_table
from goldendome.scenario.effectors import batteries
from goldendome.tracking.tracker import TrackerParams, track_all

SCENARIO = Path(__file__).parent / "scenarios" / "medium-raid.yaml"


def _timed(fn, *args):
    t = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - t, out


def rows() -> list[tuple[str, str, str]]:
    sc = load.load(SCENARIO)
    app_run.run(SCENARIO, 10, None, "/tmp/goldendome-bench-warmup.duckdb")  # compile kernels first
    t_fly, (traj, rng) = _timed(build.fly_scenario, sc)
    t_obs, (dets, _) = _timed(build.observe, sc, traj, rng)
    t_trk, _ = _timed(track_all, dets, TrackerParams(), 10.0)
    traj, rng = build.fly_scenario(sc)
    pic = build.picture(sc, traj, rng)
    ids, lat, lon, values, _ = asset_table(sc)
    th = threat_eval.evaluate(traj, pic.p_rv_by_object(), lat, lon, values)
    t_opp, (opps, effs) = _timed(lambda: opportunities.build(batteries(sc), traj, pic.fire_control_by_object(),
                                                             sc.architecture.c2.latency_s))
    t_eng, _ = _timed(montecarlo.simulate, opps, effs, th, C2Params(), sc.trials, sc.seed)
    t_all, out = _timed(app_run.run, SCENARIO, None, None, "/tmp/goldendome-bench.duckdb")
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
    return [
        (f"medium raid ({traj.n} objects, {len(effs)} effectors, 11 sensors), {sc.trials:,} trials, end to end",
         f"{t_all:.1f} s", "< 15 s"),
        ("  fly threats (targeting + flight)", f"{t_fly:.1f} s", ""),
        (f"  sensors: {len(dets):,} detections", f"{t_obs:.1f} s", ""),
        ("  tracker", f"{t_trk:.1f} s", ""),
        (f"  engagement opportunities ({len(opps)}, SBI worst case over launch time)", f"{t_opp:.1f} s", ""),
        ("  Monte Carlo engine", f"{t_eng:.2f} s", ""),
        ("  result", f"P(no leak) {out['p_no_leak']}, E[leakers] {out['expected_leakers']}", ""),
        ("peak resident memory", f"{peak_gb:.2f} GB", "< 4 GB"),
    ]


if __name__ == "__main__":
    for row in rows():
        print(" | ".join(row))
