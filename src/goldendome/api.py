"""Python API: the same operations as the command line, returning plain dicts.

    >>> from goldendome import api
    >>> api.fly("icbm-solid", "sohae", "seattle")["miss_km"] < 1.0
    True
"""

from __future__ import annotations

import numpy as np

from .numbers import rounded
from .physics import earth
from .scenario import catalog
from .threats import raid
from .threats.trajectory import Trajectories

SHAPES = ("min-energy", "lofted", "depressed")


def salvo(missile: str, launch, target, count: int = 1, spacing_s: float = 0.0, t0: float = 0.0,
          shape: str = "min-energy", apogee_km: float | None = None, decoys: int = 0,
          crossrange_km: float = 0.0) -> raid.Salvo:
    """A Salvo from catalog ids and places ('LAT,LON', {lat, lon} or a site id)."""
    if shape not in SHAPES:
        raise catalog.CatalogError(f"shape '{shape}' must be one of {', '.join(SHAPES)}")
    if apogee_km is not None and not apogee_km > 0:
        raise catalog.CatalogError(f"apogee_km must be positive, got {apogee_km}")
    return raid.Salvo(catalog.missile(missile), catalog.place(launch), catalog.place(target), count, spacing_s,
                      t0, shape, None if apogee_km is None else apogee_km * 1e3, decoys, crossrange_km * 1e3)


MAX_MISS_M = 1000.0  # a lead object landing further than this from its aim point has missed
APOGEE_TOLERANCE = 0.05  # relative: a wanted apogee missed by more than this is unreachable


def fly_salvos(salvos: list[raid.Salvo], seed: int = 0, dt_out: float = 1.0, check: bool = True) -> Trajectories:
    """Fly a raid of salvos into Trajectories (reproducible for a given seed).

    With ``check``, a launch whose target is out of reach, or whose wanted apogee cannot be
    flown, raises CatalogError naming it (the command line turns that into exit code 2).
    """
    rng = np.random.default_rng(seed)
    launches = raid.launches(salvos, rng)
    traj = raid.fly(launches, rng, dt_out=dt_out)
    if check:
        _check_reach(traj, launches)
    return traj


def _check_reach(traj: Trajectories, launches) -> None:
    for row, launch in zip(summary(traj), launches):
        where = f"{launch.missile.id} launch at {np.degrees(launch.launch_lat):.3f},{np.degrees(launch.launch_lon):.3f}"
        want = launch.apogee_m
        if want is not None and abs(row["apogee_km"] * 1e3 - want) > APOGEE_TOLERANCE * want:
            raise catalog.CatalogError(
                f"apogee {want / 1e3:.0f} km cannot be flown by {where} to a target {row['range_km']:.0f} km "
                f"away (it reaches {row['apogee_km']:.0f} km)")
        if row["miss_km"] is None or row["miss_km"] * 1e3 > MAX_MISS_M:
            raise catalog.CatalogError(
                f"target {row['range_km']:.0f} km away is beyond the reach of {where}: it lands "
                f"{row['miss_km']:.0f} km from the aim point (catalog range {launch.missile.range_km:.0f} km)")


def summary(traj: Trajectories) -> list[dict]:
    """One row per launch, from its lead object (first RV, glider or cruise missile)."""
    obj = traj.objects
    _, leads = np.unique(obj["missile"], return_index=True)
    return [_row(traj, i) for i in leads]


def _row(traj: Trajectories, i: int) -> dict:
    o = {k: v[i] for k, v in traj.objects.items()}
    pos = traj.positions_ecef()[i]
    alt = earth.altitude(pos[np.all(np.isfinite(pos), axis=1)])
    launch_ecef = pos[np.flatnonzero(np.all(np.isfinite(pos), axis=1))[0]]
    la, lo, _ = earth.ecef_to_geodetic(launch_ecef)
    rng_m = earth.great_circle_distance(la, lo, o["aim_lat"], o["aim_lon"])
    return {
        "missile": str(o["missile_id"]), "kind": str(o["kind"]),
        "range_km": _r(rng_m / 1e3, 1), "flight_time_s": _r(o["t_end"] - o["t_launch"], 1),
        "apogee_km": _r(np.nanmax([o["apogee_alt"], alt.max()]) / 1e3, 1),
        "burnout_time_s": _r(o["t_burnout"] - o["t_launch"], 1),
        "burnout_speed_m_s": _r(o["burnout_speed"], 1), "burnout_altitude_km": _r(o["burnout_alt"] / 1e3, 1),
        "max_speed_m_s": _r(o["max_speed"], 1),
        "impact_lat": _r(np.degrees(o["end_lat"]), 4), "impact_lon": _r(np.degrees(o["end_lon"]), 4),
        "miss_km": _r(o["miss"] / 1e3, 3), "end": str(o["end"]),
    }


_r = rounded


def fly(missile: str, launch, target, shape: str = "min-energy", apogee_km: float | None = None,
        seed: int = 0, crossrange_km: float = 0.0) -> dict:
    """Fly one missile and return its summary row (see `summary`)."""
    traj = fly_salvos([salvo(missile, launch, target, shape=shape, apogee_km=apogee_km,
                             crossrange_km=crossrange_km)], seed)
    return summary(traj)[0]
