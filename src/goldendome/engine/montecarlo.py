"""Seeded Monte Carlo of a layered engagement, vectorized across trials.

Opportunities are taken up one at a time in launch-time order (c2.doctrine.processing_order);
for each, every trial in which the object is still alive, above the engagement threshold,
with inventory and shots to spare, fires per doctrine. State is kept object-major, (N, T),
so an opportunity touches contiguous rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from goldendome.c2 import doctrine
from goldendome.c2.opportunities import C2Params, Effectors, Opportunities, Threats
from goldendome.effectors.layers import Layer
from goldendome.effectors.reasons import Why

BLOCK = 1024  # trials per random stream: trial i's draws do not depend on the trial count


@dataclass(frozen=True)
class Outcomes:
    """Per-trial results of `simulate`; T trials, N objects, E effectors, A assets, L layers (Layer)."""
    alive: np.ndarray              # (T, N) bool object alive at the end (decoys included)
    leaked: np.ndarray             # (T, N) bool real RV alive at the end
    shots_at: np.ndarray           # (T, N) int shots fired at each object
    first_shot_s: np.ndarray       # (T, N) float launch time of the first shot (nan: none)
    kill_time_s: np.ndarray        # (T, N) float intercept time of the killing shot (nan: none)
    kill_layer: np.ndarray         # (T, N) int8 layer that killed it (-1: none)
    shots_by_effector: np.ndarray  # (T, E) int
    shots_by_layer: np.ndarray     # (T, L) int, column = Layer code
    leakers: np.ndarray            # (T,) int RVs alive at the end
    leakers_by_asset: np.ndarray   # (T, A) int leakers whose predicted impact is asset a
    cost_usd: np.ndarray           # (T,) float interceptor cost expended
    seed: int
    trials: int
    why: np.ndarray | None = None  # (T, N, L) int8 Why code: how far each object got through each layer


def _streams(seed: int, trials: int):
    """One Generator per block of BLOCK trials, from SeedSequence(seed).spawn."""
    n = -(-trials // BLOCK)
    gens = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(n)]
    return [(g, b * BLOCK, min(trials, (b + 1) * BLOCK)) for b, g in enumerate(gens)]


def _uniforms(streams, out: np.ndarray) -> np.ndarray:
    """Fill out (T,) with uniforms in (0, 1], each block from its own stream."""
    for g, a, b in streams:
        g.random(out=out[a:b])
    np.subtract(1.0, out, out=out)
    return out


def shots_to_kill(u: np.ndarray, pk: float) -> np.ndarray:
    """Index K >= 1 of the first killing shot in a run of independent shots of Pk pk.

    Notes
    -----
    Inverse-CDF draw of the geometric law: K = 1 + floor(ln u / ln(1 - pk)), u in (0, 1], so
    P(K <= n) = 1 - (1 - pk)^n and one uniform decides a whole SLS sequence or a salvo.
    """
    if pk >= 1.0:
        return np.ones(u.shape, np.int64)
    if pk <= 0.0:
        return np.full(u.shape, np.iinfo(np.int32).max, np.int64)
    return 1 + np.floor(np.log(u) / np.log1p(-pk)).clip(0, np.iinfo(np.int32).max).astype(np.int64)


class _State:
    """Mutable engagement state, object-major (N, T); ``why`` is (N, L, T)."""

    def __init__(self, n: int, e: int, trials: int, inventory: np.ndarray, reach=None):
        self.alive = np.ones((n, trials), bool)
        self.shots = np.zeros((n, trials), np.int32)
        self.ready = np.full((n, trials), -np.inf)
        self.first = np.full((n, trials), np.nan)
        self.kill_t = np.full((n, trials), np.nan)
        self.kill_layer = np.full((n, trials), -1, np.int8)
        self.inv0 = np.repeat(np.asarray(inventory, np.int64)[:, None], trials, axis=1)
        self.inv = self.inv0.copy()
        self.by_layer = np.zeros((len(Layer), trials), np.int64)
        self.cost = np.zeros(trials)
        self.reserved = np.zeros((e, trials), np.int64)  # rounds held for objects that passed up a shot
        self.claim = np.full((n, trials), -1, np.int64)   # the effector each object holds a round of
        static = np.full((len(Layer), n), Why.NO_LAYER, np.int8) if reach is None else np.asarray(reach, np.int8)
        self.why = np.repeat(np.ascontiguousarray(static.T)[:, :, None], trials, axis=2)

    def release(self, n: int, trials) -> None:
        """Give back object n's held round in ``trials`` (indices) where it holds one."""
        trials = np.asarray(trials)
        t = trials[self.claim[n, trials] >= 0]
        if t.size:
            np.subtract.at(self.reserved, (self.claim[n, t], t), 1)
            self.claim[n, t] = -1

    def free(self, e) -> np.ndarray:
        """(..., T) rounds of effector(s) ``e`` not held for other objects."""
        return self.inv[e] - self.reserved[e]

    def note(self, objs, layer: int, idx, code) -> None:
        """Raise the Why code of objects ``objs`` in ``layer`` to ``code`` in trials ``idx``."""
        for n in np.atleast_1d(objs):
            row = self.why[n, layer]
            row[idx] = np.maximum(row[idx], code)


def _engage(s: _State, opps: Opportunities, j: int, cap: int, c2: C2Params, u: np.ndarray, crew,
            later=None) -> None:
    """Fire opportunity j in every trial where the doctrine, inventory and limits allow.

    ``crew`` are the objects a kill kills (the object, or every object of its missile in boost);
    each trial's outcome is noted in ``s.why`` for the row's layer. ``later`` (rows, capacities)
    are the object's later opportunities: shots a better later weapon needs are held
    (:func:`goldendome.c2.doctrine.shots_worth_firing`).
    """
    n, e, la = opps.obj[j], opps.eff[j], int(opps.layer[j])
    fly = float(opps.fly_out_s[j])
    s.release(n, np.flatnonzero(s.claim[n] == e))  # the row it held a round for: the round is its own again
    alive, stock, room_n = s.alive[n], s.free(e) > 0, s.shots[n] < c2.max_shots_per_threat
    s.note(crew, la, ~alive, Why.KILLED_EARLIER)
    s.note(crew, la, alive & ~stock, Why.NO_INVENTORY)
    s.note(crew, la, alive & stock & ~room_n, Why.SHOT_LIMIT)
    idx = np.flatnonzero(alive & stock & room_n)
    if idx.size == 0:
        return
    t0, i0 = doctrine.first_shot(opps.launch_first[j], fly, opps.intercept_first[j], s.ready[n, idx])
    avail = doctrine.shots_in_window(t0, i0, opps.launch_last[j], opps.intercept_last[j], fly, c2)
    room = np.minimum(s.free(e)[idx], c2.max_shots_per_threat - s.shots[n, idx])
    nfire = np.minimum(np.minimum(avail, room), cap)
    s.note(crew, la, idx[nfire <= 0], Why.NO_TIME)
    if later is not None and len(later):
        effs = opps.eff[later]
        stock = s.free(effs)[:, idx] + (s.claim[n, idx][None, :] == effs[:, None])  # its own held round counts
        worth = doctrine.shots_worth_firing(opps, j, later, s.ready[n, idx], c2.max_shots_per_threat - s.shots[n, idx],
                                            stock, np.maximum(nfire, 0), c2)
        held = (nfire > 0) & (worth <= 0)
        s.note(crew, la, idx[held], Why.HELD)
        _hold(s, opps, n, later, stock, idx[held], held)
        nfire = np.minimum(nfire, worth)
    keep = nfire > 0
    idx, t0, i0, nfire = idx[keep], t0[keep], i0[keep], nfire[keep]
    k = shots_to_kill(u[idx], float(opps.pk[j]))
    killed = k <= nfire
    used = nfire if c2.doctrine == "shoot-shoot" else np.minimum(k, nfire)
    s.note(crew, la, idx, np.where(killed, Why.KILLED, Why.MISSED).astype(np.int8))
    _record(s, opps, j, idx, used, t0, i0, k, killed, c2, crew)


def _hold(s: _State, opps: Opportunities, n: int, later, stock, trials, held) -> None:
    """Object n passed up its shot in ``trials``: hold a round of its best later weapon with rounds
    free, so that another object's lookahead does not count on it too."""
    fresh = s.claim[n, trials] < 0
    trials, cols = trials[fresh], np.flatnonzero(held)[fresh]
    if trials.size == 0:
        return
    pk = np.where(stock[:, cols] > 0, np.asarray(opps.pk, float)[later][:, None], -1.0)
    best = np.argmax(pk, axis=0)
    ok = pk[best, np.arange(cols.size)] > 0
    e_best = opps.eff[later][best[ok]]
    s.claim[n, trials[ok]] = e_best
    np.add.at(s.reserved, (e_best, trials[ok]), 1)


def _record(s, opps, j, idx, used, t0, i0, k, killed, c2, crew) -> None:
    """Book shots, inventory, cost, kill and the next look time for the trials idx."""
    n, e, fly = opps.obj[j], opps.eff[j], float(opps.fly_out_s[j])
    s.shots[n, idx] += used.astype(np.int32)
    s.inv[e, idx] -= used
    s.by_layer[opps.layer[j], idx] += used
    s.cost[idx] += used * float(opps.cost_usd[j])
    fresh = np.isnan(s.first[n, idx])
    s.first[n, idx[fresh]] = t0[fresh]
    s.ready[n, idx] = doctrine.intercept_of_shot(i0, used - 1, fly, c2) + c2.kill_assessment_s
    dead, t_kill = idx[killed], doctrine.intercept_of_shot(i0[killed], k[killed] - 1, fly, c2)
    for m in np.atleast_1d(crew):
        s.release(m, dead)  # a dead object needs no round held
        hit = s.alive[m, dead]
        s.alive[m, dead[hit]] = False
        s.kill_t[m, dead[hit]] = t_kill[hit]
        s.kill_layer[m, dead[hit]] = opps.layer[j]


def _crews(opps: Opportunities, threats: Threats) -> list:
    """Per row, the objects its kill kills: the row's object, or its whole missile (missile_kill)."""
    obj = np.asarray(opps.obj, int)
    if opps.missile_kill is None or not np.any(opps.missile_kill):
        return list(obj)
    missile = np.asarray(threats.missile)
    order = np.argsort(missile, kind="stable")
    starts = np.searchsorted(missile[order], missile, side="left")
    ends = np.searchsorted(missile[order], missile, side="right")
    return [order[starts[n]:ends[n]] if w else n for n, w in zip(obj, np.asarray(opps.missile_kill, bool))]


def _outcomes(s: _State, threats: Threats, seed: int, trials: int) -> Outcomes:
    """Freeze the state into trial-major Outcomes."""
    leaked = s.alive & np.asarray(threats.is_rv, bool)[:, None]
    asset = np.asarray(threats.asset, np.int64)
    n_assets = int(asset.max(initial=-1)) + 1
    by_asset = np.zeros((n_assets, trials), np.int64)
    hit = asset >= 0
    np.add.at(by_asset, asset[hit], leaked[hit].astype(np.int64))
    t = np.ascontiguousarray
    return Outcomes(alive=t(s.alive.T), leaked=t(leaked.T), shots_at=t(s.shots.T),
                    first_shot_s=t(s.first.T), kill_time_s=t(s.kill_t.T), kill_layer=t(s.kill_layer.T),
                    shots_by_effector=t((s.inv0 - s.inv).T), shots_by_layer=t(s.by_layer.T),
                    leakers=leaked.sum(axis=0), leakers_by_asset=t(by_asset.T), cost_usd=s.cost,
                    seed=seed, trials=trials, why=t(s.why.transpose(2, 0, 1)))


def simulate(opps: Opportunities, effectors: Effectors, threats: Threats, c2: C2Params,
             trials: int, seed: int, plan: np.ndarray | None = None) -> Outcomes:
    """Monte Carlo of the engagement of a raid by a layered defence.

    Parameters
    ----------
    opps : Opportunities
        J engagement opportunities (effectors/).
    effectors : Effectors
        E effectors with their inventory (rounds).
    threats : Threats
        N objects: truth (is_rv) and the defender's view (p_rv, asset, value).
    c2 : C2Params
        Doctrine, shot limits, kill assessment time, engagement threshold, layer preference.
    trials : int
        Number of Monte Carlo trials T.
    seed : int
        Root seed; trial block b draws from SeedSequence(seed).spawn(...)[b].
    plan : ndarray, optional
        (J,) int shot cap per opportunity from a planner (c2.assign); None: no cap.

    Returns
    -------
    Outcomes
        Per-trial arrays (T, N), (T, E), (T,).

    Notes
    -----
    Each opportunity draws one uniform per trial (drawn even where it does not fire, so the
    streams stay aligned across scenarios: common random numbers); the geometric inverse CDF
    of `shots_to_kill` turns it into the outcome of an SLS sequence or a salvo with
    independent shots, P(survive n shots) = (1 - pk)^n (Wilkening 1999, eq. 1). Decoys die
    with pk too, but only RVs count as leakers. An opportunity taken up earlier keeps all its
    SLS follow-up shots before a later opportunity of the same object is considered. A row
    with ``missile_kill`` (a boost-phase shot) kills every object of the missile. Each row
    notes, per trial, how far its object got through the row's layer (``Outcomes.why``,
    :class:`goldendome.effectors.reasons.Why`), starting from the static codes of ``opps.reach``.
    """
    doctrine.check(c2)
    n_obj, n_eff = len(threats), len(effectors)
    s = _State(n_obj, n_eff, trials, effectors.inventory, opps.reach)
    streams, u = _streams(seed, trials), np.empty(trials)
    eligible = np.asarray(threats.p_rv, float) >= c2.engage_threshold
    caps = np.full(len(opps), np.iinfo(np.int32).max) if plan is None else np.asarray(plan)
    crews, every = _crews(opps, threats), slice(None)
    order = doctrine.processing_order(opps, threats, c2)
    later = [r[caps[r] > 0] for r in doctrine.later_rows(opps, order)]
    for j in order:
        _uniforms(streams, u)
        if not eligible[opps.obj[j]]:
            s.note(crews[j], int(opps.layer[j]), every, Why.BELOW_THRESHOLD)
        elif caps[j] <= 0:
            s.note(crews[j], int(opps.layer[j]), every, Why.NOT_ASSIGNED)
        else:
            _engage(s, opps, int(j), int(caps[j]), c2, u, crews[j], later[j])
    return _outcomes(s, threats, seed, trials)
