"""Engine Monte Carlo against closed forms (4 sigma), monotone leakage, inventory, decoys, seeds."""

import os
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goldendome.c2 import C2Params, Effectors, Opportunities, Threats
from goldendome.effectors.layers import Layer
from goldendome.effectors.reasons import Why
from goldendome.engine import metrics, simulate

T = 20000


def opps(obj, eff, pk, layer=None, window=(0.0, 1000.0), fly=50.0, cost=1e6):
    """Opportunities with one common window (launch and intercept) unless given per row."""
    obj = np.asarray(obj)
    J = obj.size
    lf = np.broadcast_to(np.asarray(window[0], float), (J,)).copy()
    ll = np.broadcast_to(np.asarray(window[1], float), (J,)).copy()
    return Opportunities(obj=obj, eff=np.broadcast_to(eff, (J,)).copy(),
                         layer=np.zeros(J, int) if layer is None else np.asarray(layer),
                         launch_first=lf, launch_last=ll, intercept_first=lf + fly, intercept_last=ll + fly,
                         fly_out_s=np.full(J, fly), pk=np.broadcast_to(np.asarray(pk, float), (J,)).copy(),
                         cost_usd=np.full(J, cost))


def threats(n, is_rv=True, p_rv=0.9):
    return Threats(missile=np.arange(n), is_rv=np.broadcast_to(is_rv, (n,)).copy(),
                   p_rv=np.broadcast_to(np.asarray(p_rv, float), (n,)).copy(), asset=np.zeros(n, int),
                   value=np.ones(n))


def effs(inventory):
    inv = np.atleast_1d(inventory)
    return Effectors([f"e{i}" for i in range(inv.size)], ["gbi"] * inv.size, inv.astype(int))


def near(est, exact, n=T, k=4.0):
    """|est - exact| within k sigma of a Bernoulli mean of n trials."""
    return abs(est - exact) <= k * np.sqrt(max(exact * (1 - exact), 1e-12) / n) + 1e-12


@pytest.mark.parametrize("p,n", [(0.5, 1), (0.7, 2), (0.3, 4)])
def test_shoot_shoot_salvo_leaks_like_independent_shots(p, n):
    c2 = C2Params(doctrine="shoot-shoot", salvo=n, max_shots_per_threat=n)
    out = simulate(opps([0], 0, p), effs(100), threats(1), c2, T, 1)
    assert near(np.mean(out.leakers), (1 - p) ** n)
    assert np.all(out.shots_at == n)


def test_two_layers_multiply():
    p1, p2 = 0.6, 0.5
    o = opps([0, 0], [0, 1], [p1, p2], layer=[Layer.MIDCOURSE, Layer.TERMINAL], window=([0.0, 600.0], [100.0, 700.0]))
    c2 = C2Params(doctrine="shoot-shoot", salvo=2, max_shots_per_threat=4)
    out = simulate(o, effs([10, 10]), threats(1), c2, T, 2)
    assert near(np.mean(out.leakers), (1 - p1) ** 2 * (1 - p2) ** 2)
    killed_early = np.mean(out.kill_layer[:, 0] == Layer.MIDCOURSE)
    assert near(killed_early, 1 - (1 - p1) ** 2)


@pytest.mark.parametrize("p,n", [(0.5, 3), (0.2, 4)])
def test_shoot_look_shoot_geometric_truncated(p, n):
    c2 = C2Params(doctrine="shoot-look-shoot", max_shots_per_threat=n, kill_assessment_s=10.0)
    out = simulate(opps([0], 0, p, window=(0.0, 10_000.0)), effs(100), threats(1), c2, T, 3)
    q = 1 - p
    assert near(np.mean(out.leakers), q ** n)
    shots = out.shots_at[:, 0]
    mean, var = sum(q ** k for k in range(n)), np.var(shots)
    assert abs(shots.mean() - mean) <= 4 * np.sqrt(var / T)
    assert shots.max() == n and shots.min() == 1


def test_shoot_look_shoot_respects_window_and_kill_assessment():
    # fly 50 + look 10: launches at 0, 60, 120 fit a window ending at 130; the 4th (180) does not
    c2 = C2Params(max_shots_per_threat=10, kill_assessment_s=10.0)
    o = opps([0], 0, 0.0, window=(0.0, 130.0))
    out = simulate(o, effs(100), threats(1), c2, 100, 4)
    assert np.all(out.shots_at == 3)


def test_no_opportunities_everything_leaks():
    o = opps(np.zeros(0, int), 0, 0.5)
    out = simulate(o, effs(5), threats(7), C2Params(), 500, 5)
    assert np.all(out.leakers == 7) and metrics.p_no_leaker(out)["p"] == 0.0
    assert metrics.defended_value_fraction(out, threats(7)) == 0.0 and metrics.cost_used(out) == 0.0


def test_inventory_exhaustion_exact():
    o = opps(np.arange(5), 0, 1.0)
    out = simulate(o, effs(3), threats(5), C2Params(), 1000, 6)
    assert np.all(out.leakers == 2) and np.all(out.shots_by_effector[:, 0] == 3)
    assert np.allclose(out.cost_usd, 3e6)


def _leak(inventory, n_threats, seed=7, pk=0.6):
    o = opps(np.arange(n_threats).repeat(2), np.tile([0, 1], n_threats), pk, layer=np.tile([1, 3], n_threats),
             window=(np.tile([0.0, 500.0], n_threats), np.tile([200.0, 700.0], n_threats)))
    out = simulate(o, effs(inventory), threats(n_threats), C2Params(), 4000, seed)
    return out.leakers


@settings(max_examples=15, deadline=None)
@given(inv=st.tuples(st.integers(0, 12), st.integers(0, 12)), extra=st.integers(1, 6), more=st.integers(1, 4))
def test_monotone_leakage(inv, extra, more):
    n = 6
    base = _leak(np.array(inv), n)
    richer = _leak(np.array(inv) + extra, n)
    bigger = _leak(np.array(inv), n + more)
    tol = lambda a, b: 4 * np.sqrt((a.var() + b.var()) / a.size) + 1e-9
    assert richer.mean() <= base.mean() + tol(richer, base)
    assert bigger.mean() >= base.mean() - tol(bigger, base)


def test_decoys_draw_shots_and_raise_leakage():
    rv = 4
    obj = np.arange(2 * rv)
    o = opps(obj, 0, 0.8, window=(np.where(obj >= rv, 0.0, 100.0), np.where(obj >= rv, 50.0, 150.0)))
    truth = np.arange(2 * rv) < rv
    c2 = C2Params(max_shots_per_threat=2)
    plain = simulate(opps(np.arange(rv), 0, 0.8, window=(100.0, 150.0)), effs(6), threats(rv), c2, T, 8)
    looks_real = simulate(o, effs(6), threats(2 * rv, is_rv=truth, p_rv=0.6), c2, T, 8)
    dismissed = simulate(o, effs(6), threats(2 * rv, is_rv=truth, p_rv=np.where(truth, 0.6, 0.1)), c2, T, 8)
    assert looks_real.shots_at[:, rv:].sum() > 0 and dismissed.shots_at[:, rv:].sum() == 0
    assert looks_real.leakers.mean() > plain.leakers.mean() + 0.5
    diff = dismissed.leakers.mean() - plain.leakers.mean()  # ignored decoys change nothing
    assert abs(diff) <= 4 * np.sqrt((dismissed.leakers.var() + plain.leakers.var()) / T)


def test_same_seed_same_bytes_and_streams_independent_of_trial_count():
    o = opps([0, 0, 1], [0, 1, 1], [0.4, 0.6, 0.5], layer=[1, 3, 3])
    a = simulate(o, effs([3, 3]), threats(2), C2Params(), 3000, 11)
    b = simulate(o, effs([3, 3]), threats(2), C2Params(), 3000, 11)
    c = simulate(o, effs([3, 3]), threats(2), C2Params(), 3000, 12)
    short = simulate(o, effs([3, 3]), threats(2), C2Params(), 2048, 11)
    for f in ("alive", "shots_at", "kill_time_s", "shots_by_effector", "cost_usd", "leakers"):
        assert getattr(a, f).tobytes() == getattr(b, f).tobytes(), f
    assert a.kill_time_s.tobytes() != c.kill_time_s.tobytes()
    assert np.array_equal(short.shots_at, a.shots_at[:2048])


def test_metrics_intervals_cover_and_by_type():
    p = 0.5
    c2 = C2Params(doctrine="shoot-shoot", salvo=1, max_shots_per_threat=1)
    th = replace(threats(3), missile=np.array([0, 0, 1]), asset=np.array([0, 1, -1]))
    out = simulate(opps([0, 1, 2], 0, p), effs(10), th, c2, T, 9)
    ci = metrics.expected_leakers(out)
    assert ci["lo"] <= 1.5 <= ci["hi"] and ci["hi"] - ci["lo"] < 0.05
    w = metrics.p_no_leaker(out)
    assert w["lo"] <= 0.125 <= w["hi"]
    assert np.allclose(metrics.leakers_per_asset(out), 0.5, atol=0.03)
    assert abs(metrics.defended_value_fraction(out, th) - 0.5) < 0.02
    assert metrics.interceptors_by_type(out, effs(10)) == {"gbi": 3.0}
    assert metrics.cost_exchange_ratio(out, th, 1.5e6) == pytest.approx(1.0)
    tl = metrics.timeline(out)
    assert np.allclose(tl["p_engaged"], 1.0) and np.allclose(tl["kill_time_q"], 50.0)


def test_expected_leakers_interval_is_clipped_and_never_zero_width():
    from types import SimpleNamespace

    none = metrics.expected_leakers(SimpleNamespace(leakers=np.zeros(1000, int), trials=1000))
    assert none["lo"] == 0.0 and none["hi"] == pytest.approx(3.0 / 1000, rel=0.01)  # rule of three
    rare = metrics.expected_leakers(SimpleNamespace(leakers=np.r_[1, np.zeros(999, int)], trials=1000))
    assert rare["lo"] == 0.0 < rare["mean"] < rare["hi"]


def _random_defence(data, n_obj, layers=(1, 1, 3)):
    """Random opportunities: every object can be shot by every effector, each effector in one layer
    with its own Pk and window (later layers later), so weak and strong weapons compete."""
    n_eff = data.draw(st.integers(2, 4))
    layer = np.array([data.draw(st.sampled_from(layers)) for _ in range(n_eff)])
    pk = np.array([data.draw(st.floats(0.2, 0.95)) for _ in range(n_eff)])
    start = np.array([data.draw(st.floats(0.0, 300.0)) + (600.0 if la == 3 else 0.0) for la in layer])
    length = np.array([data.draw(st.floats(30.0, 400.0)) for _ in range(n_eff)])
    obj = np.repeat(np.arange(n_obj), n_eff)
    eff = np.tile(np.arange(n_eff), n_obj)
    return opps(obj, eff, np.tile(pk, n_obj), layer=np.tile(layer, n_obj),
                window=(np.tile(start, n_obj), np.tile(start + length, n_obj)), fly=40.0), n_eff


def _richer_leaks_more(data, layers, most_objects: int = 5) -> bool:
    n_obj = data.draw(st.integers(1, most_objects))
    o, n_eff = _random_defence(data, n_obj, layers)
    inv = np.array([data.draw(st.integers(0, 8)) for _ in range(n_eff)])
    more = inv.copy()
    more[data.draw(st.integers(0, n_eff - 1))] += data.draw(st.integers(1, 8))
    c2 = C2Params(max_shots_per_threat=data.draw(st.integers(1, 4)))
    base = simulate(o, effs(inv), threats(n_obj), c2, 3000, 11).leakers
    rich = simulate(o, effs(more), threats(n_obj), c2, 3000, 11).leakers
    return rich.mean() > base.mean() + 4 * np.sqrt((rich.var() + base.var()) / rich.size) + 1e-9


# CI sees the same examples every run; GOLDENDOME_EXPLORE=1 draws new ones (with --hypothesis-seed=N:
# 30 seeds x 60 examples of both properties passed when the lookahead was last changed).
FIXED = "GOLDENDOME_EXPLORE" not in os.environ


@settings(max_examples=40, deadline=None, derandomize=FIXED)
@given(data=st.data())
def test_more_inventory_of_any_weapon_in_a_layer_never_raises_leakage(data):
    """Adding rounds to any one effector of a random midcourse layer (weapons of different Pk and
    windows competing for each object's shot limit) never raises E[leakers] beyond Monte Carlo
    noise (common random numbers). Before 0.3.0 the earlier, weaker weapon spent the limit first
    (the medium preset's GBIs kept its NGIs from firing)."""
    assert not _richer_leaks_more(data, layers=(1,))


@settings(max_examples=60, deadline=None, derandomize=FIXED)
@given(data=st.data())
def test_more_inventory_of_any_weapon_in_any_layer_never_raises_leakage(data):
    """The same across layers: midcourse and terminal weapons competing for each object's shot
    limit, and objects competing for the later rounds."""
    assert not _richer_leaks_more(data, layers=(1, 1, 3))


def test_objects_holding_for_the_same_later_round_never_raise_leakage():
    """Two RVs, one shot each; midcourse Pk 0.5 with 2 rounds, terminal Pk 0.75 with 0 or 1 round.
    Before rounds were held per object, both RVs passed up the midcourse shot for the one terminal
    round and only one got it: E[leakers] 1.0 -> 1.25. Now the first holds the round and the second
    fires in midcourse: 0.25 + 0.5."""
    o = opps([0, 0, 1, 1], [0, 1, 0, 1], [0.75, 0.5, 0.75, 0.5], layer=[3, 1, 3, 1],
             window=([600.0, 0.0, 600.0, 0.0], [630.0, 30.0, 630.0, 30.0]), fly=40.0)
    c2 = C2Params(max_shots_per_threat=1)
    base = simulate(o, effs([0, 2]), threats(2), c2, 3000, 11).leakers
    rich = simulate(o, effs([1, 2]), threats(2), c2, 3000, 11).leakers
    assert rich.mean() <= base.mean() + 4 * np.sqrt((rich.var() + base.var()) / rich.size)
    assert near(base.mean() / 2, 0.5, 6000) and abs(rich.mean() - 0.75) < 4 * np.sqrt(0.25 * 0.75 / 3000 + 0.25 / 3000)


def test_more_inventory_in_an_earlier_weaker_layer_never_raises_leakage():
    """Minimal case hypothesis found before the lookahead: one RV, max 1 shot, terminal Pk 0.75 with a
    round; giving a midcourse Pk 0.5 weapon one round raised P(leak) from 0.25 to 0.5."""
    o = opps([0, 0], [0, 1], [0.75, 0.5], layer=[3, 1], window=([600.0, 0.0], [630.0, 30.0]), fly=40.0)
    c2 = C2Params(max_shots_per_threat=1)
    base = simulate(o, effs([1, 0]), threats(1), c2, 3000, 11).leakers
    rich = simulate(o, effs([1, 1]), threats(1), c2, 3000, 11)
    assert near(rich.leakers.mean(), 0.25, 3000) and near(base.mean(), 0.25, 3000)
    assert (rich.why[:, 0, Layer.MIDCOURSE] == Why.HELD).all() and (rich.shots_by_effector[:, 1] == 0).all()


# ------------------------------------------------------------------------ why it leaked


def _why(out, n=0, layer=0):
    return np.bincount(out.why[:, n, layer], minlength=len(Why))


def test_why_names_the_step_where_the_kill_chain_stopped():
    c2 = C2Params(max_shots_per_threat=1)
    miss = simulate(opps([0], 0, 0.0), effs(5), threats(1), c2, 100, 1)
    assert _why(miss)[Why.MISSED] == 100 and metrics.why_leaked(miss)["layers"] == {"boost": {"missed": 100}}
    empty = simulate(opps([0], 0, 0.5), effs(0), threats(1), c2, 100, 1)
    assert _why(empty)[Why.NO_INVENTORY] == 100
    decoy = simulate(opps([0], 0, 0.5), effs(5), threats(1, p_rv=0.1), c2, 100, 1)
    assert _why(decoy)[Why.BELOW_THRESHOLD] == 100
    planned_out = simulate(opps([0], 0, 0.5), effs(5), threats(1), c2, 100, 1, plan=np.array([0]))
    assert _why(planned_out)[Why.NOT_ASSIGNED] == 100
    # layer 1 takes the only shot and misses: layer 3 finds the shot limit spent
    two = opps([0, 0], [0, 1], [0.0, 0.0], layer=[Layer.MIDCOURSE, Layer.TERMINAL], window=([0.0, 600.0], [100.0, 700.0]))
    out = simulate(two, effs([5, 5]), threats(1), c2, 100, 1)
    assert _why(out, 0, Layer.MIDCOURSE)[Why.MISSED] == 100 and _why(out, 0, Layer.TERMINAL)[Why.SHOT_LIMIT] == 100
    # a better terminal weapon: the midcourse one holds the only shot for it
    out = simulate(replace(two, pk=np.array([0.0, 0.9])), effs([5, 5]), threats(1), c2, 100, 1)
    assert _why(out, 0, Layer.MIDCOURSE)[Why.HELD] == 100 and _why(out, 0, Layer.TERMINAL)[Why.KILLED] > 70
    # a certain kill in midcourse: the terminal layer finds it dead
    sure = simulate(replace(two, pk=np.array([1.0, 0.9])), effs([5, 5]), threats(1), c2, 100, 1)  # 1.0 > 0.9: fires
    assert _why(sure, 0, Layer.TERMINAL)[Why.KILLED_EARLIER] == 100 and _why(sure, 0, Layer.MIDCOURSE)[Why.KILLED] == 100
    # SLS: the midcourse shot's look (intercept at 50 s + 10 s) outlasts the terminal launch window (0-30 s)
    tight = opps([0, 0], [0, 1], [0.0, 0.0], layer=[Layer.MIDCOURSE, Layer.TERMINAL], window=(0.0, 30.0))
    out = simulate(tight, effs([5, 5]), threats(1), C2Params(max_shots_per_threat=4), 100, 1)
    assert _why(out, 0, Layer.MIDCOURSE)[Why.MISSED] == 100 and _why(out, 0, Layer.TERMINAL)[Why.NO_TIME] == 100
    # ... unless the terminal weapon is better: then the midcourse shot that would close its window is held
    out = simulate(replace(tight, pk=np.array([0.3, 0.9])), effs([5, 5]), threats(1), C2Params(), 100, 1)
    assert _why(out, 0, Layer.MIDCOURSE)[Why.HELD] == 100
    # within one layer the furthest step counts: a miss, then no time for the second battery
    same = replace(tight, layer=np.full(2, int(Layer.TERMINAL)), pk=np.array([0.0, 0.0]))
    out = simulate(same, effs([5, 5]), threats(1), C2Params(max_shots_per_threat=4), 100, 1)
    assert _why(out, 0, Layer.TERMINAL)[Why.MISSED] == 100
    assert (out.why[:, 0, [Layer.BOOST, Layer.MIDCOURSE, Layer.UNDERLAYER]] == Why.NO_LAYER).all()


def test_a_missile_kill_kills_every_object_of_the_missile():
    th = Threats(missile=np.array([0, 0, 0, 1]), is_rv=np.array([True, True, False, True]),
                 p_rv=np.full(4, 0.9), asset=np.zeros(4, int), value=np.ones(4))
    o = replace(opps([0, 3], [0, 0], [1.0, 1.0], layer=[Layer.BOOST] * 2), missile_kill=np.array([True, False]))
    out = simulate(o, effs(10), th, C2Params(), 50, 3)
    assert not out.alive.any() and (out.kill_layer == Layer.BOOST).all()
    assert (out.shots_at[:, 0] == 1).all() and (out.shots_at[:, 1:3] == 0).all()
    assert (out.why[:, :, Layer.BOOST] == Why.KILLED).all()


@settings(max_examples=25, deadline=None)
@given(pk=st.lists(st.floats(0.0, 1.0), min_size=1, max_size=6), inv=st.integers(0, 6),
       layer=st.lists(st.sampled_from(list(Layer)), min_size=6, max_size=6), shots=st.integers(0, 4))
def test_why_agrees_with_the_outcome(pk, inv, layer, shots):
    """Leakers never say killed; the layer that killed an object says KILLED; counts sum to the leaks."""
    J = len(pk)
    o = opps(np.arange(J) % 2, np.arange(J) % 2, pk, layer=np.asarray(layer[:J]))
    out = simulate(o, effs([inv, inv]), threats(2), C2Params(max_shots_per_threat=shots), 200, 5)
    leaked = out.leaked
    assert not np.isin(out.why[leaked], [Why.KILLED, Why.KILLED_EARLIER]).any()
    t, n = np.nonzero(out.kill_layer >= 0)
    assert (out.why[t, n, out.kill_layer[t, n]] == Why.KILLED).all()
    w = metrics.why_leaked(out)
    assert all(sum(c.values()) == w["leaked"] for c in w["layers"].values())
