"""Space-layer commands as a user meets them: JSON fields, APS-consistent ordering, bad input."""

import json
import subprocess
import sys

import pytest

CLI = [sys.executable, "-c", "from goldendome.cli import main; main()"]


def run(*args):
    return subprocess.run(CLI + list(args), capture_output=True, text=True, timeout=300)


def test_sbi_size_liquid_needs_fewer_than_solid():
    out = {}
    for m in ("icbm-liquid", "icbm-solid"):
        p = run("sbi", "size", "--threat", m, "--launch", "sohae", "--target", "seattle", "--json")
        assert p.returncode == 0, p.stderr
        out[m] = json.loads(p.stdout)
        assert {"interceptors", "absentee_ratio", "reach_km", "time_available_s", "constellation_mass_t",
                "per_missile"} <= set(out[m])
    assert out["icbm-liquid"]["interceptors"] * 2 < out["icbm-solid"]["interceptors"]
    assert out["icbm-liquid"]["time_available_s"] > out["icbm-solid"]["time_available_s"]


def test_sbi_cost_json_matches_hand_computation_without_learning():
    p = run("sbi", "cost", "--count", "100", "--unit-cost-usd", "1e6", "--mass-kg", "1000", "--life-years", "10",
            "--launch-usd-per-kg", "1000", "--ops-usd-per-year", "1e6", "--learning-rate", "1.0", "--rdte-usd", "0",
            "--first-fy", "2026", "--json")
    out = json.loads(p.stdout)
    # 2 buys of 100 units (FY2026, FY2036): units 2e8 + launch 2e8 (200 t at $1,000/kg) + ops 20 years 2e7
    assert out["total_usd"] == pytest.approx(2e8 + 2e8 + 2e7)
    assert out["units_bought"] == 200 and len(out["by_year_usd"]) == 20 and out["launches"] >= 1


def test_sbi_cost_and_cost_of_the_same_constellation_agree(tmp_path):
    arch = tmp_path / "sbi.yaml"
    arch.write_text("schema: goldendome/v1\nname: sbi-only\nthreats:\n"
                    "  - {missile: icbm-solid, launch: sohae, target: seattle}\n"
                    "architecture:\n  effectors:\n    - {kind: sbi, count: 2400, unit_cost_usd: 30e6, life_years: 6}\n")
    layer = json.loads(run("cost", str(arch), "--json").stdout)["total_cost_usd"]
    alone = json.loads(run("sbi", "cost", "--count", "2400", "--unit-cost-usd", "30e6", "--life-years", "6",
                           "--json").stdout)["total_usd"]
    assert alone == pytest.approx(layer, rel=1e-12) and alone > 0


def test_coverage_of_geo_layer_over_iran():
    out = json.loads(run("coverage", "--constellation", "opir-geo", "--region", "ir-semnan", "--hours", "6",
                         "--json").stdout)
    assert out["region_fraction_seen_1"] == pytest.approx(1.0) and out["satellites"] == 4


@pytest.mark.parametrize("args, words", [
    (["sbi", "size", "--threat", "cruise-subsonic", "--launch", "sohae"], "no boost phase"),
    (["sbi", "size", "--threat", "icbm-solid", "--launch", "sohae", "--salvo", "-1"], "salvo"),
    (["sbi", "size", "--threat", "icbm-solid", "--launch", "sohae", "--altitude-km", "-100"], "altitude_km"),
    (["sbi", "size", "--threat", "icbm-solid", "--launch", "sohae", "--inclination-deg", "200"], "inclination"),
    (["sbi", "cost", "--count", "-5", "--unit-cost-usd", "1", "--mass-kg", "1", "--life-years", "5",
      "--launch-usd-per-kg", "1"], "must be"),
    (["coverage", "--constellation", "nope", "--region", "sohae"], "unknown sensor"),
], ids=["no-boost", "salvo", "altitude", "inclination", "cost", "sensor"])
def test_bad_input_one_line_exit_2(args, words):
    p = run(*args, "--json")
    assert p.returncode == 2 and p.stdout == "" and "Traceback" not in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1 and words in p.stderr


def test_first_track_after_cloud_tops_and_before_burnout():
    p = run("first-track", "--constellation", "opir-geo,tracking-leo", "--threat", "icbm-solid", "--launch", "sohae",
            "--target", "seattle", "--json")
    out = json.loads(p.stdout)
    # plume clears 8 km cloud tops ~25-35 s after lift-off; stereo never precedes detection
    assert 15.0 <= out["first_detection_s"] <= 60.0 < out["burnout_s"]
    assert out["first_detection_s"] <= out["first_stereo_s"] and out["detected_in_boost"]


def test_later_deadline_never_needs_more_sbis():
    from goldendome.app import space as app_space

    burn = app_space.sbi_size("icbm-solid", "sohae", target="seattle")["interceptors"]
    deploy = app_space.sbi_size("icbm-solid", "sohae", target="seattle", deadline="deploy")["interceptors"]
    assert deploy <= burn


@pytest.mark.parametrize("flag, value", [("--spacing-s", "-10"), ("--spacing-s", "nan"), ("--salvo", "100000")])
def test_bad_salvo_numbers_never_reach_the_compiled_kernel(flag, value):
    """Once a negative spacing corrupted the heap inside the numba kernel (SIGABRT): now one line, exit 2."""
    p = run("sbi", "size", "--threat", "icbm-solid", "--launch", "sohae", "--salvo", "2", flag, value)
    assert p.returncode == 2 and p.stderr.count("\n") == 1 and "goldendome: error:" in p.stderr, p.stderr
