"""`goldendome serve`: the globe and JSON API on this machine (see goldendome.web.app)."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import List, Optional

import typer

from ..errors import InputError
from .defaults import STORE as DEFAULT_PATH
from .lazy import lazy

app_run = lazy("goldendome.app.run")


def _ip(host: str):
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def _loopback(host: str) -> bool:
    ip = _ip(host)
    return host == "localhost" or (ip is not None and ip.is_loopback)


def _host_header(host: str) -> str:
    """``host`` as a Host header names it (IPv6 literals in brackets)."""
    ip = _ip(host)
    return f"[{ip}]" if ip is not None and ip.version == 6 else host


def _scenarios_dir(given: str | None) -> Path:
    """The scenarios folder: the one given, else ./scenarios, else `goldendome demo`'s folder."""
    from ..app.demo import OUT_DIR as demo_dir

    if given is not None:
        if not Path(given).is_dir():
            raise InputError(f"--scenarios {given}: no such folder")
        return Path(given)
    for candidate in (Path("scenarios"), Path(demo_dir)):
        if candidate.is_dir():
            return candidate
    raise InputError(f"no scenarios folder here (./scenarios, or ./{demo_dir} that `goldendome demo` writes): "
                     "give --scenarios DIR")


def _check_cesium(folder: Path) -> None:
    """Refuse to start without CesiumJS: the page would show a black globe."""
    if not (folder / "Cesium.js").is_file():
        raise InputError(f"CesiumJS is missing ({folder / 'Cesium.js'} not found): run `make web` in the goldendome "
                         "checkout, or give --cesium-dir DIR (a CesiumJS Build/Cesium folder)")


def serve(port: int = typer.Option(8765, min=1, max=65535, help="TCP port"),
          store: str = typer.Option(DEFAULT_PATH, help="DuckDB run store the page reads and runs are saved to"),
          data_dir: str = typer.Option("goldendome-data", help="folder for what the server writes (scenario variants)"),
          scenarios: Optional[str] = typer.Option(None, help="folder of scenario files the page can run (default: "
                                                  "./scenarios, else ./goldendome-demo from `goldendome demo`)"),
          host: str = typer.Option("127.0.0.1", help="address to bind; anything but loopback exposes the API"),
          allow_host: Optional[List[str]] = typer.Option(None, help="a further Host header to answer (a DNS name "
                                                         "or proxy; repeatable); only this machine's names by default"),
          cesium_dir: Optional[Path] = typer.Option(None, help="CesiumJS Build/Cesium folder (default: "
                                                    "web/node_modules/cesium/Build/Cesium, from `make web`)"),
          swagger_dir: Optional[Path] = typer.Option(None, help="swagger-ui-dist folder for /docs (default: "
                                                     "web/node_modules/swagger-ui-dist)"),
          max_object_trials: Optional[int] = typer.Option(None, min=1, help="largest run the page may start, "
                                                          "objects (RVs and decoys) x trials (default: 20 million, "
                                                          "goldendome.web.app.MAX_OBJECT_TRIALS)"),
          ) -> None:
    """Serve the CesiumJS globe and JSON API (docs at /docs) on 127.0.0.1."""
    import uvicorn

    from ..web.app import Settings, create_app

    settings = Settings(store=Path(store), data_dir=Path(data_dir), scenarios_dir=_scenarios_dir(scenarios))
    settings.max_object_trials = max_object_trials or settings.max_object_trials
    settings.cesium_dir = cesium_dir or settings.cesium_dir
    settings.swagger_dir = swagger_dir or settings.swagger_dir
    _check_cesium(settings.cesium_dir)
    wildcard = (ip := _ip(host)) is not None and ip.is_unspecified
    settings.hosts += [h for h in [*([] if wildcard else [_host_header(host)]), *(allow_host or [])]
                       if h not in settings.hosts]
    if not _loopback(host):
        typer.echo(f"warning: binding {host}: anyone who can reach it can start runs"
                   + (" (give --allow-host NAME for each name clients use)" if wildcard else ""), err=True)
    typer.echo(f"goldendome: http://{_host_header(host)}:{port}/ (Ctrl-C stops)", err=True)
    uvicorn.run(create_app(settings, runner=app_run.run, budget=app_run.check_budget), host=host, port=port,
                log_level="warning")


def register(app: typer.Typer) -> None:
    """Add `serve` to the goldendome command line."""
    app.command(name="serve")(serve)
