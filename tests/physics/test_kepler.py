"""Kepler utilities against closed-form, published figures."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from goldendome.physics import kepler
from goldendome.physics.constants import MU_EARTH

R = 6371.0e3  # m, sphere of the textbook figures


@pytest.mark.parametrize(
    "range_km, speed, apogee_km, tof_min",
    [(10000.0, 7198.0, 1319.0, 32.2)],
)
def test_min_energy_published(range_km, speed, apogee_km, tof_min):
    v, gamma, apo, tof = kepler.min_energy(range_km * 1e3 / R, r=R)
    assert v == pytest.approx(speed, rel=5e-4)
    assert np.degrees(gamma) == pytest.approx(22.5, abs=0.1)
    assert apo / 1e3 == pytest.approx(apogee_km, rel=2e-3)
    assert tof / 60.0 == pytest.approx(tof_min, rel=3e-3)


def test_min_energy_is_minimum_over_flight_path_angle():
    psi = 3000e3 / R
    v_min, gamma, _, _ = kepler.min_energy(psi, r=R)
    r1 = np.array([R, 0.0, 0.0])
    r2 = R * np.array([np.cos(psi), np.sin(psi), 0.0])
    p = np.linspace(kepler.p_parabolic(R, R, psi), kepler.p_flattest(R, R, psi), 202)[1:-1]
    speeds = np.linalg.norm(kepler.velocity_on_conic(np.broadcast_to(r1, (200, 3)), np.broadcast_to(r2, (200, 3)), p), axis=-1)
    assert speeds.min() >= v_min * (1 - 1e-9)
    assert speeds.min() == pytest.approx(v_min, rel=1e-3)
    v = kepler.velocity_on_conic(r1, r2, kepler.p_min_energy(r1, r2))
    assert np.linalg.norm(v) == pytest.approx(v_min, rel=1e-9)
    assert np.arctan2(v[0], v[1]) == pytest.approx(gamma, abs=1e-9)


def test_circular_orbit_speed_and_period():
    r = 6778.137e3  # 400 km ISS-like orbit
    assert kepler.circular_speed(r) == pytest.approx(7668.6, abs=0.5)
    assert kepler.orbital_period(r) / 60.0 == pytest.approx(92.56, abs=0.02)
    assert kepler.orbital_period(42164.17e3) == pytest.approx(86164.09, rel=1e-5)  # sidereal day


@settings(max_examples=50, deadline=None)
@given(
    psi=st.floats(0.05, 2.5),
    frac=st.floats(0.05, 0.95),
)
def test_conic_velocity_reaches_target_in_time_of_flight(psi, frac):
    """Propagating the conic velocity by the time of flight lands on r2 (Kepler oracle)."""
    r1 = np.array([R, 0.0, 0.0])
    r2 = (R + 100e3) * np.array([np.cos(psi), np.sin(psi), 0.0])
    lo = kepler.p_parabolic(R, R + 100e3, psi)
    p = lo + frac * (kepler.p_flattest(R, R + 100e3, psi) - lo)
    v1 = kepler.velocity_on_conic(r1, r2, p)
    tof = kepler.time_of_flight(r1, r2, p)
    end = _propagate_universal(r1, v1, tof)
    assert np.linalg.norm(end - r2) < 1e-3 * np.linalg.norm(r2)


@settings(max_examples=50, deadline=None)
@given(psi=st.floats(0.05, 2.5), alt=st.floats(0.0, 3000e3))
def test_p_for_apogee_hits_wanted_apogee_and_apogee_grows_with_loft(psi, alt):
    r1 = np.array([R, 0.0, 0.0])
    r2 = R * np.array([np.cos(psi), np.sin(psi), 0.0])
    p_me = kepler.p_min_energy(r1, r2)
    ra_me = kepler.apogee_radius_for_p(p_me, R, R, psi)
    want = ra_me + alt
    p = kepler.p_for_apogee(r1, r2, want)
    assert kepler.apogee_radius_for_p(p, R, R, psi) == pytest.approx(want, rel=1e-6)
    assert p <= p_me * (1 + 1e-9)


def _propagate_universal(r0, v0, dt):
    """Independent oracle: scipy ODE integration of the two-body problem."""
    from scipy.integrate import solve_ivp

    def f(_, y):
        r = y[:3]
        return np.concatenate([y[3:], -MU_EARTH * r / np.linalg.norm(r) ** 3])

    sol = solve_ivp(f, (0, dt), np.concatenate([r0, v0]), rtol=1e-11, atol=1e-3)
    return sol.y[:3, -1]
