"""Space infrared detections as Detections: angles-only lines of sight for the tracker."""

from __future__ import annotations

import numpy as np

from ..physics import earth
from ..space import coverage
from ..threats.phases import Phase
from . import ir_kernel, space_ir
from .detections import Detections, line_of_sight_measurement

MERGE_M = 1.0  # objects closer than this (payload still on its bus) are one IR target
LOOKS_PER_REVISIT = 2  # a layer reports each object from its two nearest satellites per look
# (two lines of sight triangulate; more add little and multiply the tracker's work)


def observe(sensors, sat_positions, traj, rng: np.random.Generator, sigma_angle_rad, sensor_index,
            latency_s=0.0, propellant="solid") -> Detections:
    """Detections of ``traj`` by one space layer (S satellites), every satellite's revisit.

    Parameters
    ----------
    sensors : list of S SpaceIRSensor (one per satellite).
    sat_positions : (S, T, 3) ECI m on ``traj.t``.
    sigma_angle_rad : float, line-of-sight noise (1 sigma per axis).
    sensor_index : int, the scenario's sensor index of the layer's first satellite; satellite
        s reports as sensor_index + s (each satellite is its own sensor for the tracker, so
        simultaneous looks from two satellites update a track one after the other).
    latency_s : link latency, s.
    propellant : 'solid'/'liquid', scalar or (N,) (boost plumes).

    Notes
    -----
    Detection as in :func:`space_ir.detect`, evaluated only for target samples that exist,
    fly above the cloud tops, are not riding on a lower-indexed object of their missile and
    fall on some satellite's revisit instant (:mod:`ir_kernel`); of the satellites that see a
    sample the LOOKS_PER_REVISIT nearest report it. Each detection becomes a point on the
    noisy line of sight with its covariance (:func:`detections.line_of_sight_measurement`),
    drawn in (satellite, object, time) order.
    """
    rows = list(sensors) if isinstance(sensors, (list, tuple)) else [sensors] * sat_positions.shape[0]
    looks = _revisit_mask(rows, traj.t)
    n, k = _samples(traj, looks.any(axis=0))
    if not len(n):
        return Detections.empty()
    x = traj.state[n, k]
    phase, kind = np.asarray(traj.phase)[n, k], np.asarray(traj.objects["kind"])[n]
    alt = earth.altitude(x[:, :3])
    high = alt >= space_ir.CLOUD_TOP_M
    n, k, x, phase, kind, alt = n[high], k[high], x[high], phase[high], kind[high], alt[high]
    prop = propellant if np.ndim(propellant) == 0 else np.asarray(propellant)[n]
    speed = np.linalg.norm(x[:, 3:], axis=-1)
    hot = (phase == Phase.BOOST) | (space_ir.body_temperature(phase, kind, alt, speed) >= space_ir.HOT_SKIN_K)
    bands = sorted({b for s in rows for b in s.bands})
    e0 = np.stack([space_ir.target_intensity(phase, kind, alt, speed, b, prop) * space_ir.transmission(alt, b)
                   for b in bands], axis=1)
    thresh = np.array([[dict(zip(s.bands, s.sensitivity_w_m2)).get(b, np.inf) for b in bands] for s in rows])
    sat = np.ascontiguousarray(sat_positions, float)
    best = ir_kernel.nearest_looks(sat, _half_angles(rows, sat), looks, np.ascontiguousarray(x[:, :3]), k, hot,
                                   np.ascontiguousarray(e0), thresh, np.array([r.max_range_m for r in rows]),
                                   np.array([r.clutter_altitude_m for r in rows]),
                                   np.array([bool(r.below_horizon_ok) for r in rows]), LOOKS_PER_REVISIT)
    m, j = np.nonzero(best >= 0)
    s = best[m, j]
    order = np.argsort(s, kind="stable")  # samples are in (object, time) order: now (s, n, k)
    s, n, k = s[order], n[m[order]], k[m[order]]
    if not len(s):
        return Detections.empty()
    z, R = line_of_sight_measurement(sat_positions[s, k], traj.state[n, k, :3], sigma_angle_rad, rng=rng)
    t = traj.t[k]
    return Detections(t=t, arrival=t + latency_s, sensor=sensor_index + s, z=z, R=R,
                      snr=np.full(len(t), np.nan), truth=n.astype(int))


def _samples(traj, any_look):
    """(n, k) indices of target samples that exist at a look instant and are their own IR target."""
    cols = np.flatnonzero(any_look)
    ok = np.all(np.isfinite(traj.state[:, cols]), axis=-1) & ~np.isin(traj.phase[:, cols], (5, 7))
    ok &= _first_of_colocated(traj, cols)
    n, j = np.nonzero(ok)
    return n, cols[j]


def _half_angles(rows, sat):
    """(S, T) field-of-regard half-angle about nadir, rad (Earth-limb pointing where unset)."""
    out = np.empty(sat.shape[:2])
    for i, r in enumerate(rows):
        half = r.field_of_regard_half_angle_rad
        out[i] = coverage.earth_disc_half_angle(sat[i], r.for_limb_altitude_m) if half is None else half
    return out


def _revisit_mask(sensors, t):
    """(S, T) True at each satellite's revisit instants on the grid t."""
    rev = np.array([s.revisit_s for s in sensors])[:, None]
    step = np.median(np.diff(t)) if len(t) > 1 else 1.0
    k = np.round((t - t[0]) / step)[None, :]
    every = np.maximum(np.round(rev / step), 1.0)
    return np.mod(k, every) == 0


def _first_of_colocated(traj, cols=None):
    """(N, C) False for an object sitting within MERGE_M of a lower-indexed object of its missile,
    at time indices ``cols`` (default all, C = T)."""
    x = np.ascontiguousarray(traj.state)
    cols = np.arange(x.shape[1]) if cols is None else np.asarray(cols, np.int64)
    missile = np.asarray(traj.objects["missile"])
    members = np.lexsort((np.arange(len(missile)), missile))  # by missile, then index
    sorted_m = missile[members]
    first = np.searchsorted(sorted_m, sorted_m, side="left")  # group start of each position
    start, rank = np.empty(len(missile), np.int64), np.empty(len(missile), np.int64)
    start[members], rank[members] = first, np.arange(len(missile)) - first
    return ~ir_kernel.colocated(x, members, start, rank, cols, MERGE_M)
