"""`goldendome validate [--quick]`: the validation cases, a table, and exit code 1 on any failure."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .lazy import lazy
from .console import console, emit, print_table

app_validate = lazy("goldendome.app.validate")


def validate(quick: bool = typer.Option(False, "--quick", help="only the quick cases (CI: under 2 minutes)"),
             report: Optional[Path] = typer.Option(None, "--report", metavar="FILE.md",
                                                   help="also write a MIL-STD-3022-shaped V&V report"),
             as_json: bool = typer.Option(False, "--json", help="print one JSON object")) -> None:
    """Every validation case: source, expected, tolerance, measured, verdict (exit 1 if any fails)."""
    out = app_validate.validate(quick)
    if report is not None:
        out["report"] = str(app_validate.write_report(out, report))
    emit(out, as_json, _print)
    if not out["ok"]:
        raise typer.Exit(1)


def _print(out: dict) -> None:
    cols = ("id", "kind", "expected", "tolerance", "measured", "unit", "verdict")
    print_table([{k: r[k] for k in cols} for r in out["cases"]], title="goldendome validate")
    counts = ", ".join(f"{k} {v}" for k, v in out["counts"].items() if v)
    console.print(f"{counts}; {out['wall_s']} s" + (f"; report: {out['report']}" if out.get("report") else ""))


def register(app: typer.Typer) -> None:
    """Add `validate`."""
    app.command()(validate)
