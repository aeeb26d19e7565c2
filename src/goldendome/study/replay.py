"""The 'replay' artifact of a run: what the report and the globe draw, computed once.

`goldendome run` stores this JSON document beside the metrics (``Store.artifact(run_id,
'replay')``), so that report/ and web/ read results and never recompute physics.

Replays stored before satellites, engagements and radar coverage existed lack those keys;
readers treat them as empty. Layout (JSON; NaN written as null; angles in degrees, altitudes in km, times in s)::

    t_s            (T,) sample times from scenario start (every ``step_s``)
    paths          {lat_deg, lon_deg, alt_km}: (N, T) per object, null outside its flight
    objects        [{id, kind, missile_id, salvo, asset, t_launch_s, t_end_s, end_lat_deg,
                     end_lon_deg, p_engaged, p_killed, p_leak, first_shot_s, kill_time_s,
                     kill_layer_share: {layer: p}, why_leak: {layer: why} or null}]
                   why_leak: per layer the most frequent Why label (effectors/reasons.py) over
                   the trials the object leaked in; layers the architecture lacks left out
    effectors      [{name, type, kind, layer, lat_deg, lon_deg, inventory, shots_mean}]
    sensors        [{name, kind, type, lat_deg, lon_deg}] (lat/lon null for space layers); radars,
                   organic fire-control ones too (``organic: true``), add max_range_km,
                   faces_az_deg, fov_az_half_deg (their coverage fan)
    satellites     [{layer, type ('space-ir' or 'sbi'), count, drawn, every, inclination_deg,
                     paths: {lat_deg, lon_deg, alt_km} (drawn, T / every) at t_s[::every]}]
    engagements    [{object, effector, type, layer, launch_s, intercept_s, site_lat_deg,
                     site_lon_deg, site_alt_km, intercept_lat_deg, intercept_lon_deg,
                     intercept_alt_km}]: one representative per object with P(killed) >= 0.2
    assets         [{id, lat_deg, lon_deg, value, category, leakers_mean}]
    layers         {layer: {shots_mean, kills_mean}}
"""

from __future__ import annotations

import math

import numpy as np

from ..effectors.layers import LAYER_NAMES, Layer
from ..effectors.reasons import WHY_LABELS, Why
from ..engine import metrics
from ..physics import earth
from . import replay_layers as layers_mod
from .numbers import rounded

STEP_S = 10.0  # replay sample step, s: smooth enough for a globe at 60x, small for 1,000 objects


def _clean(a, nd: int):
    """Nested lists with NaN -> None, rounded to ``nd`` decimals."""
    a = np.round(np.asarray(a, float), nd)
    return np.where(np.isfinite(a), a, None).tolist()


def paths(traj, step_s: float = STEP_S) -> tuple[np.ndarray, dict]:
    """Sample times (T,) and per-object geodetic paths (N, T) of a Trajectories."""
    t = np.arange(traj.t[0], traj.t[-1] + 1e-9, step_s)
    idx = np.clip(np.searchsorted(traj.t, t), 0, len(traj.t) - 1)
    ecef = earth.eci_to_ecef(traj.state[:, idx, :3], traj.t[idx][None, :], traj.theta0)
    lat, lon, alt = earth.ecef_to_geodetic(ecef)
    return traj.t[idx], {"lat_deg": _clean(np.degrees(lat), 3), "lon_deg": _clean(np.degrees(lon), 3),
                         "alt_km": _clean(alt / 1e3, 2)}


def _objects(traj, th, out, asset_ids) -> list[dict]:
    o, tl = traj.objects, metrics.timeline(out)
    with np.errstate(invalid="ignore"):
        kill_t = tl["kill_time_q"][:, 1]
    share = [(out.kill_layer == k).mean(axis=0) for k in range(len(LAYER_NAMES))]
    why = metrics.why_by_object(out)
    rows = []
    for n in range(traj.n):
        rows.append({
            "id": n, "kind": str(o["kind"][n]), "missile_id": str(o["missile_id"][n]), "salvo": int(o["missile"][n]),
            "asset": asset_ids[th.asset[n]] if th.asset[n] >= 0 else None,
            "t_launch_s": _num(o["t_launch"][n]), "t_end_s": _num(o["t_end"][n]),
            "end_lat_deg": _num(math.degrees(o["end_lat"][n]), 3), "end_lon_deg": _num(math.degrees(o["end_lon"][n]), 3),
            "p_engaged": _num(tl["p_engaged"][n]), "p_killed": _num(tl["p_killed"][n]),
            "p_leak": _num(out.leaked[:, n].mean()), "first_shot_s": _num(tl["first_shot_s"][n]),
            "kill_time_s": _num(kill_t[n]),
            "kill_layer_share": {LAYER_NAMES[k]: _num(share[k][n]) for k in range(len(LAYER_NAMES))},
            "why_leak": {LAYER_NAMES[k]: WHY_LABELS[c] for k, c in enumerate(why[n]) if c > Why.NO_LAYER} or None})
    return rows


_num = rounded


def _effectors(batteries, effs, out) -> list[dict]:
    shots = out.shots_by_effector.mean(axis=0)
    rows = []
    for b in batteries:
        mine = [i for i, nm in enumerate(effs.name) if nm == b.name or nm.startswith(b.name + "#m")]
        lat = getattr(b, "lat_rad", None)
        rows.append({"name": b.name, "type": getattr(b, "type", "sbi"), "kind": getattr(b, "kind", "sbi"),
                     "layer": Layer(getattr(b, "layer", Layer.BOOST)).label,
                     "lat_deg": None if lat is None else _num(math.degrees(lat), 3),
                     "lon_deg": None if lat is None else _num(math.degrees(b.lon_rad), 3),
                     "inventory": int(sum(int(effs.inventory[i]) for i in mine)),
                     "shots_mean": _num(shots[mine].sum() if mine else 0.0)})
    return rows


def _sensors(sc, resolver, traj=None) -> list[dict]:
    """Space layers (no ground position) and every radar with its coverage (organic ones too)."""
    rows = []
    for s in sc.architecture.sensors:
        if s.kind == "radar" and traj is not None:
            continue  # radar_rows lists them with their coverage
        lat, lon = resolver(s.site) if s.site is not None else (None, None)
        rows.append({"name": f"{s.type}@{s.site}" if s.site is not None else s.type, "kind": s.kind, "type": s.type,
                     "lat_deg": None if lat is None else _num(math.degrees(lat), 3),
                     "lon_deg": None if lon is None else _num(math.degrees(lon), 3)})
    return rows + (layers_mod.radar_rows(sc, traj) if traj is not None else [])


def build(sc, traj, th, out, batteries, effs, assets, resolver, opps=None) -> dict:
    """The replay document of one evaluated scenario (see the module docstring).

    ``assets`` is (ids, lat_rad, lon_rad, values, categories); ``resolver`` maps a scenario
    place to (lat, lon) in rad; ``opps`` the engagement opportunities (no engagements without).
    """
    ids, lat, lon, values, cats = assets
    t, p = paths(traj)
    leak_asset = out.leakers_by_asset.mean(axis=0) if out.leakers_by_asset.size else np.zeros(len(ids))
    layer_kills = [(out.kill_layer == k).sum(axis=1).mean() for k in range(len(LAYER_NAMES))]
    sats, sat_ecef = layers_mod.satellites(sc, batteries, t, float(getattr(traj, "theta0", 0.0)))
    return {
        "t_s": _clean(t, 1), "paths": p, "objects": _objects(traj, th, out, ids),
        "effectors": _effectors(batteries, effs, out), "sensors": _sensors(sc, resolver, traj),
        "satellites": sats, "engagements": layers_mod.engagements(traj, out, opps, effs, batteries, sat_ecef),
        "assets": [{"id": a, "lat_deg": _num(math.degrees(la), 3), "lon_deg": _num(math.degrees(lo), 3),
                    "value": _num(v), "category": c, "leakers_mean": _num(lk)}
                   for a, la, lo, v, c, lk in zip(ids, lat, lon, values, cats, leak_asset)],
        "layers": {LAYER_NAMES[k]: {"shots_mean": _num(out.shots_by_layer[:, k].mean()),
                                    "kills_mean": _num(layer_kills[k])} for k in range(len(LAYER_NAMES))},
    }
