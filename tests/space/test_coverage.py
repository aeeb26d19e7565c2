"""Coverage of a region by space sensors: single GEO, antipode, monotonic in satellites."""

from __future__ import annotations

import numpy as np
import pytest

from goldendome.physics import earth
from goldendome.physics.constants import MU_EARTH
from goldendome.sensors.space_ir import SpaceIRSensor
from goldendome.space import coverage

R_GEO = 42164e3
GEO = SpaceIRSensor("geo", "early-warning", ("swir",), (1e-11,), None, 50e6, 10.0, True)
T = np.arange(0.0, 86400.0, 600.0)


def _geo(lons_deg, t=T):
    lon = np.radians(np.atleast_1d(lons_deg))
    ecef = np.stack([R_GEO * np.cos(lon), R_GEO * np.sin(lon), 0 * lon], -1)
    return earth.ecef_to_eci(ecef[:, None, :], t[None, :])


def test_single_geo_subpoint_and_antipode():
    pts = earth.geodetic_to_ecef(np.zeros(2), np.radians([0.0, 180.0]), np.zeros(2))
    out = coverage.coverage_stats(_geo(0.0), T, pts, rules=GEO)
    assert out["fraction_seen_1"].tolist() == [1.0, 0.0]
    assert out["fraction_seen_2"].tolist() == [0.0, 0.0]
    assert out["longest_gap_s"].tolist() == [0.0, T.size * 600.0]
    assert out["mean_data_age_s"][0] == pytest.approx(GEO.revisit_s) and out["max_data_age_s"][1] == np.inf


def test_two_geo_give_stereo():
    pts = earth.geodetic_to_ecef(0.0, 0.0, 0.0)[None]
    out = coverage.coverage_stats(_geo([-20.0, 20.0]), T, pts, rules=GEO,
                                  min_baseline_angle_rad=np.radians(10.0))
    assert out["fraction_seen_2"][0] == 1.0
    out = coverage.coverage_stats(_geo([-20.0, 20.0]), T, pts, rules=GEO,
                                  min_baseline_angle_rad=np.radians(60.0))
    assert out["fraction_seen_2"][0] == 0.0


def test_leo_gaps_and_data_age():
    # one polar LEO satellite at 1,000 km passes over the equator point only now and then
    leo = SpaceIRSensor("leo", "tracking", ("mwir",), (1e-10,), np.radians(70), 5000e3, 5.0, True)
    t = np.arange(0.0, 86400.0, 60.0)
    r = earth.WGS84_A + 1000e3
    n = np.sqrt(MU_EARTH / r**3)
    pos = np.stack([r * np.cos(n * t), np.zeros_like(t), r * np.sin(n * t)], -1)[None]
    pts = earth.geodetic_to_ecef(0.0, 0.0, 0.0)[None]
    out = coverage.coverage_stats(pos, t, pts, rules=leo)
    assert 0.0 < out["fraction_seen_1"][0] < 0.5
    assert out["longest_gap_s"][0] > 3600.0
    assert out["max_data_age_s"][0] > out["mean_data_age_s"][0] >= leo.revisit_s


def test_region_points_in_disc():
    pts = coverage.region_points(np.radians(40.0), np.radians(-100.0), 500e3, 50)
    la, lo, alt = earth.ecef_to_geodetic(pts)
    d = earth.great_circle_distance(np.radians(40.0), np.radians(-100.0), la, lo)
    assert pts.shape == (50, 3) and np.all(d <= 500e3 * 1.001) and d.max() > 400e3
    assert np.allclose(alt, 0.0, atol=1e-3)


@pytest.mark.parametrize("seed", range(4))
def test_more_satellites_never_reduce_coverage(seed):
    rng = np.random.default_rng(seed)
    lons = rng.uniform(-180, 180, 4)
    pts = coverage.region_points(np.radians(rng.uniform(-60, 60)), np.radians(rng.uniform(-180, 180)), 2000e3, 20)
    t = T[::6]
    prev1 = prev2 = np.zeros(20)
    for k in range(1, 5):
        out = coverage.coverage_stats(_geo(lons[:k], t), t, pts, rules=GEO)
        assert np.all(out["fraction_seen_1"] >= prev1) and np.all(out["fraction_seen_2"] >= prev2)
        prev1, prev2 = out["fraction_seen_1"], out["fraction_seen_2"]
