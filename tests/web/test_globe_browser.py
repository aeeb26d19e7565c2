"""The globe page in headless Chromium: offline, draws the Earth, plays a run, starts one and shows its metrics."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import numpy as np

LOCAL_SCHEMES = {"data", "blob", "about"}


def _local(url: str) -> bool:
    u = urlsplit(url)
    return u.scheme in LOCAL_SCHEMES or (u.scheme in ("http", "https", "ws") and u.hostname == "127.0.0.1")


def _open(browser, url: str):
    """A page with its console errors, uncaught exceptions and outside requests recorded."""
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    seen = {"errors": [], "outside": []}
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("request", lambda r: None if _local(r.url) else seen["outside"].append(r.url))
    page.goto(url)
    page.wait_for_function("window.gd && window.gd.loaded", timeout=45_000)
    return page, seen


def test_globe_loads_offline_and_draws(in_browser, server, stored_run):
    def check(browser):
        page, seen = _open(browser, f"{server}/?run={stored_run}")
        page.wait_for_function("gd.viewer.scene.globe.tilesLoaded", timeout=30_000)
        page.wait_for_function("gd.stats.frames > 3", timeout=30_000)
        shot = page.locator("#globe canvas").first.screenshot()
        out = {"seen": seen, "shot": shot, "run": page.eval_on_selector("#metrics", "e => e.dataset.runId"),
               "objects": page.evaluate("gd.stats.objects"), "metrics": page.inner_text("#metrics"),
               "layers": page.evaluate("[gd.stats.coverage, gd.stats.satellites, gd.stats.flyouts]")}
        page.close()
        return out

    out = in_browser(check)
    assert out["seen"]["outside"] == [], out["seen"]["outside"]
    assert out["seen"]["errors"] == [], out["seen"]["errors"]
    assert out["run"] == stored_run and out["objects"] == 2 and "P(no leak)" in out["metrics"]
    coverage, satellites, flyouts = out["layers"]
    assert coverage >= 2 and satellites == 0 and flyouts >= 0  # two radars' fans; no space layer in this run
    from PIL import Image

    rgb = np.asarray(Image.open(io.BytesIO(out["shot"])).convert("RGB"), float)
    assert rgb.std() > 20, "globe canvas looks blank"
    ocean = (rgb[..., 2] > rgb[..., 0] + 30).mean()  # NaturalEarthII's blue oceans are on screen
    assert ocean > 0.05, f"only {ocean:.3f} of the canvas is ocean-blue: imagery missing?"


def test_run_started_from_page_completes(in_browser, server, stored_run):
    def check(browser):
        page, seen = _open(browser, f"{server}/?run={stored_run}")
        known = page.eval_on_selector_all("#runs tbody tr", "rows => rows.map(r => r.dataset.id)")
        page.select_option("#scenario", "tiny")
        page.fill("#trials", "4")
        page.click("#run-button")
        page.wait_for_function("known => { const id = document.getElementById('metrics').dataset.runId;"
                               " return id && !known.includes(id); }", arg=known, timeout=120_000)
        page.wait_for_function("gd.loaded", timeout=30_000)
        out = {"seen": seen, "metrics": page.inner_text("#metrics"), "job": page.inner_text("#job-text"),
               "rows": page.locator("#runs tbody tr").count(), "known": len(known)}
        page.close()
        return out

    out = in_browser(check)
    assert "P(no leak)" in out["metrics"] and "4 / 3" in out["metrics"]  # trials / seed
    assert "done" in out["job"] and out["rows"] == out["known"] + 1
    assert out["seen"]["outside"] == [] and out["seen"]["errors"] == []


def test_api_docs_render_offline(in_browser, server):
    def check(browser):
        page = browser.new_page()
        outside = []
        page.on("request", lambda r: None if _local(r.url) else outside.append(r.url))
        page.goto(server + "/docs")
        page.get_by_text("/api/runs/{run_id}/czml").first.wait_for(timeout=30_000)
        page.close()
        return outside

    assert in_browser(check) == []


def test_globe_draws_on_demand_zooms_to_labels_and_grows_flyouts(in_browser, server, stored_run):
    """Paused: no frames drawn; zoomed in: asset labels shown without errors (the page drops Cesium's
    globe-depth framebuffer, which labels otherwise read); fly-out lines grow with the interceptor."""
    def check(browser):
        page, seen = _open(browser, f"{server}/?run={stored_run}")
        page.wait_for_function("gd.viewer.scene.globe.tilesLoaded", timeout=30_000)
        out = {"thin": page.evaluate("(() => { const t = thin(Array.from({length: 200}, (_, i) => i), 40);"
                                     " return [t.length, t[0], t[t.length - 1]]; })()")}
        page.click("#play")  # the clock bar's pause
        page.wait_for_timeout(500)
        f0 = page.evaluate("gd.stats.frames")
        page.wait_for_timeout(1500)
        out["paused_frames"] = page.evaluate("gd.stats.frames") - f0
        page.eval_on_selector("#scrub", "e => { e.value = '500'; e.dispatchEvent(new Event('input')); }")
        out["scrubbed"] = page.evaluate("(() => { const c = gd.viewer.clock, d = Cesium.JulianDate.secondsDifference;"
                                        " return [c.shouldAnimate, d(c.currentTime, c.startTime)"
                                        " / d(c.stopTime, c.startTime)]; })()")
        out["clock_text"] = page.inner_text("#clock-text")
        out["flights"] = page.evaluate("""() => player.flights.map((f) => {
            const at = (t) => { gd.viewer.clock.currentTime = Cesium.JulianDate.addSeconds(player.epoch, t,
                new Cesium.JulianDate()); player.tick(gd.viewer.clock); return [f.grown, f.line.positions.length]; };
            return [f.n, at(f.t0 + 0.3 * (f.t1 - f.t0)), at(f.t1 + 1)]; })""")
        page.evaluate("gd.viewer.camera.setView({destination: Cesium.Cartesian3.fromDegrees(-122.3, 47.6, 2.0e6)})")
        page.wait_for_timeout(1500)
        out["labels"] = page.evaluate("(() => { for (let i = 0; i < player.layer.length; i++) {"
                                      " const p = player.layer.get(i); if (p instanceof Cesium.LabelCollection)"
                                      " return [p.show, p.length]; } })()")
        out["note"] = page.evaluate("(() => { const o = {...player.scene.objects[0], p_leak: 1, why: 'midcourse missed'};"
                                    " player.addMover(o); const it = player.items[player.items.length - 1];"
                                    " return it.note ? it.note.text : null; })()")
        f0 = page.evaluate("gd.stats.frames")
        page.click("#play")
        page.wait_for_timeout(1000)
        out["zoomed_frames"] = page.evaluate("gd.stats.frames") - f0
        out["seen"] = seen
        page.close()
        return out

    out = in_browser(check)
    assert out["seen"]["errors"] == [] and out["seen"]["outside"] == [], out["seen"]
    n, first, last = out["thin"]
    assert 30 <= n <= 40 and (first, last) == (0, 199)  # every 6th of 200 samples, the last kept
    assert out["paused_frames"] <= 1, out["paused_frames"]
    animating, fraction = out["scrubbed"]
    assert animating is False and abs(fraction - 0.5) < 1e-3 and out["clock_text"].startswith("T+")
    assert out["labels"] == [True, 1] and out["zoomed_frames"] >= 5  # Seattle's name; still drawing
    assert out["note"] == "rv 0 leaked 100%: midcourse missed"  # a leaker's label says why
    assert len(out["flights"]) >= 1  # the tiny run's GBI shot
    for n, mid, after in out["flights"]:
        assert mid[1] == after[1] == n and 0 <= mid[0] < n - 1 and after[0] == n - 1


def test_czml_mode_plays(in_browser, server, stored_run):
    """?mode=czml: Cesium's entity layer draws the run's CZML and its clock advances (Cesium holds the
    clock until the entities' geometry is built, which takes longer on a busy machine)."""
    def check(browser):
        page, seen = _open(browser, f"{server}/?run={stored_run}&mode=czml")
        now = "Cesium.JulianDate.toDate(gd.viewer.clock.currentTime).getTime()"
        t0, f0 = page.evaluate(now), page.evaluate("gd.stats.frames")
        page.wait_for_function(f"t0 => {now} - t0 > 10000", arg=t0, timeout=30_000)  # 60x: 10 s of scenario
        out = {"frames": page.evaluate("gd.stats.frames") - f0, "objects": page.evaluate("gd.stats.objects"),
               "multiplier": page.evaluate("gd.viewer.clock.multiplier"), "seen": seen}
        page.close()
        return out

    out = in_browser(check)
    assert out["seen"]["errors"] == [] and out["seen"]["outside"] == [], out["seen"]
    assert out["objects"] > 2 and out["frames"] >= 3 and out["multiplier"] == 60
