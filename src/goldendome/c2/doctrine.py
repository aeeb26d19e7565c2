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


def later_rows(opps: Opportunities, order: np.ndarray) -> list[np.ndarray]:
    """For each row j, the rows of the same object taken up after it in ``order``, (J,) list."""
    pos = np.empty(len(order), np.int64)
    pos[order] = np.arange(len(order))
    out: list[np.ndarray] = [np.zeros(0, np.int64)] * len(opps)
    obj = np.asarray(opps.obj)
    for n in np.unique(obj):
        rows = np.flatnonzero(obj == n)
        rows = rows[np.argsort(pos[rows])]
        for i, j in enumerate(rows):
            out[j] = rows[i + 1:]
    return out


def _survival_after(opps: Opportunities, rows, ready, left, stock, c2: C2Params, patient: bool = False) -> np.ndarray:
    """(T,) probability the object survives the later rows ``rows`` fired in order, each as soon as
    the look allows, within ``left`` shots and the rounds ``stock`` (L, T) of their effectors.

    ``patient``: a row is passed over where a row after it with rounds has a higher Pk (the
    future holding its shots as this rule does now). In the branch where the object is still
    alive every earlier shot was fired, so the ready time after a row is its last intercept
    plus kill assessment, as the engine books it.
    """
    surv, ready, left = np.ones(np.shape(left)), np.array(ready, float), np.array(left, np.int64)
    pks = np.asarray(opps.pk, float)[np.asarray(rows, int)]
    if patient:  # best Pk with rounds strictly after each row, per trial
        avail = np.where(np.asarray(stock) > 0, pks[:, None], 0.0)
        after = np.vstack([np.maximum.accumulate(avail[::-1], axis=0)[::-1][1:], np.zeros((1, avail.shape[1]))])
    for r, j in enumerate(rows):
        fly = float(opps.fly_out_s[j])
        t0, i0 = first_shot(opps.launch_first[j], fly, opps.intercept_first[j], ready)
        k = np.minimum(np.minimum(shots_in_window(t0, i0, opps.launch_last[j], opps.intercept_last[j], fly, c2),
                                  left), stock[r])
        if patient:
            k = np.where(after[r] > pks[r], 0, k)
        surv = surv * (1.0 - pks[r]) ** k
        ready = np.where(k > 0, intercept_of_shot(i0, k - 1, fly, c2) + c2.kill_assessment_s, ready)
        left = left - k
    return surv


def shots_worth_firing(opps: Opportunities, j: int, rows, ready, left, stock, nfire, c2: C2Params) -> np.ndarray:
    """How many of the ``nfire`` shots row j could fire now are worth firing, per trial (T,) int.

    Parameters
    ----------
    opps : Opportunities
    j : int
        The row that could fire now.
    rows : ndarray (L,)
        The object's later rows, in the order battle management takes them up.
    ready, left : ndarray (T,)
        When the object may next be engaged, s; shots it may still take.
    stock : ndarray (L, T)
        Rounds left at each later row's effector.
    nfire : ndarray (T,)
        Shots row j's window, rounds and limits allow now.

    Notes
    -----
    k shots now and the rest later give P(kill) = 1 - (1 - pk)^k S(left - k, ready_k), with S
    the survival through the later rows (:func:`_survival_after`), the better of two future
    policies: fire each row as soon as the look allows, or pass over rows a better later row
    can replace; ready_k is the look after the k-th shot. The k that maximizes it is fired (the most shots
    among equals): a weaker early weapon does not spend the shot limit or the time a better
    later one needs (the marginal-return rule of den Broeger, Ellison and Emerling 1959 applied
    per trial to the object's remaining kill chain). Other objects may take the later rounds
    first; this rule does not foresee that.
    """
    pk, fly = float(opps.pk[j]), float(opps.fly_out_s[j])
    nfire = np.asarray(nfire, np.int64)
    if len(rows) == 0:
        return nfire  # nothing later: fire what the window allows
    t0, i0 = first_shot(opps.launch_first[j], fly, opps.intercept_first[j], ready)
    best_p, best_k = np.full(nfire.shape, -1.0), np.zeros(nfire.shape, np.int64)
    for k in range(int(nfire.max(initial=0)) + 1):
        ok = k <= nfire
        ready_k = ready if k == 0 else intercept_of_shot(i0, k - 1, fly, c2) + c2.kill_assessment_s
        later = np.minimum(_survival_after(opps, rows, ready_k, left - k, stock, c2),
                           _survival_after(opps, rows, ready_k, left - k, stock, c2, patient=True))
        p = 1.0 - (1.0 - pk) ** k * later
        better = ok & (p >= best_p - 1e-12)
        best_p, best_k = np.where(better, np.maximum(p, best_p), best_p), np.where(better, k, best_k)
    return best_k
