"""One kill chain: `sbi size --scenario` and `run` take the SBI firing time from the same sensors,
tracker and latency, and a constellation of the size `sbi size` gives reaches the missile in `run`."""

from pathlib import Path

import numpy as np
import pytest
import yaml

from goldendome.app import run as app_run
from goldendome.app import space as app_space
from goldendome.effectors import killchain
from goldendome.scenario.threats import fly_salvos, salvo
from goldendome.space.sbi import Interceptor

PRESET = Path("src/goldendome/scenario/presets/medium.yaml")


def scenario(tmp_path, sbi: dict, threat="icbm-liquid", launch="sohae", target="honolulu") -> Path:
    arch = yaml.safe_load(PRESET.read_text())["architecture"]
    arch["effectors"] = [sbi]
    doc = {"schema": "goldendome/v1", "name": "chain", "seed": 3, "trials": 50,
           "threats": [{"missile": threat, "launch": launch, "target": target}], "architecture": arch,
           "assets": [{"id": "honolulu", "lat": 21.31, "lon": -157.86, "value": 1.0}]}
    p = tmp_path / "chain.yaml"
    p.write_text(yaml.safe_dump(doc, sort_keys=False))
    return p


@pytest.fixture(scope="module")
def sized(tmp_path_factory):
    d = tmp_path_factory.mktemp("chain")
    first = scenario(d, {"kind": "sbi", "count": 1600, "altitude_km": 300, "inclination_deg": 45})
    size = app_space.sbi_size("icbm-liquid", "sohae", target="honolulu", scenario=first)
    return d, size


def test_sbi_size_takes_the_chain_from_the_scenario(sized):
    _, size = sized
    row = size["kill_chain"][0]
    assert size["kill_chain_source"].startswith("the sensors, tracker and C2 latency")
    assert row["detect_s"] <= row["firm_track_s"] <= row["fire_control_s"] < row["commit_s"] < row["deadline_s"]
    assert row["commit_s"] == pytest.approx(row["fire_control_s"] + 10.0)  # medium's c2 latency
    assert size["delay_s"] >= row["commit_s"] and size["delay_s"] - row["commit_s"] < 5.0
    assert size["feasible"] and size["interceptors"] > 0


def test_run_with_the_sized_constellation_has_the_same_chain_and_reaches(sized, tmp_path):
    _, size = sized
    spec = {"kind": "sbi", "count": size["interceptors"], "planes": size["planes"], "phasing": size["phasing"],
            "altitude_km": 300, "inclination_deg": 45}
    out = app_run.run(scenario(tmp_path, spec), store_path=tmp_path / "r.duckdb")
    (chain,) = out["sbi_kill_chain"]
    assert {k: v for k, v in chain.items() if k != "sbis_in_reach"} == size["kill_chain"][0]
    assert chain["sbis_in_reach"] >= size["shots_per_missile"]


def test_a_chain_slower_than_the_boost_says_so(tmp_path):
    late = scenario(tmp_path, {"kind": "sbi", "count": 1600})
    text = late.read_text().replace("latency_s: 10", "latency_s: 400")
    late.write_text(text)
    size = app_space.sbi_size("icbm-solid", "sohae", target="honolulu", scenario=late)
    assert size["feasible"] is False and size["interceptors"] is None
    assert "too slow" in size["verdict"] and "+400 s C2 latency" in size["verdict"]


def test_assumed_chain_fires_at_the_catalog_delay():
    traj = fly_salvos([salvo("icbm-solid", "sohae", "seattle", count=2, spacing_s=30)], seed=0)
    chain = killchain.assumed(traj, Interceptor(delay_s=60.0))
    assert np.allclose(chain.delay_s, 60.0) and chain.source == "assumed" and not chain.too_slow.any()
    assert all(r["fire_control_s"] is None and r["commit_s"] == 60.0 for r in chain.rows())
