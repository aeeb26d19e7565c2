"""Sweeps: grid expansion and cell keys, bad studies, a real sweep on Dask, resume after kill -9."""

import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import psutil
import pytest

from goldendome.app import sweep as app_sweep
from goldendome.errors import InputError
from goldendome.study import sweep as sw

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "scenarios" / "nk-salvo-vs-defence.yaml"
# A light base (one ICBM, one radar, GBIs) keeps each cell near a second.
LIGHT = {"schema": "goldendome/v1", "name": "light", "seed": 0, "trials": 1000,
         "threats": [{"missile": "icbm-solid", "launch": "kp-pyongyang", "target": "seattle", "count": 1}],
         "architecture": {"sensors": [{"kind": "radar", "type": "lrdr", "site": "clear-sfs", "latency_s": 1}],
                          "effectors": [{"kind": "site", "type": "gbi", "site": "fort-greely", "inventory": 40}],
                          "c2": {"latency_s": 10, "doctrine": "shoot-look-shoot"}}}
GRID = {"threats[0].count": [1, 2], "architecture.c2.doctrine": ["shoot-shoot", "shoot-look-shoot"]}


def _study(tmp_path: Path, grid: dict = GRID, trials: int = 20, name: str = "t4", base=None) -> Path:
    """A study file in tmp_path over an inline base scenario (4 cells by default)."""
    doc = {"schema": sw.SCHEMA_ID, "name": name, "base": LIGHT if base is None else base,
           "trials": trials, "seed": 3, "grid": grid}
    path = tmp_path / f"{name}.yaml"
    path.write_text(json.dumps(doc))  # JSON is YAML
    return path


def _worker_children() -> list:
    """Dask worker processes (multiprocessing spawn children) of this process still running."""
    kids = psutil.Process().children(recursive=True)
    return [p for p in kids if p.status() != psutil.STATUS_ZOMBIE and "spawn_main" in " ".join(p.cmdline())]


def test_grid_expands_in_file_order_with_stable_keys(tmp_path):
    study = sw.read_study(_study(tmp_path))
    cells = sw.expand(study)
    assert [tuple(c.overrides.values()) for c in cells] == [
        (1, "shoot-shoot"), (1, "shoot-look-shoot"), (2, "shoot-shoot"), (2, "shoot-look-shoot")]
    text = '{"architecture.c2.doctrine":"shoot-shoot","threats[0].count":1}'
    assert cells[0].overrides_json == text and cells[0].key == hashlib.sha256(text.encode()).hexdigest()
    swapped = sw.read_study(_study(tmp_path, dict(reversed(GRID.items()))))
    assert {c.key for c in sw.expand(swapped)} == {c.key for c in cells}
    assert swapped.study_id == study.study_id == sw.read_study(_study(tmp_path)).study_id
    wider = sw.read_study(_study(tmp_path, {**GRID, "threats[0].count": [1, 2, 3]}))
    assert wider.study_id == study.study_id  # the grid picks cells; it does not change their results
    assert sw.read_study(_study(tmp_path, trials=21)).study_id != study.study_id
    data = sw.cell_mapping(study, cells[3])
    assert data["threats"][0]["count"] == 2 and data["architecture"]["c2"]["doctrine"] == "shoot-look-shoot"
    assert data["trials"] == 20 and data["seed"] == 3


def test_parse_path():
    assert sw.parse_path("threats[0].count") == ["threats", 0, "count"]
    assert sw.parse_path("architecture.sensors[2].latency_s") == ["architecture", "sensors", 2, "latency_s"]
    for bad in ("threats[0]..count", "[0].count", "threats[x]", "threats[0]count", ""):
        with pytest.raises(InputError, match="not a scenario path"):
            sw.parse_path(bad)


@pytest.mark.parametrize("grid, message", [
    ({"threats[0].cont": [1]}, r"cell .*threats\[0\]\.cont: unknown path"),
    ({"threats[5].count": [1]}, r"grid: threats\[5\]\.count: unknown path"),
    ({"architecture.c3.doctrine": ["shoot-shoot"]}, r"grid: architecture\.c3\.doctrine: unknown path"),
    ({"threats[0].count": []}, "non-empty list"),
    ({"threats[0].count": 3}, "non-empty list"),
    ({"threats[0].count": [1, 0]}, r'cell \{"threats\[0\]\.count":0\}: threats\[0\]\.count: .*greater than'),
    ({"architecture.c2.doctrine": ["bogus"]}, "architecture.c2.doctrine"),
    ({"threats[0].missile": ["nope"]}, "unknown missile 'nope'"),
], ids=["unknown-field", "index-out-of-range", "unknown-mapping", "empty", "not-a-list", "bad-value",
        "bad-literal", "bad-catalog-id"])
def test_bad_grid_is_input_error_naming_study_and_key(tmp_path, grid, message):
    path = _study(tmp_path, grid)
    with pytest.raises(InputError, match=message) as err:
        study = sw.read_study(path)
        sw.scenarios(study, sw.expand(study))
    assert str(path) in str(err.value) and "\n" not in str(err.value)


def test_bad_study_fields(tmp_path):
    path = tmp_path / "s.yaml"
    for text, message in [("schema: goldendome/v1\nname: x\nbase: a\ngrid: {}\n", "schema"),
                          (f"schema: {sw.SCHEMA_ID}\nname: x\nbase: {BASE}\ngrid: {{}}\n", "grid"),
                          (f"schema: {sw.SCHEMA_ID}\nname: x\nbase: {BASE}\ntrials: 0\ngrid: {{}}\n", "trials"),
                          (f"schema: {sw.SCHEMA_ID}\nname: x\nbase: missing.yaml\ngrid: {{a: [1]}}\n", "missing.yaml"),
                          (f"schema: {sw.SCHEMA_ID}\nname: x\nbse: {BASE}\n", "bse: unknown field")]:
        path.write_text(text)
        with pytest.raises(InputError, match=message):
            sw.read_study(path)


def test_base_file_relative_to_the_study(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "base.yaml").write_text(BASE.read_text())
    study = sw.read_study(_study(tmp_path / "sub", base="../base.yaml"))
    assert study.base["name"] == "nk-salvo-vs-defence" and study.base["trials"] == 20


def test_example_study_is_valid():
    study = sw.read_study(ROOT / "studies" / "nk-count-vs-doctrine.yaml")
    cells = sw.expand(study)
    assert len(sw.scenarios(study, cells)) == len(cells) == 8


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """An uninterrupted 4-cell sweep on a LocalCluster of one worker: (study path, result, store)."""
    tmp = tmp_path_factory.mktemp("sweep")
    path, store = _study(tmp), tmp / "ref.duckdb"
    calls = []
    out = app_sweep.sweep(path, workers=1, store_path=store, progress=lambda d, t: calls.append((d, t)))
    assert not _worker_children()
    return path, out, store, calls


def test_sweep_on_local_cluster_stores_every_cell(reference):
    path, out, store, calls = reference
    assert (out["cells"], out["done"], out["skipped"]) == (4, 4, 0)
    assert calls[0] == (0, 4) and calls[-1] == (4, 4)
    with duckdb.connect(str(store), read_only=True) as con:
        rows = con.execute("SELECT study_id, count(*) FROM sweep_cells GROUP BY study_id").fetchall()
    assert rows == [(out["study_id"], 4)]
    row = out["rows"][0]
    assert row["threats[0].count"] == 1 and row["architecture.c2.doctrine"] == "shoot-shoot"
    assert 0.0 <= row["p_no_leak"] <= 1.0 and row["cost_used_usd"] > 0 and row["expected_leakers"] >= 0
    again = app_sweep.sweep(path, workers=1, store_path=store)  # all stored: no cluster started
    assert (again["done"], again["skipped"]) == (0, 4) and again["rows"] == out["rows"]


def _stored(store: Path) -> int:
    """Cells in the store now (0 while the file or table is missing or locked)."""
    try:
        with duckdb.connect(str(store), read_only=True) as con:
            return con.execute("SELECT count(*) FROM sweep_cells").fetchone()[0]
    except duckdb.Error:
        return 0


def _group_alive(pgid: int) -> list[int]:
    """Processes (not zombies) still in process group ``pgid``."""
    alive = []
    for p in psutil.process_iter(["pid", "status"]):
        try:
            if os.getpgid(p.pid) == pgid and p.info["status"] != psutil.STATUS_ZOMBIE:
                alive.append(p.pid)
        except (ProcessLookupError, psutil.Error):
            pass
    return alive


def _cli(path: Path, store: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "goldendome", "sweep", str(path), "--store", str(store), *extra]


def _kill_after_first_cell(path: Path, store: Path) -> subprocess.Popen:
    """Start a sweep, SIGKILL its process group once a cell is stored (or after 60 s)."""
    proc = subprocess.Popen(_cli(path, store, "--workers", "1", "--json"), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while _stored(store) < 1 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    return proc


def test_killed_sweep_resumes_without_losing_or_duplicating_cells(reference, tmp_path):
    path, ref, _, _ = reference
    for attempt in range(3):  # on a loaded machine the poll may see the first cell only after the last
        store = tmp_path / f"resume{attempt}.duckdb"
        proc = _kill_after_first_cell(path, store)
        before = _stored(store)
        if 1 <= before < 4:
            break
    assert 1 <= before < 4, f"kill landed with {before} cells stored (3 tries)"
    time.sleep(0.2)
    assert not _group_alive(proc.pid), "dask processes outlived the kill"
    done = subprocess.run(_cli(path, store, "--workers", "1", "--json"), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert (out["done"], out["skipped"]) == (4 - before, before)
    with duckdb.connect(str(store), read_only=True) as con:
        keys = [r[0] for r in con.execute("SELECT cell_key FROM sweep_cells").fetchall()]
    assert len(keys) == len(set(keys)) == 4
    assert out["rows"] == ref["rows"]


def test_sweep_on_an_existing_scheduler(tmp_path):
    from dask.distributed import LocalCluster

    path = _study(tmp_path, {"threats[0].count": [2]}, name="remote")
    with LocalCluster(n_workers=1, threads_per_worker=1, dashboard_address=":0", env=app_sweep.WORKER_ENV) as cluster:
        out = app_sweep.sweep(path, scheduler=cluster.scheduler_address, store_path=tmp_path / "s.duckdb")
        assert len(cluster.scheduler.workers) == 1  # the cluster outlives the sweep
    assert (out["cells"], out["done"]) == (1, 1) and out["rows"][0]["threats[0].count"] == 2
    assert not _worker_children()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_scheduler_is_input_error_quickly(tmp_path):
    address = f"tcp://127.0.0.1:{_free_port()}"
    t0 = time.monotonic()
    with pytest.raises(InputError, match=f"--scheduler {address}: cannot connect within 1 s"):
        app_sweep.sweep(_study(tmp_path), scheduler=address, store_path=tmp_path / "s.duckdb", connect_timeout_s=1.0)
    assert time.monotonic() - t0 < 10


def test_cli_bad_scheduler_address_exits_2_with_one_line(tmp_path):
    done = subprocess.run(_cli(_study(tmp_path), tmp_path / "s.duckdb", "--scheduler", "bogus://x"),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].startswith("goldendome: error: --scheduler bogus://x: not a scheduler")
    assert "Traceback" not in done.stderr
