"""Python API of defended locations: presets, priorities with reasons, battery siting (plain dicts).

    >>> from goldendome.app import assets
    >>> assets.priorities({"countervalue": 1}, top=1)[0]["name"]
    'New York City, NY'

City populations: GeoNames (geonames.org), CC-BY 4.0.
"""

from __future__ import annotations

import math

import numpy as np

from ..assets import siting as st
from ..assets import value as val
from ..errors import InputError
from ..scenario import catalog, places
from ..scenario.assets import PRESET_SIZE, PRESETS, battery_types, preset, preset_names  # noqa: F401  (the API)

DEFAULT_TYPES = ("thaad", "underlayer")


def locations() -> list[dict]:
    """Every defended location with its category scores (unweighted, default countervalue scale)."""
    locs = places.locations()
    s = val.category_scores(locs)
    return [_loc(locs, i) | {"scores": dict(zip(val.CATEGORIES, map(float, s[i])))} for i in range(len(locs))]


def _loc(locs, i: int) -> dict:
    return {"id": str(locs.id[i]), "name": str(locs.name[i]), "kind": str(locs.kind[i]),
            "lat": float(locs.lat_deg[i]), "lon": float(locs.lon_deg[i]),
            "population": float(locs.population[i]), "roles": str(locs.roles[i])}


def parse_weights(text: str | None) -> dict | None:
    """'countervalue=1,second-strike=2' -> {'countervalue': 1.0, 'second-strike': 2.0}; None/'' -> None."""
    if text is None or not text.strip():
        return None
    out = {}
    for item in text.split(","):
        key, eq, num = item.partition("=")
        if key.strip() in out:
            raise InputError(f"--weights: '{key.strip()}' is given twice")
        try:
            out[key.strip()] = float(num)
        except ValueError:
            raise InputError(f"--weights: '{item.strip()}' is not NAME=NUMBER "
                             f"(names: {', '.join(val.CATEGORIES)})") from None
        if not eq:
            raise InputError(f"--weights: '{item.strip()}' is not NAME=NUMBER")
    return out


def _weights(weights: dict | None) -> np.ndarray:
    try:
        return val.normalise_weights(weights)
    except ValueError as exc:
        raise InputError(f"weights: {exc}") from None


def priorities(weights: dict | None = None, top: int = 20, scale: str = val.DEFAULT_SCALE) -> list[dict]:
    """Locations ranked by weighted value, best first, each with its score parts and a reason.

    Parameters
    ----------
    weights : {category: weight}, categories 'countervalue', 'second-strike',
        'infrastructure' ('_' accepted); normalised to sum 1. None: DEFAULT_WEIGHTS.
    top : how many rows (>= 1).
    scale : countervalue scale, 'log' (default) or 'linear' (people).
    """
    w = _weights(weights)
    if int(top) < 1:
        raise InputError(f"top must be >= 1 (got {top})")
    if scale not in val.SCALES:
        raise InputError(f"unknown countervalue scale '{scale}' (known: {', '.join(val.SCALES)})")
    locs = places.locations()
    named = dict(zip(val.CATEGORIES, w))
    return [_loc(locs, r.index) | {"rank": r.rank, "value": r.score, "parts": r.parts, "category": r.dominant,
                                   "reason": r.reason, "weights": named}
            for r in val.rank(locs, named, int(top), scale)]


def site_batteries(budget_usd: float, types=DEFAULT_TYPES, candidates=None, top: int = PRESET_SIZE,
                   assets: str = "us-homeland", max_per_site: int = 1, time_limit_s: float = 30.0) -> dict:
    """Place batteries to maximise the covered value of an asset preset under a budget (MILP).

    Parameters
    ----------
    budget_usd : total spend cap, USD (> 0).
    types : battery type ids (assets.yaml `batteries`: thaad, pac3-mse, underlayer).
    candidates : candidate sites, a list of {id, lat, lon} or of location ids; None: the
        preset's own ``top`` most valuable locations (batteries sited at what they defend).
    top : candidate count when ``candidates`` is None.
    assets : asset preset defended (values sum to 1: covered value is a share).
    max_per_site : batteries (of any type) at one site.
    time_limit_s : HiGHS time limit; the result's ``mip_gap`` says how far from proven optimal.

    Notes
    -----
    Measured on this project's 2-core machine: the default (50 defended x 50 candidates x 2
    types) solves in ~0.2 s; all ~3,000 US locations x 200 candidates x 3 types in ~40 s.
    """
    if not (isinstance(budget_usd, (int, float)) and math.isfinite(budget_usd) and budget_usd > 0):
        raise InputError(f"budget_usd must be a positive number of US dollars (got {budget_usd})")
    if not list(types):
        raise InputError("--types: give at least one battery type (e.g. thaad,pac3-mse)")
    for name, v in (("candidates_top", top), ("max_per_site", max_per_site)):
        if not (isinstance(v, (int, np.integer)) and 1 <= v <= 100_000):
            raise InputError(f"{name} must be a whole number from 1 to 100,000, got {v}")
    bt = battery_types(list(types))
    defended = preset(assets)
    cands = _candidates(candidates, defended[: max(int(top), 1)])
    v = np.array([a["value"] for a in defended])
    a = st.coverage([d["lat"] for d in defended], [d["lon"] for d in defended], [c["lat"] for c in cands],
                    [c["lon"] for c in cands], [b.radius_m for b in bt])
    plan = st.site(v, a, [b.cost_usd for b in bt], [b.layer for b in bt], budget_usd, max_per_site,
                   time_limit_s=time_limit_s)
    return _site_out(plan, bt, cands, defended, a, budget_usd, assets)


def _candidates(candidates, default) -> list[dict]:
    if candidates is None:
        return [{"id": d["id"], "lat": d["lat"], "lon": d["lon"]} for d in default]
    locs = places.locations()
    index = {str(k): i for i, k in enumerate(locs.id)}
    out = []
    for c in candidates:
        if isinstance(c, dict):
            p = catalog.place({"lat": c.get("lat"), "lon": c.get("lon")})
            out.append({"id": str(c.get("id") or p.name), "lat": math.degrees(p.lat), "lon": math.degrees(p.lon)})
        elif str(c) in index:
            i = index[str(c)]
            out.append({"id": str(c), "lat": float(locs.lat_deg[i]), "lon": float(locs.lon_deg[i])})
        else:
            raise InputError(f"candidate site '{c}' is neither {{id, lat, lon}} nor a location id")
    if not out:
        raise InputError("no candidate sites given")
    return out


def _site_out(plan, bt, cands, defended, a, budget_usd, assets) -> dict:
    rows = []
    for s, t in zip(*np.nonzero(plan.chosen)):
        covers = [defended[i]["id"] for i in np.flatnonzero(a[:, s, t])]
        rows.append({"site": cands[s]["id"], "lat": cands[s]["lat"], "lon": cands[s]["lon"], "type": bt[t].id,
                     "layer": bt[t].layer, "cost_usd": bt[t].cost_usd, "radius_km": round(bt[t].radius_m / 1e3, 1),
                     "covers": covers})
    return {"assets": assets, "budget_usd": float(budget_usd), "spent_usd": plan.cost_usd,
            "covered_value": round(plan.objective, 6), "covered_any_layer": round(plan.covered_any, 6),
            "covered_all_layers": round(plan.covered_all, 6), "batteries": rows,
            "types": [{"id": b.id, "layer": b.layer, "cost_usd": b.cost_usd, "radius_km": round(b.radius_m / 1e3, 1)}
                      for b in bt],
            "candidates": len(cands), "defended": len(defended), "solve_s": round(plan.solve_s, 3),
            "mip_gap": plan.mip_gap,
            "notes": "covered_value: share of the preset's value, each layer weighing 1/number of layers; "
                     "footprint radius = max range - min intercept altitude / tan(22.5 deg re-entry), a kinematic "
                     "upper bound; battery cost = ground equipment (assets.yaml) + one full load (interceptors.yaml)"}
