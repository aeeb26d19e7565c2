"""`goldendome demo`: the embedded engagement runs, is stored, and its per-missile rows add up."""

import json
import subprocess
import sys

import pytest

CLI = [sys.executable, "-c", "from goldendome.cli import main; main()"]


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    d = tmp_path_factory.mktemp("demo")
    r = subprocess.run(CLI + ["demo", "--trials", "300", "--json", "--store", str(d / "r.duckdb")], cwd=d,
                       capture_output=True, text=True, check=True)
    return json.loads(r.stdout), d


def test_demo_rows_add_up_to_the_summary(out):
    o, d = out
    rows = o["missiles"]
    assert [r["missile"] for r in rows] == ["icbm-solid"] * 5 + ["icbm-liquid"] * 2
    assert all(r["rvs"] == 1 and r["decoys"] == 4 for r in rows)
    assert sum(r["p_leak"] for r in rows) == pytest.approx(o["expected_leakers"], abs=2e-3)
    assert {r["target"] for r in rows} == set(o["leakers_by_asset"])
    assert (d / o["scenario"]).read_text().startswith("# The `goldendome demo`")
    assert (d / o["report"]).stat().st_size > 1e6 and "plotly" in (d / o["report"]).read_text()[:5000000].lower()
    # boost phase reaches the slow-burning liquid ICBMs only (APS 2003: solids burn out too soon)
    assert all("boost" in r["kills_by_layer"] for r in rows[5:]) and not any("boost" in r["kills_by_layer"] for r in rows[:5])
