"""`goldendome track` on the example scenario: detection, custody, fire control, discrimination."""

import json
import subprocess
import sys

import numpy as np
import pytest

from goldendome.app import track as app_track

SCENARIO = "scenarios/nk-salvo-tracking.yaml"


@pytest.fixture(scope="module")
def out():
    return app_track.track(SCENARIO)


def test_every_rv_detected_in_boost_and_firmly_tracked(out):
    rvs = [o for o in out["objects"] if o["kind"] == "rv"]
    assert len(rvs) == 3
    for o in rvs:
        assert 15.0 <= o["first_detect_s"] <= 60.0  # after the 8 km cloud tops, well before burnout (~166 s)
        assert o["firm_track_s"] is not None and o["tracks"] >= 1


def test_fire_control_thresholds_nest(out):
    order = ["sbi", "gbi", "thaad", "pac3-mse"]  # loosest to tightest catalog thresholds
    for o in out["objects"]:
        times = [o["fire_control_from_s"][k] for k in order]
        known = [t for t in times if t is not None]
        assert known == sorted(known)


def test_discrimination_separates_rvs_from_decoys_on_average(out):
    rv = np.mean([o["discrimination"] for o in out["objects"] if o["kind"] == "rv"])
    decoy = np.mean([o["discrimination"] for o in out["objects"] if o["kind"] == "decoy" and o["tracks"]])
    assert rv > 0.5 > decoy


def test_sensor_summary_one_row_per_layer_and_radar(out):
    names = [s["sensor"] for s in out["sensors"]]
    assert names[:2] == ["opir-geo", "tracking-leo"] and len(names) == 5
    assert all(s["detections"] > 0 for s in out["sensors"])


def test_same_scenario_same_json(out):
    again = app_track.track(SCENARIO)
    assert json.dumps(again, sort_keys=True) == json.dumps(out, sort_keys=True)


def test_track_cli_bad_scenario_one_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(open(SCENARIO).read().replace("count: 3", "count: -3"))
    p = subprocess.run([sys.executable, "-c", "from goldendome.cli import main; main()", "track", str(bad), "--json"],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 2 and p.stdout == "" and len(p.stderr.strip().splitlines()) == 1
    assert "threats[0].count" in p.stderr and "bad.yaml:" in p.stderr


def test_every_rv_reaches_gbi_fire_control_quality_in_midcourse(out):
    """Radar-quality midcourse tracks must be good enough to commit a GBI well before impact (~1,950 s)."""
    for o in out["objects"]:
        if o["kind"] == "rv":
            assert o["fire_control_from_s"]["gbi"] is not None and 150.0 < o["fire_control_from_s"]["gbi"] < 600.0


@pytest.mark.parametrize("line, words", [
    ('    - {kind: radar, type: lrdr, site: clear-sfs, alt_m: -20000, latency_s: 1}', "-500"),
    ('    - {kind: radar, type: lrdr, site: clear-sfs, sigma_r_floor_m: -5, latency_s: 1}', "sigma_r_floor_m"),
    ('    - {kind: radar, type: lrdr-mk2, site: clear-sfs, latency_s: 1}', "unknown radar 'lrdr-mk2'"),
    ('    - {kind: radar, type: lrdr, site: clear-sfs, colour: red, latency_s: 1}', "'colour' is not a parameter"),
], ids=["inside-earth", "negative-noise", "unknown-type", "unknown-parameter"])
def test_bad_sensors_one_line_exit_2(tmp_path, line, words):
    text = open(SCENARIO).read()
    old = "    - {kind: radar, type: lrdr, site: clear-sfs, latency_s: 1}"
    bad = tmp_path / "bad.yaml"
    assert old in text
    bad.write_text(text.replace(old, line))
    p = subprocess.run([sys.executable, "-c", "from goldendome.cli import main; main()", "track", str(bad), "--json"],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 2 and p.stdout == "" and len(p.stderr.strip().splitlines()) == 1, p.stderr
    assert words in p.stderr
