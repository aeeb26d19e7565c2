"""Globe documents from a run's replay artifact: CZML, and a compact scene for the page.

Both are formatting of what `goldendome run` stored (see the layout in
:mod:`goldendome.study.replay`): nothing here computes physics. Times are seconds from scenario
start; the globe pins scenario start to :data:`EPOCH` (scenarios carry no calendar date).

- :func:`czml` is standard CZML (one packet per object, positions as sampled
  ``cartographicDegrees`` over the object's flight only), for Cesium tools and export.
- :func:`scene` is what the page plays: per object its first sample index and a flat
  ``[lon, lat, h_m, ...]`` list, so the browser builds one typed array per object and moves
  a ``PointPrimitiveCollection`` once per frame (1,000 objects without one entity each).

Both carry, when the replay has them, the drawn satellites (moving points), radar coverage
fans (static ground polygons) and interceptor fly-outs (launcher -> intercept arcs shown
from launch to intercept); replays stored before those existed play without them.
"""

from __future__ import annotations

import math

EPOCH = "2025-01-27T00:00:00Z"  # display epoch for scenario time 0 (EO 14186 signed 27 Jan 2025)
KIND_COLOR = {"rv": [255, 80, 60, 255], "decoy": [170, 170, 170, 200]}  # RGBA, other kinds: amber
OTHER_COLOR = [255, 190, 40, 255]
LAYER_COLOR = {"boost": [186, 104, 200, 255], "midcourse": [66, 165, 245, 255],
               "underlayer": [38, 198, 218, 255], "terminal": [102, 187, 106, 255]}
SENSOR_COLOR = [255, 235, 59, 255]
ASSET_COLOR = [255, 255, 255, 255]


def _num(x) -> bool:
    return x is not None and isinstance(x, (int, float)) and math.isfinite(x)


def flight_samples(replay: dict, n: int) -> tuple[int, list[float]]:
    """First sample index and flat ``[lon_deg, lat_deg, h_m, ...]`` of object ``n`` in flight.

    Samples run from the first to the last non-null time step (nulls mark before launch and
    after impact); a null inside that span repeats the previous sample.
    """
    p = replay["paths"]
    lat, lon, alt = p["lat_deg"][n], p["lon_deg"][n], p["alt_km"][n]
    idx = [k for k in range(len(lat)) if _num(lat[k]) and _num(lon[k]) and _num(alt[k])]
    if not idx:
        return 0, []
    flat: list[float] = []
    last = (lon[idx[0]], lat[idx[0]], alt[idx[0]])
    for k in range(idx[0], idx[-1] + 1):
        if _num(lat[k]) and _num(lon[k]) and _num(alt[k]):
            last = (lon[k], lat[k], alt[k])
        flat += [last[0], last[1], round(last[2] * 1e3, 1)]
    return idx[0], flat


def _t(replay: dict) -> tuple[float, float]:
    """Start time and step of the replay's sample grid, s."""
    t = replay.get("t_s") or [0.0]
    return float(t[0]), float(t[1] - t[0]) if len(t) > 1 else 1.0


def object_color(obj: dict) -> list[int]:
    """RGBA of an object: decoys grey; RVs and others from green (never leaks) to red (always leaks)."""
    if obj.get("kind") == "decoy":
        return list(KIND_COLOR["decoy"])
    p = obj.get("p_leak")
    if not _num(p):
        return list(KIND_COLOR.get(obj.get("kind"), OTHER_COLOR))
    p = min(max(float(p), 0.0), 1.0)
    return [round(60 + 195 * p), round(220 - 160 * p), 60, 255]


def _site(row: dict, kind: str, color: list[int]) -> dict | None:
    """A fixed site (sensor, effector, asset) as a scene row; None when it has no ground position."""
    if not (_num(row.get("lat_deg")) and _num(row.get("lon_deg"))):
        return None
    name = row.get("name", row.get("id"))
    return {"name": str(name), "kind": kind, "lat_deg": row["lat_deg"], "lon_deg": row["lon_deg"], "color": color,
            "info": {k: v for k, v in row.items() if k not in ("lat_deg", "lon_deg")}}


def sites(replay: dict) -> list[dict]:
    """Sensors, effectors (coloured by layer) and defended assets that sit on the ground."""
    rows = [_site(s, "sensor", SENSOR_COLOR) for s in replay.get("sensors", [])]
    rows += [_site(e, "effector", LAYER_COLOR.get(e.get("layer"), OTHER_COLOR)) for e in replay.get("effectors", [])]
    rows += [_site(a, "asset", ASSET_COLOR) for a in replay.get("assets", [])]
    return [r for r in rows if r is not None]


def _scene_object(replay: dict, n: int, obj: dict) -> dict:
    i0, flat = flight_samples(replay, n)
    keep = ("id", "kind", "missile_id", "salvo", "asset", "t_launch_s", "t_end_s", "p_leak", "p_killed",
            "p_engaged", "kill_time_s", "first_shot_s", "end_lat_deg", "end_lon_deg")
    return {**{k: obj.get(k) for k in keep}, "why": why_text(obj), "color": object_color(obj), "i0": i0, "pos": flat}


def why_text(obj: dict) -> str | None:
    """'boost out-of-envelope · midcourse missed' from a replay object's ``why_leak`` (None without)."""
    why = obj.get("why_leak")
    return " · ".join(f"{la} {w}" for la, w in why.items()) if isinstance(why, dict) and why else None


SAT_COLOR = {"space-ir": [120, 200, 255, 230], "sbi": [236, 64, 122, 230]}  # sensor layers blue, SBIs pink
FAN_COLOR = [255, 235, 59, 18]  # radar coverage fill (outline opaque)
FLYOUT_POINTS = 16  # samples along each drawn fly-out arc
FLYOUT_LINGER_S = 60.0  # a fly-out line stays this long after its intercept


def satellites(replay: dict) -> list[dict]:
    """Drawn satellites as movers: {id, layer, kind, color, every, i0, pos} (``every`` replay steps apart).

    Replays stored before satellites existed (no ``satellites`` list) give none.
    """
    out = []
    for layer in replay.get("satellites") or []:
        if not isinstance(layer, dict) or "paths" not in layer:
            continue
        color, view = SAT_COLOR.get(layer.get("type"), OTHER_COLOR), {"paths": layer["paths"]}
        for i in range(len(layer["paths"].get("lat_deg", []))):
            i0, flat = flight_samples(view, i)
            out.append({"id": f"{layer.get('layer')}-{i}", "layer": layer.get("layer"), "kind": "satellite",
                        "color": color, "every": int(layer.get("every") or 1), "i0": i0, "pos": flat})
    return out


def _destination(lat_deg: float, lon_deg: float, az_deg: float, dist_km: float) -> tuple[float, float]:
    """Spherical destination point (display geometry only), degrees."""
    la, lo, az, d = math.radians(lat_deg), math.radians(lon_deg), math.radians(az_deg), dist_km / 6371.0
    lat2 = math.asin(math.sin(la) * math.cos(d) + math.cos(la) * math.sin(d) * math.cos(az))
    lon2 = lo + math.atan2(math.sin(az) * math.sin(d) * math.cos(la), math.cos(d) - math.sin(la) * math.sin(lat2))
    return math.degrees(lat2), (math.degrees(lon2) + 540.0) % 360.0 - 180.0


def _arcs(faces: list[float], half: float) -> list[tuple[float, float]] | None:
    """Union of the faces' azimuth spans as (start, span) deg, whole degrees; None when it is all round."""
    on = [any(abs((a - f + 180.0) % 360.0 - 180.0) <= half + 1e-9 for f in faces) for a in range(360)]
    if all(on):
        return None
    k0 = on.index(False)  # start from an uncovered azimuth so that no span wraps past the list's end
    out, start = [], None
    for j in range(1, 361):
        a = (k0 + j) % 360
        if on[a] and start is None:
            start = k0 + j
        if start is not None and (not on[a] or j == 360):
            out.append((float(start), float(k0 + j - 1 - start)))
            start = None
    return out


def _fans(lat: float, lon: float, faces: list[float], half: float, range_km: float) -> list[list[float]]:
    """Flat [lon, lat, ...] rings of a radar's ground coverage: one sector per run of adjoining faces, or a disc."""
    arcs = _arcs(faces, half)
    rings = []
    for start, span in ([(0.0, 360.0)] if arcs is None else arcs):
        k = max(4, math.ceil(span / 5.0))
        ring = [] if arcs is None else [lon, lat]
        for j in range(k if arcs is None else k + 1):
            la, lo = _destination(lat, lon, start + span * j / k, range_km)
            ring += [round(lo, 3), round(la, 3)]
        rings.append(ring)
    return rings


def coverage(replay: dict) -> list[dict]:
    """Radar coverage fans on the ground: {name, type, organic, max_range_km, rings: [[lon, lat, ...]]}.

    One ring per run of adjoining array faces (range and face width from the run's catalog entry); radars of
    replays stored before coverage existed carry no ``max_range_km`` and give none.
    """
    out = []
    for r in replay.get("sensors", []):
        rng, faces, half = r.get("max_range_km"), r.get("faces_az_deg") or [], r.get("fov_az_half_deg")
        if not (_num(rng) and rng > 0 and _num(half) and _num(r.get("lat_deg")) and _num(r.get("lon_deg"))):
            continue
        rings = _fans(r["lat_deg"], r["lon_deg"], [float(a) for a in faces if _num(a)], float(half), float(rng))
        out.append({"name": r.get("name"), "type": r.get("type"), "organic": bool(r.get("organic")),
                    "max_range_km": rng, "color": FAN_COLOR, "rings": rings})
    return out


def _arc(a: tuple, b: tuple, n: int = FLYOUT_POINTS) -> list[float]:
    """Flat [lon, lat, h_m, ...]: great circle from a to b (lat, lon deg, alt km), altitude linear."""
    va, vb = (_unit(a[0], a[1]), _unit(b[0], b[1]))
    w = math.acos(max(-1.0, min(1.0, sum(x * y for x, y in zip(va, vb)))))
    flat: list[float] = []
    for j in range(n):
        f = j / (n - 1)
        ka, kb = ((1 - f), f) if w < 1e-9 else (math.sin((1 - f) * w) / math.sin(w), math.sin(f * w) / math.sin(w))
        x, y, z = (ka * p + kb * q for p, q in zip(va, vb))
        flat += [round(math.degrees(math.atan2(y, x)), 4), round(math.degrees(math.atan2(z, math.hypot(x, y))), 4),
                 round(((1 - f) * a[2] + f * b[2]) * 1e3, 1)]
    return flat


def _unit(lat: float, lon: float) -> tuple[float, float, float]:
    la, lo = math.radians(lat), math.radians(lon)
    return math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la)


def flyouts(replay: dict) -> list[dict]:
    """Interceptor fly-outs: launcher -> intercept point arcs, drawn from launch_s to intercept_s.

    Engagements without a launch site (an SBI layer with no satellite drawn) are left out;
    replays stored before engagements existed give none.
    """
    out = []
    for e in replay.get("engagements") or []:
        site = (e.get("site_lat_deg"), e.get("site_lon_deg"), e.get("site_alt_km") or 0.0)
        hit = (e.get("intercept_lat_deg"), e.get("intercept_lon_deg"), e.get("intercept_alt_km"))
        if not all(_num(v) for v in site + hit + (e.get("launch_s"), e.get("intercept_s"))):
            continue
        out.append({**{k: e.get(k) for k in ("object", "effector", "type", "layer", "launch_s", "intercept_s")},
                    "color": LAYER_COLOR.get(e.get("layer"), OTHER_COLOR), "pos": _arc(site, hit)})
    return out


def scene(replay: dict, run: dict | None = None) -> dict:
    """The compact document the page plays (see the module docstring)."""
    t0, dt = _t(replay)
    objects = [_scene_object(replay, n, o) for n, o in enumerate(replay.get("objects", []))]
    return {"epoch": EPOCH, "t0_s": t0, "dt_s": dt, "n_t": len(replay.get("t_s") or []),
            "t_end_s": t0 + dt * max(len(replay.get("t_s") or [1]) - 1, 0),
            "objects": objects, "satellites": satellites(replay), "sites": sites(replay),
            "coverage": coverage(replay), "flyouts": flyouts(replay), "flyout_linger_s": FLYOUT_LINGER_S,
            "layers": replay.get("layers", {}), "assets": replay.get("assets", []),
            "run": _run_head(run)}


def _run_head(run: dict | None) -> dict:
    if not run:
        return {}
    return {k: run.get(k) for k in ("run_id", "name", "created", "seed", "trials")}


def _iso(t_s: float) -> str:
    """ISO 8601 of scenario time ``t_s`` (whole seconds are enough for an interval)."""
    from datetime import datetime, timedelta

    start = datetime.fromisoformat(EPOCH.replace("Z", "+00:00"))
    return (start + timedelta(seconds=float(t_s))).isoformat().replace("+00:00", "Z")


def _czml_object(replay: dict, n: int, obj: dict, t0: float, dt: float) -> dict | None:
    i0, flat = flight_samples(replay, n)
    if not flat:
        return None
    samples: list[float] = []
    for j in range(len(flat) // 3):
        samples += [round(t0 + (i0 + j) * dt, 1), *flat[3 * j:3 * j + 3]]
    end = samples[-4]
    killed = _num(obj.get("kill_time_s")) and (obj.get("p_killed") or 0) >= 0.5
    stop = min(end, obj["kill_time_s"]) if killed else end
    return {"id": f"object-{obj.get('id', n)}", "name": f"{obj.get('kind')} {obj.get('id', n)} ({obj.get('missile_id')})",
            "availability": f"{_iso(samples[0])}/{_iso(max(stop, samples[0]))}",
            "description": _describe({**obj, "why it leaked": why_text(obj)} if why_text(obj) else obj),
            "position": {"epoch": EPOCH, "cartographicDegrees": samples},
            "point": {"pixelSize": 6 if obj.get("kind") == "rv" else 4, "color": {"rgba": object_color(obj)}}}


def _describe(row: dict) -> str:
    from html import escape

    cells = "".join(f"<tr><th>{escape(str(k))}</th><td>{escape(str(v))}</td></tr>" for k, v in row.items()
                    if not isinstance(v, (dict, list)))
    return f"<table>{cells}</table>"


def _czml_site(row: dict) -> dict:
    return {"id": f"{row['kind']}-{row['name']}", "name": row["name"], "description": _describe(row["info"]),
            "position": {"cartographicDegrees": [row["lon_deg"], row["lat_deg"], 0.0]},
            "point": {"pixelSize": 8, "color": {"rgba": row["color"]}, "outlineWidth": 1,
                      "heightReference": "CLAMP_TO_GROUND"}}


def czml(replay: dict, run: dict | None = None) -> list[dict]:
    """The run as a CZML document (list of packets, the document packet first)."""
    t0, dt = _t(replay)
    t_end = t0 + dt * max(len(replay.get("t_s") or [1]) - 1, 0)
    name = (run or {}).get("name") or "goldendome run"
    doc = {"id": "document", "name": str(name), "version": "1.0",
           "clock": {"interval": f"{_iso(t0)}/{_iso(t_end)}", "currentTime": _iso(t0), "multiplier": 60,
                     "range": "LOOP_STOP", "step": "SYSTEM_CLOCK_MULTIPLIER"}}
    objs = [_czml_object(replay, n, o, t0, dt) for n, o in enumerate(replay.get("objects", []))]
    return ([doc] + [o for o in objs if o is not None] + [_czml_site(s) for s in sites(replay)]
            + _czml_satellites(replay, t0, dt) + _czml_coverage(replay) + _czml_flyouts(replay))


def _czml_satellites(replay: dict, t0: float, dt: float) -> list[dict]:
    out = []
    for s in satellites(replay):
        if not s["pos"]:
            continue
        step, flat, samples = dt * s["every"], s["pos"], []
        for j in range(len(flat) // 3):
            samples += [round(t0 + (s["i0"] + j) * step, 1), *flat[3 * j:3 * j + 3]]
        out.append({"id": f"satellite-{s['id']}", "name": f"satellite {s['id']}",
                    "position": {"epoch": EPOCH, "cartographicDegrees": samples},
                    "point": {"pixelSize": 3, "color": {"rgba": s["color"]}}})
    return out


def _czml_coverage(replay: dict) -> list[dict]:
    """Coverage fans as outline rings (polylines 1 km up): filled ground polygons cost most of
    the frame in software WebGL, as on the page."""
    return [{"id": f"coverage-{c['name']}-{k}", "name": f"{c['name']} coverage",
             "polyline": {"positions": {"cartographicDegrees": [v for j in range(0, len(ring), 2)
                                                                for v in (ring[j], ring[j + 1], 1000.0)]},
                          "width": 1, "material": {"solidColor": {"color": {"rgba": c["color"][:3] + [200]}}}}}
            for c in coverage(replay) for k, ring in enumerate(c["rings"])]


def _czml_flyouts(replay: dict) -> list[dict]:
    return [{"id": f"flyout-{f['object']}", "name": f"{f['effector']} -> object {f['object']} ({f['layer']})",
             "availability": f"{_iso(f['launch_s'])}/{_iso(f['intercept_s'] + FLYOUT_LINGER_S)}",
             "polyline": {"positions": {"cartographicDegrees": f["pos"]}, "width": 2, "arcType": "NONE",
                          "material": {"solidColor": {"color": {"rgba": f["color"]}}}}}
            for f in flyouts(replay)]
