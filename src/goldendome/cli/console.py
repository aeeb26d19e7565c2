"""The command line's one console and output helpers: JSON or tables, progress bars, error lines.

Every command takes ``--json`` and then prints one JSON object (:func:`emit`); otherwise a rich
table. User text (names from scenario files) is escaped before rich prints it.
"""

from __future__ import annotations

import json
import math
import sys
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

console = Console() if sys.stdout.isatty() else Console(width=120)  # pipes get full tables
wide_console = Console() if sys.stdout.isatty() else Console(width=160)  # tables with a column per layer or cell key


def emit(obj, as_json: bool, table_fn) -> None:
    """``obj`` as one JSON line (``as_json``), else drawn by ``table_fn(obj)``.

    JSON is strict: a NaN or infinite number is written null (bare NaN / Infinity tokens are
    not JSON and break jq, DuckDB's read_json and browsers)."""
    if as_json:
        typer.echo(json.dumps(_finite(obj), sort_keys=True, allow_nan=False))
    else:
        table_fn(obj)


def _finite(obj):
    """``obj`` with every NaN or infinite float replaced by None (dicts, lists and tuples walked)."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_finite(v) for v in obj]
    return obj


@contextmanager
def progress_bar(title: str):
    """A rich progress bar on stderr; yields ``advance(stage, fraction_done)``.

    The bar starts at the first ``advance``: input refused before the work starts leaves stderr
    with its one error line and nothing else.
    """
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                   TimeElapsedColumn(), console=Console(stderr=True), transient=True)
    task = bar.add_task(escape(title), total=1.0)

    def advance(stage: str, done: float) -> None:
        if not bar.live.is_started:
            bar.start()
        bar.update(task, completed=done, description=escape(f"{title}: {stage}"))
    try:
        yield advance
    finally:
        if bar.live.is_started:
            bar.stop()


def with_progress(title: str, as_json: bool, fn, **kw):
    """``fn(**kw)``, with a progress bar (``progress=``) unless the output is JSON."""
    if as_json:
        return fn(**kw)
    with progress_bar(title) as advance:
        return fn(**kw, progress=advance)


def print_dict(obj) -> None:
    """A mapping as a two-column table (lists of rows summarised, floats to 6 digits)."""
    table = Table(show_header=False)
    for k, v in obj.items():
        if isinstance(v, list) and v and isinstance(v[0], dict):
            v = f"{len(v)} rows (see --json)"
        elif isinstance(v, float):
            v = f"{v:,.6g}"
        elif isinstance(v, dict):
            v = ", ".join(f"{a} {b:,.4g}" if isinstance(b, (int, float)) else f"{a} {b}" for a, b in v.items())
        table.add_row(escape(str(k)), escape(str(v)))
    console.print(table)


def print_table(rows: list[dict], title: str = "") -> None:
    """Rows of equal keys as a table (numbers right-aligned, None as '-')."""
    table = Table(title=escape(title) if title else None)
    for k in rows[0] if rows else []:
        table.add_column(escape(str(k)), justify="right" if isinstance(rows[0][k], (int, float)) else "left")
    for r in rows:
        table.add_row(*("-" if v is None else f"{v:,.4g}" if isinstance(v, float) else escape(str(v)) for v in r.values()))
    console.print(table)


KILL_CHAIN_HEAD = {"detect_s": "detect", "firm_track_s": "firm", "fire_control_s": "fire ctl", "latency_s": "C2",
                   "commit_s": "fires", "deadline_s": "deadline", "time_available_s": "left", "too_slow": "too slow",
                   "sbis_in_reach": "in reach"}


def print_kill_chain(rows: list[dict], title: str) -> None:
    """Kill-chain rows (effectors.killchain.KillChain.rows) with short headings."""
    console.print(f"{title} per missile, s after launch (fires = fire control + C2 latency; left = deadline - fires):")
    print_table([{KILL_CHAIN_HEAD.get(k, k): v for k, v in r.items()} for r in rows])


def fail_line(msg: str) -> None:
    """One line on stderr and exit code 2 (bad input)."""
    typer.echo(f"goldendome: error: {msg}", err=True)
    sys.exit(2)
