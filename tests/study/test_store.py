"""The DuckDB run store: round trips, ordering, crash safety, Parquet, two processes, speed."""

import math
import os
import signal
import subprocess
import sys
import textwrap
import time

import duckdb
import numpy as np
import pyarrow.parquet as pq
import pytest

from goldendome.errors import InputError
from goldendome.study import DEFAULT_PATH, Store

SCENARIO = "schema: goldendome/v1\nname: test\nseed: 7\ntrials: 10\n"


def _outcomes(n: int, seed: int = 0) -> dict[str, np.ndarray]:
    """Per-trial outcome columns of every supported dtype, ``(n,)`` each."""
    rng = np.random.default_rng(seed)
    return {
        "trial": np.arange(n, dtype=np.int64) // 4,
        "object": (np.arange(n) % 4).astype(np.int32),
        "leaked": rng.random(n) < 0.2,
        "asset": rng.integers(0, 50, n).astype(np.uint16),
        "shots": rng.integers(0, 5, n).astype(np.int8),
        "cost": rng.random(n) * 1e7,
        "miss_m": rng.random(n).astype(np.float32),
    }


def _assert_same(got: dict, want: dict) -> None:
    """Same column names in order, same dtypes, same values."""
    assert list(got) == list(want)
    for key, values in want.items():
        assert got[key].dtype == values.dtype, key
        np.testing.assert_array_equal(got[key], values)


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "runs.duckdb") as s:
        yield s


def test_round_trip_metrics_and_outcomes(store):
    metrics = {"leakage": 0.125, "nan": float("nan"), "n": np.int64(3), "f": np.float32(0.5),
               "by_layer": {"sbi": {"kills": 4, "pk": [0.9, 0.8]}, "gbi": {}}, "flags": [True, None, "x"],
               "arr": np.array([1.5, 2.5])}
    outcomes = _outcomes(1000)
    outcomes["site"] = np.array(["ft-greely", "vandenberg"] * 500)
    run_id = store.save_run(SCENARIO, 7, 250, metrics, outcomes, name="base", created="2025-01-27T12:00:00Z")
    run = store.get_run(run_id)
    assert run["scenario_text"] == SCENARIO and run["seed"] == 7 and run["trials"] == 250
    assert run["name"] == "base" and run["created"] == "2025-01-27T12:00:00.000000+00:00"
    assert len(run["scenario_sha256"]) == 64 and run["version"]
    assert run["outcome_columns"] == list(outcomes) and run["n_outcomes"] == 1000
    got = run["metrics"]
    assert math.isnan(got.pop("nan"))
    assert got == {"leakage": 0.125, "n": 3, "f": 0.5, "by_layer": {"sbi": {"kills": 4, "pk": [0.9, 0.8]}, "gbi": {}},
                   "flags": [True, None, "x"], "arr": [1.5, 2.5]}
    _assert_same(store.outcomes(run_id), outcomes)


def test_run_without_outcomes_and_with_zero_rows(store):
    none_id = store.save_run(SCENARIO, 1, 0, {}, None)
    empty_id = store.save_run(SCENARIO, 2, 0, {}, {"trial": np.zeros(0, np.int64)})
    assert store.outcomes(none_id) == {}
    _assert_same(store.outcomes(empty_id), {"trial": np.zeros(0, np.int64)})


def test_runs_with_different_columns_share_the_table(store):
    a = store.save_run(SCENARIO, 1, 1, {}, {"x": np.arange(3)})
    b = store.save_run(SCENARIO, 2, 1, {}, {"y": np.ones(2), "X2": np.array([True, False])})
    _assert_same(store.outcomes(a), {"x": np.arange(3)})
    _assert_same(store.outcomes(b), {"y": np.ones(2), "X2": np.array([True, False])})


def test_list_is_newest_first_with_key_metrics(store):
    created = ["2025-03-01T00:00:00", "2025-01-01T00:00:00", "2025-02-01T00:00:00+02:00", "2025-02-01T00:00:00"]
    ids = [store.save_run(SCENARIO, s, 10, {"leakage": s / 10, "detail": {"a": 1}}, None, name=f"n{s}", created=c)
           for s, c in enumerate(created)]
    runs = store.list_runs()
    assert [r["run_id"] for r in runs] == [ids[0], ids[3], ids[2], ids[1]]
    assert runs[2]["created"] == "2025-01-31T22:00:00.000000+00:00"
    assert runs[0]["metrics"] == {"leakage": 0.0} and runs[0]["name"] == "n0" and runs[0]["seed"] == 0
    assert set(runs[0]) >= {"run_id", "name", "created", "seed", "trials", "scenario_sha256", "metrics"}


def test_ids_are_reproducible_and_never_collide(tmp_path, store):
    args = (SCENARIO, 7, 10, {}, None, "x", "2025-01-01T00:00:00")
    first, second = store.save_run(*args), store.save_run(*args)
    assert first.startswith("r") and len(first) == 13 and second == first + "-2"
    assert Store(tmp_path / "other.duckdb").save_run(*args) == first
    store.delete_run(first)
    assert [r["run_id"] for r in store.list_runs()] == [second]
    assert store.save_run(*args) == first


def test_delete_removes_run_and_outcome_rows(store):
    keep = store.save_run(SCENARIO, 1, 1, {}, _outcomes(10, 1))
    gone = store.save_run(SCENARIO, 2, 1, {}, _outcomes(20, 2))
    store.delete_run(gone)
    assert [r["run_id"] for r in store.list_runs()] == [keep]
    _assert_same(store.outcomes(keep), _outcomes(10, 1))
    with duckdb.connect(str(store.path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM outcomes").fetchone()[0] == 10


@pytest.mark.parametrize("call", ["get_run", "outcomes", "delete_run", "export_parquet"])
def test_unknown_id_is_input_error_naming_it(store, tmp_path, call):
    args = ("r0000nothere",) + ((tmp_path / "x.parquet",) if call == "export_parquet" else ())
    with pytest.raises(InputError, match="r0000nothere") as err:
        getattr(store, call)(*args)
    assert "\n" not in str(err.value)


def test_file_that_is_not_duckdb_is_input_error_naming_it(tmp_path):
    bad = tmp_path / "notes.duckdb"
    bad.write_text("this is not a database\n" * 100)
    with pytest.raises(InputError, match="notes.duckdb") as err:
        Store(bad)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("outcomes", [
    {"a": np.arange(3), "b": np.arange(4)},
    {"a": np.zeros((2, 2))},
    {"run_id": np.arange(2)},
    {"a": np.arange(2), "A": np.arange(2)},
    {"a": np.array([1 + 2j])},
], ids=["lengths", "2d", "reserved", "case-duplicate", "complex"])
def test_bad_outcomes_are_input_errors_and_write_nothing(store, outcomes):
    with pytest.raises(InputError, match="outcomes"):
        store.save_run(SCENARIO, 1, 1, {}, outcomes)
    assert store.list_runs() == []


def test_bad_metrics_and_timestamp_are_input_errors(store):
    with pytest.raises(InputError, match="metrics"):
        store.save_run(SCENARIO, 1, 1, [1, 2], None)
    with pytest.raises(InputError, match="metrics"):
        store.save_run(SCENARIO, 1, 1, {"x": object()}, None)
    with pytest.raises(InputError, match="created"):
        store.save_run(SCENARIO, 1, 1, {}, None, created="yesterday")


def test_column_type_clash_rolls_back_the_whole_run(store):
    store.save_run(SCENARIO, 1, 1, {}, {"asset": np.arange(3)})
    with pytest.raises(InputError, match="asset"):
        store.save_run(SCENARIO, 2, 1, {}, {"extra": np.ones(3), "asset": np.array(["a", "b", "c"])})
    assert len(store.list_runs()) == 1
    with duckdb.connect(str(store.path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM outcomes").fetchone()[0] == 3


def test_incomplete_runs_are_invisible(store):
    done = store.save_run(SCENARIO, 1, 1, {"leakage": 0.5}, None)
    with duckdb.connect(str(store.path)) as con:
        con.execute("INSERT INTO runs SELECT 'rhalf', 99, '', created, seed, trials, scenario_text, scenario_sha256, "
                    "version, metrics, NULL, 0, false FROM runs")
    assert [r["run_id"] for r in store.list_runs()] == [done]
    with pytest.raises(InputError, match="rhalf"):
        store.get_run("rhalf")


def test_parquet_export_reads_back_with_pyarrow(store, tmp_path):
    outcomes = _outcomes(5000, 3)
    run_id = store.save_run(SCENARIO, 3, 1250, {}, outcomes)
    path = store.export_parquet(run_id, tmp_path / "out.parquet")
    table = pq.read_table(path)
    assert table.column_names == ["run_id"] + list(outcomes)
    assert set(table.column("run_id").to_pylist()) == {run_id}
    _assert_same({k: table.column(k).to_numpy() for k in outcomes}, outcomes)


def test_default_path_is_in_the_current_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Store().save_run(SCENARIO, 1, 1, {}, None)
    assert (tmp_path / DEFAULT_PATH).is_file()


# A child process that saves one big run and stops inside save_run: after the outcome rows
# are inserted but before COMMIT ("after"), or 0.05 s into the insert itself ("during").
_KILLED_WRITER = textwrap.dedent("""
    import sys, time
    import numpy as np
    from goldendome.study import store as mod
    path, when = sys.argv[1], sys.argv[2]
    insert = mod.Store._insert_outcomes
    def hooked(con, table):
        if when == "during":
            print("inserting", flush=True)
        insert(con, table)
        print("inserted", flush=True)
        if when == "after":
            time.sleep(60)
    mod.Store._insert_outcomes = staticmethod(hooked)
    n = 4_000_000
    big = {"trial": np.arange(n), "leaked": np.arange(n) % 3 == 0, "cost": np.linspace(0, 1, n)}
    mod.Store(path).save_run("big", 99, n, {"leakage": 1.0}, big, name="big")
    print("committed", flush=True)
    time.sleep(60)
""")


@pytest.mark.parametrize("when", ["during", "after"])
def test_kill_9_mid_write_leaves_store_consistent(tmp_path, when):
    path = tmp_path / "runs.duckdb"
    earlier = {s: _outcomes(100 * s, s) for s in (1, 2)}
    ids = {s: Store(path).save_run(SCENARIO, s, 10, {"leakage": s}, out, created=f"2025-0{s}-01")
           for s, out in earlier.items()}
    child = subprocess.Popen([sys.executable, "-c", _KILLED_WRITER, str(path), when],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = child.stdout.readline().strip()
        assert first == ("inserting" if when == "during" else "inserted"), child.stderr.read()
        time.sleep(0.05 if when == "during" else 0.0)
        assert child.poll() is None
        os.kill(child.pid, signal.SIGKILL)
    finally:
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    rest = child.stdout.read()
    assert child.returncode == -signal.SIGKILL and "committed" not in rest
    assert when == "after" or "inserted" not in rest  # killed inside the insert itself

    store = Store(path)
    assert [r["run_id"] for r in store.list_runs()] == [ids[2], ids[1]]
    for s, outcomes in earlier.items():
        _assert_same(store.outcomes(ids[s]), outcomes)
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM outcomes").fetchone()[0] == 300
        assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == 2
    assert store.save_run(SCENARIO, 3, 1, {}, _outcomes(5)) in {r["run_id"] for r in store.list_runs()}


_LOOP_WRITER = textwrap.dedent("""
    import sys
    import numpy as np
    from goldendome.study import Store
    store = Store(sys.argv[1])
    for k in range(int(sys.argv[2])):
        store.save_run("loop", k, 10, {"k": k}, {"trial": np.arange(20_000) + k, "hit": np.arange(20_000) % 2 == 0})
""")


def test_one_process_writes_while_another_lists(tmp_path):
    """DuckDB lets one process at a time open the file; each Store call waits its turn."""
    path, n_runs = tmp_path / "runs.duckdb", 15
    Store(path)
    child = subprocess.Popen([sys.executable, "-c", _LOOP_WRITER, str(path), str(n_runs)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen, store = [], Store(path)
    try:
        while child.poll() is None:
            runs = store.list_runs()
            seen.append(len(runs))
            if runs:
                newest = store.outcomes(runs[0]["run_id"])
                assert len(newest["trial"]) == 20_000 and newest["trial"][0] == runs[0]["seed"]
    finally:
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    assert child.returncode == 0, child.stderr.read()
    assert seen == sorted(seen) and len(store.list_runs()) == n_runs


def test_five_million_outcome_rows_write_in_about_two_seconds(store, capsys):
    n = 5_000_000
    rng = np.random.default_rng(0)
    outcomes = {"trial": np.arange(n) // 10, "object": (np.arange(n) % 10).astype(np.int32),
                "leaked": rng.random(n) < 0.1, "asset": rng.integers(0, 50, n), "shots": rng.integers(0, 4, n),
                "cost": rng.random(n) * 1e7}
    start = time.perf_counter()
    run_id = store.save_run(SCENARIO, 1, n // 10, {"leakage": 0.1}, outcomes)
    elapsed = time.perf_counter() - start
    with capsys.disabled():
        print(f"\n5,000,000 outcome rows x 6 columns written in {elapsed:.2f} s")
    assert elapsed < 6.0  # ~2 s on 2 idle cores (BENCHMARKS.md); this guards a 3x regression, not the figure
    assert store.get_run(run_id)["n_outcomes"] == n
