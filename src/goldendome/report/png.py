"""The key figures of a run or a plan as PNG files, drawn with matplotlib (no browser, no kaleido).

Maps are plain longitude-latitude plots centred on the data, with Natural Earth coastlines
decoded from the same vendored TopoJSON the HTML report embeds.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from . import LEAK_COLOUR, LEAK_HIGHLIGHT, kind_colour, layer_colour, world_topojson
from . import figures as F

DPI = 110


def _flat(arcs) -> list[int]:
    """Arc indices of a TopoJSON geometry's nested ``arcs`` lists."""
    if isinstance(arcs, int):
        return [arcs]
    return [i for a in arcs for i in _flat(a)]


def coastlines(topo: dict | None = None) -> list[np.ndarray]:
    """Coastline polylines, each (n, 2) longitude, latitude in degrees.

    Notes
    -----
    TopoJSON arcs are delta-encoded integers: positions are the running sum of the deltas,
    times ``transform.scale`` plus ``transform.translate`` (TopoJSON specification, section 2.1.2).
    A negative index ``~i`` is arc ``i`` reversed; the direction does not matter for drawing.
    """
    topo = topo or world_topojson()
    scale, shift = np.array(topo["transform"]["scale"]), np.array(topo["transform"]["translate"])
    ids = {i if i >= 0 else ~i for g in topo["objects"]["coastlines"]["geometries"] for i in _flat(g["arcs"])}
    return [np.cumsum(np.array(topo["arcs"][i], float), axis=0) * scale + shift for i in sorted(ids)]


def _line(ax, lon, lat, centre, **kw) -> None:
    """A polyline on the map, broken where it crosses the seam opposite ``centre``."""
    w = F.shift(lon, centre)
    cut = np.flatnonzero(np.abs(np.diff(w)) > 180.0) + 1
    ax.plot(np.insert(w, cut, np.nan), np.insert(np.asarray(lat, float), cut, np.nan), **kw)


def _map_axes(fig: Figure, lon: np.ndarray, lat: np.ndarray, centre: float):
    ax = fig.add_subplot()
    for c in coastlines():
        _line(ax, c[:, 0], c[:, 1], centre, color="#8a8a8a", lw=0.5)
    w = F.shift(lon[np.isfinite(lon)], centre)
    la = lat[np.isfinite(lat)]
    if w.size:
        pad = 8.0
        ax.set_xlim(max(w.min() - pad, centre - 180), min(w.max() + pad, centre + 180))
        ax.set_ylim(max(la.min() - pad, -90), min(la.max() + pad, 90))
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel("longitude, deg (east +; beyond 180 means west of the date line)")
    ax.set_ylabel("latitude, deg")
    return ax


def _save(fig: Figure, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    return path


# -------------------------------------------------------------------------------------- runs

def map_png(replay: dict, path: Path) -> Path:
    """Trajectories (thinned, leakers red), sites and assets on a coastline map."""
    lat, lon = F.path_arrays(replay)
    sites = F.placed(replay.get("sensors", []) + replay.get("effectors", []) + replay.get("assets", []))
    all_lon = np.concatenate([lon.ravel(), [s["lon_deg"] for s in sites]])
    all_lat = np.concatenate([lat.ravel(), [s["lat_deg"] for s in sites]])
    centre = F.centre_lon(all_lon)
    fig = Figure(figsize=(11, 6))
    ax = _map_axes(fig, all_lon, all_lat, centre)
    k = F.points_per_path(len(replay["objects"]))
    for label, members, colour, width, alpha in F.path_groups(replay["objects"]):
        for n, i in enumerate(members):
            keep = F.thin(np.isfinite(lat[i]) & np.isfinite(lon[i]), k)
            _line(ax, lon[i, keep], lat[i, keep], centre, color=colour, lw=width, alpha=alpha,
                  label=label if n == 0 else None)
    _sites(ax, replay, centre)
    ax.legend(loc="lower left", fontsize=7)
    ax.set_title("Trajectories, sensors and interceptors")
    return _save(fig, path)


def _sites(ax, replay: dict, centre: float) -> None:
    def pts(rows):
        return F.shift([r["lon_deg"] for r in rows], centre), [r["lat_deg"] for r in rows]
    sensors = F.placed(replay.get("sensors", []))
    if sensors:
        ax.scatter(*pts(sensors), marker="^", color="#222222", s=30, label="sensors", zorder=3)
    layers: dict[str, list[dict]] = {}
    for e in F.placed(replay.get("effectors", [])):
        layers.setdefault(e["layer"], []).append(e)
    for j, (layer, rows) in enumerate(layers.items()):
        ax.scatter(*pts(rows), marker="D", color=layer_colour(layer, j), edgecolor="black", s=35,
                   label=f"{layer} interceptors", zorder=3)
    assets = F.placed(replay.get("assets", []))
    if assets:
        ax.scatter(*pts(assets), facecolor="none", edgecolor=LEAK_COLOUR, s=70, lw=1.5, label="assets", zorder=3)


def timeline_png(replay: dict, path: Path) -> Path:
    """Flight bars, first shots, median kills by layer and leaker impacts per object."""
    objects = sorted(replay["objects"], key=lambda o: (o.get("t_launch_s") or 0.0, o["id"]))
    fig = Figure(figsize=(11, min(9, 2.5 + 0.12 * len(objects))))
    ax = fig.add_subplot()
    for r, o in enumerate(objects):
        if o.get("t_launch_s") is not None and o.get("t_end_s") is not None:
            ax.plot([o["t_launch_s"], o["t_end_s"]], [r, r], color=kind_colour(o["kind"]), lw=0.8,
                    alpha=0.5 if o["kind"] == "decoy" else 0.9)
    _timeline_marks(ax, objects)
    ax.invert_yaxis()
    ax.set_xlabel("time from scenario start, s")
    ax.set_ylabel("object (by launch time)")
    ax.legend(loc="lower right", fontsize=7)
    ax.set_title("Engagement timeline")
    return _save(fig, path)


def _timeline_marks(ax, objects: list[dict]) -> None:
    rank = {o["id"]: r for r, o in enumerate(objects)}

    def at(rows, key):
        rows = [o for o in rows if o.get(key) is not None]
        return [o[key] for o in rows], [rank[o["id"]] for o in rows]
    ax.scatter(*at(objects, "first_shot_s"), marker=">", color="black", s=12, label="first shot", zorder=3)
    layers: dict[str, list[dict]] = {}
    for o in objects:
        layers.setdefault(F.dominant_layer(o), []).append(o)
    for j, (layer, rows) in enumerate((k, v) for k, v in layers.items() if k is not None):
        ax.scatter(*at(rows, "kill_time_s"), color=layer_colour(layer, j), s=14, label=f"kill, mostly {layer}",
                   zorder=3)
    leak = [o for o in objects if (o.get("p_leak") or 0.0) >= LEAK_HIGHLIGHT]
    ax.scatter(*at(leak, "t_end_s"), marker="x", color=LEAK_COLOUR, s=30,
               label=f"impact, P(leak) >= {LEAK_HIGHLIGHT:.0%}", zorder=4)


def _bars(path: Path, title: str, labels: list[str], series: dict[str, tuple[list, list]], ylabel: str) -> Path:
    """Grouped bars: ``series`` maps a name to (values, colours)."""
    fig = Figure(figsize=(7, 4))
    ax = fig.add_subplot()
    x, width = np.arange(len(labels)), 0.8 / max(len(series), 1)
    for j, (name, (values, colours)) in enumerate(series.items()):
        ax.bar(x + (j - (len(series) - 1) / 2) * width, values, width, color=colours, label=name,
               alpha=0.45 if name == "shots" else 1.0)
    ax.set_xticks(x, labels, rotation=30 if len(labels) > 6 else 0, ha="right" if len(labels) > 6 else "center")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    if len(series) > 1:
        ax.legend(fontsize=8)
    return _save(fig, path)


def run_pngs(metrics: dict, replay: dict, outcomes: dict, out_dir: Path) -> list[Path]:
    """Write map, timeline, layers, leakers-by-asset and interceptors PNGs; return their paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    layers = list(replay["layers"])
    colours = [layer_colour(k, j) for j, k in enumerate(layers)]
    assets = sorted(replay.get("assets", []), key=lambda a: -(a.get("leakers_mean") or 0.0))[:30]
    used = metrics.get("interceptors_used") or {}
    layer_of = {e["type"]: e["layer"] for e in replay.get("effectors", [])}
    return [
        map_png(replay, out_dir / "map.png"),
        timeline_png(replay, out_dir / "timeline.png"),
        _bars(out_dir / "layers.png", "Shots and kills by layer", layers,
              {"shots": ([replay["layers"][k]["shots_mean"] for k in layers], colours),
               "kills": ([replay["layers"][k]["kills_mean"] for k in layers], colours)}, "per trial (mean)"),
        _bars(out_dir / "leakers_by_asset.png", "Leakers by asset", [a["id"] for a in assets],
              {"leakers": ([a.get("leakers_mean") or 0.0 for a in assets], LEAK_COLOUR)}, "leakers per trial (mean)"),
        _bars(out_dir / "interceptors.png", "Interceptors used by type", list(used),
              {"fired": (list(used.values()), [layer_colour(layer_of.get(t, ""), 4) for t in used])},
              "fired per trial (mean)")]


# ------------------------------------------------------------------------------------- plans

def raid_png(plan: dict, path: Path) -> Path:
    """P(no leaker) against raid size per architecture and threat set."""
    fig = Figure(figsize=(7, 4.5))
    ax = fig.add_subplot()
    for a in plan["architectures"]:
        for name, ts in a["threat_sets"].items():
            rows = sorted(ts.get("by_raid_size", []), key=lambda r: r["raid"])
            ax.plot([r["raid"] for r in rows], [r["p_no_leak"] for r in rows], marker="o", label=f"{a['name']}: {name}")
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("raid size (missiles)")
    ax.set_ylabel("P(no leaker)")
    ax.set_title("Leakage against raid size")
    ax.legend(fontsize=7)
    return _save(fig, path)


def cost_fy_png(plan: dict, path: Path) -> Path:
    """Cost by fiscal year stacked by layer, one panel per architecture ($B)."""
    archs = plan["architectures"]
    fig = Figure(figsize=(4 * max(len(archs), 1) + 1, 4))
    axes = fig.subplots(1, max(len(archs), 1), sharey=True, squeeze=False)[0]
    order: list[str] = []
    for ax, a in zip(axes, archs):
        layers = F._fy_layers(a)
        fys = sorted({str(f) for by_fy in layers.values() for f in by_fy})
        base = np.zeros(len(fys))
        for layer, by_fy in layers.items():
            order += [] if layer in order else [layer]
            v = np.array([by_fy.get(f, by_fy.get(_as_int(f), 0.0)) / 1e9 for f in fys])
            ax.bar(fys, v, bottom=base, color=layer_colour(layer, order.index(layer)), label=layer)
            base += v
        ax.set_title(a["name"])
        ax.tick_params(axis="x", labelrotation=90, labelsize=7)
    axes[0].set_ylabel("$B")
    axes[0].legend([Patch(color=layer_colour(k, j)) for j, k in enumerate(order)], order, fontsize=7)
    return _save(fig, path)


def _as_int(text: str):
    return int(text) if text.isdigit() else text


def cost_effect_png(plan: dict, path: Path) -> Path:
    """Total cost against P(no leaker), one marker per architecture and threat set."""
    fig = Figure(figsize=(7, 4.5))
    ax = fig.add_subplot()
    sets = list(dict.fromkeys(s for a in plan["architectures"] for s in a["threat_sets"]))
    for j, name in enumerate(sets):
        rows = [(a["name"], a["total_cost_usd"] / 1e9, a["threat_sets"][name]["p_no_leak"])
                for a in plan["architectures"] if name in a["threat_sets"]]
        ax.scatter([r[1] for r in rows], [r[2] for r in rows], s=50, marker="os^Dv"[j % 5], label=name)
        for r in rows:
            ax.annotate(r[0], (r[1], r[2]), textcoords="offset points", xytext=(4, 4), fontsize=8)
    ax.set_xlabel("total cost, $B")
    ax.set_ylabel("P(no leaker)")
    ax.set_ylim(0, 1.05)
    ax.set_title("Cost against effectiveness")
    ax.legend(fontsize=8)
    return _save(fig, path)


def priorities_png(plan: dict, path: Path) -> Path:
    """Prioritized locations by category, labelled with their rank."""
    pts = plan.get("priorities", [])
    lon, lat = np.array([p["lon"] for p in pts], float), np.array([p["lat"] for p in pts], float)
    centre = F.centre_lon(lon)
    fig = Figure(figsize=(10, 6))
    ax = _map_axes(fig, lon, lat, centre)
    cats = list(dict.fromkeys(str(p.get("category")) for p in pts))
    for cat in cats:
        rows = [p for p in pts if str(p.get("category")) == cat]
        x = F.shift([p["lon"] for p in rows], centre)
        ax.scatter(x, [p["lat"] for p in rows], s=40, label=cat, zorder=3)
        for xi, p in zip(x, rows):
            ax.annotate(str(p["rank"]), (xi, p["lat"]), textcoords="offset points", xytext=(3, 3), fontsize=7)
    ax.set_title("Prioritized locations")
    ax.legend(fontsize=7)
    return _save(fig, path)


def plan_pngs(plan: dict, out_dir: Path) -> list[Path]:
    """Write the plan's PNGs (raid size, cost by FY, cost vs effectiveness, priorities)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    out = [cost_fy_png(plan, out_dir / "cost_by_fy.png"), cost_effect_png(plan, out_dir / "cost_vs_effectiveness.png")]
    if any(ts.get("by_raid_size") for a in plan["architectures"] for ts in a["threat_sets"].values()):
        out.insert(0, raid_png(plan, out_dir / "leakage_vs_raid.png"))
    if plan.get("priorities"):
        out.append(priorities_png(plan, out_dir / "priorities.png"))
    return out
