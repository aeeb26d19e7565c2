"""Defended-location presets and battery types from the catalog, and a scenario's asset table.

City populations: GeoNames (geonames.org), CC-BY 4.0.
"""

from __future__ import annotations

import math

import numpy as np

from ..assets import siting as st
from ..assets import value as val
from ..effectors.layers import LAYER_BY_TYPE
from ..errors import InputError
from . import catalog, places

PRESET_SIZE = 50  # locations in the us-homeland and us-cities presets
PRESETS = {
    "us-homeland": "the top 50 US locations by score under the default weights (cities, second strike, infrastructure)",
    "us-cities": "the 50 most populous US cities (GeoNames), value by population",
    "us-second-strike": "ICBM fields, SSBN and bomber bases, national command nodes, value by second-strike score",
    "allied-forward": "forward and allied bases (Guam, Japan, Korea, Europe, Diego Garcia, Greenland)",
}


def preset_names() -> list[str]:
    return list(PRESETS)


def preset(name: str) -> list[dict]:
    """Asset list [{id, lat, lon, value, category}] of a preset; values sum to 1 (shares of its total)."""
    if name not in PRESETS:
        raise InputError(f"unknown asset preset '{name}' (known: {', '.join(PRESETS)})")
    locs = places.locations()
    idx, score = _preset_rows(name, locs)
    _, parts = val.scores(locs)
    return [{"id": str(locs.id[i]), "lat": round(float(locs.lat_deg[i]), 4), "lon": round(float(locs.lon_deg[i]), 4),
             "value": float(s / score.sum()), "category": _category(name, locs, i, parts[i])}
            for i, s in zip(idx, score)]


def _preset_rows(name: str, locs) -> tuple[np.ndarray, np.ndarray]:
    """Indices and raw scores of a preset's members."""
    kind = locs.kind
    if name == "us-homeland":
        home = np.flatnonzero(kind != "forward")
        total, _ = val.scores(locs.take(home))
        top = val.order(total, locs.population[home], locs.id[home])[:PRESET_SIZE]
        return home[top], total[top]
    if name == "us-cities":
        idx = np.flatnonzero(kind == "city")
        idx = idx[np.argsort(-locs.population[idx], kind="stable")][:PRESET_SIZE]
        return idx, locs.population[idx]
    if name == "us-second-strike":
        idx = np.flatnonzero((kind == "strategic") & (locs.second_strike > 0))
        return idx, locs.second_strike[idx]
    idx = np.flatnonzero(kind == "forward")
    return idx, locs.infrastructure[idx]


def _category(name: str, locs, i: int, parts) -> str:
    if locs.kind[i] == "forward":
        return "forward"
    if name == "us-cities":
        return "countervalue"
    return val.CATEGORIES[int(np.argmax(parts))]


def battery_types(types) -> list[st.BatteryType]:
    """BatteryType per id: cost = ground equipment + one full load; radius from the envelope."""
    entries = places.battery_entries()
    out = []
    for t in types:
        if t not in entries:
            raise InputError(f"unknown battery type '{t}' (known: {', '.join(entries)})")
        i = catalog.entry("interceptors.yaml", "interceptors", t)
        load = float(i["unit_cost_usd"]) * int(i["rounds"]) * int(i["launchers"])
        radius = float(entries[t].get("footprint_radius_km", 0.0)) * 1e3 or float(
            st.footprint_radius_m(float(i["max_range_m"]), float(i["min_alt_m"])))
        out.append(st.BatteryType(t, float(entries[t]["ground_usd"]) + load, radius, LAYER_BY_TYPE[t].label))
    return out


def asset_table(sc) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Asset ids, lat, lon (rad), values and categories: the scenario's list or preset, else each threat's target."""
    if isinstance(sc.assets, str):
        rows = preset(sc.assets)
    elif sc.assets:
        rows = [a.model_dump() for a in sc.assets]
    else:
        targets = {str(catalog.place_spec(t.target)): catalog.place(catalog.place_spec(t.target)) for t in sc.threats}
        rows = [{"id": k, "lat": math.degrees(p.lat), "lon": math.degrees(p.lon), "value": 1.0, "category": "target"}
                for k, p in targets.items()]
    return ([r["id"] for r in rows], np.radians([r["lat"] for r in rows]), np.radians([r["lon"] for r in rows]),
            np.array([r["value"] for r in rows], float), [r.get("category", "countervalue") for r in rows])
