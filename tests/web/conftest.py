"""Fixtures for `goldendome serve`: a tiny scenario folder, a store with one run, a live server, Chromium.

The live server is a subprocess (`python -m goldendome serve` on 127.0.0.1, a free port) stopped by its own PID.
Chromium is the session's one browser of tests/conftest.py: ``in_browser(fn)`` calls
``fn(chromium)`` on its thread and returns the result; the browser tests skip when
/usr/bin/chromium is missing unless GOLDENDOME_REQUIRE_BROWSER is set, in which case they fail.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.request import urlopen

import pytest

ROOT = Path(__file__).resolve().parents[2]

# One RV and one decoy against one radar and one GBI site: a complete run in seconds.
TINY = """schema: goldendome/v1
name: web-test-tiny
seed: 3
trials: 20
threats:
  - {missile: icbm-solid, launch: kp-pyongyang, target: seattle, count: 1, decoys: 1}
architecture:
  sensors:
    - {kind: radar, type: uewr, site: "64.30,-149.19"}
    - {kind: radar, type: lrdr, site: clear-sfs}
  effectors:
    - {kind: site, type: gbi, site: fort-greely, inventory: 4}
  c2: {latency_s: 10, doctrine: shoot-look-shoot, max_shots_per_threat: 2}
assets:
  - {id: seattle, lat: 47.61, lon: -122.33, value: 1.0}
"""
BAD = TINY.replace("count: 1,", "count: 0,").replace("web-test-tiny", "web-test-bad")


@pytest.fixture(scope="session")
def web_dirs(tmp_path_factory) -> dict[str, Path]:
    """A scenarios folder (tiny, an invalid one, the project's examples), an empty data folder, a store path."""
    base = tmp_path_factory.mktemp("web")
    scen, data = base / "scenarios", base / "data"
    scen.mkdir()
    data.mkdir()
    (scen / "tiny.yaml").write_text(TINY)
    (scen / "bad.yaml").write_text(BAD)
    for p in sorted((ROOT / "scenarios").glob("*.yaml")):
        shutil.copy(p, scen / p.name)
    outside = base / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text(TINY.replace("web-test-tiny", "secret"))
    (scen / "linked.yaml").symlink_to(outside / "secret.yaml")  # must not be listed or run
    return {"base": base, "scenarios": scen, "data": data, "store": base / "runs.duckdb", "outside": outside}


@pytest.fixture(scope="session")
def stored_run(web_dirs) -> str:
    """The id of one run of the tiny scenario in the session store (made with goldendome.app.run)."""
    from goldendome.app import run as app_run

    return app_run.run(web_dirs["scenarios"] / "tiny.yaml", store_path=web_dirs["store"])["run_id"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(options: dict, port: int | None = None) -> tuple[subprocess.Popen, str]:
    """`goldendome serve --port P --OPTION VALUE ...` on 127.0.0.1; returns the process and its base URL once it answers."""
    port = port or free_port()
    cmd = [sys.executable, "-m", "goldendome", "serve", "--port", str(port)]
    cmd += [a for k, v in options.items() for a in (f"--{k}", str(v))]
    proc = subprocess.Popen(cmd, cwd=str(ROOT))
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with urlopen(url + "/api/presets", timeout=2):
                return proc, url
        except OSError:
            time.sleep(0.2)
    stop_server(proc)
    raise RuntimeError("server did not answer within 60 s")


def stop_server(proc: subprocess.Popen) -> None:
    """Stop the server by its own PID (SIGTERM, then SIGKILL)."""
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


@pytest.fixture(scope="session")
def server(web_dirs, stored_run):
    """Base URL of a live `goldendome serve` app on the session folders (one run already stored)."""
    proc, url = start_server({"store": web_dirs["store"], "data-dir": web_dirs["data"],
                              "scenarios": web_dirs["scenarios"]})
    yield url
    stop_server(proc)


@pytest.fixture
def launch_server():
    """``launch_server(options) -> (process, url)``: more live servers; any still running are stopped afterwards."""
    procs = []

    def launch(options: dict):
        proc, url = start_server(options)
        procs.append(proc)
        return proc, url

    yield launch
    for proc in procs:
        if proc.poll() is None:
            stop_server(proc)


@pytest.fixture(scope="session")
def in_browser(browser):
    """Run ``fn(chromium)`` on the session's Chromium thread (see the module docstring)."""
    return browser


@pytest.fixture(scope="session")
def server_tools():
    """free_port() and stop_server(proc) for tests that start servers their own way."""
    from types import SimpleNamespace

    return SimpleNamespace(free_port=free_port, stop_server=stop_server)
