"""`goldendome sweep`: run every cell of a study's grid on Dask and keep each cell in DuckDB.

Cells run on a ``dask.distributed`` cluster: a ``LocalCluster`` of ``workers`` processes with
one thread each when no scheduler address is given, an existing scheduler otherwise (its
workers need goldendome installed). The client process alone writes the store: each cell is
inserted in its own transaction as soon as its result arrives, so a sweep that is killed and
started again computes only the cells that are missing, and never stores one twice. The study
file format is described in ``goldendome.study.sweep`` and docs/sweep.md.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from pathlib import Path
from typing import Callable, Iterator

from ..errors import InputError
from ..study import sweep as sw
from ..study.store import DEFAULT_PATH, Store, _dump_metrics

CONNECT_TIMEOUT_S = 5.0
# One numba/BLAS thread per worker process: the cluster's processes are the parallelism.
WORKER_ENV = {"NUMBA_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
ROW_METRICS = ("p_no_leak", "p_no_leak_ci95", "expected_leakers", "expected_leakers_ci95", "cost_used_usd",
               "defended_value_fraction", "interceptors_used")

Progress = Callable[[int, int], None]


def sweep(study_path: str | Path, scheduler: str | None = None, workers: int = 2,
          store_path: str | Path = DEFAULT_PATH, progress: Progress | None = None,
          connect_timeout_s: float = CONNECT_TIMEOUT_S) -> dict:
    """Run a study's grid, skipping cells already stored, and return one row per cell.

    Parameters
    ----------
    study_path : str or Path
        A ``goldendome/study-v1`` file.
    scheduler : str, optional
        Address of a running Dask scheduler (``tcp://host:8786``); default a LocalCluster.
    workers : int
        Worker processes of the LocalCluster (ignored with ``scheduler``).
    store_path : str or Path
        The DuckDB run store.
    progress : callable, optional
        Called as ``progress(done, total)`` before the first cell and after each one.
    connect_timeout_s : float
        How long to try reaching ``scheduler``, s.

    Returns
    -------
    dict
        ``study_id, name, cells (total), done (computed now), skipped (found stored), wall_s`` and
        ``rows``: per cell, in grid order, its overrides, ``cell`` (12 hex digits of its key) and
        ``p_no_leak, expected_leakers, cost_used_usd, ...``.

    Raises
    ------
    InputError
        Bad study or cell, workers < 1, unreachable scheduler, store problems.
    """
    t0 = time.perf_counter()
    if scheduler is None and workers < 1:
        raise InputError(f"--workers: must be >= 1, got {workers}")
    study = sw.read_study(study_path)
    cells = sw.expand(study)
    scenarios = sw.scenarios(study, cells)
    store = Store(store_path)
    sw.ensure_table(store)
    done = sw.done_keys(store, study.study_id)
    todo = [(c, s) for c, s in zip(cells, scenarios) if c.key not in done]
    if progress:
        progress(len(cells) - len(todo), len(cells))
    if todo:
        with _client(scheduler, workers, connect_timeout_s) as client:
            _compute(client, study, todo, store, progress, len(cells) - len(todo), len(cells))
    stored = sw.stored_metrics(store, study.study_id)
    return {"study_id": study.study_id, "name": study.name, "cells": len(cells), "done": len(todo),
            "skipped": len(cells) - len(todo), "wall_s": round(time.perf_counter() - t0, 3),
            "rows": [_row(c, stored[c.key]) for c in cells]}


def _row(cell: sw.Cell, metrics: dict) -> dict:
    """A result row: the cell's overrides, its short key and the headline metrics."""
    return {**cell.overrides, "cell": cell.key[:12], **{k: metrics.get(k) for k in ROW_METRICS}}


@contextlib.contextmanager
def _client(scheduler: str | None, workers: int, timeout_s: float) -> Iterator:
    """A Dask client on a fresh LocalCluster, or on the scheduler at ``scheduler``; closed on exit."""
    from dask.distributed import Client, LocalCluster

    if scheduler is not None:
        with _connect(scheduler, timeout_s) as client:
            yield client
        return
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                      silence_logs=logging.ERROR, env=WORKER_ENV) as cluster, Client(cluster) as client:
        yield client


def _connect(address: str, timeout_s: float):
    """A client on an existing scheduler, or one line saying it cannot be reached."""
    from dask.distributed import Client
    from distributed.comm import parse_address, parse_host_port, registry

    try:
        scheme, location = parse_address(address)
        registry.get_backend(scheme)
        if scheme in ("tcp", "tls", "ws", "wss"):
            parse_host_port(location)
    except (ValueError, TypeError) as exc:
        raise InputError(f"--scheduler {address}: not a scheduler address ({' '.join(str(exc).split())})") from None
    try:
        return Client(address, timeout=timeout_s)
    except (OSError, TimeoutError) as exc:
        reason = " ".join(str(exc).split()) or exc.__class__.__name__
        raise InputError(f"--scheduler {address}: cannot connect within {timeout_s:g} s ({reason})") from None


def _compute(client, study: sw.Study, todo: list, store: Store, progress: Progress | None,
             done: int, total: int) -> None:
    """Submit the cells, store each as it completes; on a cell's bad input, cancel the rest."""
    from dask.distributed import as_completed

    client.run(warm_up)
    futures = {client.submit(evaluate_cell, sc, key=f"goldendome-cell-{study.study_id}-{cell.key[:16]}"): cell
               for cell, sc in todo}
    try:
        for future in as_completed(futures):
            cell = futures[future]
            sw.insert_cell(store, study.study_id, cell, _result(future, study, cell))
            done += 1
            if progress:
                progress(done, total)
    finally:
        client.cancel(list(futures))


def _result(future, study: sw.Study, cell: sw.Cell) -> str:
    """The cell's metrics JSON; a worker's InputError re-raised naming the study and the cell."""
    try:
        return future.result()
    except InputError as exc:
        raise InputError(f"{study.path}: cell {cell.overrides_json}: {exc}") from None


def warm_up() -> int:
    """Import the engine once per worker process (numba loads its compiled kernels with it)."""
    from . import run  # noqa: F401

    return os.getpid()


def evaluate_cell(scenario) -> str:
    """Run one validated scenario on a worker; its summary metrics as JSON text."""
    from . import run

    summary, _ = run.evaluate(scenario)
    return _dump_metrics(summary)
