"""`goldendome report RUN_ID|PLAN_DIR -o FILE.html [--png DIR] [--store PATH]`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from .defaults import STORE as DEFAULT_PATH


def report_cmd(source: str = typer.Argument(..., metavar="RUN_ID|PLAN_DIR", help="a run id in the store, or a plan directory (plan.json)"),
               out: Path = typer.Option(..., "-o", "--out", metavar="FILE.html", help="the HTML file to write"),
               png: Optional[Path] = typer.Option(None, "--png", metavar="DIR", help="also write the key figures as PNG here"),
               store: str = typer.Option(DEFAULT_PATH, metavar="PATH", help="DuckDB file that keeps the runs"),
               as_json: bool = typer.Option(False, "--json", help="print one JSON object")) -> None:
    """Write one offline HTML report (plotly, map inline; opens with no network) of a run or a plan."""
    from ..app import report as app_report  # plotly and matplotlib load only for this command

    res = app_report.report(source, out, png_dir=png, store_path=store)
    if as_json:
        typer.echo(json.dumps(res, sort_keys=True))
        return
    typer.echo(f"{res['path']}: {res['bytes'] / 1e6:.1f} MB, {len(res['figures'])} figures")
    for p in res["pngs"]:
        typer.echo(p)


def register(app: typer.Typer) -> None:
    """Add the ``report`` command to the goldendome app."""
    app.command(name="report")(report_cmd)
