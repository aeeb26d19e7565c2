"""The validation cases `goldendome validate` runs: each an independent referent (closed form,
published figure, oracle library) against what the project computes, in physical units.

A case returns its measured value; the referent and tolerance are data in :data:`CASES`.
Calibration cases (parameters chosen to reproduce a published figure) are reported as
calibration, never as validation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ..physics import earth
from ..physics.constants import MU_EARTH

R_SPHERE = 6371.0e3  # m, the textbook sphere of the closed-form ballistic figures
DAY_S = 86400.0


@dataclass(frozen=True)
class Case:
    """One validation case: referent, tolerance (same unit), and how to measure it."""

    id: str
    title: str
    kind: str  # closed-form | published | oracle | calibration
    source: str
    inputs: str
    expected: float
    tolerance: float
    unit: str
    measure: Callable[[], float] = field(repr=False)
    quick: bool = True
    needs: str | None = None  # an optional oracle package


def _vacuum_coast(range_m: float):
    """Events of a min-energy coast from the sphere's surface, non-rotating, vacuum (3-DOF kernel)."""
    from ..physics import kepler
    from ..scenario import catalog
    from ..threats import batch, flight

    speed, gamma, _, _ = kepler.min_energy(range_m / R_SPHERE, r=R_SPHERE)
    y0 = np.array([[R_SPHERE, 0.0, 0.0, speed * math.sin(gamma), speed * math.cos(gamma), 0.0, 500.0]])
    b = batch.build_batch([batch.Launch(catalog.missile("icbm-solid"), 0.0, 0.0, 0.0, 0.1)],
                          np.random.default_rng(0))
    model = flight.FlightModel(j2=False, drag=False, sphere_radius=R_SPHERE)
    return flight.fly(b, t_max=7200.0, model=model, y0=y0, phase0=np.full(1, flight.BALLISTIC), dt_out=5.0).ev


def _coast_apogee_km() -> float:
    return float(_vacuum_coast(10_000e3)["apogee_alt"][0]) / 1e3


def _coast_minutes() -> float:
    return float(_vacuum_coast(10_000e3)["t_end"][0]) / 60.0


def _mpq65_reach_km(mast_m: float = 10.0, target_m: float = 50.0) -> float:
    """Furthest ground distance (0.1 km steps) at which an MPQ-65 covers a 50 m target."""
    from ..scenario import catalog
    from ..scenario.radars import radar_from_entry
    from ..sensors.radar import in_coverage

    r = radar_from_entry("mpq65", catalog.entry("radars.yaml", "radars", "mpq65"), (30.8, -81.6, mast_m))
    site = earth.geodetic_to_ecef(r.lat_rad, r.lon_rad, r.alt_m)
    d = np.arange(1.0, 80.0, 0.1)
    lat, lon = earth.destination(r.lat_rad, r.lon_rad, r.faces_az_rad[0], d * 1e3)
    az, el, rng = earth.azimuth_elevation_range(site, r.lat_rad, r.lon_rad, earth.geodetic_to_ecef(lat, lon, target_m))
    seen = np.flatnonzero(in_coverage(r, az, el, rng))
    return float(d[seen[-1]]) if seen.size else 0.0


def _horizon_km(mast_m: float = 10.0, target_m: float = 50.0) -> float:
    kr = 4.0 / 3.0 * earth.R_MEAN
    return (math.sqrt(2 * kr * mast_m) + math.sqrt(2 * kr * target_m)) / 1e3


def _laser_irradiance_w_m2() -> float:
    from ..effectors import laser

    w = 0.2
    z = w * math.pi * 1.5 / 1e-6  # vacuum range where a 3 m, 1 um, M^2 = 1 beam has a 0.2 m spot
    lz = laser.Laser("v", power_w=1e6, aperture_m=3.0, wavelength_m=1e-6, m2=1.0)
    return float(laser.irradiance(lz, z, 1e6, 1e6))


def _gaussian_disc_mean_w_m2(p: float = 1e6, w: float = 0.2) -> float:
    r = np.linspace(0.0, w, 200_001)
    inside = np.trapezoid(2 * p / (math.pi * w**2) * np.exp(-2 * r**2 / w**2) * 2 * math.pi * r, r)
    return float(inside / (math.pi * w**2))


def _pymap3d_max_mm() -> float:
    import pymap3d

    rng = np.random.default_rng(1)
    lat, lon, h = rng.uniform(-89.9, 89.9, 1000), rng.uniform(-180, 180, 1000), rng.uniform(-400.0, 4e5, 1000)
    ours = earth.geodetic_to_ecef(np.radians(lat), np.radians(lon), h)
    x, y, z = pymap3d.geodetic2ecef(lat, lon, h)
    return float(np.max(np.linalg.norm(ours - np.stack([x, y, z], -1), axis=-1))) * 1e3


def _sgp4_iss_max_m() -> float:
    from sgp4.api import WGS72, Satrec, SatrecArray

    from ..space import from_satrec, propagate, satrec_gravity

    s = Satrec.twoline2rv("1 25544U 98067A   19343.69339541  .00001764  00000-0  38792-4 0  9991",
                          "2 25544  51.6439 211.2001 0007417  17.6667  85.6398 15.50103472202482", WGS72)
    s.sgp4init(WGS72, "i", 25544, s.jdsatepoch + s.jdsatepochF - 2433281.5, 0.0, 0.0, 0.0, s.ecco, s.argpo,
               s.inclo, s.mo, s.no_kozai, s.nodeo)
    t = np.linspace(0.0, DAY_S, 25)
    _, r, _ = SatrecArray([s]).sgp4(np.full(t.shape, s.jdsatepoch), s.jdsatepochF + t / DAY_S)
    return float(np.max(np.linalg.norm(propagate(from_satrec(s), t, satrec_gravity(s)) - r[0] * 1e3, axis=-1)))


def _raan_drift_deg_day(closed_form: bool) -> float:
    from ..space import circular, secular_rates
    from ..space.propagate import GRAVITY

    o = circular(500e3, math.radians(60.0), 0.0, 0.0)
    if closed_form:
        a, n = float(o.a[0]), math.sqrt(MU_EARTH / float(o.a[0]) ** 3)
        return math.degrees(-1.5 * n * GRAVITY.j2 * (GRAVITY.radius / a) ** 2 * math.cos(math.radians(60.0))) * DAY_S
    return math.degrees(float(secular_rates(o)[0][0])) * DAY_S


def _one_shot_p_no_leak() -> float:
    from ..c2.opportunities import C2Params, Effectors, Opportunities, Threats
    from ..engine.montecarlo import simulate

    one = np.zeros(1)
    opps = Opportunities(obj=np.zeros(1, int), eff=np.zeros(1, int), layer=np.zeros(1, int), launch_first=one,
                         launch_last=one + 100, intercept_first=one + 50, intercept_last=one + 150,
                         fly_out_s=one + 50, pk=one + 0.7, cost_usd=one + 1e6)
    th = Threats(missile=np.zeros(1, int), is_rv=np.ones(1, bool), p_rv=np.ones(1), asset=np.zeros(1, int),
                 value=np.ones(1))
    out = simulate(opps, Effectors(["e"], ["gbi"], np.ones(1, int)), th, C2Params(max_shots_per_threat=1), 20_000, 3)
    return float(1.0 - out.leaked.mean())


def _cbo_sbi_cost_busd() -> float:
    from .space import sbi_cost

    return sbi_cost(7800, 22e6, 1500.0, 5, 500.0, ops_usd_per_year=1e9, production_per_year=1e9,
                    first_fy=2026)["total_usd"] / 1e9


def _sbi_cost_minus_cost_usd() -> float:
    """`sbi cost` minus `cost` of an architecture holding the same SBI layer (two commands, one model)."""
    from ..scenario.schema import Architecture
    from .cost import cost
    from .space import sbi_cost

    arch = Architecture(effectors=[{"kind": "sbi", "count": 2400, "unit_cost_usd": 30e6, "life_years": 6}])
    return sbi_cost(2400, 30e6, life_years=6)["total_usd"] - cost(arch)["total_cost_usd"]


def _sbi_full_day_feasible() -> float:
    """1 when the constellation `sbi size` gives (liquid ICBM, 500 km shell) has an SBI in reach at every
    20 s launch time over a whole sidereal day, else 0."""
    from ..scenario.threats import fly_salvos, salvo
    from ..space import sbi, sizing
    from ..space.orbits import walker_delta

    traj = fly_salvos([salvo("icbm-liquid", "sohae", "seattle")], seed=0)
    r = sizing.size_constellation(traj, altitude_m=500e3)
    o = walker_delta(r["planes"] * r["per_plane"], r["planes"], r["phasing"], 500e3, math.radians(45.0))
    day = sizing.coverage(o, traj, sbi.Interceptor(), 1, np.arange(0.0, sbi.SIDEREAL_DAY_S, 20.0))
    return float(day["feasible"])


def _aps_sbi_count() -> float:
    from .space import sbi_size

    return float(sbi_size("icbm-solid", "sohae", target="seattle")["interceptors"])


def _lofted_time_s(missile: str, range_km: float, bearing_deg: float, apogee_km: float) -> float:
    """Flight time of a lofted shot from Sunan to a point ``range_km`` away on ``bearing_deg``."""
    from ..scenario.threats import fly_salvos, salvo
    from ..threats.summary import launch_rows

    lat, lon = earth.destination(math.radians(39.224), math.radians(125.670), math.radians(bearing_deg), range_km * 1e3)
    s = salvo(missile, "sunan", f"{math.degrees(lat):.5f},{math.degrees(lon):.5f}", shape="lofted", apogee_km=apogee_km)
    return float(launch_rows(fly_salvos([s], seed=0))[0]["flight_time_s"])


def _laser_air_dwell_s() -> float:
    from ..effectors import laser
    from ..scenario import catalog

    las = laser.laser_from_entry("laser-air", catalog.entry("interceptors.yaml", "interceptors", "laser-air"))
    return float(laser.dwell_time(las, 400e3, 12e3, 60e3))


def _two_layers(pk_mid: float, pk_ter: float, inv: tuple, shots: int, trials: int = 20_000):
    """One RV, a midcourse window (0-30 s) and a later terminal one (600-630 s), 40 s fly-outs."""
    from ..c2.opportunities import C2Params, Effectors, Opportunities, Threats
    from ..engine.montecarlo import simulate

    f = lambda *v: np.asarray(v, float)  # noqa: E731
    opps = Opportunities(obj=np.zeros(2, int), eff=np.arange(2), layer=np.array([1, 3]), launch_first=f(0, 600),
                         launch_last=f(30, 630), intercept_first=f(40, 640), intercept_last=f(70, 670),
                         fly_out_s=f(40, 40), pk=f(pk_mid, pk_ter), cost_usd=f(1e6, 1e6))
    th = Threats(missile=np.zeros(1, int), is_rv=np.ones(1, bool), p_rv=np.ones(1), asset=np.zeros(1, int),
                 value=np.ones(1))
    return simulate(opps, Effectors(["mid", "ter"], ["gbi", "thaad"], np.asarray(inv, int)), th,
                    C2Params(max_shots_per_threat=shots), trials, 5)


def _held_for_the_better_layer() -> float:
    """P(leak) when a Pk 0.5 midcourse round is added to a Pk 0.75 terminal round, one shot allowed."""
    return float(_two_layers(0.5, 0.75, (1, 1), 1).leaked.mean())


def _why_empty_terminal() -> float:
    """Share of the leaks whose terminal reason is no-inventory when the terminal battery is empty."""
    from ..engine import metrics

    why = metrics.why_leaked(_two_layers(0.6, 0.8, (1, 0), 4))
    return why["layers"]["terminal"].get("no-inventory", 0) / max(why["leaked"], 1)


def _why_sums_to_the_leaks() -> float:
    """Largest gap, over layers, between the why counts and the leaks of the example scenario."""
    import tempfile
    from pathlib import Path

    from .demo import scenario_text
    from .run import run

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "demo.yaml"
        path.write_text(scenario_text(), encoding="utf-8")
        out = run(path, trials=2000, store_path=Path(d) / "v.duckdb")
    why = out["why_leaked"]
    return float(max((abs(sum(c.values()) - why["leaked"]) for c in why["layers"].values()), default=0))


def _glide_range_km(v0: float = 6000.0, v_end: float = 1500.0) -> float:
    """Ground range of the catalog glider from an equilibrium state at v0 to v_end, northbound from the equator."""
    from ..physics import atmosphere
    from ..scenario import catalog
    from ..threats import batch, flight

    m = catalog.missile("hgv-intercontinental")
    gl, z = m.glider, np.linspace(0.0, 120e3, 12001)
    need = 2 * gl.mass_kg * (MU_EARTH / R_SPHERE**2 - v0**2 / R_SPHERE) / (gl.ref_area_m2 * gl.cl_star * v0**2)
    h0 = float(np.interp(-math.log(need), -np.log(atmosphere.density(z)), z))
    r0 = np.array([R_SPHERE + h0, 0.0, 0.0])
    y0 = np.array([[*r0, 0.0, earth.OMEGA_EARTH * r0[0], v0, gl.mass_kg]])
    lat, lon = earth.destination(0.0, 0.0, 0.0, 15000e3)
    b = batch.build_batch([batch.Launch(m, 0.0, 0.0, float(lat), float(lon))], np.random.default_rng(0))
    rec = flight.fly(b, t_max=2e4, model=flight.FlightModel(j2=False, sphere_radius=R_SPHERE), y0=y0,
                     phase0=np.array([flight.GLIDE]), t_out_end=2e4)
    r, v = rec.state[0, :, :3], rec.state[0, :, 3:]
    k = int(np.argmax(np.linalg.norm(v - np.cross([0.0, 0.0, earth.OMEGA_EARTH], r), axis=1) < v_end))
    p = earth.eci_to_ecef(r[k], rec.t[k])
    return R_SPHERE * math.atan2(np.linalg.norm(np.cross(r0, p)), r0 @ p) / 1e3


def _eggers_range_km(v0: float = 6000.0, v_end: float = 1500.0, lift_drag: float = 2.6) -> float:
    """Eggers, Allen & Neice (1958) equilibrium-glide range on a non-rotating sphere, km."""
    g_r = MU_EARTH / R_SPHERE
    return lift_drag * R_SPHERE / 2 * math.log((1 - v_end**2 / g_r) / (1 - v0**2 / g_r)) / 1e3


CASES = (
    Case("coast-apogee", "min-energy ballistic coast, 10,000 km: apogee", "closed-form",
         "Wheelon 1959, ARS J. 29; Bate, Mueller & White 1971 sec. 6.2",
         "non-rotating sphere R = 6,371 km, vacuum, burnout on the surface", 1319.0, 6.6, "km", _coast_apogee_km),
    Case("coast-time", "min-energy ballistic coast, 10,000 km: time of flight", "closed-form",
         "Wheelon 1959; Bate, Mueller & White 1971 sec. 6.2", "as coast-apogee", 32.2, 0.2, "min", _coast_minutes),
    Case("radar-horizon", "MPQ-65 on a 10 m mast covers a 50 m cruise missile to its radar horizon", "closed-form",
         "Skolnik 2001 ch. 8: sqrt(2kRh_s) + sqrt(2kRh_t), k = 4/3", "mask 0 deg, 0.1 km steps",
         _horizon_km(), 0.5, "km", _mpq65_reach_km),
    Case("laser-spot-mean", "laser irradiance = mean of the Gaussian beam over its 1/e^2 spot", "closed-form",
         "Siegman 1986 ch. 17 (numerical integral of 2P/(pi w^2) exp(-2r^2/w^2))", "1 MW, w = 0.2 m, vacuum",
         _gaussian_disc_mean_w_m2(), 1.0, "W/m^2", _laser_irradiance_w_m2),
    Case("raan-drift", "J2 nodal regression, 500 km circular, 60 deg", "closed-form",
         "Vallado 2013 eq. 9-41 (first order; the code adds J2^2 and J4)", "WGS84 / EGM96 J2",
         _raan_drift_deg_day(True), 0.05, "deg/day", lambda: _raan_drift_deg_day(False)),
    Case("mc-one-shot", "Monte Carlo: one Pk 0.7 shot at one RV", "closed-form", "P(no leak) = Pk",
         "20,000 trials, seed 3; tolerance 4 sigma", 0.7, 4 * math.sqrt(0.21 / 20_000), "probability",
         _one_shot_p_no_leak),
    Case("geodesy", "geodetic -> ECEF against pymap3d (1,000 random points, -400 m to 400 km)", "oracle",
         "pymap3d (WGS84)", "max distance", 0.0, 1.0, "mm", _pymap3d_max_mm, needs="pymap3d"),
    Case("sgp4-tle", "an ISS TLE (WGS72, drag zeroed) over a day against sgp4", "oracle",
         "python-sgp4 (Vallado et al. 2006, AIAA 2006-6753)", "max position difference", 0.0, 1.0, "m",
         _sgp4_iss_max_m, needs="sgp4"),
    Case("cbo-sbi-cost", "20-year cost of CBO's 7,800 SBIs", "published", "CBO, May 2026 (cbo2026-nmd): ~$743B",
         "$22M average, 1.5 t, $500/kg, 5-year life, $1B/yr, bought whole in FY2026", 743.0, 15.0, "$B",
         _cbo_sbi_cost_busd),
    Case("sbi-cost-is-cost", "`sbi cost` and `cost` of the same SBI layer", "closed-form",
         "one cost model (regression: they differed 4x before 0.3.0)", "2,400 SBIs, $30M average, 6-year life",
         0.0, 1.0, "$", _sbi_cost_minus_cost_usd),
    Case("radar-mast", "a taller mast sees further: MPQ-65 on 20 m, 50 m target", "closed-form",
         "Skolnik 2001 ch. 8 (regression: coverage shrank with mast height before 0.3.0)", "mask 0 deg",
         _horizon_km(20.0), 0.5, "km", lambda: _mpq65_reach_km(20.0)),
    Case("sbi-full-day", "`sbi size` answer holds at every launch time of a sidereal day", "closed-form",
         "geometry (regression: the one-period search left gaps before 0.3.0)",
         "liquid ICBM, 500 km shell, 20 s steps over 86,164 s", 1.0, 0.0, "feasible (1) or not (0)",
         _sbi_full_day_feasible, quick=False),
    Case("hs17-lofted", "Hwasong-17 class lofted test of 18 Nov 2022: flight time", "published",
         "KCNA / Japan MoD (kcna2022-hs17): 6,040.9 km apogee, 999.2 km, ~4,135 s",
         "icbm-heavy from Sunan, 999.2 km on 71.5 deg, apogee 6,040.9 km", 4135.0, 120.0, "s",
         lambda: _lofted_time_s("icbm-heavy", 999.2, 71.5, 6040.9)),
    Case("hs18-lofted", "Hwasong-18 class lofted test of 12 Jul 2023: flight time", "published",
         "KCNA / Japan MoD: 6,648.4 km apogee, 1,001.2 km, 4,491 s",
         "icbm-solid-heavy from Sunan, 1,001.2 km on 67.0 deg, apogee 6,648.4 km", 4491.0, 120.0, "s",
         lambda: _lofted_time_s("icbm-solid-heavy", 1001.2, 67.0, 6648.4)),
    Case("laser-air-ao", "airborne laser with adaptive optics: dwell on a booster at 60 km, 400 km away",
         "closed-form", "independent quadrature (tests/effectors/test_laser.py): HV-5/7 turbulence on the chord, "
         "Hudgin / Greenwood / Fried AO residuals, Strehl core plus halo", "1 MW, 1.5 m, 1.315 um, M^2 1.5, "
         "0.2 urad jitter, platform 12 km; AO parameters assumed", 5.51, 0.1, "s", _laser_air_dwell_s),
    Case("held-shot", "a weaker early round added to a better later one does not raise leakage", "closed-form",
         "P(leak) = 1 - 0.75 when the one allowed shot is kept for the terminal Pk 0.75 "
         "(regression: 0.5 before 0.3.0)", "midcourse Pk 0.5, terminal Pk 0.75, one round each, 1 shot per threat",
         0.25, 4 * math.sqrt(0.25 * 0.75 / 20_000), "probability", _held_for_the_better_layer),
    Case("why-no-inventory", "why it leaked: an empty terminal battery is named for every leak", "closed-form",
         "every leaker reached the terminal layer with no round there", "midcourse Pk 0.6 one round, terminal "
         "Pk 0.8 no round", 1.0, 0.0, "share of leaks", _why_empty_terminal),
    Case("why-sums", "why it leaked: each layer's reasons account for every leak", "closed-form",
         "counts per layer sum to the leaked (trial, RV) pairs", "the demo scenario, 2,000 trials", 0.0, 0.0,
         "leaks", _why_sums_to_the_leaks, quick=False),
    Case("glide-range", "equilibrium glide at best L/D, 6,000 -> 1,500 m/s northbound: ground range", "closed-form",
         "Eggers, Allen & Neice, NACA Rep. 1382 (1958) eq. 33; Vinh, Busemann & Culp 1980 (the integration in "
         "tests/threats/test_glide.py gives 7,019 km)", "hgv-intercontinental glider, L/D 2.6, sphere R = 6,371 km, "
         "US76, from its equilibrium height, north from the equator (regression: 5,993 km before 0.4.0)",
         _eggers_range_km(), 0.05 * _eggers_range_km(), "km", _glide_range_km),
    Case("aps-sbi-1600", "SBIs for one solid ICBM from North Korea", "calibration",
         "APS 2003 (Rev. Mod. Phys. 76, S1): about 1,600; accel 5 g and 60 s delay chosen to reproduce it",
         "Sohae -> Seattle, 4 km/s, 300 km, 45 deg", 1600.0, 80.0, "SBIs", _aps_sbi_count),
)
