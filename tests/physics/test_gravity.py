"""Gravity: magnitudes, J2 against the gradient of its potential, energy along an orbit."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from goldendome.physics import gravity
from goldendome.physics.constants import J2, MU_EARTH, WGS84_A

RNG = np.random.default_rng(14186)


def _random_positions(n, r_lo=6.3e6, r_hi=4.3e7):
    u = RNG.normal(size=(n, 3))
    u /= np.linalg.norm(u, axis=-1, keepdims=True)
    u[:2] = [[0, 0, 1], [0, 0, -1]]  # poles
    return u * RNG.uniform(r_lo, r_hi, n)[:, None]


def test_point_mass_surface_value():
    a = gravity.accel_point_mass([WGS84_A, 0.0, 0.0])
    assert a[0] == pytest.approx(-9.798, abs=1e-3)  # mu / a^2 = 9.7983 m/s^2
    np.testing.assert_allclose(a[1:], 0.0)


def test_point_mass_inverse_square_and_direction():
    r = _random_positions(100)
    a = gravity.accel_point_mass(r)
    rn = np.linalg.norm(r, axis=-1)
    np.testing.assert_allclose(np.linalg.norm(a, axis=-1), MU_EARTH / rn**2, rtol=1e-14)
    np.testing.assert_allclose(np.sum(a * r, axis=-1), -np.linalg.norm(a, axis=-1) * rn, rtol=1e-14)


def _fd_gradient(fun, r, rel_step):
    """Central differences with a step proportional to |r|."""
    h = rel_step * np.linalg.norm(r, axis=-1)
    grad = np.empty_like(r)
    for k in range(3):  # three axes, not a loop over points
        e = h[..., None] * np.eye(3)[k]
        grad[..., k] = (fun(r + e) - fun(r - e)) / (2 * h)
    return grad


def test_j2_acceleration_is_minus_gradient_of_potential():
    r = _random_positions(500)

    def j2_part(x):  # potential minus its point-mass part, to keep round-off small
        return gravity.potential_j2(x) + MU_EARTH / np.linalg.norm(x, axis=-1)

    fd = -_fd_gradient(j2_part, r, 1e-4)
    analytic = gravity.accel_j2(r) - gravity.accel_point_mass(r)
    scale = np.linalg.norm(analytic, axis=-1, keepdims=True)
    assert np.all(np.abs(fd - analytic) < 1e-6 * scale)
    # and the total acceleration against the total potential
    fd_total = -_fd_gradient(gravity.potential_j2, r, 1e-6)
    np.testing.assert_allclose(fd_total, gravity.accel_j2(r), rtol=0,
                               atol=1e-6 * np.abs(gravity.accel_j2(r)).max())


def test_j2_equator_vs_pole():
    r = 7.0e6
    g_eq = gravity.accel_j2([r, 0.0, 0.0])
    g_pole = gravity.accel_j2([0.0, 0.0, r])
    g0 = MU_EARTH / r**2
    k = J2 * (WGS84_A / r) ** 2
    # radial: equator -g0 (1 + 3/2 k), pole -g0 (1 - 3 k)
    assert g_eq[0] == pytest.approx(-g0 * (1 + 1.5 * k), rel=1e-13)
    assert g_pole[2] == pytest.approx(-g0 * (1 - 3.0 * k), rel=1e-13)
    assert np.linalg.norm(g_eq) - np.linalg.norm(g_pole) == pytest.approx(4.5 * k * g0, rel=1e-9)
    np.testing.assert_allclose([g_eq[1], g_eq[2], g_pole[0], g_pole[1]], 0.0, atol=1e-15)


def test_j2_potential_values():
    # at the equator and the pole of the reference sphere: -mu/R (1 + J2/2), -mu/R (1 - J2)
    assert gravity.potential_j2([WGS84_A, 0, 0]) == pytest.approx(-MU_EARTH / WGS84_A * (1 + J2 / 2))
    assert gravity.potential_j2([0, 0, WGS84_A]) == pytest.approx(-MU_EARTH / WGS84_A * (1 - J2))


@settings(max_examples=100, deadline=None)
@given(angle=st.floats(0, 2 * np.pi), x=st.floats(-4e7, 4e7), y=st.floats(-4e7, 4e7),
       z=st.floats(-4e7, 4e7))
def test_j2_axisymmetric(angle, x, y, z):
    r = np.array([x, y, z])
    if np.linalg.norm(r) < 6e6:
        return
    c, s = np.cos(angle), np.sin(angle)
    rot = np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])
    np.testing.assert_allclose(gravity.accel_j2(rot @ r), rot @ gravity.accel_j2(r),
                               rtol=1e-12, atol=1e-14)
    assert gravity.potential_j2(rot @ r) == pytest.approx(gravity.potential_j2(r), rel=1e-13)


def test_broadcast_shapes():
    r = RNG.normal(size=(4, 5, 3)) * 7e6
    assert gravity.accel_j2(r).shape == (4, 5, 3)
    assert gravity.accel_point_mass(r).shape == (4, 5, 3)
    assert gravity.potential_j2(r).shape == (4, 5)


def _rk4(y, dt, steps):
    def f(y):
        return np.concatenate([y[..., 3:], gravity.accel_j2(y[..., :3])], axis=-1)

    for _ in range(steps):  # time steps; the batch of orbits is vectorized
        k1 = f(y)
        k2 = f(y + 0.5 * dt * k1)
        k3 = f(y + 0.5 * dt * k2)
        k4 = f(y + dt * k3)
        y = y + dt / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)
    return y


def _energy(y):
    return 0.5 * np.sum(y[..., 3:] ** 2, axis=-1) + gravity.potential_j2(y[..., :3])


def test_energy_conserved_over_one_orbit():
    # a batch of LEO orbits at several inclinations and eccentricities, propagated in ECI
    # (J2 is time-independent there because the field is axisymmetric about z)
    rp = WGS84_A + np.array([400e3, 400e3, 600e3, 300e3])
    ecc = np.array([0.0, 0.05, 0.01, 0.1])
    inc = np.radians([51.6, 98.0, 28.5, 63.4])
    vp = np.sqrt(MU_EARTH * (1 + ecc) / rp)
    y0 = np.stack([rp, 0 * rp, 0 * rp, 0 * rp, vp * np.cos(inc), vp * np.sin(inc)], axis=-1)
    period = 2 * np.pi * np.sqrt((rp / (1 - ecc)) ** 3 / MU_EARTH)
    steps = 1500
    y1 = _rk4(y0, period.max() / steps, steps)
    e0, e1 = _energy(y0), _energy(y1)
    assert np.all(np.abs(e1 / e0 - 1) < 1e-9)
    # angular momentum about z is the other integral of the axisymmetric field
    hz = lambda y: y[..., 0] * y[..., 4] - y[..., 1] * y[..., 3]  # noqa: E731
    np.testing.assert_allclose(hz(y1), hz(y0), rtol=1e-9)
    # J2 really acted: a point-mass orbit would return to its start; J2 moves it by km
    assert np.all(np.linalg.norm(y1[:, :3] - y0[:, :3], axis=-1) > 1e3)
