"""`goldendome catalog`, `goldendome catalog show ID` and `goldendome schema`: what the catalog
holds, one entry with every parameter and its source, and the scenario file format."""

from __future__ import annotations

import json
from typing import Optional

import typer
from rich.markup import escape
from rich.table import Table

from . import defaults
from .lazy import lazy
from .console import console, emit, wide_console

app_catalog = lazy("goldendome.app.catalog")
KIND_HELP = ("one kind: " + ", ".join(defaults.CATALOG_KINDS) + " (plurals and 'sensor', 'site', 'preset' work too)")

catalog_app = typer.Typer(invoke_without_command=True, no_args_is_help=False, add_completion=False,
                          help="List catalog ids of every kind; `catalog show ID` prints one entry with its sources.")


@catalog_app.callback()
def catalog_cmd(ctx: typer.Context,
                kind: Optional[str] = typer.Option(None, "--kind", help=KIND_HELP),
                as_json: bool = typer.Option(False, "--json", help="print one JSON object")) -> None:
    """List catalog ids of every kind (missiles, interceptors, radars, space sensors, places, threat
    sets, architecture and asset presets), each with a one-line description."""
    if ctx.invoked_subcommand is not None:
        return
    emit(app_catalog.catalog(kind), as_json, _print_catalog)


@catalog_app.command("show")
def show_cmd(ctx: typer.Context,
             item: str = typer.Argument(..., metavar="ID", help="a catalog id (see `goldendome catalog`)"),
             kind: Optional[str] = typer.Option(None, "--kind", help="the kind, where the id is in several; " + KIND_HELP),
             as_json: bool = typer.Option(False, "--json", help="print one JSON object")) -> None:
    """Every parameter of one catalog entry with its unit and source (citations in full)."""
    parent = ctx.parent.params if ctx.parent is not None else {}
    kind = kind or parent.get("kind")
    emit(app_catalog.show(item, kind), as_json or bool(parent.get("as_json")), _print_show)


def schema() -> None:
    """Print the JSON Schema of the scenario file (goldendome/v1)."""
    typer.echo(json.dumps(app_catalog.schema(), indent=2, sort_keys=True))


def _table(title: str, columns, rows) -> None:
    table = Table(title=escape(title))
    for c in columns:
        table.add_column(c)
    for r in rows:
        table.add_row(*(escape(str(v)) for v in r))
    console.print(table)


def _print_catalog(obj) -> None:
    titles = {key: title for key, title in app_catalog.KINDS.values()}
    if "missiles" in obj:
        _table(titles["missiles"], ("id", "class", "description", "sources"),
               [(mid, m["class"], m["description"], ", ".join(sorted(set(_keys(m["sources"])))))
                for mid, m in obj["missiles"].items()])
    if "interceptors" in obj:
        _table(titles["interceptors"], ("id", "class", "kind", "description"),
               [(i, e["class"], e["kind"], e["description"]) for i, e in obj["interceptors"].items()])
    for key in ("radars", "space_sensors"):
        if key in obj:
            _table(titles[key], ("id", "kind", "description"), [(i, e["kind"], e["description"]) for i, e in obj[key].items()])
    if "places" in obj:
        _table(titles["places"], ("id", "kind", "lat", "lon", "radius km", "name", "source"),
               [(pid, p["kind"], f"{p['lat']:.3f}", f"{p['lon']:.3f}", f"{p['radius_km']:.0f}", p["name"], p["source"])
                for pid, p in obj["places"].items()])
    if "threat_sets" in obj:
        _table(titles["threat_sets"], ("id", "adversary", "nominal", "description"),
               [(i, t["adversary"], t["nominal"], t["description"]) for i, t in obj["threat_sets"].items()])
    for key in ("architectures", "asset_presets"):
        if key in obj:
            _table(titles[key], ("id", "description"), [(i, e["description"]) for i, e in obj[key].items()])
    tail = f"{len(obj['references'])} references: `goldendome catalog --json` prints them in full. " \
        if "references" in obj else ""
    console.print(escape(f"{tail}`goldendome catalog show ID` prints every parameter of an entry with its source."))


def _value(v) -> str:
    if isinstance(v, bool) or v is None:
        return str(v).lower() if v is not None else "null"
    if isinstance(v, float):
        return f"{int(v):,}" if v.is_integer() and abs(v) < 1e15 else f"{v:,.6g}"
    if isinstance(v, int):
        return f"{v:,}" if abs(v) >= 10000 else str(v)
    if isinstance(v, dict):
        return ", ".join(f"{k}: {_value(x)}" for k, x in v.items())
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    return str(v)


def _print_show(obj) -> None:
    wide_console.print(escape(f"{obj['id']} ({obj['kind']}): {obj['description']}"))
    sections = any(p["section"] for p in obj["parameters"])
    table = Table(expand=True)
    if sections:
        table.add_column("section", no_wrap=True)
    table.add_column("parameter", overflow="fold", ratio=2)
    table.add_column("value", overflow="fold", ratio=2)
    table.add_column("unit", no_wrap=True)
    table.add_column("source", overflow="fold", ratio=5)
    for p in obj["parameters"]:
        row = ((p["section"],) if sections else ()) + (p["name"], _value(p["value"]), p["unit"], p["source"])
        table.add_row(*(escape(str(v)) for v in row))
    wide_console.print(table)
    if obj["references"]:
        wide_console.print("references:")
        for key, citation in obj["references"].items():
            wide_console.print(escape(f"  {key}: {citation or '(not in references*.yaml)'}"), soft_wrap=True)


def _keys(sources: dict):
    for v in sources.values():
        for key in str(v).split("|")[0].split(","):
            if key.strip():
                yield key.strip()


def register(app: typer.Typer) -> None:
    """Add the `catalog` group (listing, `show`) and `schema`."""
    app.add_typer(catalog_app, name="catalog")
    app.command()(schema)
