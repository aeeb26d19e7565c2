"""Ground and sea radars (sensors/radar.py, catalog/radars.yaml)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import yaml

from goldendome.physics import earth
from goldendome.scenario import catalog
from goldendome.scenario import radars
from goldendome.scenario.radars import radar_from_entry
from goldendome.sensors import radar as R

CATALOG = Path(R.__file__).resolve().parents[1] / "catalog"
DOC = yaml.safe_load((CATALOG / "radars.yaml").read_text(encoding="utf-8"))
RADARS = DOC["radars"]
REFS = catalog.all_references()


def make_traj(pos_ecef, kind="rv", phase=2, t=(0.0,)):
    """Objects fixed in the Earth frame at pos_ecef (N, 3) over times t (theta0 = 0)."""
    pos = np.atleast_2d(np.asarray(pos_ecef, float))
    t = np.asarray(t, float)
    n = len(pos)
    r_eci = earth.ecef_to_eci(np.repeat(pos[:, None], len(t), 1), t[None, :])
    state = np.concatenate([r_eci, np.zeros_like(r_eci)], axis=-1)
    return SimpleNamespace(t=t, state=state, phase=np.full((n, len(t)), phase, np.int8),
                           objects={"kind": np.full(n, kind, dtype=object), "missile": np.arange(n)}, theta0=0.0)


def generic(**over):
    entry = dict(RADARS["generic-radar"], **over)
    return radar_from_entry("generic-radar", entry, site=(0.0, 0.0, 0.0))


def equator_point(angle, alt):
    """ECEF point over the equator at longitude ``angle`` rad, altitude alt m (exact geodetic)."""
    return (earth.WGS84_A + alt) * np.array([np.cos(angle), np.sin(angle), 0.0])


# --- radar equation ----------------------------------------------------------------------------

def test_sixteen_times_rcs_doubles_detection_range():
    r = generic()
    assert R.detection_range(r, 16.0) == pytest.approx(2.0 * R.detection_range(r, 1.0), rel=1e-12)
    assert R.snr(r, R.detection_range(r, 0.3), 0.3) == pytest.approx(r.ref_snr)
    # and through observe: an overhead RV just inside / outside its detection range
    r = generic(ref_range_km=200.0, ref_rcs_m2=0.01, max_range_km=5000.0)  # S band: RV 0.01 m^2
    for rcs_scale, kind, phase in ((1.0, "rv", 2), (1000.0, "rv", 0)):
        rd = R.detection_range(r, 0.01 * rcs_scale)
        traj = make_traj([equator_point(0.0, 0.99 * rd), equator_point(0.0, 1.01 * rd)], kind, phase)
        det = R.observe([r], traj, np.random.default_rng(0))
        assert sorted(det.truth.tolist()) == [0], (kind, phase, rd)


def test_rcs_by_kind_phase_and_band():
    out = R.rcs(np.array(["rv", "decoy", "glider", "cruise", "rv", "rv", "rv", "cruise"]),
                np.array([2, 2, 3, 6, 0, 1, 5, 0]))
    assert out.tolist() == [0.01, 0.01, 0.1, 0.5, 10.0, 1.0, 0.0, 1.0]
    assert R.rcs("rv", 2, "UHF") == pytest.approx(0.1)
    assert R.rcs("rv", 0, "UHF") == pytest.approx(10.0)  # the booster is not resonant


def test_swerling_one_pd_is_about_half_at_threshold():
    r = generic()
    assert R.probability_of_detection(r, r.ref_snr, "swerling1") == pytest.approx(0.52, abs=0.02)
    assert R.probability_of_detection(r, np.array([19.9, 20.0]), "threshold").tolist() == [0.0, 1.0]


# --- geometry ----------------------------------------------------------------------------------

def test_refraction_lifts_a_space_object_past_the_geometric_horizon_but_not_to_the_4_3_earth_one():
    # a 100 km target: geometric horizon 1,129 km of ground; the 4/3-Earth one would be
    # sqrt(2 k a h) = 1,304 km, but a ray from the ground bends at most by the whole atmosphere's
    # refraction (~0.5 deg at the horizon), which lifts the target ~0.5 deg: ~5 % beyond 1,129 km
    h, a = 100e3, earth.WGS84_A
    theta_h = np.arccos(a / (a + h))  # geometric, exact over the equator (a circle)
    assert 1100e3 < a * theta_h < 1150e3
    assert a * theta_h == pytest.approx(np.sqrt(2 * a * h), rel=0.02)
    r = generic(ref_range_km=1e5, max_range_km=1e5)
    traj = make_traj([equator_point(1.03 * theta_h, h), equator_point(1.10 * theta_h, h),
                      equator_point(-0.5 * theta_h, h)], "rv", 2)
    det = R.observe([r], traj, np.random.default_rng(0))
    assert sorted(det.truth.tolist()) == [0, 2]


def test_target_behind_a_single_face_tpy2_is_not_seen():
    r = radar_from_entry("tpy2", RADARS["tpy2"], "shariki")
    assert len(r.faces_az_rad) == 1
    pts = []
    for az in (r.faces_az_rad[0], r.faces_az_rad[0] + np.pi, r.faces_az_rad[0] + np.radians(70)):
        lat, lon = earth.destination(r.lat_rad, r.lon_rad, az, 500e3)
        pts.append(earth.geodetic_to_ecef(lat, lon, 200e3))
    det = R.observe([r], make_traj(pts, "rv", 0), np.random.default_rng(0))  # boosters: 10 m^2
    assert np.unique(det.truth[det.truth >= 0]).tolist() == [0]


# --- noise -------------------------------------------------------------------------------------

def test_noise_statistics_match_reported_covariance():
    # ~420 km slant range: r sigma_angle^2 << sigma_r, where the linearized converted
    # measurement is consistent (Bar-Shalom et al. 2001, sec. 10.4); see observe() Notes.
    r = dataclasses.replace(radar_from_entry("uewr", RADARS["uewr"], "beale"), false_alarms_per_scan=0.0)
    az = r.faces_az_rad[0]
    lat, lon = earth.destination(r.lat_rad, r.lon_rad, az, 300e3)
    n = 20000
    traj = make_traj(np.repeat(earth.geodetic_to_ecef(lat, lon, 300e3)[None], n, 0), "rv", 2)
    det = R.observe([r], traj, np.random.default_rng(3))
    assert len(det) == n and np.all(det.truth >= 0)
    err = det.z - traj.state[det.truth, 0, :3]
    nees = np.einsum("ki,kij,kj->k", err, np.linalg.inv(det.R), err)
    assert nees.mean() == pytest.approx(3.0, abs=0.15)
    L = np.linalg.cholesky(det.R.mean(axis=0))
    white = np.linalg.solve(L, err.T)
    np.testing.assert_allclose(np.cov(white), np.eye(3), atol=0.05)
    assert np.abs(white.mean(axis=1)).max() < 0.05


def test_false_alarms_are_poisson_in_field_of_view_and_range():
    r = generic(false_alarms_per_scan=2.0, revisit_s=1.0, fov_az_half_deg=40.0, faces_az_deg=[90.0],
                min_el_deg=5.0, fov_el_max_deg=60.0)
    traj = make_traj([equator_point(0.0, 0.0)], "rv", 7, t=np.arange(1000.0))
    traj.state[:] = np.nan
    det = R.observe([r], traj, np.random.default_rng(5), latency_s=2.5)
    n_fa = int((det.truth == -1).sum())
    assert len(det) == n_fa
    assert abs(n_fa - 2000) < 4 * np.sqrt(2000)
    site = earth.geodetic_to_ecef(r.lat_rad, r.lon_rad, r.alt_m)
    a, e, rng_m = earth.azimuth_elevation_range(site, r.lat_rad, r.lon_rad, earth.eci_to_ecef(det.z, det.t))
    assert np.all(rng_m <= r.max_range_m + 100.0)
    assert np.all(np.abs(np.degrees(a) - 90.0) < 41.0) and np.all(np.degrees(e) > 4.0)
    assert np.all(np.diff(det.t) >= 0) and np.allclose(det.arrival, det.t + 2.5)


# --- a real salvo --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def salvo():
    from goldendome.scenario import threats as scen_threats
    return scen_threats.fly_salvos([scen_threats.salvo("icbm-solid", "sohae", "seattle", count=2, decoys=2)], seed=0, dt_out=1.0)


def _ranges(det, s, r, traj):
    m = (det.sensor == s) & (det.truth >= 0)
    site = earth.geodetic_to_ecef(r.lat_rad, r.lon_rad, r.alt_m)
    rng_m = np.linalg.norm(earth.eci_to_ecef(det.z[m], det.t[m], traj.theta0) - site, axis=1)
    idx = np.clip(np.searchsorted(traj.t, det.t[m]), 0, len(traj.t) - 1)
    return rng_m, traj.phase[det.truth[m], idx]


def test_icbm_seen_by_lrdr_beale_uewr_and_forward_tpy2(salvo):
    radars = [radar_from_entry("lrdr", RADARS["lrdr"]), radar_from_entry("uewr", RADARS["uewr"], "beale"),
              radar_from_entry("tpy2", RADARS["tpy2"], "shariki")]
    det = R.observe(radars, salvo, np.random.default_rng(1))
    rng_l, ph_l = _ranges(det, 0, radars[0], salvo)
    assert len(rng_l) > 100 and np.all(ph_l == 2)  # midcourse, ~1,200-3,000 km from Clear
    assert 900e3 < rng_l.min() and rng_l.max() <= 3000e3 * 1.01
    assert set(det.truth[(det.sensor == 0)].tolist()) >= set(range(6))  # every RV and decoy
    rng_b, ph_b = _ranges(det, 1, radars[1], salvo)
    assert len(rng_b) > 10 and np.all(np.isin(ph_b, (2, 4)))  # late midcourse, ~1,300-1,750 km
    assert 1000e3 < rng_b.min() and rng_b.max() < 1800e3
    rng_t, ph_t = _ranges(det, 2, radars[2], salvo)
    assert np.any(ph_t == 0) and 800e3 < rng_t.min() < 1300e3  # booster seen in boost from Japan
    boost_truth = det.truth[(det.sensor == 2) & (det.truth >= 0)]
    assert set(boost_truth.tolist()) == {0, 3}  # one target per booster, not one per payload


# --- catalog and input errors ---------------------------------------------------------------------

def test_catalog_sources_resolve_and_every_site_builds():
    for rid, entry in RADARS.items():
        for field in radars._FIELDS:
            assert field in entry["sources"], (rid, field)
        for text in list(entry["sources"].values()) + [s["source"] for s in (entry["sites"] or {}).values()]:
            head, _, note = text.partition("|")
            assert not note or note.strip().startswith("derived:"), text
            if not head.strip().startswith("derived:"):
                for key in (k.strip() for k in head.split(",")):
                    assert re.match(r"^[a-z0-9][a-z0-9-]*$", key) and key in REFS, (rid, key)
        for site in entry["sites"] or [(10.0, 20.0)]:
            R.validate(radar_from_entry(rid, entry, site))
    rc = DOC["rcs"]
    assert R.RCS_KIND_M2 == {"rv": rc["rv_m2"], "decoy": rc["decoy_m2"], "glider": rc["glider_m2"],
                             "cruise": rc["cruise_m2"]}
    assert (R.RCS_BOOST_M2, R.RCS_POST_BOOST_M2, R.RCS_CRUISE_BOOST_M2) == (
        rc["boost_m2"], rc["post_boost_m2"], rc["cruise_boost_m2"])
    assert R.SMALL_BODY_BAND_FACTOR == rc["small_body_band_factor"]


@pytest.mark.parametrize("change, words", [
    ({"alt_m": -1000.0}, "inside the Earth"),
    ({"sigma_r_floor_m": -1.0}, "negative noise"),
    ({"kind": "sonar"}, "unknown sensor type"),
    ({"band": "Q"}, "unknown band"),
    ({"revisit_s": 0.0}, "revisit_s"),
    ({"faces_az_rad": ()}, "face"),
    ({"min_el_rad": 1.0, "fov_el_max_rad": 0.5}, "elevation"),
])
def test_bad_radar_raises_one_line_value_error(change, words):
    bad = dataclasses.replace(generic(), **change)
    with pytest.raises(ValueError, match=words) as exc:
        R.validate(bad)
    assert "\n" not in str(exc.value)


def test_bad_catalog_input_raises_value_error():
    with pytest.raises(ValueError, match="unknown site"):
        radar_from_entry("tpy2", RADARS["tpy2"], "atlantis")
    with pytest.raises(ValueError, match="no catalog site"):
        radar_from_entry("generic-radar", RADARS["generic-radar"])
    with pytest.raises(ValueError, match="lacks"):
        radar_from_entry("x", {"kind": "generic"}, (0, 0))
    with pytest.raises(ValueError, match="inside the Earth"):
        radar_from_entry("generic-radar", RADARS["generic-radar"], (0.0, 0.0, -2000.0))
    with pytest.raises(ValueError, match="detection model"):
        R.observe([generic()], make_traj([equator_point(0, 1e5)]), np.random.default_rng(0), pd_model="magic")


def test_the_scenario_edge_turns_bad_radar_values_into_one_input_error_line():
    from goldendome.errors import InputError

    with pytest.raises(InputError, match="not a number") as exc:
        radar_from_entry("lrdr", {**RADARS["lrdr"], "ref_range_km": "lots"})
    with pytest.raises(InputError, match="inside the Earth"):  # the domain's ValueError, as an InputError
        radar_from_entry("generic-radar", RADARS["generic-radar"], (0.0, 0.0, -2000.0))
    assert "\n" not in str(exc.value)


def _airborne(alt_m=9000.0):
    entry = catalog.entry("radars.yaml", "radars", "e7-mesa")
    return radar_from_entry("e7-mesa", entry, (37.5, -72.5, alt_m))


@pytest.mark.parametrize("target_alt_m, inside_km, beyond_km", [(50.0, 380.0, 420.0), (0.0, 380.0, 400.0)],
                         ids=["sea-skimmer", "surface"])
def test_airborne_radar_looks_down_to_its_4_3_earth_horizon(target_alt_m, inside_km, beyond_km):
    # 4/3 Earth horizon: sqrt(2 k R h_s) + sqrt(2 k R h_t) = 391 km (9 km) + 29 km (50 m) = 420 km.
    r = _airborne()
    kr = R.EFFECTIVE_EARTH_K * earth.R_MEAN
    horizon_km = (np.sqrt(2 * kr * 9000.0) + np.sqrt(2 * kr * target_alt_m)) / 1e3
    assert inside_km < horizon_km < beyond_km + 1.0
    site = earth.geodetic_to_ecef(r.lat_rad, r.lon_rad, r.alt_m)
    for d_km, seen in ((inside_km, True), (beyond_km + 2.0, False)):
        lat, lon = earth.destination(r.lat_rad, r.lon_rad, np.radians(90.0), d_km * 1e3)
        az, el, rng = earth.azimuth_elevation_range(site, r.lat_rad, r.lon_rad,
                                                   earth.geodetic_to_ecef(lat, lon, target_alt_m))
        assert el < 0  # below the local horizontal: before the horizon test, min_el hid it or let it through
        assert bool(R.in_coverage(r, az, el, rng)) is seen, d_km


def _covered(r, d_km, target_alt_m):
    site = earth.geodetic_to_ecef(r.lat_rad, r.lon_rad, r.alt_m)
    lat, lon = earth.destination(r.lat_rad, r.lon_rad, r.faces_az_rad[0], d_km * 1e3)
    az, el, rng = earth.azimuth_elevation_range(site, r.lat_rad, r.lon_rad,
                                               earth.geodetic_to_ecef(lat, lon, target_alt_m))
    return bool(R.in_coverage(r, az, el, rng))


@pytest.mark.parametrize("rid, mast_m", [("mpq65", 10.0), ("mpq65", 20.0), ("spy6", 25.0)])
def test_surface_radar_sees_a_cruise_missile_to_its_4_3_earth_horizon(rid, mast_m):
    # independent: horizon distance sqrt(2 k R h_s) + sqrt(2 k R h_t): 42.2 km (10 m), 47.6 km (20 m), 49.8 km (25 m)
    r = radar_from_entry(rid, catalog.entry("radars.yaml", "radars", rid), (30.8, -81.6, mast_m))
    kr = R.EFFECTIVE_EARTH_K * earth.R_MEAN
    horizon_km = (np.sqrt(2 * kr * mast_m) + np.sqrt(2 * kr * 50.0)) / 1e3
    assert _covered(r, horizon_km - 0.5, 50.0) and not _covered(r, horizon_km + 0.5, 50.0)


def test_a_higher_mast_sees_further():
    entry = catalog.entry("radars.yaml", "radars", "mpq65")
    low, high = (radar_from_entry("mpq65", entry, (30.8, -81.6, h)) for h in (10.0, 30.0))
    assert not _covered(low, 45.0, 50.0) and _covered(high, 45.0, 50.0)


def test_refracted_elevation_against_the_flat_earth_approximation():
    # small angles: apparent elevation ~ (h_t - h_s) / d - d / (2 k R) (Skolnik 2001, ch. 8); within 2 urad at 20 km
    hs, ht, d = 10.0, 300.0, 20e3
    r = R_E = earth.R_MEAN
    theta = d / R_E
    x, y = (R_E + ht) * np.sin(theta), (R_E + ht) * np.cos(theta) - (R_E + hs)
    el, rng = np.arctan2(y, x), np.hypot(x, y)
    approx = (ht - hs) / d - d / (2 * R.EFFECTIVE_EARTH_K * r)
    assert R.refracted_elevation(hs, el, rng) == pytest.approx(approx, abs=2e-6)
    assert R.refracted_elevation(hs, el, rng) > el  # refraction lifts low targets
    assert R.horizon_dip(25.0) == pytest.approx(np.sqrt(2 * 25.0 / (R.EFFECTIVE_EARTH_K * r)), rel=1e-4)
