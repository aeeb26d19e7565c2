"""Frames and great circles against pymap3d, PROJ (pyproj) and closed-form facts."""

import numpy as np
import pymap3d
import pytest
from hypothesis import given, settings, strategies as st
from pyproj import Geod, Transformer

from goldendome.physics import earth
from goldendome.physics.constants import OMEGA_EARTH, R_MEAN, WGS84_A, WGS84_B

RNG = np.random.default_rng(20250127)
N = 2000


def _random_geodetic(n, alt_lo=-1e3, alt_hi=4.0e7):
    lat = RNG.uniform(-np.pi / 2, np.pi / 2, n)
    lat[:4] = [np.pi / 2, -np.pi / 2, 0.0, np.pi / 2 - 1e-12]
    lon = RNG.uniform(-np.pi, np.pi, n)
    alt = np.where(RNG.random(n) < 0.5, RNG.uniform(alt_lo, 1e5, n),
                   10 ** RNG.uniform(2, np.log10(alt_hi), n))
    return lat, lon, alt


def _check_roundtrip(lat, lon, alt):
    r = earth.geodetic_to_ecef(lat, lon, alt)
    lat2, lon2, alt2 = earth.ecef_to_geodetic(r)
    assert np.all(np.abs(alt2 - alt) < 1e-3)
    # latitude error expressed as metres along the meridian
    assert np.all(np.abs(lat2 - lat) * (earth.prime_vertical_radius(lat) + alt) < 1e-3)
    assert np.all(np.linalg.norm(earth.geodetic_to_ecef(lat2, lon2, alt2) - r, axis=-1) < 1e-3)


def test_geodetic_roundtrip_vectorized():
    _check_roundtrip(*_random_geodetic(N))


@settings(max_examples=200, deadline=None)
@given(
    lat=st.floats(-90.0, 90.0),
    lon=st.floats(-180.0, 180.0),
    alt=st.floats(-1e3, 4.0e7),
)
def test_geodetic_roundtrip_hypothesis(lat, lon, alt):
    _check_roundtrip(np.radians(lat), np.radians(lon), alt)


def test_known_points():
    r = earth.geodetic_to_ecef([0.0, np.pi / 2, 0.0], [0.0, 0.3, np.pi / 2], [0.0, 0.0, 100.0])
    np.testing.assert_allclose(r[0], [WGS84_A, 0, 0], atol=1e-9)
    np.testing.assert_allclose(r[1], [0, 0, WGS84_B], atol=1e-6)
    np.testing.assert_allclose(r[2], [0, WGS84_A + 100.0, 0], atol=1e-6)


def test_geodetic_to_ecef_vs_pymap3d_and_proj():
    lat, lon, alt = _random_geodetic(N)
    r = earth.geodetic_to_ecef(lat, lon, alt)
    ref = np.stack(pymap3d.geodetic2ecef(lat, lon, alt, deg=False), axis=-1)
    assert np.abs(r - ref).max() < 1e-3
    to_ecef = Transformer.from_crs("EPSG:4979", "EPSG:4978", always_xy=True)
    ref_proj = np.stack(to_ecef.transform(np.degrees(lon), np.degrees(lat), alt), axis=-1)
    assert np.abs(r - ref_proj).max() < 1e-3


def test_ecef_to_geodetic_vs_pymap3d_and_proj():
    # Both references iterate a fixed number of times tuned for the near-Earth region: above
    # ~1000 km pymap3d 3.2 drifts to ~2e-6 rad in latitude and PROJ to ~0.3 m in height at
    # GEO, so they are compared here from -1 km to 100 km; higher altitudes are covered by
    # the round trips against the forward transform, itself checked against both to 40,000 km.
    lat, lon, _ = _random_geodetic(N)
    lat[:4] = 0.3  # longitude is arbitrary at the poles; those are covered by round trips
    alt = RNG.uniform(-1e3, 1e5, N)
    r = earth.geodetic_to_ecef(lat, lon, alt)
    la, lo, h = earth.ecef_to_geodetic(r)
    la_ref, lo_ref, h_ref = pymap3d.ecef2geodetic(r[:, 0], r[:, 1], r[:, 2], deg=False)
    assert np.abs(h - h_ref).max() < 1e-3
    assert np.abs(la - la_ref).max() < 1e-9
    assert np.abs(np.angle(np.exp(1j * (lo - lo_ref)))).max() < 1e-9
    to_geo = Transformer.from_crs("EPSG:4978", "EPSG:4979", always_xy=True)
    lo_p, la_p, h_p = to_geo.transform(r[:, 0], r[:, 1], r[:, 2])
    assert np.abs(h - h_p).max() < 1e-3
    assert np.abs(la - np.radians(la_p)).max() < 1e-9


def test_altitude_matches_and_is_rotation_invariant():
    lat, lon, alt = _random_geodetic(N)
    r = earth.geodetic_to_ecef(lat, lon, alt)
    np.testing.assert_allclose(earth.altitude(r), alt, atol=1e-3)
    np.testing.assert_allclose(earth.altitude(earth.ecef_to_eci(r, 1234.5, 0.7)), alt, atol=1e-3)


def test_centre_region_is_finite():
    r = np.array([[0.0, 0.0, 0.0], [1e3, 0.0, 0.0], [0.0, 0.0, 1e3], [1e4, 0.0, 1.0]])
    out = np.stack(earth.ecef_to_geodetic(r))
    assert np.all(np.isfinite(out))
    assert np.all(np.isfinite(earth.altitude(r)))


def test_geocentric_latitude():
    lat = np.radians(45.0)
    r = earth.geodetic_to_ecef(lat, 0.0, 0.0)
    assert earth.geocentric_latitude(lat) == pytest.approx(np.arctan2(r[2], r[0]), abs=1e-14)
    assert earth.geodetic_latitude(earth.geocentric_latitude(lat)) == pytest.approx(lat, abs=1e-14)
    # about 11.5 arc-minutes at 45 deg (classical value, 0.1924 deg)
    assert np.degrees(lat - earth.geocentric_latitude(lat)) == pytest.approx(0.1924, abs=1e-4)


# --------------------------------------------------------------------------- ECI / ECEF


def test_era_and_sidereal_day():
    assert earth.era(0.0, 0.25) == 0.25
    assert earth.era(100.0, 0.25) == pytest.approx(0.25 + 7.292115e-3, rel=1e-15)
    # one turn of the nominal WGS84 rate takes 86164.1006 s (true sidereal day 86164.0905 s)
    turn = 2.0 * np.pi / OMEGA_EARTH
    assert turn == pytest.approx(86164.1006, abs=1e-3)
    r = np.array([WGS84_A, 1.0, 2.0])
    np.testing.assert_allclose(earth.ecef_to_eci(r, turn), r, atol=1e-6)
    np.testing.assert_allclose(earth.ecef_to_eci(r, turn / 2), -r * [1, 1, -1], atol=1e-6)


def test_quarter_turn_direction():
    t = (np.pi / 2) / OMEGA_EARTH
    np.testing.assert_allclose(earth.ecef_to_eci([1.0, 0.0, 0.0], t), [0.0, 1.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(earth.ecef_to_eci([1.0, 0.0, 0.0], 0.0, np.pi), [-1.0, 0, 0], atol=1e-12)


def test_position_roundtrip_broadcast():
    r = RNG.normal(size=(5, 7, 3)) * 7e6
    t = RNG.uniform(0, 1e5, size=(5, 7))
    back = earth.eci_to_ecef(earth.ecef_to_eci(r, t, 0.3), t, 0.3)
    np.testing.assert_allclose(back, r, atol=1e-6)
    assert earth.ecef_to_eci(r, 10.0).shape == (5, 7, 3)


def test_state_roundtrip():
    y = np.concatenate([RNG.normal(size=(100, 3)) * 7e6, RNG.normal(size=(100, 3)) * 7e3], axis=-1)
    t = RNG.uniform(0, 1e5, size=100)
    back = earth.eci_to_ecef_state(earth.ecef_to_eci_state(y, t, 1.1), t, 1.1)
    np.testing.assert_allclose(back, y, rtol=0, atol=1e-6)


@settings(max_examples=100, deadline=None)
@given(lat=st.floats(-90.0, 90.0), lon=st.floats(-180.0, 180.0), t=st.floats(0.0, 1e6))
def test_ground_point_inertial_speed(lat, lon, t):
    r = earth.geodetic_to_ecef(np.radians(lat), np.radians(lon), 0.0)
    y = earth.ecef_to_eci_state(np.concatenate([r, np.zeros(3)]), t)
    assert np.linalg.norm(y[3:]) == pytest.approx(OMEGA_EARTH * np.hypot(r[0], r[1]), abs=1e-9)


def test_equator_speed_value():
    y = earth.ecef_to_eci_state([WGS84_A, 0, 0, 0, 0, 0], 0.0)
    assert np.linalg.norm(y[3:]) == pytest.approx(465.10, abs=0.01)
    np.testing.assert_allclose(y[3:], [0.0, 465.1012, 0.0], atol=1e-3)  # eastward


def test_inertially_fixed_point_moves_west_in_ecef():
    y = earth.eci_to_ecef_state([WGS84_A, 0, 0, 0, 0, 0], 0.0)
    np.testing.assert_allclose(y[3:], [0.0, -OMEGA_EARTH * WGS84_A, 0.0], atol=1e-9)


# --------------------------------------------------------------------------- ENU / AER


def test_enu_basis_orthonormal_right_handed():
    lat, lon, _ = _random_geodetic(50)
    b = earth.enu_basis(lat, lon)
    np.testing.assert_allclose(b @ np.swapaxes(b, -1, -2), np.broadcast_to(np.eye(3), b.shape), atol=1e-14)
    np.testing.assert_allclose(np.linalg.det(b), 1.0, atol=1e-14)


def test_enu_vs_pymap3d_and_roundtrip():
    lat0, lon0, alt0 = np.radians(38.9), np.radians(-77.0), 120.0
    lat, lon, alt = _random_geodetic(N, alt_hi=2e6)
    r = earth.geodetic_to_ecef(lat, lon, alt)
    enu = earth.ecef_to_enu(r, lat0, lon0, alt0)
    ref = np.stack(pymap3d.ecef2enu(r[:, 0], r[:, 1], r[:, 2], lat0, lon0, alt0, deg=False), -1)
    assert np.abs(enu - ref).max() < 1e-3
    np.testing.assert_allclose(earth.enu_to_ecef(enu, lat0, lon0, alt0), r, rtol=0, atol=1e-6)


def test_aer_vs_pymap3d():
    lat_o = RNG.uniform(-1.5, 1.5, N)
    lon_o = RNG.uniform(-np.pi, np.pi, N)
    alt_o = RNG.uniform(-100.0, 3000.0, N)
    r_obs = earth.geodetic_to_ecef(lat_o, lon_o, alt_o)
    r_tgt = r_obs + RNG.normal(size=(N, 3)) * 1e6
    az, el, rng = earth.azimuth_elevation_range(r_obs, lat_o, lon_o, r_tgt)
    az_r, el_r, rng_r = pymap3d.ecef2aer(r_tgt[:, 0], r_tgt[:, 1], r_tgt[:, 2],
                                         lat_o, lon_o, alt_o, deg=False)
    assert np.abs(np.angle(np.exp(1j * (az - az_r)))).max() < 1e-9
    assert np.abs(el - el_r).max() < 1e-9
    assert np.abs(rng - rng_r).max() < 1e-3
    assert np.all((az >= 0) & (az < 2 * np.pi))


def test_aer_simple_geometry():
    # a target straight up and one due east along the local horizontal
    lat, lon = np.radians(30.0), np.radians(10.0)
    r0 = earth.geodetic_to_ecef(lat, lon, 0.0)
    up = earth.geodetic_to_ecef(lat, lon, 1000.0)
    az, el, rng = earth.azimuth_elevation_range(r0, lat, lon, up)
    assert el == pytest.approx(np.pi / 2) and rng == pytest.approx(1000.0)
    east = r0 + 500.0 * earth.enu_basis(lat, lon)[0]
    az, el, rng = earth.azimuth_elevation_range(r0, lat, lon, east)
    assert az == pytest.approx(np.pi / 2) and el == pytest.approx(0.0, abs=1e-12)


# --------------------------------------------------------------------------- great circles

SPHERE = Geod(a=R_MEAN, b=R_MEAN)


def _random_pairs(n):
    lat1, lat2 = RNG.uniform(-np.pi / 2, np.pi / 2, (2, n))
    lon1, lon2 = RNG.uniform(-np.pi, np.pi, (2, n))
    return lat1, lon1, lat2, lon2


def test_distance_and_azimuth_vs_geod():
    lat1, lon1, lat2, lon2 = _random_pairs(N)
    az_ref, _, d_ref = SPHERE.inv(*np.degrees([lon1, lat1, lon2, lat2]))
    d = earth.great_circle_distance(lat1, lon1, lat2, lon2)
    assert np.abs(d - d_ref).max() < 1.0
    az = earth.initial_azimuth(lat1, lon1, lat2, lon2)
    assert np.abs(np.angle(np.exp(1j * (az - np.radians(az_ref))))).max() < 1e-8
    np.testing.assert_allclose(earth.central_angle(lat1, lon1, lat2, lon2), d / R_MEAN)


def test_distance_special_cases():
    assert earth.great_circle_distance(0.3, 0.2, 0.3, 0.2) == 0.0
    assert earth.great_circle_distance(0.0, 0.0, 0.0, np.pi) == pytest.approx(np.pi * R_MEAN)
    assert earth.great_circle_distance(np.pi / 2, 0, -np.pi / 2, 1.0) == pytest.approx(np.pi * R_MEAN)
    # one degree of longitude on the equator
    assert earth.great_circle_distance(0, 0, 0, np.radians(1.0)) == pytest.approx(
        R_MEAN * np.pi / 180, rel=1e-12)
    assert earth.initial_azimuth(0.0, 0.0, 0.1, 0.0) == pytest.approx(0.0)
    assert earth.initial_azimuth(0.0, 0.0, 0.0, 0.1) == pytest.approx(np.pi / 2)


def test_destination_vs_geod_and_inverse():
    lat1, lon1, lat2, lon2 = _random_pairs(N)
    az = earth.initial_azimuth(lat1, lon1, lat2, lon2)
    d = earth.great_circle_distance(lat1, lon1, lat2, lon2)
    keep = (d > 1e3) & (d < np.pi * R_MEAN - 1e3)  # far from the antipode the path is unique
    la, lo = earth.destination(lat1, lon1, az, d)
    miss = earth.great_circle_distance(la, lo, lat2, lon2)
    assert miss[keep].max() < 1e-3
    lo_ref, la_ref, _ = SPHERE.fwd(np.degrees(lon1), np.degrees(lat1), np.degrees(az), d)
    miss_ref = earth.great_circle_distance(la, lo, np.radians(la_ref), np.radians(lo_ref))
    assert miss_ref.max() < 1e-2
    assert np.all(np.abs(lo) <= np.pi)


@settings(max_examples=200, deadline=None)
@given(
    lat=st.floats(-89.9, 89.9), lon=st.floats(-180.0, 180.0),
    az=st.floats(0.0, 360.0), dist=st.floats(1e3, 19.9e6),
)
def test_destination_distance_azimuth_hypothesis(lat, lon, az, dist):
    lat, lon, az = np.radians([lat, lon, az])
    la, lo = earth.destination(lat, lon, az, dist)
    assert earth.great_circle_distance(lat, lon, la, lo) == pytest.approx(dist, abs=1e-3)
    az_back = earth.initial_azimuth(lat, lon, la, lo)
    assert abs(np.angle(np.exp(1j * (az_back - az)))) < 1e-6


def test_destination_from_pole_goes_south():
    la, lo = earth.destination(np.pi / 2, 0.0, 0.0, 1000e3)
    assert la == pytest.approx(np.pi / 2 - 1000e3 / R_MEAN)
    assert lo == pytest.approx(np.pi)  # "north" at the pole with lon 0 points along lon 180
