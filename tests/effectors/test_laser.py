"""Directed-energy weapons (effectors/laser.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from goldendome.scenario import threats as scen_threats
from goldendome.effectors import laser as L
from goldendome.scenario import catalog

SPACE = 1000e3  # m, both ends far above the atmosphere: vacuum path


def vac(**kw):
    base = {"power_w": 1e6, "aperture_m": 3.0, "wavelength_m": 1e-6, "m2": 1.0}
    base.update(kw)
    return L.Laser("test", **base)


def test_diffraction_limited_spot():
    lz = vac(m2=2.0)
    z = np.array([1e5, 1e6, 5e6])
    assert L.spot_radius(lz, z, SPACE, SPACE) == pytest.approx(2.0 * 1e-6 * z / (math.pi * 1.5), rel=1e-9)


def test_dwell_inverse_square_in_vacuum_and_power():
    lz = vac()
    d1, d2 = L.dwell_time(lz, [300e3, 600e3], SPACE, SPACE, 1e7)
    assert d2 / d1 == pytest.approx(4.0, rel=1e-9)
    assert L.dwell_time(vac(power_w=2e6), 300e3, SPACE, SPACE, 1e7) == pytest.approx(d1 / 2, rel=1e-12)
    assert L.transmission(lz, 300e3, SPACE, SPACE) == pytest.approx(1.0)


def test_hand_computation_1MW_3m_1um_500km():
    # w = lambda z / (pi w0) = 1e-6 * 5e5 / (pi * 1.5) = 0.10610 m; mean over the 1/e^2 disc
    # I = (1 - e^-2) P / (pi w^2) = 0.8647 * 2.827e7 = 2.445e7 W/m^2; t = 1e7 J/m^2 / I = 0.4090 s
    t = L.dwell_time(vac(), 500e3, SPACE, SPACE, 1e7)
    assert t == pytest.approx(1e7 * math.pi * (1e-6 * 5e5 / (math.pi * 1.5)) ** 2 / (1e6 * (1 - math.exp(-2))),
                              rel=1e-9)
    assert t == pytest.approx(0.4090, abs=1e-4)
    assert L.kills_per_minute(L.Laser("r", retarget_s=2.0), 1.0) == pytest.approx(20.0)


def test_atmosphere_and_earth_block():
    g = L.laser_from_entry("laser-ground", catalog.entry("interceptors.yaml", "interceptors", "laser-ground"))
    assert L.transmission(g, 10e3, 0.0, 0.0) < L.transmission(g, 10e3, 0.0, 9e3) < 1.0
    assert L.spot_radius(g, 10e3, 0.0, 0.0) > g.m2 * g.wavelength_m * 10e3 / (math.pi * g.aperture_m / 2)
    assert L.transmission(g, 3000e3, 0.0, 0.0) == 0.0 and np.isinf(L.dwell_time(g, 3000e3, 0.0, 0.0))
    r = L.max_range_for_dwell(g, 5.0, 0.0, 5e3, 3e6)
    assert L.dwell_time(g, r, 0.0, 5e3, 3e6) == pytest.approx(5.0, rel=1e-3)


def test_engagement_airborne_laser_near_launch():
    tr = scen_threats.fly_salvos([scen_threats.salvo("icbm-liquid", "sohae", "seattle")], seed=0)
    a = L.laser_from_entry("laser-air", catalog.entry("interceptors.yaml", "interceptors", "laser-air"))
    near = L.engagement(a, math.radians(39.0), math.radians(126.0), tr)
    far = L.engagement(a, math.radians(20.0), math.radians(150.0), tr)
    assert near.killable[0] and near.t_kill[0] < tr.objects["t_burnout"][0]
    assert not far.killable[0] and far.time_in_range_s[0] == 0.0
    hard = L.engagement(a, math.radians(39.0), math.radians(126.0), tr, hardness_J_m2=1e9)
    assert np.all(hard.dwell_s[np.isfinite(hard.dwell_s)] > near.dwell_s[np.isfinite(hard.dwell_s)])


def test_mean_irradiance_over_the_spot_is_the_gaussian_disc_mean():
    # independent: integrate the Gaussian I(r) = 2P/(pi w^2) exp(-2 r^2/w^2) over r <= w, divide by pi w^2
    w, p = 0.2, 1e6
    r = np.linspace(0.0, w, 200_001)
    inside = np.trapezoid(2 * p / (np.pi * w**2) * np.exp(-2 * r**2 / w**2) * 2 * np.pi * r, r)
    lz = vac(power_w=p)
    z = w * np.pi * 1.5 / 1e-6  # the vacuum range at which the diffraction spot is w
    assert L.irradiance(lz, z, SPACE, SPACE) == pytest.approx(inside / (np.pi * w**2), rel=1e-6)
