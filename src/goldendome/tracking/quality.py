"""Track quality: fire-control quality windows, and scoring of tracks against truth.

A fire-control quality window of a track for an interceptor type is an interval of scan
times where the track's 1-sigma position error sqrt(trace P_pos) is below that type's
position threshold *and* its velocity error sqrt(trace P_vel) is below its velocity
threshold: good enough to compute an intercept solution and commit a shot.

Scoring (``truth_match``, ``rmse``) reads the truth trajectories; the tracker never does.

Notes
-----
Fire-control-quality tracks as the product of the sensor layer that lets a shooter launch
on remote data: National Research Council, Making Sense of Ballistic Missile Defense (The
National Academies Press, 2012), ch. 2 and app. G; thresholds per interceptor type are
inputs (a dict), later filled from catalog/interceptors.yaml.
"""

from __future__ import annotations

import numpy as np

__all__ = ["fire_control_from", "fire_control_windows", "rmse", "sigmas", "truth_at", "truth_by_detections", "truth_match"]


def sigmas(P):
    """1-sigma position (m) and velocity (m/s) errors sqrt(trace), each (...,), of P (..., 6, 6)."""
    pos = np.sqrt(np.trace(P[..., :3, :3], axis1=-2, axis2=-1))
    vel = np.sqrt(np.trace(P[..., 3:, 3:], axis1=-2, axis2=-1))
    return pos, vel


def fire_control_windows(t, ids, P, thresholds: dict, firm_t=None):
    """Intervals of fire-control quality per interceptor type.

    Parameters
    ----------
    t, ids : (H,) scan times (s) and track ids of history records, sorted by (id, t)
        (``TrackerState.histories()`` order).
    P : (H, 6, 6) covariances.
    thresholds : {type: (pos_threshold_m, vel_threshold_m_s)}.
    firm_t : optional (M,) confirmation time per track id (NaN: never); records before it do
        not count (a shooter commits only on a firm track).

    Returns
    -------
    {type: (track_id (W,), start_s (W,), end_s (W,))}: maximal runs of consecutive records of
    one track inside both thresholds; start/end are the first and last record times.
    """
    pos, vel = sigmas(P)
    new_track = np.r_[True, ids[1:] != ids[:-1]]
    out = {}
    for kind, (pos_m, vel_m_s) in thresholds.items():
        ok = (pos < pos_m) & (vel < vel_m_s)
        if firm_t is not None:
            ok &= t >= np.where(np.isnan(firm_t[ids]), np.inf, firm_t[ids])
        prev_ok = np.r_[False, ok[:-1]] & ~new_track
        start = ok & ~prev_ok
        nxt_ok = np.r_[ok[1:], False] & ~np.r_[new_track[1:], True]
        end = ok & ~nxt_ok
        out[kind] = (ids[start], t[start], t[end])
    return out


def fire_control_from(windows: dict, n_tracks: int) -> dict:
    """First fire-control time per track: {type: (n_tracks,) start of first window, NaN if none}."""
    out = {}
    for kind, (ids, start, _) in windows.items():
        first = np.full(n_tracks, np.inf)
        np.minimum.at(first, ids, start)
        out[kind] = np.where(np.isinf(first), np.nan, first)
    return out


def truth_at(traj_t, traj_state, t):
    """Truth states (N, H, 6) of every object at times t (H,) by linear interpolation.

    NaN where an object is not in flight (outside its trajectory, or NaN neighbours).
    """
    t = np.asarray(t, float)
    i = np.clip(np.searchsorted(traj_t, t) - 1, 0, len(traj_t) - 2)
    w = ((t - traj_t[i]) / (traj_t[i + 1] - traj_t[i]))[None, :, None]
    out = (1 - w) * traj_state[:, i] + w * traj_state[:, i + 1]
    out[:, (t < traj_t[0]) | (t > traj_t[-1])] = np.nan
    return out


def truth_match(t, ids, x, traj_t, traj_state):
    """Nearest truth object per history record and per track (scoring only).

    Returns
    -------
    rec_obj : (H,) object index nearest to each record's position (-1 if none in flight).
    track_obj : (M,) per track id, the object nearest on average over its records (-1 if none).
    """
    tru = truth_at(traj_t, traj_state, t)  # (N, H, 6)
    d = np.linalg.norm(tru[..., :3] - x[None, :, :3], axis=-1)  # (N, H)
    dd = np.where(np.isnan(d), np.inf, d)
    rec_obj = np.where(np.isfinite(dd.min(0)), dd.argmin(0), -1) if len(d) else np.zeros(0, int)
    m = int(ids.max()) + 1 if len(ids) else 0
    tot = np.zeros((len(d), m))
    cnt = np.zeros((len(d), m))
    fin = np.isfinite(dd)
    for_n = np.repeat(np.arange(len(d)), fin.shape[1]).reshape(fin.shape)
    np.add.at(tot, (for_n[fin], np.broadcast_to(ids, fin.shape)[fin]), dd[fin])
    np.add.at(cnt, (for_n[fin], np.broadcast_to(ids, fin.shape)[fin]), 1)
    mean = np.where(cnt > 0, tot / np.maximum(cnt, 1), np.inf)
    track_obj = np.where(np.isfinite(mean.min(0)), mean.argmin(0), -1) if m else np.zeros(0, int)
    return rec_obj, track_obj


def truth_by_detections(track_id, det_truth, n_tracks, first=None):
    """Object per track from the truth of the detections it used (scoring only).

    Parameters
    ----------
    track_id : (D,) track id each used detection went to (``TrackerState.associations``).
    det_truth : (D,) those detections' truth object (-1: false alarm).
    n_tracks : int.
    first : int, optional: vote with each track's first ``first`` detections only (the object
        the track was started and confirmed on), else with all of them.

    Returns
    -------
    track_obj : (n_tracks,) the object most of a track's detections came from (-1: mostly
        false alarms, or no detections); purity : (n_tracks,) that object's share.
    """
    if len(track_id) == 0:
        return np.full(n_tracks, -1), np.zeros(n_tracks)
    if first is not None:
        o = np.argsort(track_id, kind="stable")
        start = np.searchsorted(track_id[o], track_id[o])
        keep = np.empty(len(o), bool)
        keep[o] = np.arange(len(o)) - start < first
        track_id, det_truth = track_id[keep], det_truth[keep]
    n_obj = int(det_truth.max()) + 2
    votes = np.zeros((n_tracks, n_obj))
    np.add.at(votes, (track_id, det_truth + 1), 1.0)
    best = votes.argmax(axis=1)
    total = votes.sum(axis=1)
    purity = np.where(total > 0, votes.max(axis=1) / np.maximum(total, 1), 0.0)
    return np.where(total > 0, best - 1, -1), purity


def rmse(t, ids, x, traj_t, traj_state, track_obj, mask=None):
    """Position (m) and velocity (m/s) RMSE per track id against its matched object.

    Parameters
    ----------
    t, ids, x : history records (``TrackerState.histories()``).
    traj_t (T,), traj_state (N, T, 6) : truth.  track_obj : (M,) object per track (-1: none).
    mask : optional (H,) bool, records to score (e.g. ``t >= firm_t[ids]``: firm records only).

    Returns
    -------
    pos_rmse, vel_rmse : (M,), NaN for tracks without a match.
    """
    m = len(track_obj)
    obj = track_obj[ids]
    tru = truth_at(traj_t, traj_state, t)
    ref = tru[np.maximum(obj, 0), np.arange(len(t))]
    err = ref - x
    good = (obj >= 0) & np.isfinite(err).all(axis=1)
    if mask is not None:
        good &= mask
    e2p = np.sum(err[:, :3] ** 2, axis=1)
    e2v = np.sum(err[:, 3:] ** 2, axis=1)
    n = np.bincount(ids[good], minlength=m).astype(float)
    sp = np.bincount(ids[good], e2p[good], minlength=m)
    sv = np.bincount(ids[good], e2v[good], minlength=m)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.sqrt(sp / n), np.sqrt(sv / n)
