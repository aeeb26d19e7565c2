"""`goldendome serve`: the globe and JSON API on this machine (see goldendome.web.app)."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Optional

import typer

from ..app.run import run as run_scenario
from ..errors import InputError
from ..study.store import DEFAULT_PATH


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(port: int = typer.Option(8765, min=1, max=65535, help="TCP port"),
          store: str = typer.Option(DEFAULT_PATH, help="DuckDB run store the page reads and runs are saved to"),
          data_dir: str = typer.Option("goldendome-data", help="folder for what the server writes (scenario variants)"),
          scenarios: str = typer.Option("scenarios", help="folder of scenario files the page can run"),
          host: str = typer.Option("127.0.0.1", help="address to bind; anything but loopback exposes the API"),
          cesium_dir: Optional[Path] = typer.Option(None, help="CesiumJS Build/Cesium folder (default: "
                                                    "web/node_modules/cesium/Build/Cesium, from `make web`)"),
          ) -> None:
    """Serve the CesiumJS globe and JSON API (docs at /docs) on 127.0.0.1."""
    import uvicorn

    from ..web.app import Settings, create_app

    if not Path(scenarios).is_dir():
        raise InputError(f"--scenarios {scenarios}: no such folder")
    settings = Settings(store=Path(store), data_dir=Path(data_dir), scenarios_dir=Path(scenarios))
    if cesium_dir is not None:
        settings.cesium_dir = cesium_dir
    if not _loopback(host):
        typer.echo(f"warning: binding {host}: anyone who can reach it can start runs", err=True)
        settings.hosts.append(host)
    typer.echo(f"goldendome: http://{'127.0.0.1' if host == '127.0.0.1' else host}:{port}/ (Ctrl-C stops)", err=True)
    uvicorn.run(create_app(settings, runner=run_scenario), host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    """Add `serve` to the goldendome command line."""
    app.command(name="serve")(serve)
