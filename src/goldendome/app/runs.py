"""`goldendome runs list|show`: the runs kept in the DuckDB store."""

from __future__ import annotations

from ..study.store import DEFAULT_PATH, Store


def list_runs(store_path=DEFAULT_PATH) -> list[dict]:
    """Stored runs, newest first (id, name, created, seed, trials, version, headline metrics)."""
    with Store(store_path) as s:
        return s.list_runs()


def show(run_id: str, store_path=DEFAULT_PATH) -> dict:
    """One stored run: scenario text, seed, trials and full metrics; NotFound for an unknown id."""
    with Store(store_path) as s:
        return s.get_run(run_id)
