"""Scenario -> domain objects: threat salvos flown, sensors' detections, the tracked picture.

The builders of the other parts live beside this module: effectors.py (batteries, SBI layers),
radars.py and space.py (sensors), assets.py (defended locations), threats.py (salvos).
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import InputError
from ..physics import earth
from ..sensors import ir_observe, radar
from ..sensors.detections import Detections
from ..space.propagate import propagate
from ..threats.raid import Salvo
from ..tracking.picture import Picture, make_picture
from . import catalog
from .catalog import place_spec
from .radars import radar_from_entry
from .schema import Scenario, Sensor
from .space import constellation
from .threats import fly_salvos, threat_salvo

SCAN_S = 10.0  # battle-management update interval, s
SCAN_RANGE_S = (0.5, 600.0)  # the intervals a battle manager may use: 0.5 s (a fire-control radar) to 10 minutes


def salvos(sc: Scenario) -> list[Salvo]:
    """The scenario's threats as raid salvos."""
    return [threat_salvo(t) for t in sc.threats]


def fly_scenario(sc: Scenario):
    """The scenario's threats flown, and the generator for everything observed after (one seed)."""
    fly_seed, obs_seed = np.random.SeedSequence(sc.seed).spawn(2)
    traj = fly_salvos(salvos(sc), seed=int(fly_seed.generate_state(1)[0]))
    return traj, np.random.default_rng(obs_seed)


def check_scan(scan_s) -> float:
    """scan_s as a float within SCAN_RANGE_S, else one-line InputError."""
    lo, hi = SCAN_RANGE_S
    try:
        x = float(scan_s)
    except (TypeError, ValueError):
        raise InputError(f"scan_s must be a number of seconds, got {scan_s!r}") from None
    if not (math.isfinite(x) and lo <= x <= hi):
        raise InputError(f"scan_s must be from {lo:g} to {hi:g} s, got {scan_s!r}")
    return x


def picture(sc: Scenario, traj, rng: np.random.Generator, scan_s: float = SCAN_S) -> Picture:
    """Observe ``traj`` with the scenario's sensors and track it."""
    scan_s = check_scan(scan_s)
    dets, names = observe(sc, traj, rng)
    return make_picture(traj, dets, names, fire_control_thresholds(),
                        catalog.table("discrimination.yaml", "sensors"), scan_s)


def fire_control_thresholds() -> dict:
    """{interceptor type: (pos_m, vel_m_s)} track accuracy its fire control needs (fire_control.yaml)."""
    table = catalog.table("fire_control.yaml", "fire_control")
    return {k: (v["pos_m"], v["vel_m_s"]) for k, v in table.items()}


def radar_of(spec, index):
    """The Radar of an architecture's radar entry (catalog type, site, inline overrides)."""
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
    if isinstance(sc.architecture, str):
        raise InputError(f"architecture '{sc.architecture}': not resolved; load the scenario with "
                         "scenario.load.load, which turns a preset name into its architecture")
    parts, names = [], []
    for i, spec in enumerate(list(sc.architecture.sensors) + organic_radars(sc, traj)):
        if spec.kind == "radar":
            r = radar_of(spec, i)
            d = radar.observe([r], traj, rng, latency_s=spec.latency_s)
            parts.append(Detections(d.t, d.arrival, np.full(len(d), len(names)), d.z, d.R, d.snr, d.truth))
            names.append(r.id)
        else:
            rules, orbits = constellation(spec.type)
            sigma = float(catalog_sensor(spec.type)["sensor"]["angle_sigma_urad"]) * 1e-6
            pos = propagate(orbits, traj.t)
            parts.append(ir_observe.observe(rules, pos, traj, rng, sigma, len(names), spec.latency_s))
            names.extend(f"{spec.type}#{k}" for k in range(orbits.n))
    return Detections.concat(parts), names


def organic_radars(sc: Scenario, traj=None) -> list[Sensor]:
    """The fire-control radars that come with batteries and ships (catalog ``fire_control_radar``).

    A THAAD battery brings its TPY-2, a Patriot battery its MPQ-65, an Aegis ship its SPY-6.
    A single-face radar is emplaced facing the threat axis: the initial great-circle azimuth
    from its site to the mean launch point of the salvos that come within its instrumented
    range (of every salvo when no trajectories are given). A radar of the same type already
    listed at the same site is not doubled; ``radar: false`` on an effector leaves it out.
    Their tracks join the common picture (every battery fires on any fire-control track).
    """
    entries = catalog.table("interceptors.yaml", "interceptors")
    listed = {(s.type, str(s.site)) for s in sc.architecture.sensors if s.kind == "radar"}
    launch = [catalog.place(place_spec(t.launch)) for t in sc.threats]
    out, pos = [], None if traj is None else traj.positions_ecef()[:, ::10]
    salvo = None if traj is None else _salvo_of_objects(sc, traj)
    for e in sc.architecture.effectors:
        rtype = entries.get(str(e.get("type")), {}).get("fire_control_radar")
        if e.get("kind") not in ("battery", "ship") or not rtype or e.get("radar", True) is False:
            continue
        if (rtype, str(e.get("site"))) in listed:
            continue
        listed.add((rtype, str(e.get("site"))))
        p = catalog.place(place_spec(e["site"]))
        entry = catalog.entry("radars.yaml", "radars", rtype)
        near = None if pos is None else _within(pos, p, float(entry["max_range_km"]) * 1e3)
        if near is not None and not near.any():
            continue  # nothing of the raid ever comes inside its instrumented range
        faces = {}
        if len(entry["faces_az_deg"]) == 1:
            seen = launch if near is None else [launch[k] for k in np.unique(salvo[near])]
            lat0, lon0 = _mean_point([q.lat for q in seen], [q.lon for q in seen])
            faces = {"faces_az_deg": [round(float(np.degrees(earth.initial_azimuth(p.lat, p.lon, lat0, lon0))) % 360, 1)]}
        out.append(Sensor(kind="radar", type=rtype, site=f"{np.degrees(p.lat):.4f},{np.degrees(p.lon):.4f}",
                          latency_s=1.0, **faces))
    return out


def _within(pos, p, range_m: float) -> np.ndarray:
    """(N,) does each object (Earth-fixed samples ``pos`` (N, T, 3), m) come within ``range_m`` of place ``p``?"""
    site = earth.geodetic_to_ecef(p.lat, p.lon, 0.0)
    d2 = np.nansum((pos - site) ** 2, axis=-1)
    d2[np.isnan(pos[..., 0])] = np.inf
    return (d2 <= range_m ** 2).any(axis=-1)


def _salvo_of_objects(sc: Scenario, traj) -> np.ndarray:
    """(N,) index into ``sc.threats`` of each object: missiles are numbered in salvo order."""
    ends = np.cumsum([t.count for t in sc.threats])
    return np.minimum(np.searchsorted(ends, np.asarray(traj.objects["missile"]), side="right"), len(ends) - 1)


def _mean_point(lat, lon) -> tuple[float, float]:
    """Spherical mean of points (rad)."""
    v = np.sum([[np.cos(a) * np.cos(b), np.cos(a) * np.sin(b), np.sin(a)] for a, b in zip(lat, lon)], axis=0)
    return float(np.arctan2(v[2], np.hypot(v[0], v[1]))), float(np.arctan2(v[1], v[0]))


def catalog_sensor(sensor_id: str) -> dict:
    """The catalog entry (sensors.yaml) of a space sensor."""
    return catalog.entry("sensors.yaml", "sensors", sensor_id)
