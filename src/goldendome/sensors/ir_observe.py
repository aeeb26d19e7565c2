"""Space infrared detections as Detections: angles-only lines of sight for the tracker."""

from __future__ import annotations

import numpy as np

from . import space_ir
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

    Notes
    -----
    Detection as in :func:`space_ir.detect`; each detection becomes a point on the noisy
    line of sight with its covariance (:func:`detections.line_of_sight_measurement`).
    """
    seen = space_ir.detect(sensors, sat_positions, traj.state, traj.phase, traj.objects["kind"], propellant)
    seen &= _revisit_mask(sensors, traj.t)[:, None, :]
    seen &= _first_of_colocated(traj)[None]
    seen &= _nearest(seen, sat_positions, traj.state[..., :3], LOOKS_PER_REVISIT)
    s, n, k = np.nonzero(seen)
    if not len(s):
        return Detections.empty()
    z, R = line_of_sight_measurement(sat_positions[s, k], traj.state[n, k, :3], sigma_angle_rad, rng=rng)
    t = traj.t[k]
    return Detections(t=t, arrival=t + latency_s, sensor=sensor_index + s, z=z, R=R,
                      snr=np.full(len(t), np.nan), truth=n.astype(int))


def _revisit_mask(sensors, t):
    """(S, T) True at each satellite's revisit instants on the grid t."""
    rev = np.array([s.revisit_s for s in sensors])[:, None]
    step = np.median(np.diff(t)) if len(t) > 1 else 1.0
    k = np.round((t - t[0]) / step)[None, :]
    every = np.maximum(np.round(rev / step), 1.0)
    return np.mod(k, every) == 0


def _first_of_colocated(traj):
    """(N, T) False for an object sitting within MERGE_M of a lower-indexed object of its missile."""
    x = traj.state[..., :3]
    missile = np.asarray(traj.objects["missile"])
    keep = np.ones(x.shape[:2], bool)
    for m in np.unique(missile):
        idx = np.flatnonzero(missile == m)
        for j, b in enumerate(idx[1:], start=1):
            d = np.linalg.norm(x[idx[:j]] - x[b][None], axis=-1)  # (j, T)
            keep[b] &= ~np.any(d < MERGE_M, axis=0)
    return keep


def _nearest(seen, sat_positions, targets, keep):
    """(S, N, T) True for the ``keep`` nearest satellites that see each object at each time."""
    if seen.shape[0] <= keep:
        return seen
    rng_m = np.linalg.norm(sat_positions[:, None] - targets[None], axis=-1)
    rng_m = np.where(seen, rng_m, np.inf)
    rank = np.argsort(np.argsort(rng_m, axis=0, kind="stable"), axis=0, kind="stable")
    return rank < keep
