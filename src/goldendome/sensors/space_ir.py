"""Space-based infrared sensors: OPIR/SBIRS-class early warning, HBTSS/PWSA-class tracking.

Shapes: sensors S, targets N, times T. Positions ECI metres, ``(S, T, 3)`` for sensors and
``(N, T, 6)`` states for targets (NaN where an object does not exist). Detections ``(S, N, T)``.

Detection = geometric visibility (Earth occlusion, field of regard, range;
:mod:`goldendome.space.coverage`) & background rule (cold bodies only against space above the
limb clutter; hot plumes and hot gliders also against the Earth where the sensor can look down)
& irradiance in one of the sensor's bands >= its minimum detectable irradiance & the target
exists.

The signature model is deliberately simple, open and order-of-magnitude: see
:func:`target_intensity` and catalog/sensors.yaml for every number and its source.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..physics import atmosphere, earth
from ..space import coverage
from ..space.coverage import background_tangent_altitude, stereo_mask
from ..threats.phases import AERO, GONE, Phase

SIGMA_SB = 5.670374419e-8  # W m^-2 K^-4, Stefan-Boltzmann constant; CODATA 2018 (exact)
C2 = 1.438776877e-2  # m K, second radiation constant hc/k; CODATA 2018
CP_AIR = 1004.5  # J/(kg K), air at ~300 K; Anderson, Modern Compressible Flow, 3rd ed., Table A.1

# Band edges, m. swir: the ~2.7 um water/CO2 emission band early-warning sensors use
# (Forden 2007, 'SBIRS - Signal and Background'); mwir: 3-5 um; lwir: 8-12 um window.
BANDS = {"swir": (2.6e-6, 2.9e-6), "mwir": (3.0e-6, 5.0e-6), "lwir": (8.0e-6, 12.0e-6)}

# Boost-plume radiant intensity at and above PLUME_FULL_ALT_M, W/sr, in swir/mwir (derived:
# order-of-magnitude choices inside the 1e5-1e7 W/sr span of the open literature, APS 2003 and
# Forden 2007; solid motors with Al2O3 particles are brighter than liquid engines). The plume
# grows as it expands with altitude: the value at sea level is PLUME_SEA_LEVEL_FRACTION of it,
# log-linear in between (derived). In lwir the plume is taken PLUME_LWIR_FACTOR as bright.
PLUME_W_SR = {"solid": 1.0e6, "liquid": 3.0e5}
PLUME_FULL_ALT_M = 30e3
PLUME_SEA_LEVEL_FRACTION = 0.3
PLUME_LWIR_FACTOR = 0.1

# Cold/aero-heated bodies: (temperature K, emissivity, projected area m^2); derived, see
# catalog/sensors.yaml `signatures` for sources.
BODIES = {"rv": (300.0, 0.9, 0.5), "decoy": (300.0, 0.9, 0.785), "glider": (300.0, 0.85, 2.0),
          "cruise": (300.0, 0.9, 3.0)}
SKIN_T_MAX_K = 2000.0  # body-average hot-skin cap, K (derived: C/C and ceramic TPS limit)
HOT_SKIN_K = 700.0  # above this a body counts as hot (seen against the Earth by look-down sensors)

# Atmospheric transmission above a target at altitude h: tau = exp(-k0 exp(-h / H)); derived,
# (k0, H in m) per band: swir 2.7 um sits in the water band, opaque below ~10 km.
TRANSMISSION = {"swir": (50.0, 2000.0), "mwir": (1.0, 2000.0), "lwir": (0.5, 2000.0)}
# Nothing below this altitude is seen from space: clouds cover part of the sky and a space
# sensor must not count on clear air (assumption; typical mid-latitude cloud tops are 2-10 km,
# ISCCP climatology). With it a boosting ICBM is first seen ~25-30 s after launch, not at lift-off.
CLOUD_TOP_M = 8e3


@dataclass(frozen=True)
class SpaceIRSensor:
    """One class of space IR sensor (all satellites of a layer share it).

    Attributes
    ----------
    id, kind : catalog id; 'early-warning' or 'tracking'.
    bands : band names (keys of ``BANDS``).  sensitivity_w_m2 : minimum detectable
        irradiance, W/m^2, one per band (noise-equivalent irradiance times the SNR threshold).
    field_of_regard_half_angle_rad : cone about nadir, rad; None = Earth-limb pointing, the
        Earth's disc plus the limb up to ``for_limb_altitude_m``.
    max_range_m : m.  revisit_s : s between looks at one spot.
    below_horizon_ok : can detect hot targets (plumes, hot gliders) against the Earth.
    clutter_altitude_m : cold targets need the line of sight beyond them to pass at least this
        high above the Earth (space background above the bright limb), m.
    """

    id: str
    kind: str
    bands: tuple
    sensitivity_w_m2: tuple
    field_of_regard_half_angle_rad: float | None
    max_range_m: float
    revisit_s: float
    below_horizon_ok: bool
    clutter_altitude_m: float = 50e3
    for_limb_altitude_m: float = 500e3


def sensor_from_entry(sensor_id: str, entry: dict) -> SpaceIRSensor:
    """A SpaceIRSensor from a catalog/sensors.yaml entry (already parsed into a dict)."""
    s = entry["sensor"]
    half = s.get("field_of_regard_half_angle_deg")
    return SpaceIRSensor(
        id=sensor_id, kind=entry["kind"], bands=tuple(s["bands"]),
        sensitivity_w_m2=tuple(float(x) for x in s["sensitivity_w_m2"]),
        field_of_regard_half_angle_rad=None if half is None else np.radians(float(half)),
        max_range_m=float(s["max_range_km"]) * 1e3, revisit_s=float(s["revisit_s"]),
        below_horizon_ok=bool(s["below_horizon_ok"]),
        clutter_altitude_m=float(s["clutter_altitude_km"]) * 1e3,
        for_limb_altitude_m=float(s.get("for_limb_altitude_km", 500.0)) * 1e3)


# --------------------------------------------------------------------------- geometry


def line_of_sight_clear(r_sensor, r_target, grazing_altitude_m=0.0):
    """(S, N, T) bool: the segment from sensor (S, T, 3) to target (N, T, 3), ECI m, misses
    the sphere of radius WGS84_A + grazing_altitude_m.

    Notes
    -----
    Sphere, not the ellipsoid (module docstring of :mod:`goldendome.space.coverage`); exact
    tangent-height test there. A target nearer than the tangent point is always visible.
    """
    rs, rt = np.asarray(r_sensor, float), np.asarray(r_target, float)
    return coverage.los_clear(rs[:, None], rt[None], grazing_altitude_m)


def earth_background(r_sensor, r_target, limb_altitude_m=0.0):
    """(S, N, T) bool: the line of sight beyond the target passes below ``limb_altitude_m``
    above the sphere of radius WGS84_A (target seen against the Earth, or the limb up to that
    height); False: against space."""
    rs, rt = np.asarray(r_sensor, float), np.asarray(r_target, float)
    return background_tangent_altitude(rs[:, None], rt[None]) < limb_altitude_m


# --------------------------------------------------------------------------- signatures


def irradiance(intensity_w_sr, range_m, transmission=1.0):
    """Irradiance at the aperture, W/m^2: E = tau I / R^2 (point source, inverse square).

    Notes
    -----
    Radiometry of a point source; e.g. Hudson, Infrared System Engineering (1969), ch. 2.
    """
    return np.asarray(transmission, float) * np.asarray(intensity_w_sr, float) / np.asarray(range_m, float) ** 2


def band_fraction_series(temperature_k, band):
    """Fraction of blackbody exitance sigma T^4 emitted inside ``band`` (name or (l1, l2) m).

    Notes
    -----
    Series F(0 -> lambda T) = 15/pi^4 sum_n e^{-nx}/n (x^3 + 3x^2/n + 6x/n^2 + 6/n^3),
    x = C2 / (lambda T) (Widger & Woodall, Bull. Am. Meteorol. Soc. 57 (1976) 1217; Siegel &
    Howell, Thermal Radiation Heat Transfer); 40 terms.
    """
    lo, hi = BANDS[band] if isinstance(band, str) else band
    temp = np.maximum(np.asarray(temperature_k, float), 1.0)

    def f0(lam):
        x = C2 / (lam * temp)
        n = np.arange(1, 41).reshape((-1,) + (1,) * x.ndim)
        s = np.exp(-n * x) / n * (x**3 + 3 * x**2 / n + 6 * x / n**2 + 6 / n**3)
        return 15.0 / np.pi**4 * s.sum(axis=0)

    return f0(hi) - f0(lo)


_T_TABLE = np.arange(1.0, SKIN_T_MAX_K + 2.0, 0.5)  # K; body temperatures never exceed the skin cap
_F_TABLE: dict = {}


def band_fraction(temperature_k, band):
    """As :func:`band_fraction_series`, from a 0.5 K table for named bands (the series is the
    hot spot of detecting big raids); tuples of wavelengths use the series directly."""
    if not isinstance(band, str):
        return band_fraction_series(temperature_k, band)
    if band not in _F_TABLE:
        _F_TABLE[band] = band_fraction_series(_T_TABLE, band)
    temp = np.asarray(temperature_k, float)
    inside = temp <= _T_TABLE[-1]
    fast = np.interp(temp, _T_TABLE, _F_TABLE[band])
    return fast if np.all(inside) else np.where(inside, fast, band_fraction_series(temp, band))


def skin_temperature(altitude_m, speed_m_s):
    """Body-average skin temperature of an aero-heated body, K: ambient (US76) plus the
    stagnation rise v^2 / (2 cp), capped at SKIN_T_MAX_K.

    Notes
    -----
    T0 = T + v^2 / (2 cp) (adiabatic stagnation temperature, Anderson, Hypersonic and
    High-Temperature Gas Dynamics, 2006, ch. 1). Real walls radiate and the gas dissociates,
    so the wall runs far below T0 at glide speeds; the cap stands in for radiative equilibrium.
    """
    t_amb = atmosphere.us76(np.clip(altitude_m, 0.0, 1000e3)).temperature
    return np.minimum(t_amb + np.asarray(speed_m_s, float) ** 2 / (2.0 * CP_AIR), SKIN_T_MAX_K)


def _plume(altitude_m, band, propellant):
    peak = np.where(np.asarray(propellant) == "liquid", PLUME_W_SR["liquid"], PLUME_W_SR["solid"])
    frac = np.clip(np.asarray(altitude_m, float) / PLUME_FULL_ALT_M, 0.0, 1.0)
    scale = PLUME_SEA_LEVEL_FRACTION ** (1.0 - frac)
    return peak * scale * (PLUME_LWIR_FACTOR if band == "lwir" else 1.0)


def _body_table(kind):
    kind = np.asarray(kind)
    cols = [np.full(kind.shape, 0.0) for _ in range(3)]
    for k, vals in BODIES.items():
        for c, v in zip(cols, vals):
            c[kind == k] = v
    return cols


def body_temperature(phase, kind, altitude_m, speed_m_s):
    """Temperature, K, (N, T): cold-body value, or the hot skin in glide / terminal phase."""
    kind = np.broadcast_to(np.asarray(kind)[..., None], np.shape(phase)) if np.ndim(kind) == 1 \
        and np.ndim(phase) == 2 else np.asarray(kind)
    t_cold = _body_table(kind)[0]
    aero = np.isin(phase, AERO)
    t_skin = skin_temperature(np.nan_to_num(altitude_m, nan=1e6), np.nan_to_num(speed_m_s))
    return np.where(aero, np.maximum(t_cold, t_skin), t_cold)


def target_intensity(phase, kind, altitude_m, speed_m_s, band="mwir", propellant="solid"):
    """Radiant intensity of targets in a band, W/sr; shape of ``phase`` ((N, T) or (N,)).

    Parameters
    ----------
    phase : flight phase codes (:class:`goldendome.threats.phases.Phase`).
    kind : (N,) 'rv', 'decoy', 'glider', 'cruise' (broadcast over T).
    altitude_m, speed_m_s : like ``phase``.  band : 'swir', 'mwir', 'lwir'.
    propellant : 'solid' or 'liquid', scalar or (N,) (boost plumes only).

    Notes
    -----
    Boost: plume intensity PLUME_W_SR by propellant, reduced towards sea level (see module
    constants). Other phases: grey Lambertian body, I = eps sigma T^4 f_band(T) A / pi
    (Stefan-Boltzmann with a Planck band fraction) with T, eps, A from ``BODIES`` and, in
    glide/terminal phase, the aero-heated skin of :func:`skin_temperature`. Done and
    not-launched: 0.
    """
    phase = np.asarray(phase)
    kind = np.asarray(kind)
    if kind.ndim == 1 and phase.ndim == 2:
        kind = np.broadcast_to(kind[:, None], phase.shape)
    prop = np.asarray(propellant)
    if prop.ndim == 1 and phase.ndim == 2:
        prop = np.broadcast_to(prop[:, None], phase.shape)
    _, eps, area = _body_table(kind)
    temp = body_temperature(phase, kind, altitude_m, speed_m_s)
    body = eps * SIGMA_SB * temp**4 * band_fraction(temp, band) * area / np.pi
    plume = _plume(np.nan_to_num(altitude_m), band, prop)
    out = np.where(phase == Phase.BOOST, plume, body)
    return np.where(np.isin(phase, GONE), 0.0, out)


def transmission(altitude_m, band):
    """Atmospheric transmission from a target at altitude_m (m) up to space, in ``band``.

    Notes
    -----
    tau = exp(-k0 exp(-h / H)): exponential absorber of scale height H (~2 km, water vapour)
    and sea-level zenith optical depth k0 (module ``TRANSMISSION``, derived). Slant paths
    and clouds are ignored.
    """
    k0, h = TRANSMISSION[band]
    return np.exp(-k0 * np.exp(-np.maximum(np.asarray(altitude_m, float), 0.0) / h))


# --------------------------------------------------------------------------- detection


def detect(sensors, sensor_positions, targets, phases, kinds, propellant="solid"):
    """(S, N, T) bool detections.

    Parameters
    ----------
    sensors : SpaceIRSensor or sequence of S of them (one per satellite row).
    sensor_positions : (S, T, 3) ECI m.  targets : (N, T, 6) ECI m, m/s, NaN when absent.
    phases : (N, T) int phase codes.  kinds : (N,) object kinds.
    propellant : 'solid'/'liquid', scalar or (N,).

    Notes
    -----
    visible (occlusion, field of regard, range, background) & exists (finite state, phase not
    done / not launched, above CLOUD_TOP_M) & irradiance tau I / R^2 >= sensitivity in at
    least one band.
    """
    rs = np.asarray(sensor_positions, float)
    x = np.asarray(targets, float)
    rt, v = x[..., :3], x[..., 3:]
    phases = np.asarray(phases)
    exists = np.all(np.isfinite(x), axis=-1) & ~np.isin(phases, GONE)
    alt = np.where(exists, earth.altitude(np.nan_to_num(rt)), np.nan)
    exists &= np.nan_to_num(alt) >= CLOUD_TOP_M
    speed = np.linalg.norm(v, axis=-1)
    hot = (phases == Phase.BOOST) | (body_temperature(phases, kinds, alt, speed) >= HOT_SKIN_K)
    rows = sensors if isinstance(sensors, (list, tuple)) else [sensors] * rs.shape[0]
    vis = coverage.visibility(rows, rs, rt, hot=hot) & exists[None]
    out = np.zeros_like(vis)
    rng = np.linalg.norm(rs[:, None] - rt[None], axis=-1)
    for band in {b for s in rows for b in s.bands}:
        e = irradiance(target_intensity(phases, kinds, alt, speed, band, propellant)
                       * transmission(np.nan_to_num(alt), band), rng)
        thresh = np.array([dict(zip(s.bands, s.sensitivity_w_m2)).get(band, np.inf) for s in rows])
        out |= np.nan_to_num(e) >= thresh[:, None, None]
    return vis & out


def first_detection(detected, t):
    """(N,) time of the first detection by any sensor, s; NaN if never. detected (S, N, T)."""
    return _first_time(np.asarray(detected, bool).any(axis=0), t)


def first_stereo(detected, t, sensor_positions, target_positions, min_baseline_angle_rad=np.radians(10.0)):
    """(N,) time of the first stereo (3-D) track, s; NaN if never.

    Stereo: >= 2 sensors detect the target at the same time with lines of sight at least
    ``min_baseline_angle_rad`` apart as seen from the target (triangulation). target_positions
    (N, T, 3) or states (N, T, 6), ECI m.
    """
    rt = np.asarray(target_positions, float)[..., :3]
    return _first_time(stereo_mask(detected, sensor_positions, rt, min_baseline_angle_rad), t)


def _first_time(mask, t):
    t = np.asarray(t, float)
    idx = np.argmax(mask, axis=-1)
    return np.where(mask.any(axis=-1), t[idx], np.nan)
