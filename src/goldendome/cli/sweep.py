"""`goldendome sweep STUDY.yaml`: a study's grid on Dask, each cell kept in the run store.

``register(app)`` adds the command to the main Typer app.
"""

from __future__ import annotations

import json
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .defaults import STORE as DEFAULT_PATH
from .lazy import lazy
from .console import wide_console

app_sweep = lazy("goldendome.app.sweep")

_METRIC_COLUMNS = ("p_no_leak", "expected_leakers", "cost_used_usd", "defended_value_fraction")


def register(app: typer.Typer) -> None:
    """Add the ``sweep`` command to ``app``."""
    app.command(name="sweep")(sweep)


def sweep(study: str = typer.Argument(..., help="study YAML (goldendome/study-v1)"),
          scheduler: Optional[str] = typer.Option(None, help="Dask scheduler address, e.g. tcp://host:8786 "
                                                  "(default: a local cluster)"),
          workers: int = typer.Option(2, help="worker processes of the local cluster"),
          store: str = typer.Option(DEFAULT_PATH, help="DuckDB file that keeps the cells"),
          as_json: bool = typer.Option(False, "--json", help="print one JSON object")) -> None:
    """Run every cell of a study's grid (resumable: cells already stored are skipped)."""
    if as_json:
        out = app_sweep.sweep(study, scheduler, workers, store)
        typer.echo(json.dumps(out, sort_keys=True))
        return
    with _progress_bar() as bar:
        task = bar.add_task(escape(f"sweep {study}"), total=None)
        out = app_sweep.sweep(study, scheduler, workers, store,
                              progress=lambda done, total: bar.update(task, completed=done, total=total))
    _print(out)


def _progress_bar() -> Progress:
    """A progress bar on stderr (stdout keeps the table)."""
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=Console(stderr=True), transient=False)


def _print(out: dict) -> None:
    keys = [k for k in out["rows"][0] if k not in _METRIC_COLUMNS and k not in app_sweep.ROW_METRICS]
    table = Table(title=escape(f"{out['study_id']}: {out['cells']} cells, {out['done']} computed, "
                               f"{out['skipped']} already stored, {out['wall_s']:.1f} s"))
    for col in keys + list(_METRIC_COLUMNS):
        table.add_column(col, justify="right")
    for row in out["rows"]:
        table.add_row(*(escape(str(row[k])) for k in keys), *(_fmt(row.get(k)) for k in _METRIC_COLUMNS))
    wide_console.print(table)


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:,.6g}" if abs(value) < 1e6 else f"{value:,.0f}"
    return "-" if value is None else str(value)
