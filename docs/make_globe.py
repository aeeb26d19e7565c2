"""Capture docs/globe.png: the stored 1,000-object run (benchmarks/raid1000.py) playing on `goldendome serve`.

    python docs/make_globe.py [--at-s 600] [--out docs/globe.png]

Headless Chromium (software WebGL) at 1280x720, the clock paused at --at-s seconds after the first launch.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import globe_fps  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--at-s", type=float, default=600.0)
    ap.add_argument("--out", default=str(ROOT / "docs" / "globe.png"))
    a = ap.parse_args()
    from playwright.sync_api import sync_playwright

    run_id, _ = globe_fps.stored_run(globe_fps.STORE)
    data = Path("/tmp/goldendome-bench-globe-data")
    data.mkdir(exist_ok=True)
    proc, url = globe_fps.serve(globe_fps.STORE, str(data))
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=globe_fps.CHROMIUM, args=globe_fps.ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto(f"{url}/?run={run_id}&scale=1")
            page.wait_for_function("window.gd && gd.loaded", timeout=180_000)
            page.evaluate("""(t) => { const c = gd.viewer.clock; c.shouldAnimate = false;
                c.currentTime = Cesium.JulianDate.addSeconds(c.startTime, t, new Cesium.JulianDate());
                gd.clockBar(); gd.viewer.scene.requestRender(); }""", a.at_s)
            page.wait_for_function("gd.viewer.scene.globe.tilesLoaded", timeout=60_000)
            page.wait_for_timeout(1500)
            page.screenshot(path=a.out)
            browser.close()
        from PIL import Image  # 256 colours: a third of the bytes, no visible change on this picture

        Image.open(a.out).convert("RGB").quantize(256).save(a.out, optimize=True)
    finally:
        proc.terminate()
        proc.wait(10)
    print(a.out)


if __name__ == "__main__":
    main()
