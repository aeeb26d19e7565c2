"""The replay artifact's globe layers: satellites, radar coverage, interceptor fly-outs (issue 7)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from goldendome.scenario import space as scenario_space
from goldendome.study import replay_layers
from goldendome.app import run as app_run
from goldendome.scenario import load
from goldendome.space import sizing
from goldendome.web import czml

DEMO = Path(__file__).resolve().parents[2] / "scenarios" / "nk-salvo-vs-medium.yaml"


@pytest.fixture(scope="module")
def demo():
    """The demo scenario (medium architecture: space-IR layers, 1,600 SBIs, radars, batteries), 100 trials."""
    sc = load.load(DEMO).model_copy(update={"trials": 100})
    _, _, arts = app_run.evaluate_full(sc, replay=True)
    return sc, arts["replay"]


def test_satellite_layers_match_the_constellations(demo):
    sc, rep = demo
    layers = {s["layer"]: s for s in rep["satellites"]}
    space = [s.type for s in sc.architecture.sensors if s.kind == "space-ir"]
    assert set(space) <= set(layers) and any(s["type"] == "sbi" for s in rep["satellites"])
    n_t = math.ceil(len(rep["t_s"]) / replay_layers.SAT_EVERY)
    for name, s in layers.items():
        count = (scenario_space.constellation(name)[1].n if s["type"] == "space-ir"
                 else int(np.prod(sizing.walker_shape(1600))))
        assert s["count"] == count and s["drawn"] == min(count, replay_layers.MAX_DRAWN)
        lat = np.array(s["paths"]["lat_deg"], float)
        assert lat.shape == (s["drawn"], n_t) and np.isfinite(lat).all()
        assert np.abs(lat).max() <= s["inclination_deg"] + 0.5  # geodetic vs geocentric latitude
        alt = np.array(s["paths"]["alt_km"], float)
        assert alt.min() > 150.0


def test_engagements_fly_inside_the_objects_flight(demo):
    _, rep = demo
    killed = {o["id"] for o in rep["objects"] if (o["p_killed"] or 0) >= replay_layers.P_KILLED_MIN}
    eng = rep["engagements"]
    # A boost-phase kill kills the whole missile: one engagement (on its lead object) draws it.
    boosted = {rep["objects"][e["object"]]["salvo"] for e in eng if e["layer"] == "boost"}
    drawn_alone = {n for n in killed if rep["objects"][n]["salvo"] not in boosted}
    assert eng and {e["object"] for e in eng} <= killed
    assert len({e["object"] for e in eng} & drawn_alone) >= 0.8 * len(drawn_alone) - 1e-9
    for e in eng:
        o = rep["objects"][e["object"]]
        assert e["launch_s"] < e["intercept_s"]
        assert o["t_launch_s"] - 1e-6 <= e["intercept_s"] <= o["t_end_s"] + 1e-6
        assert -90 <= e["intercept_lat_deg"] <= 90 and e["intercept_alt_km"] > 0
        assert e["site_lat_deg"] is not None  # batteries, or the nearest drawn SBI at launch
    assert any(e["type"] == "sbi" and e["site_alt_km"] > 150 for e in eng)


def test_radar_fans_include_organic_radars(demo):
    sc, rep = demo
    radars = [s for s in rep["sensors"] if s["kind"] == "radar"]
    listed = [s for s in sc.architecture.sensors if s.kind == "radar"]
    assert len([r for r in radars if not r["organic"]]) == len(listed) and any(r["organic"] for r in radars)
    for r in radars:
        assert r["max_range_km"] > 0 and r["faces_az_deg"] and 0 < r["fov_az_half_deg"] <= 180
    fans = czml.coverage(rep)
    assert len(fans) == len(radars) and all(ring for f in fans for ring in f["rings"])


def test_scene_and_czml_draw_the_new_layers(demo):
    _, rep = demo
    sc = czml.scene(rep)
    assert len(sc["satellites"]) == sum(s["drawn"] for s in rep["satellites"])
    assert sc["coverage"] and len(sc["flyouts"]) == len(rep["engagements"])
    f = sc["flyouts"][0]
    assert len(f["pos"]) == 3 * czml.FLYOUT_POINTS
    doc = czml.czml(rep)
    for prefix in ("satellite-", "coverage-", "flyout-"):
        assert any(p["id"].startswith(prefix) for p in doc), prefix


def test_replays_without_the_new_layers_still_play(demo):
    _, rep = demo
    old = {k: v for k, v in rep.items() if k not in ("satellites", "engagements")}
    old["sensors"] = [{k: v for k, v in s.items() if k in ("name", "kind", "type", "lat_deg", "lon_deg")}
                      for s in rep["sensors"]]
    sc = czml.scene(old)
    assert sc["satellites"] == [] and sc["coverage"] == [] and sc["flyouts"] == []
    assert len(sc["objects"]) == len(rep["objects"]) and len(czml.czml(old)) > 1


def test_coverage_arcs_merge_adjoining_faces():
    assert czml._arcs([0.0, 120.0], 60.0) == [(300.0, 240.0)]
    assert czml._arcs([45.0, 135.0, 225.0, 315.0], 45.0) is None
    rings = czml._fans(40.0, -100.0, [0.0], 60.0, 1000.0)
    assert len(rings) == 1 and rings[0][:2] == [-100.0, 40.0]


def test_report_map_draws_flyouts_when_the_replay_has_them(demo):
    from goldendome.report import figures

    _, rep = demo
    names = [t.name for t in figures.map_figure(rep).data]
    assert "interceptor fly-outs (representative)" in names
    old = {k: v for k, v in rep.items() if k != "engagements"}
    assert "interceptor fly-outs (representative)" not in [t.name for t in figures.map_figure(old).data]
