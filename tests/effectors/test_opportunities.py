"""Engagement opportunities: batteries from inline specs, windows per layer, fire-control timing."""

import numpy as np
import pytest

from goldendome.scenario import threats as scen_threats
from goldendome.effectors import batteries as B
from goldendome.effectors.layers import Layer
from goldendome.effectors import opportunities as O
from goldendome.errors import InputError
from goldendome.physics import earth
from goldendome.scenario import catalog
from goldendome.scenario.effectors import battery_from_spec

ENTRIES = catalog._load("interceptors.yaml")["interceptors"]
LATENCY_S = 10.0


def resolve(site):
    p = catalog.place(site)
    return p.lat, p.lon


def battery(**spec):
    return battery_from_spec(spec, resolve, ENTRIES)


def fly(target, **kw):
    return scen_threats.fly_salvos([scen_threats.salvo("icbm-solid", "sohae", target, **kw)], seed=0, dt_out=1.0)


@pytest.fixture(scope="module")
def to_seattle():
    return fly("seattle")


@pytest.fixture(scope="module")
def to_denver():
    return fly("denver")


def fc_after(traj, dt, itype="thaad"):
    return {itype: np.asarray(traj.objects["t_launch"], float) + dt}


def test_thaad_at_seattle_defends_seattle_not_a_city_far_away(to_seattle, to_denver):
    thaad = battery(kind="battery", type="thaad", site="seattle", inventory=48)
    opp, eff = O.build([thaad], to_seattle, fc_after(to_seattle, 300.0), LATENCY_S)
    assert len(opp) == 1 and opp.layer[0] == Layer.TERMINAL and eff.inventory.tolist() == [48]
    assert opp.launch_first[0] <= opp.launch_last[0] and opp.intercept_first[0] < opp.intercept_last[0]
    assert opp.intercept_last[0] <= to_seattle.objects["t_end"][0]
    _lat, _lon, alt = earth.ecef_to_geodetic(earth.eci_to_ecef(O.intercept_points(opp, to_seattle), opp.intercept_first))
    assert 40e3 - 2e3 <= alt[0] <= 150e3 + 2e3  # THAAD altitude band (one grid step of slack)
    d = earth.great_circle_distance(*resolve("seattle"), *resolve("denver"))
    assert d > 1500e3
    far, _ = O.build([thaad], to_denver, fc_after(to_denver, 300.0), LATENCY_S)
    assert len(far) == 0


def test_gbi_launches_after_fire_control_latency_and_reaction(to_seattle):
    gbi = battery(kind="site", type="gbi", site="fort-greely")
    fc = fc_after(to_seattle, 300.0, "gbi")
    opp, eff = O.build([gbi], to_seattle, fc, LATENCY_S)
    assert len(opp) == 1 and opp.layer[0] == Layer.MIDCOURSE
    assert opp.launch_first[0] >= fc["gbi"][0] + LATENCY_S + gbi.interceptor.reaction_s - 1e-9
    assert opp.launch_first[0] < fc["gbi"][0] + LATENCY_S + gbi.interceptor.reaction_s + 2.0  # ready early: no slack
    assert np.isclose(opp.fly_out_s[0], opp.intercept_first[0] - opp.launch_first[0])
    assert opp.pk[0] == ENTRIES["gbi"]["pk"] and opp.cost_usd[0] == ENTRIES["gbi"]["unit_cost_usd"]
    assert eff.inventory[0] == 44 and eff.kind == ["gbi"]


@pytest.mark.parametrize("itype, site", [("gbi", "fort-greely"), ("sm3-iia", "47.0,-140.0"), ("thaad", "seattle")],
                         ids=["gbi", "sm3-iia", "thaad"])
def test_later_fire_control_never_starts_the_window_earlier(to_seattle, itype, site):
    b = battery(kind="battery", type=itype, site=site)
    prev_launch, prev_hit, gone = -np.inf, -np.inf, False
    for dt in np.arange(0.0, 2000.0, 100.0):
        opp, _ = O.build([b], to_seattle, fc_after(to_seattle, dt, itype), LATENCY_S)
        if len(opp) == 0:
            gone = True
            continue
        assert not gone, "a window reappeared after a later fire-control time"
        assert opp.launch_first[0] >= prev_launch and opp.intercept_first[0] >= prev_hit
        prev_launch, prev_hit = opp.launch_first[0], opp.intercept_first[0]
    assert np.isfinite(prev_launch) and gone


def test_no_fire_control_no_opportunity():
    traj = scen_threats.fly_salvos([scen_threats.salvo("icbm-solid", "sohae", "seattle", count=2, spacing_s=30)], seed=0, dt_out=1.0)
    bats = [battery(kind="battery", type="thaad", site="seattle"), battery(kind="site", type="gbi", site="fort-greely")]
    fc = {"thaad": np.array([np.nan, 300.0]), "gbi": np.array([np.nan, 300.0])}
    opp, _ = O.build(bats, traj, fc, LATENCY_S)
    assert len(opp) == 2 and set(opp.obj.tolist()) == {1}
    none, eff = O.build(bats, traj, {}, LATENCY_S)
    assert len(none) == 0 and len(eff) == 2


def test_missing_type_uses_the_loosest_fire_control(to_seattle):
    gbi = battery(kind="site", type="gbi", site="fort-greely")
    fc = {"thaad": np.array([900.0]), "sbi": np.array([400.0])}
    opp, _ = O.build([gbi], to_seattle, fc, LATENCY_S)
    assert 400.0 + LATENCY_S + gbi.interceptor.reaction_s <= opp.launch_first[0] < 900.0


def test_inline_overrides_are_applied(to_seattle):
    b = battery(kind="battery", type="thaad", site="seattle", pk=0.5, reaction_s=100.0, unit_cost_usd=1.0)
    assert b.pk == 0.5 and b.interceptor.pk == 0.5 and b.interceptor.reaction_s == 100.0
    opp, _ = O.build([b], to_seattle, fc_after(to_seattle, 300.0), LATENCY_S)
    assert opp.pk.tolist() == [0.5] and opp.cost_usd.tolist() == [1.0]
    base, _ = O.build([battery(kind="battery", type="thaad", site="seattle")], to_seattle,
                      fc_after(to_seattle, 1700.0), LATENCY_S)
    slow, _ = O.build([b], to_seattle, fc_after(to_seattle, 1700.0), LATENCY_S)
    assert slow.launch_first[0] >= 1700.0 + LATENCY_S + 100.0 > base.launch_first[0]


@pytest.mark.parametrize("spec, words", [
    ({"kind": "battery", "type": "thaad", "site": "seattle", "warp_factor": 9}, "warp_factor"),
    ({"kind": "battery", "type": "nope", "site": "seattle"}, "nope"),
    ({"kind": "battery", "type": "thaad"}, "site"),
    ({"kind": "battery", "type": "thaad", "site": "seattle", "pk": 1.5}, "pk"),
    ({"kind": "battery", "type": "thaad", "site": "seattle", "max_alt_m": -5}, "max_alt_m"),
    ({"kind": "laser", "type": "thaad", "site": "seattle"}, "directed-energy"),
    ({"kind": "battery", "type": "laser-ground", "site": "seattle"}, "laser"),
    ({"kind": "sbi", "count": 100, "power_w": 1}, "power_w"),
], ids=["unknown-param", "unknown-type", "no-site", "pk", "bad-value", "laser-kind", "kinetic-kind", "sbi-param"])
def test_bad_specs_raise_one_line_input_error(spec, words):
    with pytest.raises(InputError) as e:
        battery(**spec)
    assert words in str(e.value) and "\n" not in str(e.value)


def test_layers_from_type():
    assert battery(kind="ship", type="sm3-iia", site="seattle").layer == Layer.MIDCOURSE
    assert battery(kind="battery", type="underlayer", site="seattle").layer == Layer.UNDERLAYER
    assert battery(kind="battery", type="pac3-mse", site="seattle").layer == Layer.TERMINAL
    las = battery(kind="laser", type="laser-ground", site="seattle")
    assert las.layer == Layer.BOOST and las.inventory == B.DEEP_MAGAZINE


def test_space_laser_dwell_starts_after_fire_control(to_seattle):
    las = battery(kind="laser", type="laser-space", site="sohae")
    fc = {"laser-space": np.array([300.0])}
    opp, eff = O.build([las], to_seattle, fc, LATENCY_S)
    assert len(opp) == 1 and opp.launch_first[0] >= 310.0 and eff.inventory[0] == 100
    dwell = opp.fly_out_s[0]
    assert 0.0 < dwell <= las.interceptor.max_dwell_s
    assert opp.layer[0] == O.PHASE_TO_LAYER[to_seattle.phase[0, int(opp.launch_first[0])]]
    far = battery(kind="laser", type="laser-space", site="sohae", max_range_m=10e3)
    assert len(O.build([far], to_seattle, fc, LATENCY_S)[0]) == 0


def test_sbi_layer_boost_opportunity_needs_fire_control_before_burnout():
    traj = scen_threats.fly_salvos([scen_threats.salvo("icbm-liquid", "sohae", "seattle")], seed=0, dt_out=1.0)
    sbi = battery(kind="sbi", count=3000, altitude_km=300, inclination_deg=45, step_s=60)
    assert sbi.pk == B.SBI_PK and sbi.shot_cost_usd == ENTRIES["sbi"]["unit_cost_usd"]
    opp, eff = O.build([sbi], traj, {"sbi": np.array([50.0])}, LATENCY_S)
    assert len(opp) == 1 and opp.layer[0] == Layer.BOOST and eff.inventory[0] > 0
    assert opp.launch_first[0] == 60.0 and opp.intercept_last[0] == pytest.approx(traj.objects["t_burnout"][0])
    late, eff_late = O.build([sbi], traj, {"sbi": traj.objects["t_burnout"] + 1.0}, LATENCY_S)
    assert len(late) == 0 and eff_late.inventory[0] == 0


# ------------------------------------------------------------------ why a layer has no window

W = O.reasons.Why


def test_static_reasons_say_envelope_track_or_too_late(to_seattle, to_denver):
    thaad = battery(kind="battery", type="thaad", site="seattle")
    ter = int(Layer.TERMINAL)
    far, _ = O.build([thaad], to_denver, fc_after(to_denver, 300.0), LATENCY_S)
    assert far.reach[ter, 0] == W.OUT_OF_ENVELOPE
    untracked, _ = O.build([thaad], to_seattle, {"thaad": np.array([np.nan])}, LATENCY_S)
    assert len(untracked) == 0 and untracked.reach[ter, 0] == W.NO_TRACK
    late, _ = O.build([thaad], to_seattle, fc_after(to_seattle, float(to_seattle.objects["t_end"][0])), LATENCY_S)
    assert len(late) == 0 and late.reach[ter, 0] == W.TRACK_TOO_LATE
    ok, _ = O.build([thaad], to_seattle, fc_after(to_seattle, 300.0), LATENCY_S)
    assert len(ok) == 1 and ok.reach[ter, 0] == W.TRACK_TOO_LATE  # the floor; battle management decides more
    assert (ok.reach[[0, 1, 2], 0] == W.NO_LAYER).all()


def test_sbi_kills_the_whole_missile_and_says_why_it_cannot():
    traj = scen_threats.fly_salvos([scen_threats.salvo("icbm-liquid", "sohae", "seattle")], seed=0, dt_out=1.0)
    sbi = battery(kind="sbi", count=3000, altitude_km=300, inclination_deg=45, step_s=60)
    boost = int(Layer.BOOST)
    opp, _ = O.build([sbi], traj, {"sbi": np.array([50.0])}, LATENCY_S)
    assert opp.missile_kill.tolist() == [True]
    late, _ = O.build([sbi], traj, {"sbi": traj.objects["t_burnout"] + 1.0}, LATENCY_S)
    assert (late.reach[boost] == W.TRACK_TOO_LATE).all()  # commit after burnout: every object of the missile
    none, _ = O.build([sbi], traj, {"sbi": np.full(traj.n, np.nan)}, LATENCY_S)
    assert (none.reach[boost] == W.NO_TRACK).all()
    few = battery(kind="sbi", count=24, altitude_km=300, inclination_deg=45, step_s=60)
    sparse, _ = O.build([few], traj, {"sbi": np.array([50.0])}, LATENCY_S)
    assert len(sparse) == 0 and (sparse.reach[boost] == W.OUT_OF_ENVELOPE).all()
