"""`goldendome run`: threats -> sensors -> tracks -> engagement opportunities -> C2 -> Monte Carlo.

One scenario file in, one JSON summary out, and the run kept in the DuckDB store. Same
scenario and seed give the same summary (apart from the run id).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..c2 import assign
from ..c2 import threats as threat_eval
from ..c2.opportunities import C2Params
from ..effectors import killchain, opportunities
from ..effectors.batteries import SbiLayer
from ..engine import metrics, montecarlo
from ..errors import InputError
from ..scenario import build, load
from ..scenario.schema import MAX_SEED, MAX_TRIALS
from ..scenario.threats import objects_of
from ..scenario.assets import asset_table
from ..scenario.effectors import batteries, site_radians
from ..study import replay as replay_mod
from ..study.numbers import rounded
from ..study.store import DEFAULT_PATH, Store

# Pipeline stages and their rough share of the wall time (the medium raid, BENCHMARKS.md).
STAGES = (("fly threats", 0.05), ("sensors and tracks", 0.75), ("engagement opportunities", 0.12),
          ("Monte Carlo", 0.05), ("store", 0.03))


def no_progress(stage: str, done: float) -> None:
    """Progress callback signature: a stage starts; ``done`` is the fraction of the run before it."""


def _step(progress, k: int) -> None:
    progress(STAGES[k][0], sum(w for _, w in STAGES[:k]))


def run(path, trials: int | None = None, seed: int | None = None, store_path=DEFAULT_PATH, progress=no_progress) -> dict:
    """Run a scenario; returns p_no_leak, expected_leakers (+ ci95), interceptors_used, cost_used_usd,
    defended_value_fraction, leakers_by_asset and run_id. ``progress(stage, fraction_done)`` is
    called as each stage starts and with ('done', 1.0) at the end."""
    sc = load.load(path)
    sc = sc.model_copy(update={k: v for k, v in (("trials", trials), ("seed", seed)) if v is not None})
    result, outcomes, arts = evaluate_full(sc, replay=True, progress=progress)
    _step(progress, 4)
    with Store(store_path) as store:
        run_id = store.save_run(Path(path).read_text(encoding="utf-8"), sc.seed, sc.trials, result,
                                outcomes, name=sc.name, artifacts=arts)
    progress("done", 1.0)
    return {**result, "run_id": run_id}


BYTES_PER_OBJECT_TRIAL = 96  # engine state and outcomes (~34 B, twice: object- and trial-major) + outcome rows


def max_memory_bytes() -> float:
    """The memory budget of one run: GOLDENDOME_MAX_MEMORY_GB (default 8 GB)."""
    import os

    try:
        gb = float(os.environ.get("GOLDENDOME_MAX_MEMORY_GB", "8"))
    except ValueError:
        raise InputError("GOLDENDOME_MAX_MEMORY_GB must be a number of GB") from None
    return gb * 2**30


def check_budget(sc, objects: int | None = None) -> None:
    """Refuse, before computing, a run whose seed or trials are out of range or whose objects x
    trials would not fit the memory budget (objects estimated from the catalog before flying)."""
    if not 1 <= int(sc.trials) <= MAX_TRIALS:
        raise InputError(f"trials must be a whole number from 1 to {MAX_TRIALS:,}, got {sc.trials}")
    if not 0 <= int(sc.seed) <= MAX_SEED:
        raise InputError(f"seed must be a whole number from 0 to 2^63 - 1, got {sc.seed}")
    n = objects if objects is not None else objects_of(sc)
    need, limit = float(n) * sc.trials * BYTES_PER_OBJECT_TRIAL, max_memory_bytes()
    if need > limit:
        raise InputError(f"this run would need ~{need / 2**30:,.1f} GB ({n:,} objects x {sc.trials:,} trials x "
                         f"{BYTES_PER_OBJECT_TRIAL} B); the limit is {limit / 2**30:g} GB "
                         "(GOLDENDOME_MAX_MEMORY_GB): fewer trials or a smaller raid")


def evaluate(sc) -> tuple[dict, dict]:
    """The summary metrics of a loaded scenario and its per-trial outcome table."""
    summary, outcomes, _ = evaluate_full(sc)
    return summary, outcomes


def evaluate_full(sc, replay: bool = False, progress=no_progress) -> tuple[dict, dict, dict]:
    """Summary metrics, per-trial outcome table and artifacts ({'replay': ...} when asked)."""
    check_budget(sc)
    _step(progress, 0)
    traj, rng = build.fly_scenario(sc)
    check_budget(sc, traj.n)
    _step(progress, 1)
    pic = build.picture(sc, traj, rng)
    _step(progress, 2)
    table = asset_table(sc)
    th = threat_eval.evaluate(traj, pic.p_rv_by_object(), *table[1:4])
    bats = batteries(sc)
    fire_control = pic.fire_control_by_object()
    opps, effs = opportunities.build(bats, traj, fire_control, sc.architecture.c2.latency_s)
    _step(progress, 3)
    c2 = C2Params(doctrine=sc.architecture.c2.doctrine, max_shots_per_threat=sc.architecture.c2.max_shots_per_threat)
    out = montecarlo.simulate(opps, effs, th, c2, sc.trials, sc.seed, plan=_plan(sc, opps, effs, th, c2))
    arts = {"replay": replay_mod.build(sc, traj, th, out, bats, effs, table, site_radians, opps)} if replay else {}
    summary = _summary(out, th, effs, table[0])
    summary["cost_exchange_ratio"] = _cost_exchange(sc, summary["cost_used_usd"])
    chain = sbi_kill_chain(sc, traj, pic, bats, effs, fire_control)
    if chain:
        summary["sbi_kill_chain"] = chain
    return summary, _outcome_table(out), arts


def sbi_kill_chain(sc, traj, pic, bats, effs, fire_control: dict) -> list[dict]:
    """Per missile, the boost-phase kill chain of the first SBI layer (s after launch) and the SBIs
    in reach at its firing (the run's own numbers); [] without an SBI layer."""
    layer = next((b for b in bats if isinstance(b, SbiLayer)), None)
    if layer is None:
        return []
    fc = opportunities.ready_times(fire_control, "sbi", traj.n)
    chain = killchain.from_tracks(traj, fc, sc.architecture.c2.latency_s, layer.interceptor,
                                  pic.first_detection_by_object(), pic.firm_by_object())
    stock = {nm: int(k) for nm, k in zip(effs.name, effs.inventory)}
    rows = chain.rows(np.asarray(traj.objects["missile_id"])[chain.lead])
    return [{**r, "sbis_in_reach": stock.get(f"{layer.name}#m{k}", 0)} for k, r in enumerate(rows)]


def _plan(sc, opps, effs, th, c2):
    """Shot caps per opportunity of a planned defence (c2.planner greedy or milp), else None."""
    planner = sc.architecture.c2.planner
    if planner == "none" or len(opps) == 0:
        return None
    engine = assign.MilpAssigner() if planner == "milp" else assign.GreedyAssigner()
    return engine.assign(opps, effs, th, c2).shots


def _summary(out, th, effs, asset_ids) -> dict:
    m = metrics.summary(out, th, effs)
    pn, el = m["p_no_leaker"], m["expected_leakers"]
    return {
        "p_no_leak": _r(pn["p"]), "p_no_leak_ci95": [_r(pn["lo"]), _r(pn["hi"])],
        "expected_leakers": _r(el["mean"]), "expected_leakers_ci95": [_r(el["lo"]), _r(el["hi"])],
        "interceptors_used": {k: _r(v) for k, v in m["interceptors_by_type"].items()},
        "cost_used_usd": _r(m["cost_usd"], 0), "defended_value_fraction": _r(m["defended_value_fraction"]),
        "leakers_by_asset": {a: _r(v) for a, v in zip(asset_ids, m["leakers_per_asset"])},
        "value_at_risk": _r(_value_at_risk(th)),
        "why_leaked": metrics.why_leaked(out),
        "trials": int(out.trials), "seed": int(out.seed), "objects": int(out.alive.shape[1]),
    }


def _cost_exchange(sc, defender_usd: float):
    """Defender's mean interceptor cost over the attacker's missile cost (Nitze's criterion: > 1
    favours the offence); None unless every salvo gives ``unit_cost_usd``."""
    costs = [t.unit_cost_usd for t in sc.threats]
    if any(c is None for c in costs):
        return None
    attack = sum(c * t.count for c, t in zip(costs, sc.threats))
    return _r(defender_usd / attack) if attack > 0 else None


def _value_at_risk(th) -> float:
    """Total value of the assets at least one real RV aims at (each counted once)."""
    aimed = (th.asset >= 0) & np.asarray(th.is_rv, bool)
    return float(sum(dict(zip(th.asset[aimed].tolist(), np.asarray(th.value)[aimed].tolist())).values()))


_r = rounded


def _outcome_table(out) -> dict:
    """Per (trial, object) rows: alive, leaked, shots, kill layer."""
    t, n = np.indices(out.alive.shape)
    return {"trial": t.ravel().astype(np.int32), "object": n.ravel().astype(np.int32),
            "alive": out.alive.ravel(), "leaked": out.leaked.ravel(), "shots": out.shots_at.ravel().astype(np.int16),
            "kill_layer": out.kill_layer.ravel()}
