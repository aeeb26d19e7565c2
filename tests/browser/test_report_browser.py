"""The HTML report in headless Chromium: no console errors, no request off the machine, the map
and the timeline drawn, and a 1,000-object report open quickly (target < 3 s; asserted < 6 s)."""

from __future__ import annotations

import copy

import pytest

from goldendome.app import report as app_report
from goldendome.app import run as app_run
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
    run_id = app_run.run(SCENARIO, trials=100, store_path=store_path)["run_id"]
    store = Store(store_path)
    run = store.get_run(run_id)
    replay = store.artifact(run_id, "replay")
    big = tiled(replay, -(-1000 // len(replay["objects"])))
    big_id = store.save_run(run["scenario_text"], run["seed"], run["trials"], run["metrics"], name="tiled-1000",
                            artifacts={"replay": big})
    small = app_report.report(run_id, d / "small.html", store_path=store_path)
    large = app_report.report(big_id, d / "large.html", store_path=store_path)
    return {"small": small["path"], "large": large["path"], "n_large": len(big["objects"])}


MAP = "#fig-map svg g.geo"
COUNTS = {  # CSS selector -> what it proves when it matches
    "land": f"{MAP} g.layer.land path",  # drawn from the embedded TopoJSON
    "coastlines": f"{MAP} g.layer.coastlines path",
    "countries": f"{MAP} g.layer.countries path",
    "map_traces": f"{MAP} g.layer.frontplot path",  # paths, sites, assets
    "timeline": "#fig-timeline svg .scatterlayer path",
    **{f"bars_{k}": f"#fig-{k} svg.main-svg .barlayer path" for k in ("layers", "assets", "interceptors", "leakers")},
}


def open_report(chromium, path: str, visit) -> dict:
    """Open a report (on the browser thread): what went wrong, its requests, open time, SVG counts."""
    ctx, page, w = visit(chromium, f"file://{path}", RENDERED)
    out = {"problems": w.problems(), "requests": list(w.requests), "ms": page.evaluate("window.goldendomeRenderedMs"),
           **{k: page.locator(sel).count() for k, sel in COUNTS.items()}}
    ctx.close()
    return out


def test_report_opens_offline_without_errors(browser, reports):
    got = browser.run(open_report, reports["small"], browser.visit)
    assert got["problems"] == []
    assert got["requests"] and all(u.startswith("file:") for u in got["requests"])


def test_map_and_timeline_render_svg(browser, reports):
    got = browser.run(open_report, reports["small"], browser.visit)
    assert {k: v for k, v in got.items() if k in COUNTS and v == 0} == {}


def test_thousand_object_report_opens_fast(browser, reports):
    assert reports["n_large"] >= 1000
    got = browser.run(open_report, reports["large"], browser.visit)
    assert got["problems"] == []
    assert got["map_traces"] > 0 and got["timeline"] > 0
    assert got["ms"] < 6000, f"1,000-object report took {got['ms']:.0f} ms from navigation to render (target < 3,000)"


def test_playwright_leaves_no_running_loop_here(browser):
    import asyncio

    assert asyncio.run(asyncio.sleep(0, "ok")) == "ok"  # the browser lives on its own thread
