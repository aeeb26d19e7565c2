"""Tests for goldendome.space.sbi: reach, absentee ratio, assignment, constellation sizing."""

import math
from pathlib import Path

import numpy as np
import pytest
import yaml

from goldendome.scenario import threats as scen_threats
from goldendome.space import sbi as S
from goldendome.space import sizing
from goldendome.space.orbits import walker_delta
from goldendome.space.propagate import propagate

CATALOG = Path(S.__file__).resolve().parents[1] / "catalog"


@pytest.fixture(scope="module")
def raids():
    fly = lambda m, n: scen_threats.fly_salvos([scen_threats.salvo(m, "sohae", "seattle", count=n)], seed=0, dt_out=1.0)
    return {"solid1": fly("icbm-solid", 1), "solid3": fly("icbm-solid", 3), "liquid1": fly("icbm-liquid", 1)}


def test_fly_out_distance_hand_values():
    v, a = 4000.0, 50.0  # burn time 80 s
    d = S.fly_out_distance([-1.0, 0.0, 40.0, 80.0, 100.0], v, a)
    np.testing.assert_allclose(d, [0.0, 0.0, 0.5 * 50 * 1600, 0.5 * 50 * 6400, 4000 * 100 - 4000**2 / 100])


def test_shell_fraction_on_shell_and_off():
    r = 7.0e6
    np.testing.assert_allclose(S.shell_fraction_in_reach(1.0e6, r), 1.0e12 / (4 * r**2))
    assert S.shell_fraction_in_reach(3 * r, r) == 1.0
    assert S.shell_fraction_in_reach(0.5e6, r, point_radius=r - 1.0e6) == 0.0


def test_walker_count_matches_absentee_formula():
    # 4,900 satellites, i = 60 deg; count those within 1,000 km of points at 30 deg N, on the shell
    alt, inc, reach = 500e3, math.radians(60.0), 1.0e6
    orbits = walker_delta(4900, 70, 1, alt, inc)
    radius = float(orbits.a[0])
    lat = math.radians(30.0)
    pos = propagate(orbits, np.array([0.0, 600.0, 1700.0]))  # (N, 3, 3)
    counts = []
    for lon in np.radians(np.arange(0.0, 360.0, 10.0)):
        p = radius * np.array([math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat)])
        counts.append(np.sum(np.linalg.norm(pos - p, axis=-1) <= reach, axis=0))
    measured = np.mean(counts) / orbits.n
    expected = S.walker_fraction_in_reach(reach, radius, lat, inc)
    uniform = S.shell_fraction_in_reach(reach, radius)
    assert abs(measured / expected - 1.0) < 0.08, (measured, expected)
    assert abs(measured / uniform - 1.0) > 0.05  # the latitude density factor (0.90 here) matters


def test_exactly_one_interceptor_in_reach():
    sbi = S.Interceptor(delta_v_m_s=4000.0, accel_m_s2=40.0, delay_s=0.0)  # burn 100 s
    t = np.arange(0.0, 101.0)
    missile = np.zeros((1, t.size, 3))
    missile[0, :, 2] = 7.0e6
    d100 = S.fly_out_distance(100.0, 4000.0, 40.0)  # 200 km at the deadline
    sats = np.zeros((3, t.size, 3))
    sats[:, :, 2] = 7.0e6
    sats[0, :, 0] = d100 - 1.0e3  # in reach just before the deadline
    sats[1, :, 0] = d100 + 1.0e3  # just out of reach
    sats[2, :, 1] = 3.0 * d100
    ok = S.can_engage(sats, missile, t, np.array([0.0]), np.array([100.0]), sbi)
    assert ok[:, 0].tolist() == [True, False, False]
    late = S.can_engage(sats, missile, t, np.array([0.0]), np.array([90.0]), sbi)
    assert not late.any()


def test_assignment_uses_each_interceptor_once():
    engage = np.array([[True, True], [True, False]])  # sat 0 can hit both, sat 1 only missile 0
    assert S.max_assignable(engage, 1).tolist() == [1, 1]
    assert S.max_assignable(engage, 2).tolist() == [1, 1] or S.max_assignable(engage, 2).sum() == 2


def test_bad_interceptor_raises():
    with pytest.raises(ValueError):
        S.Interceptor(delta_v_m_s=-1.0)
    with pytest.raises(ValueError):
        S.Interceptor(deadline="apogee")


_SIZED: dict = {}


def _sized(raids, name: str, **kw) -> dict:
    """size_constellation of a raid, each (raid, interceptor) sized once per test module (seconds each)."""
    key = (name, tuple(sorted(kw.items())))
    if key not in _SIZED:
        _SIZED[key] = sizing.size_constellation(raids[name], S.Interceptor(**kw))
    return _SIZED[key]


def _size(raids, name: str, **kw) -> int:
    return _sized(raids, name, **kw)["interceptors"]


def test_monotone_in_delta_v_delay_and_salvo(raids):
    base = _size(raids, "solid1")
    assert _size(raids, "solid1", delta_v_m_s=6000.0) <= base
    assert _size(raids, "solid1", delay_s=60.0) >= base
    assert _size(raids, "solid3") >= base


def test_liquid_needs_far_fewer_than_solid(raids):
    solid, liquid = _size(raids, "solid1"), _size(raids, "liquid1")
    assert liquid < 0.5 * solid


def test_size_result_fields(raids):
    r = _sized(raids, "solid1")
    assert r["interceptors"] == r["planes"] * r["per_plane"]
    assert r["constellation_mass_t"] == pytest.approx(r["interceptors"] * 1.25)
    assert 100.0 < r["time_available_s"] < 170.0 and r["reach_km"] > 0
    assert r["per_missile"][0]["shots"] >= 1


def test_catalog_entry_matches_defaults():
    entry = yaml.safe_load((CATALOG / "interceptors.yaml").read_text())["interceptors"]["sbi"]
    refs = yaml.safe_load((CATALOG / "references_sbi.yaml").read_text())
    refs.update(yaml.safe_load((CATALOG / "references.yaml").read_text()))
    d = S.Interceptor()
    for k in ("delta_v_m_s", "accel_m_s2", "delay_s", "mass_kg", "deadline"):
        assert entry[k] == pytest.approx(getattr(d, k)) if k != "deadline" else entry[k] == d.deadline
    for src in entry["sources"].values():
        for key in src.split("|")[0].split(","):
            assert key.strip() in refs
