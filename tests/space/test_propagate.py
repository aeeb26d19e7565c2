"""Propagation: two-body period, J2 secular rates, constancy, agreement with sgp4."""

import math

import numpy as np
import pytest
from sgp4.api import SatrecArray

from goldendome.physics.constants import J2, MU_EARTH, WGS84_A
from goldendome.space.propagate import E_MIN
from goldendome.space import (GRAVITY, GRAVITY_SGP4_WGS84, Gravity, Orbits, circular, molniya_like,
                              propagate, propagate_into, propagate_state, secular_rates, to_satrecs,
                              walker_delta)

DAY = 86400.0
KEPLER = Gravity(MU_EARTH, WGS84_A, 0.0, 0.0, 0.0)


def _sgp4(orbits, t):
    """sgp4 (WGS84 constants, bstar 0) positions (N, T, 3) m and velocities m/s."""
    sats = to_satrecs(orbits)
    jd = np.full(t.shape, sats[0].jdsatepoch)
    err, r, v = SatrecArray(sats).sgp4(jd, sats[0].jdsatepochF + t / DAY)
    assert not err.any()
    return r * 1e3, v * 1e3


def test_two_body_period():
    o = circular([400e3, 2000e3, 20000e3], 0.7, 0.2, 0.3)
    period = 2 * math.pi * np.sqrt(o.a**3 / MU_EARTH)
    for k in range(o.n):
        r = propagate(o.take([k]), np.array([0.0, period[k], 0.5 * period[k]]), KEPLER)[0]
        assert np.linalg.norm(r[1] - r[0]) < 1e-3  # back to start after one period
        # opposite side after half; SGP4 floors e at E_MIN = 1e-6, so within 2 a E_MIN
        assert np.linalg.norm(r[2] + r[0]) < 2.5 * o.a[k] * E_MIN


def test_nodal_regression_sun_synchronous():
    a = WGS84_A + 700e3
    target = 2 * math.pi / 365.2422 / DAY  # rad/s, one turn per tropical year
    n = math.sqrt(MU_EARTH / a**3)
    inc = math.acos(-target / (1.5 * n * J2 * (WGS84_A / a) ** 2))
    assert math.degrees(inc) == pytest.approx(98.19, abs=0.05)
    node_dot, argp_dot, mdot = secular_rates(circular(700e3, inc, 0.0, 0.0))
    assert math.degrees(node_dot[0]) * DAY == pytest.approx(0.9856, rel=0.01)
    # closed form -1.5 n J2 (R/p)^2 cos i, first order in J2 (SGP4 adds J2^2, J4: < 1 %)
    incs = np.radians([0.0, 30.0, 63.4, 98.0, 150.0])
    node_dot, argp_dot, mdot = secular_rates(circular(700e3, incs, 0.0, 0.0))
    ref = -1.5 * n * J2 * (WGS84_A / a) ** 2 * np.cos(incs)
    np.testing.assert_allclose(node_dot, ref, rtol=1e-2, atol=1e-2 * abs(ref).max())
    np.testing.assert_allclose(mdot, n, rtol=3e-3)
    assert np.all(np.abs(mdot - n) > 1e-5 * n)  # J2 does shift the mean motion


def test_node_drift_in_positions():
    """The propagated orbit normal precesses at secular_rates' node rate."""
    o = circular(700e3, math.radians(98.0), 0.3, 0.0)
    st = propagate_state(o, np.array([0.0, DAY]))[0]
    h = np.cross(st[:, :3], st[:, 3:])
    node = np.arctan2(h[:, 0], -h[:, 1])
    assert node[1] - node[0] == pytest.approx(secular_rates(o)[0][0] * DAY, abs=2e-4)


def test_circular_radius_and_energy_constant():
    o = walker_delta(12, 3, 1, 550e3, math.radians(53.0))
    st = propagate_state(o, np.linspace(0.0, DAY, 2001), KEPLER)
    r = np.linalg.norm(st[..., :3], axis=-1)
    energy = 0.5 * np.sum(st[..., 3:] ** 2, axis=-1) - MU_EARTH / r
    np.testing.assert_allclose(r, np.broadcast_to(o.a[:, None], r.shape), rtol=1.5 * E_MIN)  # e floored at E_MIN
    np.testing.assert_allclose(energy, np.broadcast_to(-MU_EARTH / (2 * o.a[:, None]), r.shape), rtol=1e-10)
    # with J2 the radius stays within the short-period band ~ J2 R^2 / a ~ 10 km
    r = np.linalg.norm(propagate(o, np.linspace(0.0, DAY, 2001)), axis=-1)
    assert np.ptp(r) < 20e3


def test_matches_sgp4():
    """Same constants as sgp4 'wgs84': agreement to < 1 mm (LEO and eccentric near-Earth)."""
    rng = np.random.default_rng(3)
    n = 300
    leo = circular(rng.uniform(300e3, 5000e3, n), rng.uniform(0, math.pi, n),
                   rng.uniform(0, 2 * math.pi, n), rng.uniform(0, 2 * math.pi, n))
    ecc = Orbits(np.array([7.5e6, 9.0e6, 1.05e7, 8.0e6]), np.array([0.05, 0.2, 0.35, 0.1]),
                 np.radians([28.5, 63.4, 98.0, 120.0]), np.array([0.1, 1.0, 2.0, 3.0]),
                 np.array([0.5, 4.7, 1.0, 2.0]), np.array([0.0, 1.0, 3.0, 5.0]))
    o = Orbits.concat([leo, ecc])
    t = np.linspace(0.0, DAY, 97)
    r_ref, v_ref = _sgp4(o, t)
    st = propagate_state(o, t, GRAVITY_SGP4_WGS84)
    assert np.linalg.norm(st[..., :3] - r_ref, axis=-1).max() < 1e-3
    assert np.linalg.norm(st[..., 3:] - v_ref, axis=-1).max() < 1e-6
    # goldendome constants (mu differs from sgp4's by 1.5e-7): < 1 km after a day (~100 m)
    r = propagate(o, t, GRAVITY)
    assert np.linalg.norm(r - r_ref, axis=-1).max() < 1e3


def test_deep_space_is_two_body_j2_only():
    """GEO/HEO/GPS: sgp4 adds SDP4 lunar-solar terms we do not model; within 100 km/day."""
    o = Orbits.concat([molniya_like([0.0]), circular(20200e3, math.radians(55), 0.0, 0.0)])
    t = np.array([0.0, DAY])
    r_ref, _ = _sgp4(o, t)
    d = np.linalg.norm(propagate(o, t, GRAVITY_SGP4_WGS84) - r_ref, axis=-1)
    assert d.max() < 100e3  # measured: Molniya 75 km, GPS-like 3.3 km


def test_propagate_into_float32_chunks():
    o = walker_delta(20, 4, 1, 600e3, 1.0)
    t = np.arange(0.0, 3600.0, 10.0)
    full = propagate(o, t)
    buf = np.empty((o.n, 60, 3), np.float32)
    for c in range(0, t.size, 60):
        propagate_into(o, t[c:c + 60], buf)
        np.testing.assert_allclose(buf, full[:, c:c + 60], atol=2.0)
    with pytest.raises(ValueError, match="out must have shape"):
        propagate_into(o, t, buf)


def test_a_wgs72_tle_flies_with_its_own_constants():
    """A published TLE (WGS72, bstar zeroed) against sgp4 over a day: its own model to a few metres,
    WGS84 constants drift away (the ~0.3 km/day an outside check found)."""
    from sgp4.api import WGS72, Satrec

    from goldendome.space import from_satrec, satrec_gravity

    s = Satrec.twoline2rv("1 25544U 98067A   19343.69339541  .00001764  00000-0  38792-4 0  9991",
                          "2 25544  51.6439 211.2001 0007417  17.6667  85.6398 15.50103472202482", WGS72)
    s.sgp4init(WGS72, "i", 25544, s.jdsatepoch + s.jdsatepochF - 2433281.5, 0.0, 0.0, 0.0, s.ecco, s.argpo,
               s.inclo, s.mo, s.no_kozai, s.nodeo)  # the same elements without drag
    t = np.linspace(0.0, DAY, 25)
    err, r_ref, _ = SatrecArray([s]).sgp4(np.full(t.shape, s.jdsatepoch), s.jdsatepochF + t / DAY)
    assert not err.any()
    o, g = from_satrec(s), satrec_gravity(s)
    assert g.radius == 6378135.0 and g.mu == pytest.approx(398600.8e9)
    own = np.linalg.norm(propagate(o, t, g) - r_ref * 1e3, axis=-1).max()
    other = np.linalg.norm(propagate(o, t, GRAVITY_SGP4_WGS84) - r_ref * 1e3, axis=-1).max()
    assert own < 1.0 and other > 100.0, (own, other)


def test_records_of_two_gravity_models_are_refused():
    from sgp4.api import WGS72, Satrec

    from goldendome.space import satrec_gravity, to_satrecs

    wgs84 = to_satrecs(circular(500e3, 0.9, 0.0, 0.0))[0]
    wgs72 = Satrec()
    wgs72.sgp4init(WGS72, "i", 1, 27000.0, 0.0, 0.0, 0.0, 0.001, 0.0, 0.9, 0.0, 0.06, 0.0)
    with pytest.raises(ValueError, match="mix 2 gravity models"):
        satrec_gravity([wgs84, wgs72])
