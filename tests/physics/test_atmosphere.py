"""US Standard Atmosphere 1976 against the printed tables and against hydrostatics.

Reference values: U.S. Standard Atmosphere, 1976 (NOAA-S/T 76-1562), Part 1 Table 4 (layer
bases, by geopotential altitude) and Part 4 Table I (by geometric altitude), pp. 53-73.
"""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from goldendome.physics import atmosphere as atm
from goldendome.physics.constants import G0

R0 = 6356766.0  # m, US76 effective Earth radius


def _geometric(h):
    """Geometric altitude (m) of geopotential altitude h (m')."""
    return R0 * h / (R0 - h)


# Table I, geometric altitude Z (m): T (K), p (Pa), rho (kg/m^3). Note 11 km geometric is
# 10.981 km' geopotential, so T = 216.774 K there, not the tropopause's 216.65 K.
TABLE_I = [
    (0.0, 288.150, 101325.0, 1.2250),
    (1000.0, 281.651, 89876.0, 1.1117),
    (5000.0, 255.676, 54048.0, 7.3643e-1),
    (10000.0, 223.252, 26499.0, 4.1351e-1),
    (11000.0, 216.774, 22699.0, 3.6480e-1),
    (15000.0, 216.650, 12111.0, 1.9476e-1),
    (20000.0, 216.650, 5529.3, 8.8910e-2),
    (25000.0, 221.552, 2549.2, 4.0084e-2),
    (30000.0, 226.509, 1197.0, 1.8410e-2),
    (32000.0, 228.490, 889.06, 1.3555e-2),
    (40000.0, 250.350, 287.14, 3.9957e-3),
    (47400.0, 270.650, 110.22, 1.4187e-3),
    (50000.0, 270.650, 79.779, 1.0269e-3),
    (55000.0, 260.771, 42.525, 5.6810e-4),
    (60000.0, 247.021, 21.958, 3.0968e-4),
    (70000.0, 219.585, 5.2209, 8.2829e-5),
    (80000.0, 198.639, 1.0524, 1.8458e-5),
    (86000.0, 186.87, 0.37338, 6.958e-6),
]

# Table 4, layer bases at geopotential altitude H (m'): T_M (K), p (Pa).
TABLE_4 = [
    (11000.0, 216.65, 22632.06),
    (20000.0, 216.65, 5474.889),
    (32000.0, 228.65, 868.0187),
    (47000.0, 270.65, 110.9063),
    (51000.0, 270.65, 66.93887),
    (71000.0, 214.65, 3.956420),
]


@pytest.mark.parametrize("z, t, p, rho", TABLE_I)
def test_table_i_below_86_km(z, t, p, rho):
    s = atm.us76(z)
    assert s.temperature == pytest.approx(t, rel=1e-4)
    assert s.pressure == pytest.approx(p, rel=1e-3)
    assert s.density == pytest.approx(rho, rel=1e-3)


@pytest.mark.parametrize("h, t, p", TABLE_4)
def test_table_4_layer_bases(h, t, p):
    s = atm.us76(_geometric(h))
    assert s.temperature == pytest.approx(t, rel=1e-6)
    assert s.pressure == pytest.approx(p, rel=1e-6)


@pytest.mark.parametrize("z, a", [(0.0, 340.294), (20000.0, 295.069), (86000.0, 274.10)])
def test_speed_of_sound(z, a):
    assert atm.us76(z).speed_of_sound == pytest.approx(a, rel=1e-4)
    assert atm.speed_of_sound(z) == pytest.approx(a, rel=1e-4)


def test_sea_level_rounded_values():
    s = atm.us76(0.0)
    assert (s.temperature, s.pressure) == (288.15, 101325.0)
    assert float(s.density) == pytest.approx(1.2250, abs=5e-5)
    assert float(s.speed_of_sound) == pytest.approx(340.29, abs=5e-3)


def test_kinetic_temperature_80_to_86_km():
    # kinetic T = T_M M/M0 (Part 1, Table 8): at 86 km 186.946 * 0.999579 = 186.8673 K, from
    # below and from above; at 85 km T_M = 188.893 K (Table I) times 0.999694
    assert atm.us76(86000.0 - 1e-6).temperature == pytest.approx(186.8673, abs=1e-3)
    assert atm.us76(86000.0).temperature == pytest.approx(186.8673, abs=1e-3)
    assert atm.us76(85000.0).temperature == pytest.approx(188.893 * 0.999694, abs=2e-3)


# Table I above 86 km: kinetic temperatures (from the standard's T(Z) profile) and densities.
UPPER_T = [(90e3, 186.87), (100e3, 195.08), (110e3, 240.00), (120e3, 360.00),
           (150e3, 634.39), (200e3, 854.56), (300e3, 976.01), (500e3, 999.24), (1000e3, 1000.0)]
UPPER_RHO = [(90e3, 3.416e-6), (100e3, 5.604e-7), (115e3, 4.289e-8), (150e3, 2.076e-9),
             (200e3, 2.541e-10), (300e3, 1.916e-11), (500e3, 5.215e-13), (1000e3, 3.561e-15)]
UPPER_P = [(100e3, 3.2011e-2), (150e3, 4.5422e-4), (500e3, 3.0236e-7), (1000e3, 7.5138e-9)]


@pytest.mark.parametrize("z, t", UPPER_T)
def test_upper_temperature(z, t):
    assert atm.us76(z).temperature == pytest.approx(t, rel=1e-4)


@pytest.mark.parametrize("z, rho", UPPER_RHO)
def test_upper_density(z, rho):
    assert atm.us76(z).density == pytest.approx(rho, rel=1e-2)
    assert atm.density(z) == pytest.approx(rho, rel=1e-2)


@pytest.mark.parametrize("z, p", UPPER_P)
def test_upper_pressure(z, p):
    assert atm.us76(z).pressure == pytest.approx(p, rel=1e-2)


def test_upper_mean_molecular_weight():
    # M = rho R* T / p ties the three upper profiles together; the standard's M falls from
    # 28.96 to 3.94 kg/kmol at 1000 km (Table I), 14.33 at 500 km
    z = np.array([86e3, 500e3, 1000e3])
    s = atm.us76(z)
    m = s.density * atm.R_STAR * s.temperature / s.pressure
    np.testing.assert_allclose(m, [28.95, 14.33, 3.94], rtol=2e-3)


def test_hydrostatic_equilibrium_below_86_km():
    # dp/dz = -rho g(z), g = g0 (r0 / (r0 + z))^2: the defining equation, checked by differences
    z = np.random.default_rng(76).uniform(-5e3, 85.9e3, 400)
    dz = 0.5
    dpdz = (atm.us76(z + dz).pressure - atm.us76(z - dz).pressure) / (2 * dz)
    s = atm.us76(z)
    g = G0 * (R0 / (R0 + z)) ** 2
    np.testing.assert_allclose(dpdz, -s.density * g, rtol=1e-6)


def test_vectorized_shapes_and_scalars():
    z = np.linspace(0, 1e6, 12).reshape(3, 4)
    s = atm.us76(z)
    assert all(np.shape(f) == (3, 4) for f in s)
    assert atm.density(z).shape == (3, 4) and atm.speed_of_sound(z).shape == (3, 4)
    assert np.ndim(atm.us76(1000.0).density) == 0


def test_below_sea_level_extends_layer_0():
    s = atm.us76(-5000.0)
    # T_M = 288.15 - 6.5e-3 H with H = -5003.9 m'; Table I prints 320.676 K
    assert s.temperature == pytest.approx(320.676, abs=1e-3)
    assert s.density > atm.us76(0.0).density


def test_above_1000_km_continues_exponentially():
    rho = atm.us76(np.array([975e3, 1000e3, 1025e3, 1050e3])).density
    assert rho[2] / rho[1] == pytest.approx(rho[1] / rho[0], rel=1e-12)
    assert rho[3] / rho[2] == pytest.approx(rho[1] / rho[0], rel=1e-12)
    assert atm.density(1.05e6) == pytest.approx(rho[3], rel=1e-6)
    assert 0.0 <= atm.density(3.6e7) < 1e-60


def test_fast_density_matches_reference():
    z = np.concatenate([np.random.default_rng(1).uniform(0, 1e6, 200_000),
                        np.linspace(-5e3, 1e6, 100_001)])
    ref = atm.us76(z)
    assert np.abs(atm.density(z) / ref.density - 1).max() < 1e-3
    assert np.abs(atm.speed_of_sound(z) / ref.speed_of_sound - 1).max() < 1e-3


@settings(max_examples=300, deadline=None)
@given(z1=st.floats(-5e3, 2e6), dz=st.floats(1.0, 1e6))
def test_density_decreases_with_altitude(z1, dz):
    z = np.array([z1, z1 + dz])
    assert np.diff(atm.us76(z).density)[0] < 0
    assert np.diff(atm.density(z))[0] < 0
