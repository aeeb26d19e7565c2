"""Scenario -> domain objects: threat salvos (more builders arrive with sensors and effectors)."""

from __future__ import annotations

import numpy as np

from .. import api
from ..errors import InputError
from ..threats.raid import Salvo
from .schema import Scenario


def place_spec(p):
    """A schema Place as catalog.place takes it."""
    return p.model_dump() if hasattr(p, "model_dump") else p


def salvos(sc: Scenario) -> list[Salvo]:
    """The scenario's threats as raid salvos."""
    return [api.salvo(t.missile, place_spec(t.launch), place_spec(t.target), count=t.count, spacing_s=t.spacing_s,
                      t0=t.t0_s, shape=t.shape, apogee_km=t.apogee_km, decoys=t.decoys, crossrange_km=t.crossrange_km)
            for t in sc.threats]


def _radar(spec, index):
    from ..sensors.radar import radar_from_entry
    from . import catalog

    entry = dict(catalog.entry("radars.yaml", "radars", spec.type))
    extra = dict(spec.model_extra or {})
    alt_m = extra.pop("alt_m", None)  # site height (ships 0, radars on hills); the rest override the catalog
    unknown = sorted(set(extra) - set(entry))
    if unknown:
        raise InputError(f"architecture.sensors[{index}]: '{unknown[0]}' is not a parameter of radar '{spec.type}'")
    entry.update(extra)
    site = spec.site
    if site is not None and not (isinstance(site, str) and site in entry.get("sites", {})):
        p = catalog.place(place_spec(site))
        site = {"lat": float(np.degrees(p.lat)), "lon": float(np.degrees(p.lon)), "alt_m": 0.0 if alt_m is None else alt_m}
    elif alt_m is not None:
        raise InputError(f"architecture.sensors[{index}]: alt_m needs a site given as LAT,LON or a place id")
    try:
        return radar_from_entry(spec.type, entry, site)
    except InputError as exc:
        raise InputError(f"architecture.sensors[{index}]: {exc}") from None


def observe(sc: Scenario, traj, rng: np.random.Generator):
    """Every inline sensor's detections of ``traj`` and the sensor names (Detections.sensor indexes them).

    A radar is one sensor named '<type>@<site>'; a space layer is one sensor per satellite,
    named '<type>#<k>'.
    """
    from .. import space_api
    from ..sensors import ir_observe, radar
    from ..sensors.detections import Detections
    from ..space.propagate import propagate

    if isinstance(sc.architecture, str):
        raise InputError(f"architecture '{sc.architecture}': presets arrive with the reference architectures; "
                         "give sensors inline for now")
    parts, names = [], []
    for i, spec in enumerate(sc.architecture.sensors):
        if spec.kind == "radar":
            r = _radar(spec, i)
            d = radar.observe([r], traj, rng, latency_s=spec.latency_s)
            parts.append(Detections(d.t, d.arrival, np.full(len(d), len(names)), d.z, d.R, d.snr, d.truth))
            names.append(r.id)
        else:
            rules, orbits = space_api.constellation(spec.type)
            sigma = float(catalog_sensor(spec.type)["sensor"]["angle_sigma_urad"]) * 1e-6
            pos = propagate(orbits, traj.t)
            parts.append(ir_observe.observe(rules, pos, traj, rng, sigma, len(names), spec.latency_s))
            names.extend(f"{spec.type}#{k}" for k in range(orbits.n))
    return Detections.concat(parts), names


def catalog_sensor(sensor_id: str) -> dict:
    from . import catalog

    return catalog.entry("sensors.yaml", "sensors", sensor_id)
