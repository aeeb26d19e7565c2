"""`goldendome run` end to end: the example scenario, reproducibility, layering, the store, bad input."""

import json
import subprocess
import sys

import pytest

from goldendome.app import run as app_run

SCENARIO = "scenarios/nk-salvo-vs-defence.yaml"
CLI = [sys.executable, "-c", "from goldendome.cli import main; main()"]


def variant(tmp_path, old, new, name="v.yaml"):
    text = open(SCENARIO).read()
    assert old in text
    p = tmp_path / name
    p.write_text(text.replace(old, new))
    return p


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    d = tmp_path_factory.mktemp("run")
    return app_run.run(SCENARIO, trials=400, store_path=d / "runs.duckdb"), d


def test_summary_fields_and_sanity(base):
    out, _ = base
    assert {"p_no_leak", "expected_leakers", "expected_leakers_ci95", "interceptors_used", "cost_used_usd",
            "defended_value_fraction", "leakers_by_asset", "run_id"} <= set(out)
    assert 0.0 <= out["p_no_leak"] <= 1.0 and 0.0 <= out["expected_leakers"] <= 3.0
    lo, hi = out["expected_leakers_ci95"]
    assert lo <= out["expected_leakers"] <= hi
    assert out["interceptors_used"]["gbi"] > 0 and out["cost_used_usd"] > 0


def test_same_scenario_and_seed_same_json_apart_from_run_id(base, tmp_path):
    out, _ = base
    again = app_run.run(SCENARIO, trials=400, store_path=tmp_path / "other.duckdb")
    strip = lambda d: {k: v for k, v in d.items() if k != "run_id"}  # noqa: E731
    assert json.dumps(strip(again), sort_keys=True) == json.dumps(strip(out), sort_keys=True)


def test_no_effectors_everything_leaks(tmp_path):
    text = open(SCENARIO).read()
    cut = text[text.index("  effectors:"):text.index("  c2:")]
    p = tmp_path / "bare.yaml"
    p.write_text(text.replace(cut, "  effectors: []\n"))
    out = app_run.run(p, trials=200, store_path=tmp_path / "r.duckdb")
    assert out["expected_leakers"] == 3.0 and out["p_no_leak"] == 0.0 and out["cost_used_usd"] == 0.0
    assert out["why_leaked"] == {"leaked": 600, "layers": {}}  # no layer to explain


def test_why_leaked_accounts_for_every_leak(base):
    out, d = base
    why = out["why_leaked"]
    assert why["leaked"] == round(out["expected_leakers"] * out["trials"])
    assert set(why["layers"]) == {"midcourse", "terminal"}  # the layers this architecture has
    for counts in why["layers"].values():
        assert sum(counts.values()) == why["leaked"] and not {"killed", "killed-earlier"} & set(counts)
    from goldendome.study import Store

    rep = Store(d / "runs.duckdb").artifact(out["run_id"], "replay")
    for o in rep["objects"]:
        assert (o["why_leak"] is None) == (not o["p_leak"]) and (o["why_leak"] or {}).keys() <= why["layers"].keys()


def test_terminal_layer_lowers_leakage(base, tmp_path):
    out, _ = base
    p = variant(tmp_path, "    - {kind: battery, type: thaad, site: seattle, inventory: 48}\n", "")
    without = app_run.run(p, trials=400, store_path=tmp_path / "r.duckdb")
    assert without["expected_leakers"] > out["expected_leakers"] + 0.1


def test_runs_list_show_and_unknown_id(base):
    out, d = base
    store = str(d / "runs.duckdb")
    listed = json.loads(subprocess.run(CLI + ["runs", "list", "--store", store, "--json"], capture_output=True,
                                       text=True, timeout=120).stdout)
    assert out["run_id"] in [r["run_id"] for r in listed["runs"]]
    shown = json.loads(subprocess.run(CLI + ["runs", "show", out["run_id"], "--store", store, "--json"],
                                      capture_output=True, text=True, timeout=120).stdout)
    assert shown["metrics"]["p_no_leak"] == out["p_no_leak"] and "nk-salvo-vs-defence" in shown["scenario_text"]
    p = subprocess.run(CLI + ["runs", "show", "r000000000000", "--store", store], capture_output=True, text=True,
                       timeout=120)
    assert p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1


def test_bad_effector_one_line_exit_2(tmp_path):
    p = variant(tmp_path, "type: thaad, site: seattle, inventory: 48", "type: thaad, site: seattle, inventory: -4")
    r = subprocess.run(CLI + ["run", str(p), "--trials", "10", "--store", str(tmp_path / "x.duckdb"), "--json"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and r.stdout == "" and len(r.stderr.strip().splitlines()) == 1
    assert "architecture.effectors[2]" in r.stderr


def test_replay_artifact_agrees_with_the_summary(base):
    from goldendome.study import Store

    out, d = base
    rep = Store(d / "runs.duckdb").artifact(out["run_id"], "replay")
    objs = rep["objects"]
    assert len(objs) == out["objects"] == len(rep["paths"]["lat_deg"])
    assert sum(o["p_leak"] for o in objs) == pytest.approx(out["expected_leakers"], abs=1e-3)
    assert all(o["p_leak"] == 0 for o in objs if o["kind"] == "decoy")
    shots = {e["type"]: e["shots_mean"] for e in rep["effectors"]}
    assert shots["gbi"] == pytest.approx(out["interceptors_used"]["gbi"], abs=1e-3)
    alt = [a for a in rep["paths"]["alt_km"][0] if a is not None]
    assert 1000 < max(alt) < 1600  # a min-energy NK ICBM at Seattle: apogee ~1,300 km


@pytest.mark.parametrize("path", sorted(__import__("glob").glob("scenarios/*.yaml")))
def test_every_example_scenario_runs(path, tmp_path):
    out = app_run.run(path, trials=100, store_path=tmp_path / "r.duckdb")
    assert 0.0 <= out["p_no_leak"] <= 1.0 and out["objects"] > 0


def test_a_battery_fights_on_its_own_radar(tmp_path):
    text = open(SCENARIO).read()
    sensors = text[text.index("  sensors:"):text.index("  effectors:")]
    effectors = text[text.index("  effectors:"):text.index("  c2:")]
    alone = text.replace(sensors, "  sensors: []\n").replace(
        effectors, "  effectors:\n    - {kind: battery, type: thaad, site: seattle, inventory: 48}\n")
    (tmp_path / "a.yaml").write_text(alone)
    (tmp_path / "b.yaml").write_text(alone.replace("inventory: 48}", "inventory: 48, radar: false}"))
    own = app_run.run(tmp_path / "a.yaml", trials=200, store_path=tmp_path / "r.duckdb")
    blind = app_run.run(tmp_path / "b.yaml", trials=200, store_path=tmp_path / "r.duckdb")
    assert own["interceptors_used"]["thaad"] > 1.0 and own["expected_leakers"] < 2.5  # its TPY-2 cues it
    assert blind["interceptors_used"]["thaad"] == 0.0 and blind["expected_leakers"] == 3.0


def test_planned_defence_milp_at_least_as_good_as_greedy_plan(tmp_path):
    plans = {}
    for planner in ("greedy", "milp"):
        p = variant(tmp_path, "max_shots_per_threat: 4}", f"max_shots_per_threat: 4, planner: {planner}}}", f"{planner}.yaml")
        r = subprocess.run(CLI + ["run", str(p), "--trials", "2000", "--json", "--store", str(tmp_path / "r.duckdb")],
                           capture_output=True, text=True, check=True)
        plans[planner] = json.loads(r.stdout)  # --json stays clean: HiGHS's banner is muted
    # the MILP maximises expected defended value over the same opportunities, so it cannot plan worse
    g, m = plans["greedy"]["defended_value_fraction"], plans["milp"]["defended_value_fraction"]
    assert m >= g - 0.03  # Monte Carlo noise at 2,000 trials (common random numbers)
    assert plans["milp"]["interceptors_used"]["gbi"] > 0


def test_cost_exchange_ratio_by_hand(base, tmp_path):
    out, _ = base
    assert out["cost_exchange_ratio"] is None  # no attacker cost given
    p = variant(tmp_path, "    decoys: 3\n", "    decoys: 3\n    unit_cost_usd: 20.0e+6\n")
    priced = app_run.run(p, trials=400, store_path=tmp_path / "r.duckdb")
    assert priced["cost_exchange_ratio"] == pytest.approx(priced["cost_used_usd"] / (3 * 20e6), rel=1e-3)
