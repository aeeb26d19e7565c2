"""Space IR sensors: occlusion geometry, radiometry, detection of a real boost, stereo, catalog."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from goldendome.scenario import threats as scen_threats
from goldendome.physics import earth
from goldendome.physics.constants import WGS84_A
from goldendome.sensors import space_ir as sir
from goldendome.threats.phases import Phase

R_GEO = 42164e3
CATALOG = Path(__file__).resolve().parents[2] / "src" / "goldendome" / "catalog"
GEO = sir.SpaceIRSensor("geo", "early-warning", ("swir", "mwir"), (1e-11, 1e-11), None, 50e6, 10.0, True)


def _geo_eci(lon_deg, t, theta0=0.0):
    lon = np.radians(np.atleast_1d(lon_deg))
    ecef = np.stack([R_GEO * np.cos(lon), R_GEO * np.sin(lon), 0 * lon], -1)
    return earth.ecef_to_eci(ecef[:, None, :], np.asarray(t)[None, :], theta0)


def test_pole_occlusion():
    rs = np.array([[[0, 0, 7000e3]]])
    north = earth.geodetic_to_ecef(np.pi / 2, 0, 100e3)
    south = earth.geodetic_to_ecef(-np.pi / 2, 0, 100e3)
    clear = sir.line_of_sight_clear(rs, np.stack([north, south])[:, None, :])
    assert clear.shape == (1, 2, 1)
    assert clear[0, 0, 0] and not clear[0, 1, 0]


@pytest.mark.parametrize("h_tan, expect", [(1e3, True), (-1e3, False), (50e3 + 1, True)])
def test_tangent_height_exact_on_sphere(h_tan, expect):
    # sensor and target symmetric about the tangent point at height h_tan on the x axis
    r_t = WGS84_A + h_tan
    rs = np.array([[[r_t, -8000e3, 0.0]]])
    rt = np.array([[[r_t, 8000e3, 0.0]]])
    assert sir.line_of_sight_clear(rs, rt)[0, 0, 0] == expect
    # 50 km grazing margin blocks a line passing 1 km above the sphere
    if h_tan == 1e3:
        assert not sir.line_of_sight_clear(rs, rt, grazing_altitude_m=50e3)[0, 0, 0]


def test_earth_background():
    rs = np.array([[[WGS84_A + 1000e3, 0, 0]]])
    below = np.array([[[WGS84_A + 100e3, 10e3, 0]]])  # nearly nadir: Earth behind
    above = np.array([[[WGS84_A + 800e3, 3000e3, 0]]])  # far off, high: space behind
    assert sir.earth_background(rs, below)[0, 0, 0]
    assert not sir.earth_background(rs, above)[0, 0, 0]


def test_irradiance_inverse_square():
    e1, e2 = sir.irradiance(1e12, 1e6), sir.irradiance(1e12, 2e6)
    assert e1 == pytest.approx(1.0) and e2 == pytest.approx(e1 / 4)
    assert sir.irradiance(1e12, 1e6, 0.5) == pytest.approx(0.5)


def test_band_fraction_and_cold_body():
    assert sir.band_fraction(5000.0, (1e-9, 1e-2)) == pytest.approx(1.0, abs=1e-4)
    # Wien peak at 2898 um K: a 300 K body emits mostly in lwir, a 2000 K skin in swir/mwir
    assert sir.band_fraction(300.0, "lwir") > 10 * sir.band_fraction(300.0, "mwir")
    i_rv = sir.target_intensity(np.array([2]), np.array(["rv"]), np.array([500e3]), np.array([7e3]), "lwir")[0]
    # eps sigma T^4 A / pi * f = 0.9 * 459.3 * 0.5 / pi * f
    assert i_rv == pytest.approx(0.9 * sir.SIGMA_SB * 300.0**4 * 0.5 / np.pi * sir.band_fraction(300.0, "lwir"))
    solid = sir.target_intensity(np.array([0]), np.array(["rv"]), np.array([50e3]), np.array([3e3]), "mwir")
    liquid = sir.target_intensity(np.array([0]), np.array(["rv"]), np.array([50e3]), np.array([3e3]), "mwir",
                                  np.array(["liquid"]))
    assert 1e5 <= liquid[0] < solid[0] <= 1e7


def test_glider_hot_skin():
    t_slow = sir.skin_temperature(40e3, 300.0)
    t_fast = sir.skin_temperature(40e3, 2000.0)
    assert t_slow == pytest.approx(250.0 + 300.0**2 / (2 * sir.CP_AIR), abs=5.0)
    assert t_fast > 1500.0 and sir.skin_temperature(40e3, 6000.0) == sir.SKIN_T_MAX_K


def test_geo_sees_plume_over_subsatellite_point_not_antipode():
    t = np.array([0.0])
    rs = _geo_eci(0.0, t)
    near = earth.geodetic_to_ecef(0.0, 0.0, 100e3)
    far = earth.geodetic_to_ecef(0.0, np.pi, 100e3)
    states = np.zeros((2, 1, 6))
    states[:, 0, :3] = np.stack([near, far])
    states[:, 0, 3:] = [0.0, 0.0, 3000.0]
    det = sir.detect(GEO, rs, states, np.zeros((2, 1), np.int8), np.array(["rv", "rv"]))
    assert det[0, :, 0].tolist() == [True, False]


@pytest.fixture(scope="module")
def boost():
    return scen_threats.fly_salvos([scen_threats.salvo("icbm-solid", "sohae", "seattle")])


def test_first_detection_during_boost(boost):
    rs = _geo_eci([150.0, -170.0], boost.t, boost.theta0)
    det = sir.detect(GEO, rs, boost.state, boost.phase, boost.objects["kind"])
    t_first = sir.first_detection(det, boost.t)[0]
    assert boost.objects["t_launch"][0] <= t_first < boost.objects["t_burnout"][0]
    assert boost.phase[0, np.searchsorted(boost.t, t_first)] == Phase.BOOST
    # a cold RV after burnout is invisible to swir/mwir GEO sensors
    assert not det[:, 0, boost.phase[0] == Phase.BALLISTIC].any()
    # stereo: two GEO sensors 40 deg apart give a ~40 deg baseline; one sensor never does
    t_st = sir.first_stereo(det, boost.t, rs, boost.state, np.radians(10.0))[0]
    assert t_first <= t_st < boost.objects["t_burnout"][0]
    assert np.isnan(sir.first_stereo(det[:1], boost.t, rs[:1], boost.state)[0])
    assert np.isnan(sir.first_stereo(det, boost.t, rs, boost.state, np.radians(60.0))[0])


def test_leo_tracker_sees_cold_rv_against_space(boost):
    leo = sir.SpaceIRSensor("leo", "tracking", ("mwir", "lwir"), (4e-10, 1e-12), np.radians(90), 5000e3, 5, True)
    k = int(np.argmax(boost.phase[0] == Phase.BALLISTIC)) + 600  # well into midcourse
    r = boost.state[0, k, :3]
    # a LEO sensor at 1,000 km, 25 deg of arc away, looking up at the RV against space
    up = r / np.linalg.norm(r)
    side = np.cross(up, [0, 0, 1.0])
    side /= np.linalg.norm(side)
    rs = ((WGS84_A + 1000e3) * (np.cos(np.radians(25)) * up + np.sin(np.radians(25)) * side))[None, None, :]
    assert not sir.earth_background(rs, r[None, None, :], 50e3)[0, 0, 0]
    det = sir.detect(leo, rs, boost.state[:, k:k + 1], boost.phase[:, k:k + 1], boost.objects["kind"])
    assert det[0, 0, 0]
    cold = leo.__class__(**{**leo.__dict__, "sensitivity_w_m2": (4e-10, 1e-9)})
    assert not sir.detect(cold, rs, boost.state[:, k:k + 1], boost.phase[:, k:k + 1], boost.objects["kind"])[0, 0, 0]


def _source_keys(value):
    head, _, note = value.partition("|")
    assert not note or note.strip().startswith("derived:"), value
    return [k.strip() for k in head.split(",") if k.strip()]


def test_catalog_sources_resolve_and_parse():
    doc = yaml.safe_load(open(CATALOG / "sensors.yaml", encoding="utf-8"))
    refs = {**yaml.safe_load(open(CATALOG / "references.yaml", encoding="utf-8")),
            **yaml.safe_load(open(CATALOG / "references_sensors.yaml", encoding="utf-8"))}
    assert set(doc["sensors"]) == {"opir-geo", "opir-heo", "tracking-leo", "tracking-meo"}
    for sid, entry in doc["sensors"].items():
        fields = {"orbit", *entry["sensor"]}
        assert fields <= set(entry["sources"]), (sid, fields - set(entry["sources"]))
        sensor = sir.sensor_from_entry(sid, entry)
        assert len(sensor.bands) == len(sensor.sensitivity_w_m2)
        assert set(sensor.bands) <= set(sir.BANDS)
    for src in [*(v for e in doc["sensors"].values() for v in e["sources"].values()),
                *doc["signatures"]["sources"].values()]:
        for key in _source_keys(src):
            assert key in refs, key
    sig = doc["signatures"]
    assert sig["plume_w_sr"] == sir.PLUME_W_SR and sig["skin_temperature_max_k"] == sir.SKIN_T_MAX_K
    for kind in ("rv", "decoy", "glider"):
        assert tuple(sig[kind].values()) == sir.BODIES[kind]


def test_band_fraction_table_matches_the_series():
    import numpy as np

    from goldendome.sensors import space_ir

    temps = np.random.default_rng(0).uniform(150.0, 2000.0, 5000)
    for band in space_ir.BANDS:
        fast = space_ir.band_fraction(temps, band)
        exact = space_ir.band_fraction_series(temps, band)
        assert np.max(np.abs(fast - exact) / exact) < 5e-3, band
