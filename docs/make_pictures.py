"""The README's pictures, captured in headless Chromium.

    python docs/make_pictures.py globe [--at-s 900]     # docs/globe.png
    python docs/make_pictures.py report goldendome-demo/report.html   # docs/report.png (after `make demo`)

globe: the stored 1,000-object run (benchmarks/raid1000.py) playing on `goldendome serve` at
1280x720 (software WebGL), the clock paused at --at-s seconds after the first launch.
report: the top of an offline report at 1400x1000.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import globe_fps  # noqa: E402


def globe(at_s: float, out: str) -> None:
    from playwright.sync_api import sync_playwright

    run_id, _ = globe_fps.stored_run(globe_fps.STORE)
    data = Path("/tmp/goldendome-bench-globe-data")
    data.mkdir(exist_ok=True)
    proc, url = globe_fps.serve(globe_fps.STORE, str(data))
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=globe_fps.CHROMIUM, args=globe_fps.ARGS)
            page, _ = globe_fps.open_page(browser, f"{url}/?run={run_id}&scale=1")
            page.evaluate("""(t) => { const c = gd.viewer.clock; c.shouldAnimate = false;
                c.currentTime = Cesium.JulianDate.addSeconds(c.startTime, t, new Cesium.JulianDate());
                gd.clockBar(); gd.viewer.scene.requestRender(); }""", at_s)
            page.wait_for_function("gd.viewer.scene.globe.tilesLoaded", timeout=60_000)
            page.wait_for_timeout(1500)
            page.screenshot(path=out)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(10)


def report(html: str, out: str) -> None:
    from playwright.sync_api import sync_playwright

    if not Path(html).is_file():
        print(f"make_pictures.py: {html}: no such report file (run `make demo` first)", file=sys.stderr)
        sys.exit(2)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=globe_fps.CHROMIUM, args=globe_fps.ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(Path(html).resolve().as_uri())
        page.wait_for_timeout(3000)  # plotly draws the figures after load
        page.screenshot(path=out)
        browser.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="what", required=True)
    g = sub.add_parser("globe")
    g.add_argument("--at-s", type=float, default=900.0)
    g.add_argument("--out", default=str(ROOT / "docs" / "globe.png"))
    r = sub.add_parser("report")
    r.add_argument("html")
    r.add_argument("--out", default=str(ROOT / "docs" / "report.png"))
    a = ap.parse_args()
    globe(a.at_s, a.out) if a.what == "globe" else report(a.html, a.out)
    from PIL import Image  # 256 colours: a third of the bytes, no visible change on these pictures

    Image.open(a.out).convert("RGB").quantize(256).save(a.out, optimize=True)
    print(a.out)


if __name__ == "__main__":
    main()
