"""`goldendome catalog [--kind K] [--json]` and `goldendome catalog show ID [--kind K] [--json]` as a user meets them."""

import json
import subprocess
import sys

from typer.testing import CliRunner

from goldendome.cli import app

CLI = [sys.executable, "-c", "from goldendome.cli import main; main()"]
KEYS = ("missiles", "interceptors", "radars", "space_sensors", "places", "threat_sets", "architectures", "asset_presets")


def _invoke(*args):
    r = CliRunner().invoke(app, list(args))
    assert r.exit_code == 0, r.output
    return r.output


def test_catalog_json_lists_every_kind():
    out = json.loads(_invoke("catalog", "--json"))
    for key in KEYS:
        assert out[key], key
        assert all(e["description"] for e in out[key].values())
    assert out["missiles"]["icbm-solid"]["sources"] and out["places"]["sohae"]["lat"]  # today's keys kept


def test_catalog_text_has_a_table_per_kind():
    text = _invoke("catalog")
    for title in ("missiles", "interceptors", "ground and sea radars", "space sensors", "places (sites and regions)",
                  "threat sets", "architecture presets", "asset presets"):
        assert title in text
    for i in ("gbi", "laser-air", "sbi", "uewr", "opir-geo", "seattle", "nk-icbm", "medium", "us-homeland"):
        assert i in text
    assert "catalog show ID" in text


def test_catalog_kind_filter():
    out = json.loads(_invoke("catalog", "--kind", "interceptors", "--json"))
    assert set(out) == {"interceptors", "kinds"} and "gbi" in out["interceptors"]
    assert "uewr" not in _invoke("catalog", "--kind", "architecture")


def test_show_json_and_text():
    out = json.loads(_invoke("catalog", "show", "gbi", "--json"))
    assert out["kind"] == "interceptor"
    p = {x["name"]: x for x in out["parameters"] if not x["section"]}
    assert p["burnout_speed_m_s"]["unit"] == "m/s" and "nrc2012" in p["burnout_speed_m_s"]["references"]
    assert json.loads(_invoke("catalog", "--json", "show", "seattle"))["kind"] == "place"  # group --json carries
    text = _invoke("catalog", "show", "uewr", "--kind", "radar")
    assert "frequency_ghz" in text and "GHz" in text and "arrl-pavepaws" in text
    assert "references:" in text and "U.S. Air Force / U.S. Space Force fact sheet, PAVE PAWS" in text  # citation in full


def test_show_unknown_id_is_one_line_exit_2_with_a_suggestion():
    p = subprocess.run(CLI + ["catalog", "show", "icbm-sold"], capture_output=True, text=True, timeout=300)
    assert p.returncode == 2 and p.stdout == "" and "Traceback" not in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1 and "nearest: icbm-solid" in p.stderr
