"""Ground and sea radars: UEWR, LRDR, AN/TPY-2, AN/SPY-6-class and a generic radar.

A radar is a site (geodetic), one or more fixed array faces (boresight azimuth, azimuth
half-angle, maximum elevation), a minimum elevation (the horizon and clutter mask), a
radar-equation sensitivity given by one reference point (range at which a target of RCS
``ref_rcs_m2`` gives the detection-threshold SNR ``ref_snr``), an instrumented maximum range,
measurement accuracy from beamwidth and bandwidth, a revisit period and a false-alarm rate.

Shapes: objects N, scan times K. Positions ECI metres; angles radians; ranges metres.
Every catalog number is in catalog/radars.yaml with its source.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit, prange

from ..physics import earth
from ..threats.phases import GONE, Phase
from .detections import Detections, enu_to_eci_rotation, spherical_to_cartesian_cov

C_LIGHT = 299_792_458.0  # m/s, exact (SI definition)
RADAR_KINDS = ("early-warning", "discrimination", "fire-control", "ship", "airborne", "generic")
BANDS = ("VHF", "UHF", "L", "S", "C", "X", "Ku")
PD_MODELS = ("threshold", "swerling1")
MIN_COS_EL = 0.05  # keeps the azimuth sigma finite near the zenith
EFFECTIVE_EARTH_K = 4.0 / 3.0  # effective Earth radius factor, standard refraction (Skolnik 2001 ch. 8)
R_MEAN = earth.R_MEAN  # m, default sphere of the horizon test (IUGG mean radius)

# Radar cross-section, m^2, by flight phase (threats.phases.Phase) and object kind; catalog/
# radars.yaml `rcs` block gives the source of each. Frequency dependence is ignored.
RCS_BOOST_M2 = 10.0  # boosting missile body, broadside-ish, S/X band
RCS_POST_BOOST_M2 = 1.0  # post-boost vehicle (bus) carrying its payload
RCS_CRUISE_BOOST_M2 = 1.0  # cruise missile with its small booster
RCS_KIND_M2 = {"rv": 0.01, "decoy": 0.01, "glider": 0.1, "cruise": 0.5}
# Small bodies (RV, decoy, glider) are sized like the wavelength at UHF/L band (resonance
# region), where their nose-on RCS is larger than the X-band value by this factor.
SMALL_BODY_BAND_FACTOR = {"VHF": 10.0, "UHF": 10.0, "L": 3.0, "S": 1.0, "C": 1.0, "X": 1.0, "Ku": 1.0}
SMALL_BODIES = ("rv", "decoy", "glider")


@dataclass(frozen=True)
class Radar:
    """One radar site. Angles rad, lengths m, frequencies Hz; ``ref_snr`` linear."""

    id: str
    kind: str
    lat_rad: float
    lon_rad: float
    alt_m: float
    faces_az_rad: tuple
    fov_az_half_rad: float
    fov_el_max_rad: float
    min_el_rad: float
    ref_range_m: float
    ref_rcs_m2: float
    ref_snr: float
    max_range_m: float
    band: str
    beamwidth_rad: float
    bandwidth_hz: float
    revisit_s: float
    false_alarms_per_scan: float
    sigma_r_floor_m: float
    sigma_angle_floor_rad: float
    pfa: float = 1e-6  # per-cell false-alarm probability, used by the Swerling I Pd model


def validate(radar: Radar) -> None:
    """Raise ValueError with a one-line message if ``radar`` is not physical (the scenario edge
    turns it into an InputError naming the field)."""
    rid = f"radar '{radar.id}'"
    checks = [
        (radar.kind in RADAR_KINDS, f"unknown sensor type '{radar.kind}' (known: {', '.join(RADAR_KINDS)})"),
        (radar.band in BANDS, f"unknown band '{radar.band}' (known: {', '.join(BANDS)})"),
        (abs(radar.lat_rad) <= np.pi / 2, "latitude outside [-90, 90] deg"),
        (radar.alt_m >= -500.0, f"altitude {radar.alt_m:g} m places the sensor inside the Earth (< -500 m)"),
        (len(radar.faces_az_rad) > 0, "needs at least one array face"),
        (0.0 < radar.fov_az_half_rad <= np.pi, "face azimuth half-angle must be in (0, 180] deg"),
        (-np.pi / 18 <= radar.min_el_rad < radar.fov_el_max_rad <= np.pi / 2,
         "needs -10 deg <= min elevation < max elevation <= 90 deg"),
    ]
    positive = ("ref_range_m", "ref_rcs_m2", "ref_snr", "max_range_m", "beamwidth_rad", "bandwidth_hz", "revisit_s")
    checks += [(np.isfinite(getattr(radar, f)) and getattr(radar, f) > 0, f"{f} must be > 0") for f in positive]
    nonneg = ("false_alarms_per_scan", "sigma_r_floor_m", "sigma_angle_floor_rad")
    checks += [(np.isfinite(getattr(radar, f)) and getattr(radar, f) >= 0, f"{f} must be >= 0 (negative noise or rate)")
               for f in nonneg]
    checks.append((0.0 < radar.pfa < 1.0, "pfa must be in (0, 1)"))
    for ok, msg in checks:
        if not ok:
            raise ValueError(f"{rid}: {msg}")


# --- physics kernels ------------------------------------------------------------------------

def rcs(kind, phase, band="X"):
    """Radar cross-section by object kind, flight phase and radar band, m^2 (broadcast shapes).

    Notes
    -----
    Boost: the missile body (RCS_BOOST_M2); post-boost: the bus with its payload; coast,
    glide, terminal: the object itself (RV nose-on ~0.01 m^2, decoys built to match it); done
    or not launched: 0. Small bodies at UHF/L band are scaled by SMALL_BODY_BAND_FACTOR
    (resonance region, Skolnik 2001 sec. 2.7). Sources in catalog/radars.yaml (``rcs``).
    """
    kind = np.asarray(kind)
    phase = np.asarray(phase)
    out = np.zeros(np.broadcast_shapes(kind.shape, phase.shape))
    kind_b = np.broadcast_to(kind, out.shape)
    for k, v in RCS_KIND_M2.items():
        out[kind_b == k] = v * (SMALL_BODY_BAND_FACTOR.get(band, 1.0) if k in SMALL_BODIES else 1.0)
    out = np.where(phase == Phase.BOOST, np.where(kind_b == "cruise", RCS_CRUISE_BOOST_M2, RCS_BOOST_M2), out)
    out = np.where(phase == Phase.POST_BOOST, RCS_POST_BOOST_M2, out)
    return np.where(np.isin(phase, GONE), 0.0, out)


def detection_range(radar: Radar, sigma_m2):
    """Range at which RCS ``sigma_m2`` gives the threshold SNR, m.

    Notes
    -----
    Radar equation R^4 proportional to sigma at fixed power-aperture, dwell and SNR:
    R_det = R_ref (sigma / sigma_ref)^(1/4) (Skolnik 2001, eq. 1.8).
    """
    return radar.ref_range_m * (np.asarray(sigma_m2, float) / radar.ref_rcs_m2) ** 0.25


def snr(radar: Radar, range_m, sigma_m2):
    """Signal-to-noise ratio (linear): SNR_ref (R_ref / R)^4 (sigma / sigma_ref) (Skolnik 2001, eq. 1.8)."""
    r = np.maximum(np.asarray(range_m, float), 1.0)
    return radar.ref_snr * (radar.ref_range_m / r) ** 4 * (np.asarray(sigma_m2, float) / radar.ref_rcs_m2)


def probability_of_detection(radar: Radar, snr_lin, model="threshold"):
    """Pd: 'threshold' = 1 where SNR >= ref_snr else 0; 'swerling1' = Pfa^(1/(1+SNR)).

    Notes
    -----
    Swerling I (slow Rayleigh fluctuation) single-look detection probability
    Pd = Pfa^(1/(1+SNR)) (Skolnik 2001, sec. 2.8; Meyer & Mayer 1973).
    """
    s = np.asarray(snr_lin, float)
    if model == "threshold":
        return (s >= radar.ref_snr).astype(float)
    if model == "swerling1":
        return radar.pfa ** (1.0 / (1.0 + s))
    raise ValueError(f"unknown detection model '{model}' (known: {', '.join(PD_MODELS)})")


def measurement_sigmas(radar: Radar, snr_lin, el):
    """1-sigma range (m), azimuth and elevation (rad) errors.

    Notes
    -----
    Thermal-noise accuracy: sigma_R = (c / 2B) / sqrt(2 SNR), sigma_theta = theta_B / sqrt(2 SNR)
    (Skolnik 2001, sec. 6.3 - 6.4, monopulse slope ~1), each with a floor for bias and
    calibration. The angle error is across the line of sight, so the azimuth sigma is
    sigma_theta / cos(el).
    """
    k = np.sqrt(2.0 * np.maximum(np.asarray(snr_lin, float), 1e-12))
    s_r = np.maximum(C_LIGHT / (2.0 * radar.bandwidth_hz) / k, radar.sigma_r_floor_m)
    s_ang = np.maximum(radar.beamwidth_rad / k, radar.sigma_angle_floor_rad)
    return s_r, s_ang / np.maximum(np.cos(el), MIN_COS_EL), s_ang


def euler_radius(lat, az):
    """WGS84 radius of curvature (m) at latitude ``lat`` along azimuth ``az`` (rad): Euler's
    1/R = cos^2(az)/M + sin^2(az)/N, M meridional, N prime vertical (Torge 2001, sec. 4.1)."""
    w2 = 1.0 - earth.WGS84_E2 * np.sin(lat) ** 2
    m = earth.WGS84_A * (1.0 - earth.WGS84_E2) / w2 ** 1.5
    n = earth.WGS84_A / np.sqrt(w2)
    return 1.0 / (np.cos(az) ** 2 / m + np.sin(az) ** 2 / n)


def line_of_sight(site_alt_m, el, range_m, k=EFFECTIVE_EARTH_K, radius_m=R_MEAN):
    """True where a target at (el, range) from a site ``site_alt_m`` up is above the radar horizon.

    Notes
    -----
    Standard-atmosphere refraction as a straight ray over an Earth of radius k R (k = 4/3,
    Skolnik 2001 ch. 8, standard propagation, "4/3 Earth"): the target is visible when the Earth-central angle
    between site and target, in the effective Earth, is at most the sum of the two horizon
    angles acos(kR / (kR + h)). Heights and central angle come from (el, range) on the mean
    sphere of ``radius_m`` (the Earth's radius of curvature along the line of sight,
    :func:`euler_radius`). Any target at el >= 0 is visible (the ray rises above the site's tangent plane),
    so the test only matters for an elevated (airborne) radar looking down.
    """
    el = np.asarray(el, float)
    r = np.asarray(range_m, float)
    hs = max(float(site_alt_m), 0.0)
    x, y = r * np.cos(el), radius_m + hs + r * np.sin(el)
    ht = np.maximum(np.hypot(x, y) - radius_m, 0.0)
    kr = k * radius_m
    horizon = np.arccos(kr / (kr + hs)) + np.arccos(kr / (kr + ht))
    return (el >= 0.0) | (np.arctan2(x, y) / k <= horizon)


def refracted_elevation(site_alt_m, el, range_m, k=EFFECTIVE_EARTH_K, radius_m=R_MEAN):
    """Apparent (refracted) elevation, rad, of a target at geometric (el, range) from a site
    ``site_alt_m`` up: the 4/3-Earth elevation, lifted no more than the whole atmosphere bends.

    Notes
    -----
    Standard refraction as straight rays over an Earth of radius k R (Skolnik 2001 ch. 8): the
    target keeps its height h_t and its ground distance R theta, so its central angle becomes
    theta / k; the apparent elevation is that of the straight chord from (kR + h_s) to
    (kR + h_t) at theta / k, about d / (2R) (1 - 1/k) above the geometric one at ground distance
    d. That holds for paths in the lower atmosphere (a linear refractivity gradient); a target
    beyond it is lifted by the total atmospheric refraction at most, Saemundsson's formula
    1.02' / tan(h + 10.3 / (h + 5.11)), h the true elevation in degrees (Meeus 1998, eq. 16.4;
    34' at the horizon), else the 4/3 lift would reach degrees at the ranges early-warning
    radars see space objects.
    """
    el, r = np.asarray(el, float), np.asarray(range_m, float)
    hs = max(float(site_alt_m), 0.0)
    x, y = r * np.cos(el), radius_m + hs + r * np.sin(el)
    ht, theta = np.hypot(x, y) - radius_m, np.arctan2(x, y) / k
    kr = k * radius_m
    lift = np.arctan2((kr + ht) * np.cos(theta) - (kr + hs), (kr + ht) * np.sin(theta)) - el
    return el + np.minimum(lift, total_refraction(el))


def total_refraction(el):
    """Refraction of a ray through the whole atmosphere, rad, at true elevation ``el`` (rad):
    Saemundsson 1986 (Meeus 1998, eq. 16.4), standard 10 C and 1010 hPa; 0.57 deg at the horizon."""
    h = np.degrees(np.clip(np.asarray(el, float), np.radians(-2.0), np.radians(90.0)))
    return np.radians(1.02 / 60.0 / np.tan(np.radians(h + 10.3 / (h + 5.11))))


def horizon_dip(site_alt_m, k=EFFECTIVE_EARTH_K, radius_m=R_MEAN):
    """Depression of the radar horizon below the horizontal, rad, for a site ``site_alt_m`` up
    (4/3 Earth): acos(kR / (kR + h_s)); 0.14 deg at 25 m, 3 deg at 9 km."""
    kr = k * radius_m
    return np.arccos(kr / (kr + max(float(site_alt_m), 0.0)))


def in_coverage(radar: Radar, az, el, range_m):
    """True where (az, el, range) is in a face's field of view, at least ``min_el`` above the radar
    horizon, below ``fov_el_max``, in range and above the radar horizon.

    Notes
    -----
    ``el`` is the geometric elevation from the local WGS84 horizontal
    (physics.earth.azimuth_elevation_range); the tests use the refracted one
    (:func:`refracted_elevation`, 4/3 Earth). The elevation mask is an angle above the radar
    horizon (:func:`horizon_dip` below the horizontal), so a mask of 0 searches down to the radar
    horizon and a higher mast sees further. An airborne radar (mask below 0) sees down to its
    radar horizon (:func:`line_of_sight`) and no further.
    """
    faces = np.asarray(radar.faces_az_rad)
    off = np.abs(np.angle(np.exp(1j * (np.asarray(az)[..., None] - faces))))
    in_face = np.any(off <= radar.fov_az_half_rad, axis=-1)
    radius = euler_radius(radar.lat_rad, np.asarray(az))
    el_app = refracted_elevation(radar.alt_m, el, range_m, radius_m=radius)
    above = el_app + horizon_dip(radar.alt_m, radius_m=radius)
    ok = in_face & (above >= radar.min_el_rad) & (el_app <= radar.fov_el_max_rad) & (range_m <= radar.max_range_m)
    return ok & line_of_sight(radar.alt_m, el, range_m, radius_m=radius)


# --- observation ----------------------------------------------------------------------------

def scan_times(t, revisit_s):
    """Scan times t[0], t[0] + revisit, ... up to t[-1], s."""
    t = np.asarray(t, float)
    return t[0] + revisit_s * np.arange(int(np.floor((t[-1] - t[0]) / revisit_s + 1e-9)) + 1)


def _grid_index(t, times):
    """Left grid index i (K,), right index (K,) and weight w (K,) of ``times`` on the grid t."""
    if len(t) == 1:
        zero = np.zeros(len(times), int)
        return zero, zero, np.zeros(len(times))
    i = np.clip(np.searchsorted(t, times, side="right") - 1, 0, len(t) - 2)
    return i, i + 1, (times - t[i]) / (t[i + 1] - t[i])


def _sample(traj, times, n, q):
    """ECI positions (M, 3) of objects n at scan times times[q], linear in time; phases (M,)
    of the nearest grid point."""
    t = np.asarray(traj.t, float)
    pos = np.asarray(traj.state)[..., :3]
    i0, i1, w = _grid_index(t, times)
    i0, i1, w = i0[q], i1[q], w[q][:, None]
    p = pos[n, i0] * (1.0 - w) + pos[n, i1] * w
    p = np.where(w == 0.0, pos[n, i0], p)  # exact at grid points even if the next one is NaN
    near = np.where(w[:, 0] > 0.5, i1, i0)
    return p, np.asarray(traj.phase)[n, near]


def _first_of_missile(objects, n_obj):
    """(N,) index of the lowest-index object of each object's missile."""
    missile = np.asarray(objects.get("missile", np.arange(n_obj)))
    _, first_idx, inv = np.unique(missile, return_index=True, return_inverse=True)
    return first_idx[inv.ravel()]


def _duplicates(traj, times, n, q, pos):
    """(M,) True for an object co-located (< 1 m) with a lower-index object of its missile.

    Before deployment all objects of a missile ride on one body: the radar sees one target.
    """
    first = _first_of_missile(traj.objects, traj.state.shape[0])[n]
    out = first != n
    p_first, _ = _sample(traj, times, first[out], q[out])
    out[out] = np.linalg.norm(pos[out] - p_first, axis=-1) < 1.0
    return out


@njit(cache=True, parallel=True)
def _near_kernel(pos, site, i0, i1, slack, reach):
    """(N, K) True where an object may be within ``reach`` of the site at scan k (see _candidates)."""
    out = np.zeros((pos.shape[0], i0.shape[0]), np.bool_)
    for n in prange(pos.shape[0]):
        for k in range(i0.shape[0]):
            a, b = i0[k], i1[k]
            d2 = seg2 = 0.0
            for c in range(3):
                d2 += (pos[n, a, c] - site[a, c]) ** 2
                seg2 += (pos[n, b, c] - pos[n, a, c]) ** 2
            seg = 0.0 if math.isnan(seg2) else math.sqrt(seg2)  # NaN next point: exact at the grid point
            out[n, k] = math.sqrt(d2) - seg - slack[k] <= reach
    return out


def _candidates(radar, traj, times, theta0):
    """(n, q) index arrays of the (object, scan) pairs that can lie inside the instrumented range.

    Notes
    -----
    A conservative, exact prefilter: the sampled position is on the chord from grid point i
    to i + 1, so it lies within the chord length of grid point i; the site moves at most
    omega |r_site| (t[i + 1] - t[i]) meanwhile. A pair whose grid-point range, less both, is
    beyond max_range (plus 1 m for rounding) is out of coverage; NaN positions never pass.
    """
    t = np.asarray(traj.t, float)
    i0, i1, _ = _grid_index(t, times)
    site_ecef = earth.geodetic_to_ecef(radar.lat_rad, radar.lon_rad, radar.alt_m)
    site = earth.ecef_to_eci(np.broadcast_to(site_ecef, (len(t), 3)), t, theta0)
    slack = earth.OMEGA_EARTH * np.linalg.norm(site_ecef) * (t[i1] - t[i0])
    pos = np.ascontiguousarray(np.asarray(traj.state)[..., :3], float)
    return np.nonzero(_near_kernel(pos, np.ascontiguousarray(site), i0, i1, slack, radar.max_range_m + 1.0))


def _measure(radar, t, r_true, az, el, snr_lin, theta0, gen):
    """Noisy ECI measurements z (K, 3) and covariances R (K, 3, 3) from true (range, az, el)."""
    s_r, s_az, s_el = measurement_sigmas(radar, snr_lin, el)
    rm = r_true + s_r * gen.standard_normal(len(t))
    azm = az + s_az * gen.standard_normal(len(t))
    elm = el + s_el * gen.standard_normal(len(t))
    enu, cov = spherical_to_cartesian_cov(rm, azm, elm, s_r, s_az, s_el)
    rot = enu_to_eci_rotation(radar.lat_rad, radar.lon_rad, t, theta0)
    site = earth.ecef_to_eci(earth.geodetic_to_ecef(radar.lat_rad, radar.lon_rad, radar.alt_m), t, theta0)
    z = site + (rot @ enu[..., None])[..., 0]
    return z, rot @ cov @ np.swapaxes(rot, -1, -2)


def _false_alarms(radar, times, gen):
    """Per scan Poisson(false_alarms_per_scan) alarms, uniform in face, az, el and range.

    Returns t, range, az, el, snr arrays. Angles are uniform in (az, el), not in solid angle.
    """
    counts = gen.poisson(radar.false_alarms_per_scan, len(times))
    t = np.repeat(times, counts)
    m = len(t)
    face = np.asarray(radar.faces_az_rad)[gen.integers(0, len(radar.faces_az_rad), m)]
    az = np.mod(face + gen.uniform(-radar.fov_az_half_rad, radar.fov_az_half_rad, m), 2 * np.pi)
    el = gen.uniform(radar.min_el_rad, radar.fov_el_max_rad, m)
    rng_m = gen.uniform(0.0, radar.max_range_m, m)
    return t, rng_m, az, el, radar.ref_snr + gen.exponential(1.0, m)


def _observe_one(index, radar, traj, gen, theta0, latency_s, pd_model):
    """One radar's detections; per-sample physics only on the (object, scan) pairs in reach.

    The detection draws are made for every (object, scan) pair as before, so the random
    stream does not depend on the prefilter.
    """
    times = scan_times(traj.t, radar.revisit_s)
    n, q = _candidates(radar, traj, times, theta0)
    pos, phase = _sample(traj, times, n, q)
    site_ecef = earth.geodetic_to_ecef(radar.lat_rad, radar.lon_rad, radar.alt_m)
    az, el, rng_m = earth.azimuth_elevation_range(site_ecef, radar.lat_rad, radar.lon_rad,
                                                 earth.eci_to_ecef(pos, times[q], theta0))
    sig = rcs(np.asarray(traj.objects["kind"])[n], phase, radar.band)
    s = snr(radar, rng_m, sig)
    ok = np.isfinite(rng_m) & (sig > 0) & ~_duplicates(traj, times, n, q, pos)
    ok &= in_coverage(radar, np.nan_to_num(az), np.nan_to_num(el, nan=-1.0), np.nan_to_num(rng_m, nan=np.inf))
    pd = probability_of_detection(radar, np.where(ok, s, 0.0), pd_model)
    draws = gen.random((traj.state.shape[0], len(times)))[n, q]
    det = np.flatnonzero(ok & (draws < pd))
    n_i = n[det]
    fa_t, fa_r, fa_az, fa_el, fa_snr = _false_alarms(radar, times, gen)
    t = np.concatenate([times[q[det]], fa_t])
    snr_all = np.concatenate([s[det], fa_snr])
    z, R = _measure(radar, t, np.concatenate([rng_m[det], fa_r]), np.concatenate([az[det], fa_az]),
                    np.concatenate([el[det], fa_el]), snr_all, theta0, gen)
    truth = np.concatenate([n_i, -np.ones(len(fa_t), int)])
    return Detections(t, t + latency_s, np.full(len(t), index), z, R, snr_all, truth)


def observe(radars, traj, rng: np.random.Generator, theta0=None, latency_s=0.0, pd_model="threshold") -> Detections:
    """Detections of the objects of ``traj`` by ``radars``, sorted by time.

    Parameters
    ----------
    radars : list of Radar; the detection's ``sensor`` is the index in this list.
    traj : Trajectories-like (t (T,) s, state (N, T, 6) ECI m, phase (N, T), objects with
        'kind' and optionally 'missile').
    rng : numpy Generator (detection draws, noise, false alarms).
    theta0 : ECI rotation angle at t = 0, rad (None: ``traj.theta0`` or 0).
    latency_s : link latency, s; arrival = t + latency_s.
    pd_model : 'threshold' (detected iff SNR >= ref_snr) or 'swerling1' (Pd = Pfa^(1/(1+SNR))).

    Returns
    -------
    Detections with ECI z (K, 3), R (K, 3, 3), truth (object index, -1 for a false alarm).

    Notes
    -----
    Each radar scans at t[0] + k revisit_s; states are interpolated linearly between grid
    points. Objects co-located with a lower-index object of the same missile (the payload on
    its booster or bus) are one radar target, reported as the lowest index. Noise is drawn in
    (range, az, el); the noisy measurement is converted to ECI and its covariance is the
    linearized one at the measured point (Bar-Shalom, Li & Kirubarajan 2001, sec. 10.4). That
    conversion is consistent (NEES ~ 3) while range * sigma_angle^2 << sigma_range; for very
    thin, long ellipses (UEWR at ~1,000 km: ~2.5 m vs 10 m) the NEES grows to ~3.2.
    """
    if pd_model not in PD_MODELS:
        raise ValueError(f"unknown detection model '{pd_model}' (known: {', '.join(PD_MODELS)})")
    for r in radars:
        validate(r)
    th = float(getattr(traj, "theta0", 0.0) if theta0 is None else theta0)
    return Detections.concat([_observe_one(i, r, traj, rng, th, latency_s, pd_model) for i, r in enumerate(radars)])
