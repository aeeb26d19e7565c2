"""Catalog space-sensor ids (sensors.yaml) -> per-satellite sensor rules and their Orbits."""

from __future__ import annotations

import math

import numpy as np

from ..errors import CatalogError
from ..sensors.space_ir import sensor_from_entry
from ..space import orbits as orb
from . import catalog


def constellation(spec: str):
    """(sensors, Orbits) of a catalog space-sensor id, satellites placed as its orbit block says."""
    e = catalog.entry("sensors.yaml", "sensors", spec)
    o = e["orbit"]
    if o["type"] == "geo":
        sats = orb.geo(np.radians(o["slots_lon_deg"]))
    elif o["type"] == "walker":
        sats = orb.walker_delta(o["planes"] * o["per_plane"], o["planes"], o.get("phasing", 1),
                                o["altitude_km"] * 1e3, math.radians(o["inclination_deg"]))
    elif o["type"] == "heo":
        raan = np.linspace(0.0, 2 * np.pi, int(o["count"]), endpoint=False)
        sats = orb.molniya_like(raan, mean_anomaly=np.pi)  # at apogee at t = 0
    else:
        raise CatalogError(f"sensors.yaml: '{spec}'.orbit.type '{o['type']}' is not geo, walker or heo")
    return [sensor_from_entry(spec, e)] * sats.n, sats


def constellations(specs: list[str]) -> tuple[list, list]:
    """Sensor rules (one per satellite) and the Orbits of each catalog space-sensor id in ``specs``."""
    rules, sats = [], []
    for spec in specs:
        r, s = constellation(spec)
        rules += r
        sats.append(s)
    return rules, sats
