"""`goldendome compare` and `goldendome plan`: reference architectures against threat sets.

compare: each architecture (preset name) against each threat set, at its nominal raid or at
every raid size (leakage against raid size, 1 to saturation), with the 20-year cost.
plan: the implementation plan the memo asks for: per architecture its composition, its
performance against every threat set, its cost by fiscal year, its fielding roadmap and the
performance of what stands at milestone years against every threat set, the priority
locations its batteries cover, and which architecture buys defended value most cheaply, and why.

Evaluations are independent and run in a process pool (``workers``); each uses the same
seed (common random numbers), so differences between architectures are not sampling noise.
"""

from __future__ import annotations

import json
import math
import multiprocessing as mp
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from ..errors import InputError
from ..physics import earth
from ..scenario import places, presets
from ..scenario.assets import battery_types
from ..scenario.effectors import site_radians
from . import assets as app_assets
from . import cost as app_cost
from . import run as app_run

MILESTONES = (2028, 2030, 2035, 2045)  # fiscal years at which the roadmap's performance is shown
RAID_CURVE_SETS = ("nk-icbm",)  # threat sets whose every raid size the plan scores (leakage vs raid size)
TOP_PRIORITIES = 20


def _names(given, known: list[str], what: str) -> list[str]:
    names = list(given) if given else known
    bad = [n for n in names if n not in known]
    if bad:
        raise InputError(f"unknown {what} '{bad[0]}' (known: {', '.join(known)})")
    return names


def _evaluate(job: tuple) -> dict:
    """One cell: (architecture name or dict, threat set, missiles, trials, seed, fy) -> summary row."""
    arch, threats, missiles, trials, seed, fy = job
    model = presets.Architecture.model_validate(arch) if isinstance(arch, dict) else arch
    res, _ = app_run.evaluate(presets.scenario(model, threats, missiles, trials, seed))
    keep = ("p_no_leak", "p_no_leak_ci95", "expected_leakers", "expected_leakers_ci95", "defended_value_fraction",
            "value_at_risk", "cost_used_usd", "interceptors_used", "objects")
    return {"threat_set": threats, "raid": missiles, "fy": fy, **{k: res[k] for k in keep}}


def _run_all(jobs: list[tuple], workers: int, progress) -> list[dict]:
    if workers <= 1 or len(jobs) <= 1:
        out = []
        for i, j in enumerate(jobs):
            progress(f"{i + 1}/{len(jobs)}", i / len(jobs))
            out.append(_evaluate(j))
        return out
    # spawn, not fork: a parent that already ran numba's OpenMP threads must not fork
    with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn")) as pool:
        futures = [pool.submit(_evaluate, j) for j in jobs]
        for i, f in enumerate(futures):
            progress(f"{i + 1}/{len(jobs)}", i / len(jobs))
            f.result()
        return [f.result() for f in futures]


def _default_workers(workers: int | None) -> int:
    if workers is not None and not 1 <= int(workers) <= 256:
        raise InputError(f"workers must be a whole number from 1 to 256, got {workers}")
    return max(1, workers if workers is not None else (os.cpu_count() or 1))


def _check_run(trials, seed) -> None:
    """The trials and seed every cell will run with, checked once before any cell starts."""
    from ..scenario.schema import MAX_SEED, MAX_TRIALS

    if not 1 <= int(trials) <= MAX_TRIALS:
        raise InputError(f"trials must be a whole number from 1 to {MAX_TRIALS:,}, got {trials}")
    if not 0 <= int(seed) <= MAX_SEED:
        raise InputError(f"seed must be a whole number from 0 to 2^63 - 1, got {seed}")


def compare(archs=None, sets=None, trials: int = 2000, seed: int = 7, raid_sizes: bool = False,
            workers: int | None = None, progress=app_run.no_progress) -> dict:
    """Architectures x threat sets (x raid sizes): leakage, defended value, 20-year cost."""
    archs = _names(archs, presets.names(), "architecture")
    sets = _names(sets, presets.threat_set_names(), "threat set")
    _check_run(trials, seed)
    jobs = [(presets.architecture(a).model_dump(), s, n, trials, seed, None) for a in archs for s in sets
            for n in (presets.threat_set(s)["raid_sizes"] if raid_sizes else [presets.threat_set(s)["nominal"]])]
    rows = _run_all(jobs, _default_workers(workers), progress)
    cost = {a: app_cost.cost(a)["total_cost_usd"] for a in archs}
    k = len(rows) // len(archs)
    for i, r in enumerate(rows):
        a = archs[i // k]
        saved = (r["defended_value_fraction"] or 0.0) * (r["value_at_risk"] or 0.0)
        r.update(architecture=a, total_cost_usd=cost[a],
                 cost_per_defended_value_usd=cost[a] / saved if saved > 0 else None)
    progress("done", 1.0)
    return {"trials": trials, "seed": seed, "rows": rows}


def composition(arch) -> dict:
    """Counts by element type: batteries/ships/sites and their rounds, SBIs, lasers, sensors."""
    out: dict[str, dict] = {}
    for e in arch.effectors:
        key = "sbi" if e["kind"] == "sbi" else e["type"]
        c = out.setdefault(key, {"kind": e["kind"], "units": 0, "rounds": 0})
        c["units"] += int(e.get("count", 1))
        c["rounds"] += int(e.get("inventory", e.get("count", 0)))
    for s in arch.sensors:
        c = out.setdefault(s.type, {"kind": s.kind, "units": 0, "rounds": 0})
        c["units"] += 1
    return out


def covered_priorities(arch, top: int = TOP_PRIORITIES) -> list[dict]:
    """The top priority locations and the batteries (terminal and underlayer) whose footprint holds them."""
    kinds = {b.id: b for b in battery_types(_sited_types(arch))}
    sites = [(e["type"], site_radians(e["site"])) for e in arch.effectors if e.get("type") in kinds]
    rows = []
    for p in app_assets.priorities(top=top):
        lat, lon = math.radians(p["lat"]), math.radians(p["lon"])
        near = sorted({t for t, (a, b) in sites if earth.great_circle_distance(lat, lon, a, b) <= kinds[t].radius_m})
        rows.append({"rank": p["rank"], "id": p["id"], "name": p["name"], "category": p["category"],
                     "lat": p["lat"], "lon": p["lon"], "value": p["value"], "reason": p["reason"], "covered_by": near})
    return rows


def _sited_types(arch) -> list[str]:
    known = set(places.battery_entries())
    return sorted({e["type"] for e in arch.effectors if e.get("kind") == "battery" and e.get("type") in known})


def plan(out_dir=None, archs=None, sets=None, trials: int = 2000, seed: int = 7, milestones=MILESTONES,
         workers: int | None = None, raid_curve_sets=RAID_CURVE_SETS, curve_sizes=None,
         progress=app_run.no_progress) -> dict:
    """The implementation plan (see the module docstring); written to ``out_dir/plan.json`` when given.

    ``raid_curve_sets`` are scored at every raid size (``curve_sizes``, default the set's own).
    """
    archs = _names(archs, presets.names(), "architecture")
    sets = _names(sets, presets.threat_set_names(), "threat set")
    _check_run(trials, seed)
    jobs = [(presets.architecture(a).model_dump(), s, presets.threat_set(s)["nominal"], trials, seed, None)
            for a in archs for s in sets]
    jobs += [(app_cost.fielded_architecture(a, fy).model_dump(), s, None, trials, seed, fy)
             for a in archs for fy in milestones for s in sets]
    curve = [(a, s, n) for a in archs for s in sets if s in raid_curve_sets
             for n in (curve_sizes or presets.threat_set(s)["raid_sizes"]) if n != presets.threat_set(s)["nominal"]]
    jobs += [(presets.architecture(a).model_dump(), s, n, trials, seed, None) for a, s, n in curve]
    rows = _run_all(jobs, _default_workers(workers), progress)
    per = [_architecture(a, rows, i, len(sets), len(milestones) * len(sets), len(archs)) for i, a in enumerate(archs)]
    _raid_curves(per, curve, rows[len(rows) - len(curve):])
    result = {"trials": trials, "seed": seed, "threat_sets": {s: presets.threat_set(s) for s in sets},
              "architectures": per, "priorities": app_assets.priorities(top=TOP_PRIORITIES),
              "recommendation": recommend(per)}
    if out_dir is not None:
        result["path"] = str(_write(Path(out_dir), result))
    progress("done", 1.0)
    return result


def _raid_curves(per: list[dict], curve: list[tuple], rows: list[dict]) -> None:
    """Attach 'by_raid_size' (nominal raid included) to each architecture's curve threat sets."""
    by_name = {p["name"]: p for p in per}
    for (a, s, _), r in zip(curve, rows):
        ts = by_name[a]["threat_sets"][s]
        pts = ts.setdefault("by_raid_size", [_point(ts, presets.threat_set(s)["nominal"])])
        pts.append(_point(r, r["raid"]))
    for p in per:
        for ts in p["threat_sets"].values():
            ts.get("by_raid_size", []).sort(key=lambda q: q["raid"])


def _point(r: dict, raid: int) -> dict:
    return {"raid": raid, "p_no_leak": r["p_no_leak"], "expected_leakers": r["expected_leakers"]}


def _architecture(a: str, rows: list[dict], i: int, n_sets: int, n_ms: int, n_arch: int) -> dict:
    arch = presets.architecture(a)
    perf = rows[i * n_sets:(i + 1) * n_sets]
    years = rows[n_arch * n_sets + i * n_ms:n_arch * n_sets + (i + 1) * n_ms]
    c, rm = app_cost.cost(a), app_cost.roadmap(a)
    saved = sum((r["defended_value_fraction"] or 0.0) * (r["value_at_risk"] or 0.0) for r in perf)
    return {"name": a, "description": presets.describe(a), "composition": composition(arch),
            "total_cost_usd": c["total_cost_usd"], "cost_by_fy_usd": c["cost_by_fy_usd"],
            "cost_by_layer_usd": c["cost_by_layer_usd"], "cost_by_category_usd": c["cost_by_category_usd"],
            "cost_by_fy_by_layer_usd": {k: dict(zip(c["fiscal_years"], v)) for k, v in c["by_fy_by_layer"].items()},
            "fully_fielded_fy": rm["fully_fielded_fy"],
            "threat_sets": {r["threat_set"]: r for r in perf},
            "roadmap_performance": [{"fy": r["fy"], "threat_set": r["threat_set"], "p_no_leak": r["p_no_leak"],
                                     "expected_leakers": r["expected_leakers"]} for r in years],
            "value_saved": round(saved, 6),
            "cost_per_defended_value_usd": c["total_cost_usd"] / saved if saved > 0 else None,
            "priorities_covered": covered_priorities(arch)}


REQUIREMENT = ("nk-icbm", 0.9)  # (threat set, P(no leak)) an architecture must meet to be recommended


def recommend(per: list[dict], requirement=REQUIREMENT) -> dict:
    """The most cost-effective architecture, and why.

    Among the architectures that meet the requirement (P(no leak) against a threat set's
    nominal raid, default 0.9 against North Korea: the limited threat the executive order
    names first), the one with the least 20-year cost per unit of expected value saved
    (summed over the threat sets); when none meets it, the least cost per unit overall.
    """
    ok = [p for p in per if p["cost_per_defended_value_usd"]]
    if not ok:
        return {"architecture": None, "why": "no architecture saves any defended value against these threat sets"}
    ts, floor = requirement
    meets = [p for p in ok if (p["threat_sets"].get(ts) or {}).get("p_no_leak", 0.0) >= floor]
    best = min(meets or ok, key=lambda p: p["cost_per_defended_value_usd"])
    head = (f"meets P(no leak) >= {floor:g} against {ts}" if meets else
            f"no architecture meets P(no leak) >= {floor:g} against {ts}; least cost per unit overall")
    why = [f"{best['name']} {head}: ${best['total_cost_usd'] / 1e9:,.0f}B over 20 years saves {best['value_saved']:.3f} "
           f"units of defended value summed over the threat sets (${best['cost_per_defended_value_usd'] / 1e9:,.0f}B per unit)"]
    for p in per:
        if p is best:
            continue
        dv, dc = p["value_saved"] - best["value_saved"], p["total_cost_usd"] - best["total_cost_usd"]
        miss = "" if p in meets or not meets else f" (P(no leak) {p['threat_sets'].get(ts, {}).get('p_no_leak')} against {ts})"
        if dv > 0:
            why.append(f"{p['name']}{miss} saves {dv:.3f} more for ${dc / 1e9:,.0f}B more (${dc / dv / 1e9:,.0f}B per extra unit)")
        else:
            why.append(f"{p['name']}{miss} saves {-dv:.3f} less and costs ${abs(dc) / 1e9:,.0f}B {'more' if dc > 0 else 'less'}")
    return {"architecture": best["name"], "requirement": {"threat_set": ts, "p_no_leak": floor}, "why": "; ".join(why)}


def _write(out: Path, result: dict) -> Path:
    """plan.json, written to a temporary name and renamed (never half-written)."""
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / "plan.json.tmp"
    tmp.write_text(json.dumps(result, sort_keys=True, indent=1, default=float), encoding="utf-8")
    tmp.replace(out / "plan.json")
    return out / "plan.json"
