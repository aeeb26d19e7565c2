"""Raids: turn salvo descriptions into launches and fly them all into one Trajectories.

A place is (lat, lon, radius) in rad, rad, m: a point when radius is 0, else a region
(launch area, SSBN patrol box) in which each launch draws its own point uniformly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..physics import earth
from ..physics.constants import OMEGA_EARTH
from . import cruise, flight, solve, trajectory
from .phases import Phase
from .batch import KIND_NAMES, Launch, build_batch
from .vehicles import Missile


@dataclass(frozen=True)
class Place:
    """A point or a disc on the Earth: lat, lon (rad), radius (m; 0 for a point)."""

    lat: float
    lon: float
    radius_m: float = 0.0
    name: str = ""

    def draw(self, rng: np.random.Generator, n: int):
        """n points (lat, lon arrays, rad) uniform in the disc; the centre n times for a point."""
        if self.radius_m <= 0:
            return np.full(n, self.lat), np.full(n, self.lon)
        dist = self.radius_m * np.sqrt(rng.uniform(size=n))
        az = rng.uniform(0, 2 * np.pi, size=n)
        return earth.destination(np.full(n, self.lat), np.full(n, self.lon), az, dist)


@dataclass(frozen=True)
class Salvo:
    """``count`` missiles of one class from one place at one target, ``spacing_s`` apart."""

    missile: Missile
    launch: Place
    target: Place
    count: int = 1
    spacing_s: float = 0.0
    t0: float = 0.0
    shape: str = "min-energy"
    apogee_m: float | None = None
    decoys: int = 0
    crossrange_m: float = 0.0


def launches(salvos: list[Salvo], rng: np.random.Generator) -> list[Launch]:
    """Every launch of the raid, in salvo order; places drawn with ``rng``."""
    out = []
    for s in salvos:
        la, lo = s.launch.draw(rng, s.count)
        ta, to = s.target.draw(rng, s.count)
        for i in range(s.count):
            out.append(Launch(s.missile, la[i], lo[i], ta[i], to[i], s.t0 + i * s.spacing_s,
                              s.shape, s.apogee_m, s.decoys, s.crossrange_m))
    return out


def fly(all_launches: list[Launch], rng: np.random.Generator, dt_out: float = 1.0,
        theta0: float = 0.0) -> trajectory.Trajectories:
    """Fly a raid: solve each launch's guidance, integrate, sample every object on one grid (dt_out s)."""
    is_cruise = np.array([x.missile.cruise is not None for x in all_launches])
    parts = []
    if np.any(~is_cruise):
        idx = np.flatnonzero(~is_cruise)
        parts.append(_fly_rockets([all_launches[i] for i in idx], idx, rng, theta0))
    if np.any(is_cruise):
        idx = np.flatnonzero(is_cruise)
        parts.append(_fly_cruise([all_launches[i] for i in idx], idx, theta0))
    t_end = max(np.nanmax(p["t_launch"] + p["t_flight"]) for p in parts)
    t = np.arange(0.0, t_end + dt_out, dt_out)
    return _assemble(parts, all_launches, t, theta0)


def _fly_rockets(rockets, launch_idx, rng, theta0):
    batch = solve.solve(build_batch(rockets, rng, theta0))
    ev = flight.fly(batch).ev
    end = solve.impact_ecef(ev, batch)
    part = dict(kind=[KIND_NAMES[k] for k in batch.kind], missile=launch_idx[batch.missile], t_launch=batch.t_launch,
                t_flight=ev["t_end"], end_ecef=end, aim_ecef=batch.target_ecef, batch=batch,
                burnout_alt=earth.altitude(ev["r_burnout"]), burnout_speed=np.linalg.norm(ev["v_burnout"], axis=1),
                end=np.array(["impact", "filtered", "timeout"])[ev["end_reason"]])
    for k in ("t_burnout", "t_deploy", "t_apogee", "apogee_alt", "t_reentry", "max_speed"):
        part[k] = ev[k]
    return part


def _fly_cruise(cruisers, launch_idx, theta0):
    paths = [cruise.CruisePath(np.array([x.launch_lat, x.target_lat]), np.array([x.launch_lon, x.target_lon]),
                               x.missile.cruise, x.t_launch) for x in cruisers]
    t_flight = np.array([p.flight_time for p in paths])
    t_launch = np.array([x.t_launch for x in cruisers])
    nan = np.full(len(paths), np.nan)
    end = np.array([cruise.position_ecef(p, np.array([p.flight_time]))[0] for p in paths])
    speeds = np.array([_max_speed(p, theta0 + OMEGA_EARTH * p.t_launch) for p in paths])
    aim = earth.geodetic_to_ecef(np.array([x.target_lat for x in cruisers]), np.array([x.target_lon for x in cruisers]), 0.0)
    return dict(kind=["cruise"] * len(paths), missile=launch_idx, t_launch=t_launch,
                t_flight=t_flight, end_ecef=end, aim_ecef=aim, paths=paths,
                t_burnout=np.array([p.vehicle.booster_s for p in paths]), burnout_alt=nan,
                burnout_speed=nan, t_deploy=nan, t_apogee=nan, apogee_alt=np.array([p.vehicle.altitude_m for p in paths]),
                t_reentry=nan, max_speed=speeds, end=np.array(["impact"] * len(paths)))


def _max_speed(path, theta):
    tau = np.linspace(0.0, path.flight_time, 64)
    return float(np.max(np.linalg.norm(cruise.state_eci(path, tau, theta)[:, 3:], axis=1)))


_OBJECT_KEYS = ("kind", "missile", "t_launch", "t_burnout", "burnout_speed", "burnout_alt", "t_deploy",
                "t_apogee", "apogee_alt", "t_reentry", "max_speed", "end")


def _part_states(part, t, theta0):
    if "batch" in part:
        rec = flight.fly(part["batch"], dt_out=t[1] - t[0] if len(t) > 1 else 1.0, t_out_end=t[-1])
        return rec.state, rec.phase
    state = np.full((len(part["paths"]), len(t), 6), np.nan)
    phase = np.full(state.shape[:2], Phase.CRUISE, dtype=np.int8)
    for i, path in enumerate(part["paths"]):
        tau = t - path.t_launch
        live = (tau >= 0) & (tau <= path.flight_time)
        state[i, live] = cruise.state_eci(path, tau[live], theta0 + OMEGA_EARTH * path.t_launch)
        phase[i, tau < 0] = Phase.NOT_LAUNCHED
        phase[i, tau > path.flight_time] = Phase.DONE
    return state, phase


def _assemble(parts, all_launches, t, theta0):
    """Stack the parts into one Trajectories with a per-object event table."""
    states, phases = zip(*(_part_states(p, t, theta0) for p in parts))
    obj = {k: np.concatenate([np.asarray(p[k]) for p in parts]) for k in _OBJECT_KEYS}
    obj["missile_id"] = np.array([all_launches[i].missile.id for i in obj["missile"]])
    for k in ("t_burnout", "t_deploy", "t_apogee", "t_reentry"):
        obj[k] = obj[k] + obj["t_launch"]  # flight times -> scenario times
    obj["t_end"] = obj["t_launch"] + np.concatenate([p["t_flight"] for p in parts])
    end = np.concatenate([p["end_ecef"] for p in parts])
    aim = np.concatenate([p["aim_ecef"] for p in parts])
    obj["end_lat"], obj["end_lon"], _ = earth.ecef_to_geodetic(end)
    obj["aim_lat"], obj["aim_lon"], _ = earth.ecef_to_geodetic(aim)
    obj["miss"] = np.linalg.norm(end - aim, axis=1)
    return trajectory.Trajectories(t, np.concatenate(states), np.concatenate(phases), obj, theta0)
