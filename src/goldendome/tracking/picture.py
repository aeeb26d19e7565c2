"""What battle management knows: the tracks of a raid, their fire-control quality and RV confidence.

Built from detections by :func:`make_picture`; c2/ reads it through
:meth:`Picture.fire_control_by_object` and :meth:`Picture.p_rv_by_object`. Which object a
track follows (``track_obj``) is scoring truth, from the detections the tracker was given; the
tracker itself never reads it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..sensors.detections import Detections
from ..threats.trajectory import Trajectories
from . import discrimination, quality
from .tracker import TrackerParams, TrackerState, track_all

FIRST_DETS = 10  # a track is scored against the object most of its first detections came from


@dataclass
class Picture:
    """Tracks of a raid and, for scoring, which object each follows.

    track_obj (M,) object per track (-1: false alarm); firm (M,) confirmation times; fc
    {interceptor type: (M,) first fire-control-quality time}; conf (M,) RV probability.
    Times are absolute (s from scenario start).
    """

    traj: Trajectories
    dets: Detections
    names: list[str]
    state: TrackerState
    track_obj: np.ndarray
    firm: np.ndarray
    fc: dict[str, np.ndarray]
    conf: np.ndarray

    def best_track(self, n):
        """The object's earliest-confirmed track id, or None."""
        mine = np.flatnonzero((self.track_obj == n) & np.isfinite(self.firm))
        return mine[np.argmin(self.firm[mine])] if len(mine) else None

    def fire_control_by_object(self) -> dict:
        """{type: (N,) earliest absolute fire-control time over the object's firm tracks, NaN if never}."""
        out = {}
        for kind, v in self.fc.items():
            arr = np.full(self.traj.n, np.nan)
            for n in range(self.traj.n):
                mine = np.flatnonzero((self.track_obj == n) & np.isfinite(self.firm) & np.isfinite(v))
                if len(mine):
                    arr[n] = v[mine].min()
            out[kind] = arr
        return out

    def first_detection_by_object(self) -> np.ndarray:
        """(N,) absolute time of each object's first detection by any sensor (truth; NaN if never)."""
        out = np.full(self.traj.n, np.nan)
        hit = np.asarray(self.dets.truth) >= 0
        np.fmin.at(out, np.asarray(self.dets.truth)[hit], np.asarray(self.dets.t, float)[hit])
        return out

    def firm_by_object(self) -> np.ndarray:
        """(N,) absolute time of each object's first confirmed track (NaN if never)."""
        out = np.full(self.traj.n, np.nan)
        ok = (self.track_obj >= 0) & np.isfinite(self.firm)
        np.fmin.at(out, self.track_obj[ok], self.firm[ok])
        return out

    def p_rv_by_object(self, untracked: float = 0.5) -> np.ndarray:
        """(N,) the defender's RV probability for each object (its best track; ``untracked`` if none)."""
        return np.array([untracked if (b := self.best_track(n)) is None else self.conf[b] for n in range(self.traj.n)])


def make_picture(traj: Trajectories, dets: Detections, names: list[str], thresholds: dict, disc_table: dict,
                 scan_s: float, params: TrackerParams = TrackerParams()) -> Picture:
    """Track ``dets`` and score the tracks.

    ``thresholds`` {interceptor type: (pos_m, vel_m_s)} fire-control quality (catalog
    fire_control.yaml); ``disc_table`` the per-sensor discrimination table (discrimination.yaml).
    """
    state = track_all(dets, params, scan_s=scan_s)
    t, ids, x, P = state.histories()
    track_obj = track_objects(state, dets)
    firm = state.firm_t
    fc = quality.fire_control_from(quality.fire_control_windows(t, ids, P, thresholds, firm), len(firm))
    conf = _discrimination(state, names, traj, track_obj, disc_table)
    return Picture(traj, dets, names, state, track_obj, firm, fc, conf)


def track_objects(state: TrackerState, dets: Detections) -> np.ndarray:
    """Object per track: the truth of most of the first detections the tracker gave it (-1: false
    alarms), i.e. the object it was started and confirmed on; later swaps show in its RMSE."""
    tid, t, sensor, z = state.associations()
    keys = {(a, b, *c): n for a, b, c, n in zip(dets.t.tolist(), dets.sensor.tolist(), dets.z.tolist(),
                                                dets.truth.tolist())}
    truth = np.array([keys[(a, b, *c)] for a, b, c in zip(t.tolist(), sensor.tolist(), z.tolist())], int)
    return quality.truth_by_detections(tid, truth, len(state.x), first=FIRST_DETS)[0]


def sensor_layers(names: list[str]) -> np.ndarray:
    """(S,) layer of each sensor name: a space layer's satellites '<type>#<k>' share '<type>'."""
    return np.array([n.split("#")[0] for n in names])


def _discrimination(state: TrackerState, names, traj: Trajectories, track_obj, table: dict) -> np.ndarray:
    """RV probability per track; a space layer's satellites count as one sensor (not independent)."""
    layer = sensor_layers(names)
    layers = list(dict.fromkeys(layer))
    obs = discrimination.observation_time(state.first_seen, state.last_seen, float(traj.t[-1]))
    obs = np.stack([obs[:, layer == name].max(axis=1) for name in layers], axis=1) if len(obs) else obs
    p_max, tau = discrimination.sensor_tables([name.split("@")[0] for name in layers], table)
    kinds = np.asarray(traj.objects["kind"])
    is_rv = np.where(track_obj >= 0, kinds[np.maximum(track_obj, 0)] != "decoy", False)
    return discrimination.confidence(obs, p_max, tau, is_rv)
