"""Command line: `goldendome COMMAND`; every command takes --json and then prints one JSON object."""

from __future__ import annotations

import json
import sys
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from . import api, demo as demo_mod
from .scenario import catalog

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="goldendome: physics-based trade studies for a layered missile shield.")
console = Console() if sys.stdout.isatty() else Console(width=120)  # pipes get full tables


def _fail(msg: str) -> None:
    raise catalog.CatalogError(msg)


def _emit(obj, as_json: bool, table_fn) -> None:
    if as_json:
        typer.echo(json.dumps(obj, sort_keys=True))
    else:
        table_fn(obj)


@app.command()
def fly(missile: str = typer.Option(..., help="catalog missile id (see `goldendome catalog`)"),
        launch: str = typer.Option(..., help="LAT,LON in degrees or a site/region id"),
        target: str = typer.Option(..., help="LAT,LON in degrees or a site id"),
        shape: str = typer.Option("min-energy", help="min-energy | lofted | depressed"),
        apogee_km: Optional[float] = typer.Option(None, help="apogee for lofted/depressed, km"),
        crossrange_km: float = typer.Option(0.0, help="glider: swing this far sideways (right +) before the target, km"),
        as_json: bool = typer.Option(False, "--json", help="print one JSON object")) -> None:
    """Fly one missile from LAUNCH to TARGET and print its trajectory figures."""
    try:
        row = api.fly(missile, launch, target, shape=shape, apogee_km=apogee_km, crossrange_km=crossrange_km)
    except catalog.CatalogError as exc:
        _fail(str(exc))
    _emit(row, as_json, lambda r: print_rows([r]))


@app.command(name="catalog")
def catalog_cmd(as_json: bool = typer.Option(False, "--json", help="print one JSON object")) -> None:
    """List catalog ids (missiles, sites, regions) with their sources."""
    refs = catalog.references()
    missiles = {m: {"name": catalog.missile_entry(m).get("name", m), "class": catalog.missile_entry(m)["class"],
                    "sources": {k: v for k, v in catalog.missile_entry(m).get("sources", {}).items()}}
                for m in catalog.missile_ids()}
    places = {s.id: {"name": s.name, "kind": s.kind, "lat": s.lat_deg, "lon": s.lon_deg,
                     "radius_km": s.radius_km, "source": s.source} for s in catalog.sites().values()}
    obj = {"missiles": missiles, "places": places, "references": refs}
    _emit(obj, as_json, _print_catalog)


@app.command()
def demo(as_json: bool = typer.Option(False, "--json", help="print one JSON object")) -> None:
    """Fly the sample raid (North Korean salvo, Chinese and Russian gliders, a cruise missile)."""
    rows = demo_mod.run()
    _emit({"missiles": rows}, as_json, lambda o: print_rows(o["missiles"], title=demo_mod.TITLE))


COLUMNS = [("missile", "missile"), ("range_km", "range km"), ("flight_time_s", "flight s"),
           ("apogee_km", "apogee km"), ("burnout_time_s", "burnout s"), ("burnout_speed_m_s", "burnout m/s"),
           ("max_speed_m_s", "max m/s"), ("miss_km", "miss km")]


def print_rows(rows, title: str = "") -> None:
    table = Table(title=title or None)
    for k, head in COLUMNS:
        table.add_column(head, justify="left" if k == "missile" else "right", no_wrap=True)
    for r in rows:
        table.add_row(*("-" if r.get(k) is None else str(r.get(k)) for k, _ in COLUMNS))
    console.print(table)


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


def main() -> None:
    """Entry point: bad input exits 2 with one line on stderr, never a traceback."""
    try:
        rc = app(standalone_mode=False)
    except catalog.CatalogError as exc:
        _fail_line(str(exc))
    except Exception as exc:  # click's usage errors (typer may vendor click): exit_code 2 + a message
        if getattr(exc, "exit_code", None) != 2 or not hasattr(exc, "format_message"):
            raise
        msg = " ".join(exc.format_message().split())
        if not msg:  # bare `goldendome`: the help was printed
            sys.exit(0)
        _fail_line(msg)
    sys.exit(rc if isinstance(rc, int) else 0)


def _fail_line(msg: str) -> None:
    typer.echo(f"goldendome: error: {msg}", err=True)
    sys.exit(2)
