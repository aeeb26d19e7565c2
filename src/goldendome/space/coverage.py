"""Line-of-sight geometry from space and coverage of a region by a sensor constellation.

Positions are ECI metres (this project's ECI: :mod:`goldendome.physics.earth`). Satellite
positions come in as plain arrays ``(S, T, 3)`` from any propagator; targets as ``(N, T, 3)``.
Pairwise results are ``(S, N, T)``.

Earth model for occlusion: a sphere of radius ``WGS84_A + grazing_altitude_m`` (equatorial
radius, default margin 0). The sphere reaches 21 km above the WGS84 surface at the poles, so
it is slightly conservative (blocks a little more) at high latitude; the tangent-height test
is exact for the sphere.

A sensor's visibility rule is read from any object with the attributes of
:class:`goldendome.sensors.space_ir.SpaceIRSensor` (``field_of_regard_half_angle_rad``,
``for_limb_altitude_m``, ``max_range_m``, ``below_horizon_ok``, ``clutter_altitude_m``,
``revisit_s``); this module does not import ``sensors/`` (data flows space -> sensors).
"""

from __future__ import annotations

import numpy as np

from ..physics import earth
from ..physics.constants import WGS84_A

_GOLDEN_ANGLE = np.pi * (3.0 - np.sqrt(5.0))  # rad, sunflower (Vogel 1979) disc sampling


def _dot(a, b):
    return np.sum(a * b, axis=-1)


def _closest_approach(r_sensor, r_target):
    """Line parameter s* of the point of r_s + s (r_t - r_s) nearest the Earth's centre, and
    that point's distance from the centre (m). Broadcasts over leading dimensions."""
    d = r_target - r_sensor
    s = -_dot(r_sensor, d) / np.maximum(_dot(d, d), 1e-30)
    p = r_sensor + s[..., None] * d
    return s, np.linalg.norm(p, axis=-1)


def los_clear(r_sensor, r_target, grazing_altitude_m=0.0):
    """Whether the segment sensor -> target misses the occluding sphere; broadcasts, (...).

    Notes
    -----
    With s* the parameter of the line's closest approach to the centre, the segment is blocked
    only if 0 < s* < 1 (the closest point lies between the two ends) and that point is below
    radius ``WGS84_A + grazing_altitude_m``. When s* >= 1 the line of sight descends all the way
    to the target (looking down), so a low target on the near side stays visible even if it
    sits inside the sphere. Standard ray-sphere geometry (e.g. Wertz, Space Mission Analysis
    and Design, 3rd ed. (1999), sec. 5.1, Earth-horizon geometry).
    """
    s, dist = _closest_approach(np.asarray(r_sensor, float), np.asarray(r_target, float))
    return ~((s > 0.0) & (s < 1.0) & (dist < WGS84_A + grazing_altitude_m))


def background_tangent_altitude(r_sensor, r_target):
    """Lowest height above the sphere of radius WGS84_A (m) reached by the line of sight
    *beyond* the target; +inf when the ray recedes from the Earth behind the target.

    Negative: the Earth's disc is behind the target (looking down). 0..~100 km: the bright
    atmospheric limb. Large: cold space. Broadcasts, (...).
    """
    s, dist = _closest_approach(np.asarray(r_sensor, float), np.asarray(r_target, float))
    return np.where(s > 1.0, dist - WGS84_A, np.inf)


def earth_disc_half_angle(r_sensor, altitude_m=0.0):
    """Half-angle (rad) from nadir of the sphere of radius WGS84_A + altitude_m seen from
    r_sensor (..., 3); pi/2 inside it. sin(rho) = R / |r| (Wertz 1999, eq. 5-1)."""
    r = np.linalg.norm(np.asarray(r_sensor, float), axis=-1)
    return np.arcsin(np.clip((WGS84_A + altitude_m) / r, -1.0, 1.0))


def off_nadir_angle(r_sensor, r_target):
    """Angle (rad) between nadir (-r_sensor) and the line of sight to the target; (...)."""
    rs, rt = np.asarray(r_sensor, float), np.asarray(r_target, float)
    d = rt - rs
    c = -_dot(rs, d) / np.maximum(np.linalg.norm(rs, axis=-1) * np.linalg.norm(d, axis=-1), 1e-30)
    return np.arccos(np.clip(c, -1.0, 1.0))


def geometric_visibility(rule, r_sensor, r_target):
    """Occlusion, field of regard and range for one sensor rule; broadcasts, (...) bool.

    ``rule.field_of_regard_half_angle_rad`` None means Earth-limb pointing: the cone about
    nadir that holds the Earth's disc and the limb up to ``rule.for_limb_altitude_m``.
    """
    rs, rt = np.asarray(r_sensor, float), np.asarray(r_target, float)
    half = rule.field_of_regard_half_angle_rad
    if half is None:
        half = earth_disc_half_angle(rs, rule.for_limb_altitude_m)
    rng = np.linalg.norm(rt - rs, axis=-1)
    return los_clear(rs, rt) & (off_nadir_angle(rs, rt) <= half) & (rng <= rule.max_range_m)


def _rows(rules, n):
    """One rule per sensor row: a single rule is repeated n times."""
    return [rules] * n if not isinstance(rules, (list, tuple)) else list(rules)


def visibility(rules, r_sensor, r_target, hot=True):
    """(S, N, T) bool: sensor s can see target n at time t under its rule.

    Parameters
    ----------
    rules : rule or sequence of S rules (see module docstring).
    r_sensor : (S, T, 3) ECI m.  r_target : (N, T, 3) ECI m (NaN: absent, never visible).
    hot : bool or (N, T) bool, whether the target is hot enough to be seen against the Earth.
        A cold target, or any target for a sensor with ``below_horizon_ok`` False, needs a
        background tangent altitude >= ``rule.clutter_altitude_m`` (space above the limb).
    """
    rs, rt = np.asarray(r_sensor, float), np.asarray(r_target, float)
    out = np.zeros((rs.shape[0], rt.shape[0], rt.shape[1]), bool)
    hot = np.broadcast_to(np.asarray(hot, bool), rt.shape[:2])
    for s, rule in enumerate(_rows(rules, rs.shape[0])):
        vis = geometric_visibility(rule, rs[s][None], rt)
        space_bg = background_tangent_altitude(rs[s][None], rt) >= rule.clutter_altitude_m
        ok_bg = space_bg | (hot & bool(rule.below_horizon_ok))
        out[s] = vis & ok_bg & np.all(np.isfinite(rt), axis=-1)
    return out


def stereo_mask(seen, r_sensor, r_target, min_baseline_angle_rad=0.0):
    """(N, T) bool: >= 2 sensors see the target with lines of sight separated by at least
    ``min_baseline_angle_rad`` as seen from the target (triangulation geometry).

    seen (S, N, T) bool; r_sensor (S, T, 3); r_target (N, T, 3). Loops over sensor pairs.
    """
    seen = np.asarray(seen, bool)
    if min_baseline_angle_rad <= 0.0:
        return seen.sum(axis=0) >= 2
    u = np.asarray(r_sensor, float)[:, None] - np.asarray(r_target, float)[None]
    u = u / np.linalg.norm(u, axis=-1, keepdims=True)
    cos_max = np.cos(min_baseline_angle_rad)
    out = np.zeros(seen.shape[1:], bool)
    cand = np.flatnonzero(seen.any(axis=(1, 2)))
    for k, i in enumerate(cand):
        for j in cand[k + 1:]:
            both = seen[i] & seen[j]
            if both.any():
                out |= both & (_dot(u[i], u[j]) <= cos_max)
    return out


def region_points(lat, lon, radius_m, n):
    """n ground points (n, 3) ECEF m sampling a disc of radius radius_m (m, great-circle)
    about geodetic (lat, lon) rad; the first point is nearest the centre.

    Notes
    -----
    Sunflower (Vogel 1979) pattern: point i at distance radius sqrt((i + 0.5) / n), azimuth
    i times the golden angle, laid out along great circles (``earth.destination``).
    """
    i = np.arange(n)
    dist = radius_m * np.sqrt((i + 0.5) / n)
    la, lo = earth.destination(np.full(n, lat), np.full(n, lon), i * _GOLDEN_ANGLE, dist)
    return earth.geodetic_to_ecef(la, lo, np.zeros(n))


def _runs_longest(mask):
    """Longest run of True along the last axis, in samples; (...)."""
    m = np.asarray(mask, bool)
    best = np.zeros(m.shape[:-1], int)
    cur = np.zeros(m.shape[:-1], int)
    for k in range(m.shape[-1]):
        cur = np.where(m[..., k], cur + 1, 0)
        best = np.maximum(best, cur)
    return best


def _data_age(seen_any, t, revisit_s):
    """Data age (P, T) s: time since the last sample seen plus one revisit; NaN before the
    first sighting."""
    idx = np.where(seen_any, np.arange(t.size)[None], -1)
    last = np.maximum.accumulate(idx, axis=-1)
    t_last = np.where(last >= 0, t[np.maximum(last, 0)], np.nan)
    return t[None] - t_last + revisit_s


def coverage_stats(sensor_positions, t, points_ecef, theta0=0.0, rules=None,
                   target_altitude_m=100e3, min_baseline_angle_rad=0.0, revisit_s=None):
    """Coverage of ground points (a region) by space sensors over a time grid.

    Parameters
    ----------
    sensor_positions : (S, T, 3) ECI m.   t : (T,) s, uniform grid.
    points_ecef : (P, 3) ECEF m; each point is lifted along its ellipsoid normal to
        ``target_altitude_m`` (100 km: 'can see a plume above this point').
    theta0 : ECI rotation angle at t = 0, rad.
    rules : one sensor rule or S of them (SpaceIRSensor; see module docstring). The target
        is treated as hot (a plume): seen against the Earth if ``below_horizon_ok``.
    min_baseline_angle_rad : stereo needs two lines of sight at least this far apart.
    revisit_s : s, added to the time since last seen; default the smallest rule revisit_s.

    Returns
    -------
    dict of (P,) arrays ``fraction_seen_1``, ``fraction_seen_2`` (>= 2 sensors, stereo),
    ``longest_gap_s`` (longest unseen stretch; T dt if never seen), ``mean_data_age_s``,
    ``max_data_age_s`` (inf if never seen), and region aggregates ``region_*`` (mean
    fractions, worst gap and age, ``region_fraction_all_seen_1``: fraction of time every point
    is seen).

    Notes
    -----
    Data age at t = t - (last sample <= t at which >= 1 sensor saw the point) + revisit_s,
    i.e. an upper bound on the age of the newest look; undefined (excluded) before the first
    sighting in the window.
    """
    t = np.asarray(t, float)
    dt = float(np.median(np.diff(t))) if t.size > 1 else 0.0
    la, lo, _ = earth.ecef_to_geodetic(np.asarray(points_ecef, float))
    up = earth.geodetic_to_ecef(la, lo, np.full(la.shape, target_altitude_m))
    r_pts = earth.ecef_to_eci(up[:, None, :], t[None, :], theta0)
    seen = visibility(rules, sensor_positions, r_pts, hot=True)
    n_seen = seen.sum(axis=0)
    stereo = stereo_mask(seen, sensor_positions, r_pts, min_baseline_angle_rad)
    if revisit_s is None:
        revisit_s = min(r.revisit_s for r in _rows(rules, seen.shape[0]))
    age = _data_age(n_seen >= 1, t, revisit_s)
    ever = np.isfinite(age).any(axis=-1)
    mean_age = np.where(ever, np.nanmean(np.where(ever[:, None], age, 0.0), axis=-1), np.inf)
    max_age = np.where(ever, np.nanmax(np.where(ever[:, None], age, 0.0), axis=-1), np.inf)
    out = {
        "fraction_seen_1": (n_seen >= 1).mean(axis=-1),
        "fraction_seen_2": stereo.mean(axis=-1),
        "longest_gap_s": _runs_longest(n_seen == 0) * dt,
        "mean_data_age_s": mean_age,
        "max_data_age_s": max_age,
    }
    out.update({f"region_{k}": float(np.mean(out[k])) for k in ("fraction_seen_1", "fraction_seen_2")})
    out["region_longest_gap_s"] = float(np.max(out["longest_gap_s"]))
    out["region_max_data_age_s"] = float(np.max(max_age))
    out["region_fraction_all_seen_1"] = float(np.all(n_seen >= 1, axis=0).mean())
    return out
