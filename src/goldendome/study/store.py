"""Every run in one embedded DuckDB file: scenario, seed, metrics and per-trial outcomes.

A run is written in one transaction: its ``runs`` row (with ``complete = false``), its
outcome rows, then ``complete = true``, then COMMIT. Readers only see complete runs, so a
process killed at any point mid-write leaves the store as it was before that run.

Notes
-----
DuckDB allows one writing process per file: a process that opens the file read-write holds
an OS lock on it, and no other process can open it at all (read-only included) until that
connection closes. ``Store`` therefore opens a connection per call and closes it straight
after, and a call that finds the file locked retries until ``lock_timeout_s`` has passed. Many
processes can share one store that way (each call waits its turn); threads of one process
should share one ``Store``. For a sweep on many workers, let the workers return results and
one process save them.

Outcome columns are stored in one table ``outcomes`` keyed by ``run_id``; its columns are the
union over all runs (booleans as BOOLEAN, integers as BIGINT, floats as DOUBLE, strings as
VARCHAR), and each run records its own column names and numpy dtypes so ``outcomes`` gives back
the arrays it was given. Row order within a run is the insertion order, which DuckDB keeps
(``preserve_insertion_order`` is on by default).
"""

from __future__ import annotations

import hashlib
import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Self

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from goldendome._version import __version__
from goldendome.errors import InputError, NotFound

DEFAULT_PATH = "goldendome-runs.duckdb"

_RUNS_DDL = """
CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR PRIMARY KEY,
    seq BIGINT NOT NULL,
    name VARCHAR NOT NULL,
    created VARCHAR NOT NULL,
    seed BIGINT NOT NULL,
    trials BIGINT NOT NULL,
    scenario_text VARCHAR NOT NULL,
    scenario_sha256 VARCHAR NOT NULL,
    version VARCHAR NOT NULL,
    metrics VARCHAR NOT NULL,
    outcome_schema VARCHAR,
    n_outcomes BIGINT NOT NULL,
    complete BOOLEAN NOT NULL
)"""
_OUTCOMES_DDL = "CREATE TABLE IF NOT EXISTS outcomes (run_id VARCHAR NOT NULL)"
# Named JSON documents of a run (e.g. 'replay': what the report and the globe draw).
_ARTIFACTS_DDL = "CREATE TABLE IF NOT EXISTS artifacts (run_id VARCHAR NOT NULL, name VARCHAR NOT NULL, body VARCHAR NOT NULL)"
_LIST_COLS = "run_id, name, created, seed, trials, scenario_sha256, version, n_outcomes, metrics"
_GET_COLS = _LIST_COLS + ", scenario_text, outcome_schema"
_SQL_TYPE = {"b": "BOOLEAN", "i": "BIGINT", "u": "BIGINT", "f": "DOUBLE", "U": "VARCHAR", "O": "VARCHAR"}
_ARROW_TYPE = {"BOOLEAN": pa.bool_(), "BIGINT": pa.int64(), "DOUBLE": pa.float64(), "VARCHAR": pa.string()}


def package_version() -> str:
    """The goldendome version (``goldendome.__version__``) the store records with every run."""
    return __version__


def utc_timestamp(created: str | None = None) -> str:
    """Normalise a timestamp to fixed-width UTC ISO 8601 (sorts as text in time order).

    Parameters
    ----------
    created : str or None
        ISO 8601 text; without an offset it is taken as UTC. None means now.

    Returns
    -------
    str
        ``YYYY-MM-DDTHH:MM:SS.ffffff+00:00``.
    """
    if created is None:
        stamp = datetime.now(UTC)
    else:
        try:
            stamp = datetime.fromisoformat(str(created))
        except ValueError:
            raise InputError(f"created: {created!r} is not an ISO 8601 timestamp") from None
        stamp = stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp
    return stamp.astimezone(UTC).isoformat(timespec="microseconds")


def _json_default(value):
    """Make numpy scalars and arrays JSON-serialisable."""
    if isinstance(value, (np.generic, np.ndarray)):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _dump_metrics(metrics: dict) -> str:
    """Metrics as JSON text (NaN and infinities kept, numpy values converted)."""
    if not isinstance(metrics, dict):
        raise InputError(f"metrics: expected a dict, got {type(metrics).__name__}")
    try:
        return json.dumps(metrics, default=_json_default, sort_keys=True)
    except (TypeError, ValueError) as err:
        raise InputError(f"metrics: {err}") from None


def _key_metrics(metrics: dict) -> dict:
    """The top-level scalar entries of a metrics dict (what ``list_runs`` shows)."""
    return {k: v for k, v in metrics.items() if isinstance(v, (int, float, str, bool)) or v is None}


def _run_id(scenario_sha256: str, seed: int, trials: int, created: str, name: str) -> str:
    """Reproducible run id: ``'r'`` and 12 hex digits of a SHA-256 over what defines the run."""
    key = f"{scenario_sha256}\n{seed}\n{trials}\n{created}\n{name}".encode()
    return "r" + hashlib.sha256(key).hexdigest()[:12]


def _outcome_table(run_id: str, outcomes: dict) -> tuple[pa.Table, list[list[str]]]:
    """Check outcome arrays and build the Arrow table to insert, with its ``[name, dtype]`` list.

    Parameters
    ----------
    run_id : str
        Written as the first column.
    outcomes : dict of str to ndarray
        1-D arrays of one length ``(n,)``: bool, int, uint, float or str.
    """
    arrays, schema, lengths, seen = [], [], set(), {"run_id"}
    for name, values in outcomes.items():
        arr = np.asarray(values)
        if not isinstance(name, str) or name.lower() in seen:
            raise InputError(f"outcomes: column name {name!r} is reserved, repeated or not a string")
        if arr.ndim != 1 or arr.dtype.kind not in _SQL_TYPE:
            raise InputError(f"outcomes: column {name!r} must be 1-D bool, int, float or str, "
                             f"got {arr.dtype} {arr.shape}")
        seen.add(name.lower())
        lengths.add(len(arr))
        arrow_type = _ARROW_TYPE[_SQL_TYPE[arr.dtype.kind]]
        arrays.append(pa.array(arr.astype(str) if arr.dtype.kind == "O" else arr).cast(arrow_type))
        schema.append([name, arr.dtype.str if arr.dtype.kind != "O" else "str"])
    if len(lengths) > 1:
        raise InputError(f"outcomes: columns differ in length {sorted(lengths)}")
    n = lengths.pop() if lengths else 0
    names = ["run_id"] + [s[0] for s in schema]
    return pa.table([pa.array([run_id] * n, pa.string())] + arrays, names=names), schema


def _quote(name: str) -> str:
    """Quote an SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


class Store:
    """Runs, their metrics and per-trial outcomes in one DuckDB file.

    Parameters
    ----------
    path : str or Path
        The database file, created with its tables if missing. Default
        ``goldendome-runs.duckdb`` in the current directory.
    lock_timeout_s : float
        How long a call waits for another process to release the file, s.

    Raises
    ------
    InputError
        The file exists but is not a DuckDB database, or stays locked.
    """

    def __init__(self, path: str | Path = DEFAULT_PATH, lock_timeout_s: float = 30.0):
        self.path = Path(path)
        self.lock_timeout_s = lock_timeout_s
        with self._connect() as con:
            con.execute(_RUNS_DDL)
            con.execute(_OUTCOMES_DDL)
            con.execute(_ARTIFACTS_DDL)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Nothing to release: every call opens and closes its own connection."""

    def _connect(self, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        """Open the file, waiting while another process holds its lock."""
        deadline = time.monotonic() + self.lock_timeout_s
        while True:
            try:
                return duckdb.connect(str(self.path), read_only=read_only)
            except duckdb.Error as err:
                message = str(err).splitlines()[0]
                if "conflicting lock" not in message.lower() and "could not set lock" not in message.lower():
                    raise InputError(f"{self.path}: cannot open as a DuckDB run store ({message})") from None
                if time.monotonic() > deadline:
                    raise InputError(f"{self.path}: locked by another process ({message})") from None
            time.sleep(0.02)

    def save_run(
        self,
        scenario_text: str,
        seed: int,
        trials: int,
        metrics: dict,
        outcomes: dict[str, np.ndarray] | None = None,
        name: str = "",
        created: str | None = None,
        artifacts: dict[str, dict] | None = None,
    ) -> str:
        """Store one run atomically and return its id.

        Parameters
        ----------
        scenario_text : str
            The scenario as the user wrote it (YAML); stored with its SHA-256.
        seed, trials : int
            The Monte Carlo seed and number of trials.
        metrics : dict
            JSON-like: numbers (NaN allowed), strings, lists, nested dicts, numpy scalars.
        outcomes : dict of str to ndarray, optional
            Per-trial (or per trial and object) rows: 1-D arrays of one length ``(n,)``.
        name : str
            A label for the run.
        created : str, optional
            ISO 8601 timestamp (UTC unless it says otherwise); default now.
        artifacts : dict of str to dict, optional
            Named JSON-like documents kept with the run (read back by :meth:`artifact`).

        Returns
        -------
        str
            ``'r'`` and 12 hex digits, reproducible from the inputs; ``-2``, ``-3``... is
            appended when that id is taken.
        """
        sha = hashlib.sha256(scenario_text.encode()).hexdigest()
        created = utc_timestamp(created)
        metrics_json = _dump_metrics(metrics)
        base = _run_id(sha, int(seed), int(trials), created, name)
        table, schema = _outcome_table(base, outcomes or {})
        with self._connect() as con:
            con.execute("BEGIN TRANSACTION")
            run_id = self._free_id(con, base)
            if run_id != base:
                table = table.set_column(0, "run_id", pa.array([run_id] * table.num_rows, pa.string()))
            row = (run_id, name, created, int(seed), int(trials), scenario_text, sha, package_version(),
                   metrics_json, json.dumps(schema) if outcomes is not None else None, table.num_rows)
            con.execute("INSERT INTO runs SELECT ?, coalesce(max(seq), 0) + 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, false "
                        "FROM runs", row)
            self._insert_outcomes(con, table)
            for key, body in (artifacts or {}).items():
                con.execute("INSERT INTO artifacts VALUES (?, ?, ?)", [run_id, key, _dump_metrics(body)])
            con.execute("UPDATE runs SET complete = true WHERE run_id = ?", [run_id])
            con.execute("COMMIT")
        return run_id

    @staticmethod
    def _free_id(con: duckdb.DuckDBPyConnection, base: str) -> str:
        """``base``, or ``base-2``, ``base-3``... whichever is not taken yet."""
        taken = {r[0] for r in con.execute("SELECT run_id FROM runs WHERE run_id = ? OR run_id LIKE ?",
                                           [base, base + "-%"]).fetchall()}
        run_id, k = base, 1
        while run_id in taken:
            k += 1
            run_id = f"{base}-{k}"
        return run_id

    @staticmethod
    def _insert_outcomes(con: duckdb.DuckDBPyConnection, table: pa.Table) -> None:
        """Add missing columns to ``outcomes`` and append the run's rows."""
        if table.num_columns == 1:
            return
        existing = {r[0].lower(): r[1] for r in con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'outcomes'").fetchall()}
        for field in table.schema:
            sql_type = {v: k for k, v in _ARROW_TYPE.items()}[field.type] if field.name != "run_id" else "VARCHAR"
            stored = existing.get(field.name.lower())
            if stored is None:
                con.execute(f"ALTER TABLE outcomes ADD COLUMN {_quote(field.name)} {sql_type}")
            elif stored != sql_type:
                raise InputError(f"outcomes: column {field.name!r} is {sql_type} here but {stored} in earlier runs")
        con.register("_new_outcomes", table)
        con.execute("INSERT INTO outcomes BY NAME SELECT * FROM _new_outcomes")
        con.unregister("_new_outcomes")

    def list_runs(self) -> list[dict]:
        """Complete runs, newest first.

        Returns
        -------
        list of dict
            ``run_id, name, created, seed, trials, scenario_sha256, version, n_outcomes`` and
            ``metrics`` (the top-level scalar metrics only).
        """
        with self._connect(read_only=True) as con:
            rows = con.execute(f"SELECT {_LIST_COLS} FROM runs WHERE complete "
                               "ORDER BY created DESC, seq DESC").fetchall()
        keys = _LIST_COLS.split(", ")
        runs = [dict(zip(keys, row)) for row in rows]
        for run in runs:
            run["metrics"] = _key_metrics(json.loads(run["metrics"]))
        return runs

    def get_run(self, run_id: str) -> dict:
        """One run: everything but its outcomes (scenario text and full metrics included).

        Raises
        ------
        InputError
            No complete run has this id.
        """
        with self._connect(read_only=True) as con:
            row = self._row(con, run_id)
        run = dict(zip(_GET_COLS.split(", "), row))
        run["metrics"] = json.loads(run["metrics"])
        schema = run.pop("outcome_schema")
        run["outcome_columns"] = [c[0] for c in json.loads(schema)] if schema else []
        return run

    @staticmethod
    def _row(con: duckdb.DuckDBPyConnection, run_id: str) -> tuple:
        """The ``runs`` row of a complete run, or InputError naming the id."""
        rows = con.execute(f"SELECT {_GET_COLS} FROM runs WHERE run_id = ? AND complete", [str(run_id)]).fetchall()
        if not rows:
            raise NotFound(f"run {run_id!r}: no such run in the store")
        return rows[0]

    def outcomes(self, run_id: str) -> dict[str, np.ndarray]:
        """A run's per-trial outcomes, with the names and dtypes they were saved with.

        Returns
        -------
        dict of str to ndarray
            ``(n,)`` arrays; empty when the run was saved without outcomes.
        """
        with self._connect(read_only=True) as con:
            schema = json.loads(self._row(con, run_id)[-1] or "[]")
            if not schema:
                return {}
            cols = ", ".join(_quote(name) for name, _ in schema)
            table = _arrow(con.sql(f"SELECT {cols} FROM outcomes WHERE run_id = ?", params=[run_id]))
        return {name: _to_numpy(table.column(i), dtype) for i, (name, dtype) in enumerate(schema)}

    def artifact(self, run_id: str, name: str) -> dict | None:
        """A named JSON document saved with a run (None when the run has none of that name).

        Raises
        ------
        InputError
            No complete run has this id.
        """
        with self._connect(read_only=True) as con:
            self._row(con, run_id)
            rows = con.execute("SELECT body FROM artifacts WHERE run_id = ? AND name = ?", [run_id, name]).fetchall()
        return json.loads(rows[0][0]) if rows else None

    def export_parquet(self, run_id: str, path: str | Path) -> Path:
        """Write a run's outcomes to a Parquet file (``run_id`` first, then its columns).

        Returns
        -------
        Path
            ``path``.
        """
        columns = self.outcomes(run_id)
        n = len(next(iter(columns.values()))) if columns else 0
        data = {"run_id": pa.array([run_id] * n, pa.string())}
        data.update({k: pa.array(v) for k, v in columns.items()})
        pq.write_table(pa.table(data), str(path))
        return Path(path)

    def delete_run(self, run_id: str) -> None:
        """Remove a run and its outcomes (one transaction).

        Raises
        ------
        InputError
            No complete run has this id.
        """
        with self._connect() as con:
            con.execute("BEGIN TRANSACTION")
            self._row(con, run_id)
            con.execute("DELETE FROM outcomes WHERE run_id = ?", [run_id])
            con.execute("DELETE FROM artifacts WHERE run_id = ?", [run_id])
            con.execute("DELETE FROM runs WHERE run_id = ?", [run_id])
            con.execute("COMMIT")


def _arrow(result: duckdb.DuckDBPyRelation) -> pa.Table:
    """A relation as an Arrow table (duckdb >= 1.4 names it ``to_arrow_table``)."""
    fetch = getattr(result, "to_arrow_table", None) or result.arrow
    return fetch()


def _to_numpy(column: pa.ChunkedArray, dtype: str) -> np.ndarray:
    """An outcome column back as the numpy dtype it was saved with."""
    if dtype == "str":
        return np.array(column.to_pylist(), dtype=object)
    if np.dtype(dtype).kind == "U":
        return np.array(column.to_pylist(), dtype=dtype)
    values = column.to_numpy()
    return values.astype(np.dtype(dtype), copy=False)
