"""Per-track motion: air-breathing (constant velocity) or ballistic (J2 gravity), fixed at a
track's first update (tracking.motion.air_breathing)."""

import numpy as np
import pytest

from goldendome.physics import earth
from goldendome.physics.constants import OMEGA_EARTH
from goldendome.sensors.detections import Detections
from goldendome.tracking import quality, tracker
from goldendome.tracking.tracker import TrackerParams

LAT, LON = np.radians(38.0), np.radians(-74.0)


def eci_estimate(alt_m, speed, climb_deg, azimuth_deg=270.0):
    """ECI position and velocity (1, 3) at (LAT, LON, alt_m), t = 0, moving at ``speed`` m/s
    relative to the Earth with the given climb (flight-path angle) and azimuth."""
    r = earth.geodetic_to_ecef(LAT, LON, alt_m)
    e, n, u = earth.enu_basis(LAT, LON)[..., :, :]  # rows: east, north, up
    c, a = np.radians(climb_deg), np.radians(azimuth_deg)
    v_rel = speed * (np.cos(c) * (np.sin(a) * e + np.cos(a) * n) + np.sin(c) * u)
    v = v_rel + np.cross([0.0, 0.0, OMEGA_EARTH], r)  # ECEF = ECI at t = 0
    return r[None], v[None]


@pytest.mark.parametrize("alt_m, speed, climb_deg, air", [
    (50.0, 250.0, 0.0, True),  # subsonic cruise missile, level
    (15e3, 800.0, -3.0, True),  # supersonic cruise missile, gentle dive
    (20e3, 900.0, 40.0, False),  # ICBM first seen climbing at 40 deg
    (20e3, 3000.0, -30.0, False),  # re-entry vehicle
    (20e3, 3000.0, 0.0, False),  # ... even if level (a glider)
    (30e3, 250.0, 0.0, False),  # above 25 km
    (5e3, 900.0, 12.0, False),  # climbing steeper than 10 deg
])
def test_motion_classification(alt_m, speed, climb_deg, air):
    r, v = eci_estimate(alt_m, speed, climb_deg)
    assert tracker.air_breathing(r, v).tolist() == [air]


def test_classification_is_earth_relative():
    """A westbound level cruise missile's ECI speed is its airspeed minus ~360 m/s, an
    eastbound one's plus: both are air-breathing, and Earth rotation adds no climb."""
    for az in (90.0, 270.0, 0.0):
        r, v = eci_estimate(50.0, 1100.0, 5.0, az)
        assert tracker.air_breathing(r, v).tolist() == [True]


def cruise_truth(t, speed=250.0, alt_m=50.0, azimuth_deg=250.0):
    """(1, T, 6) ECI states of a missile flying a great circle at constant altitude and speed."""
    def pos(tt):
        lat, lon = earth.destination(LAT, LON, np.radians(azimuth_deg), speed * tt)
        return earth.ecef_to_eci(earth.geodetic_to_ecef(lat, lon, np.full_like(tt, alt_m)), tt)
    r = pos(t)
    v = (pos(t + 0.5) - pos(t - 0.5)) / 1.0
    return np.concatenate([r, v], axis=1)[None]


@pytest.fixture(scope="module")
def cruise():
    t = 5.0 * np.arange(120)  # 10 minutes, one radar look every 5 s
    truth = cruise_truth(t)
    k, sigma = len(t), 30.0  # radar position noise per axis, m
    z = truth[0, :, :3] + np.random.default_rng(4).normal(scale=sigma, size=(k, 3))
    dets = Detections(t, t + 1.0, np.zeros(k, int), z, np.broadcast_to(sigma**2 * np.eye(3), (k, 3, 3)).copy(),
                      np.full(k, 100.0), np.zeros(k, int))
    return t, truth, dets


def score(st, t, truth):
    ht, ids, x, _ = st.histories()
    _, track_obj = quality.truth_match(ht, ids, x, t, truth)
    pos, vel = quality.rmse(ht, ids, x, t, truth, track_obj, mask=ht >= st.firm_t[ids] + 30.0)
    return np.flatnonzero(st.ever_firm), pos, vel


def test_level_cruise_missile_keeps_one_firm_track(cruise):
    t, truth, dets = cruise
    st = tracker.track_all(dets, TrackerParams(), scan_s=10.0)
    firm, pos, vel = score(st, t, truth)
    assert len(firm) == 1, f"{len(firm)} firm tracks on one missile"
    assert not st.ballistic[firm[0]] and st.motion_set[firm[0]]
    assert st.firm_t[firm[0]] <= 30.0
    assert pos[firm[0]] < 50.0 and vel[firm[0]] < 5.0  # measured 40 m, 3.3 m/s; PAC-3 fire control asks 100 m, 10 m/s


def test_all_ballistic_tracker_loses_the_cruise_missile(cruise):
    """The same missile with every track ballistic (the tracker before per-track motion)."""
    t, truth, dets = cruise
    st = tracker.track_all(dets, TrackerParams(motion="ballistic"), scan_s=10.0)
    firm, pos, _ = score(st, t, truth)
    assert st.ballistic.all()
    assert len(firm) > 10 and not np.any(pos[firm] < 100.0)  # measured 21 firm tracks, RMSE > 8 km
