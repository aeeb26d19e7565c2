"""Plotly figures of a run (replay document, metrics, outcomes) and of a plan (plan.json).

Each function takes the plain dicts the study store or plan.json hold and returns a
``plotly.graph_objects.Figure``; none computes physics. Paths are drawn with one trace per
class of object, objects joined by ``None`` gaps, and thinned to a bounded number of points
per path, so a 1,000-object raid stays a few traces of a few tens of thousands of points.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from . import LEAK_COLOUR, LEAK_HIGHLIGHT, kind_colour, layer_colour

# Points drawn over all paths: keeps a 1,000-object map quick in SVG (24 a path); plotly draws
# each segment as a great circle, so a ballistic path needs few points to look right.
MAP_POINTS_TOTAL = 24_000
MAP_POINTS_MIN, MAP_POINTS_MAX = 8, 60  # per path
TEMPLATE = "plotly_white"
GEO_STYLE = dict(projection_type="natural earth", showland=True, landcolor="#eef0e8", showocean=True,
                 oceancolor="#dfe9f3", showcountries=True, countrycolor="#b8b8b8", coastlinecolor="#8a8a8a",
                 showlakes=False, resolution=110)


def _layout(fig: go.Figure, title: str, height: int = 420, **kw) -> go.Figure:
    """Common layout: white template, a title, tight margins (``kw`` overrides)."""
    kw = {"margin": dict(l=60, r=20, t=50, b=40), "legend": dict(itemsizing="constant"), **kw}
    fig.update_layout(template=TEMPLATE, title=dict(text=title, x=0.01), height=height, **kw)
    return fig


def _is_leaker(obj: dict) -> bool:
    return (obj.get("p_leak") or 0.0) >= LEAK_HIGHLIGHT


def _pct(x) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"


def object_hover(obj: dict) -> str:
    """One object's hover text: id, kind, missile, asset, probabilities, kill layers."""
    share = ", ".join(f"{k} {_pct(v)}" for k, v in (obj.get("kill_layer_share") or {}).items() if v)
    return (f"#{obj['id']} {obj['kind']} ({obj.get('missile_id')}) -> {obj.get('asset') or '-'}"
            f"<br>P(leak) {_pct(obj.get('p_leak'))}, P(killed) {_pct(obj.get('p_killed'))}"
            f"<br>kills by layer: {share or 'none'}")


# ---------------------------------------------------------------------------------------- map

def centre_lon(lon) -> float:
    """Circular mean of longitudes, deg (0 when there are none)."""
    lon = np.radians(np.asarray(lon, float))
    lon = lon[np.isfinite(lon)]
    return float(np.degrees(np.arctan2(np.sin(lon).mean(), np.cos(lon).mean()))) if lon.size else 0.0


def shift(lon, centre: float) -> np.ndarray:
    """Longitudes moved into [centre - 180, centre + 180), deg."""
    return (np.asarray(lon, float) - centre + 180.0) % 360.0 - 180.0 + centre


def geo_view(lon, lat, pad_deg: float = 6.0) -> dict:
    """``layout.geo`` settings that frame the points: rotated to their mean longitude, then clipped.

    Notes
    -----
    Done here rather than with plotly's ``fitbounds``, which gives up (whole world, seam in the
    Pacific) when paths cross the date line.
    """
    lon, lat = np.asarray(lon, float), np.asarray(lat, float)
    ok = np.isfinite(lon) & np.isfinite(lat)
    if not ok.any():
        return {}
    c = centre_lon(lon[ok])
    w, la = shift(lon[ok], c), lat[ok]
    lon_rng = [max(w.min() - pad_deg, c - 180.0), min(w.max() + pad_deg, c + 180.0)]
    lat_rng = [max(la.min() - pad_deg, -90.0), min(la.max() + pad_deg, 90.0)]
    return dict(projection_rotation_lon=c, center=dict(lon=(lon_rng[0] + lon_rng[1]) / 2,
                                                       lat=(lat_rng[0] + lat_rng[1]) / 2),
                lonaxis_range=lon_rng, lataxis_range=lat_rng)


def path_arrays(replay: dict) -> tuple[np.ndarray, np.ndarray]:
    """Latitude and longitude of every object's path, (N, T) deg, NaN outside its flight."""
    n, p = len(replay["objects"]), replay["paths"]
    if n == 0:
        return np.empty((0, 0)), np.empty((0, 0))
    return np.array(p["lat_deg"], dtype=float).reshape(n, -1), np.array(p["lon_deg"], dtype=float).reshape(n, -1)


def points_per_path(n_objects: int) -> int:
    """How many points each path keeps so the whole map stays near ``MAP_POINTS_TOTAL``."""
    return int(np.clip(MAP_POINTS_TOTAL // max(n_objects, 1), MAP_POINTS_MIN, MAP_POINTS_MAX))


def thin(valid: np.ndarray, k: int) -> np.ndarray:
    """Indices of at most ``k`` evenly spaced valid samples, first and last included."""
    idx = np.flatnonzero(valid)
    if len(idx) <= k:
        return idx
    return idx[np.unique(np.linspace(0, len(idx) - 1, k).round().astype(int))]


def joined(values: np.ndarray, keep: list[np.ndarray], members: list[int]) -> list:
    """Rows ``members`` of ``values`` at their kept samples, one list with None between rows."""
    out: list = []
    for i in members:
        out.extend(np.round(values[i, keep[i]], 2).tolist())
        out.append(None)
    return out


def path_groups(objects: list[dict]) -> list[tuple[str, list[int], str, float, float]]:
    """Path traces to draw: (label, object indices, colour, width, opacity), leakers last."""
    kinds: dict[str, list[int]] = {}
    leakers = []
    for i, o in enumerate(objects):
        (leakers if _is_leaker(o) else kinds.setdefault(o["kind"], [])).append(i)
    groups = [(f"{k} paths", m, kind_colour(k), 0.7 if k == "decoy" else 1.3, 0.45 if k == "decoy" else 0.8)
              for k, m in sorted(kinds.items(), key=lambda kv: kv[0] != "decoy")]
    if leakers:
        groups.append((f"leaker paths (P(leak) >= {LEAK_HIGHLIGHT:.0%})", leakers, LEAK_COLOUR, 1.8, 0.95))
    return groups


def _path_traces(replay: dict) -> list[go.Scattergeo]:
    objects = replay["objects"]
    lat, lon = path_arrays(replay)
    k = points_per_path(len(objects))
    keep = [thin(np.isfinite(lat[i]) & np.isfinite(lon[i]), k) for i in range(len(objects))]
    return [go.Scattergeo(lat=joined(lat, keep, m), lon=joined(lon, keep, m), mode="lines", name=label,
                          line=dict(color=c, width=w), opacity=a, hoverinfo="skip")
            for label, m, c, w, a in path_groups(objects)]


def _end_trace(objects: list[dict]) -> go.Scattergeo:
    ends = [o for o in objects if o["kind"] != "decoy" and o.get("end_lat_deg") is not None]
    return go.Scattergeo(lat=[o["end_lat_deg"] for o in ends], lon=[o["end_lon_deg"] for o in ends],
                         mode="markers", name="end points (not decoys)", text=[object_hover(o) for o in ends],
                         hoverinfo="text", marker=dict(size=[9 if _is_leaker(o) else 5 for o in ends],
                                                       symbol=["x" if _is_leaker(o) else "circle" for o in ends],
                                                       color=[LEAK_COLOUR if _is_leaker(o) else kind_colour(o["kind"])
                                                              for o in ends]))


def placed(rows: list[dict]) -> list[dict]:
    """The rows that have a position (space-based sensors and interceptors have none)."""
    return [r for r in rows if r.get("lat_deg") is not None and r.get("lon_deg") is not None]


def _effector_traces(effectors: list[dict]) -> list[go.Scattergeo]:
    by_layer: dict[str, list[dict]] = {}
    for e in placed(effectors):
        by_layer.setdefault(e["layer"], []).append(e)
    return [go.Scattergeo(lat=[e["lat_deg"] for e in rows], lon=[e["lon_deg"] for e in rows], mode="markers",
                          name=f"{layer} interceptors", hoverinfo="text",
                          text=[f"{e['name']} ({e['type']}, {layer})<br>inventory {e['inventory']}, "
                                f"fired {e['shots_mean']} per trial (mean)" for e in rows],
                          marker=dict(symbol="diamond", size=10, color=layer_colour(layer, j),
                                      line=dict(color="black", width=0.8)))
            for j, (layer, rows) in enumerate(by_layer.items())]


def _site_traces(replay: dict) -> list[go.Scattergeo]:
    sensors, assets = placed(replay.get("sensors", [])), placed(replay.get("assets", []))
    out = [go.Scattergeo(lat=[s["lat_deg"] for s in sensors], lon=[s["lon_deg"] for s in sensors], mode="markers",
                         name="sensors (ground, sea)", hoverinfo="text",
                         text=[f"{s['name']} ({s['kind']})" for s in sensors],
                         marker=dict(symbol="triangle-up", size=10, color="#222222"))]
    out += _effector_traces(replay.get("effectors", []))
    out.append(go.Scattergeo(
        lat=[a["lat_deg"] for a in assets], lon=[a["lon_deg"] for a in assets], mode="markers", name="defended assets",
        hoverinfo="text", text=[f"{a['id']} ({a.get('category')}), value {a.get('value')}<br>leakers "
                                f"{a.get('leakers_mean')} per trial (mean)" for a in assets],
        marker=dict(symbol="circle-open", size=[8 + 8 * min(a.get("value") or 0, 2) for a in assets],
                    color=LEAK_COLOUR, line=dict(width=2))))
    return [t for t in out if len(t.lat)]


def _flyout_trace(replay: dict) -> list[go.Scattergeo]:
    """Representative interceptor fly-outs (launcher -> intercept point), one line trace; none in old replays."""
    rows = [e for e in replay.get("engagements") or [] if None not in (
        e.get("site_lat_deg"), e.get("site_lon_deg"), e.get("intercept_lat_deg"), e.get("intercept_lon_deg"))]
    if not rows:
        return []
    lat = [v for e in rows for v in (e["site_lat_deg"], e["intercept_lat_deg"], None)]
    lon = [v for e in rows for v in (e["site_lon_deg"], e["intercept_lon_deg"], None)]
    return [go.Scattergeo(lat=lat, lon=lon, mode="lines", name="interceptor fly-outs (representative)",
                          hoverinfo="skip", line=dict(color="#1565c0", width=1, dash="dot"), opacity=0.7)]


def map_figure(replay: dict) -> go.Figure:
    """Trajectories (one trace per kind, leakers in red), fly-outs, sensor and interceptor sites, assets."""
    fig = go.Figure(_path_traces(replay) + [_end_trace(replay["objects"])] + _flyout_trace(replay)
                    + _site_traces(replay))
    lat, lon = path_arrays(replay)
    sites = placed(replay.get("sensors", []) + replay.get("effectors", []) + replay.get("assets", []))
    fig.update_geos(**GEO_STYLE, **geo_view(np.r_[lon.ravel(), [s["lon_deg"] for s in sites]],
                                            np.r_[lat.ravel(), [s["lat_deg"] for s in sites]]))
    return _layout(fig, "Trajectories, sensors and interceptors", height=560,
                   margin=dict(l=0, r=0, t=50, b=0))


# ----------------------------------------------------------------------------------- timeline

def dominant_layer(obj: dict) -> str | None:
    """The layer that killed the object most often (None if never killed)."""
    share = {k: v for k, v in (obj.get("kill_layer_share") or {}).items() if v}
    return max(share, key=share.get) if share else None


def _bars(objects: list[dict], rank: dict[int, int]) -> list[go.Scatter]:
    kinds: dict[str, tuple[list, list]] = {}
    for o in objects:
        if o.get("t_launch_s") is None or o.get("t_end_s") is None:
            continue
        xs, ys = kinds.setdefault(o["kind"], ([], []))
        xs += [o["t_launch_s"], o["t_end_s"], None]
        ys += [rank[o["id"]]] * 2 + [None]
    return [go.Scatter(x=xs, y=ys, mode="lines", name=f"{k} flight", hoverinfo="skip",
                       line=dict(color=kind_colour(k), width=2 if k != "decoy" else 1),
                       opacity=0.5 if k == "decoy" else 0.8) for k, (xs, ys) in kinds.items()]


def _marks(rows: list[dict], rank: dict[int, int], key: str, name: str, **marker) -> go.Scatter:
    rows = [o for o in rows if o.get(key) is not None]
    return go.Scatter(x=[o[key] for o in rows], y=[rank[o["id"]] for o in rows], mode="markers", name=name,
                      text=[object_hover(o) for o in rows], hoverinfo="text+x", marker=marker)


def _kill_marks(objects: list[dict], rank: dict[int, int]) -> list[go.Scatter]:
    by_layer: dict[str, list[dict]] = {}
    for o in objects:
        layer = dominant_layer(o)
        if layer is not None and o.get("kill_time_s") is not None:
            by_layer.setdefault(layer, []).append(o)
    return [_marks(rows, rank, "kill_time_s", f"kill (median), mostly {layer}", symbol="circle", size=7,
                   color=layer_colour(layer, j)) for j, (layer, rows) in enumerate(by_layer.items())]


def timeline_figure(replay: dict) -> go.Figure:
    """Per object (rows, by launch time): flight bar from launch to end, first shot, median kill
    time coloured by layer, and an impact cross on leakers."""
    objects = sorted(replay["objects"], key=lambda o: (o.get("t_launch_s") or 0.0, o["id"]))
    rank = {o["id"]: r for r, o in enumerate(objects)}
    leak = [o for o in objects if _is_leaker(o)]
    fig = go.Figure(_bars(objects, rank) + [
        _marks(objects, rank, "first_shot_s", "first shot", symbol="triangle-right", size=7, color="black")]
        + _kill_marks(objects, rank) + [
        _marks(leak, rank, "t_end_s", f"impact, leaker (P(leak) >= {LEAK_HIGHLIGHT:.0%})", symbol="x", size=10,
               color=LEAK_COLOUR)])
    few = len(objects) <= 60
    fig.update_yaxes(autorange="reversed", title="object (by launch time)", showticklabels=few,
                     tickvals=list(range(len(objects))) if few else None,
                     ticktext=[f"#{o['id']} {o['kind']}" for o in objects] if few else None)
    fig.update_xaxes(title="time from scenario start, s")
    return _layout(fig, "Engagement timeline", height=int(np.clip(160 + 14 * len(objects), 360, 900)))


# ------------------------------------------------------------------------------- bar charts

def layers_figure(replay: dict) -> go.Figure:
    """Shots and kills per trial by layer (mean over trials)."""
    layers = list(replay["layers"])
    colours = [layer_colour(k, j) for j, k in enumerate(layers)]
    fig = go.Figure([
        go.Bar(x=layers, y=[replay["layers"][k]["shots_mean"] for k in layers], name="shots", opacity=0.4,
               marker=dict(color=colours, line=dict(color=colours, width=1.5))),
        go.Bar(x=layers, y=[replay["layers"][k]["kills_mean"] for k in layers], name="kills",
               marker=dict(color=colours))])
    fig.update_yaxes(title="per trial (mean)")
    return _layout(fig, "Shots and kills by layer", barmode="group")


def leakers_by_asset_figure(replay: dict, top: int = 30) -> go.Figure:
    """Leakers per trial (mean) at each defended asset, the ``top`` worst."""
    rows = sorted(replay.get("assets", []), key=lambda a: -(a.get("leakers_mean") or 0.0))[:top]
    fig = go.Figure(go.Bar(x=[a["id"] for a in rows], y=[a.get("leakers_mean") or 0.0 for a in rows],
                           marker_color=LEAK_COLOUR, name="leakers",
                           hovertext=[f"{a.get('category')}, value {a.get('value')}" for a in rows]))
    fig.update_yaxes(title="leakers per trial (mean)", rangemode="tozero")
    return _layout(fig, "Leakers by asset")


def interceptors_figure(metrics: dict, replay: dict) -> go.Figure:
    """Interceptors fired per trial (mean) by type, coloured by the type's layer."""
    used = metrics.get("interceptors_used") or {}
    layer_of = {e["type"]: e["layer"] for e in replay.get("effectors", [])}
    inventory: dict[str, int] = {}
    for e in replay.get("effectors", []):
        inventory[e["type"]] = inventory.get(e["type"], 0) + int(e.get("inventory") or 0)
    order = list(dict.fromkeys(layer_of.get(t, "") for t in used))
    fig = go.Figure(go.Bar(x=list(used), y=list(used.values()), name="fired",
                           marker_color=[layer_colour(layer_of.get(t, ""), order.index(layer_of.get(t, "")))
                                         for t in used],
                           hovertext=[f"{layer_of.get(t, '?')} layer, inventory {inventory.get(t, '?')}"
                                      for t in used]))
    fig.update_yaxes(title="fired per trial (mean)", rangemode="tozero")
    return _layout(fig, "Interceptors used by type")


def cost_figure(metrics: dict) -> go.Figure | None:
    """Bars of any cost breakdown the metrics hold (``*_usd`` dicts), in $M; None if none."""
    parts = {k: v for k, v in metrics.items() if k.endswith("_usd") and isinstance(v, dict) and v}
    if not parts:
        return None
    fig = go.Figure([go.Bar(x=list(v), y=[x / 1e6 for x in v.values()], name=k) for k, v in parts.items()])
    fig.update_yaxes(title="$M per trial (mean)")
    return _layout(fig, "Cost breakdown", barmode="group")


def leakers_per_trial(outcomes: dict) -> np.ndarray:
    """Leakers in each trial, (trials,), from the per-trial x object outcome columns."""
    trial, leaked = np.asarray(outcomes["trial"]), np.asarray(outcomes["leaked"], bool)
    return np.bincount(trial[leaked], minlength=int(trial.max()) + 1 if len(trial) else 0)


def leakers_hist_figure(outcomes: dict) -> go.Figure:
    """How often a trial has 0, 1, 2 ... leakers."""
    counts = np.bincount(leakers_per_trial(outcomes))
    share = counts / max(counts.sum(), 1)
    fig = go.Figure(go.Bar(x=list(range(len(counts))), y=share.tolist(), marker_color=LEAK_COLOUR,
                           hovertext=[f"{c} trials" for c in counts.tolist()]))
    fig.update_xaxes(title="leakers in a trial", dtick=1)
    fig.update_yaxes(title="share of trials", tickformat=".0%")
    return _layout(fig, "Leakers per trial")


# ------------------------------------------------------------------------------------- plans

def _arch_colours(plan: dict) -> dict[str, str]:
    palette = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f")
    return {a["name"]: palette[i % len(palette)] for i, a in enumerate(plan["architectures"])}


def raid_figure(plan: dict) -> go.Figure:
    """P(no leaker) and expected leakers against raid size, per architecture and threat set."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=("P(no leaker)", "expected leakers"))
    colours, dashes = _arch_colours(plan), ("solid", "dash", "dot", "dashdot")
    for a in plan["architectures"]:
        for j, (set_name, ts) in enumerate(a.get("threat_sets", {}).items()):
            rows = sorted(ts.get("by_raid_size", []), key=lambda r: r["raid"])
            for col, key in ((1, "p_no_leak"), (2, "expected_leakers")):
                fig.add_trace(go.Scatter(x=[r["raid"] for r in rows], y=[r[key] for r in rows], mode="lines+markers",
                                         name=f"{a['name']}: {set_name}", legendgroup=f"{a['name']}{set_name}",
                                         showlegend=col == 1, line=dict(color=colours[a["name"]],
                                                                        dash=dashes[j % len(dashes)])), 1, col)
    fig.update_xaxes(title="raid size (missiles)")
    fig.update_yaxes(range=[0, 1.02], tickformat=".0%", row=1, col=1)
    return _layout(fig, "Leakage against raid size")


def _fy_layers(arch: dict) -> dict[str, dict]:
    by_layer = arch.get("cost_by_fy_by_layer_usd")
    return by_layer if by_layer else {"total": arch.get("cost_by_fy_usd", {})}


def cost_fy_figure(plan: dict) -> go.Figure:
    """Cost by fiscal year, stacked by layer, one panel per architecture ($B)."""
    archs = plan["architectures"]
    fig = make_subplots(rows=1, cols=max(len(archs), 1), shared_yaxes=True,
                        subplot_titles=[a["name"] for a in archs])
    seen: list[str] = []  # layers in order of first appearance: one legend entry and colour each
    for col, a in enumerate(archs, start=1):
        for layer, by_fy in _fy_layers(a).items():
            first = layer not in seen
            seen += [layer] if first else []
            fys = sorted(by_fy, key=str)
            fig.add_trace(go.Bar(x=[str(f) for f in fys], y=[by_fy[f] / 1e9 for f in fys], name=layer,
                                 legendgroup=layer, showlegend=first,
                                 marker_color=layer_colour(layer, seen.index(layer))), 1, col)
    fig.update_yaxes(title="$B", row=1, col=1)
    return _layout(fig, "Cost by fiscal year, by layer", barmode="stack")


def cost_effect_figure(plan: dict) -> go.Figure:
    """Total cost ($B) against P(no leaker) of each architecture, one trace per threat set."""
    sets: dict[str, list[tuple[str, float, float]]] = {}
    for a in plan["architectures"]:
        for name, ts in a.get("threat_sets", {}).items():
            sets.setdefault(name, []).append((a["name"], a["total_cost_usd"] / 1e9, ts.get("p_no_leak")))
    fig = go.Figure([go.Scatter(x=[r[1] for r in rows], y=[r[2] for r in rows], text=[r[0] for r in rows],
                                mode="markers+text", textposition="top center", name=name, marker=dict(size=12))
                     for name, rows in sets.items()])
    fig.update_xaxes(title="total cost, $B", rangemode="tozero")
    fig.update_yaxes(title="P(no leaker)", range=[0, 1.05], tickformat=".0%")
    return _layout(fig, "Cost against effectiveness")


def priorities_figure(plan: dict) -> go.Figure:
    """The prioritized defended locations on a map, coloured by category, labelled by rank."""
    cats: dict[str, list[dict]] = {}
    for p in plan.get("priorities", []):
        cats.setdefault(str(p.get("category")), []).append(p)
    top = max([abs(p.get("value") or 0.0) for rows in cats.values() for p in rows] + [1e-12])
    fig = go.Figure([go.Scattergeo(
        lat=[p["lat"] for p in rows], lon=[p["lon"] for p in rows], mode="markers+text", name=cat,
        text=[str(p["rank"]) for p in rows], textposition="top center", hoverinfo="text",
        hovertext=[f"#{p['rank']} {p.get('name', p.get('id'))} ({cat}), value {p.get('value')}<br>{p.get('reason', '')}"
                   for p in rows],
        marker=dict(size=[6 + 14 * math.sqrt(abs(p.get("value") or 0.0) / top) for p in rows], opacity=0.85))
        for cat, rows in cats.items()])
    pts = plan.get("priorities", [])
    fig.update_geos(**GEO_STYLE, **geo_view([p["lon"] for p in pts], [p["lat"] for p in pts]))
    return _layout(fig, "Prioritized locations", height=520, margin=dict(l=0, r=0, t=50, b=0))
