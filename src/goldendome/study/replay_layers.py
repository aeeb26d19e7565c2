"""What the globe draws besides the threats: satellites, radar coverage, interceptor fly-outs.

Parts of the run's replay document (:mod:`goldendome.study.replay`), computed once at run time
from what the run already built, so that web/ and report/ only format them.

- :func:`satellites`: per space-IR sensor layer and per SBI layer, the satellites'
  sub-point paths (same constellation builders as the run), at most :data:`MAX_DRAWN` per
  layer (evenly chosen), sampled every :data:`SAT_EVERY` replay steps.
- :func:`radar_rows`: each radar's coverage (range, face azimuths, face half-width) from
  the same catalog entry the run used, organic fire-control radars included.
- :func:`engagements`: per object killed in at least :data:`P_KILLED_MIN` of the trials,
  one representative engagement (see its Notes).
"""

from __future__ import annotations

import math
import numpy as np

from ..effectors.batteries import SbiLayer
from ..effectors.layers import LAYER_NAMES, Layer
from ..effectors.opportunities import intercept_points
from ..effectors.table import Opportunities
from ..physics import earth
from ..scenario import build
from ..scenario.space import constellation
from ..space import orbits as orbits_mod
from ..space import sizing
from ..space.propagate import propagate
from .numbers import rounded

MAX_DRAWN = 300    # satellites drawn per layer (evenly chosen); the document says how many
SAT_EVERY = 6      # satellite samples every 6 replay steps (60 s): LEO chord sag ~4 km, a few MB at most
P_KILLED_MIN = 0.2  # objects killed at least this often get a drawn engagement


def _num(x, nd: int = 3):
    return rounded(x, nd)


def _geodetic(ecef) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(lat_deg, lon_deg, alt_km) of ECEF positions (..., 3), m."""
    lat, lon, alt = earth.ecef_to_geodetic(ecef)
    return np.degrees(lat), np.degrees(lon), alt / 1e3


def _layers(sc, batteries) -> list[tuple[str, str, object]]:
    """(layer name, type, Orbits) of every space-IR sensor layer and SBI layer of the architecture."""
    out = []
    for s in sc.architecture.sensors:
        if s.kind == "space-ir":
            out.append((s.type, "space-ir", constellation(s.type)[1]))
    for b in batteries:
        if isinstance(b, SbiLayer):  # the Walker shape effectors/opportunities._in_reach flies
            p, n = sizing.walker_shape(b.count, b.planes)
            f = 1 % p if b.phasing is None else b.phasing % p
            out.append((b.name, "sbi", orbits_mod.walker_delta(p * n, p, f, b.altitude_m, b.inclination_rad)))
    return out


def satellites(sc, batteries, t, theta0: float) -> tuple[list[dict], tuple[np.ndarray, dict]]:
    """Satellite layers of the replay and (sample times (T',), per layer name the drawn ECEF (S, T', 3)).

    Each layer: {layer, type, count, drawn, every, inclination_deg, paths: {lat_deg, lon_deg,
    alt_km} (drawn, T')}, sampled at ``t[::every]``.
    """
    ts = np.asarray(t, float)[::SAT_EVERY]
    rows, ecef_by_layer = [], {}
    for name, kind, orbits in _layers(sc, batteries):
        keep = np.unique(np.linspace(0, orbits.n - 1, min(orbits.n, MAX_DRAWN)).round().astype(int))
        ecef = earth.eci_to_ecef(propagate(orbits.take(keep), ts), ts[None, :], theta0)
        lat, lon, alt = _geodetic(ecef)
        ecef_by_layer[name] = ecef
        rows.append({"layer": name, "type": kind, "count": int(orbits.n), "drawn": len(keep),
                     "every": SAT_EVERY, "inclination_deg": _num(np.degrees(np.max(orbits.i)), 2),
                     "paths": {"lat_deg": np.round(lat, 2).tolist(), "lon_deg": np.round(lon, 2).tolist(),
                               "alt_km": np.round(alt, 0).tolist()}})
    return rows, (ts, ecef_by_layer)


def radar_rows(sc, traj) -> list[dict]:
    """Every radar of the run (listed, then organic fire-control ones) with its coverage fan."""
    listed = [s for s in sc.architecture.sensors if s.kind == "radar"]
    organic = build.organic_radars(sc, traj)
    rows = []
    for i, spec in enumerate(listed + organic):
        r = build.radar_of(spec, i)
        rows.append({"name": f"{spec.type}@{spec.site}", "kind": "radar", "type": spec.type, "organic": i >= len(listed),
                     "lat_deg": _num(math.degrees(r.lat_rad)), "lon_deg": _num(math.degrees(r.lon_rad)),
                     "max_range_km": _num(r.max_range_m / 1e3, 1),
                     "faces_az_deg": [_num(math.degrees(a) % 360.0, 1) for a in r.faces_az_rad],
                     "fov_az_half_deg": _num(math.degrees(r.fov_az_half_rad), 1)})
    return rows


def _representative(opps: Opportunities, out, n: int) -> int | None:
    """Row of ``opps``: object n's opportunity in its most frequent kill layer with the earliest launch."""
    kl = np.asarray(out.kill_layer)[:, n]
    counts = np.bincount(kl[kl >= 0].astype(int), minlength=len(LAYER_NAMES))
    if counts.sum() == 0:
        return None
    rows = np.flatnonzero((np.asarray(opps.obj) == n) & (np.asarray(opps.layer) == int(np.argmax(counts))))
    return int(rows[np.argmin(np.asarray(opps.launch_first)[rows])]) if len(rows) else None


def engagements(traj, out, opps, effs, batteries, sats: tuple) -> list[dict]:
    """One representative engagement per object killed in >= :data:`P_KILLED_MIN` of the trials.

    Notes
    -----
    The Monte Carlo records the layer that killed each object in each trial, not the
    effector: the representative is the object's opportunity in its most frequent kill layer
    with the earliest launch, at that opportunity's earliest launch and intercept times.
    Launch site: the battery's; for an SBI layer, the drawn satellite of that layer nearest
    the intercept point at launch (None when the layer has none drawn).
    """
    if opps is None or len(opps) == 0:
        return []
    p_killed = (np.asarray(out.kill_layer) >= 0).mean(axis=0)
    picks = [j for n in np.flatnonzero(p_killed >= P_KILLED_MIN)
             if (j := _representative(opps, out, int(n))) is not None]
    if not picks:
        return []
    sel = opps.take(np.asarray(picks, int))
    t_i = np.asarray(sel.intercept_first, float)
    ecef = earth.eci_to_ecef(intercept_points(sel, traj), t_i, getattr(traj, "theta0", 0.0))
    lat, lon, alt = _geodetic(ecef)
    where, (ts, sat_ecef) = {b.name: b for b in batteries}, sats
    rows = []
    for k in range(len(picks)):
        name = effs.name[int(sel.eff[k])]
        base = name.split("#m")[0]
        site = _launch_site(where.get(base), ts, sat_ecef.get(base), ecef[k], float(sel.launch_first[k]))
        rows.append({"object": int(sel.obj[k]), "effector": base, "type": effs.kind[int(sel.eff[k])],
                     "layer": Layer(int(sel.layer[k])).label, "launch_s": _num(sel.launch_first[k], 1),
                     "intercept_s": _num(t_i[k], 1), **site,
                     "intercept_lat_deg": _num(lat[k]), "intercept_lon_deg": _num(lon[k]),
                     "intercept_alt_km": _num(alt[k], 1)})
    return rows


def _launch_site(battery, ts, sats, target_ecef, t_launch: float) -> dict:
    """{site_lat_deg, site_lon_deg, site_alt_km}: the battery, or the nearest drawn SBI at launch."""
    if battery is not None and getattr(battery, "lat_rad", None) is not None:
        return {"site_lat_deg": _num(math.degrees(battery.lat_rad)), "site_lon_deg": _num(math.degrees(battery.lon_rad)),
                "site_alt_km": 0.0}
    if sats is None or not len(ts) or not np.all(np.isfinite(target_ecef)):
        return {"site_lat_deg": None, "site_lon_deg": None, "site_alt_km": None}
    k = int(np.argmin(np.abs(np.asarray(ts) - t_launch)))
    s = sats[int(np.argmin(np.sum((sats[:, k] - target_ecef) ** 2, axis=-1))), k]
    lat, lon, alt = _geodetic(s)
    return {"site_lat_deg": _num(lat), "site_lon_deg": _num(lon), "site_alt_km": _num(alt, 1)}
