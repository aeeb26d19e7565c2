"""Catalog ids and places -> raid salvos, flown and checked (a target out of reach is bad input)."""

from __future__ import annotations

import math

import numpy as np

from ..errors import CatalogError
from ..threats import raid
from ..threats.summary import launch_rows
from ..threats.trajectory import Trajectories
from . import catalog

SHAPES = ("min-energy", "lofted", "depressed")
MAX_MISS_M = 1000.0  # a lead object landing further than this from its aim point has missed
APOGEE_TOLERANCE = 0.05  # relative: a wanted apogee missed by more than this is unreachable


def salvo(missile: str, launch, target, count: int = 1, spacing_s: float = 0.0, t0: float = 0.0,
          shape: str = "min-energy", apogee_km: float | None = None, decoys: int = 0,
          crossrange_km: float = 0.0) -> raid.Salvo:
    """A Salvo from catalog ids and places ('LAT,LON', {lat, lon} or a site id)."""
    if shape not in SHAPES:
        raise CatalogError(f"shape '{shape}' must be one of {', '.join(SHAPES)}")
    if apogee_km is not None and not apogee_km > 0:
        raise CatalogError(f"apogee_km must be positive, got {apogee_km}")
    return raid.Salvo(catalog.missile(missile), catalog.place(launch), catalog.place(target), count, spacing_s,
                      t0, shape, None if apogee_km is None else apogee_km * 1e3, decoys, crossrange_km * 1e3)


def fly_salvos(salvos: list[raid.Salvo], seed: int = 0, dt_out: float = 1.0) -> Trajectories:
    """Fly a raid of salvos into Trajectories (reproducible for a given seed).

    A launch whose target is out of reach, or whose wanted apogee cannot be flown, raises
    CatalogError naming it (the command line turns that into exit code 2): no degenerate flight
    is ever handed on.
    """
    rng = np.random.default_rng(seed)
    launches = raid.launches(salvos, rng)
    traj = raid.fly(launches, rng, dt_out=dt_out)
    _check_reach(traj, launches)
    return traj


def _check_reach(traj: Trajectories, launches) -> None:
    for row, launch in zip(launch_rows(traj), launches):
        where = f"{launch.missile.id} launch at {np.degrees(launch.launch_lat):.3f},{np.degrees(launch.launch_lon):.3f}"
        want = launch.apogee_m
        apogee_km = round(row["apogee_km"], 1)  # as the fly summary shows it
        if want is not None and abs(apogee_km * 1e3 - want) > APOGEE_TOLERANCE * want:
            raise CatalogError(
                f"apogee {want / 1e3:.0f} km cannot be flown by {where} to a target {row['range_km']:.0f} km "
                f"away (it reaches {apogee_km:.0f} km)")
        if not math.isfinite(row["miss_km"]) or row["miss_km"] * 1e3 > MAX_MISS_M:
            raise CatalogError(
                f"target {row['range_km']:.0f} km away is beyond the reach of {where}: it lands "
                f"{row['miss_km']:.0f} km from the aim point (catalog range {launch.missile.range_km:.0f} km)")
