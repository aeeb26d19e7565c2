"""Firing doctrine: when shots can launch inside an engagement window, and how many fit.

Shoot-look-shoot (SLS): one shot, wait for its intercept plus kill assessment, then the next
(Wilkening 1999). Shoot-shoot (SS): a salvo of `salvo` shots launched together. Between
engagements of the same object both doctrines look: a new engagement waits for the last
intercept plus kill assessment.
"""

from __future__ import annotations

import numpy as np

from goldendome.c2.opportunities import C2Params, Opportunities
from goldendome.effectors.layers import Layer

DOCTRINES = ("shoot-look-shoot", "shoot-shoot")


def check(c2: C2Params) -> None:
    """Raise ValueError on an unknown doctrine or non-positive limits."""
    if c2.doctrine not in DOCTRINES:
        raise ValueError(f"doctrine must be one of {DOCTRINES}, got {c2.doctrine!r}")
    if c2.max_shots_per_threat < 0 or c2.salvo < 1 or c2.kill_assessment_s < 0:
        raise ValueError("max_shots_per_threat >= 0, salvo >= 1 and kill_assessment_s >= 0 required")


def first_shot(launch_first, fly_out, intercept_first, ready):
    """Launch and intercept time of the first shot of an engagement.

    Parameters
    ----------
    launch_first, fly_out, intercept_first : float or ndarray
        Window start (s), fly-out (s), earliest intercept (s) of the opportunity.
    ready : ndarray
        Earliest time (s) the object may be engaged again (last intercept + kill assessment).

    Returns
    -------
    t0, i0 : ndarray
        Launch time and intercept time (s): i0 = max(t0 + fly_out, intercept_first).

    Notes
    -----
    An interceptor launched early loiters or flies a longer path to meet the window; its
    intercept cannot precede `intercept_first` (battlespace entry, Wilkening 1999).
    """
    t0 = np.maximum(launch_first, ready)
    return t0, np.maximum(t0 + fly_out, intercept_first)


def shots_in_window(t0, i0, launch_last, intercept_last, fly_out, c2: C2Params):
    """Number of shots the doctrine can fire in one window, starting at launch t0 / intercept i0.

    Returns
    -------
    ndarray of int
        SS: `salvo` if the first shot is feasible, else 0. SLS: shots k = 0, 1, ... with
        launches t_k = i_{k-1} + kill_assessment_s and intercepts i_k = i0 + k * cycle,
        cycle = fly_out + kill_assessment_s, all within both windows; capped at
        max_shots_per_threat.

    Notes
    -----
    For k >= 1 the launch after the look is t_k = i0 + k*cycle - fly_out >= intercept_first,
    so i_k = t_k + fly_out exactly and the shot fits while
    t_k <= min(launch_last, intercept_last - fly_out).
    """
    ok = (t0 <= launch_last) & (i0 <= intercept_last)
    if c2.doctrine == "shoot-shoot":
        return np.where(ok, c2.salvo, 0)
    cycle = fly_out + c2.kill_assessment_s
    last_t = np.minimum(launch_last, intercept_last - fly_out)
    t1 = i0 + c2.kill_assessment_s
    extra = np.where(last_t >= t1, np.floor((last_t - t1) / np.maximum(cycle, 1e-9)) + 1, 0)
    return np.where(ok, np.minimum(1 + extra, c2.max_shots_per_threat), 0).astype(np.int64)


def intercept_of_shot(i0, k, fly_out, c2: C2Params):
    """Intercept time (s) of shot k (0-based) of an engagement: SLS i0 + k*cycle, SS i0."""
    if c2.doctrine == "shoot-shoot":
        return i0 + 0.0 * k
    return i0 + k * (fly_out + c2.kill_assessment_s)


def capacity(opps: Opportunities, c2: C2Params) -> np.ndarray:
    """Shots each opportunity can take on a fresh object, (J,) int (the planners' upper bound)."""
    t0, i0 = first_shot(opps.launch_first, opps.fly_out_s, opps.intercept_first, -np.inf)
    return shots_in_window(t0, i0, opps.launch_last, opps.intercept_last, opps.fly_out_s, c2)


def processing_order(opps: Opportunities, threats, c2: C2Params) -> np.ndarray:
    """Order (J,) in which the battle manager takes up opportunities.

    An object's opportunities in one layer form a group, taken up at the group's earliest
    launch time (launch-time order across groups; ties to the preferred layer, c2.layer_order,
    then to the higher threatened value value * p_rv). Within a group the weapon that buys most
    goes first: the higher single-shot Pk, then the earlier window, then the lower index.

    Notes
    -----
    Time order with earlier layers preferred is the layered-defence rule of preferential
    defence (Wilkening 1999; CBO 2025): engage early so later layers see fewer objects. Within a
    layer, taking the earlier window first let a weaker weapon spend the object's shot limit
    before a better one could fire (the medium preset: 40 GBIs at Fort Greely kept its 20
    higher-Pk NGIs from ever firing, so removing the GBIs raised P(no leak)).
    """
    rank = np.full(max(len(Layer), int(np.max(opps.layer, initial=0)) + 1), len(c2.layer_order))
    rank[np.asarray(c2.layer_order, dtype=int)] = np.arange(len(c2.layer_order))
    worth = np.asarray(threats.value, float)[opps.obj] * np.asarray(threats.p_rv, float)[opps.obj]
    start = _group_start(np.asarray(opps.obj), np.asarray(opps.layer), np.asarray(opps.launch_first, float))
    return np.lexsort((np.arange(len(opps)), opps.launch_first, -np.asarray(opps.pk, float), -worth,
                       rank[opps.layer], start))


def _group_start(obj: np.ndarray, layer: np.ndarray, launch_first: np.ndarray) -> np.ndarray:
    """(J,) earliest launch_first of each row's (object, layer) group."""
    if obj.size == 0:
        return launch_first
    key = obj.astype(np.int64) * (int(layer.max(initial=0)) + 1) + layer.astype(np.int64)
    _, inv = np.unique(key, return_inverse=True)
    first = np.full(inv.max() + 1, np.inf)
    np.minimum.at(first, inv, launch_first)
    return first[inv]
