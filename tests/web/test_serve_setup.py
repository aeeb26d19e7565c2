"""`goldendome serve` after `make demo` (issue 15 item 1): it refuses to start without CesiumJS, its
defaults find what the demo wrote (the store and goldendome-demo/), and the side panel works
even when CesiumJS fails to load in the page."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from urllib.request import urlopen

import pytest

from goldendome.web import app as web_app


def serve(args: list[str], cwd: Path, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "goldendome", "serve", *args], cwd=str(cwd), **kw)


def test_serve_refuses_in_one_line_without_cesium(tmp_path, web_dirs, server_tools):
    tools = server_tools
    proc = serve(["--port", str(tools.free_port()), "--scenarios", str(web_dirs["scenarios"]), "--store",
                  str(tmp_path / "s.duckdb"), "--data-dir", str(tmp_path / "d"), "--cesium-dir", str(tmp_path / "none")],
                 tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            tools.stop_server(proc)
    lines = err.strip().splitlines()
    assert proc.returncode == 2 and len(lines) == 1, err
    assert "CesiumJS is missing" in lines[0] and "make web" in lines[0] and "--cesium-dir" in lines[0]
    assert "Traceback" not in err and out == ""


def test_the_default_cesium_folder_is_the_checkouts():
    """`make web` fills web/node_modules; the server's default finds Cesium.js there (make demo runs make web)."""
    folder = web_app.Settings().cesium_dir
    if not (folder / "Cesium.js").is_file():
        pytest.skip("CesiumJS not installed here (make web)")
    assert folder.parts[-4:] == ("node_modules", "cesium", "Build", "Cesium")


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory, web_dirs) -> tuple[Path, str]:
    """A folder as `goldendome demo` leaves it: goldendome-demo/scenario.yaml and goldendome-runs.duckdb
    holding its run (the tiny scenario stands in for the demo's), no scenarios/ folder."""
    from goldendome.app import run as app_run

    base = tmp_path_factory.mktemp("after-demo")
    (base / "goldendome-demo").mkdir()
    (base / "goldendome-demo" / "scenario.yaml").write_text((web_dirs["scenarios"] / "tiny.yaml").read_text())
    run_id = app_run.run(base / "goldendome-demo" / "scenario.yaml", store_path=base / "goldendome-runs.duckdb")["run_id"]
    return base, run_id


@pytest.fixture(scope="module")
def demo_server(demo_folder, tmp_path_factory, server_tools):
    """`goldendome serve` with its defaults in the demo's folder, CesiumJS replaced by a file that defines
    nothing (the page then meets "Cesium is not defined", as with a missing CesiumJS)."""
    base, _, tools = *demo_folder, server_tools
    fake = tmp_path_factory.mktemp("fake-cesium")
    (fake / "Cesium.js").write_text("// not CesiumJS\n")
    port = tools.free_port()
    proc = serve(["--port", str(port), "--cesium-dir", str(fake)], base)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"server exited with {proc.returncode}"
        try:
            with urlopen(url + "/api/presets", timeout=2):
                break
        except OSError:
            time.sleep(0.2)
    yield url
    tools.stop_server(proc)


def test_serve_defaults_find_what_the_demo_wrote(demo_server, demo_folder):
    import httpx

    _, run_id = demo_folder
    scenarios = httpx.get(demo_server + "/api/scenarios").json()["scenarios"]
    assert [(s["name"], s["valid"]) for s in scenarios] == [("scenario", True)]  # goldendome-demo/scenario.yaml
    assert run_id in [r["run_id"] for r in httpx.get(demo_server + "/api/runs").json()["runs"]]


def test_side_panel_works_without_the_globe(in_browser, demo_server, demo_folder):
    _, run_id = demo_folder

    def check(browser):
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.goto(demo_server + "/")
        page.wait_for_function("window.gd && window.gd.panels", timeout=45_000)
        out = {"scenarios": page.eval_on_selector_all("#scenario option", "os => os.map(o => o.value)"),
               "runs": page.eval_on_selector_all("#runs tbody tr", "rows => rows.map(r => r.dataset.id)"),
               "metrics": page.eval_on_selector("#metrics", "e => e.dataset.runId"),
               "status": page.inner_text("#status"), "globe": page.evaluate("gd.globe")}
        page.close()
        return out

    out = in_browser(check)
    assert out["scenarios"] == ["scenario"] and run_id in out["runs"] and out["metrics"] == run_id
    assert out["globe"] is False and "globe could not start" in out["status"] and "make web" in out["status"]


def test_serve_without_any_scenarios_folder_says_where_it_looked(tmp_path, monkeypatch):
    import typer
    from typer.testing import CliRunner

    from goldendome.cli.web import register

    app = typer.Typer()
    app.callback()(lambda: None)
    register(app)
    monkeypatch.chdir(tmp_path)  # neither ./scenarios nor ./goldendome-demo
    r = CliRunner().invoke(app, ["serve"])
    message = str(r.exception or r.output)
    assert r.exit_code != 0 and "./scenarios" in message and "goldendome demo" in message and "--scenarios" in message
    assert list(tmp_path.iterdir()) == []  # nothing written
