"""Python API of the space layer: SBI sizing and cost, space-sensor coverage (plain dicts out).

    >>> from goldendome.app import space
    >>> space.sbi_cost(count=1600, production_per_year=1e9, first_fy=2026)["units_bought"]
    6400
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from ..errors import InputError
from ..physics import earth
from ..scenario import catalog
from ..scenario.schema import Architecture
from ..scenario.space import constellations as _constellations
from ..scenario.threats import fly_salvos, salvo as make_salvo
from ..sensors import space_ir
from ..space import coverage as cov
from ..space import orbits as orb
from ..space.propagate import propagate
from ..space.sbi import Interceptor
from ..space.sizing import size_constellation
from ..study.numbers import rounded
from . import cost as cost_model

PAYLOAD_KG_PER_LAUNCH = 13_000.0  # kg per launch to a ~300-500 km orbit (assumption: reusable medium lift)
DEFAULT_AIM = "washington-dc"  # sbi size aims the threat here, or 80 % of its range toward it


def _sbi_defaults() -> dict:
    return catalog.entry("interceptors.yaml", "interceptors", "sbi")


def _aim(missile: str, launch) -> str:
    """DEFAULT_AIM if the missile reaches it, else the point at 80 % of its range toward it."""
    m = catalog.missile(missile)
    a, b = catalog.place(launch), catalog.place(DEFAULT_AIM)
    d = earth.great_circle_distance(a.lat, a.lon, b.lat, b.lon)
    if d <= 0.8 * m.range_km * 1e3:
        return DEFAULT_AIM
    lat, lon = earth.destination(a.lat, a.lon, earth.initial_azimuth(a.lat, a.lon, b.lat, b.lon), 0.8 * m.range_km * 1e3)
    return f"{math.degrees(lat):.4f},{math.degrees(lon):.4f}"


def sbi_size(threat: str, launch, salvo: int = 1, shots_per_missile: int = 1, altitude_km: float | None = None,
             inclination_deg: float | None = None, dv_km_s: float | None = None, accel_g: float | None = None,
             delay_s: float | None = None, spacing_s: float = 0.0, target=None, deadline: str | None = None,
             scenario=None) -> dict:
    """Smallest Walker SBI constellation giving each of ``salvo`` missiles K shots in boost.

    Inclination defaults to max(45 deg, launch latitude + 5 deg); altitude to 300 km;
    interceptor parameters to the catalog's `sbi` entry (see its sources for what they reproduce).

    The firing time comes from one kill chain (:mod:`goldendome.effectors.killchain`), stated in
    ``kill_chain``: with ``scenario`` (a scenario file), the salvo is flown, seen and tracked by
    that architecture's sensors and tracker and fired after its C2 latency, exactly as `run`
    does, and the architecture's SBI layer gives the altitude, inclination and interceptor
    (flags still override); otherwise the firing is ``delay_s`` after launch (the catalog's 60 s,
    a calibration). A chain too slow to fire before the deadline gives ``interceptors: None``,
    ``feasible: False`` and a ``verdict`` that says why.
    """
    _positive(salvo=salvo, shots_per_missile=shots_per_missile)
    _finite_args(altitude_km=altitude_km, inclination_deg=inclination_deg, dv_km_s=dv_km_s, accel_g=accel_g,
            delay_s=delay_s)
    if altitude_km is not None and not MIN_ALT_KM <= altitude_km <= MAX_ALT_KM:
        raise InputError(f"altitude_km must be from {MIN_ALT_KM:g} to {MAX_ALT_KM:g} km (LEO), got {altitude_km}")
    m = catalog.missile(threat)
    if not m.stages:
        raise InputError(f"threat '{threat}' has no boost phase (a {m.kind} missile): nothing for an SBI to hit")
    aim = target or _aim(threat, launch)
    layer = _scenario_layer(scenario) if scenario is not None else None
    base = layer.interceptor if layer is not None else None
    sbi = _interceptor(_sbi_defaults(), dv_km_s, accel_g, delay_s, deadline, base)
    if altitude_km is None:
        altitude_km = layer.altitude_m / 1e3 if layer is not None else 300.0
    _positive(altitude_km=altitude_km)
    lat = abs(math.degrees(catalog.place(launch).lat))
    if inclination_deg is None:
        inclination_deg = math.degrees(layer.inclination_rad) if layer is not None else max(45.0, lat + 5.0)
    inc = inclination_deg
    if not 0.0 <= inc <= 180.0:
        raise InputError(f"inclination_deg must be in [0, 180], got {inc}")
    traj, chain = _kill_chain(scenario, threat, launch, aim, salvo, spacing_s, sbi, delay_s)
    res = dict(threat=threat, salvo=salvo, shots_per_missile=shots_per_missile, altitude_km=altitude_km,
               inclination_deg=inc, dv_km_s=sbi.delta_v_m_s / 1e3, accel_g=sbi.accel_m_s2 / 9.80665,
               deadline=sbi.deadline, kill_chain_source=_chain_source(chain, scenario),
               kill_chain=chain.rows(np.asarray(traj.objects["missile_id"])[chain.lead]))
    if chain.too_slow.any():
        k = int(np.argmax(chain.too_slow))
        return {**res, "interceptors": None, "feasible": False, "delay_s": None, "verdict": _too_slow(chain, k)}
    sbi = replace(sbi, delay_s=_firing_delay(chain))
    out = size_constellation(traj, sbi, shots=shots_per_missile, altitude_m=altitude_km * 1e3,
                             inclination_rad=math.radians(inc))
    keep = ("interceptors", "planes", "per_plane", "phasing", "absentee_ratio", "fraction_in_reach", "reach_km",
            "time_available_s", "constellation_mass_t", "worst_offset_s", "per_missile")
    return {**res, **{k: out[k] for k in keep}, "feasible": out["interceptors"] is not None, "delay_s": sbi.delay_s}


def _scenario_layer(path):
    """The first SBI layer of a scenario's architecture (None if it has none)."""
    from ..effectors.batteries import SbiLayer
    from ..scenario import load
    from ..scenario.effectors import batteries

    sc = load.load(path)
    return next((b for b in batteries(sc) if isinstance(b, SbiLayer)), None)


def _kill_chain(scenario, threat, launch, aim, salvo, spacing_s, sbi, delay_s):
    """The flown salvo and its kill chain: the scenario's sensors, tracker and latency, else assumed."""
    from ..effectors import killchain, opportunities
    from ..scenario import build, load
    from ..scenario.schema import Threat

    if scenario is None or delay_s is not None:
        traj = fly_salvos([make_salvo(threat, launch, aim, count=salvo, spacing_s=spacing_s)], seed=0)
        return traj, killchain.assumed(traj, sbi)
    sc = load.load(scenario)
    sc = sc.model_copy(update={"threats": [Threat(missile=threat, launch=launch, target=aim, count=salvo,
                                                  spacing_s=spacing_s)]})
    traj, rng = build.fly_scenario(sc)
    pic = build.picture(sc, traj, rng)
    fc = opportunities.ready_times(pic.fire_control_by_object(), "sbi", traj.n)
    return traj, killchain.from_tracks(traj, fc, sc.architecture.c2.latency_s, sbi,
                                       pic.first_detection_by_object(), pic.firm_by_object())


def _firing_delay(chain) -> float:
    """Launch to firing of the slowest missile, s; a tracked chain rounded up to the SBI_DELAY_STEP_S
    grid on which `run` groups its reach computations, so that the two agree."""
    from ..effectors.opportunities import SBI_DELAY_STEP_S

    d = float(np.max(chain.delay_s))
    return d if chain.source != "tracks" else math.ceil(d / SBI_DELAY_STEP_S) * SBI_DELAY_STEP_S


def _chain_source(chain, scenario) -> str:
    if chain.source == "tracks":
        return f"the sensors, tracker and C2 latency of {scenario} (as `run` computes it)"
    return f"assumed: SBI fires {chain.delay_s.max():.0f} s after launch (delay_s; the catalog's 60 s is a calibration " \
           "that reproduces APS 2003's 1,600, not a measured chain)"


def _too_slow(chain, k: int) -> str:
    r = chain.rows()[k]
    if r["fire_control_s"] is None:
        return f"the kill chain is too slow: missile {k} never gets a fire-control-quality track for the SBI " \
               f"(first detection {r['detect_s']} s, firm track {r['firm_track_s']} s after launch)"
    return f"the kill chain is too slow: missile {k}'s SBI fire-control track comes {r['fire_control_s']} s after " \
           f"launch, +{r['latency_s']:g} s C2 latency = firing at {r['commit_s']} s, but its boost ends at " \
           f"{r['deadline_s']} s: no number of SBIs can engage it"


def _interceptor(d, dv_km_s, accel_g, delay_s, deadline=None, base: Interceptor | None = None) -> Interceptor:
    """The catalog's SBI (or ``base``, a scenario's) with the flags given."""
    b = base or Interceptor(delta_v_m_s=d["delta_v_m_s"], accel_m_s2=d["accel_m_s2"], delay_s=d["delay_s"],
                            mass_kg=d["mass_kg"], deadline=d["deadline"])
    given = {"delta_v_m_s": None if dv_km_s is None else dv_km_s * 1e3,
             "accel_m_s2": None if accel_g is None else accel_g * 9.80665, "delay_s": delay_s, "deadline": deadline}
    try:
        return replace(b, **{k: v for k, v in given.items() if v is not None})
    except ValueError as exc:
        raise InputError(str(exc)) from None


MAX_COVERAGE_WORK = 2e9  # satellite x point x time samples of one coverage run (~a day of 1,000 satellites, 25 points, 10 s)
MIN_ALT_KM, MAX_ALT_KM = 150.0, 2000.0  # an SBI shell: above the drag that decays an orbit in days, in LEO


def _finite_args(**values) -> None:
    for k, v in values.items():
        if v is not None and not math.isfinite(v):
            raise InputError(f"{k} must be a finite number, got {v}")


def _positive(**values) -> None:
    for k, v in values.items():
        if not v > 0:
            raise InputError(f"{k} must be positive, got {v}")


def sbi_cost(count: int, unit_cost_usd: float | None = None, mass_kg: float | None = None,
             life_years: float | None = None, launch_usd_per_kg: float | None = None,
             ops_usd_per_year: float | None = None, years: int = 20, learning_rate: float | None = None,
             average_over: float | None = None, start_fy: int = 2026, production_per_year: float | None = None,
             first_fy: int | None = None, rdte_usd: float | None = None,
             payload_kg_per_launch: float = PAYLOAD_KG_PER_LAUNCH) -> dict:
    """Lifecycle cost of an SBI constellation: the architecture cost model (`goldendome cost`) of
    an architecture holding only this SBI layer, so the two commands agree by construction.

    ``unit_cost_usd`` is an AVERAGE unit cost (CBO's $22 million, 2026 dollars) over
    ``average_over`` units (default the catalog's reference buy, CBO's 7,800 SBIs bought four
    times: 31,200); the first-unit cost T1 on the ``learning_rate`` Wright curve is derived from it
    and shown. Every parameter left None takes its catalog value (interceptors.yaml and costs.yaml
    ``sbi``); ``ops_usd_per_year`` replaces the catalog's per-SBI operations with one yearly sum.
    Constant FY2026 dollars; units are paid for when delivered (``production_per_year`` from
    ``first_fy``) and replaced every ``life_years``.
    """
    _positive(count=count, payload_kg_per_launch=payload_kg_per_launch)
    given = dict(unit_cost_usd=unit_cost_usd, mass_kg=mass_kg, life_years=life_years,
                 launch_usd_per_kg=launch_usd_per_kg, ops_usd_per_year=ops_usd_per_year, learning_rate=learning_rate,
                 average_over=average_over, production_per_year=production_per_year, first_fy=first_fy,
                 rdte_usd=rdte_usd)
    spec = {"kind": "sbi", "count": int(count), **{k: v for k, v in given.items() if v is not None}}
    arch = Architecture(effectors=[spec])
    try:
        out, road = cost_model.cost(arch, start_fy, years), cost_model.roadmap(arch, start_fy, years)
    except InputError as exc:  # name the flag, not the one-element architecture built for it
        raise InputError(str(exc).replace("effectors[0]: ", "", 1)) from None
    return _sbi_cost_summary(out, road, payload_kg_per_launch)


def _sbi_cost_summary(out: dict, road: dict, payload_kg_per_launch: float) -> dict:
    """The SBI layer's cost (its one element) with its learning-curve and launch figures."""
    el, rm = out["elements"][0], road["elements"][0]
    units = int(sum(rm["delivered_by_fy"].values()) + sum(rm["replaced_by_fy"].values()))
    cat = out["cost_by_category_usd"]
    procurement = cat["procurement"] + cat["replacement"]
    return dict(
        count=el["quantity"], total_usd=out["total_cost_usd"], by_year_usd=list(out["cost_by_fy_usd"].values()),
        fiscal_years=out["fiscal_years"], cost_by_category_usd=cat, procurement_usd=procurement,
        launch_usd=cat["launch"], ops_usd=cat["operations"], rdte_usd=cat["rdte"], units_bought=units,
        first_unit_usd=el["first_unit_usd"], learning_rate=el["learning_rate"],
        average_unit_cost_usd=procurement / units if units else None, launch_mass_kg=units * el["mass_kg"],
        launches=int(math.ceil(units * el["mass_kg"] / payload_kg_per_launch)),
        payload_kg_per_launch=payload_kg_per_launch, fully_fielded_fy=road["fully_fielded_fy"],
        delivered_by_fy=rm["delivered_by_fy"], replaced_by_fy=rm["replaced_by_fy"], base_fy=out["base_fy"],
        dollars=out["dollars"], start_fy=out["start_fy"], years=out["years"])


def coverage(constellations: list[str], region, radius_km: float = 500.0, hours: float = 24.0,
             step_s: float = 60.0, points: int = 25, min_baseline_deg: float = 10.0) -> dict:
    """Coverage of a region by space sensors over ``hours``: fractions seen by >= 1 and >= 2, gaps, data age."""
    _positive(radius_km=radius_km, hours=hours, step_s=step_s, points=points)
    _finite_args(radius_km=radius_km, hours=hours, step_s=step_s, min_baseline_deg=min_baseline_deg)
    rules, sats = _constellations(constellations)
    samples = int(hours * 3600.0 / step_s) + 1
    work = samples * int(sum(s.n for s in sats)) * int(points)
    if step_s < 1.0 or hours > 24 * 31 or points > 10_000 or work > MAX_COVERAGE_WORK:
        raise InputError(f"coverage of {hours:g} h every {step_s:g} s for {points} points is too large "
                         f"({work:,.0f} satellite-point-samples; at most {MAX_COVERAGE_WORK:,.0f}, step >= 1 s, "
                         "<= 31 days, <= 10,000 points)")
    t = np.arange(0.0, hours * 3600.0 + step_s / 2, step_s)
    pos = propagate(orb.Orbits.concat(sats), t)
    p = catalog.place(region)
    pts = cov.region_points(p.lat, p.lon, max(p.radius_m, radius_km * 1e3), points)
    st = cov.coverage_stats(pos, t, pts, rules=rules, min_baseline_angle_rad=math.radians(min_baseline_deg))
    out = {k: v for k, v in st.items() if k.startswith("region_")}
    out.update(constellations=constellations, satellites=int(sum(s.n for s in sats)), region=str(region),
               hours=hours, step_s=step_s, points=points)
    return out


def first_track(constellations: list[str], threat: str, launch, target=None, t_launch_s: float = 0.0,
                min_baseline_deg: float = 10.0) -> dict:
    """When the space layer first sees a launch, and first holds it in stereo (a 3-D track).

    Times are seconds after launch of the missile's lead object; ``t_launch_s`` (s after
    t = 0, when the constellation is at its catalog epoch) sets the geometry.
    """
    m = catalog.missile(threat)
    traj = fly_salvos([make_salvo(threat, launch, target or _aim(threat, launch), t0=t_launch_s)], seed=0)
    rules, sats = _constellations(constellations)
    pos = propagate(orb.Orbits.concat(sats), traj.t)
    lead = np.flatnonzero(traj.objects["kind"] != "decoy")[:1]
    x, ph = traj.state[lead], traj.phase[lead]
    seen = space_ir.detect(rules, pos, x, ph, traj.objects["kind"][lead],
                           "liquid" if "liquid" in threat else "solid")
    t0 = float(traj.objects["t_launch"][lead[0]])
    first = float(space_ir.first_detection(seen, traj.t)[0]) - t0
    stereo = float(space_ir.first_stereo(seen, traj.t, pos, x, math.radians(min_baseline_deg))[0]) - t0
    burnout = float(traj.objects["t_burnout"][lead[0]]) - t0
    return dict(threat=threat, constellations=constellations, satellites=int(pos.shape[0]),
                first_detection_s=_finite(first), first_stereo_s=_finite(stereo), burnout_s=round(burnout, 1),
                detected_in_boost=bool(np.isfinite(first) and first <= burnout), missile_kind=m.kind)


def _finite(x):
    return rounded(x, 1)
