"""`goldendome catalog` and `goldendome schema`: what the catalog holds and the scenario file format."""

from __future__ import annotations

import json

import typer
from rich.table import Table

from ..app import catalog as app_catalog
from .console import console, emit


def catalog_cmd(as_json: bool = typer.Option(False, "--json", help="print one JSON object")) -> None:
    """List catalog ids (missiles, sites, regions) with their sources."""
    emit(app_catalog.catalog(), as_json, _print_catalog)


def schema() -> None:
    """Print the JSON Schema of the scenario file (goldendome/v1)."""
    typer.echo(json.dumps(app_catalog.schema(), indent=2, sort_keys=True))


def _print_catalog(obj) -> None:
    table = Table(title="missiles")
    for c in ("id", "class", "name", "sources"):
        table.add_column(c)
    for mid, m in obj["missiles"].items():
        table.add_row(mid, m["class"], m["name"], ", ".join(sorted(set(_keys(m["sources"])))))
    console.print(table)
    places = Table(title="places (sites and regions)")
    for c in ("id", "kind", "lat", "lon", "radius km", "source"):
        places.add_column(c)
    for pid, p in obj["places"].items():
        places.add_row(pid, p["kind"], f"{p['lat']:.3f}", f"{p['lon']:.3f}", f"{p['radius_km']:.0f}", p["source"])
    console.print(places)
    console.print(f"{len(obj['references'])} references: `goldendome catalog --json` prints them in full.")


def _keys(sources: dict):
    for v in sources.values():
        for key in str(v).split("|")[0].split(","):
            if key.strip():
                yield key.strip()


def register(app: typer.Typer) -> None:
    """Add `catalog` and `schema`."""
    app.command(name="catalog")(catalog_cmd)
    app.command()(schema)
