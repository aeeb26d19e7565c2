"""Orbit construction: Walker geometry, circular/GEO/HEO builders, sgp4 round trip, bad input."""

import math

import numpy as np
import pytest

from goldendome.physics.constants import MU_EARTH, OMEGA_EARTH, WGS84_A
from goldendome.space import Orbits, circular, from_satrec, geo, molniya_like, to_satrecs, walker_delta


def test_walker_geometry():
    t, p, f = 24, 6, 2
    o = walker_delta(t, p, f, 1200e3, math.radians(55.0), raan0=0.1)
    s = t // p
    assert o.n == t
    np.testing.assert_allclose(o.a, WGS84_A + 1200e3)
    np.testing.assert_allclose(o.i, math.radians(55.0))
    raan = o.raan.reshape(p, s)
    u = (o.argp + o.mean_anomaly).reshape(p, s)
    np.testing.assert_allclose(np.diff(raan[:, 0]), 2 * math.pi / p)  # plane spacing
    np.testing.assert_allclose(np.ptp(raan, axis=1), 0.0)  # one RAAN per plane
    np.testing.assert_allclose(np.mod(np.diff(u, axis=1), 2 * math.pi), 2 * math.pi / s)  # in-plane
    np.testing.assert_allclose(np.mod(np.diff(u[:, 0]), 2 * math.pi), 2 * math.pi * f / t)  # 360 F/T
    assert o.raan[0] == pytest.approx(0.1)


def test_take_concat():
    o = walker_delta(12, 3, 1, 800e3, 1.0)
    both = Orbits.concat([o.take([0, 1]), o.take(np.arange(12) >= 10)])
    assert both.n == 4
    np.testing.assert_array_equal(both.mean_anomaly, o.mean_anomaly[[0, 1, 10, 11]])


def test_circular_broadcast_and_geo_molniya():
    o = circular(np.array([500e3, 600e3]), 0.5, 0.0, np.array([[0.0], [1.0]]))
    assert o.n == 4 and np.all(o.e == 0.0)
    g = geo(np.radians([-75.0, 0.0]), theta0=0.3)
    np.testing.assert_allclose(g.a**3 * OMEGA_EARTH**2, MU_EARTH, rtol=1e-12)
    np.testing.assert_allclose(g.mean_anomaly, np.mod(np.radians([-75.0, 0.0]) + 0.3, 2 * math.pi))
    m = molniya_like([0.0, 2.0])
    period = 2 * math.pi * math.sqrt(m.a[0] ** 3 / MU_EARTH)
    assert period == pytest.approx(math.pi / OMEGA_EARTH, rel=1e-12)
    assert m.a[0] * (1 - m.e[0]) > WGS84_A + 300e3  # perigee above the atmosphere


def test_satrec_round_trip():
    o = Orbits.concat([walker_delta(6, 3, 1, 700e3, 1.7), molniya_like([0.5])])
    back = from_satrec(to_satrecs(o))
    for name in ("a", "e", "i", "raan", "argp", "mean_anomaly"):
        np.testing.assert_allclose(getattr(back, name), getattr(o, name), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("call, match", [
    (lambda: walker_delta(0, 1, 0, 500e3, 1.0), "total must be > 0"),
    (lambda: walker_delta(10, 3, 0, 500e3, 1.0), "divide total"),
    (lambda: walker_delta(12, 3, 3, 500e3, 1.0), "phasing"),
    (lambda: walker_delta(12, 3, -1, 500e3, 1.0), "phasing"),
    (lambda: walker_delta(12, 3, 1, -10e3, 1.0), "altitude"),
    (lambda: walker_delta(12, 3, 1, 500e3, 3.5), "inclination"),
    (lambda: walker_delta(12, 3, 1, 500e3, -0.1), "inclination"),
    (lambda: circular(0.0, 1.0, 0.0, 0.0), "altitude"),
    (lambda: Orbits(np.array([7e6]), 1.2, 0.0, 0.0, 0.0, 0.0), "eccentricity"),
    (lambda: Orbits(np.array([7e6]), 0.2, 0.0, 0.0, 0.0, 0.0), "perigee inside the Earth"),
])
def test_bad_input_raises_one_line(call, match):
    with pytest.raises(ValueError, match=match) as exc:
        call()
    assert "\n" not in str(exc.value)
