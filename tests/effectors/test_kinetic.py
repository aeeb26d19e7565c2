"""Kinetic interceptors (effectors/kinetic.py) and the interceptor catalog entries."""

from __future__ import annotations

import math
import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import yaml

from goldendome.scenario import threats as scen_threats
from goldendome.effectors import kinetic as K
from goldendome.physics import earth
from goldendome.physics.constants import R_MEAN
from goldendome.scenario import catalog

CATALOG = Path(K.__file__).resolve().parents[1] / "catalog"
DOC = yaml.safe_load((CATALOG / "interceptors.yaml").read_text(encoding="utf-8"))
ENTRIES = DOC["interceptors"]
REFS = catalog.all_references()
KINETIC = ("gbi", "ngi", "sm3-iia", "underlayer", "thaad", "pac3-mse", "sm6")
LASERS = ("laser-ground", "laser-air", "laser-space")
UNSOURCED = {"name", "class", "sources"}


def rad(site):
    s = catalog.sites()[site]
    return math.radians(s.lat_deg), math.radians(s.lon_deg)


def get(iid):
    return K.interceptor_from_entry(iid, catalog.entry("interceptors.yaml", "interceptors", iid))


def source_keys(text):
    """Reference keys of "<key>[, <key>...][ | derived: <note>]" or of "derived: <note>" (none)."""
    if text.strip().startswith("derived:"):
        return []
    head, _, note = text.partition("|")
    if note:
        assert note.strip().startswith("derived:"), text
    return [k.strip() for k in head.split(",") if k.strip()]


@pytest.mark.parametrize("iid", sorted(ENTRIES))
def test_every_field_has_a_resolving_source(iid):
    e = ENTRIES[iid]
    for field in set(e) - UNSOURCED:
        assert field in e["sources"], f"{iid}.{field} has no source"
    for field, text in e["sources"].items():
        assert field in e, f"{iid}: source for unknown field {field}"
        keys = source_keys(text)
        assert keys or "derived:" in text, f"{iid}.{field}: empty source"
        for k in keys:
            assert k in REFS, f"{iid}.{field}: reference {k!r} not in references*.yaml"
    for kind, h in DOC["laser_hardness"].items():
        assert h["value_J_m2"] > 0 and all(k in REFS for k in source_keys(h["source"])), kind


def test_required_entries_and_sbi_untouched():
    assert set(KINETIC + LASERS + ("sbi",)) <= set(ENTRIES)
    assert ENTRIES["sbi"]["delta_v_m_s"] == 4000.0 and ENTRIES["sbi"]["delay_s"] == 60.0
    assert ENTRIES["ngi"]["unit_cost_usd"] == pytest.approx(111e6)
    for k in KINETIC:
        i = get(k)
        assert i.accel_m_s2 == pytest.approx(i.burnout_speed_m_s / i.burn_s, rel=0.01), k
        assert re.match(r"^(ground|sea|space|air)$", i.kind)


def test_fly_out_time_hand_computation():
    i = K.Interceptor("x", burnout_speed_m_s=3000.0, burn_s=30.0, accel_m_s2=100.0, max_alt_m=1e6, max_range_m=1e6)
    # pure acceleration, straight up: t = sqrt(2 h / a)
    assert K.fly_out_time(i, 0.0, 20e3) == pytest.approx(math.sqrt(2 * 20e3 / 100.0), rel=1e-9)
    # coast along the ground (no climb): t = t_b + (d - s_b) / v_b, s_b = v_b^2 / 2a = 45 km
    d = 300e3
    chord = 2 * R_MEAN * math.sin(d / (2 * R_MEAN))
    assert K.fly_out_time(i, d, 0.0) == pytest.approx(30.0 + (chord - 45e3) / 3000.0, rel=1e-9)
    # coast straight up to 200 km: energy loss, mean of the two speeds
    rb, re_ = R_MEAN + 45e3, R_MEAN + 200e3
    ve = math.sqrt(3000.0**2 - 2 * 3.986004418e14 * (1 / rb - 1 / re_))
    assert K.fly_out_time(i, 0.0, 200e3) == pytest.approx(30 + 155e3 / (0.5 * (3000 + ve)), rel=1e-9)
    # too high to reach: inf; vectorized
    t = K.fly_out_time(i, np.array([0.0, 0.0]), np.array([10e3, 5000e3]))
    assert t.shape == (2,) and np.isfinite(t[0]) and np.isinf(t[1])


def make_traj(pos_ecef, t):
    """One-object trajectory at fixed ECEF positions (T, 3) (theta0 = 0)."""
    r = earth.ecef_to_eci(np.asarray(pos_ecef, float), np.asarray(t, float))
    state = np.concatenate([r, np.zeros_like(r)], axis=-1)[None]
    return SimpleNamespace(t=np.asarray(t, float), state=state)


def test_envelope_limits_never_feasible():
    th = get("thaad")
    lat, lon = rad("seattle")
    t = np.arange(0.0, 600.0, 10.0)
    for alt, dist in ((th.max_alt_m + 10e3, 100e3), (80e3, th.max_range_m + 20e3), (80e3, 100e3)):
        la, lo = earth.destination(lat, lon, 0.3, dist)
        p = np.broadcast_to(earth.geodetic_to_ecef(la, lo, alt), (t.size, 3))
        w = K.intercept_windows(th, lat, lon, make_traj(p, t), 0.0)
        inside = alt <= th.max_alt_m and dist <= th.max_range_m
        assert w.feasible.any() == inside, (alt, dist)
        if inside:
            assert w.t_first[0] > 0 and w.launch_first[0] == pytest.approx(w.t_first[0] - w.fly_out_s[0, 0])


def test_a_target_flying_at_the_floor_is_inside():
    """PAC-3 MSE's 50 m floor: a cruise missile at 50 m comes back from ECEF as 49.99999 m; 1 m of
    slack keeps it inside, 2 m below stays out (ENVELOPE_ALT_TOL_M)."""
    pac = get("pac3-mse")
    h = np.array([pac.min_alt_m - 1e-5, pac.min_alt_m, pac.min_alt_m - 2.0, pac.max_alt_m + 0.5, pac.max_alt_m + 2.0])
    assert K.in_envelope(pac, np.full(h.size, 10e3), h).tolist() == [True, True, False, True, False]
    # the round trip that made it flaky: 50 m over the ellipsoid, ECEF and back
    lat, lon = rad("seattle")
    back = earth.ecef_to_geodetic(earth.geodetic_to_ecef(lat, lon, pac.min_alt_m))[2]
    assert abs(back - pac.min_alt_m) < 1e-3 and K.in_envelope(pac, 10e3, back)


@pytest.fixture(scope="module")
def seattle_raid():
    lat, lon = rad("seattle")
    la, lo = earth.destination(lat, lon, math.radians(135.0), 2000e3)
    away = f"{math.degrees(la):.4f},{math.degrees(lo):.4f}"
    return scen_threats.fly_salvos([scen_threats.salvo("icbm-solid", "sohae", "seattle"),
                                    scen_threats.salvo("icbm-solid", "sohae", away)], seed=0)


def test_thaad_at_target_city(seattle_raid):
    lat, lon = rad("seattle")
    w = K.intercept_windows(get("thaad"), lat, lon, seattle_raid, 0.0)
    t_end = seattle_raid.objects["t_end"]
    assert np.isfinite(w.t_first[0]) and w.battlespace_s[0] > 5.0
    assert t_end[0] - 120.0 < w.t_first[0] <= w.t_last[0] <= t_end[0]  # terminal phase
    assert np.isnan(w.t_first[1]) and w.battlespace_s[1] == 0.0  # aimed 2,000 km away


def test_gbi_fort_greely_long_battlespace_and_monotone(seattle_raid):
    lat, lon = rad("fort-greely")
    g = get("gbi")
    w = K.intercept_windows(g, lat, lon, seattle_raid, 120.0)
    # figures (seed 0, dt 1 s): intercepts from ~739 s to ~1894 s, launches from ~122 s
    assert w.battlespace_s[0] > 600.0
    assert w.launch_first[0] >= 120.0 and w.t_first[0] - w.launch_first[0] == pytest.approx(w.fly_out_s[0, int(w.t_first[0])])
    prev = None
    for ready in (0.0, 120.0, 400.0, 800.0, 1200.0, 1600.0, 2500.0):
        w = K.intercept_windows(g, lat, lon, seattle_raid, np.full(2, ready))
        assert np.all(w.launch_first[np.isfinite(w.launch_first)] >= ready)
        if prev is not None:
            assert np.all(w.battlespace_s <= prev.battlespace_s + 1e-9)
            assert np.all(w.feasible <= prev.feasible)
            has = np.isfinite(w.t_first)
            assert np.all(w.t_first[has] >= prev.t_first[has])
        prev = w
    assert not prev.feasible.any()
