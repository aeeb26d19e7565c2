"""`goldendome track`: fly a scenario's threats, observe them with its sensors, track, score.

Scoring (first detection, matching tracks to objects, RMSE, discrimination of the object's
true class) reads the truth; the tracker itself never does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import api
from .scenario import build, catalog, load
from .tracking import discrimination, quality
from .tracking.tracker import TrackerParams, track_all

SCAN_S = 10.0  # battle-management update interval, s
FIRST_DETS = 10  # a track is scored against the object most of its first detections came from


def _thresholds() -> dict:
    table = catalog.table("fire_control.yaml", "fire_control")
    return {k: (v["pos_m"], v["vel_m_s"]) for k, v in table.items()}


@dataclass
class Picture:
    """What battle management knows: tracks, and (for scoring) which object each follows.

    track_obj (M,) object per track (-1: false alarm); firm (M,) confirmation times; fc
    {interceptor type: (M,) first fire-control-quality time}; conf (M,) RV probability.
    Times are absolute (s from scenario start).
    """

    traj: object
    dets: object
    names: list
    state: object
    track_obj: np.ndarray
    firm: np.ndarray
    fc: dict
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

    def p_rv_by_object(self, untracked: float = 0.5) -> np.ndarray:
        """(N,) the defender's RV probability for each object (its best track; ``untracked`` if none)."""
        return np.array([untracked if (b := self.best_track(n)) is None else self.conf[b] for n in range(self.traj.n)])


def picture(sc, traj, rng: np.random.Generator, scan_s: float = SCAN_S) -> Picture:
    """Observe ``traj`` with the scenario's sensors and track it."""
    dets, names = build.observe(sc, traj, rng)
    state = track_all(dets, TrackerParams(), scan_s=scan_s)
    t, ids, x, P = state.histories()
    track_obj = _track_objects(state, dets)
    firm = state.firm_t
    fc = quality.fire_control_from(quality.fire_control_windows(t, ids, P, _thresholds(), firm), len(firm))
    conf = _discrimination(state, names, traj, track_obj)
    return Picture(traj, dets, names, state, track_obj, firm, fc, conf)


def fly_scenario(sc):
    """The scenario's threats flown, and the generator for everything observed after (one seed)."""
    fly_seed, obs_seed = np.random.SeedSequence(sc.seed).spawn(2)
    traj = api.fly_salvos(build.salvos(sc), seed=int(fly_seed.generate_state(1)[0]))
    return traj, np.random.default_rng(obs_seed)


def track(path, scan_s: float = SCAN_S) -> dict:
    """Per threat object: first_detect_s, firm_track_s, fire_control_from_s (per interceptor
    type), rmse_pos_m, rmse_vel_m_s, discrimination; plus a per-sensor summary."""
    sc = load.load(path)
    traj, rng = fly_scenario(sc)
    pic = picture(sc, traj, rng, scan_s)
    t, ids, x, _ = pic.state.histories()
    rmse_p, rmse_v = quality.rmse(t, ids, x, traj.t, traj.state, pic.track_obj,
                                  mask=t >= np.nan_to_num(pic.firm[ids], nan=np.inf))
    objects = [_object_row(n, pic, rmse_p, rmse_v) for n in range(traj.n)]
    return {"scenario": sc.name, "seed": sc.seed, "objects": objects, "sensors": _sensor_rows(pic.dets, pic.names),
            "tracks_started": int(len(pic.firm)), "tracks_firm": int(np.isfinite(pic.firm).sum())}


def _track_objects(state, dets) -> np.ndarray:
    """Object per track: the truth of most of the first detections the tracker gave it (-1: false
    alarms), i.e. the object it was started and confirmed on; later swaps show in its RMSE."""
    tid, t, sensor, z = state.associations()
    keys = {(a, b, *c): n for a, b, c, n in zip(dets.t.tolist(), dets.sensor.tolist(), dets.z.tolist(),
                                                dets.truth.tolist())}
    truth = np.array([keys[(a, b, *c)] for a, b, c in zip(t.tolist(), sensor.tolist(), z.tolist())], int)
    return quality.truth_by_detections(tid, truth, len(state.x), first=FIRST_DETS)[0]


def _discrimination(state, names, traj, track_obj):
    """RV probability per track; a space layer's satellites count as one sensor (not independent)."""
    table = catalog.table("discrimination.yaml", "sensors")
    layer = np.array([n.split("#")[0] for n in names])
    layers = list(dict.fromkeys(layer))
    obs = discrimination.observation_time(state.first_seen, state.last_seen, float(traj.t[-1]))
    obs = np.stack([obs[:, layer == name].max(axis=1) for name in layers], axis=1) if len(obs) else obs
    p_max, tau = discrimination.sensor_tables([name.split("@")[0] for name in layers], table)
    kinds = np.asarray(traj.objects["kind"])
    is_rv = np.where(track_obj >= 0, kinds[np.maximum(track_obj, 0)] != "decoy", False)
    return discrimination.confidence(obs, p_max, tau, is_rv)


def _object_row(n, pic: Picture, rmse_p, rmse_v) -> dict:
    o = pic.traj.objects
    t_launch = float(o["t_launch"][n])
    mine = np.flatnonzero((pic.track_obj == n) & np.isfinite(pic.firm))
    best = pic.best_track(n)
    seen = pic.dets.t[pic.dets.truth == n]
    rel = lambda v: None if v is None or not np.isfinite(v) else round(float(v) - t_launch, 1)  # noqa: E731
    return {
        "object": n, "missile": int(o["missile"][n]), "missile_id": str(o["missile_id"][n]), "kind": str(o["kind"][n]),
        "first_detect_s": rel(seen.min() if len(seen) else None),
        "firm_track_s": rel(pic.firm[best] if best is not None else None),
        "fire_control_from_s": {k: rel(np.nanmin(v[mine]) if len(mine) and np.isfinite(v[mine]).any() else None)
                                for k, v in pic.fc.items()},
        "rmse_pos_m": _round(rmse_p[best] if best is not None else None),
        "rmse_vel_m_s": _round(rmse_v[best] if best is not None else None, 2),
        "discrimination": _round(pic.conf[best] if best is not None else None, 3),
        "tracks": int(len(mine)),
    }


def _round(v, nd=1):
    return None if v is None or not np.isfinite(v) else round(float(v), nd)


def _sensor_rows(dets, names) -> list[dict]:
    """One row per radar and per space layer (its satellites together)."""
    layer = np.array([n.split("#")[0] for n in names])
    rows = []
    for name in dict.fromkeys(layer):
        m = np.isin(dets.sensor, np.flatnonzero(layer == name))
        rows.append({"sensor": name, "detections": int(m.sum()), "false_alarms": int(np.sum(m & (dets.truth < 0))),
                     "first_t_s": _round(dets.t[m].min() if m.any() else None)})
    return rows
