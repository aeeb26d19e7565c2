"""Directed-energy weapons: spot size, transmission, irradiance, dwell to kill, engagements.

Conventions: SI units; positions ECEF/ECI of :mod:`goldendome.physics.earth`; times in s.

Notes
-----
Beam: a focused beam of M^2 quality from a circular aperture D (w0 = D/2). Its 1/e^2 spot
radius at range z adds in quadrature

- diffraction w_d = M^2 lambda z / (pi w0) (focused Gaussian far-field spot; Siegman 1986,
  ch. 17: divergence theta = M^2 lambda / (pi w0));
- turbulence w_t = lambda z / (pi r0 / 2): the aperture replaced by the Fried coherence
  diameter r0 (Fried 1966), r0 = [0.423 k^2 integral Cn^2(h(s)) (1 - s/L)^(5/3) ds]^(-3/5)
  along the path s from the laser (spherical-wave weighting, Andrews & Phillips 2005,
  ch. 12), with the Hufnagel-Valley 5/7 profile (Valley 1980);
- jitter w_j = 2 sigma_j z (1/e^2 radius of a Gaussian of rms jitter sigma_j per axis).

Transmission tau = exp(-integral beta0 exp(-h/H) ds) (aerosol extinction with scale height
H; Weichel 1990); paths that stay above ~100 km give tau ~ 1. Irradiance on target is the
mean over the 1/e^2 spot, I = (1 - e^-2) tau P / (pi w^2): a Gaussian beam carries the fraction
1 - e^-2 = 0.8647 of its power inside its 1/e^2 radius (Siegman 1986, ch. 17), spread over
pi w^2 (0.43 of the peak 2P/(pi w^2)); dwell
to kill t = F / I for a fluence to kill F (APS 2003 laser chapter).

Adaptive optics (a laser with ``ao_actuator_pitch_m > 0``): the residual phase variance after
correction is sigma^2 = 0.28 (d/r0)^(5/3) (fitting error of a continuous-facesheet mirror with
actuator pitch d; Hudgin 1977) + (f_G/f_c)^(5/3) (servo lag, Greenwood frequency
f_G = 0.427 v/r0 for turbulence moving across the beam at v, closed-loop bandwidth f_c;
Greenwood 1977) + (theta_pa/theta0)^(5/3) (point-ahead anisoplanatism, isoplanatic angle
theta0 = [2.914 k^2 integral Cn^2 s^(5/3) ds]^(-3/5) with s the distance from the aperture;
Fried 1982), all as collected in Tyson 2010. The corrected beam is a
diffraction-and-jitter-limited core, w_c^2 = w_d^2 + w_j^2, holding the Strehl fraction
S = exp(-sigma^2) (extended Marechal approximation) of the power, and a halo with the
uncorrected spot w holding 1 - S (Hardy 1998): I = (1 - e^-2) tau P [S/(pi w_c^2) +
(1 - S)/(pi w^2)]. Without adaptive optics S = 0 and I is the uncorrected mean above.
Thermal blooming, scintillation (branch points), target spin and the angle of incidence are
neglected. Paths whose straight chord passes below the surface are blocked (tau = 0, infinite
dwell).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..physics import earth
from ..physics.constants import R_MEAN

IN_SPOT = 1.0 - np.exp(-2.0)  # power fraction of a Gaussian beam inside its 1/e^2 radius (Siegman 1986, ch. 17)
_NPATH = 48  # path samples for the turbulence and extinction integrals (midpoint rule)
HV57_WIND_M_S = 21.0  # rms upper-level wind of HV 5/7, m/s; Valley 1980, Andrews & Phillips 2005
HV57_A = 1.7e-14  # ground-level Cn^2 of HV 5/7, m^-2/3; Valley 1980, Andrews & Phillips 2005
AO_FITTING = 0.28  # fitting-error coefficient of a continuous-facesheet deformable mirror; Hudgin 1977, Tyson 2010
GREENWOOD = 0.427  # f_G = 0.427 v / r0 for turbulence moving at v across the beam; Greenwood 1977, Tyson 2010


@dataclass(frozen=True)
class Laser:
    """A high-energy laser weapon (catalog interceptors.yaml, class directed-energy).

    Attributes
    ----------
    power_w, aperture_m, wavelength_m, m2, jitter_rad : float
        Average output power (W), aperture diameter (m), wavelength (m), beam quality,
        rms pointing jitter per axis (rad).
    platform_alt_m, retarget_s, magazine_shots : float
        Altitude of the platform (m), slew/re-acquire time between targets (s), shots
        (``inf`` for a power-limited magazine).
    hardness_J_m2, max_dwell_s, max_range_m : float
        Fluence to kill of the design target (J/m^2), longest dwell per shot (s), range cap (m).
    extinction_sea_level_per_m, extinction_scale_height_m : float
        Aerosol extinction at sea level (1/m) and its scale height (m).
    ao_actuator_pitch_m, ao_bandwidth_hz, ao_wind_m_s, ao_point_ahead_rad : float
        Adaptive optics: deformable-mirror actuator pitch on the aperture (m; 0 = no adaptive
        optics), closed-loop bandwidth (Hz), speed at which the turbulence crosses the beam
        (m/s), point-ahead angle between the beacon and the beam (rad). Module Notes.
    """

    id: str
    name: str = ""
    kind: str = "ground"
    power_w: float = 1e6
    aperture_m: float = 1.0
    wavelength_m: float = 1.0e-6
    m2: float = 1.0
    jitter_rad: float = 0.0
    platform_alt_m: float = 0.0
    retarget_s: float = 0.0
    magazine_shots: float = np.inf
    hardness_J_m2: float = 1e7
    max_dwell_s: float = 10.0
    max_range_m: float = np.inf
    extinction_sea_level_per_m: float = 0.0
    extinction_scale_height_m: float = 1200.0
    ao_actuator_pitch_m: float = 0.0
    ao_bandwidth_hz: float = np.inf
    ao_wind_m_s: float = 0.0
    ao_point_ahead_rad: float = 0.0
    unit_cost_usd: float = 0.0
    cost_year: int = 2025

    def __post_init__(self):
        if not (self.power_w > 0 and self.aperture_m > 0 and self.wavelength_m > 0 and self.m2 >= 1):
            raise ValueError(f"{self.id}: need power, aperture, wavelength > 0 and M^2 >= 1")
        if self.ao_actuator_pitch_m < 0 or not self.ao_bandwidth_hz > 0:
            raise ValueError(f"{self.id}: adaptive optics need an actuator pitch >= 0 and a bandwidth > 0")

    @property
    def adaptive(self) -> bool:
        """True when the laser corrects turbulence with adaptive optics (module Notes)."""
        return self.ao_actuator_pitch_m > 0


_FLOATS = ("power_w", "aperture_m", "wavelength_m", "m2", "jitter_rad", "platform_alt_m", "retarget_s",
           "magazine_shots", "hardness_J_m2", "max_dwell_s", "max_range_m", "extinction_sea_level_per_m",
           "extinction_scale_height_m", "ao_actuator_pitch_m", "ao_bandwidth_hz", "ao_wind_m_s",
           "ao_point_ahead_rad", "unit_cost_usd")


def laser_from_entry(lid: str, entry: dict) -> Laser:
    """Build a :class:`Laser` from a raw catalog mapping (interceptors.yaml entry)."""
    kw = {k: float(entry[k]) for k in _FLOATS if k in entry}
    if "cost_year" in entry:
        kw["cost_year"] = int(entry["cost_year"])
    return Laser(id=lid, name=entry.get("name", lid), kind=entry.get("kind", "ground"), **kw)


def hv57_cn2(h):
    """Hufnagel-Valley 5/7 refractive-index structure constant Cn^2 (m^-2/3) at altitude h (m).

    Notes
    -----
    Cn^2 = 0.00594 (v/27)^2 (1e-5 h)^10 exp(-h/1000) + 2.7e-16 exp(-h/1500) + A exp(-h/100),
    v = 21 m/s, A = 1.7e-14 m^-2/3 (Valley 1980; Andrews & Phillips 2005, ch. 12).
    """
    h = np.maximum(np.asarray(h, float), 0.0)
    return (0.00594 * (HV57_WIND_M_S / 27.0) ** 2 * (1e-5 * h) ** 10 * np.exp(-h / 1000.0)
            + 2.7e-16 * np.exp(-h / 1500.0) + HV57_A * np.exp(-h / 100.0))


def _path_altitudes_sphere(range_m, alt1_m, alt2_m):
    """Altitudes (..., K) at the midpoints of K segments of the chord on the sphere R_MEAN."""
    z, h1, h2 = np.broadcast_arrays(*(np.asarray(x, float) for x in (range_m, alt1_m, alt2_m)))
    r1, r2 = R_MEAN + h1, R_MEAN + h2
    dot = 0.5 * (r1**2 + r2**2 - z**2)  # P1 . P2 (law of cosines)
    s = (np.arange(_NPATH) + 0.5) / _NPATH
    r1, r2, dot = r1[..., None], r2[..., None], dot[..., None]
    rad2 = (1 - s) ** 2 * r1**2 + s**2 * r2**2 + 2 * s * (1 - s) * dot
    return np.sqrt(np.maximum(rad2, 0.0)) - R_MEAN


def _path_altitudes_points(p1, p2):
    """Altitudes (..., K) at segment midpoints of the chord p1 -> p2 (ECEF, (..., 3))."""
    s = (np.arange(_NPATH) + 0.5) / _NPATH
    p1, p2 = np.asarray(p1, float)[..., None, :], np.asarray(p2, float)[..., None, :]
    p = p1 + s[:, None] * (p2 - p1)
    return np.linalg.norm(p, axis=-1) - R_MEAN


def _optics(laser: Laser, range_m, h_path):
    """Beam on target along sampled path altitudes (..., K): (w, w_core, strehl, tau).

    w is the uncorrected 1/e^2 spot radius (m), w_core the corrected core's, strehl the power
    fraction in the core (0 without adaptive optics), tau the transmission (module Notes).
    """
    z = np.asarray(range_m, float)
    ds = z / _NPATH
    s = (np.arange(_NPATH) + 0.5) / _NPATH
    k = 2 * np.pi / laser.wavelength_m
    cn2 = hv57_cn2(h_path)
    r0 = _coherence(0.423 * k**2 * np.sum(cn2 * (1 - s) ** (5 / 3), axis=-1) * ds)
    w0 = laser.aperture_m / 2
    w_d = laser.m2 * laser.wavelength_m * z / (np.pi * w0)
    w_t = laser.wavelength_m * z / (np.pi * r0 / 2)
    w_j = 2 * laser.jitter_rad * z
    w = np.sqrt(w_d**2 + w_t**2 + w_j**2)
    strehl = np.zeros_like(w)
    if laser.adaptive:
        theta0 = _coherence(2.914 * k**2 * np.sum(cn2 * (s * z[..., None]) ** (5 / 3), axis=-1) * ds)
        strehl = np.exp(-_residual_phase_variance(laser, r0, theta0))
    beta = laser.extinction_sea_level_per_m * np.exp(-np.maximum(h_path, 0.0) / laser.extinction_scale_height_m)
    tau = np.exp(-np.sum(beta, axis=-1) * ds)
    blocked = np.min(h_path, axis=-1) < 0.0
    return w, np.sqrt(w_d**2 + w_j**2), strehl, np.where(blocked, 0.0, tau)


def _coherence(integral):
    """integral^(-3/5): Fried's r0 (m) or the isoplanatic angle (rad); inf for a clear path."""
    with np.errstate(divide="ignore"):
        return np.where(integral > 0, np.where(integral > 0, integral, 1.0) ** (-3 / 5), np.inf)


def _residual_phase_variance(laser: Laser, r0, theta0):
    """Phase variance (rad^2) left by adaptive optics: fitting + servo lag + point-ahead (Notes)."""
    fit = AO_FITTING * (laser.ao_actuator_pitch_m / r0) ** (5 / 3)
    servo = (GREENWOOD * laser.ao_wind_m_s / r0 / laser.ao_bandwidth_hz) ** (5 / 3)
    return fit + servo + (laser.ao_point_ahead_rad / theta0) ** (5 / 3)


def spot_radius(laser: Laser, range_m, platform_alt_m=None, target_alt_m=None):
    """1/e^2 spot radius (m) at ``range_m`` (diffraction, turbulence, jitter; module Notes).

    For a laser with adaptive optics: the corrected core's radius (diffraction and jitter),
    which holds the fraction :func:`strehl` of the power.
    """
    h1 = laser.platform_alt_m if platform_alt_m is None else platform_alt_m
    h2 = h1 if target_alt_m is None else target_alt_m
    w, w_core, _, _ = _optics(laser, range_m, _path_altitudes_sphere(range_m, h1, h2))
    return w_core if laser.adaptive else w


def strehl(laser: Laser, range_m, platform_alt_m, target_alt_m):
    """Power fraction in the adaptive-optics corrected core, exp(-sigma^2) (0 without AO)."""
    return _optics(laser, range_m, _path_altitudes_sphere(range_m, platform_alt_m, target_alt_m))[2]


def transmission(laser: Laser, range_m, platform_alt_m, target_alt_m):
    """Atmospheric transmission tau (0..1) along the chord; 0 when the Earth blocks it."""
    return _optics(laser, range_m, _path_altitudes_sphere(range_m, platform_alt_m, target_alt_m))[3]


def _mean_irradiance(laser: Laser, w, w_core, strehl, tau):
    """Mean irradiance (W/m^2) of the halo over its 1/e^2 spot w plus the core over w_core (Notes)."""
    if not laser.adaptive:
        return IN_SPOT * tau * laser.power_w / (np.pi * w**2)
    return IN_SPOT * tau * laser.power_w / np.pi * (strehl / w_core**2 + (1.0 - strehl) / w**2)


def irradiance(laser: Laser, range_m, platform_alt_m, target_alt_m):
    """Mean irradiance over the 1/e^2 spot, W/m^2: (1 - e^-2) tau P / (pi w^2) (module Notes).

    With adaptive optics, the core (fraction S of the power) and the halo (1 - S) each over
    their own 1/e^2 spot.
    """
    return _mean_irradiance(laser, *_optics(laser, range_m, _path_altitudes_sphere(range_m, platform_alt_m, target_alt_m)))


def dwell_time(laser: Laser, range_m, platform_alt_m, target_alt_m, hardness_J_m2=None):
    """Dwell to deposit the fluence to kill, s: F / I (inf where the path is blocked).

    Parameters
    ----------
    range_m, platform_alt_m, target_alt_m : array_like
        Slant range (m), laser and target altitudes (m); broadcast together.
    hardness_J_m2 : array_like, optional
        Fluence to kill, J/m^2 (default ``laser.hardness_J_m2``).
    """
    f = laser.hardness_J_m2 if hardness_J_m2 is None else np.asarray(hardness_J_m2, float)
    i = irradiance(laser, range_m, platform_alt_m, target_alt_m)
    with np.errstate(divide="ignore"):
        return np.where(i > 0, f / np.where(i > 0, i, 1.0), np.inf)


def kills_per_minute(laser: Laser, dwell_s):
    """Engagement rate, kills/min, at one dwell per target plus retarget: 60 / (t + t_r)."""
    return 60.0 / (np.asarray(dwell_s, float) + laser.retarget_s)


def max_range_for_dwell(laser: Laser, dwell_s, platform_alt_m, target_alt_m, hardness_J_m2=None, hi=2e7):
    """Largest range (m) at which the dwell to kill is <= ``dwell_s`` (vectorized bisection).

    Notes
    -----
    Dwell grows monotonically with range along a fixed altitude pair (spot ~ z, transmission
    non-increasing), so 60 bisections on [|h2 - h1|, hi] converge to < 1e-10 of ``hi``.
    Returns NaN when even the shortest range needs more than ``dwell_s``.
    """
    dwell_s, h1, h2 = np.broadcast_arrays(*(np.asarray(x, float) for x in (dwell_s, platform_alt_m, target_alt_m)))
    lo = np.abs(h2 - h1) + 1.0
    up = np.full_like(lo, hi)
    ok_lo = dwell_time(laser, lo, h1, h2, hardness_J_m2) <= dwell_s
    for _ in range(60):
        mid = 0.5 * (lo + up)
        good = dwell_time(laser, mid, h1, h2, hardness_J_m2) <= dwell_s
        lo, up = np.where(good, mid, lo), np.where(good, up, mid)
    return np.where(ok_lo, lo, np.nan)


@dataclass(frozen=True)
class LaserEngagement:
    """Per-object result of :func:`engagement`.

    Attributes
    ----------
    dwell_s : ndarray (N, T)
        Dwell to kill at each step (inf out of range or blocked).
    dwell_min_s, time_in_range_s : ndarray (N,)
        Shortest dwell over the flight; total time in range with line of sight, s.
    t_kill : ndarray (N,)
        Earliest time the fluence accumulated while in range (from first access) reaches
        the hardness, s (NaN: never).
    killable : ndarray of bool (N,)
        Some step needs dwell <= ``max_dwell_s`` and t_kill exists.
    """

    dwell_s: np.ndarray
    dwell_min_s: np.ndarray
    time_in_range_s: np.ndarray
    t_kill: np.ndarray
    killable: np.ndarray


def engagement(laser: Laser, site_lat, site_lon, traj, site_alt_m=None, hardness_J_m2=None, theta0=0.0):
    """Dwell needed versus time available, per object, for a laser at a fixed site.

    Parameters
    ----------
    laser : Laser
    site_lat, site_lon : float
        Platform geodetic latitude/longitude, rad (a space platform is held fixed above it).
    traj : Trajectories
        ``.t`` (T,), ``.state`` (N, T, 6) ECI, NaN outside flight.
    site_alt_m : float, optional
        Platform altitude, m (default ``laser.platform_alt_m``).
    hardness_J_m2 : array_like, optional
        Fluence to kill, scalar or (N,), J/m^2 (default ``laser.hardness_J_m2``).

    Returns
    -------
    LaserEngagement

    Notes
    -----
    In range: finite position, chord above the surface, range <= ``max_range_m``. Fluence
    accumulates as the time integral of the irradiance (rectangle rule on the grid) over
    in-range steps, interruptions included; retarget time is not charged here.
    """
    h0 = laser.platform_alt_m if site_alt_m is None else float(site_alt_m)
    p_site = earth.geodetic_to_ecef(site_lat, site_lon, h0)
    t = np.asarray(traj.t, float)
    r_eci = np.asarray(traj.state, float)[..., :3]
    r = earth.eci_to_ecef(r_eci, np.broadcast_to(t, r_eci.shape[:-1]), theta0)
    z = np.linalg.norm(r - p_site, axis=-1)
    fin = np.isfinite(z)
    rr = np.where(fin[..., None], r, p_site + 1.0)
    beam = _optics(laser, np.where(fin, z, 1.0), _path_altitudes_points(np.broadcast_to(p_site, rr.shape), rr))
    irr = np.where(fin & (z <= laser.max_range_m), _mean_irradiance(laser, *beam), 0.0)
    f = laser.hardness_J_m2 if hardness_J_m2 is None else np.asarray(hardness_J_m2, float)
    f = np.broadcast_to(f, z.shape[:1])[:, None]
    with np.errstate(divide="ignore"):
        dwell = np.where(irr > 0, f / np.where(irr > 0, irr, 1.0), np.inf)
    dt = np.gradient(t) if t.size > 1 else np.ones_like(t)
    fluence = np.cumsum(irr * dt, axis=1)
    done = fluence >= f
    t_kill = np.where(done.any(axis=1), t[np.argmax(done, axis=1)], np.nan)
    dmin = dwell.min(axis=1) if dwell.shape[1] else np.full(dwell.shape[0], np.inf)
    killable = (dmin <= laser.max_dwell_s) & np.isfinite(t_kill)
    return LaserEngagement(dwell, dmin, np.sum((irr > 0) * dt, axis=1), t_kill, killable)
