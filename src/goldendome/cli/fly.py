"""`goldendome fly`: one missile's trajectory figures."""

from __future__ import annotations

from typing import Optional

import typer
from rich.table import Table

from .lazy import lazy
from .console import console, emit

app_fly = lazy("goldendome.app.fly")


def fly(missile: str = typer.Option(..., help="catalog missile id (see `goldendome catalog`)"),
        launch: str = typer.Option(..., help="LAT,LON in degrees or a site/region id"),
        target: str = typer.Option(..., help="LAT,LON in degrees or a site id"),
        shape: str = typer.Option("min-energy", help="min-energy | lofted | depressed"),
        apogee_km: Optional[float] = typer.Option(None, help="apogee for lofted/depressed, km"),
        crossrange_km: float = typer.Option(0.0, help="glider: swing this far sideways (right +) before the target, km"),
        as_json: bool = typer.Option(False, "--json", help="print one JSON object")) -> None:
    """Fly one missile from LAUNCH to TARGET and print its trajectory figures."""
    row = app_fly.fly(missile, launch, target, shape=shape, apogee_km=apogee_km, crossrange_km=crossrange_km)
    emit(row, as_json, lambda r: print_rows([r]))


COLUMNS = [("missile", "missile"), ("range_km", "range km"), ("flight_time_s", "flight s"),
           ("apogee_km", "apogee km"), ("burnout_time_s", "burnout s"), ("burnout_speed_m_s", "burnout m/s"),
           ("max_speed_m_s", "max m/s"), ("miss_km", "miss km")]


def print_rows(rows, title: str = "") -> None:
    """Flight summary rows (goldendome fly) as a table."""
    table = Table(title=title or None)
    for k, head in COLUMNS:
        table.add_column(head, justify="left" if k == "missile" else "right", no_wrap=True)
    for r in rows:
        table.add_row(*("-" if r.get(k) is None else str(r.get(k)) for k, _ in COLUMNS))
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add `fly`."""
    app.command()(fly)
