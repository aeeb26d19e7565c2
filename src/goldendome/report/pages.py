"""The report's pages: sections (figures, tables, cards) of a stored run or of a plan.

Inputs are what the store and plan.json hold (a run's row, its replay document and outcome
columns; a plan mapping); nothing here recomputes physics.
"""

from __future__ import annotations

import math
from pathlib import Path

from ..effectors.layers import LAYER_NAMES
from ..effectors.reasons import WHY_LABELS, WHY_TEXT, Why
from . import LEAK_HIGHLIGHT, figures as F
from .html import Section, cards, esc, table


# ---------------------------------------------------------------------------------- formatting

def usd(x) -> str:
    """Dollars, short: $950k, $772.2M, $2.47B."""
    if x is None or not math.isfinite(float(x)):
        return "-"
    for div, unit, nd in ((1e9, "B", 2), (1e6, "M", 1), (1e3, "k", 0)):
        if abs(x) >= div:
            return f"${x / div:,.{nd}f}{unit}"
    return f"${x:,.0f}"


def _ci(metrics: dict, key: str, fmt: str) -> str:
    ci = metrics.get(f"{key}_ci95")
    return f"95% CI {fmt.format(ci[0])}-{fmt.format(ci[1])}" if ci else ""


# -------------------------------------------------------------------------------------- runs

def _summary_cards(run: dict, replay: dict) -> str:
    m = run["metrics"]
    rvs = sum(o["kind"] != "decoy" for o in replay["objects"])
    return cards([
        (f"{m.get('p_no_leak', float('nan')):.1%}", "P(no leaker) " + _ci(m, "p_no_leak", "{:.1%}")),
        (f"{m.get('expected_leakers', float('nan')):.3g}", "expected leakers " + _ci(m, "expected_leakers", "{:.3g}")),
        (f"{m.get('defended_value_fraction', float('nan')):.1%}", "defended value"),
        (usd(m.get("cost_used_usd")), "interceptors used, per trial (mean)"),
        (f"{len(replay['objects'])} ({rvs} not decoys)", "threat objects"),
        (f"{run['trials']}", f"trials, seed {run['seed']}")])


def _unplaced_note(replay: dict) -> str:
    space = [f"{e['name']} ({e['inventory']})" for e in replay.get("effectors", []) if e.get("lat_deg") is None]
    sensors = [s["name"] for s in replay.get("sensors", []) if s.get("lat_deg") is None]
    parts = ([f"space-based interceptors (not drawn): {', '.join(space)}"] if space else []) + \
        ([f"space sensors (not drawn): {', '.join(sensors)}"] if sensors else [])
    return esc("; ".join(parts)) + ("." if parts else "")


def _cost_table(metrics: dict, replay: dict) -> str:
    used = metrics.get("interceptors_used") or {}
    inv: dict[str, int] = {}
    for e in replay.get("effectors", []):
        inv[e["type"]] = inv.get(e["type"], 0) + int(e.get("inventory") or 0)
    rows = [[t, f"{n:.3g}", inv.get(t, "-")] for t, n in used.items()]
    n_obj = max(len(replay["objects"]), 1)
    rvs = max(sum(o["kind"] != "decoy" for o in replay["objects"]), 1)
    cost = metrics.get("cost_used_usd")
    totals = cards([(usd(cost), "interceptors used, per trial (mean)"),
                    (usd(cost / n_obj if cost is not None else None), "per threat object"),
                    (usd(cost / rvs if cost is not None else None), "per warhead-bearing object")])
    return totals + "<p></p>" + table(["interceptor type", "fired per trial (mean)", "inventory"], rows)


_WHY_NOTE = ("Each (trial, leaking warhead) counted once per layer: how far it got through that layer's kill chain. "
             + "; ".join(f"{w.label}: {WHY_TEXT[w]}" for w in Why if w not in (Why.NO_LAYER, Why.KILLED,
                                                                               Why.KILLED_EARLIER)) + ".")


def _why_table(metrics: dict, replay: dict, top: int = 15) -> str:
    """Per layer, where the kill chain stopped for the leakers; then the worst leakers, one row each."""
    why = metrics.get("why_leaked") or {}
    layers, total = why.get("layers") or {}, why.get("leaked") or 0
    if not layers or not total:
        return ""
    layers = {la: layers[la] for la in LAYER_NAMES if la in layers}  # the store sorts keys: back to layer order
    reasons = [r for r in WHY_LABELS if any(r in c for c in layers.values())]
    rows = [[la] + [f"{c[r] / total:.0%} ({c[r]})" if r in c else "-" for r in reasons] for la, c in layers.items()]
    head = table(["layer"] + reasons, rows)
    worst = sorted((o for o in replay["objects"] if o.get("why_leak")), key=lambda o: -(o.get("p_leak") or 0))[:top]
    rows = [[o["id"], o["missile_id"], o.get("asset") or "-", f"{o['p_leak']:.1%}"] +
            [o["why_leak"].get(la, "-") for la in layers] for o in worst]
    return head + "<p></p>" + table(["object", "missile", "asset", "P(leak)"] + list(layers), rows)


def run_sections(run: dict, replay: dict, outcomes: dict) -> tuple[str, str, list[Section]]:
    """Title, subtitle and page sections of one stored run."""
    m = run["metrics"]
    leak_note = f"Objects with P(leak) >= {LEAK_HIGHLIGHT:.0%} are drawn in red."
    sections = [
        Section("summary", "Summary", body=_summary_cards(run, replay)),
        Section("map", "Trajectories, sensors and interceptors", F.map_figure(replay),
                note=f"{leak_note} Paths thinned to {F.points_per_path(len(replay['objects']))} points each. "
                     + _unplaced_note(replay)),
        Section("timeline", "Engagement timeline", F.timeline_figure(replay),
                note="Per object: flight from launch to end (impact or burn-up), first shot, median kill time (colour: "
                     f"the layer that killed it most often). {leak_note}"),
        Section("layers", "Kills and shots by layer", F.layers_figure(replay), wide=False),
        Section("assets", "Leakers by asset", F.leakers_by_asset_figure(replay), wide=False),
        Section("interceptors", "Interceptors used by type", F.interceptors_figure(m, replay), wide=False)]
    if outcomes.get("trial") is not None and outcomes.get("leaked") is not None:
        sections.append(Section("leakers", "Leakers per trial", F.leakers_hist_figure(outcomes), wide=False))
    why = _why_table(m, replay)
    if why:
        sections.append(Section("why", "Why the leakers leaked", body=why, note=_WHY_NOTE))
    sections.append(Section("cost", "Cost summary", F.cost_figure(m), body=_cost_table(m, replay)))
    sections.append(Section("scenario", "Scenario", body="<details><summary>scenario file</summary><pre>"
                            f"{esc(run.get('scenario_text', ''))}</pre></details>"))
    subtitle = f"run {run['run_id']}, {run['created']}, goldendome {run.get('version', '')}"
    return f"goldendome report: {run['name']}", subtitle, sections


# ------------------------------------------------------------------------------------- plans

def _plan_table(plan: dict) -> str:
    sets = list(dict.fromkeys(s for a in plan["architectures"] for s in a["threat_sets"]))
    rows = [[a["name"], usd(a["total_cost_usd"])] + [
        f"{a['threat_sets'][s]['p_no_leak']:.1%} / {a['threat_sets'][s].get('expected_leakers', float('nan')):.3g}"
        if s in a["threat_sets"] else "-" for s in sets] for a in plan["architectures"]]
    return table(["architecture", "total cost"] + [f"{s}: P(no leak) / leakers" for s in sets], rows)


def _priority_table(plan: dict, top: int = 25) -> str:
    rows = [[p["rank"], p.get("name", p.get("id")), p.get("category", ""), f"{p.get('value', '')}",
             p.get("reason", "")] for p in sorted(plan["priorities"], key=lambda p: p["rank"])[:top]]
    return table(["rank", "location", "category", "value", "why"], rows)


def _recommendation(plan: dict) -> str:
    rec = plan.get("recommendation") or {}
    if not rec.get("architecture"):
        return ""
    return f"<p><b>Most cost-effective: {esc(rec['architecture'])}.</b> {esc(rec.get('why', ''))}</p>"


def _roadmap_table(plan: dict) -> str:
    """Fielded year and P(no leak) / leakers of what stands at each milestone year, per threat set."""
    archs = [a for a in plan["architectures"] if a.get("roadmap_performance")]
    if not archs:
        return ""
    fys = sorted({r["fy"] for a in archs for r in a["roadmap_performance"]})
    rows = []
    for a in archs:
        by = {(r.get("threat_set", ""), r["fy"]): r for r in a["roadmap_performance"]}
        for ts in dict.fromkeys(k[0] for k in by):
            rows.append([a["name"], a.get("fully_fielded_fy") or "-", ts] + [
                f"{by[ts, y]['p_no_leak']:.1%} / {by[ts, y]['expected_leakers']:.3g}" if (ts, y) in by else "-"
                for y in fys])
    return table(["architecture", "fully fielded FY", "threat set"] + [f"FY{y}" for y in fys], rows)


def plan_sections(plan: dict, path: Path) -> tuple[str, str, list[Section]]:
    """Title, subtitle and page sections of a plan (plan.json)."""
    has_raid = any(ts.get("by_raid_size") for a in plan["architectures"] for ts in a["threat_sets"].values())
    sections = [Section("summary", "Architectures", body=_plan_table(plan) + _recommendation(plan))]
    roadmap = _roadmap_table(plan)
    if roadmap:
        sections.append(Section("roadmap", "Fielding roadmap: performance of what stands each year", body=roadmap))
    if has_raid:
        sections.append(Section("raid", "Leakage against raid size", F.raid_figure(plan)))
    sections += [Section("cost-fy", "Cost by fiscal year", F.cost_fy_figure(plan)),
                 Section("cost-effect", "Cost against effectiveness", F.cost_effect_figure(plan))]
    if plan["priorities"]:
        sections.append(Section("priorities", "Prioritized locations", F.priorities_figure(plan),
                                body=_priority_table(plan)))
    return f"goldendome plan: {plan.get('name', Path(path).parent.name)}", str(path), sections
