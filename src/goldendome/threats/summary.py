"""One row per launch of a raid: range, flight time, apogee, burnout and miss of its lead object."""

from __future__ import annotations

import numpy as np

from ..physics import earth
from .trajectory import Trajectories


def launch_rows(traj: Trajectories) -> list[dict]:
    """One row per launch, from its lead object (first RV, glider or cruise missile).

    Keys: missile, kind, range_km, flight_time_s, apogee_km, burnout_time_s,
    burnout_speed_m_s, burnout_altitude_km, max_speed_m_s, impact_lat, impact_lon (deg),
    miss_km (NaN when it never ends), end. Floats unrounded.
    """
    _, leads = np.unique(traj.objects["missile"], return_index=True)
    return [_row(traj, i) for i in leads]


def _row(traj: Trajectories, i: int) -> dict:
    o = {k: v[i] for k, v in traj.objects.items()}
    pos = traj.positions_ecef()[i]
    alive = np.all(np.isfinite(pos), axis=1)
    alt = earth.altitude(pos[alive])
    la, lo, _ = earth.ecef_to_geodetic(pos[np.flatnonzero(alive)[0]])
    rng_m = earth.great_circle_distance(la, lo, o["aim_lat"], o["aim_lon"])
    return {
        "missile": str(o["missile_id"]), "kind": str(o["kind"]),
        "range_km": float(rng_m) / 1e3, "flight_time_s": float(o["t_end"] - o["t_launch"]),
        "apogee_km": float(np.nanmax([o["apogee_alt"], alt.max()])) / 1e3,
        "burnout_time_s": float(o["t_burnout"] - o["t_launch"]),
        "burnout_speed_m_s": float(o["burnout_speed"]), "burnout_altitude_km": float(o["burnout_alt"]) / 1e3,
        "max_speed_m_s": float(o["max_speed"]),
        "impact_lat": float(np.degrees(o["end_lat"])), "impact_lon": float(np.degrees(o["end_lon"])),
        "miss_km": float(o["miss"]) / 1e3, "end": str(o["end"]),
    }
