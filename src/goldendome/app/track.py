"""`goldendome track`: fly a scenario's threats, observe them with its sensors, track, score.

Scoring (first detection, matching tracks to objects, RMSE, discrimination of the object's
true class) reads the truth; the tracker itself never does.
"""

from __future__ import annotations

import numpy as np

from ..scenario import build, load
from ..scenario.build import SCAN_S
from ..tracking import quality
from ..tracking.picture import Picture, sensor_layers


def track(path, scan_s: float = SCAN_S) -> dict:
    """Per threat object: first_detect_s, firm_track_s, fire_control_from_s (per interceptor
    type), rmse_pos_m, rmse_vel_m_s, discrimination; plus a per-sensor summary."""
    scan_s = build.check_scan(scan_s)
    sc = load.load(path)
    traj, rng = build.fly_scenario(sc)
    pic = build.picture(sc, traj, rng, scan_s)
    t, ids, x, _ = pic.state.histories()
    rmse_p, rmse_v = quality.rmse(t, ids, x, traj.t, traj.state, pic.track_obj,
                                  mask=t >= np.nan_to_num(pic.firm[ids], nan=np.inf))
    objects = [_object_row(n, pic, rmse_p, rmse_v) for n in range(traj.n)]
    return {"scenario": sc.name, "seed": sc.seed, "objects": objects, "sensors": _sensor_rows(pic.dets, pic.names),
            "tracks_started": int(len(pic.firm)), "tracks_firm": int(np.isfinite(pic.firm).sum())}


def _object_row(n, pic: Picture, rmse_p, rmse_v) -> dict:
    o = pic.traj.objects
    t_launch = float(o["t_launch"][n])
    mine = np.flatnonzero((pic.track_obj == n) & np.isfinite(pic.firm))
    best = pic.best_track(n)
    seen = pic.dets.t[pic.dets.truth == n]
    rel = lambda v: None if v is None or not np.isfinite(v) else round(float(v) - t_launch, 1)  # noqa: E731
    return {
        "object": n, "missile": int(o["missile"][n]), "missile_id": str(o["missile_id"][n]), "kind": str(o["kind"][n]),
        "first_detect_s": rel(seen.min() if len(seen) else None),
        "firm_track_s": rel(pic.firm[best] if best is not None else None),
        "fire_control_from_s": {k: rel(np.nanmin(v[mine]) if len(mine) and np.isfinite(v[mine]).any() else None)
                                for k, v in pic.fc.items()},
        "rmse_pos_m": _round(rmse_p[best] if best is not None else None),
        "rmse_vel_m_s": _round(rmse_v[best] if best is not None else None, 2),
        "discrimination": _round(pic.conf[best] if best is not None else None, 3),
        "tracks": int(len(mine)),
    }


def _round(v, nd=1):
    return None if v is None or not np.isfinite(v) else round(float(v), nd)


def _sensor_rows(dets, names) -> list[dict]:
    """One row per radar and per space layer (its satellites together)."""
    layer = sensor_layers(names)
    rows = []
    for name in dict.fromkeys(layer):
        m = np.isin(dets.sensor, np.flatnonzero(layer == name))
        rows.append({"sensor": name, "detections": int(m.sum()), "false_alarms": int(np.sum(m & (dets.truth < 0))),
                     "first_t_s": _round(dets.t[m].min() if m.any() else None)})
    return rows
