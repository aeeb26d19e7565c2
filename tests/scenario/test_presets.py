"""Reference architecture presets: they load, name real catalog items, and scale small < medium < large."""

import subprocess
import sys

import pytest

from goldendome.effectors.batteries import KINETIC_KINDS
from goldendome.scenario import load, presets

CLI = [sys.executable, "-c", "from goldendome.cli import main; main()"]
SCENARIO = """schema: goldendome/v1
name: p
threats: [{missile: icbm-solid, launch: kp-pyongyang, target: seattle}]
architecture: {arch}
"""


def _counts(arch):
    sbis = sum(e.get("count", 0) for e in arch.effectors if e["kind"] == "sbi")
    fixed = sum(1 for e in arch.effectors if e["kind"] in KINETIC_KINDS)
    rounds = sum(e.get("inventory", 0) for e in arch.effectors if e["kind"] in KINETIC_KINDS)
    return sbis, fixed, rounds, len(arch.sensors)


@pytest.mark.parametrize("name", ["small", "medium", "large"])
def test_preset_loads_through_a_scenario(tmp_path, name):
    p = tmp_path / "s.yaml"
    p.write_text(SCENARIO.replace("{arch}", name))
    sc = load.load(p)  # catalog ids and sites of every element checked
    assert sc.architecture == presets.architecture(name)
    assert presets.describe(name)


def test_medium_meets_the_issue_figure_and_presets_grow():
    small, medium, large = (_counts(presets.architecture(n)) for n in ("small", "medium", "large"))
    assert medium[0] >= 1000 and medium[1] >= 20 and medium[3] >= 10  # issue 5 benchmark architecture
    assert small[0] == 0  # today's posture: no SBIs
    for i in range(4):
        assert small[i] <= medium[i] <= large[i]
    assert small[2] == 40 + 4 + 8 + 8 + 48  # 44 GBIs, two 8-round ships, THAAD Guam


def test_large_has_directed_energy():
    kinds = {e["kind"] for e in presets.architecture("large").effectors}
    assert "laser" in kinds and "sbi" in kinds


def test_unknown_preset_one_line_exit_2(tmp_path):
    p = tmp_path / "s.yaml"
    p.write_text(SCENARIO.replace("{arch}", "huge"))
    r = subprocess.run(CLI + ["run", str(p), "--store", str(tmp_path / "r.duckdb")], capture_output=True, text=True)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.strip().count("\n") == 0
    assert f"{p}:4: architecture:" in r.stderr and "small, medium, large" in r.stderr
