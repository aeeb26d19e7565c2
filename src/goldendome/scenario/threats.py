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
MAX_COUNT = 10_000       # missiles in one salvo (a peer raid is ~2,000 RVs: issue 21's largest)
MAX_DECOYS = 1_000       # decoys per missile
MAX_T0_S = 7 * 86_400.0  # latest launch, s after scenario start: a week of raids


def salvo(missile: str, launch, target, count: int = 1, spacing_s: float = 0.0, t0: float = 0.0,
          shape: str = "min-energy", apogee_km: float | None = None, decoys: int = 0,
          crossrange_km: float = 0.0) -> raid.Salvo:
    """A Salvo from catalog ids and places ('LAT,LON', {lat, lon} or a site id)."""
    if shape not in SHAPES:
        raise CatalogError(f"shape '{shape}' must be one of {', '.join(SHAPES)}")
    if apogee_km is not None and not (math.isfinite(apogee_km) and apogee_km > 0):
        raise CatalogError(f"apogee_km must be a positive number, got {apogee_km}")
    _check_numbers(count, spacing_s, t0, decoys, crossrange_km)
    m = catalog.missile(missile)
    if decoys and m.decoys is None:
        raise CatalogError(f"decoys: {missile} carries no decoys in the catalog (only ICBM and SLBM classes do); "
                           "remove 'decoys' or pick a class that carries them")
    last_launch = float(t0) + (int(count) - 1) * float(spacing_s)
    if last_launch > MAX_T0_S:
        raise CatalogError(f"the last launch would be {last_launch:.3g} s after the start; at most {MAX_T0_S:,.0f} s "
                           "(a week) is allowed")
    return raid.Salvo(m, catalog.place(launch), catalog.place(target), int(count), float(spacing_s),
                      float(t0), shape, None if apogee_km is None else apogee_km * 1e3, int(decoys),
                      crossrange_km * 1e3)


def _check_numbers(count, spacing_s, t0, decoys, crossrange_km) -> None:
    """Every number a salvo hands to the compiled flight kernel: finite, in range, integers whole."""
    def whole(v, name, lo, hi):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer, float)) or not math.isfinite(v) \
                or v != int(v) or not lo <= v <= hi:
            raise CatalogError(f"{name} must be a whole number from {lo} to {hi:,}, got {v!r}")

    def real(v, name, lo=None):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer, float)) or not math.isfinite(v) \
                or (lo is not None and v < lo):
            raise CatalogError(f"{name} must be a finite number{'' if lo is None else f' >= {lo:g}'}, got {v!r}")

    whole(count, "count", 1, MAX_COUNT)
    whole(decoys, "decoys", 0, MAX_DECOYS)
    real(spacing_s, "spacing_s", 0.0)
    real(t0, "t0_s", 0.0)
    real(crossrange_km, "crossrange_km")


def objects_of(sc) -> int:
    """The objects a loaded scenario flies, estimated from the catalog before flying: per missile
    its RVs plus its decoys; a glider or a cruise missile is one object (run's memory budget and
    the server's job bound use it)."""
    total = 0
    for t in sc.threats:
        m = catalog.missile(t.missile)
        total += int(t.count) * (1 if m.glider is not None or m.rv is None else int(m.rv.count) + int(t.decoys))
    return total


def threat_salvo(th) -> raid.Salvo:
    """The Salvo of a scenario's threat entry (schema.Threat)."""
    return salvo(th.missile, catalog.place_spec(th.launch), catalog.place_spec(th.target), count=th.count,
                 spacing_s=th.spacing_s, t0=th.t0_s, shape=th.shape, apogee_km=th.apogee_km, decoys=th.decoys,
                 crossrange_km=th.crossrange_km)


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
