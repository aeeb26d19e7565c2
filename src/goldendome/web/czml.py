"""Globe documents from a run's replay artifact: CZML, and a compact scene for the page.

Both are formatting of what `goldendome run` stored (see the layout in
:mod:`goldendome.replay`): nothing here computes physics. Times are seconds from scenario
start; the globe pins scenario start to :data:`EPOCH` (scenarios carry no calendar date).

- :func:`czml` is standard CZML (one packet per object, positions as sampled
  ``cartographicDegrees`` over the object's flight only), for Cesium tools and export.
- :func:`scene` is what the page plays: per object its first sample index and a flat
  ``[lon, lat, h_m, ...]`` list, so the browser builds one typed array per object and moves
  a ``PointPrimitiveCollection`` once per frame (1,000 objects without one entity each).
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
    return {**{k: obj.get(k) for k in keep}, "color": object_color(obj), "i0": i0, "pos": flat}


def _satellites(replay: dict) -> list[dict]:
    """Satellites, when the replay carries them (``satellites: {names, lat_deg, lon_deg, alt_km}``)."""
    sat = replay.get("satellites")
    if not isinstance(sat, dict) or "lat_deg" not in sat:
        return []
    names = sat.get("names") or [f"sat-{i}" for i in range(len(sat["lat_deg"]))]
    view = {"paths": sat}
    return [{"id": str(nm), "kind": "satellite", "color": [120, 200, 255, 220], "i0": i0, "pos": flat}
            for nm, (i0, flat) in ((nm, flight_samples(view, i)) for i, nm in enumerate(names))]


def scene(replay: dict, run: dict | None = None) -> dict:
    """The compact document the page plays (see the module docstring)."""
    t0, dt = _t(replay)
    objects = [_scene_object(replay, n, o) for n, o in enumerate(replay.get("objects", []))]
    return {"epoch": EPOCH, "t0_s": t0, "dt_s": dt, "n_t": len(replay.get("t_s") or []),
            "t_end_s": t0 + dt * max(len(replay.get("t_s") or [1]) - 1, 0),
            "objects": objects, "satellites": _satellites(replay), "sites": sites(replay),
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
            "description": _describe(obj),
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
    return [doc] + [o for o in objs if o is not None] + [_czml_site(s) for s in sites(replay)]
