"""`goldendome report`: one offline HTML file of a run or a plan, PNG figures, bad input."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from plotly.offline import get_plotlyjs

from goldendome.app import report as app_report
from goldendome.app import run as app_run
from goldendome.errors import InputError
from goldendome.report import figures as F
from goldendome.report import png, world_topojson
from goldendome.study.store import Store

SCENARIO = "scenarios/nk-salvo-vs-defence.yaml"
PLAN_DIR = Path(__file__).parent / "fixtures" / "plan"
CLI = [sys.executable, "-c", "import typer; from goldendome.cli.report import register; app = typer.Typer(); "
       "register(app); app.command('noop')(lambda: None); app()"]
URL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    d = tmp_path_factory.mktemp("report")
    store = d / "runs.duckdb"
    out = app_run.run(SCENARIO, trials=100, store_path=store)
    return out["run_id"], store, d


@pytest.fixture(scope="module")
def run_html(run):
    run_id, store, d = run
    res = app_report.report(run_id, d / "r" / "report.html", png_dir=d / "png", store_path=store)
    return res, Path(res["path"]).read_text(encoding="utf-8")


def _outside_plotly(text: str) -> str:
    js = get_plotlyjs()
    assert text.count(js) == 1, "plotly.js is inline exactly once"
    return text.replace(js, "")


def test_html_has_inline_plotly_and_no_outside_url(run_html):
    res, text = run_html
    assert res["kind"] == "run" and res["bytes"] == len(text.encode())
    assert set(res["figures"]) >= {"map", "timeline", "layers", "assets", "interceptors"}
    rest = _outside_plotly(text)
    assert "http://" not in rest and "https://" not in rest
    assert not URL.search(rest), "no script, link or image loads anything from elsewhere"
    assert "<script src" not in rest.lower() and "<link" not in rest.lower()
    assert 'window.PlotlyGeoAssets={topojson:{"world_110m":' in text  # the map needs no CDN


def test_figure_data_parse_and_name_every_object(run_html):
    _, text = run_html
    blocks = re.findall(r'<script type="application/json" data-fig="fig-([\w-]+)">(.*?)</script>', text, re.S)
    figs = {k: json.loads(v) for k, v in blocks}
    assert {"map", "timeline"} <= set(figs)
    assert all(t["type"] == "scattergeo" for t in figs["map"]["data"])
    assert any(t.get("name") == "first shot" for t in figs["timeline"]["data"])


def test_why_section_names_each_layer_and_sums_to_the_leaks(run, run_html):
    run_id, store, _ = run
    _, text = run_html
    metrics = Store(store).get_run(run_id)["metrics"]
    why = metrics["why_leaked"]
    assert why["leaked"] > 0, "the example scenario leaks sometimes: the section has something to say"
    section = text[text.index('id="why"'):]
    section = section[:section.index("</section>")]
    assert "Why the leakers leaked" in section
    for layer, counts in why["layers"].items():
        row = re.search(rf"<tr><td>{layer}</td>(.*?)</tr>", section).group(1)
        assert all(f"({c})" in row for c in counts.values())


def test_png_files_written(run_html):
    res, _ = run_html
    names = {Path(p).name for p in res["pngs"]}
    assert names == {"map.png", "timeline.png", "layers.png", "leakers_by_asset.png", "interceptors.png"}
    for p in res["pngs"]:
        assert Path(p).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and Path(p).stat().st_size > 5_000


def test_unknown_run_id_is_input_error(run):
    _, store, d = run
    with pytest.raises(InputError, match="no such run"):
        app_report.report("rdeadbeef0000", d / "x.html", store_path=store)
    assert not (d / "x.html").exists()


def test_missing_store_and_run_without_replay(run, tmp_path):
    run_id, store, _ = run
    with pytest.raises(InputError, match="no run store"):
        app_report.report(run_id, tmp_path / "x.html", store_path=tmp_path / "none.duckdb")
    bare = Store(tmp_path / "bare.duckdb").save_run("schema: goldendome/v1\n", 1, 1, {"p_no_leak": 1.0})
    with pytest.raises(InputError, match="without a replay"):
        app_report.report(bare, tmp_path / "x.html", store_path=tmp_path / "bare.duckdb")


def test_cli_exit_2_one_line_on_unknown_run(run, tmp_path):
    _, store, _ = run
    cmd = [sys.executable, "-c", "from goldendome.cli import main; main()",
           "report", "rnope", "-o", str(tmp_path / "x.html"), "--store", str(store)]
    p = subprocess.run(cmd, capture_output=True, text=True)
    assert p.returncode == 2, p.stderr
    assert p.stderr.count("\n") == 1 and "no such run" in p.stderr and "Traceback" not in p.stderr


def test_cli_json(run, tmp_path):
    run_id, store, _ = run
    p = subprocess.run(CLI + ["report", run_id, "-o", str(tmp_path / "c.html"), "--store", str(store), "--json"],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["path"] == str(tmp_path / "c.html") and out["bytes"] > 1_000_000 and out["pngs"] == []


def test_plan_report_and_pngs(tmp_path):
    res = app_report.report(str(PLAN_DIR), tmp_path / "plan.html", png_dir=tmp_path / "png")
    assert res["kind"] == "plan" and res["figures"] == ["raid", "cost-fy", "cost-effect", "priorities"]
    assert {Path(p).name for p in res["pngs"]} == {"leakage_vs_raid.png", "cost_by_fy.png",
                                                  "cost_vs_effectiveness.png", "priorities.png"}
    text = Path(res["path"]).read_text()
    assert "Washington, D.C." in text and "$542.00B" in text
    assert "https://" not in _outside_plotly(text)


def test_plan_fy_bars_add_up_to_layer_costs():
    plan = json.loads((PLAN_DIR / "plan.json").read_text())
    fig = F.cost_fy_figure(plan)
    large = plan["architectures"][2]
    total = sum(sum(v.values()) for v in large["cost_by_fy_by_layer_usd"].values())
    drawn = sum(sum(t.y) for t in fig.data if t.xaxis == "x3")
    assert drawn == pytest.approx(total / 1e9)
    assert sorted({t.name for t in fig.data if t.showlegend}) == ["boost", "midcourse", "terminal", "underlayer"]


@pytest.mark.parametrize("edit, message", [
    (lambda p: p.pop("architectures"), "missing field 'architectures'"),
    (lambda p: p["architectures"][1].pop("name"), r"architectures\[1\]: missing field 'name'"),
    (lambda p: p["architectures"][0].update(total_cost_usd="lots"), "total_cost_usd: expected"),
    (lambda p: p["priorities"][0].pop("lat"), r"priorities\[0\]: missing field 'lat'"),
], ids=["no-architectures", "no-name", "cost-not-number", "priority-no-lat"])
def test_bad_plan_is_input_error(tmp_path, edit, message):
    plan = json.loads((PLAN_DIR / "plan.json").read_text())
    edit(plan)
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    with pytest.raises(InputError, match=message):
        app_report.report(str(tmp_path), tmp_path / "x.html")


def test_missing_plan_dir_and_bad_json(tmp_path):
    with pytest.raises(InputError, match="no such plan"):
        app_report.report(str(tmp_path / "nope") + "/", tmp_path / "x.html")
    (tmp_path / "plan.json").write_text("{not json")
    with pytest.raises(InputError, match="not valid JSON"):
        app_report.report(str(tmp_path), tmp_path / "x.html")


def test_thin_keeps_ends_and_bounds_points():
    valid = np.zeros(300, bool)
    valid[17:251] = True
    idx = F.thin(valid, 40)
    assert len(idx) == 40 and idx[0] == 17 and idx[-1] == 250 and valid[idx].all()
    assert list(F.thin(valid[:20], 40)) == [17, 18, 19]
    assert F.points_per_path(1000) * 1000 <= F.MAP_POINTS_TOTAL and F.points_per_path(3) == F.MAP_POINTS_MAX


def test_paths_one_trace_per_class_with_gaps():
    objects = [{"id": i, "kind": "rv" if i % 5 == 0 else "decoy", "p_leak": 0.5 if i == 5 else 0.0}
               for i in range(10)]
    t = np.arange(30.0)
    lat = np.where((t >= 3) & (t < 25), 40 + 0.1 * t, np.nan)
    replay = {"objects": objects, "paths": {"lat_deg": [lat.tolist()] * 10, "lon_deg": [(130 + t).tolist()] * 10}}
    traces = F._path_traces(replay)
    assert [t.name.split()[0] for t in traces] == ["decoy", "rv", "leaker"]
    assert [list(t.lat).count(None) for t in traces] == [8, 1, 1]


def test_coastlines_decode_to_the_world():
    lines = png.coastlines(world_topojson())
    pts = np.concatenate(lines)
    assert len(lines) > 100 and pts[:, 0].min() >= -180.01 and pts[:, 0].max() <= 180.01
    assert -90 <= pts[:, 1].min() < -60 and 70 < pts[:, 1].max() <= 90  # Antarctica to the Arctic coasts


def test_centre_longitude_across_the_date_line():
    assert F.centre_lon(np.array([170.0, -170.0])) == pytest.approx(180.0) or \
        F.centre_lon(np.array([170.0, -170.0])) == pytest.approx(-180.0)
    assert F.shift(np.array([-120.0]), 180.0)[0] == pytest.approx(240.0)


def test_empty_raid_still_reports(tmp_path):
    replay = {"t_s": [], "paths": {"lat_deg": [], "lon_deg": [], "alt_km": []}, "objects": [], "effectors": [],
              "sensors": [], "assets": [{"id": "a", "lat_deg": 10.0, "lon_deg": 20.0, "value": 1.0,
                                         "category": "c", "leakers_mean": 0.0}],
              "layers": {"terminal": {"shots_mean": 0.0, "kills_mean": 0.0}}}
    store = tmp_path / "s.duckdb"
    rid = Store(store).save_run("schema: goldendome/v1\n", 1, 1, {"p_no_leak": 1.0, "interceptors_used": {}},
                                artifacts={"replay": replay})
    res = app_report.report(rid, tmp_path / "e.html", png_dir=tmp_path / "png", store_path=store)
    assert "map" in res["figures"] and len(res["pngs"]) == 5
