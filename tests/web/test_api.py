"""`goldendome serve` JSON API: endpoints, 4xx on bad input (never a 500), nothing read or written outside its folders."""

from __future__ import annotations

import http.client
import json
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from goldendome.app.run import run as run_scenario
from goldendome.scenario import presets
from goldendome.web import app as web_app
from goldendome.web import czml as czml_mod


@pytest.fixture(scope="module")
def client(web_dirs, stored_run, tmp_path_factory):
    """The app in-process, with a Cesium folder that holds one file and a symlink leading out of it."""
    cesium = tmp_path_factory.mktemp("cesium")
    (cesium / "ok.js").write_text("// served\n")
    (cesium / "leak.yaml").symlink_to(web_dirs["outside"] / "secret.yaml")
    settings = web_app.Settings(store=web_dirs["store"], data_dir=web_dirs["data"],
                                scenarios_dir=web_dirs["scenarios"], cesium_dir=cesium)
    app = web_app.create_app(settings, runner=run_scenario)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def wait_job(client, job_id: str, timeout_s: float = 240.0) -> dict:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.5)
    raise AssertionError(f"job {job_id} still {job['state']} after {timeout_s} s")


def test_scenarios_list_the_folder_only(client):
    rows = {r["name"]: r for r in client.get("/api/scenarios").json()["scenarios"]}
    assert rows["tiny"]["valid"] and rows["tiny"]["objects"] == 2 and rows["tiny"]["architecture"] == "inline"
    assert "nk-salvo-vs-medium" in rows and rows["nk-salvo-vs-medium"]["architecture"] == "medium"
    assert not rows["bad"]["valid"] and "threats[0].count" in rows["bad"]["error"]
    assert "linked" not in rows  # a symlink out of the folder is not a scenario of it


def test_presets(client):
    names = [p["name"] for p in client.get("/api/presets").json()["presets"]]
    assert names == presets.names() and {"small", "medium", "large"} <= set(names)


def test_threat_sets(client):
    sets = client.get("/api/threat-sets").json()["threat_sets"]
    assert "nk-icbm" in [t["name"] for t in sets] and all(t["nominal"] >= 1 for t in sets)


def test_start_run_with_threat_set_is_validated_and_named(client, web_dirs):
    r = client.post("/api/runs", json={"scenario": "tiny", "threat_set": "nk-icbm", "missiles": 2, "trials": 3})
    assert r.status_code == 202, r.text
    assert r.json()["request"]["threat_set"] == "nk-icbm"
    job = wait_job(client, r.json()["id"])
    assert job["state"] == "done", job.get("error")
    assert client.get(f"/api/runs/{job['run_id']}").json()["name"] == "web-test-tiny+nk-icbm-2"


def test_runs_list_get_compare(client, stored_run):
    runs = client.get("/api/runs").json()["runs"]
    assert stored_run in [r["run_id"] for r in runs]
    run = client.get(f"/api/runs/{stored_run}").json()
    assert run["name"] == "web-test-tiny" and 0.0 <= run["metrics"]["p_no_leak"] <= 1.0
    cmp = client.get(f"/api/compare?run_id={stored_run}&run_id={stored_run}").json()
    assert [r["run_id"] for r in cmp["runs"]] == [stored_run] * 2 and "expected_leakers" in cmp["keys"]


def test_czml_is_sampled_per_object(client, stored_run):
    doc = client.get(f"/api/runs/{stored_run}/czml").json()
    assert doc[0]["id"] == "document" and "/" in doc[0]["clock"]["interval"]
    objects = [p for p in doc if p["id"].startswith("object-")]
    assert len(objects) == 2  # one packet per object, not one per sample
    for p in objects:
        s = p["position"]["cartographicDegrees"]
        assert len(s) % 4 == 0 and len(s) >= 8 and s[::4] == sorted(s[::4])
        assert all(-180 <= lon <= 180 for lon in s[1::4]) and all(-90 <= lat <= 90 for lat in s[2::4])
    assert any(p["id"].startswith("effector-") for p in doc) and any(p["id"].startswith("asset-") for p in doc)


def test_scene_matches_replay(client, stored_run, web_dirs):
    from goldendome.study.store import Store

    replay = Store(web_dirs["store"]).artifact(stored_run, "replay")
    scene = client.get(f"/api/runs/{stored_run}/scene").json()
    assert len(scene["objects"]) == len(replay["objects"]) and scene["dt_s"] == pytest.approx(10.0)
    o, i0 = scene["objects"][0], scene["objects"][0]["i0"]
    assert o["pos"][:3] == [replay["paths"]["lon_deg"][0][i0], replay["paths"]["lat_deg"][0][i0],
                            pytest.approx(replay["paths"]["alt_km"][0][i0] * 1e3)]
    assert replay["paths"]["lat_deg"][0][i0 - 1] is None if i0 > 0 else True


def test_scene_and_czml_carry_coverage_and_flyouts(client, stored_run, web_dirs):
    from goldendome.study.store import Store

    replay = Store(web_dirs["store"]).artifact(stored_run, "replay")
    scene = client.get(f"/api/runs/{stored_run}/scene").json()
    radars = [s for s in replay["sensors"] if s["kind"] == "radar"]
    assert len(scene["coverage"]) == len(radars) >= 2 and all(c["rings"] for c in scene["coverage"])
    assert scene["satellites"] == [] and len(scene["flyouts"]) == len(replay["engagements"])
    doc = client.get(f"/api/runs/{stored_run}/czml").json()
    assert sum(p["id"].startswith("coverage-") for p in doc) >= len(radars)
    assert sum(p["id"].startswith("flyout-") for p in doc) == len(scene["flyouts"])


def test_replay_stored_before_the_globe_layers_still_plays(web_dirs, stored_run, tmp_path):
    from goldendome.study.store import Store

    store = Store(web_dirs["store"])
    replay = store.artifact(stored_run, "replay")
    old = {k: v for k, v in replay.items() if k not in ("satellites", "engagements")}
    old["sensors"] = [{k: v for k, v in s.items() if k in ("name", "kind", "type", "lat_deg", "lon_deg")}
                      for s in replay["sensors"]]
    with Store(tmp_path / "old.duckdb") as s:
        run_id = s.save_run("name: old\n", 1, 1, {"p_no_leak": 1.0}, name="old", artifacts={"replay": old})
    settings = web_app.Settings(store=tmp_path / "old.duckdb", data_dir=tmp_path, scenarios_dir=web_dirs["scenarios"])
    with TestClient(web_app.create_app(settings)) as c:
        scene = c.get(f"/api/runs/{run_id}/scene").json()
        assert c.get(f"/api/runs/{run_id}/czml").status_code == 200
    assert len(scene["objects"]) == len(old["objects"])
    assert scene["satellites"] == scene["coverage"] == scene["flyouts"] == []


def test_flight_samples_fill_inner_gaps():
    replay = {"paths": {"lat_deg": [[None, 1.0, None, 3.0, None]], "lon_deg": [[None, 2.0, None, 4.0, None]],
                        "alt_km": [[None, 0.5, None, 1.0, None]]}}
    assert czml_mod.flight_samples(replay, 0) == (1, [2.0, 1.0, 500.0, 2.0, 1.0, 500.0, 4.0, 3.0, 1000.0])


def test_openapi_and_offline_docs(client):
    spec = client.get("/openapi.json").json()
    assert {"/api/runs", "/api/runs/{run_id}/czml", "/api/jobs/{job_id}", "/api/scenarios", "/api/presets"} <= set(spec["paths"])
    docs = client.get("/docs")
    assert docs.status_code == 200 and "https://" not in docs.text and "http://" not in docs.text


def test_start_run_with_preset_writes_only_into_data_dir(client, web_dirs):
    before = set(web_dirs["scenarios"].iterdir())
    r = client.post("/api/runs", json={"scenario": "tiny", "architecture": "small", "trials": 5, "seed": 1})
    assert r.status_code == 202, r.text
    job = wait_job(client, r.json()["id"])
    assert job["state"] == "done", job.get("error")
    run = client.get(f"/api/runs/{job['run_id']}").json()
    assert run["name"] == "web-test-tiny+small" and run["trials"] == 5 and "architecture: small" in run["scenario_text"]
    assert set(web_dirs["scenarios"].iterdir()) == before
    written = list((web_dirs["data"] / "scenarios").glob("tiny-*.yaml"))
    assert any("architecture: small" in p.read_text() for p in written)
    jobs = client.get("/api/jobs").json()["jobs"]
    assert job["id"] in [j["id"] for j in jobs] and "path" not in jobs[0]


BAD_BODIES = [
    ({}, 422, "scenario"),
    ({"scenario": 1}, 422, "scenario"),
    ({"scenario": "tiny", "trials": 0}, 422, "trials"),
    ({"scenario": "tiny", "trials": -3}, 422, "trials"),
    ({"scenario": "tiny", "trials": 10**9}, 422, "trials"),
    ({"scenario": "tiny", "trials": "many"}, 422, "trials"),
    ({"scenario": "tiny", "seed": -1}, 422, "seed"),
    ({"scenario": "tiny", "seed": 2**64}, 422, "seed"),
    ({"scenario": "tiny", "shell": "rm -rf /"}, 422, "shell"),
    ({"scenario": "nope"}, 404, "not in the scenarios folder"),
    ({"scenario": "bad"}, 400, "threats[0].count"),
    ({"scenario": "tiny", "architecture": "huge"}, 404, "not a preset"),
    ({"scenario": "tiny", "architecture": "../medium"}, 422, "architecture"),
    ({"scenario": "tiny", "threat_set": "nope"}, 404, "not in the catalog"),
    ({"scenario": "tiny", "threat_set": "nk-icbm", "missiles": 0}, 422, "missiles"),
    ({"scenario": "tiny", "threat_set": "nk-icbm", "missiles": 10**6}, 422, "missiles"),
    ({"scenario": "tiny", "missiles": 3}, 400, "needs a threat_set"),
    ({"scenario": "tiny", "threats": "nk-icbm"}, 422, "threats"),
    ({"scenario": "x" * 5000}, 422, "scenario"),
]
TRAVERSAL_NAMES = ["../tiny", "../../etc/passwd", "/etc/passwd", "..%2f..%2fetc%2fpasswd", "%2e%2e/tiny",
                   "tiny/../../x", "..\\..\\x", "linked", "linked.yaml", "C:\\Windows\\win.ini"]


@pytest.mark.parametrize("body,status,words", BAD_BODIES, ids=[str(b)[:40] for b, _, _ in BAD_BODIES])
def test_bad_run_requests_get_4xx_with_a_message(client, body, status, words):
    r = client.post("/api/runs", json=body)
    assert r.status_code == status, r.text
    assert words in r.json()["detail"] and "Traceback" not in r.text and "/tmp" not in r.text


@pytest.mark.parametrize("name", TRAVERSAL_NAMES)
@pytest.mark.parametrize("field", ["scenario", "threat_set", "architecture"])
def test_names_cannot_leave_their_folders(client, name, field):
    body = {"scenario": "tiny", field: name} if field != "scenario" else {"scenario": name}
    r = client.post("/api/runs", json=body)
    assert r.status_code in (404, 422), r.text
    assert "secret" not in r.text


@pytest.mark.parametrize("content", ["garbage", "[1, 2]", "null", '{"scenario": "tiny",'])
def test_malformed_json_is_4xx(client, content):
    r = client.post("/api/runs", content=content, headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["detail"]


def test_form_posts_are_refused(client):
    # a cross-site form cannot start runs: the body must be JSON
    r = client.post("/api/runs", content="scenario=tiny", headers={"content-type": "application/x-www-form-urlencoded"})
    assert 400 <= r.status_code < 500


@pytest.mark.parametrize("path,status", [
    ("/api/runs/not-a-run", 422), ("/api/runs/r000000000000", 404), ("/api/runs/r000000000000/czml", 404),
    ("/api/runs/r000000000000/scene", 404), ("/api/runs/..%2F..%2Fetc%2Fpasswd", 404),
    ("/api/runs/%2e%2e", 422), ("/api/jobs/../../etc", 404), ("/api/jobs/j000000000000", 404),
    ("/api/jobs/xyz", 422), ("/api/compare", 422), ("/api/compare?run_id=../x", 422),
    ("/api/compare?run_id=r000000000000", 404), ("/api/nothing", 404),
])
def test_bad_paths_are_4xx(client, path, status):
    r = client.get(path)
    assert r.status_code == status, r.text
    assert r.json()["detail"]


@pytest.mark.parametrize("path", [
    "/static/%2e%2e/app.py", "/static/..%2fapp.py", "/static/%2e%2e/%2e%2e/%2e%2e/pyproject.toml",
    "/static//etc/passwd", "/static/%2fetc%2fpasswd", "/cesium/%2e%2e/%2e%2e/etc/passwd", "/cesium//etc/passwd",
    "/cesium/leak.yaml", "/swagger/%2e%2e/%2e%2e/package.json",
])
def test_static_files_stay_in_their_folders(client, path):
    r = client.get(path)
    assert r.status_code == 404 and "secret" not in r.text and "root:" not in r.text


def test_static_files_are_served(client):
    assert client.get("/cesium/ok.js").status_code == 200
    page = client.get("/")
    assert page.status_code == 200 and "default-src 'self'" in page.headers["content-security-policy"]
    assert client.get("/static/app.js").status_code == 200


def test_foreign_host_header_is_refused(client):
    assert client.get("/api/runs", headers={"host": "attacker.example"}).status_code == 400


def _raw_get(url: str, path: str) -> tuple[int, bytes]:
    """GET with the path sent exactly as written (httpx and browsers would normalise '../')."""
    u = urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    conn.putrequest("GET", path, skip_accept_encoding=True)
    conn.endheaders()
    resp = conn.getresponse()
    return resp.status, resp.read()


@pytest.mark.parametrize("path", [
    "/static/../../../../../../etc/passwd", "/static/../app.py", "/cesium/../../../pyproject.toml",
    "/static/..%2f..%2f..%2fpyproject.toml", "/cesium/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/api/runs/../../../etc/passwd", "//etc/passwd", "/static/./../web/app.py",
])
def test_live_server_raw_traversal(server, path):
    status, body = _raw_get(server, path)
    assert 400 <= status < 500 and b"root:" not in body and b"[project]" not in body and b"import" not in body


def test_live_server_is_on_loopback_and_json(server, stored_run):
    assert urlsplit(server).hostname == "127.0.0.1"
    status, body = _raw_get(server, f"/api/runs/{stored_run}")
    assert status == 200 and json.loads(body)["run_id"] == stored_run


def test_variant_folder_leading_outside_is_refused(web_dirs, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "scenarios").symlink_to(web_dirs["outside"])  # the data folder's own subfolder points out
    app = web_app.create_app(web_app.Settings(store=tmp_path / "s.duckdb", data_dir=data,
                                              scenarios_dir=web_dirs["scenarios"]), runner=run_scenario)
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.post("/api/runs", json={"scenario": "tiny", "architecture": "small"})
    assert r.status_code == 400 and "outside the data folder" in r.json()["detail"]
    assert sorted(p.name for p in Path(web_dirs["outside"]).iterdir()) == ["secret.yaml"]


def _listening_addresses(port: int) -> set[str]:
    """Local addresses listening on ``port`` (Linux /proc/net/tcp: state 0A is LISTEN)."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        addr, p = local.split(":")
        if state == "0A" and int(p, 16) == port:
            found.add(".".join(str(int(addr[i:i + 2], 16)) for i in (6, 4, 2, 0)))
    return found


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux /proc/net/tcp")
def test_cli_serve_binds_loopback_by_default(web_dirs, stored_run):
    import socket
    import subprocess
    import sys

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "goldendome", "serve", "--port", str(port), "--store", str(web_dirs["store"]),
                             "--data-dir", str(web_dirs["data"]), "--scenarios", str(web_dirs["scenarios"])])
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not _listening_addresses(port):
            time.sleep(0.2)
        assert _listening_addresses(port) == {"127.0.0.1"}
        status, body = _raw_get(f"http://127.0.0.1:{port}", "/api/runs")
        assert status == 200 and stored_run in body.decode()
    finally:
        proc.terminate()  # by its own PID
        proc.wait(10)


def test_cli_serve_refuses_a_missing_scenarios_folder(tmp_path):
    import typer
    from typer.testing import CliRunner

    from goldendome.cli.web import register

    app = typer.Typer()
    app.callback()(lambda: None)
    register(app)
    r = CliRunner().invoke(app, ["serve", "--scenarios", str(tmp_path / "none"), "--data-dir", str(tmp_path / "d")])
    assert r.exit_code != 0 and "no such folder" in str(r.exception or r.output)


def _children(pid: int) -> set[int]:
    """Child processes of ``pid``, started from any of its threads."""
    kids = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            kids |= {int(p) for p in (task / "children").read_text().split()}
        except OSError:
            pass
    return kids


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] not in "ZX"
    except (OSError, IndexError):
        return False


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads Linux /proc")
def test_stopping_the_server_stops_its_run(web_dirs, tmp_path, launch_server):
    proc, url = launch_server({"store": tmp_path / "s.duckdb", "data-dir": tmp_path,
                               "scenarios": web_dirs["scenarios"]})
    try:
        import httpx

        job = httpx.post(url + "/api/runs", json={"scenario": "nk-salvo-vs-medium", "trials": 10}).json()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not _children(proc.pid):
            time.sleep(0.2)
        kids = _children(proc.pid)
        assert kids and httpx.get(f"{url}/api/jobs/{job['id']}").json()["state"] == "running"
    finally:
        proc.terminate()  # by its own PID, as Ctrl-C or a service manager would
        proc.wait(15)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(_alive(k) for k in kids):
        time.sleep(0.2)
    assert not any(_alive(k) for k in kids)


def test_without_a_runner_runs_are_refused_and_stored_runs_still_served(web_dirs, stored_run, tmp_path):
    app = web_app.create_app(web_app.Settings(store=web_dirs["store"], data_dir=tmp_path,
                                              scenarios_dir=web_dirs["scenarios"]))
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.post("/api/runs", json={"scenario": "tiny"})
        assert r.status_code == 503 and "without a runner" in r.json()["detail"]
        assert c.get(f"/api/runs/{stored_run}").status_code == 200
        assert c.get("/api/runs/r000000000000").status_code == 404  # NotFound, by its type
    assert list(tmp_path.iterdir()) == []  # nothing written
