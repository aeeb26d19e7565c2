"""The command line as a user meets it: JSON output, and one clear line with exit 2 on bad input."""

import json
import subprocess
import sys

import pytest

CLI = [sys.executable, "-c", "from goldendome.cli import main; main()"]
FIELDS = {"range_km", "flight_time_s", "apogee_km", "burnout_time_s", "burnout_speed_m_s", "burnout_altitude_km",
          "max_speed_m_s", "impact_lat", "impact_lon", "miss_km"}


def run(*args):
    return subprocess.run(CLI + list(args), capture_output=True, text=True, timeout=300)


def test_fly_json_has_every_field_and_hits():
    p = run("fly", "--missile", "irbm", "--launch", "kp-north", "--target", "guam-andersen", "--json")
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert FIELDS <= set(out)
    assert out["miss_km"] < 1.0 and 3000 < out["range_km"] < 4000


@pytest.mark.parametrize("args, words", [
    (["--missile", "nope", "--launch", "sohae", "--target", "seattle"], "unknown missile"),
    (["--missile", "irbm", "--launch", "95,10", "--target", "seattle"], "latitude"),
    (["--missile", "irbm", "--launch", "atlantis", "--target", "seattle"], "atlantis"),
    (["--missile", "irbm", "--launch", "sohae", "--target", "seattle", "--shape", "zigzag"], "shape"),
    (["--missile", "irbm", "--launch", "sohae", "--target", "seattle", "--shape", "lofted", "--apogee-km", "-5"], "apogee"),
    (["--missile", "srbm", "--launch", "sohae", "--target", "seattle"], "beyond the reach"),
    (["--missile", "icbm-solid", "--launch", "sohae", "--target", "seattle", "--shape", "depressed",
      "--apogee-km", "20"], "cannot be flown"),
    (["--missile", "irbm", "--target", "seattle"], "Missing option '--launch'"),
    (["--missile", "irbm", "--launch", "sohae", "--target", "seattle", "--apogee-km", "abc"], "--apogee-km"),
], ids=["missile", "lat-range", "place", "shape", "apogee", "reach", "apogee-reach", "missing", "not-a-number"])
def test_bad_input_one_line_exit_2(args, words):
    p = run("fly", *args, "--json")
    assert p.returncode == 2
    assert "Traceback" not in p.stderr and p.stdout == ""
    assert len(p.stderr.strip().splitlines()) == 1 and words in p.stderr


def test_catalog_lists_ids_with_sources():
    out = json.loads(run("catalog", "--json").stdout)
    assert "icbm-solid" in out["missiles"] and out["missiles"]["icbm-solid"]["sources"]
    assert "sohae" in out["places"]
    for m in out["missiles"].values():
        for src in m["sources"].values():
            for key in str(src).split("|")[0].split(","):
                assert key.strip() in out["references"]
