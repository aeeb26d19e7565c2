"""How fast the HTML report of a 1,000-object raid opens in headless Chromium (issue 7 figure).

Target (issue 7): the report of a 1,000-object raid opens in < 3 s, measured in the page as
``performance.now()`` (ms since navigation start) when Plotly has drawn the last figure.
Reports the stored run of benchmarks/scenarios/raid-1000.yaml (benchmarks/raid1000.py makes it
once: 200 ICBMs x (1 RV + 4 decoys), 10,000 trials), opens it five times in Debian's chromium.

    python benchmarks/report_open.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from plotly.offline import get_plotlyjs

import raid1000

from goldendome.app import report as app_report
from goldendome.study.store import Store

STORE = raid1000.STORE
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-quic", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"]
OPENS = 5


def _run_id(reuse: bool = True) -> str:
    return raid1000.stored_run()[0]


def open_ms(paths: list[Path], opens: int = OPENS) -> list[list[float]]:
    """For each page, ``opens`` times in ms (fresh page each, one browser): navigation to render, and
    navigation to plotly.js loaded (None where the page has no such mark)."""
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for path in paths:
            times = []
            for _ in range(opens):
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.goto(f"file://{path}")
                page.wait_for_function("window.goldendomeRenderedMs !== undefined", timeout=60_000)
                times.append(page.evaluate("[window.goldendomeRenderedMs, (performance.getEntriesByName("
                                           "'goldendome-plotly-loaded')[0] || {}).startTime]"))
                page.close()
            out.append(times)
        browser.close()
    return out


def _plotly_only(d: Path) -> Path:
    """A page with nothing but plotly.js inline: the floor under any report's open time."""
    p = d / "plotly-only.html"
    p.write_text(f"<!DOCTYPE html><html><head><script>{get_plotlyjs()}</script></head><body><script>"
                 "window.goldendomeRenderedMs = performance.now();</script></body></html>")
    return p


def rows(reuse: bool = True) -> list[tuple[str, str, str]]:
    run_id = _run_id(reuse)
    replay = Store(STORE).artifact(run_id, "replay")
    d = Path(tempfile.mkdtemp(prefix="goldendome-report-bench-"))
    t0 = time.perf_counter()
    res = app_report.report(run_id, d / "report.html", store_path=STORE)
    t_build = time.perf_counter() - t0
    report, floor = open_ms([Path(res["path"]), _plotly_only(d)])
    n, render = len(replay["objects"]), [r[0] for r in report]
    loaded = statistics.median(r[1] for r in report)
    return [
        (f"report of a {n:,}-object raid: open in headless Chromium, navigation to last figure drawn "
         f"(median of {OPENS})", f"{statistics.median(render) / 1e3:.2f} s", "< 3 s"),
        ("  slowest of those opens", f"{max(render) / 1e3:.2f} s", ""),
        ("  of which loading plotly.js and the map (median)", f"{loaded / 1e3:.2f} s", ""),
        ("  a page with only plotly.js inline (median)", f"{statistics.median(r[0] for r in floor) / 1e3:.2f} s", ""),
        ("  report build (read store, figures, write HTML)", f"{t_build:.2f} s", ""),
        ("  HTML file (plotly.js, world map and data inline)", f"{res['bytes'] / 1e6:.1f} MB", ""),
    ]


if __name__ == "__main__":
    print("| figure | measured | target |\n|---|---|---|")
    for row in rows(reuse="--reuse" in sys.argv):
        print("| " + " | ".join(row) + " |")
