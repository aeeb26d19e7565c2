"""The HTML report in headless Chromium: no console errors, no request off the machine, the map
and the timeline drawn, and a 1,000-object report open quickly (target < 3 s; asserted < 6 s)."""

from __future__ import annotations

import copy

import pytest

from goldendome import report_api, run_api
from goldendome.study.store import Store

SCENARIO = "scenarios/nk-salvo-vs-defence.yaml"
RENDERED = "window.goldendomeRenderedMs !== undefined"


def tiled(replay: dict, copies: int) -> dict:
    """The replay with its objects repeated ``copies`` times (new ids): a large raid, quickly."""
    out = copy.deepcopy(replay)
    n = len(replay["objects"])
    out["objects"] = [dict(o, id=o["id"] + c * n) for c in range(copies) for o in replay["objects"]]
    for key, rows in replay["paths"].items():
        out["paths"][key] = rows * copies
    return out


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """HTML reports of a real small run and of a 1,000-object raid built from it."""
    d = tmp_path_factory.mktemp("report-browser")
    store_path = d / "runs.duckdb"
    run_id = run_api.run(SCENARIO, trials=100, store_path=store_path)["run_id"]
    store = Store(store_path)
    run = store.get_run(run_id)
    replay = store.artifact(run_id, "replay")
    big = tiled(replay, -(-1000 // len(replay["objects"])))
    big_id = store.save_run(run["scenario_text"], run["seed"], run["trials"], run["metrics"], name="tiled-1000",
                            artifacts={"replay": big})
    small = report_api.report(run_id, d / "small.html", store_path=store_path)
    large = report_api.report(big_id, d / "large.html", store_path=store_path)
    return {"small": small["path"], "large": large["path"], "n_large": len(big["objects"])}


def _open(new_page, path: str):
    page, w = new_page()
    page.goto(f"file://{path}")
    page.wait_for_function(RENDERED, timeout=30_000)
    return page, w


def test_report_opens_offline_without_errors(new_page, reports):
    page, w = _open(new_page, reports["small"])
    assert w.problems() == []
    assert all(u.startswith("file:") for u in w.requests)


def test_map_and_timeline_render_svg(new_page, reports):
    page, w = _open(new_page, reports["small"])
    for layer in ("land", "coastlines", "countries"):  # drawn from the embedded TopoJSON
        assert page.locator(f"#fig-map svg g.geo g.layer.{layer} path").count() > 0, layer
    assert page.locator("#fig-map svg g.geo g.layer.frontplot path").count() > 0  # paths and sites
    assert page.locator("#fig-timeline svg .scatterlayer path").count() > 0
    for key in ("layers", "assets", "interceptors", "leakers"):
        assert page.locator(f"#fig-{key} svg.main-svg .barlayer path").count() > 0, key
    assert w.problems() == []


def test_thousand_object_report_opens_fast(new_page, reports):
    assert reports["n_large"] >= 1000
    page, w = _open(new_page, reports["large"])
    ms = page.evaluate("window.goldendomeRenderedMs")
    assert w.problems() == []
    assert ms < 6000, f"1,000-object report took {ms:.0f} ms from navigation to render (target < 3,000)"
