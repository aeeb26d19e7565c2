"""Scenario files: valid ones load, bad ones give one line with file, line and field."""

import pytest

from goldendome.scenario import load
from goldendome.scenario.schema import Scenario

GOOD = """\
schema: goldendome/v1
name: nk-pair
seed: 7
threats:
  - missile: icbm-solid
    launch: {lat: 39.66, lon: 124.70}
    target: seattle
    count: 2
    spacing_s: 10
    decoys: 2
architecture:
  sensors:
    - {kind: space-ir, type: opir-geo}
    - {kind: space-ir, type: tracking-leo, latency_s: 2}
"""


def write(tmp_path, text):
    p = tmp_path / "s.yaml"
    p.write_text(text)
    return p


def test_good_scenario_loads_with_defaults(tmp_path):
    sc = load.load(write(tmp_path, GOOD))
    assert isinstance(sc, Scenario) and sc.seed == 7 and sc.threats[0].count == 2
    assert sc.architecture.sensors[1].latency_s == 2 and sc.architecture.c2.doctrine == "shoot-look-shoot"
    assert len(load.digest(write(tmp_path, GOOD))) == 64


@pytest.mark.parametrize("old, new, expect", [
    ("count: 2", "count: 0", ":8: threats[0].count: Input should be greater than or equal to 1"),
    ("missile: icbm-solid", "missile: icbm-unobtainium", ":5: threats[0].missile: unknown missile"),
    ("target: seattle", "target: atlantis", ":7: threats[0].target: 'atlantis' is neither"),
    ("lat: 39.66", "lat: 99.0", ":6: threats[0].launch.lat: Input should be less than or equal to 90"),
    ("type: opir-geo", "type: opir-mars", ":13: architecture.sensors[0].type: unknown sensor"),
    ("spacing_s: 10", "spacing_s: 10\n    colour: red", ":10: threats[0].colour: Extra inputs are not permitted"),
    ("schema: goldendome/v1", "schema: goldendome/v9", ":1: schema: Input should be 'goldendome/v1'"),
    ("  - missile: icbm-solid", "  - missile: [icbm-solid", ": not valid YAML"),
    ("missile: icbm-solid", "missile: mrbm", ":10: threats[0].decoys: mrbm carries no decoys"),
    ("spacing_s: 10", "spacing_s: .inf", ":9: threats[0].spacing_s: Input should be a finite number"),
    ("count: 2", "count: 20000000", ":8: threats[0].count: must be a whole number from 1 to 10,000"),
    ("decoys: 2", "decoys: 100000", ":10: threats[0].decoys: must be a whole number from 0 to 1,000"),
    ("spacing_s: 10", "spacing_s: 1.0e+9", ":5: threats[0]: the last launch would be 1e+09 s after the start"),
    ("latency_s: 2", "latency_s: .inf", ":12: architecture.sensors[1].latency_s: Input should be a finite number"),
    ("seed: 7", "seed: 7\nseed: 8", ":4: duplicate key 'seed' (first at line 3)"),
    ("    - {kind: space-ir, type: tracking-leo, latency_s: 2}\n",
     "    - {kind: space-ir, type: tracking-leo, latency_s: 2}\n  effectors:\n    - {kind: site, type: gbi, site: '91,0'}\n",
     ":16: architecture.effectors[0]: place '91,0': latitude must be in [-90, 90]"),
    ("type: tracking-leo, latency_s: 2", "type: tracking-leo, latency: 2",
     ":14: architecture.sensors[1].latency: not a field of a space-ir sensor; did you mean 'latency_s'?"),
], ids=["count", "missile", "place", "lat", "sensor", "extra", "schema", "yaml", "no-decoys", "inf-spacing",
        "huge-count", "decoy-flood", "late-launch", "inf-latency", "duplicate-key",
        "effector-site", "space-ir-typo"])
def test_bad_scenario_names_file_line_and_field(tmp_path, old, new, expect):
    p = write(tmp_path, GOOD.replace(old, new))
    with pytest.raises(load.ScenarioError) as exc:
        load.load(p)
    msg = str(exc.value)
    assert msg.startswith(str(p)) and expect in msg and "\n" not in msg


def test_files_that_never_end_or_nest_forever_are_one_line(tmp_path):
    import os

    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    deep = write(tmp_path, "a:\n" + "".join("  " * i + "b:\n" for i in range(1, 2000)))
    for p, words in ((fifo, "not a regular file"), ("/dev/zero", "not a regular file"), (deep, "nested deeper")):
        with pytest.raises(load.ScenarioError, match=words):
            load.load(p)


def test_missing_file_is_one_line(tmp_path):
    with pytest.raises(load.ScenarioError, match="cannot read"):
        load.load(tmp_path / "nope.yaml")


def test_schema_command_prints_the_json_schema():
    import json
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", "from goldendome.cli import main; main()", "schema"],
                         capture_output=True, text=True, timeout=60)
    schema = json.loads(out.stdout)
    assert out.returncode == 0 and "threats" in schema["properties"] and "schema" in schema["properties"]
